/* pesim import: a workload in any format pesim reads (SCALE-Sim CSV,
 * Timeloop YAML, ONNX, or pesim's own) written as pesim's workload YAML. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

void pesim_cli_import_help(FILE *out)
{
    fputs("usage: pesim import FILE [-o net.yaml] [--layers SEL] [--batch N]\n"
          "\n"
          "Read a workload and write it as pesim's workload YAML\n"
          "(docs/workloads.md). FILE is a SCALE-Sim topology (.csv), an ONNX\n"
          "model (.onnx), a Timeloop problem (YAML with a top-level `problem`),\n"
          "a pesim workload YAML or a shipped network name. `--workload FILE`\n"
          "reads the same files directly; import shows what pesim understood\n"
          "and gives a file to edit.\n"
          "\n"
          "options:\n"
          "  --layers SEL         keep only these layers (names, first:last, kinds)\n"
          "  --batch N            batch size N of every conv and fc layer\n"
          "  -o, --output FILE    write there instead of stdout (only on success)\n"
          "  -h, --help           show this help\n"
          "\n"
          "exit status: 0 success, 2 bad input.\n"
          "\n"
          "example:\n"
          "  pesim import tests/importers/data/alexnet_scalesim.csv -o alexnet.yaml\n",
          out);
}

struct import_opts {
    const char *file, *output, *layers, *batch;
    bool help;
};

/* Every problem to diags; 0 or PESIM_E_INVALID. */
static int parse(int argc, char **argv, struct import_opts *o, pesim_diags *d)
{
    memset(o, 0, sizeof *o);
    int rc = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char **val = NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            o->help = true;
            continue;
        }
        if (!strcmp(a, "-o") || !strcmp(a, "--output"))
            val = &o->output;
        else if (!strcmp(a, "--layers") || !strcmp(a, "--layer"))
            val = &o->layers;
        else if (!strcmp(a, "--batch"))
            val = &o->batch;
        if (val) {
            if (i + 1 >= argc) {
                pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE,
                                 "pesim import", 0, 0, "%s: missing value", a);
                rc = PESIM_E_INVALID;
            } else {
                *val = argv[++i];
            }
        } else if (a[0] == '-' && a[1]) {
            pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, "pesim import", 0, 0,
                             "unknown option '%s', expected -o, --layers, --batch or --help", a);
            rc = PESIM_E_INVALID;
        } else if (o->file) {
            pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, "pesim import", 0, 0,
                             "got a second input '%s', expected one FILE", a);
            rc = PESIM_E_INVALID;
        } else {
            o->file = a;
        }
    }
    if (!rc && !o->help && !o->file) {
        pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE,
                         "pesim import", 0, 0, "missing FILE, expected the workload to import");
        rc = PESIM_E_INVALID;
    }
    return rc;
}

static int write_wl(FILE *out, const void *data)
{
    return pesim_workload_write_yaml(data, out);
}

/* --batch: a decimal integer; the range is the workload's to check. */
static int apply_batch(struct pesim_workload *wl, const char *text, pesim_diags *d)
{
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (!*text || *end || text[0] == '-') {
        pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE,
                         "--batch", 0, 0, "got '%s', expected a positive integer", text);
        return PESIM_E_INVALID;
    }
    size_t before = pesim_diags_count(d);
    int rc = pesim_workload_set_batch(wl, v, d);
    /* the library names no option: its diagnostics have no file */
    return pesim_diags_set_file(d, before, "--batch") ? PESIM_E_NOMEM : rc;
}

/* --layers: the same for the selector. */
static int apply_layers(struct pesim_workload *wl, const char *sel, pesim_diags *d)
{
    size_t before = pesim_diags_count(d);
    int rc = pesim_workload_select(wl, sel, d);
    return pesim_diags_set_file(d, before, "--layer") ? PESIM_E_NOMEM : rc;
}

int pesim_cli_import(int argc, char **argv)
{
    struct import_opts o;
    struct pesim_workload wl = {0};
    int status = PESIM_EXIT_INPUT;
    pesim_diags *d = pesim_diags_create();
    if (!d) {
        fputs("pesim: out of memory\n", stderr);
        return PESIM_EXIT_SIM;
    }
    if (parse(argc, argv, &o, d))
        goto out;
    if (o.help) {
        pesim_cli_import_help(stdout);
        status = PESIM_EXIT_OK;
        goto out;
    }
    if (pesim_wl_load_any(o.file, &wl, d))
        goto out;
    if (o.layers && apply_layers(&wl, o.layers, d))
        goto out;
    if (o.batch && apply_batch(&wl, o.batch, d))
        goto out;
    if (!pesim_cli_output(o.output, write_wl, &wl, d))
        status = PESIM_EXIT_OK;
out:
    pesim_cli_print_diags(d, stderr);
    pesim_diags_destroy(d);
    pesim_workload_free(&wl);
    return status;
}
