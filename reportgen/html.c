/* The HTML page: one file, nothing fetched. The charts are gnuplot's SVG
 * inlined; their ids are prefixed per chart (gnuplot names every canvas
 * "gnuplot_canvas") and the xmlns attributes dropped (HTML does not need
 * them), so the page names no URL at all. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reportgen/reportgen.h"

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "margin:0 auto;max-width:1160px;padding:16px 24px;color:#1a1a1a;background:#fff}"
    "h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.3em;border-bottom:2px solid #3b0f70;"
    "padding-bottom:4px;margin-top:2em}h3{font-size:1.05em;margin:.2em 0 .4em}"
    "table{border-collapse:collapse;font-size:.85em;margin:.4em 0 1em}"
    "th,td{border:1px solid #ccc;padding:2px 8px}th{background:#f2f2f2;text-align:left}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "table.meta th{width:9em}code{font-size:.95em}"
    "figure{margin:0 0 2em;padding:8px;border:1px solid #e4e4e4;border-radius:4px}"
    "figure svg{display:block;max-width:100%;height:auto}"
    "details summary{cursor:pointer;color:#444;font-size:.9em}"
    "nav ol{columns:2;font-size:.9em}p.note{color:#555;font-style:italic}";

void pesim_rg_html_escape(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out);
        }
    }
}

static void meta_row(FILE *out, const char *k, const char *v, bool code)
{
    fprintf(out, "<tr><th>%s</th><td>%s", k, code ? "<code>" : "");
    pesim_rg_html_escape(out, v && v[0] ? v : "(not in the input)");
    fprintf(out, "%s</td></tr>\n", code ? "</code>" : "");
}

static void dataflow_list(FILE *out, const struct pesim_rg_input *in)
{
    fputs("<tr><th>dataflows</th><td>", out);
    for (size_t d = 0; d < in->ndfs; d++) {
        fputs(d ? ", " : "", out);
        pesim_rg_html_escape(out, in->dfs[d].name);
    }
    fprintf(out, " (%zu layers)</td></tr>\n", in->ndfs ? in->dfs[0].n : (size_t)0);
}

static void sweep_meta(FILE *out, const struct pesim_rg_input *in)
{
    const struct pesim_rg_sweep *s = &in->sweep;
    size_t ok = 0;
    for (size_t r = 0; r < s->nrows; r++)
        ok += strcmp(s->cells[r * s->ncols + s->naxes + 1], "ok") == 0;
    fputs("<tr><th>axes</th><td>", out);
    for (size_t a = 1; a <= s->naxes; a++) {
        fputs(a > 1 ? ", " : "", out);
        pesim_rg_html_escape(out, s->cols[a]);
    }
    fprintf(out, "</td></tr>\n<tr><th>points</th><td>%zu (%zu ok)</td></tr>\n", s->nrows, ok);
}

/* What chose the mappings, in words. */
static const char *objective_text(const char *o)
{
    static const char *const map[][2] = {
        {"latency", "latency: each layer mapped for its fewest cycles (then least energy)"},
        {"energy", "energy: each layer mapped for its least energy (then fewest cycles)"},
        {"edp", "edp: each layer mapped for its least energy x cycles"},
        {"explicit mapping", "explicit mapping: the mappings the user gave (run --mapping)"},
    };
    for (size_t i = 0; o && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(o, map[i][0]) == 0)
            return map[i][1];
    return o && o[0] ? o : "not stated (the input is from a pesim that did not write it)";
}

static void input_meta(FILE *out, const struct pesim_rg_input *in)
{
    static const char *const kinds[] = {"pesim run (JSON)", "pesim compare (JSON)",
                                        "pesim sweep results"};
    fputs("<table class=\"meta\">\n", out);
    meta_row(out, "input", in->path, true);
    meta_row(out, "made by", kinds[in->kind], false);
    if (in->kind == PESIM_RG_SWEEP) {
        sweep_meta(out, in);
    } else {
        meta_row(out, "command", in->command, true);
        meta_row(out, "pesim version", in->pesim, false);
        meta_row(out, "architecture", in->arch, false);
        meta_row(out, "workload", in->workload, false);
        dataflow_list(out, in);
        meta_row(out, "objective", objective_text(in->objective), false);
        meta_row(out, "engine", in->engine, false);
        meta_row(out, "energy unit", in->unit, false);
    }
    fputs("</table>\n", out);
}

static bool starts(const char *p, const char *s) { return strncmp(p, s, strlen(s)) == 0; }

/* Copy gnuplot's SVG from its <svg> element on, prefixing ids and the
 * references to them with `pfx`, dropping the xmlns attributes and the
 * generic <title>. */
static int inline_svg(FILE *out, const char *path, const char *pfx, const char *title)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return PESIM_E_IO;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = n > 0 ? malloc((size_t)n + 1) : NULL;
    size_t got = s ? fread(s, 1, (size_t)n, f) : 0;
    fclose(f);
    if (!s)
        return PESIM_E_IO;
    s[got] = 0;
    const char *p = strstr(s, "<svg");
    for (; p && *p; p++) {
        if (starts(p, " xmlns")) {
            const char *q = strchr(p, '"');
            q = q ? strchr(q + 1, '"') : NULL;
            if (q) {
                p = q;
                continue;
            }
        }
        if (starts(p, "<title>Gnuplot</title>")) {
            fputs("<title>", out);
            pesim_rg_html_escape(out, title);
            fputs("</title>", out);
            p += strlen("<title>Gnuplot</title>") - 1;
            continue;
        }
        if (starts(p, "id='") || starts(p, "id=\"")) {
            fprintf(out, "id=%c%s-", p[3], pfx);
            p += 3;
            continue;
        }
        if (starts(p, "href='#") || starts(p, "href=\"#") || starts(p, "url(#")) {
            size_t k = strcspn(p, "#") + 1;
            fwrite(p, 1, k, out);
            fprintf(out, "%s-", pfx);
            p += k - 1;
            continue;
        }
        fputc(*p, out);
    }
    free(s);
    return 0;
}

static void number(FILE *out, double v)
{
    if (!isfinite(v))
        fputs("<td class=\"n\">&ndash;</td>", out);
    else if (fabs(v) >= 1e6 && fabs(v) < 1e15 && v == floor(v))
        fprintf(out, "<td class=\"n\">%.0f</td>", v);
    else
        fprintf(out, "<td class=\"n\">%.6g</td>", v);
}

static void table(FILE *out, const struct pesim_rg_table *t)
{
    fputs("<table class=\"data\"><thead><tr>", out);
    for (size_t c = 0; c < t->nkeys + t->nvals; c++) {
        if (c >= t->nkeys && c < t->nkeys + t->first_shown)
            continue;
        fputs("<th>", out);
        pesim_rg_html_escape(out, t->cols[c]);
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t r = 0; r < t->nrows; r++) {
        fputs("<tr>", out);
        for (size_t k = 0; k < t->nkeys; k++) {
            fputs("<td>", out);
            pesim_rg_html_escape(out, t->keys[r * t->nkeys + k]);
            fputs("</td>", out);
        }
        for (size_t v = t->first_shown; v < t->nvals; v++)
            number(out, t->vals[r * t->nvals + v]);
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
}

static int chart(FILE *out, const struct pesim_rg_chart *c, const char *svg_dir)
{
    size_t n = strlen(svg_dir) + strlen(c->name) + 8;
    char *path = malloc(n);
    if (!path)
        return PESIM_E_NOMEM;
    snprintf(path, n, "%s/%s.svg", svg_dir, c->name);
    fprintf(out, "<figure id=\"%s\">\n<figcaption><h3>", c->name);
    pesim_rg_html_escape(out, c->title);
    fputs("</h3></figcaption>\n", out);
    int rc = inline_svg(out, path, c->name, c->title);
    free(path);
    /* Long tables start folded so the charts read one after another. */
    fprintf(out, "\n<details%s><summary>the numbers of this chart (%zu rows; %s.dat with "
                 "--keep-scripts)</summary>\n",
            c->t.nrows <= 16 ? " open" : "", c->t.nrows, c->name);
    table(out, &c->t);
    fputs("</details>\n</figure>\n", out);
    return rc;
}

static void contents(FILE *out, const struct pesim_rg_page *pg)
{
    fputs("<nav><ol>\n", out);
    for (size_t i = 0; i < pg->ninputs; i++)
        for (size_t k = 0; k < pg->charts[i].n; k++) {
            const struct pesim_rg_chart *c = &pg->charts[i].v[k];
            fprintf(out, "<li><a href=\"#%s\">", c->name);
            pesim_rg_html_escape(out, c->title);
            if (pg->ninputs > 1) {
                fputs(" (", out);
                pesim_rg_html_escape(out, pg->inputs[i].path);
                fputc(')', out);
            }
            fputs("</a></li>\n", out);
        }
    fputs("</ol></nav>\n", out);
}

int pesim_rg_html_write(FILE *out, const struct pesim_rg_page *pg)
{
    int rc = 0;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>pesim report</title>\n<style>",
          out);
    fputs(css, out);
    fputs("</style>\n</head>\n<body>\n<header>\n<h1>pesim report</h1>\n<table class=\"meta\">\n",
          out);
    meta_row(out, "command", pg->command, true);
    meta_row(out, "made with", pg->version, false);
    fputs("</table>\n</header>\n", out);
    contents(out, pg);
    for (size_t i = 0; i < pg->ninputs && !rc; i++) {
        const struct pesim_rg_input *in = &pg->inputs[i];
        fputs("<section>\n<h2>", out);
        pesim_rg_html_escape(out, in->path);
        fputs("</h2>\n", out);
        input_meta(out, in);
        for (size_t k = 0; k < pg->charts[i].nnotes; k++) {
            fputs("<p class=\"note\">", out);
            pesim_rg_html_escape(out, pg->charts[i].notes[k]);
            fputs("</p>\n", out);
        }
        for (size_t k = 0; k < pg->charts[i].n && !rc; k++)
            rc = chart(out, &pg->charts[i].v[k], pg->svg_dir);
        fputs("</section>\n", out);
    }
    fputs("</body>\n</html>\n", out);
    return rc ? rc : ferror(out) ? PESIM_E_IO : 0;
}
