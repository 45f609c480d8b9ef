/* placeholder: report/text.c */
typedef int pesim_placeholder_report_text_c;
