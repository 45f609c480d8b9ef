/* placeholder: dataflows/ws.c */
typedef int pesim_placeholder_dataflows_ws_c;
