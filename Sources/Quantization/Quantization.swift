// Quantization module.
