/* placeholder: dataflows/registry.c */
typedef int pesim_placeholder_dataflows_registry_c;
