#ifndef SWIFT_DECODING_CKERNELS_H
#define SWIFT_DECODING_CKERNELS_H
// Innermost vector loops of the quantized kernels, written in C so they can use the host's
// AVX2/FMA units (selected at run time); everything around them is Swift.
#endif
