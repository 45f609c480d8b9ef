/* placeholder: dataflows/mapping.c */
typedef int pesim_placeholder_dataflows_mapping_c;
