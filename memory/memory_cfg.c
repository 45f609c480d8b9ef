/* placeholder: memory/memory_cfg.c */
typedef int pesim_placeholder_memory_memory_cfg_c;
