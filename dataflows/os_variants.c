/* The output-stationary variants of the ISCA 2016 Eyeriss dataflow study
 * (Chen, Emer, Sze, ISCA 2016, §V-B): every PE keeps psums in its RF and
 * accumulates over C, R, S innermost, as `os` does; they differ in which
 * outputs the array computes in parallel.
 *   os_a: many output pixels of one output channel (P, Q on the array);
 *   os_c: many output channels of one output pixel (M on both axes).
 * `os` spreads pixels and channels together: the study's OS_B. */
#include "dataflows/template.h"

const struct pesim_dataflow df_os_a = {
    .name = "os_a",
    .title = "output-stationary A (pixels of one channel)",
    .axis_dims = {{PESIM_DIM_Q, PESIM_DIM_N}, {PESIM_DIM_P}},
    .naxis_dims = {2, 1},
    .rf_keeps = {[PESIM_DS_OUTPUTS] = true},
    .iso_rf_words = {[PESIM_DS_OUTPUTS] = 1}, /* one psum, as os */
    .rf_dims = {PESIM_DIM_C, PESIM_DIM_R, PESIM_DIM_S},
    .nrf_dims = 3,
};

const struct pesim_dataflow df_os_c = {
    .name = "os_c",
    .title = "output-stationary C (channels of one pixel)",
    .axis_dims = {{PESIM_DIM_M, PESIM_DIM_G}, {PESIM_DIM_M, PESIM_DIM_N}},
    .naxis_dims = {2, 2},
    .share_dims = true,
    .rf_keeps = {[PESIM_DS_OUTPUTS] = true},
    .iso_rf_words = {[PESIM_DS_OUTPUTS] = 1}, /* one psum, as os */
    .rf_dims = {PESIM_DIM_C, PESIM_DIM_R, PESIM_DIM_S},
    .nrf_dims = 3,
};
