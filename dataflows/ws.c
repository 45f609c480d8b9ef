/* Weight-stationary (book §5.7.1; NVDLA, TPU): each PE keeps weights in its
 * RF and reuses each over the N, P, Q loops innermost; inputs stream from
 * the GLB multicast across output channels (x), partial sums are reduced
 * down the array over input channels and filter taps (y). */
#include "dataflows/template.h"

/* The ISCA 2016 study's weight-stationary (Chen, Emer, Sze, §IV-A, §VI-A),
 * which `compare --iso-area` runs as `ws`: "R x R weights from the same
 * filter and channel are laid out to a region of R x R PEs", each PE
 * holding "a single weight in the RF at a time"; an ifmap pixel is
 * broadcast to the region and the psums are accumulated across it, then
 * stored back to the buffer; regions of other filters and channels fill
 * the rest of the array. So the filter taps (R, S) take one axis, filters
 * and channels (M, C, G) the other. */
static const struct pesim_dataflow df_ws_isca16 = {
    .name = "ws",
    .title = "weight-stationary (ISCA 2016: R x S regions, one weight per PE)",
    .axis_dims = {{PESIM_DIM_M, PESIM_DIM_C, PESIM_DIM_G}, {PESIM_DIM_R, PESIM_DIM_S}},
    .naxis_dims = {3, 2},
    .rf_keeps = {[PESIM_DS_WEIGHTS] = true},
    .iso_rf_words = {[PESIM_DS_WEIGHTS] = 1},
    .rf_dims = {PESIM_DIM_R, PESIM_DIM_S, PESIM_DIM_N, PESIM_DIM_P, PESIM_DIM_Q},
    .nrf_dims = 5,
};

const struct pesim_dataflow df_ws = {
    .name = "ws",
    .title = "weight-stationary",
    .axis_dims = {{PESIM_DIM_M, PESIM_DIM_G}, {PESIM_DIM_C, PESIM_DIM_R, PESIM_DIM_S}},
    .naxis_dims = {2, 3},
    .rf_keeps = {[PESIM_DS_WEIGHTS] = true},
    /* ISCA 2016 §VI-A: "Each PE holds a single weight in the RF at a time". */
    .iso_rf_words = {[PESIM_DS_WEIGHTS] = 1},
    .iso_variant = &df_ws_isca16,
    .rf_dims = {PESIM_DIM_R, PESIM_DIM_S, PESIM_DIM_N, PESIM_DIM_P, PESIM_DIM_Q},
    .nrf_dims = 5,
};
