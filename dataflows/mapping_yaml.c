/* placeholder: dataflows/mapping_yaml.c */
typedef int pesim_placeholder_dataflows_mapping_yaml_c;
