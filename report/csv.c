/* CSV writer (docs/cli.md, "CSV"): RFC 4180 quoting, one header row, one
 * row per layer and a "total" row per dataflow. Columns are the walk's
 * leaves with dotted paths (accesses.glb.inputs.reads), so they match the
 * JSON keys one for one; a total row leaves kind, dims and mapping empty. */
#include <string.h>

#include "report/walk.h"

#define MAX_DEPTH 8

struct csv {
    struct pesim_report_sink sink; /* first: the callbacks cast back */
    FILE *out;
    bool header; /* writing the header row: names instead of values */
    bool first;  /* no cell yet on this row */
    int depth;
    const char *path[MAX_DEPTH];
};

static void cell_sep(struct csv *c)
{
    if (!c->first)
        fputc(',', c->out);
    c->first = false;
}

static void put_field(FILE *out, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* The header cell of a leaf: its dotted path. The walk's top-level "name"
 * is the CSV's "layer" column (the row also has a "dataflow" column). */
static void put_name(struct csv *c, const char *key)
{
    if (c->depth == 0 && strcmp(key, "name") == 0)
        key = "layer";
    for (int i = 0; i < c->depth; i++) {
        fputs(c->path[i], c->out);
        fputc('.', c->out);
    }
    fputs(key, c->out);
}

/* Returns true when the caller should write the value. */
static bool leaf(struct csv *c, const char *key)
{
    cell_sep(c);
    if (c->header) {
        put_name(c, key);
        return false;
    }
    return c->sink.hidden == 0;
}

static void c_begin(struct pesim_report_sink *s, const char *key)
{
    struct csv *c = (struct csv *)s;
    if (c->depth < MAX_DEPTH)
        c->path[c->depth] = key;
    c->depth++;
}

static void c_end(struct pesim_report_sink *s) { ((struct csv *)s)->depth--; }

static void c_u64(struct pesim_report_sink *s, const char *key, uint64_t v)
{
    struct csv *c = (struct csv *)s;
    if (leaf(c, key))
        fprintf(c->out, "%llu", (unsigned long long)v);
}

static void c_f64(struct pesim_report_sink *s, const char *key, double v)
{
    struct csv *c = (struct csv *)s;
    char buf[64];
    if (leaf(c, key) && pesim_report_fmt_double(buf, sizeof buf, v))
        fputs(buf, c->out);
}

static void c_str(struct pesim_report_sink *s, const char *key, const char *v)
{
    struct csv *c = (struct csv *)s;
    if (leaf(c, key))
        put_field(c->out, v ? v : "");
}

static void c_mapping(struct pesim_report_sink *s, const char *key,
                      const struct pesim_arch *arch, const struct pesim_mapping *m)
{
    struct csv *c = (struct csv *)s;
    char buf[1024];
    if (leaf(c, key)) {
        pesim_report_fmt_mapping(buf, sizeof buf, arch, m);
        put_field(c->out, buf);
    }
}

static void row(struct csv *c, const struct pesim_report_ctx *ctx, const char *dataflow,
                const struct pesim_layer_result *r, bool total)
{
    const struct pesim_arch *arch = pesim_report_arch(ctx);
    const char *unit = pesim_report_unit(ctx);
    c->first = true;
    c->depth = 0;
    c->sink.hidden = 0;
    if (leaf(c, "dataflow"))
        put_field(c->out, dataflow ? dataflow : "");
    if (leaf(c, "objective"))
        put_field(c->out, pesim_report_objective(ctx));
    pesim_report_walk(&c->sink, arch, r, total, unit);
    fputc('\n', c->out);
}

static void init(struct csv *c, FILE *out)
{
    memset(c, 0, sizeof *c);
    c->sink = (struct pesim_report_sink){c_begin, c_end, c_u64, c_f64,
                                         c_str, c_mapping, 0};
    c->out = out;
}

static void rows(struct csv *c, const struct pesim_report_ctx *ctx,
                 const struct pesim_run *run)
{
    for (size_t i = 0; i < run->n; i++)
        row(c, ctx, run->dataflow, &run->layers[i], false);
    row(c, ctx, run->dataflow, &run->total, true);
}

static void header_row(struct csv *c, const struct pesim_report_ctx *ctx)
{
    /* Any result on the arch walks the same leaves; a zeroed one with the
     * arch's energy rows will do. */
    struct pesim_layer_result zero;
    memset(&zero, 0, sizeof zero);
    zero.energy.nrows = pesim_energy_rows(pesim_report_arch(ctx));
    c->header = true;
    row(c, ctx, NULL, &zero, false);
    c->header = false;
}

int pesim_report_csv_run(FILE *out, const struct pesim_report_ctx *ctx,
                         const struct pesim_run *run)
{
    return pesim_report_csv_compare(out, ctx, run, 1);
}

int pesim_report_csv_compare(FILE *out, const struct pesim_report_ctx *ctx,
                             const struct pesim_run *runs, size_t n)
{
    struct csv c;
    init(&c, out);
    header_row(&c, ctx);
    for (size_t i = 0; i < n; i++)
        rows(&c, ctx, &runs[i]);
    return ferror(out) ? PESIM_E_IO : 0;
}
