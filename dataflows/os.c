/* placeholder: dataflows/os.c */
typedef int pesim_placeholder_dataflows_os_c;
