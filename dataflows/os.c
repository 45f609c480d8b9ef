/* Output-stationary (book §5.7.2; ShiDianNao): each PE keeps partial sums
 * in its RF and accumulates over the C, R, S loops innermost; weights are
 * multicast to the PEs of different output pixels, inputs stream from the
 * GLB. Output rows and columns (or channels) spread over the array: the
 * ISCA 2016 study's OS_B (os_variants.c has OS_A and OS_C). */
#include "dataflows/template.h"

const struct pesim_dataflow df_os = {
    .name = "os",
    .title = "output-stationary",
    .axis_dims = {{PESIM_DIM_Q, PESIM_DIM_M, PESIM_DIM_N}, {PESIM_DIM_P, PESIM_DIM_M, PESIM_DIM_G}},
    .naxis_dims = {3, 3},
    .rf_keeps = {[PESIM_DS_OUTPUTS] = true},
    /* ISCA 2016 §VI-A: "Each PE runs the psum accumulation of a single
     * ofmap pixel at a time". */
    .iso_rf_words = {[PESIM_DS_OUTPUTS] = 1},
    .rf_dims = {PESIM_DIM_C, PESIM_DIM_R, PESIM_DIM_S},
    .nrf_dims = 3,
};
