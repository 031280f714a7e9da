#ifndef FUSIONAI_CHTSLIB_SHIM_H
#define FUSIONAI_CHTSLIB_SHIM_H
#include <htslib/hts.h>
#include <htslib/bgzf.h>
#include <htslib/faidx.h>
#include <htslib/kstring.h>
#include <htslib/tbx.h>
#include <htslib/vcf.h>

/// `ks_free` and `ks_release` are static inline in some htslib versions and macros in none;
/// a named wrapper keeps Swift call sites stable across versions.
static inline void fusionai_ks_free(kstring_t *s) { free(s->s); s->s = NULL; s->l = s->m = 0; }

/// tabix's query and iteration are macros, which Swift cannot call.
static inline hts_itr_t *fusionai_tbx_itr_queryi(tbx_t *tbx, int tid, hts_pos_t beg, hts_pos_t end) {
    return tbx_itr_queryi(tbx, tid, beg, end);
}
static inline int fusionai_tbx_itr_next(BGZF *fp, tbx_t *tbx, hts_itr_t *itr, kstring_t *line) {
    return hts_itr_next(fp, itr, line, tbx);
}

/// VCF/BCF: the record fields Swift cannot reach (bit fields, unions) and the query macros.
static inline int fusionai_bcf_n_allele(const bcf1_t *r) { return r->n_allele; }
static inline const char *fusionai_bcf_allele(const bcf1_t *r, int i) { return r->d.allele[i]; }
static inline hts_itr_t *fusionai_bcf_itr_queryi(const hts_idx_t *idx, int tid, hts_pos_t beg, hts_pos_t end) {
    return bcf_itr_queryi(idx, tid, beg, end);
}
static inline int fusionai_bcf_itr_next(htsFile *fp, hts_itr_t *itr, bcf1_t *r) { return bcf_itr_next(fp, itr, r); }
static inline int fusionai_bcf_update_info_float(const bcf_hdr_t *h, bcf1_t *r, const char *key, const float *v, int n) {
    return bcf_update_info_float(h, r, key, v, n);
}
#endif
