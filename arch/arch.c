/* placeholder: arch/arch.c */
typedef int pesim_placeholder_arch_arch_c;
