#ifndef FUSIONAI_CFFTW_SHIM_H
#define FUSIONAI_CFFTW_SHIM_H
// <complex.h> stays out so fftwf_complex imports as a (Float, Float) tuple.
#include <fftw3.h>

// fftwf_version is an array of unknown size, which Swift cannot import.
static inline const char *fusionai_fftwf_version(void) { return fftwf_version; }
#endif
