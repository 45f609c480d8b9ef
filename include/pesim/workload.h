/* pesim — layer workloads in the book's notation. */
#ifndef PESIM_WORKLOAD_H
#define PESIM_WORKLOAD_H

#include "pesim/arch.h"

#ifdef __cplusplus
extern "C" {
#endif

enum pesim_layer_kind {
    PESIM_LAYER_CONV,
    PESIM_LAYER_FC,   /* P = Q = 1, R = H, S = W */
    PESIM_LAYER_GEMM, /* (m x k) . (k x n): N = m, C = k, M = n, G groups */
    /* A gemm whose (k x n) operand is an activation, not a parameter
     * (attention's Q.K^T and scores.V): it still lives in the weights data
     * space, but counts as no parameters. */
    PESIM_LAYER_MATMUL,
    PESIM_LAYER_KIND_COUNT
};

struct pesim_layer {
    char name[PESIM_NAME_MAX];
    enum pesim_layer_kind kind;
    uint64_t dim[PESIM_DIM_COUNT]; /* N G M C P Q R S, all >= 1 */
    uint32_t stride[2];            /* U: rows, cols */
    uint32_t pad[2];               /* zero padding per side: rows, cols */
    uint32_t dilation[2];          /* rows, cols */
    /* Fraction of nonzero values per data space, in (0, 1]; 0: not given
     * (dense). Only a compressing DRAM link reads it (dram.compression). */
    double density[PESIM_DS_COUNT];
    /* Set by pesim_layer_im2col on the view of a convolution (all zero
     * otherwise): the source's output pixels per image (P*Q), window per
     * channel (R*S) and input words one (image, channel) of the feature map
     * holds that its windows touch. The levels above the array hold the
     * feature map, not the lowered matrix (docs/systolic.md). */
    struct {
        uint64_t pq, rs, hw;
    } im2col;
};

/* l's density of ds: 1 when not given. */
static inline double pesim_layer_density(const struct pesim_layer *l, unsigned ds)
{
    return l->density[ds] > 0 ? l->density[ds] : 1.0;
}

struct pesim_workload {
    char name[PESIM_NAME_MAX];
    size_t count;
    struct pesim_layer *layers; /* owned; free with pesim_workload_free */
};

/* Load a workload (YAML file, or a shipped name such as "alexnet").
 * Errors as pesim_arch_load. *out owns its layers on success. */
int pesim_workload_load(const char *name_or_path, struct pesim_workload *out,
                        pesim_diags *diags);
int pesim_workload_load_string(const char *text, size_t len, const char *file,
                               struct pesim_workload *out, pesim_diags *diags);
void pesim_workload_free(struct pesim_workload *wl);

/* Keep only the layers a selector names, in workload order. A selector is
 * a comma-separated list of: a layer name; a range "first:last" of names
 * (inclusive, workload order); or a kind "conv", "fc", "gemm" (when no
 * layer has that name). PESIM_E_NOTFOUND when an item matches nothing,
 * PESIM_E_INVALID when the selector is empty; each problem a diagnostic
 * with code PESIM_DIAG_WL_SELECT and no file (the caller knows where the
 * selector came from: pesim_diags_set_file). */
int pesim_workload_select(struct pesim_workload *wl, const char *selector,
                          pesim_diags *diags);
/* Set N (batch) of every conv and fc layer; checks overflow. PESIM_E_RANGE
 * with diagnostics of code PESIM_DIAG_WL_BATCH and no file, and nothing
 * changed, when batch is 0, above 2^40, or overflows a layer's counts. */
int pesim_workload_set_batch(struct pesim_workload *wl, uint64_t batch,
                             pesim_diags *diags);

/* Derived sizes. Input plane size including padding:
 * H = (P-1)*U + (R-1)*dil + 1; the unpadded input is H - 2*pad. */
uint64_t pesim_layer_h(const struct pesim_layer *l);
uint64_t pesim_layer_w(const struct pesim_layer *l);
uint64_t pesim_layer_macs(const struct pesim_layer *l);
/* Stored parameters (weight words) of a layer: 0 for matmul. */
uint64_t pesim_layer_params(const struct pesim_layer *l);
/* Whether a layer is a gemm or matmul (m, n, k keys; batch not applied). */
bool pesim_layer_is_gemm(const struct pesim_layer *l);
/* Words of each data space (inputs over the padded plane). */
uint64_t pesim_layer_ds_words(const struct pesim_layer *l, enum pesim_ds ds);
const char *pesim_layer_kind_name(enum pesim_layer_kind kind);

/* The im2col view of a layer (docs/systolic.md; SCALE-Sim's operand
 * matrices): a convolution or fc layer becomes the gemm of its lowered
 * input matrix, m = N*P*Q output pixels, k = C*R*S window, n = M, per
 * group, so that an array axis can take all the pixels or all the window
 * at once. A gemm or matmul is its own view. Counts saturate. */
void pesim_layer_im2col(const struct pesim_layer *l, struct pesim_layer *out);
/* Input words l's windows touch (padding excluded): below the input's
 * size when a stride larger than the window skips rows or columns.
 * Saturates; the whole input's words when the plane is too large to
 * count (over 2^24 rows). */
uint64_t pesim_layer_inputs_touched(const struct pesim_layer *l);
/* l as arch runs it: its im2col view into *buf when arch->im2col, else l
 * itself. */
const struct pesim_layer *pesim_layer_as_run(const struct pesim_arch *arch,
                                             const struct pesim_layer *l,
                                             struct pesim_layer *buf);

/* Shipped workload names (workloads/lib/NAME.yaml), NULL-terminated. */
const char *const *pesim_workload_presets(void);

#ifdef __cplusplus
}
#endif
#endif
