/* pesim compare: the same layers under every registered dataflow. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

void pesim_cli_compare_help(FILE *out)
{
    fputs(
        "usage: pesim compare --arch ARCH --workload WORKLOAD [options]\n"
        "\n"
        "Run the selected layers under every registered dataflow (in the\n"
        "registry's order) and report them side by side: cycles, latency,\n"
        "energy, utilization, DRAM accesses and the energy breakdown.\n"
        "\n"
        "options:\n"
        PESIM_CLI_HELP_INPUTS
        "  --set KEY=VALUE      override an architecture key (repeatable)\n"
        "  --dataflows LIST     only these dataflows, in this order (e.g.\n"
        "                       ws,os,rs); default: every registered one\n"
        "  --iso-area           give every dataflow the storage area of ARCH,\n"
        "                       re-split between its RFs and the GLB\n"
        "                       (docs/dataflows.md, \"Iso-area\")\n"
        PESIM_CLI_HELP_PROGRESS
        PESIM_CLI_HELP_OUTPUTS
        "\n"
        "exit status: 0 success, 1 simulation failure (a dataflow has no valid\n"
        "mapping for a layer), 2 bad input.\n"
        "\n"
        "example:\n"
        "  pesim compare --arch eyeriss-v1 --workload alexnet --layers conv "
        "--batch 4\n",
        out);
}

struct job {
    enum pesim_format format;
    struct pesim_report_ctx ctx;
    const struct pesim_run *runs;
    size_t n;
};

static int write_compare(FILE *out, const void *data)
{
    const struct job *j = data;
    int rc = pesim_report_compare(out, j->format, &j->ctx, j->runs, j->n);
    /* The book (Sze et al., ch. 5) compares dataflows by energy per MAC on
     * fixed hardware; the default maps each for its fewest cycles. The
     * report names no option (the library's text never does): the CLI
     * says which one gives the book's comparison. */
    if (rc || j->format != PESIM_FORMAT_TEXT || j->ctx.objective != PESIM_OBJECTIVE_LATENCY)
        return rc;
    fputs("\n(mapped for latency; the book compares dataflows by energy: add "
          "--objective energy)\n", out);
    return ferror(out) ? PESIM_E_IO : 0;
}

/* The dataflows to compare: --dataflows LIST in its order (each a
 * registered name, once), else those the architecture's PEs can run.
 * Fills `dfs` (room for `cap`); returns how many, 0 on a bad name. */
static size_t chosen(const struct pesim_cli_opts *o, const struct pesim_arch *arch,
                     const pesim_dataflow **dfs, size_t cap, pesim_diags *d)
{
    size_t n = 0;
    if (!o->dataflows) {
        for (size_t i = 0; i < pesim_df_compared_count(arch) && n < cap; i++)
            dfs[n++] = pesim_df_compared(arch, i);
        return n;
    }
    for (const char *p = o->dataflows; *p && n < cap;) {
        char name[64];
        size_t len = strcspn(p, ",");
        snprintf(name, sizeof name, "%.*s", (int)(len < 63 ? len : 63), p);
        const pesim_dataflow *df = len < 63 ? pesim_df_find(name) : NULL;
        if (!df) {
            pesim_diags_add(d, o->cmd, 0, 0, "--dataflows: no dataflow '%.*s' is registered",
                            (int)len, p);
            return 0;
        }
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            seen = seen || dfs[k] == df;
        if (!seen)
            dfs[n++] = df;
        p += len + (p[len] == ',');
    }
    return n;
}

int pesim_cli_compare(int argc, char **argv)
{
    struct pesim_cli_opts o;
    struct pesim_arch arch;
    struct pesim_workload wl = {0};
    struct pesim_layer_result *res = NULL;
    struct pesim_run *runs = NULL;
    size_t ndf = 0;
    int status = PESIM_EXIT_INPUT;
    pesim_diags *d = pesim_diags_create();
    if (!d) {
        fputs("pesim: out of memory\n", stderr);
        return PESIM_EXIT_SIM;
    }

    int e = pesim_cli_parse(&o, "pesim compare",
                            PESIM_CLI_OPT_ISO | PESIM_CLI_OPT_PROGRESS | PESIM_CLI_OPT_DATAFLOWS,
                            argc, argv, d);
    if (!e && o.help) {
        pesim_cli_compare_help(stdout);
        status = PESIM_EXIT_OK;
        goto out;
    }
    if (e || pesim_cli_load(&o, &arch, &wl, d) != 0)
        goto out;
    const pesim_dataflow *dfs[64];
    ndf = chosen(&o, &arch, dfs, 64, d);
    if (ndf == 0) {
        if (!o.dataflows)
            pesim_diags_add(d, o.cmd, 0, 0, "no dataflow is registered");
        status = o.dataflows ? PESIM_EXIT_INPUT : PESIM_EXIT_SIM;
        goto out;
    }

    res = calloc(ndf * wl.count, sizeof *res);
    runs = calloc(ndf, sizeof *runs);
    if (!res || !runs) {
        pesim_diags_add(d, o.cmd, 0, 0, "out of memory");
        status = PESIM_EXIT_SIM;
        goto out;
    }
    /* Every dataflow runs even after one fails, so that one invocation
     * reports every layer that has no valid mapping. */
    status = PESIM_EXIT_OK;
    struct pesim_cli_progress pr;
    pesim_cli_progress_start(&pr, "compare", o.progress);
    pr.df_n = ndf;
    for (size_t i = 0; i < ndf; i++) {
        const pesim_dataflow *df = dfs[i];
        runs[i].dataflow = pesim_df_name(df);
        runs[i].layers = res + i * wl.count;
        runs[i].n = wl.count;
        struct pesim_arch own = arch;
        if (o.iso_area)
            df = pesim_df_iso(df); /* the study's version, same name */
        if (o.iso_area && pesim_df_iso_area(df, &arch, &own)) {
            pesim_diags_add(d, o.cmd, 0, 0,
                            "--iso-area: the architecture is in the general form "
                            "(levels:), expected the three-level shorthand");
            status = PESIM_EXIT_INPUT;
            break;
        }
        pr.df = runs[i].dataflow;
        pr.df_i = i;
        if (pesim_sim_network_watched(&own, &wl, df, o.engine, o.objective, o.threads,
                                      pesim_cli_progress_show, &pr, res + i * wl.count,
                                      &runs[i].total, d))
            status = PESIM_EXIT_SIM;
    }
    pesim_cli_progress_end(&pr);
    if (status)
        goto out;

    char *command = pesim_cli_command_line("pesim compare", argc, argv);
    struct job job = {o.format, {&arch, wl.name, command, o.objective, false}, runs, ndf};
    status = pesim_cli_output(o.output, write_compare, &job, d)
                 ? PESIM_EXIT_INPUT
                 : PESIM_EXIT_OK;
    free(command);
out:
    pesim_cli_print_diags(d, stderr);
    pesim_diags_destroy(d);
    free(runs);
    free(res);
    pesim_workload_free(&wl);
    pesim_cli_opts_free(&o);
    return status;
}
