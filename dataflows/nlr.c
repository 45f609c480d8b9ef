/* No local reuse (book §5.7.3; DianNao, DaDianNao): PEs keep nothing; every
 * operand comes from the GLB over the NoC each cycle (multicast where PEs
 * share it) and psums are reduced spatially on their way back. The storage
 * goes to the GLB instead. The innermost loops still run in the PE array's
 * sequencer (RF level, bypassed by every data space): they store nothing,
 * but they make each step of the cycle-level engines a whole row of
 * outputs rather than one cycle. */
#include "dataflows/template.h"

const struct pesim_dataflow df_nlr = {
    .name = "nlr",
    .title = "no-local-reuse",
    .axis_dims = {{PESIM_DIM_M, PESIM_DIM_G}, {PESIM_DIM_C, PESIM_DIM_R, PESIM_DIM_S}},
    .naxis_dims = {2, 3},
    .rf_keeps = {false, false, false},
    .rf_dims = {PESIM_DIM_N, PESIM_DIM_P, PESIM_DIM_Q},
    .nrf_dims = 3,
};
