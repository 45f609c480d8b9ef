/* pesim report: charts and an HTML page from the JSON of run/compare or a
 * sweep's results (docs/reports.md). The drawing is gnuplot's, driven by
 * reportgen/; this file reads the options and puts the steps in order. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/file.h"
#include "reportgen/reportgen.h"

void pesim_cli_report_help(FILE *out)
{
    fputs("usage: pesim report INPUT... [-o report.html] [options]\n"
          "       pesim report INPUT... --format png|svg|pdf -o DIR/ [options]\n"
          "\n"
          "Draw the results of pesim as charts (with gnuplot) and put them, each\n"
          "with the table of its numbers, in one self-contained HTML page, or write\n"
          "each chart as its own figure sized for one column of a paper\n"
          "(docs/reports.md). An INPUT is the JSON of `pesim run` or `pesim compare`\n"
          "(--format json) or a sweep's results (CSV or JSON lines).\n"
          "\n"
          "options:\n"
          "  -o, --output PATH    html: the page (default: the first INPUT's name\n"
          "                       with .html, in the current folder: c.json gives\n"
          "                       c.html; '-': stdout); svg/pdf/png: a folder ending\n"
          "                       in '/' (or existing), or a file-name prefix\n"
          "                       (figs/alexnet- gives figs/alexnet-NAME.png; default\n"
          "                       the folder c-figures/); missing folders are made\n"
          "  --format FMT         html (default), svg, pdf or png\n"
          "  --keep-scripts DIR   leave each chart's gnuplot script (NAME.gp) and\n"
          "                       data (NAME.dat) in DIR, to restyle by hand\n"
          "  --x AXIS, --y AXIS   sweep heatmap axes (default: the first two numeric\n"
          "                       axes); --x is also the line chart's axis\n"
          "  --metric COLUMN      sweep metric of the heatmap and lines\n"
          "                       (default: energy_per_mac)\n"
          "  --pareto A,B[,C]     sweep: the scatter's metric columns (x, y and\n"
          "                       colour), all minimized, e.g. latency_us,area\n"
          "                       (default: latency_us,energy_total)\n"
          "  --dataflows LIST     run/compare: only these dataflows, in this order\n"
          "                       (e.g. ws,os,rs)\n"
          "  -h, --help           show this help\n"
          "\n"
          "Needs gnuplot (Debian: apt-get install gnuplot-nox); nothing else in pesim\n"
          "does. exit status: 0 success, 1 gnuplot failed, 2 bad input or no gnuplot.\n"
          "\n"
          "example:\n"
          "  pesim compare --arch eyeriss-v1 --workload alexnet --layers conv --batch 4 \\\n"
          "      --format json -o c.json && pesim report c.json -o report.html\n",
          out);
}

enum { MAX_INPUTS = 64 };

struct report_opts {
    const char *inputs[MAX_INPUTS];
    size_t ninputs;
    const char *output, *keep, *format, *pareto, *dataflows;
    char pareto_buf[256];
    char *named; /* the default output when no -o: owned */
    struct pesim_rg_sweep_opts sweep;
    enum pesim_rg_format fmt;
    bool help;
};

/* The valued options, then the flags. */
static const char *const names[] = {"-o",       "--output", "--format",   "--keep-scripts",
                                    "--x",      "--y",      "--metric",   "--pareto",
                                    "--dataflows", "-h",   "--help"};
enum { NVALUED = 9 };

/* The option's value slot, or NULL when `a` is not a valued option. */
static const char **slot(struct report_opts *o, const char *a, size_t n)
{
    const char **slots[NVALUED] = {&o->output, &o->output, &o->format, &o->keep,
                                   &o->sweep.x, &o->sweep.y, &o->sweep.metric, &o->pareto,
                                   &o->dataflows};
    for (size_t i = 0; i < NVALUED; i++)
        if (strlen(names[i]) == n && strncmp(a, names[i], n) == 0)
            return slots[i];
    return NULL;
}

static int parse_format(struct report_opts *o, pesim_diags *d)
{
    static const char *const names[] = {"html", "svg", "pdf", "png"};
    for (int i = 0; i < 4; i++)
        if (!o->format || strcmp(o->format, names[i]) == 0) {
            o->fmt = (enum pesim_rg_format)i;
            return 0;
        }
    pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE,
                     "pesim report", 0, 0, "--format: got '%s', expected html, svg, pdf or png",
                     o->format);
    return PESIM_E_INVALID;
}

/* --pareto A,B[,C]: two or three column names. */
static int parse_pareto(struct report_opts *o, pesim_diags *d)
{
    if (!o->pareto)
        return 0;
    size_t n = 0;
    snprintf(o->pareto_buf, sizeof o->pareto_buf, "%s", o->pareto);
    for (char *p = o->pareto_buf; *p && n < 4;) {
        size_t len = strcspn(p, ",");
        o->sweep.pareto[n++] = p;
        bool more = p[len] == ',';
        p[len] = 0;
        p += len + more;
    }
    if (n < 2 || n > 3 || strlen(o->pareto) >= sizeof o->pareto_buf) {
        pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, "pesim report", 0, 0,
                         "--pareto: got '%s', expected two or three metric columns, e.g. "
                         "latency_us,energy_total or latency_us,energy_total,area",
                         o->pareto);
        return PESIM_E_INVALID;
    }
    return 0;
}

static int parse(int argc, char **argv, struct report_opts *o, pesim_diags *d)
{
    int rc = 0;
    memset(o, 0, sizeof *o);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *eq = strchr(a, '=');
        size_t n = a[0] == '-' && eq ? (size_t)(eq - a) : strlen(a);
        const char **val = a[0] == '-' ? slot(o, a, n) : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            o->help = true;
        } else if (val && a[n] == '=') {
            *val = a + n + 1;
        } else if (val && i + 1 < argc) {
            *val = argv[++i];
        } else if (val) {
            pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, "pesim report", 0, 0, "%s: missing value", a);
            rc = PESIM_E_INVALID;
        } else if (a[0] == '-' && a[1]) {
            rc = pesim_cli_unknown_option(d, "pesim report", a, names,
                                          sizeof names / sizeof names[0], NULL);
        } else if (o->ninputs == MAX_INPUTS) {
            pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE,
                             "pesim report", 0, 0, "more than %d inputs", MAX_INPUTS);
            rc = PESIM_E_INVALID;
        } else {
            o->inputs[o->ninputs++] = a;
        }
    }
    rc |= parse_format(o, d);
    rc |= parse_pareto(o, d);
    if (!rc && !o->help && o->ninputs == 0) {
        pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, "pesim report", 0, 0,
                         "missing INPUT: the JSON of pesim run/compare or a sweep's results");
        rc = PESIM_E_INVALID;
    }
    return rc ? PESIM_E_INVALID : 0;
}

/* Without -o: in the current folder, named after the first input without
 * its folder and extension — c.json gives c.html, or c-figures/ for the
 * figures — so that a page never floods a terminal. */
static char *default_output(const char *input, enum pesim_rg_format fmt)
{
    const char *base = strrchr(input, '/') ? strrchr(input, '/') + 1 : input;
    const char *dot = strrchr(base, '.');
    int n = (int)(dot && dot != base ? (size_t)(dot - base) : strlen(base));
    const char *tail = fmt == PESIM_RG_HTML ? ".html" : "-figures/";
    size_t size = (size_t)n + strlen(tail) + 8;
    char *p = malloc(size);
    if (p)
        snprintf(p, size, "%.*s%s", n ? n : 6, n ? base : "report", tail);
    return p;
}

/* "pesim report ARGS", arguments with spaces or quotes single-quoted. */
static char *command_line(int argc, char **argv)
{
    size_t n = 16;
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) * 4 + 3;
    char *s = malloc(n), *p = s;
    if (!s)
        return NULL;
    p += sprintf(p, "pesim report");
    for (int i = 0; i < argc; i++) {
        bool q = argv[i][strcspn(argv[i], " \t'\"$\\")] != 0;
        *p++ = ' ';
        if (q)
            *p++ = '\'';
        for (const char *c = argv[i]; *c; c++)
            p += *c == '\'' ? sprintf(p, "'\\''") : sprintf(p, "%c", *c);
        if (q)
            *p++ = '\'';
    }
    *p = 0;
    return s;
}

/* The folder the scripts and data go to: --keep-scripts DIR (made when
 * missing, with its parents) or a new temporary one. */
static int work_dir(const char *keep, char *buf, size_t size, pesim_diags *d)
{
    if (keep) {
        if (strlen(keep) >= size) {
            pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, keep, 0, 0,
                             "--keep-scripts: the folder name is too long");
            return PESIM_E_INVALID;
        }
        snprintf(buf, size, "%s", keep);
        return pesim_mkdirs(keep, d);
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, size, "%s/pesim-report.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(buf)) {
        pesim_diags_add(d, buf, 0, 0, "cannot create a temporary folder: %s", strerror(errno));
        return PESIM_E_IO;
    }
    return 0;
}

/* Figures go to PREFIX + NAME.EXT. A folder (ending in '/' or existing)
 * gets a '/'; missing folders are made when the figures are written. */
static char *figure_prefix(const char *output)
{
    struct stat sb;
    const char *o = output && output[0] && strcmp(output, "-") ? output : "./";
    size_t n = strlen(o);
    bool dir = o[n - 1] != '/' && stat(o, &sb) == 0 && S_ISDIR(sb.st_mode);
    char *p = malloc(n + 2);
    if (p)
        snprintf(p, n + 2, "%s%s", o, dir ? "/" : "");
    return p;
}

static int write_page(FILE *out, const void *data)
{
    return pesim_rg_html_write(out, data);
}

struct job {
    struct pesim_rg_input in[MAX_INPUTS];
    struct pesim_rg_chart_list charts[MAX_INPUTS];
    size_t n;
};

static int load_all(const struct report_opts *o, struct job *j, pesim_diags *d)
{
    int rc = 0;
    for (size_t i = 0; i < o->ninputs; i++) {
        char prefix[32] = "";
        if (o->ninputs > 1)
            snprintf(prefix, sizeof prefix, "%zu-", i + 1);
        j->n = i + 1;
        int r = pesim_rg_input_load(o->inputs[i], &j->in[i], d);
        if (!r && o->dataflows)
            r = pesim_rg_input_keep_dataflows(&j->in[i], o->dataflows, d);
        if (!r)
            r = pesim_rg_charts_build(&j->in[i], prefix, &o->sweep, &j->charts[i], d);
        if (r == PESIM_E_NOMEM)
            return r;
        rc = rc ? rc : r;
    }
    return rc;
}

static int draw_all(const struct report_opts *o, struct job *j, const char *gnuplot,
                    const char *dir, int argc, char **argv, pesim_diags *d)
{
    char *prefix = o->fmt == PESIM_RG_HTML ? NULL : figure_prefix(o->output);
    int rc = o->fmt != PESIM_RG_HTML && !prefix ? PESIM_E_NOMEM : 0;
    for (size_t i = 0; i < j->n && !rc; i++)
        rc = pesim_rg_draw(gnuplot, &j->charts[i], dir, o->fmt, prefix, d);
    free(prefix);
    if (rc || o->fmt != PESIM_RG_HTML)
        return rc;
    char *cmd = command_line(argc, argv);
    char version[64];
    snprintf(version, sizeof version, "pesim %s", pesim_version());
    struct pesim_rg_page page = {cmd ? cmd : "pesim report", version, j->in, j->n,
                                 j->charts, dir};
    rc = pesim_cli_output(o->output, write_page, &page, d);
    free(cmd);
    return rc;
}

static int status_of(int rc)
{
    return rc == 0 ? PESIM_EXIT_OK : rc == PESIM_E_SIM || rc == PESIM_E_NOMEM ? PESIM_EXIT_SIM
                                                                             : PESIM_EXIT_INPUT;
}

int pesim_cli_report(int argc, char **argv)
{
    struct report_opts o = {0};
    struct job *j = calloc(1, sizeof *j);
    pesim_diags *d = pesim_diags_create();
    char dir[4096] = "";
    int rc = PESIM_E_NOMEM;
    if (!d || !j)
        goto out;
    if ((rc = parse(argc, argv, &o, d)))
        goto out;
    if (o.help) {
        pesim_cli_report_help(stdout);
        goto out;
    }
    const char *gnuplot = pesim_rg_gnuplot_find();
    if (!gnuplot) {
        pesim_diags_addc(d, PESIM_DIAG_REPORT_TOOL, "pesim report", 0, 0,
                         "gnuplot not found on PATH; pesim report draws its charts with it: "
                         "install it (Debian: apt-get install gnuplot-nox)");
        rc = PESIM_E_NOTFOUND;
        goto out;
    }
    if (!o.output && !(o.output = o.named = default_output(o.inputs[0], o.fmt))) {
        rc = PESIM_E_NOMEM;
        goto out;
    }
    if ((rc = load_all(&o, j, d)) || (rc = work_dir(o.keep, dir, sizeof dir, d)))
        goto out;
    rc = draw_all(&o, j, gnuplot, dir, argc, argv, d);
    if (!rc && o.named)
        printf("pesim report: wrote %s\n", o.named);
out:
    if (dir[0] && !o.keep)
        for (size_t i = 0; i < j->n; i++)
            pesim_rg_clean(&j->charts[i], dir);
    for (size_t i = 0; j && i < j->n; i++) {
        pesim_rg_charts_free(&j->charts[i]);
        pesim_rg_input_free(&j->in[i]);
    }
    if (d)
        pesim_cli_print_diags(d, stderr);
    else
        fputs("pesim: out of memory\n", stderr);
    pesim_diags_destroy(d);
    free(j);
    free(o.named);
    return status_of(rc);
}
