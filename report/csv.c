/* placeholder: report/csv.c */
typedef int pesim_placeholder_report_csv_c;
