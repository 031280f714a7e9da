#ifndef FUSIONAI_CMALLOC_SHIM_H
#define FUSIONAI_CMALLOC_SHIM_H
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>

/// Keeps glibc from trimming and re-faulting the heap after every batch (see AllocatorTuning.swift).
static inline void fusionai_tune_malloc(void) {
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
}
#else
static inline void fusionai_tune_malloc(void) {}
#endif
#endif
