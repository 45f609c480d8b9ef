/* Drawing a chart with gnuplot: pesim writes the chart's data file and
 * script (NAME.dat, NAME.gp) into its work folder, runs `gnuplot NAME.gp`
 * there with fork+exec (no shell), and copies the NAME.EXT it drew to the
 * requested file. gnuplot's messages go to gnuplot.log in the folder.
 * No text from an input reaches gnuplot as code (pesim_rg_gp_text), and no
 * path from the command line reaches it at all. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/file.h"
#include "common/text.h"
#include "reportgen/reportgen.h"

const char *pesim_rg_format_ext(enum pesim_rg_format f)
{
    switch (f) {
    case PESIM_RG_HTML: return "svg";
    case PESIM_RG_SVG: return "svg";
    case PESIM_RG_PDF: return "pdf";
    case PESIM_RG_PNG: return "png";
    }
    return "svg";
}

const char *pesim_rg_gnuplot_find(void)
{
    static char buf[4096];
    const char *path = getenv("PATH");
    if (!path)
        return NULL;
    while (*path) {
        size_t n = strcspn(path, ":");
        if (n > 0 && n + 9 < sizeof buf) {
            memcpy(buf, path, n);
            memcpy(buf + n, "/gnuplot", 9);
            if (access(buf, X_OK) == 0)
                return buf;
        }
        path += n + (path[n] == ':');
    }
    return NULL;
}

/* Labels come from input files and may hold anything. gnuplot interprets
 * backquotes (a shell command), `@` macros and backslash escapes inside
 * double quotes, and ends a command at a newline; inside single quotes it
 * interprets nothing but '' (one quote). So a label reaches a script only
 * single-quoted, and a data file only double-quoted with its double quotes
 * turned into single ones (data files have no escape), and in both every
 * control character and byte that is not UTF-8 is written as visible text
 * (\n, \t, \r, \xNN): nothing in a label can end the string or the line. */
void pesim_rg_gp_text(FILE *f, const char *s, char quote)
{
    /* A data file's quoted field does read backslash escapes: each
     * backslash written is doubled there, so it shows as one. */
    const char *bs = quote == '"' ? "\\\\" : "\\";
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    for (; *p; p++) {
        size_t n = pesim_utf8_len(p, (size_t)(end - p));
        if (n > 1) {
            fwrite(p, 1, n, f);
            p += n - 1;
        } else if (n == 1 && *p == (unsigned char)quote) {
            fputs(quote == '\'' ? "''" : "'", f);
        } else if (n == 1 && *p == '\\') {
            fputs(bs, f);
        } else if (n == 1 && *p >= 0x20 && *p != 0x7f) {
            fputc(*p, f);
        } else if (*p == '\n' || *p == '\t' || *p == '\r') {
            fprintf(f, "%s%c", bs, *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r');
        } else {
            fprintf(f, "%sx%02X", bs, *p);
        }
    }
}

/* A label in a script: single-quoted (see pesim_rg_gp_text). Enhanced
 * text is off everywhere so `_` in names stays a `_`. */
static void qs(FILE *f, const char *s)
{
    fputc('\'', f);
    pesim_rg_gp_text(f, s, '\'');
    fputc('\'', f);
}

/* The terminal: for the HTML page a screen-sized SVG; for files a figure
 * 3.5 in wide (one column of a two-column paper), PNG at 300 dpi. */
static void terminal(FILE *f, const struct pesim_rg_chart *c, enum pesim_rg_format fmt)
{
    bool wide = c->kind == PESIM_RG_STACKED;
    switch (fmt) {
    case PESIM_RG_HTML:
        fprintf(f, "set terminal svg size %d,%d font \"sans,12\" background \"#ffffff\"\n",
                wide ? 1100 : 760, wide ? 460 : 400);
        break;
    case PESIM_RG_SVG:
        fprintf(f, "set terminal svg size 336,%d font \"sans,7\" background \"#ffffff\"\n",
                wide ? 260 : 230);
        break;
    case PESIM_RG_PDF:
        fprintf(f, "set terminal pdfcairo size 3.5in,%s font \"sans,6\"\n",
                wide ? "2.7in" : "2.4in");
        break;
    case PESIM_RG_PNG:
        fprintf(f, "set terminal pngcairo size 1050,%d font \"sans,15\" background \"#ffffff\"\n",
                wide ? 810 : 720);
        break;
    }
}

static void common(FILE *f, const struct pesim_rg_chart *c)
{
    fputs("set encoding utf8\nunset title\nset termoption noenhanced\n"
          "set border 3 lw 1\nset tics nomirror\nset grid ytics lc rgb \"#d0d0d0\"\n"
          "set style fill solid 1.0 border lc rgb \"#000000\"\n",
          f);
    fputs("set xlabel ", f);
    qs(f, c->xlabel);
    fputs("\nset ylabel ", f);
    qs(f, c->ylabel);
    fputc('\n', f);
}

static const char *color(const struct pesim_rg_chart *c, size_t i)
{
    return c->ncolors ? c->colors[i % c->ncolors] : "#404040";
}

/* Legend names for the table's column keys. */
static const char *display(const char *key)
{
    static const char *const map[][2] = {
        {"dram", "DRAM"}, {"glb", "GLB"}, {"noc", "NoC"}, {"rf", "RF"}, {"mac", "MAC"},
        {"fill_drain", "fill/drain"}, {"dram_bandwidth", "DRAM bandwidth"},
        {"dram_latency", "DRAM latency"}, {"compute", "compute"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(key, map[i][0]) == 0)
            return map[i][1];
    return key;
}

/* Large numbers with an SI prefix (24G), small ones as they are. */
static const char *yformat(const struct pesim_rg_table *t, bool sum)
{
    double top = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        double acc = 0;
        for (size_t v = t->first_shown; v < t->nvals; v++) {
            double x = t->vals[r * t->nvals + v];
            if (isfinite(x))
                acc = sum ? acc + x : (x > acc ? x : acc);
        }
        top = acc > top ? acc : top;
    }
    return top >= 1e4 ? "set format y \"%.1s%c\"\n" : "set format y \"%g\"\n";
}

/* Stacked histogram groups: `newhistogram` per first key (index block). */
static void body_stacked(FILE *f, const struct pesim_rg_chart *c, const char *dat)
{
    const struct pesim_rg_table *t = &c->t;
    fputs("set style data histograms\nset style histogram rowstacked title offset 0,-0.2\n"
          "set boxwidth 0.8\nset yrange [0:*]\nset xtics rotate by 90 right scale 0\n"
          "set key outside top center horizontal Left reverse noautotitle samplen 1.5 "
          "maxrows 2\nset xtics font \",9\"\nunset xlabel\nset bmargin 6\n",
          f);
    fputs(yformat(t, true), f);
    fputs("plot ", f);
    size_t block = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        if (r > 0 && strcmp(t->keys[r * t->nkeys], t->keys[(r - 1) * t->nkeys]) == 0)
            continue;
        if (block)
            fputs(", \\\n     ", f);
        fputs("newhistogram ", f);
        qs(f, t->keys[r * t->nkeys]);
        fputs(" lt 1", f);
        for (size_t v = 0; v < t->nvals; v++) {
            fprintf(f, ", \\\n     '%s' index %zu using %zu%s lc rgb \"%s\"", dat, block,
                    t->nkeys + v + 1, v == 0 ? ":xtic(2)" : "", color(c, v));
            if (block == 0) {
                fputs(" title ", f);
                qs(f, display(t->cols[t->nkeys + v]));
            }
        }
        block++;
    }
    fputc('\n', f);
}

static void body_cluster(FILE *f, const struct pesim_rg_chart *c, const char *dat)
{
    const struct pesim_rg_table *t = &c->t;
    fputs("set style data histograms\nset style histogram clustered gap 1\n"
          "set boxwidth 0.9\nset yrange [0:*]\nset xtics scale 0\n"
          "set key outside right top vertical Left reverse samplen 1.5\n",
          f);
    fputs(yformat(t, false), f);
    fputs("plot ", f);
    for (size_t v = 0; v < t->nvals; v++) {
        fprintf(f, "%s'%s' using %zu%s lc rgb \"%s\" title ", v ? ", \\\n     " : "", dat,
                v + 2, v == 0 ? ":xtic(1)" : "", color(c, v));
        qs(f, t->cols[1 + v]);
    }
    fputc('\n', f);
}

/* Two panels: energy/MAC and latency, a bar per dataflow in its colour. */
static void body_pair(FILE *f, const struct pesim_rg_chart *c, const char *dat)
{
    for (size_t r = 0; r < c->t.nrows; r++)
        fprintf(f, "set linetype %zu lc rgb \"%s\"\n", r + 1, color(c, r));
    fputs("set boxwidth 0.7\nset yrange [0:*]\nset xrange [-0.6:*]\nunset key\n"
          "set xtics rotate by 90 right scale 0\nset offsets 0,0.6,0,0\n"
          "set multiplot layout 1,2\n",
          f);
    fprintf(f, "plot '%s' using 0:2:(column(0)+1):xtic(1) with boxes lc variable\n", dat);
    fputs("set ylabel ", f);
    qs(f, c->y2label);
    fprintf(f, "\nplot '%s' using 0:3:(column(0)+1):xtic(1) with boxes lc variable\n"
               "unset multiplot\n",
            dat);
}

static void tics(FILE *f, const char *axis, const struct pesim_rg_table *t, size_t key,
                 size_t idx)
{
    fprintf(f, "set %stics (", axis);
    double last = -1;
    bool first = true;
    for (size_t r = 0; r < t->nrows; r++) {
        double i = t->vals[r * t->nvals + idx];
        bool seen = false;
        for (size_t q = 0; q < r && !seen; q++)
            seen = t->vals[q * t->nvals + idx] == i;
        if (seen)
            continue;
        fputs(first ? "" : ", ", f);
        qs(f, t->keys[r * t->nkeys + key]);
        fprintf(f, " %g", i);
        first = false;
        last = i > last ? i : last;
    }
    fprintf(f, ")\nset %srange [-0.5:%g]\n", axis, last + 0.5);
}

/* Cells as boxes coloured by the metric (viridis, dark = low), the value
 * printed in each: white on the darker half, black on the lighter. */
static void body_heatmap(FILE *f, const struct pesim_rg_chart *c, const char *dat)
{
    const struct pesim_rg_table *t = &c->t;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t r = 0; r < t->nrows; r++) {
        double v = t->vals[r * t->nvals + 2];
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    double mid = t->nrows ? (lo + hi) / 2 : 0;
    tics(f, "x", t, 0, 0);
    tics(f, "y", t, 1, 1);
    fputs("set palette defined (0 \"#440154\", 1 \"#3b528b\", 2 \"#21918c\", 3 \"#5ec962\", "
          "4 \"#fde725\")\nset grid noytics\nset xtics scale 0\nset ytics scale 0\n"
          "set cblabel ",
          f);
    qs(f, t->cols[t->nkeys + 2]);
    fprintf(f, "\nset style fill solid 1.0 border lc rgb \"#ffffff\"\nunset key\n"
               "plot '%s' using 3:4:(0.5):(0.5):5 with boxxyerror fc palette, \\\n"
               "     '' using 3:4:($5 < %.15g ? sprintf(\"%%.4g\", $5) : \"\") with labels "
               "tc rgb \"#ffffff\", \\\n"
               "     '' using 3:4:($5 >= %.15g ? sprintf(\"%%.4g\", $5) : \"\") with labels "
               "tc rgb \"#000000\"\n",
            dat, mid, mid);
}

static void body_lines(FILE *f, const struct pesim_rg_chart *c, const char *dat)
{
    const struct pesim_rg_table *t = &c->t;
    if (c->logx)
        fputs("set logscale x 2\n", f);
    fputs("set key outside right top vertical Left reverse\nset offsets graph 0.03, graph "
          "0.03, graph 0.05, graph 0.05\n",
          f);
    fputs("plot ", f);
    size_t block = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        if (r > 0 && strcmp(t->keys[r], t->keys[r - 1]) == 0)
            continue;
        fprintf(f, "%s'%s' index %zu using 2:3 with linespoints lw 2 pt %zu ps 1 dt %zu "
                   "lc rgb \"%s\" title ",
                block ? ", \\\n     " : "", dat, block, 4 + 2 * (block % 5), 1 + block % 5,
                color(c, block));
        qs(f, t->keys[r]);
        block++;
    }
    fputc('\n', f);
}

static void body_scatter(FILE *f, const struct pesim_rg_chart *c, const char *dat)
{
    (void)c;
    fputs(yformat(&c->t, false), f);
    fputs("set key inside right top opaque box\n"
          "set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05\n",
          f);
    fprintf(f,
            "plot '%s' index 0 using 3:4 with points pt 7 ps 0.6 lc rgb \"#a0a0a0\" "
            "title \"points\", \\\n"
            "     '' index 1 using 3:4 with linespoints lw 2 pt 5 ps 0.9 lc rgb \"#b2182b\" "
            "title \"Pareto front\"\n",
            dat);
}

static void body(FILE *f, const struct pesim_rg_chart *c, const char *dat)
{
    switch (c->kind) {
    case PESIM_RG_STACKED: body_stacked(f, c, dat); break;
    case PESIM_RG_CLUSTER: body_cluster(f, c, dat); break;
    case PESIM_RG_PAIR: body_pair(f, c, dat); break;
    case PESIM_RG_HEATMAP: body_heatmap(f, c, dat); break;
    case PESIM_RG_LINES: body_lines(f, c, dat); break;
    case PESIM_RG_SCATTER: body_scatter(f, c, dat); break;
    }
}

/* The whole script. It draws into NAME.EXT beside itself: the output's
 * name is pesim's chart name, never a path from the command line, so that
 * `gnuplot NAME.gp` redraws it by hand and no user text reaches `set
 * output`; pesim then copies the figure where -o says. */
static void script(FILE *f, const struct pesim_rg_chart *c, enum pesim_rg_format fmt)
{
    fprintf(f, "# %s: ", c->name);
    qs(f, c->title);
    fprintf(f, "\n# made by pesim report; data in %s.dat\n", c->name);
    terminal(f, c, fmt);
    fprintf(f, "set output '%s.%s'\n", c->name, pesim_rg_format_ext(fmt));
    common(f, c);
    char dat[512];
    snprintf(dat, sizeof dat, "%s.dat", c->name);
    body(f, c, dat);
    fputs("unset output\n", f);
}

static char *join(const char *dir, const char *name, const char *ext)
{
    size_t n = strlen(dir) + strlen(name) + strlen(ext) + 3;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s%s", dir, name, ext);
    return p;
}

/* NAME.dat or NAME.gp in the work folder (through common/file: the
 * --keep-scripts folder is the user's). */
static int write_file(const char *path, const struct pesim_rg_chart *c,
                      enum pesim_rg_format fmt, bool data, pesim_diags *d)
{
    pesim_outfile *of;
    FILE *f;
    int rc = pesim_out_open(path, 0, &of, &f, d);
    if (rc)
        return rc;
    if (data)
        rc = pesim_rg_write_data(f, c);
    else
        script(f, c, fmt);
    if (rc) {
        pesim_out_abort(of);
        return rc;
    }
    return pesim_out_commit(of, d);
}

/* Run `gnuplot NAME.gp` in `dir`, stdin from /dev/null, its messages into
 * `log`. Returns its exit status, or -1. */
static int run_gnuplot(const char *gnuplot, const char *dir, const char *log,
                       const char *gp_name)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int lfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        int nfd = open("/dev/null", O_RDONLY);
        if (nfd >= 0)
            dup2(nfd, 0);
        if (lfd >= 0) {
            dup2(lfd, 1);
            dup2(lfd, 2);
        }
        if (chdir(dir) == 0)
            execl(gnuplot, "gnuplot", gp_name, (char *)NULL);
        _exit(127);
    }
    int st = -1;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void quote_log(const char *log, pesim_diags *d)
{
    FILE *f = fopen(log, "r");
    char line[512];
    for (int i = 0; f && i < 8 && fgets(line, sizeof line, f); i++) {
        line[strcspn(line, "\n")] = 0;
        if (line[0])
            pesim_diags_addc(d, PESIM_DIAG_REPORT_TOOL, "gnuplot", 0, 0, "%s", line);
    }
    if (f)
        fclose(f);
}

/* Copy the drawn figure to `out_path` (common/file: atomic, never over an
 * input or a folder), made deterministic on the way. */
static int copy_figure(const char *from, const char *out_path, enum pesim_rg_format fmt,
                       pesim_diags *d)
{
    char *buf;
    size_t len;
    int rc = pesim_file_read(from, "the drawn figure", &buf, &len, NULL);
    if (rc) {
        pesim_diags_addc(d, PESIM_DIAG_REPORT_TOOL, from, 0, 0,
                         "cannot read the figure gnuplot drew");
        return PESIM_E_SIM;
    }
    if (fmt == PESIM_RG_PDF)
        pesim_rg_normalize_pdf(buf, len);
    pesim_outfile *of;
    FILE *f;
    if (!(rc = pesim_out_open(out_path, 0, &of, &f, d))) {
        if (fwrite(buf, 1, len, f) == len)
            rc = pesim_out_commit(of, d);
        else {
            pesim_out_abort(of);
            pesim_diags_addc(d, PESIM_DIAG_FILE_IO, out_path, 0, 0, "cannot write the figure");
            rc = PESIM_E_IO;
        }
    }
    free(buf);
    return rc;
}

int pesim_rg_plot(const char *gnuplot, const struct pesim_rg_chart *c, const char *dir,
                  enum pesim_rg_format fmt, const char *out_path, pesim_diags *diags)
{
    char *gp = join(dir, c->name, ".gp"), *dat = join(dir, c->name, ".dat");
    char *log = join(dir, "gnuplot", ".log");
    char ext[8];
    snprintf(ext, sizeof ext, ".%s", pesim_rg_format_ext(fmt));
    char *drawn = join(dir, c->name, ext);
    int rc = PESIM_E_NOMEM;
    if (!gp || !dat || !log || !drawn)
        goto out;
    if ((rc = write_file(dat, c, fmt, true, diags)) || (rc = write_file(gp, c, fmt, false, diags)))
        goto out;
    unlink(log);
    unlink(drawn);
    char gp_name[512];
    snprintf(gp_name, sizeof gp_name, "%s.gp", c->name);
    int st = run_gnuplot(gnuplot, dir, log, gp_name);
    struct stat sb;
    if (st != 0 || stat(drawn, &sb) != 0 || sb.st_size == 0) {
        pesim_diags_addc(diags, PESIM_DIAG_REPORT_TOOL, c->name, 0, 0,
                         "gnuplot failed (status %d) drawing %s", st,
                         out_path ? out_path : drawn);
        quote_log(log, diags);
        rc = PESIM_E_SIM;
        goto out;
    }
    unlink(log);
    rc = out_path ? copy_figure(drawn, out_path, fmt, diags) : 0;
out:
    free(gp);
    free(dat);
    free(log);
    free(drawn);
    return rc;
}

/* cairo 1.16 stamps the PDF with the current time (and ignores
 * SOURCE_DATE_EPOCH): overwrite the date's digits in place (same length,
 * so the xref offsets hold). */
void pesim_rg_normalize_pdf(char *buf, size_t n)
{
    static const char epoch[] = "19700101000000";
    for (size_t i = 0; i + 24 < n; i++) {
        if (memcmp(buf + i, "Date (D:", 8) != 0)
            continue;
        for (size_t k = 0; k < 14 && buf[i + 8 + k] >= '0' && buf[i + 8 + k] <= '9'; k++)
            buf[i + 8 + k] = epoch[k];
    }
}

int pesim_rg_draw(const char *gnuplot, const struct pesim_rg_chart_list *list,
                  const char *work_dir, enum pesim_rg_format f, const char *out_prefix,
                  pesim_diags *diags)
{
    int rc = 0;
    for (size_t i = 0; i < list->n && !rc; i++) {
        const struct pesim_rg_chart *c = &list->v[i];
        char *out = NULL;
        if (f != PESIM_RG_HTML) {
            size_t n = strlen(out_prefix) + strlen(c->name) + 8;
            if (!(out = malloc(n)))
                return PESIM_E_NOMEM;
            snprintf(out, n, "%s%s.%s", out_prefix, c->name, pesim_rg_format_ext(f));
        }
        rc = pesim_rg_plot(gnuplot, c, work_dir, f, out, diags);
        free(out);
    }
    return rc;
}

void pesim_rg_clean(const struct pesim_rg_chart_list *list, const char *work_dir)
{
    static const char *const ext[] = {".gp", ".dat", ".svg"};
    for (size_t i = 0; i < list->n; i++)
        for (size_t e = 0; e < 3; e++) {
            char *p = join(work_dir, list->v[i].name, ext[e]);
            if (p)
                unlink(p);
            free(p);
        }
    char *log = join(work_dir, "gnuplot", ".log");
    if (log)
        unlink(log);
    free(log);
    rmdir(work_dir);
}
