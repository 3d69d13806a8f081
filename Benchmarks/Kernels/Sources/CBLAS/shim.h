#ifndef SWIFT_DECODING_CBLAS_SHIM_H
#define SWIFT_DECODING_CBLAS_SHIM_H
#include <cblas.h>
#endif
