/* pesim sweep: run a sweep spec, merge shard parts, print Pareto fronts
 * (docs/sweeps.md). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "pesim/sweep.h"

void pesim_cli_sweep_help(FILE *out)
{
    fputs("usage: pesim sweep SPEC -o results.csv [options]\n"
          "       pesim sweep merge -o results.csv PART...\n"
          "       pesim sweep pareto results.csv --min METRIC --min METRIC [--max METRIC]\n"
          "\n"
          "Run every point of a sweep spec (axes over architecture keys, dataflow,\n"
          "batch, workload, layers; constraints), mapping and simulating each, and\n"
          "write one row per point (docs/sweeps.md). Killed and started again with\n"
          "the same command, it resumes from its journal (FILE.journal) and ends\n"
          "with the same bytes as an uninterrupted run. The journal records the\n"
          "spec and every file it reads (architecture, workloads, energy tables):\n"
          "if one has changed, the resume is refused; --fresh starts afresh.\n"
          "\n"
          "options:\n"
          "  -o, --output FILE    results (required); written only when complete\n"
          "  --format FMT         csv (default) or jsonl\n"
          "  --threads N          points at once (default 0: one per core); the\n"
          "                       output does not depend on N (--jobs N: the same)\n"
          "  --shard K/N          run shard K of N and write a part for `merge`\n"
          "  --fresh              discard FILE.journal and run every point again\n"
          "  --progress           the live progress line even when stderr is not a\n"
          "                       terminal (default: live on a terminal, else a line\n"
          "                       every 10 s)\n"
          "  --quiet              no progress on stderr\n"
          "  -h, --help           show this help (merge --help, pareto --help: theirs)\n"
          "\n"
          "exit status: 0 success (points that cannot be mapped are rows with a\n"
          "status); 2 bad input, nothing run or written (spec errors, a journal of\n"
          "other inputs, an -o pesim cannot write, torn or foreign parts, a torn\n"
          "CSV or a metric that is not a number for pareto); 1 a failure while\n"
          "running or writing.\n"
          "\n"
          "example:\n"
          "  pesim sweep docs/examples/sweep-shape.yaml -o shape.csv\n",
          out);
}

static void merge_help(FILE *out)
{
    fputs("usage: pesim sweep merge -o results.csv PART...\n"
          "\n"
          "Join the parts that `pesim sweep SPEC --shard K/N` wrote into the bytes\n"
          "of the single run (docs/sweeps.md, \"Shards\"). Refused, nothing written:\n"
          "parts that are torn, incomplete, repeated or of different sweeps.\n"
          "\n"
          "options:\n"
          "  -o, --output FILE    the merged results (required; missing folders\n"
          "                       are made)\n"
          "  -h, --help           show this help\n"
          "\n"
          "exit status: 0 success, 2 bad input, 1 a failure while writing.\n"
          "\n"
          "example:\n"
          "  pesim sweep merge -o shape.csv part-1.csv part-2.csv\n",
          out);
}

static void pareto_help(FILE *out)
{
    fputs("usage: pesim sweep pareto results.csv --min METRIC --min METRIC [--max METRIC]\n"
          "\n"
          "Print the rows of a sweep's results that no other row beats on every\n"
          "metric (2 or 3 of them, each minimized or maximized): the Pareto front\n"
          "(docs/sweeps.md, \"Pareto fronts\").\n"
          "\n"
          "options:\n"
          "  --min METRIC         a column to minimize (latency, energy, ...)\n"
          "  --max METRIC         a column to maximize\n"
          "  -o, --output FILE    write there instead of stdout (only on success)\n"
          "  -h, --help           show this help\n"
          "\n"
          "exit status: 0 success, 2 bad input (a torn file, a metric that is not\n"
          "a number).\n"
          "\n"
          "example:\n"
          "  pesim sweep pareto shape.csv --min latency --min energy\n",
          out);
}

/* The options of each form, for the nearest one to a misspelling. */
static const char *const spec_options[] = {"-o", "--output", "--format", "--threads", "--jobs",
                                           "--shard", "--fresh", "--progress", "--quiet",
                                           "-h", "--help"};
static const char *const merge_options[] = {"-o", "--output", "-h", "--help"};
static const char *const pareto_options[] = {"--min", "--max", "-o", "--output", "-h",
                                             "--help"};
#define UNKNOWN(d, cmd, arg, list) \
    pesim_cli_unknown_option(d, cmd, arg, list, sizeof list / sizeof list[0], NULL)

static bool is_help(const char *a)
{
    return !strcmp(a, "-h") || !strcmp(a, "--help");
}

static int need(int i, int argc, const char *opt, pesim_diags *d)
{
    if (i + 1 < argc)
        return 0;
    pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, "pesim sweep", 0, 0, "%s: missing value", opt);
    return PESIM_E_INVALID;
}

static int parse_uint(const char *s, unsigned max, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || s[0] == '-' || v > max)
        return PESIM_E_INVALID;
    *out = (unsigned)v;
    return 0;
}

/* The progress line (docs/sweeps.md, "Running"): on a terminal one line
 * rewritten in place, otherwise a line per report. */
static void show_progress(const struct pesim_sweep_progress *p, void *ctx)
{
    bool tty = *(const bool *)ctx;
    fprintf(stderr, "%s%s: %zu/%zu points, %.1f points/s, ETA %02d:%02d, %zu failed",
            tty ? "\r" : "", p->name, p->done, p->total, p->rate, (int)(p->eta_s / 60),
            (int)p->eta_s % 60, p->failed);
    if (p->last)
        fprintf(stderr, "; %zu resumed from the journal; %zu of %zu layer results reused",
                p->resumed, p->reused, p->lookups);
    fputs(tty && !p->last ? "  " : "\n", stderr);
    fflush(stderr);
}

static const char *format_at(unsigned i)
{
    return pesim_sweep_format_name((enum pesim_sweep_format)i);
}

static int run_spec(int argc, char **argv, pesim_diags *d)
{
    struct pesim_sweep_opts o = {0};
    bool quiet = false, forced = false;
    const char *spec = NULL;
    int rc = 0;
    for (int i = 0; i < argc && !rc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!(rc = need(i, argc, a, d)))
                o.output = argv[++i];
        } else if (!strcmp(a, "--format")) {
            if (!(rc = need(i, argc, a, d))) {
                const char *f = argv[++i];
                if (pesim_sweep_format_parse(f, &o.format)) {
                    char names[64];
                    pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, "--format", 0, 0, "got '%s', expected %s", f,
                                    pesim_cli_names(names, sizeof names, format_at,
                                                    PESIM_SWEEP_FORMAT_COUNT, " or "));
                    rc = PESIM_E_INVALID;
                }
            }
        } else if (!strcmp(a, "--threads") || !strcmp(a, "--jobs")) {
            if (!(rc = need(i, argc, a, d)) && parse_uint(argv[++i], 256, &o.jobs)) {
                pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE,
                                 a, 0, 0, "got '%s', expected an integer in [0, 256]",
                                 argv[i]);
                rc = PESIM_E_INVALID;
            }
            o.jobs = pesim_cli_threads(o.jobs, 256);
        } else if (!strcmp(a, "--shard")) {
            if (!(rc = need(i, argc, a, d))) {
                const char *v = argv[++i], *slash = strchr(v, '/');
                char k[16] = "";
                if (slash && (size_t)(slash - v) < sizeof k)
                    memcpy(k, v, (size_t)(slash - v));
                if (!slash || parse_uint(k, 100000, &o.shard_k) ||
                    parse_uint(slash + 1, 100000, &o.shard_n) || o.shard_k < 1 ||
                    o.shard_k > o.shard_n) {
                    pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE,
                                     "--shard", 0, 0, "got '%s', expected K/N with "
                                     "1 <= K <= N", v);
                    rc = PESIM_E_INVALID;
                }
            }
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "--progress")) {
            quiet = a[2] == 'q';
            forced = !quiet;
        } else if (!strcmp(a, "--fresh")) {
            o.fresh = true;
        } else if (is_help(a)) {
            pesim_cli_sweep_help(stdout);
            return PESIM_EXIT_OK;
        } else if (a[0] == '-' && a[1]) {
            rc = UNKNOWN(d, "pesim sweep", a, spec_options);
        } else if (spec) {
            pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE,
                             "pesim sweep", 0, 0, "got a second spec '%s', expected one", a);
            rc = PESIM_E_INVALID;
        } else {
            spec = a;
        }
    }
    if (!rc && (!spec || !o.output)) {
        pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE,
                         "pesim sweep", 0, 0, "missing %s, expected pesim sweep SPEC -o "
                         "FILE", spec ? "-o FILE" : "SPEC");
        rc = PESIM_E_INVALID;
    }
    if (rc)
        return PESIM_EXIT_INPUT;
    pesim_sweep *s;
    if (pesim_sweep_load(spec, &s, d))
        return PESIM_EXIT_INPUT;
    o.spec_path = spec;
    /* A live line on a terminal (or forced), a line every 10 seconds in a
     * log. */
    bool tty = forced || isatty(STDERR_FILENO);
    if (!quiet) {
        o.progress = show_progress;
        o.progress_ctx = &tty;
        o.progress_every_s = tty ? 0.2 : 10;
    }
    rc = pesim_sweep_run(s, &o, d);
    pesim_sweep_free(s);
    return rc == 0 ? PESIM_EXIT_OK : rc == PESIM_E_INVALID ? PESIM_EXIT_INPUT : PESIM_EXIT_SIM;
}

static int merge(int argc, char **argv, pesim_diags *d)
{
    const char *out = NULL;
    const char **parts = calloc((size_t)argc + 1, sizeof *parts);
    size_t n = 0;
    int rc = parts ? 0 : PESIM_E_NOMEM;
    for (int i = 0; i < argc && !rc; i++) {
        if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
            if (!(rc = need(i, argc, argv[i], d)))
                out = argv[++i];
        } else if (is_help(argv[i])) {
            merge_help(stdout);
            free(parts);
            return PESIM_EXIT_OK;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            rc = UNKNOWN(d, "pesim sweep merge", argv[i], merge_options);
        } else {
            parts[n++] = argv[i];
        }
    }
    if (!rc && !out) {
        pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, "pesim sweep merge", 0, 0, "missing -o FILE");
        rc = PESIM_E_INVALID;
    }
    if (!rc)
        rc = pesim_sweep_merge(parts, n, out, d);
    free(parts);
    return rc == 0 ? PESIM_EXIT_OK : rc == PESIM_E_IO ? PESIM_EXIT_SIM : PESIM_EXIT_INPUT;
}

static int pareto_write(FILE *out, const void *data);

struct pareto_job {
    const char *file;
    const char *metric[4];
    bool max[4];
    size_t n;
    pesim_diags *d;
};

static int pareto_write(FILE *out, const void *data)
{
    const struct pareto_job *j = data;
    return pesim_sweep_pareto(j->file, j->metric, j->max, j->n, out, j->d);
}

static int pareto(int argc, char **argv, pesim_diags *d)
{
    struct pareto_job j = {.d = d};
    const char *out = NULL;
    int rc = 0;
    for (int i = 0; i < argc && !rc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--min") || !strcmp(a, "--max")) {
            if (!(rc = need(i, argc, a, d))) {
                if (j.n == 3) {
                    pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE,
                                     "pesim sweep pareto", 0, 0, "more than 3 metrics, "
                                     "expected 2 or 3");
                    rc = PESIM_E_INVALID;
                } else {
                    j.max[j.n] = a[3] == 'a';
                    j.metric[j.n++] = argv[++i];
                }
            }
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!(rc = need(i, argc, a, d)))
                out = argv[++i];
        } else if (is_help(a)) {
            pareto_help(stdout);
            return PESIM_EXIT_OK;
        } else if (a[0] == '-' && a[1]) {
            rc = UNKNOWN(d, "pesim sweep pareto", a, pareto_options);
        } else if (!j.file) {
            j.file = a;
        } else {
            pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE,
                             "pesim sweep pareto", 0, 0, "unexpected '%s', expected FILE "
                             "--min METRIC --min METRIC", a);
            rc = PESIM_E_INVALID;
        }
    }
    if (!rc && !j.file) {
        pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE,
                         "pesim sweep pareto", 0, 0, "missing the results FILE");
        rc = PESIM_E_INVALID;
    }
    if (!rc)
        rc = pesim_cli_output(out, pareto_write, &j, d);
    return rc ? PESIM_EXIT_INPUT : PESIM_EXIT_OK;
}

int pesim_cli_sweep(int argc, char **argv)
{
    pesim_diags *d = pesim_diags_create();
    if (!d) {
        fputs("pesim: out of memory\n", stderr);
        return PESIM_EXIT_SIM;
    }
    int status;
    if (argc >= 1 && !strcmp(argv[0], "merge")) {
        status = merge(argc - 1, argv + 1, d);
    } else if (argc >= 1 && !strcmp(argv[0], "pareto")) {
        status = pareto(argc - 1, argv + 1, d);
    } else {
        status = run_spec(argc, argv, d);
    }
    pesim_cli_print_diags(d, stderr);
    pesim_diags_destroy(d);
    return status;
}
