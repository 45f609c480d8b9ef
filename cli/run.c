/* pesim run: simulate the layers of a workload with one dataflow (or one
 * layer with an explicit mapping) and report them. */
#include <stdlib.h>
#include <string.h>

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
        "  --mapping FILE       run an explicit mapping (YAML) instead of a\n"
        "                       dataflow's mapper; needs exactly one layer\n"
        "  --set KEY=VALUE      override an architecture key, e.g.\n"
        "                       --set pe_array.rows=16 (repeatable)\n"
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

/* One layer with the mapping from a file. */
static int run_mapping(const struct pesim_cli_opts *o,
                       const struct pesim_arch *arch,
                       const struct pesim_workload *wl,
                       struct pesim_layer_result *res, pesim_diags *d)
{
    struct pesim_mapping m;
    if (wl->count != 1) {
        pesim_diags_add(d, o->cmd, 0, 0,
                        "--mapping needs exactly one layer, but %zu are selected "
                        "(choose one with --layer NAME)",
                        wl->count);
        return PESIM_EXIT_INPUT;
    }
    size_t before = pesim_diags_count(d);
    int e = pesim_mapping_load(o->mapping, &m, d);
    if (e) {
        if (pesim_diags_count(d) == before)
            pesim_diags_add(d, o->mapping, 0, 0, "cannot load the mapping: %s",
                            pesim_strerror(e));
        return PESIM_EXIT_INPUT;
    }
    e = pesim_sim_layer_engine(arch, &wl->layers[0], &m, o->engine, o->mapping, res, d);
    if (e) {
        pesim_diags_add(d, o->mapping, 0, 0, "layer %s: %s (%s)",
                        wl->layers[0].name, pesim_strerror(e),
                        pesim_err_name(e));
        /* A mapping that does not match the layer or array is bad input;
         * one that is well-formed but does not fit is a simulation failure. */
        return e == PESIM_E_INVALID ? PESIM_EXIT_INPUT : PESIM_EXIT_SIM;
    }
    return PESIM_EXIT_OK;
}

int pesim_cli_run(int argc, char **argv)
{
    struct pesim_cli_opts o;
    struct pesim_arch arch;
    struct pesim_workload wl = {0};
    struct pesim_layer_result *res = NULL;
    struct job job;
    int status = PESIM_EXIT_INPUT;
    pesim_diags *d = pesim_diags_create();
    if (!d) {
        fputs("pesim: out of memory\n", stderr);
        return PESIM_EXIT_SIM;
    }

    int e = pesim_cli_parse(&o, "pesim run",
                            PESIM_CLI_OPT_DATAFLOW | PESIM_CLI_OPT_MAPPING,
                            argc, argv, d);
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
    job.run.layers = res;
    job.run.n = wl.count;
    if (o.mapping) {
        job.run.dataflow = "mapping";
        status = run_mapping(&o, &arch, &wl, res, d);
        if (status)
            goto out;
        pesim_sim_total(&arch, res, 1, &job.run.total);
    } else {
        const pesim_dataflow *df = pesim_df_find(o.dataflow ? o.dataflow : "ws");
        if (!df) {
            pesim_diags_add(d, o.cmd, 0, 0, "dataflow '%s' is not available",
                            o.dataflow ? o.dataflow : "ws");
            goto out;
        }
        job.run.dataflow = pesim_df_name(df);
        if (pesim_sim_network(&arch, &wl, df, o.engine, o.objective, o.threads, res, &job.run.total, d)) {
            status = PESIM_EXIT_SIM;
            goto out;
        }
    }
    status = pesim_cli_output(o.output, write_run, &job, d) ? PESIM_EXIT_INPUT
                                                            : PESIM_EXIT_OK;
out:
    pesim_diags_print(d, stderr);
    pesim_diags_destroy(d);
    free(res);
    pesim_workload_free(&wl);
    pesim_cli_opts_free(&o);
    return status;
}
