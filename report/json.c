/* placeholder: report/json.c */
typedef int pesim_placeholder_report_json_c;
