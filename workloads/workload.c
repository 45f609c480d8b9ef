/* placeholder: workloads/workload.c */
typedef int pesim_placeholder_workloads_workload_c;
