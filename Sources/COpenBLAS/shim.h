#ifndef FUSIONAI_COPENBLAS_SHIM_H
#define FUSIONAI_COPENBLAS_SHIM_H
// Debian keeps this cblas.h under /usr/include/x86_64-linux-gnu/openblas-pthread/ (from openblas.pc).
#include <cblas.h>
#endif
