// Speculative module.
