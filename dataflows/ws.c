/* Weight-stationary (book §5.7.1; NVDLA, TPU): each PE keeps weights in its
 * RF and reuses each over the N, P, Q loops innermost; inputs stream from
 * the GLB multicast across output channels (x), partial sums are reduced
 * down the array over input channels and filter taps (y). */
#include "dataflows/template.h"

const struct pesim_dataflow df_ws = {
    .name = "ws",
    .title = "weight-stationary",
    .axis_dims = {{PESIM_DIM_M, PESIM_DIM_G}, {PESIM_DIM_C, PESIM_DIM_R, PESIM_DIM_S}},
    .naxis_dims = {2, 3},
    .rf_keeps = {[PESIM_DS_WEIGHTS] = true},
    .rf_dims = {PESIM_DIM_R, PESIM_DIM_S, PESIM_DIM_N, PESIM_DIM_P, PESIM_DIM_Q},
    .nrf_dims = 5,
};
