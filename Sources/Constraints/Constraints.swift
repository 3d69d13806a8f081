// Constraints module.
