/* placeholder: pe_array/pe_array_cfg.c */
typedef int pesim_placeholder_pe_array_pe_array_cfg_c;
