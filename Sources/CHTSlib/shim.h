#ifndef FUSIONAI_CHTSLIB_SHIM_H
#define FUSIONAI_CHTSLIB_SHIM_H
#include <htslib/hts.h>
#include <htslib/bgzf.h>
#include <htslib/faidx.h>
#include <htslib/kstring.h>

/// `ks_free` and `ks_release` are static inline in some htslib versions and macros in none;
/// a named wrapper keeps Swift call sites stable across versions.
static inline void fusionai_ks_free(kstring_t *s) { free(s->s); s->s = NULL; s->l = s->m = 0; }
#endif
