/* pesim_report_run / pesim_report_compare: dispatch on the format. */
#include "report/walk.h"

const char *pesim_report_unit(const struct pesim_report_ctx *ctx)
{
    const char *u = ctx && ctx->arch
                        ? pesim_energy_unit_name(ctx->arch->energy.unit)
                        : NULL;
    return u ? u : "";
}

int pesim_report_run(FILE *out, enum pesim_format fmt,
                     const struct pesim_report_ctx *ctx,
                     const struct pesim_run *run)
{
    if (!out || !run || (run->n && !run->layers))
        return PESIM_E_INVALID;
    switch (fmt) {
    case PESIM_FORMAT_TEXT: return pesim_report_text_run(out, ctx, run);
    case PESIM_FORMAT_JSON: return pesim_report_json_run(out, ctx, run);
    case PESIM_FORMAT_CSV: return pesim_report_csv_run(out, ctx, run);
    }
    return PESIM_E_INVALID;
}

int pesim_report_compare(FILE *out, enum pesim_format fmt,
                         const struct pesim_report_ctx *ctx,
                         const struct pesim_run *runs, size_t n)
{
    if (!out || (n && !runs))
        return PESIM_E_INVALID;
    for (size_t i = 0; i < n; i++)
        if (runs[i].n && !runs[i].layers)
            return PESIM_E_INVALID;
    switch (fmt) {
    case PESIM_FORMAT_TEXT: return pesim_report_text_compare(out, ctx, runs, n);
    case PESIM_FORMAT_JSON: return pesim_report_json_compare(out, ctx, runs, n);
    case PESIM_FORMAT_CSV: return pesim_report_csv_compare(out, ctx, runs, n);
    }
    return PESIM_E_INVALID;
}
