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
#include "reportgen/draw.h"

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
void pesim_rg_qs(FILE *f, const char *s)
{
    fputc('\'', f);
    pesim_rg_gp_text(f, s, '\'');
    fputc('\'', f);
}
#define qs pesim_rg_qs

/* One font size per format, in its unit; an em is that size. */
static double em_units(enum pesim_rg_format f)
{
    switch (f) {
    case PESIM_RG_HTML: return 12;  /* px */
    case PESIM_RG_SVG: return 9.5;  /* px: 7 pt at 96 px per inch, rounded up */
    case PESIM_RG_PDF: return 7;    /* pt */
    case PESIM_RG_PNG: return 7 * 300.0 / 72; /* px at 300 dpi */
    }
    return 12;
}

bool pesim_rg_is_paper(enum pesim_rg_format f) { return f != PESIM_RG_HTML; }

double pesim_rg_min_width_em(enum pesim_rg_format f)
{
    return pesim_rg_is_paper(f) ? 3.5 * 72 / 7 : 1080 / 12.0; /* the page is 1160 px wide */
}

double pesim_rg_plot_height_em(enum pesim_rg_format f) { return pesim_rg_is_paper(f) ? 15 : 24; }

void pesim_rg_ylabel_at(FILE *f, const char *text, double x, double y)
{
    fputs("unset ylabel\nset label 999 ", f);
    qs(f, text);
    fprintf(f, " at screen %.6f, screen %.6f center rotate by 90 front\n", x, y);
}

double pesim_rg_text_em(const char *s)
{
    double w = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (; *p; p++) {
        if ((*p & 0xc0) == 0x80)
            continue; /* a UTF-8 continuation byte */
        w += (*p >= 'A' && *p <= 'Z') || *p == 'm' || *p == 'w' || *p >= 0x80 ? 0.8 : 0.64;
    }
    return w;
}

/* pngcairo draws fonts 2.2x larger per point than pdfcairo's points at
 * 300 dpi would be (measured against `pdftoppm -r 300` of the same
 * script), so PNG takes the PDF's font through fontscale. */
void pesim_rg_canvas(FILE *f, const struct pesim_rg_chart *c, enum pesim_rg_format fmt,
                     double w_em, double h_em)
{
    double u = em_units(fmt);
    /* Paper sizes in whole hundredths of an inch, so the PDF and the PNG
     * (at 300 dpi) are the same size to the pixel. */
    double win = ceil(w_em * 7 / 72 * 100) / 100, hin = ceil(h_em * 7 / 72 * 100) / 100;
    switch (fmt) {
    case PESIM_RG_HTML:
    case PESIM_RG_SVG:
        fprintf(f, "set terminal svg size %.0f,%.0f font \"sans,%g\" background \"#ffffff\"\n",
                ceil(w_em * u), ceil(h_em * u), u);
        break;
    case PESIM_RG_PDF:
        fprintf(f, "set terminal pdfcairo size %.2fin,%.2fin font \"sans,7\"\n", win, hin);
        break;
    case PESIM_RG_PNG:
        fprintf(f, "set terminal pngcairo size %.0f,%.0f font \"sans,7\" fontscale 2.2 "
                   "linewidth 2 pointscale 3 background \"#ffffff\"\n",
                win * 300, hin * 300);
        break;
    }
    fprintf(f, "set output '%s.%s'\n", c->name, pesim_rg_format_ext(fmt));
}

void pesim_rg_preamble(FILE *f, const char *grid)
{
    fputs("set encoding utf8\nunset title\nset termoption noenhanced\n"
          "set border 3 lw 1\nset tics nomirror\n"
          "set style fill solid 1.0 border lc rgb \"#000000\"\n",
          f);
    if (grid)
        fprintf(f, "set grid %s lc rgb \"#d0d0d0\"\n", grid);
}

const char *pesim_rg_color(const struct pesim_rg_chart *c, size_t i)
{
    return c->ncolors ? c->colors[i % c->ncolors] : "#404040";
}
#define color pesim_rg_color

/* Legend names for the table's column keys. */
const char *pesim_rg_display(const char *key)
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

/* The whole script. It draws into NAME.EXT beside itself: the output's
 * name is pesim's chart name, never a path from the command line, so that
 * `gnuplot NAME.gp` redraws it by hand and no user text reaches `set
 * output`; pesim then copies the figure where -o says. */
static void script(FILE *f, const struct pesim_rg_chart *c, enum pesim_rg_format fmt)
{
    fprintf(f, "# %s: ", c->name);
    qs(f, c->title);
    fprintf(f, "\n# made by pesim report; data in %s.dat\n", c->name);
    char dat[512];
    snprintf(dat, sizeof dat, "%s.dat", c->name);
    switch (c->kind) {
    case PESIM_RG_STACKED: pesim_rg_bars_stacked(f, c, dat, fmt); break;
    case PESIM_RG_CLUSTER: pesim_rg_bars_cluster(f, c, dat, fmt); break;
    case PESIM_RG_PAIR: pesim_rg_bars_pair(f, c, dat, fmt); break;
    case PESIM_RG_HEATMAP: pesim_rg_plot_heatmap(f, c, dat, fmt); break;
    case PESIM_RG_LINES: pesim_rg_plot_lines(f, c, dat, fmt); break;
    case PESIM_RG_SCATTER: pesim_rg_plot_scatter(f, c, dat, fmt); break;
    }
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
