/* JSON writer (docs/cli.md, "JSON"). Two-space indentation, keys in the
 * fixed order of the walk, integers as integers, doubles as "%.15g", null
 * for non-finite values. Small objects (mapping loops) go on one line. */
#include <string.h>

#include "report/walk.h"

#define MAX_DEPTH 16

struct json {
    struct pesim_report_sink sink; /* first: the sink callbacks cast back */
    FILE *out;
    int depth;
    bool first[MAX_DEPTH]; /* no element yet at this depth */
    bool inline_[MAX_DEPTH];
};

static void put_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '\r': fputs("\\r", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

/* Separator, indentation and key before a value at the current depth. */
static void lead(struct json *j, const char *key)
{
    if (j->depth > 0) {
        bool in = j->inline_[j->depth];
        if (!j->first[j->depth])
            fputc(',', j->out);
        if (in) {
            if (!j->first[j->depth])
                fputc(' ', j->out);
        } else {
            fputc('\n', j->out);
            for (int i = 0; i < j->depth; i++)
                fputs("  ", j->out);
        }
        j->first[j->depth] = false;
    }
    if (key) {
        put_string(j->out, key);
        fputs(": ", j->out);
    }
}

static void open_(struct json *j, const char *key, char c, bool in)
{
    lead(j, key);
    fputc(c, j->out);
    if (j->depth + 1 < MAX_DEPTH) {
        j->depth++;
        j->first[j->depth] = true;
        j->inline_[j->depth] = in || j->inline_[j->depth - 1];
    }
}

static void close_(struct json *j, char c)
{
    bool empty = j->first[j->depth];
    bool in = j->inline_[j->depth];
    j->depth--;
    if (!empty && !in) {
        fputc('\n', j->out);
        for (int i = 0; i < j->depth; i++)
            fputs("  ", j->out);
    }
    fputc(c, j->out);
}

static void j_begin(struct pesim_report_sink *s, const char *key)
{
    struct json *j = (struct json *)s;
    if (!s->hidden)
        open_(j, key, '{', false);
}

static void j_end(struct pesim_report_sink *s)
{
    if (!s->hidden)
        close_((struct json *)s, '}');
}

static void j_u64(struct pesim_report_sink *s, const char *key, uint64_t v)
{
    struct json *j = (struct json *)s;
    if (s->hidden)
        return;
    lead(j, key);
    fprintf(j->out, "%llu", (unsigned long long)v);
}

static void j_f64(struct pesim_report_sink *s, const char *key, double v)
{
    struct json *j = (struct json *)s;
    char buf[64];
    if (s->hidden)
        return;
    lead(j, key);
    fputs(pesim_report_fmt_double(buf, sizeof buf, v) ? buf : "null", j->out);
}

static void j_str(struct pesim_report_sink *s, const char *key, const char *v)
{
    struct json *j = (struct json *)s;
    if (s->hidden)
        return;
    lead(j, key);
    put_string(j->out, v ? v : "");
}

static void loops(struct json *j, const struct pesim_loop *l, size_t n,
                  bool spatial)
{
    for (size_t i = 0; i < n; i++) {
        const char *dim = pesim_dim_name((enum pesim_dim)l[i].dim);
        const char *axis = pesim_axis_name((enum pesim_axis)l[i].axis);
        open_(j, NULL, '{', true);
        j_str(&j->sink, "dim", dim ? dim : "?");
        j_u64(&j->sink, "bound", l[i].bound);
        if (spatial)
            j_str(&j->sink, "axis", axis ? axis : "?");
        close_(j, '}');
    }
}

static void bypass(struct json *j, const struct pesim_mapping *m, unsigned lv)
{
    open_(j, "bypass", '[', true);
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (m->bypass[lv][ds])
            j_str(&j->sink, NULL, pesim_ds_name((enum pesim_ds)ds));
    close_(j, ']');
}

static void level(struct json *j, const struct pesim_mapping *m,
                  enum pesim_level lv)
{
    open_(j, pesim_level_name(lv), '{', false);
    open_(j, "temporal", '[', false);
    loops(j, m->temporal[lv], m->ntemporal[lv], false);
    close_(j, ']');
    bypass(j, m, lv);
    close_(j, '}');
}

/* The general form: {"levels": [{"level", "temporal", "spatial",
 * "bypass"}, ...]}, as the mapping YAML's. */
static void general_mapping(struct json *j, const struct pesim_arch *arch,
                            const struct pesim_mapping *m)
{
    open_(j, "levels", '[', false);
    for (unsigned lv = 0; lv < arch->nlevels && lv < pesim_mapping_levels(m); lv++) {
        open_(j, NULL, '{', false);
        j_str(&j->sink, "level", arch->level[lv].name);
        open_(j, "temporal", '[', false);
        loops(j, m->temporal[lv], m->ntemporal[lv], false);
        close_(j, ']');
        open_(j, "spatial", '[', false);
        loops(j, m->spatial[lv], m->nspatial[lv], true);
        close_(j, ']');
        bypass(j, m, lv);
        close_(j, '}');
    }
    close_(j, ']');
}

static void j_mapping(struct pesim_report_sink *s, const char *key,
                      const struct pesim_arch *arch, const struct pesim_mapping *m)
{
    struct json *j = (struct json *)s;
    if (s->hidden)
        return;
    open_(j, key, '{', false);
    if (arch->general) {
        general_mapping(j, arch, m);
        close_(j, '}');
        return;
    }
    level(j, m, PESIM_LEVEL_DRAM);
    level(j, m, PESIM_LEVEL_GLB);
    open_(j, "spatial", '[', false);
    loops(j, m->spatial[PESIM_LEVEL_GLB], m->nspatial[PESIM_LEVEL_GLB], true);
    close_(j, ']');
    level(j, m, PESIM_LEVEL_RF);
    close_(j, '}');
}

static void init(struct json *j, FILE *out)
{
    memset(j, 0, sizeof *j);
    j->sink = (struct pesim_report_sink){j_begin, j_end, j_u64, j_f64,
                                         j_str, j_mapping, 0};
    j->out = out;
}

/* The fields of one dataflow's run: "layers" and "total". */
static void run_fields(struct json *j, const struct pesim_report_ctx *ctx,
                       const struct pesim_run *run)
{
    const char *unit = pesim_report_unit(ctx);
    open_(j, "layers", '[', false);
    for (size_t i = 0; i < run->n; i++) {
        open_(j, NULL, '{', false);
        pesim_report_walk(&j->sink, pesim_report_arch(ctx), &run->layers[i], false, unit);
        close_(j, '}');
    }
    close_(j, ']');
    open_(j, "total", '{', false);
    pesim_report_walk(&j->sink, pesim_report_arch(ctx), &run->total, true, unit);
    close_(j, '}');
    /* notes on the total (docs/cli.md, "Notes"): a list, so that other
     * kinds can join the bound one */
    struct pesim_report_note n;
    open_(j, "notes", '[', false);
    if (pesim_report_bound_note(ctx ? ctx->arch : NULL, &run->total, &n)) {
        open_(j, NULL, '{', true);
        j_str(&j->sink, "kind", "bound");
        j_str(&j->sink, "cause", n.cause);
        j_f64(&j->sink, "share", n.share);
        j_str(&j->sink, "key", n.key);
        j_f64(&j->sink, "value", n.value);
        close_(j, '}');
    }
    close_(j, ']');
}

static void j_derived(const char *path, double value, void *ctx)
{
    j_f64(&((struct json *)ctx)->sink, path, value);
}

static void header(struct json *j, const struct pesim_report_ctx *ctx)
{
    j_str(&j->sink, "pesim", pesim_version());
    j_str(&j->sink, "command", ctx && ctx->command ? ctx->command : "");
    j_str(&j->sink, "arch", ctx && ctx->arch ? ctx->arch->name : "");
    j_str(&j->sink, "workload", ctx && ctx->workload ? ctx->workload : "");
    j_str(&j->sink, "objective", pesim_report_objective(ctx));
    open_(j, "derived", '{', false);
    if (ctx && ctx->arch)
        pesim_arch_derived_keys(ctx->arch, j_derived, j);
    close_(j, '}');
}

static int finish(FILE *out)
{
    fputc('\n', out);
    return ferror(out) ? PESIM_E_IO : 0;
}

int pesim_report_json_run(FILE *out, const struct pesim_report_ctx *ctx,
                          const struct pesim_run *run)
{
    struct json j;
    init(&j, out);
    open_(&j, NULL, '{', false);
    header(&j, ctx);
    j_str(&j.sink, "dataflow", run->dataflow ? run->dataflow : "");
    run_fields(&j, ctx, run);
    close_(&j, '}');
    return finish(out);
}

int pesim_report_json_compare(FILE *out, const struct pesim_report_ctx *ctx,
                              const struct pesim_run *runs, size_t n)
{
    struct json j;
    init(&j, out);
    open_(&j, NULL, '{', false);
    header(&j, ctx);
    open_(&j, "dataflows", '[', false);
    for (size_t i = 0; i < n; i++) {
        open_(&j, NULL, '{', false);
        j_str(&j.sink, "dataflow", runs[i].dataflow ? runs[i].dataflow : "");
        run_fields(&j, ctx, &runs[i]);
        close_(&j, '}');
    }
    close_(&j, ']');
    close_(&j, '}');
    return finish(out);
}
