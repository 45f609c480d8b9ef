/* placeholder: energy/energy_cfg.c */
typedef int pesim_placeholder_energy_energy_cfg_c;
