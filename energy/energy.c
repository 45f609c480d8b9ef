/* placeholder: energy/energy.c */
typedef int pesim_placeholder_energy_energy_c;
