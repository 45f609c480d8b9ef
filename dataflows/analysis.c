/* placeholder: dataflows/analysis.c */
typedef int pesim_placeholder_dataflows_analysis_c;
