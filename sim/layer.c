/* placeholder: sim/layer.c */
typedef int pesim_placeholder_sim_layer_c;
