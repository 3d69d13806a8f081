// Transformer module.
