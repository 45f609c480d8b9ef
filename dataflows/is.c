/* Input-stationary (book §5.7): each PE keeps input activations in its RF
 * and reuses each over the output channels (M) innermost; weights are
 * multicast to the PEs, psums are reduced across input channels (y). The
 * RF also walks the filter window (R, S) of its inputs. */
#include "dataflows/template.h"

const struct pesim_dataflow df_is = {
    .name = "is",
    .title = "input-stationary",
    .axis_dims = {{PESIM_DIM_Q, PESIM_DIM_P, PESIM_DIM_N}, {PESIM_DIM_C, PESIM_DIM_P}},
    .naxis_dims = {3, 2},
    .rf_keeps = {[PESIM_DS_INPUTS] = true},
    .rf_dims = {PESIM_DIM_R, PESIM_DIM_S, PESIM_DIM_M},
    .nrf_dims = 3,
};
