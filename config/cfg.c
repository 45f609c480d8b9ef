/* placeholder: config/cfg.c */
typedef int pesim_placeholder_config_cfg_c;
