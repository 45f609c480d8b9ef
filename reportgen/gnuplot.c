/* Drawing a chart with gnuplot: pesim writes the chart's data file and
 * script (NAME.dat, NAME.gp, runnable by hand: `gnuplot NAME.gp` in that
 * folder), then starts gnuplot in that folder with fork+exec and pipes the
 * same script into its stdin with `set output` pointing at the requested
 * file. gnuplot's stderr goes to gnuplot.log in the folder. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* A string for the script in double quotes (labels come from input files,
 * so quotes and backslashes are escaped). Enhanced text is off everywhere
 * so `_` in names stays a `_`. */
static void qs(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
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

/* The whole script, output `out` (written as given). */
static void script(FILE *f, const struct pesim_rg_chart *c, enum pesim_rg_format fmt,
                   const char *out, const char *dat)
{
    fprintf(f, "# %s: %s\n# made by pesim report; data in %s\n", c->name, c->title, dat);
    terminal(f, c, fmt);
    fputs("set output ", f);
    qs(f, out);
    fputc('\n', f);
    common(f, c);
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

static int write_file(const char *path, const struct pesim_rg_chart *c,
                      enum pesim_rg_format fmt, bool data, pesim_diags *d)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        pesim_diags_add(d, path, 0, 0, "cannot create the file: %s", strerror(errno));
        return PESIM_E_IO;
    }
    int rc = 0;
    char dat[512], out[512];
    snprintf(dat, sizeof dat, "%s.dat", c->name);
    snprintf(out, sizeof out, "%s.%s", c->name, pesim_rg_format_ext(fmt));
    if (data)
        rc = pesim_rg_write_data(f, c);
    else
        script(f, c, fmt, out, dat);
    bool failed = ferror(f) != 0;
    if ((fclose(f) || failed) && !rc) {
        pesim_diags_add(d, path, 0, 0, "cannot write the file");
        rc = PESIM_E_IO;
    }
    return rc;
}

/* Run gnuplot in `dir` with the script on its stdin; its stderr into
 * `log`. Returns its exit status, or -1. */
static int run_gnuplot(const char *gnuplot, const char *dir, const char *log,
                       const struct pesim_rg_chart *c, enum pesim_rg_format fmt,
                       const char *out)
{
    int fds[2];
    if (pipe(fds))
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        int lfd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(fds[0], 0);
        if (lfd >= 0)
            dup2(lfd, 2);
        dup2(lfd >= 0 ? lfd : 2, 1);
        close(fds[0]);
        close(fds[1]);
        if (chdir(dir) == 0)
            execl(gnuplot, "gnuplot", (char *)NULL);
        _exit(127);
    }
    close(fds[0]);
    /* A gnuplot that dies early must not kill pesim with SIGPIPE. */
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    FILE *f = fdopen(fds[1], "w");
    char dat[512];
    snprintf(dat, sizeof dat, "%s.dat", c->name);
    if (f) {
        script(f, c, fmt, out, dat);
        fclose(f);
    } else {
        close(fds[1]);
    }
    int st = -1;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    signal(SIGPIPE, old);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void quote_log(const char *log, pesim_diags *d)
{
    FILE *f = fopen(log, "r");
    char line[512];
    for (int i = 0; f && i < 8 && fgets(line, sizeof line, f); i++) {
        line[strcspn(line, "\n")] = 0;
        if (line[0])
            pesim_diags_add(d, "gnuplot", 0, 0, "%s", line);
    }
    if (f)
        fclose(f);
}

int pesim_rg_plot(const char *gnuplot, const struct pesim_rg_chart *c, const char *dir,
                  enum pesim_rg_format fmt, const char *out_path, pesim_diags *diags)
{
    char *gp = join(dir, c->name, ".gp"), *dat = join(dir, c->name, ".dat");
    char *log = join(dir, "gnuplot", ".log");
    int rc = PESIM_E_NOMEM;
    if (!gp || !dat || !log)
        goto out;
    if ((rc = write_file(dat, c, fmt, true, diags)) || (rc = write_file(gp, c, fmt, false, diags)))
        goto out;
    unlink(log);
    int st = run_gnuplot(gnuplot, dir, log, c, fmt, out_path);
    struct stat sb;
    if (st != 0 || stat(out_path, &sb) != 0 || sb.st_size == 0) {
        pesim_diags_add(diags, c->name, 0, 0, "gnuplot failed (status %d) drawing %s", st,
                        out_path);
        quote_log(log, diags);
        rc = PESIM_E_SIM;
        goto out;
    }
    unlink(log);
    rc = pesim_rg_normalize(out_path, fmt);
out:
    free(gp);
    free(dat);
    free(log);
    return rc;
}

/* cairo 1.16 stamps the PDF with the current time (and ignores
 * SOURCE_DATE_EPOCH): overwrite the date's digits in place. */
int pesim_rg_normalize(const char *path, enum pesim_rg_format f)
{
    if (f != PESIM_RG_PDF)
        return 0;
    FILE *fp = fopen(path, "r+b");
    if (!fp)
        return PESIM_E_IO;
    char *buf = NULL;
    size_t n = 0, cap = 0, r;
    int rc = 0;
    do {
        if (n + 65536 > cap) {
            char *nb = realloc(buf, cap = n + 131072);
            if (!nb) {
                rc = PESIM_E_NOMEM;
                break;
            }
            buf = nb;
        }
        r = fread(buf + n, 1, cap - n, fp);
        n += r;
    } while (r > 0);
    for (size_t i = 0; !rc && i + 24 < n; i++) {
        if (memcmp(buf + i, "Date (D:", 8) != 0)
            continue;
        static const char epoch[] = "19700101000000";
        for (size_t k = 0; k < 14 && buf[i + 8 + k] >= '0' && buf[i + 8 + k] <= '9'; k++)
            buf[i + 8 + k] = epoch[k];
    }
    if (!rc && (fseek(fp, 0, SEEK_SET) || fwrite(buf, 1, n, fp) != n))
        rc = PESIM_E_IO;
    if (fclose(fp) && !rc)
        rc = PESIM_E_IO;
    free(buf);
    return rc;
}

int pesim_rg_draw(const char *gnuplot, const struct pesim_rg_chart_list *list,
                  const char *work_dir, enum pesim_rg_format f, const char *out_prefix,
                  pesim_diags *diags)
{
    int rc = 0;
    for (size_t i = 0; i < list->n && !rc; i++) {
        const struct pesim_rg_chart *c = &list->v[i];
        char *out = f == PESIM_RG_HTML ? join(work_dir, c->name, ".svg")
                                       : malloc(strlen(out_prefix) + strlen(c->name) + 8);
        if (!out)
            return PESIM_E_NOMEM;
        if (f != PESIM_RG_HTML)
            sprintf(out, "%s%s.%s", out_prefix, c->name, pesim_rg_format_ext(f));
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
