/* placeholder: dataflows/check.c */
typedef int pesim_placeholder_dataflows_check_c;
