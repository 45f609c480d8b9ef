/* pesim import: a workload in any format pesim reads (SCALE-Sim CSV,
 * Timeloop YAML, ONNX, or pesim's own) written as pesim's workload YAML. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/file.h"

void pesim_cli_import_help(FILE *out)
{
    fputs("usage: pesim import FILE [-o net.yaml] [--layers SEL] [--batch N]\n"
          "       pesim import ARCH.yaml [--ert ERT.yaml] [-o arch.yaml]\n"
          "       pesim import SCALE.cfg [-o arch.yaml]\n"
          "       pesim import MAP.yaml|MAP.txt --arch ARCH.yaml [--workload PROB.yaml]\n"
          "                    [-o mapping.yaml]\n"
          "\n"
          "Read a workload and write it as pesim's workload YAML\n"
          "(docs/workloads.md). FILE is a SCALE-Sim topology (.csv), an ONNX\n"
          "model (.onnx), a Timeloop problem (YAML with a top-level `problem`),\n"
          "a pesim workload YAML or a shipped network name. `--workload FILE`\n"
          "reads the same files directly; import shows what pesim understood\n"
          "and gives a file to edit.\n"
          "\n"
          "A Timeloop architecture (top-level `architecture:`) is written as\n"
          "pesim's architecture YAML (general `levels:` form; --ert prices its\n"
          "levels from an Accelergy ERT); a Timeloop mapping (`mapping:` list, or\n"
          "a timeloop-*.map.txt printout) as pesim's mapping YAML, read against\n"
          "--arch (its Timeloop spec) and the dimension names of --workload (a\n"
          "Timeloop problem; default: Timeloop's cnn-layer names). docs/timeloop.md.\n"
          "A SCALE-Sim configuration (.cfg with [architecture_presets]) is written\n"
          "as the pesim architecture of its systolic array (docs/systolic.md).\n"
          "\n"
          "options:\n"
          "  --layers SEL         keep only these layers (names, first:last, kinds)\n"
          "  --batch N            batch size N of every conv and fc layer\n"
          "  --arch FILE          the Timeloop spec a Timeloop mapping is for\n"
          "  --workload FILE      the Timeloop problem a Timeloop mapping is for\n"
          "  --ert FILE           price an imported Timeloop arch from this ERT\n"
          "  -o, --output FILE    write there instead of stdout (only on success)\n"
          "  -h, --help           show this help\n"
          "\n"
          "exit status: 0 success, 2 bad input.\n"
          "\n"
          "example:\n"
          "  pesim import tests/importers/data/alexnet_scalesim.csv -o alexnet.yaml\n"
          "  pesim import examples/scalesim/os-32x32.cfg -o os-32x32.yaml\n"
          "  pesim import tests/timeloop/cases/tl01-os/map.yaml --arch \\\n"
          "      tests/timeloop/cases/tl01-os/arch.yaml -o map.yaml\n",
          out);
}

struct import_opts {
    const char *file, *output, *layers, *batch;
    const char *arch, *workload, *ert; /* Timeloop mappings and archs */
    bool help;
};

/* The valued options and where each goes; then the flags. */
static const char *const options[] = {"-o", "--output", "--layers", "--layer", "--batch",
                                      "--arch", "--workload", "--ert", "-h", "--help"};
enum { NVALUED = 8 };

static const char **slot(struct import_opts *o, const char *a)
{
    const char **slots[NVALUED] = {&o->output, &o->output, &o->layers, &o->layers,
                                   &o->batch, &o->arch, &o->workload, &o->ert};
    for (size_t i = 0; i < NVALUED; i++)
        if (!strcmp(a, options[i]))
            return slots[i];
    return NULL;
}

/* Every problem to diags; 0 or PESIM_E_INVALID. */
static int parse(int argc, char **argv, struct import_opts *o, pesim_diags *d)
{
    memset(o, 0, sizeof *o);
    int rc = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            o->help = true;
            continue;
        }
        const char **val = slot(o, a);
        if (val) {
            if (i + 1 >= argc) {
                pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE,
                                 "pesim import", 0, 0, "%s: missing value", a);
                rc = PESIM_E_INVALID;
            } else {
                *val = argv[++i];
            }
        } else if (a[0] == '-' && a[1]) {
            rc = pesim_cli_unknown_option(d, "pesim import", a, options,
                                          sizeof options / sizeof options[0], NULL);
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

static int write_text(FILE *out, const void *data)
{
    return fputs(data, out) < 0 ? PESIM_E_IO : 0;
}

/* What FILE is: a Timeloop architecture or mapping, or a workload. */
enum kind { IMPORT_WORKLOAD, IMPORT_TL_ARCH, IMPORT_TL_MAPPING };

static enum kind kind_of(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    enum kind k = IMPORT_WORKLOAD;
    if (pesim_file_read(path, NULL, &text, &len, NULL))
        return k;
    if (pesim_tl_is_arch(text, len) || pesim_sc_is_cfg(text, len))
        k = IMPORT_TL_ARCH; /* an architecture: pesim_cli_load_arch reads either */
    else if (pesim_tl_is_mapping(text, len) || pesim_tl_is_map_txt(text, len))
        k = IMPORT_TL_MAPPING;
    free(text);
    return k;
}

/* A Timeloop spec or mapping as pesim YAML (docs/timeloop.md). */
static int import_timeloop(const struct import_opts *o, enum kind k, pesim_diags *d)
{
    char *yaml = NULL;
    int e;
    if (k == IMPORT_TL_ARCH) {
        struct pesim_arch arch;
        struct pesim_tl_arch tl;
        e = pesim_cli_load_arch(o->file, &arch, &tl, &yaml, d);
        if (!e && o->ert) {
            e = pesim_cli_apply_ert(o->ert, &tl, &arch, d);
            if (!e) {
                char *priced = pesim_cli_yaml_with_energies(yaml, &arch);
                free(yaml);
                yaml = priced;
                e = yaml ? 0 : PESIM_E_NOMEM;
            }
        }
    } else {
        if (!o->arch) {
            pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, "pesim import", 0, 0,
                             "%s is a Timeloop mapping: its targets are names of the "
                             "architecture, expected --arch with its Timeloop spec", o->file);
            return PESIM_E_INVALID;
        }
        struct pesim_mapping_set set = {0};
        e = pesim_cli_load_mappings(o->file, o->arch, o->workload, &set, &yaml, d);
        pesim_mapping_set_free(&set);
    }
    if (!e)
        e = pesim_cli_output(o->output, write_text, yaml, d);
    free(yaml);
    return e;
}

/* --batch: a decimal integer; the range is the workload's to check. */
static int parse_batch(const char *text, uint64_t *v, pesim_diags *d)
{
    char *end;
    errno = 0;
    unsigned long long u = strtoull(text, &end, 10);
    if (!*text || *end || text[0] == '-' || errno) {
        pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE,
                         "--batch", 0, 0, "got '%s', expected a positive integer", text);
        return PESIM_E_INVALID;
    }
    *v = u;
    return 0;
}

static int apply_batch(struct pesim_workload *wl, uint64_t v, pesim_diags *d)
{
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
    enum kind k = kind_of(o.file);
    if (k != IMPORT_WORKLOAD) {
        if ((o.layers || o.batch) && pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, "pesim import",
                                                      0, 0, "--layers and --batch are for "
                                                      "workloads, expected them with a "
                                                      "workload FILE") == 0)
            goto out;
        if (!import_timeloop(&o, k, d))
            status = PESIM_EXIT_OK;
        goto out;
    }
    if (o.arch || o.ert) {
        pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, "pesim import", 0, 0,
                         "--arch and --ert are for Timeloop mappings and architectures, "
                         "expected them with such a FILE");
        goto out;
    }
    /* A symbolic ONNX batch takes --batch while shapes are inferred. */
    struct pesim_onnx_batch ob = {0};
    if (o.batch && parse_batch(o.batch, &ob.batch, d))
        goto out;
    if (pesim_wl_load_any_batch(o.file, &ob, &wl, d))
        goto out;
    if (ob.symbolic && !o.batch)
        pesim_cli_note_batch(o.file, &ob);
    if (o.layers && apply_layers(&wl, o.layers, d))
        goto out;
    if (o.batch && !ob.symbolic && apply_batch(&wl, ob.batch, d))
        goto out;
    if (!pesim_cli_output(o.output, write_wl, &wl, d))
        status = PESIM_EXIT_OK;
out:
    pesim_cli_print_diags(d, stderr);
    pesim_diags_destroy(d);
    pesim_workload_free(&wl);
    return status;
}
