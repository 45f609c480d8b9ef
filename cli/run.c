/* pesim run: simulate the layers of a workload with one dataflow (or one
 * layer with an explicit mapping) and report them. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

void pesim_cli_run_help(FILE *out)
{
    fputs(
        "usage: pesim run --arch ARCH --workload WORKLOAD [options]\n"
        "\n"
        "Map every selected layer with one dataflow, simulate it, and report\n"
        "cycles, latency, energy, utilization and every access counter.\n"
        "\n"
        "options:\n"
        PESIM_CLI_HELP_INPUTS
        "  --dataflow DF        ws (default), os, os_a, os_c, is, nlr or rs\n"
        "  --mapping FILE       run explicit mappings (YAML) instead of a\n"
        "                       dataflow's mapper: one `mapping` for one layer,\n"
        "                       or a `layers` list with one per layer\n"
        "  --set KEY=VALUE      override an architecture key, e.g.\n"
        "                       --set pe_array.rows=16 (repeatable)\n"
        "  --trace FILE         also write the cycle-level timeline as Chrome\n"
        "                       trace-event JSON (Perfetto, chrome://tracing)\n"
        "  --trace-window A:B   only cycles [A, B) of the whole run\n"
        "  --trace-max-mb N     cut the trace at N MiB (default 256)\n"
        PESIM_CLI_HELP_PROGRESS
        PESIM_CLI_HELP_OUTPUTS
        "\n"
        "exit status: 0 success, 1 simulation failure (no valid mapping, tiles\n"
        "do not fit), 2 bad input (options, files, --set).\n"
        "\n"
        "example:\n"
        "  pesim run --arch eyeriss-v1 --workload alexnet --layers CONV1 "
        "--dataflow ws --format json\n",
        out);
}

struct job {
    enum pesim_format format;
    struct pesim_report_ctx ctx;
    struct pesim_run run;
};

static int write_run(FILE *out, const void *data)
{
    const struct job *j = data;
    return pesim_report_run(out, j->format, &j->ctx, &j->run);
}

/* The mapping of each selected layer: the file's one `mapping` for a
 * single layer, or each layer's entry of its `layers` list. Every layer
 * without one is reported (exit 2). */
static int pick_mappings(const struct pesim_cli_opts *o, const struct pesim_workload *wl,
                         const struct pesim_mapping_set *set,
                         const struct pesim_named_mapping **pick, pesim_diags *d)
{
    bool single = set->count == 1 && !set->items[0].layer[0];
    if (single && wl->count != 1) {
        pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, o->cmd, 0, 0,
                         "--mapping %s holds one mapping, but %zu layers are selected "
                         "(choose one with --layer NAME, or give a mapping per layer: "
                         "pesim map ... --layers ... -o FILE)",
                         o->mapping, wl->count);
        return PESIM_EXIT_INPUT;
    }
    int status = PESIM_EXIT_OK;
    for (size_t i = 0; i < wl->count; i++) {
        pick[i] = single ? &set->items[0] : pesim_mapping_set_find(set, wl->layers[i].name);
        if (!pick[i]) {
            pesim_diags_addc(d, PESIM_DIAG_MAP_MISSING, o->mapping, 0, 0,
                             "no mapping for layer %s, expected an entry "
                             "{layer: %s, mapping: ...} in `layers`",
                             wl->layers[i].name, wl->layers[i].name);
            status = PESIM_EXIT_INPUT;
        }
    }
    return status;
}

/* The selected layers with the mappings from a file. */
static int run_mapping(const struct pesim_cli_opts *o,
                       const struct pesim_arch *arch,
                       const struct pesim_workload *wl,
                       struct pesim_layer_result *res, pesim_diags *d)
{
    struct pesim_mapping_set set = {0};
    size_t before = pesim_diags_count(d);
    int e = pesim_cli_load_mappings(o->mapping, o->arch, o->workload, &set, NULL, d);
    if (e) {
        if (pesim_diags_count(d) == before)
            pesim_diags_add(d, o->mapping, 0, 0, "cannot load the mapping: %s",
                            pesim_strerror(e));
        return PESIM_EXIT_INPUT;
    }
    const struct pesim_named_mapping **pick = calloc(wl->count, sizeof *pick);
    int status = pick ? pick_mappings(o, wl, &set, pick, d) : PESIM_EXIT_SIM;
    /* Checked first with the file's positions (the engine checks again,
     * without them). */
    for (size_t i = 0; i < wl->count && status == PESIM_EXIT_OK; i++)
        if (pesim_map_check_at(arch, &wl->layers[i], pick[i], o->mapping, d))
            status = PESIM_EXIT_INPUT;
    for (size_t i = 0; i < wl->count && status == PESIM_EXIT_OK; i++) {
        e = pesim_sim_layer_engine(arch, &wl->layers[i], &pick[i]->mapping, o->engine,
                                   o->mapping, &res[i], d);
        if (e) {
            pesim_diags_add(d, o->mapping, 0, 0, "layer %s: %s (%s)", wl->layers[i].name,
                            pesim_strerror(e), pesim_err_name(e));
            /* A mapping that does not match the layer or array is bad
             * input; one that is well-formed but does not fit is a
             * simulation failure. */
            status = e == PESIM_E_INVALID ? PESIM_EXIT_INPUT : PESIM_EXIT_SIM;
        }
    }
    free(pick);
    pesim_mapping_set_free(&set);
    return status;
}

/* Whether --trace and -o would write one file: the same name, or names of
 * one existing regular file (a device such as /dev/null may take both).
 * Both are renamed into place, so one would silently replace the other. */
static bool same_file(const char *a, const char *b)
{
    if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
        return false;
    if (strcmp(a, b) == 0)
        return true;
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && S_ISREG(sa.st_mode) &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* --trace: the layers again, one after another, with the event engine and
 * the mappings of the run, into a trace file; each layer's cycles must
 * equal the run's (the engine is deterministic). */
static int write_trace(const struct pesim_cli_opts *o, const struct pesim_arch *arch,
                       const struct pesim_workload *wl, const struct pesim_layer_result *res,
                       pesim_diags *d)
{
    struct pesim_trace_opts to = {o->trace_from, o->trace_to, o->trace_max_bytes};
    pesim_trace *t;
    if (pesim_trace_open(o->trace, &to, &t, d))
        return PESIM_EXIT_INPUT;
    int status = PESIM_EXIT_OK;
    struct pesim_layer_result *x = malloc(sizeof *x);
    for (size_t i = 0; x && i < wl->count && status == PESIM_EXIT_OK; i++) {
        if (pesim_sim_layer_trace(arch, &wl->layers[i], &res[i].mapping, t, o->trace, x, d) ||
            x->cycles != res[i].cycles) {
            pesim_diags_add(d, o->trace, 0, 0, "layer %s: the traced run differs from the "
                            "run (%llu cycles, expected %llu)", wl->layers[i].name,
                            (unsigned long long)x->cycles, (unsigned long long)res[i].cycles);
            status = PESIM_EXIT_SIM;
        }
    }
    if (!x)
        status = PESIM_EXIT_SIM;
    if (status == PESIM_EXIT_OK && pesim_trace_truncated(t))
        fprintf(stderr, "%s: note: the trace reached its size cap and was cut (see "
                "--trace-max-mb, --trace-window)\n", o->trace);
    free(x);
    if (pesim_trace_close(t, status == PESIM_EXIT_OK, d) && status == PESIM_EXIT_OK)
        status = PESIM_EXIT_INPUT;
    return status;
}

int pesim_cli_run(int argc, char **argv)
{
    struct pesim_cli_opts o;
    struct pesim_arch arch;
    struct pesim_workload wl = {0};
    struct pesim_layer_result *res = NULL;
    struct job job;
    char *command = NULL;
    int status = PESIM_EXIT_INPUT;
    pesim_diags *d = pesim_diags_create();
    if (!d) {
        fputs("pesim: out of memory\n", stderr);
        return PESIM_EXIT_SIM;
    }

    int e = pesim_cli_parse(&o, "pesim run",
                            PESIM_CLI_OPT_DATAFLOW | PESIM_CLI_OPT_MAPPING | PESIM_CLI_OPT_TRACE |
                                PESIM_CLI_OPT_PROGRESS,
                            argc, argv, d);
    if (!e && o.trace && o.engine != PESIM_ENGINE_EVENT) {
        pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, o.cmd, 0, 0,
                         "--trace: needs the event engine, got --engine %s",
                         pesim_engine_name(o.engine));
        e = PESIM_E_INVALID;
    }
    if (!e && o.trace && o.output && same_file(o.trace, o.output)) {
        pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, o.cmd, 0, 0,
                         "--trace and -o name the same file '%s'; give "
                         "them different files", o.output);
        e = PESIM_E_INVALID;
    }
    if (!e && o.help) {
        pesim_cli_run_help(stdout);
        status = PESIM_EXIT_OK;
        goto out;
    }
    if (e || pesim_cli_load(&o, &arch, &wl, d) != 0)
        goto out;

    res = calloc(wl.count, sizeof *res);
    if (!res) {
        pesim_diags_add(d, o.cmd, 0, 0, "out of memory");
        status = PESIM_EXIT_SIM;
        goto out;
    }
    memset(&job, 0, sizeof job);
    job.format = o.format;
    job.ctx.arch = &arch;
    job.ctx.workload = wl.name;
    job.ctx.command = command = pesim_cli_command_line("pesim run", argc, argv);
    job.ctx.objective = o.objective;
    job.ctx.explicit_mapping = o.mapping != NULL;
    job.run.layers = res;
    job.run.n = wl.count;
    if (o.mapping) {
        job.run.dataflow = "mapping";
        status = run_mapping(&o, &arch, &wl, res, d);
        if (status)
            goto out;
        pesim_sim_total(&arch, res, wl.count, &job.run.total);
    } else {
        const pesim_dataflow *df = pesim_cli_dataflow(&o, &arch);
        if (!df) {
            pesim_diags_add(d, o.cmd, 0, 0, "dataflow '%s' is not available",
                            o.dataflow ? o.dataflow : arch.dataflow[0] ? arch.dataflow : "ws");
            goto out;
        }
        job.run.dataflow = pesim_df_name(df);
        struct pesim_cli_progress pr;
        pesim_cli_progress_start(&pr, "run", o.progress);
        e = pesim_sim_network_watched(&arch, &wl, df, o.engine, o.objective, o.threads,
                                      pesim_cli_progress_show, &pr, res, &job.run.total, d);
        pesim_cli_progress_end(&pr);
        if (e) {
            status = PESIM_EXIT_SIM;
            goto out;
        }
    }
    if (o.trace && (status = write_trace(&o, &arch, &wl, res, d)) != PESIM_EXIT_OK)
        goto out;
    status = pesim_cli_output(o.output, write_run, &job, d) ? PESIM_EXIT_INPUT
                                                            : PESIM_EXIT_OK;
out:
    pesim_cli_print_diags(d, stderr);
    pesim_diags_destroy(d);
    free(command);
    free(res);
    pesim_workload_free(&wl);
    pesim_cli_opts_free(&o);
    return status;
}
