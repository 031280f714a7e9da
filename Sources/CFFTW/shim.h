#ifndef FUSIONAI_CFFTW_SHIM_H
#define FUSIONAI_CFFTW_SHIM_H
// <complex.h> stays out so fftwf_complex imports as a (Float, Float) tuple.
#include <fftw3.h>
#endif
