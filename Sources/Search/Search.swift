// Search module.
