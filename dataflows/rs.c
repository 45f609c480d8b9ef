/* Row-stationary (Eyeriss; Chen et al., ISCA 2016, JSSC 2017; book §5.7.4):
 * each PE runs a 1-D convolution of a filter row (S) with an ifmap row,
 * producing a row of psums (Q). The logical PE set puts filter rows (R) on
 * the array's rows (y) and output rows (P) on its columns (x): filter rows
 * are reused across a PE row, ifmap rows along the diagonals (one GLB read
 * multicast to every PE whose p + r matches), and psums accumulate up a
 * column (spatial reduction over R). R always leads the rows and P the
 * columns, each with its whole extent: the logical PE set R x P. Sets larger than the array fold (partial last folds, e.g.
 * P = 55 over 14 columns); smaller ones are replicated down the rows over
 * output rows, input or output channels (P, C, M: Eyeriss splits CONV2's
 * 5x27 set into 5x14 and 5x13 stacked) and across the columns over N or M. In the
 * RF, the scratchpad sizes decide how many channels (C) and filters (M) a
 * PE interleaves around its row. */
#include "dataflows/search.h"

const struct pesim_dataflow df_rs = {
    .name = "rs",
    .title = "row-stationary",
    .axis_dims = {{PESIM_DIM_P, PESIM_DIM_N, PESIM_DIM_M},
                  {PESIM_DIM_R, PESIM_DIM_P, PESIM_DIM_C, PESIM_DIM_M}},
    .naxis_dims = {3, 4},
    .lead = {true, true},
    .share_dims = true,
    .rf_keeps = {true, true, true},
    .rf_dims = {PESIM_DIM_C, PESIM_DIM_M, PESIM_DIM_Q, PESIM_DIM_S},
    .nrf_dims = 4,
    .passes = df_map_rs_passes,
};
