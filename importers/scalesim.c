/* SCALE-Sim topology CSV (include/pesim/import.h, docs/workloads.md).
 *
 * Read as SCALE-Sim v2 reads it (scalesim/topology_utils.py of
 * scalesim-project/scale-sim-v2): the IFMAP sizes are taken as already
 * padded, so pesim's padding is 0, and the output size is SCALE-Sim's
 *   ofmap = ceil((ifmap - filter + stride) / stride) = ceil((H-R)/U) + 1
 * (rounded up, not down as frameworks do: the last window may hang over the
 * edge by up to U-1 rows, which pesim's derived input size (P-1)*U + R then
 * includes). A layer whose name contains "DP" is depthwise, as SCALE-Sim
 * splits it into one single-channel layer per channel: pesim's G =
 * Channels, C = 1. GEMM rows `Layer, M, N, K` are (M x K) . (K x N), which
 * SCALE-Sim runs as M ofmap pixels, N filters and a K-long window:
 * pesim's gemm m = M (N), k = K (C), n = N (M).
 *
 * Unlike SCALE-Sim, pesim is strict about the row shape (it drops the text
 * after the last comma, so a row without its trailing comma loses a value
 * there) and reports every problem with its line and column. Errors are
 * collected in a cfg context so they come out in file order. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfg.h"
#include "pesim/import.h"

#define DIM_MAX (1ull << 40) /* as pesim's own workload files */
#define STRIDE_MAX 65535u
#define MAX_FIELDS 16 /* stored per line; more are only counted */

enum form { FORM_CONV, FORM_CONV_HW, FORM_GEMM, FORM_COUNT };

/* The columns of each form: their names (compared without case) and the
 * largest value a field may hold. */
static const char *const form_cols[FORM_COUNT][10] = {
    {"Layer name", "IFMAP Height", "IFMAP Width", "Filter Height",
     "Filter Width", "Channels", "Num Filter", "Strides", NULL},
    {"Layer name", "IFMAP Height", "IFMAP Width", "Filter Height",
     "Filter Width", "Channels", "Num Filter", "Stride Height", "Stride Width",
     NULL},
    {"Layer", "M", "N", "K", NULL},
};
static const size_t form_nfields[FORM_COUNT] = {8, 9, 4};
static const char *const form_title[FORM_COUNT] = {
    "a convolution topology", "a convolution topology", "a GEMM topology"};

#define ECHO_MAX 40 /* bytes of a bad field quoted in a message */

#define EXPECTED_HEADER                                                        \
    "`Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "    \
    "Channels, Num Filter, Strides,` (convolutions) or `Layer, M, N, K,` "     \
    "(GEMM)"

struct field {
    const char *s; /* trimmed text, not NUL-terminated */
    size_t n;
    unsigned col; /* 1-based column of the text (of the field when empty) */
};

struct line {
    unsigned no;  /* 1-based */
    unsigned end; /* column just past the last character */
    size_t nfields;
    struct field f[MAX_FIELDS];
};

/* One imported row, kept for the duplicate-name check. */
struct row {
    unsigned line, col;
    const char *name; /* set once the layer array stops moving */
};

struct reader {
    struct cfg_ctx ctx;
    const char *text;
    size_t len, pos;
    unsigned line_no;
    struct pesim_layer *layers;
    struct row *rows;
    size_t count, cap;
};

/* ---- errors ------------------------------------------------------------ */

static void csv_error(struct reader *r, unsigned line, unsigned col,
                      const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void csv_error(struct reader *r, unsigned line, unsigned col,
                      const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* The cfg context positions errors by node marks (0-based). */
    yaml_node_t at;
    memset(&at, 0, sizeof at);
    at.start_mark.line = line ? line - 1 : 0;
    at.start_mark.column = col ? col - 1 : 0;
    pesim_cfg_errorc(&r->ctx, PESIM_DIAG_IMPORT_PARSE, &at, "", "%s", msg);
}

/* ---- lines and fields -------------------------------------------------- */

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* Split [s, s+n) at commas into trimmed fields. A trailing comma (the last
 * field empty) is SCALE-Sim's row terminator, not a field. */
static void split(const char *s, size_t n, struct line *ln)
{
    size_t start = 0, count = 0;
    bool last_empty = false;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != ',')
            continue;
        size_t a = start, b = i;
        while (a < b && is_blank(s[a]))
            a++;
        while (b > a && is_blank(s[b - 1]))
            b--;
        if (count < MAX_FIELDS)
            ln->f[count] = (struct field){s + a, b - a, (unsigned)(a + 1)};
        last_empty = a == b;
        count++;
        start = i + 1;
    }
    if (count > 1 && last_empty)
        count--;
    ln->nfields = count;
}

/* The next line that is not blank; false at the end of the text. */
static bool next_line(struct reader *r, struct line *ln)
{
    while (r->pos < r->len) {
        const char *s = r->text + r->pos;
        const char *nl = memchr(s, '\n', r->len - r->pos);
        size_t n = nl ? (size_t)(nl - s) : r->len - r->pos;
        r->pos += n + (nl ? 1 : 0);
        r->line_no++;
        if (n && s[n - 1] == '\r')
            n--;
        size_t k = 0;
        while (k < n && (is_blank(s[k]) || s[k] == '\r'))
            k++;
        if (k == n)
            continue;
        ln->no = r->line_no;
        ln->end = (unsigned)n + 1;
        split(s, n, ln);
        return true;
    }
    return false;
}

static bool field_is(const struct field *f, const char *name)
{
    size_t n = strlen(name);
    if (f->n != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char a = f->s[i], b = name[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a + 32);
        if (b >= 'A' && b <= 'Z')
            b = (char)(b + 32);
        if (a != b)
            return false;
    }
    return true;
}

/* How much of a field a message quotes: a whole line of garbage would
 * drown the message. */
static int echo_len(const struct field *f)
{
    return (int)(f->n > ECHO_MAX ? ECHO_MAX : f->n);
}

static const char *echo_more(const struct field *f)
{
    return f->n > ECHO_MAX ? "..." : "";
}

/* ---- header ------------------------------------------------------------ */

static bool header_col_ok(enum form form, size_t i, const struct field *f)
{
    /* SCALE-Sim skips the header; its files title the first column either
     * "Layer name" or "Layer" (or "Layer Name"). */
    if (i == 0)
        return field_is(f, "Layer") || field_is(f, "Layer name");
    return field_is(f, form_cols[form][i]);
}

/* The form the header announces; -1 (reported) if none. */
static int read_header(struct reader *r, const struct line *ln)
{
    int form = -1;
    for (int k = 0; k < FORM_COUNT; k++)
        if (ln->nfields == form_nfields[k])
            form = k;
    if (form < 0) {
        csv_error(r, ln->no, 1,
                  "header: got %zu columns, expected " EXPECTED_HEADER,
                  ln->nfields);
        return -1;
    }
    bool ok = true;
    for (size_t i = 0; i < ln->nfields; i++) {
        const struct field *f = &ln->f[i];
        if (header_col_ok((enum form)form, i, f))
            continue;
        csv_error(r, ln->no, f->col,
                  "header column %zu: got '%.*s%s', expected '%s' (%s of %zu "
                  "columns)",
                  i + 1, echo_len(f), f->s, echo_more(f), form_cols[form][i],
                  form_title[form], ln->nfields);
        ok = false;
    }
    return ok ? form : -1;
}

/* ---- rows -------------------------------------------------------------- */

/* Strict decimal in [1, max]; reports and returns false otherwise. */
static bool read_value(struct reader *r, const struct line *ln, size_t i,
                       const char *layer, const char *column, uint64_t max,
                       uint64_t *out)
{
    const struct field *f = &ln->f[i];
    uint64_t v = 0;
    bool digits = f->n > 0, overflow = false;
    for (size_t k = 0; k < f->n && digits; k++) {
        if (f->s[k] < '0' || f->s[k] > '9') {
            digits = false;
            break;
        }
        unsigned d = (unsigned)(f->s[k] - '0');
        if (v > (UINT64_MAX - d) / 10)
            overflow = true;
        else
            v = v * 10 + d;
    }
    if (digits && !overflow && v >= 1 && v <= max) {
        *out = v;
        return true;
    }
    if (!f->n)
        csv_error(r, ln->no, f->col,
                  "%s: %s: got nothing, expected an integer in [1, %llu]",
                  layer, column, (unsigned long long)max);
    else
        csv_error(r, ln->no, f->col,
                  "%s: %s: got '%.*s%s', expected an integer in [1, %llu]",
                  layer, column, echo_len(f), f->s, echo_more(f),
                  (unsigned long long)max);
    return false;
}

/* The layer name: the first field; reported if empty or too long. */
static bool read_name(struct reader *r, const struct line *ln, char *name)
{
    const struct field *f = &ln->f[0];
    if (!f->n) {
        csv_error(r, ln->no, f->col, "Layer name: got nothing, expected a name");
        return false;
    }
    if (f->n >= PESIM_NAME_MAX) {
        csv_error(r, ln->no, f->col,
                  "Layer name: got '%.*s...' (%zu bytes), expected at most %d "
                  "bytes",
                  20, f->s, f->n, PESIM_NAME_MAX - 1);
        return false;
    }
    size_t off;
    char why[96];
    if (pesim_name_check(f->s, f->n, &off, why, sizeof why)) {
        csv_error(r, ln->no, f->col, "Layer name: got %s, expected %s", why,
                  PESIM_NAME_EXPECTED);
        return false;
    }
    memcpy(name, f->s, f->n);
    name[f->n] = '\0';
    return true;
}

static void default_geometry(struct pesim_layer *l)
{
    for (int d = 0; d < PESIM_DIM_COUNT; d++)
        l->dim[d] = 1;
    l->stride[0] = l->stride[1] = 1;
    l->dilation[0] = l->dilation[1] = 1;
    l->pad[0] = l->pad[1] = 0;
}

/* A convolution row (8 or 9 fields) into l. */
static bool conv_row(struct reader *r, const struct line *ln, enum form form,
                     struct pesim_layer *l)
{
    const char *const *cols = form_cols[form];
    const char *name = l->name[0] ? l->name : "?";
    uint64_t v[10] = {0};
    bool ok = true;
    size_t n = form_nfields[form];
    for (size_t i = 1; i < n; i++) {
        uint64_t max = i >= 7 ? STRIDE_MAX : DIM_MAX;
        if (!read_value(r, ln, i, name, cols[i], max, &v[i]))
            ok = false;
    }
    if (form == FORM_CONV)
        v[8] = v[7];
    /* A filter larger than the ifmap: SCALE-Sim asserts (its issue #9). */
    for (size_t i = 1; i <= 2; i++)
        if (v[i] && v[i + 2] && v[i + 2] > v[i]) {
            csv_error(r, ln->no, ln->f[i + 2].col,
                      "%s: %s: got %llu, expected at most the %s %llu", name,
                      cols[i + 2], (unsigned long long)v[i + 2], cols[i],
                      (unsigned long long)v[i]);
            ok = false;
        }
    if (!ok)
        return false;
    default_geometry(l);
    l->kind = PESIM_LAYER_CONV;
    l->dim[PESIM_DIM_R] = v[3];
    l->dim[PESIM_DIM_S] = v[4];
    l->dim[PESIM_DIM_C] = v[5];
    l->dim[PESIM_DIM_M] = v[6];
    l->stride[0] = (uint32_t)v[7];
    l->stride[1] = (uint32_t)v[8];
    /* SCALE-Sim's ceil((ifmap - filter + stride) / stride). */
    l->dim[PESIM_DIM_P] = (v[1] - v[3] + v[7] - 1) / v[7] + 1;
    l->dim[PESIM_DIM_Q] = (v[2] - v[4] + v[8] - 1) / v[8] + 1;
    if (strstr(l->name, "DP")) {
        l->dim[PESIM_DIM_G] = v[5];
        l->dim[PESIM_DIM_C] = 1;
    }
    return true;
}

static bool gemm_row(struct reader *r, const struct line *ln,
                     struct pesim_layer *l)
{
    const char *name = l->name[0] ? l->name : "?";
    uint64_t v[4] = {0};
    bool ok = true;
    for (size_t i = 1; i < 4; i++)
        if (!read_value(r, ln, i, name, form_cols[FORM_GEMM][i], DIM_MAX,
                        &v[i]))
            ok = false;
    if (!ok)
        return false;
    default_geometry(l);
    l->kind = PESIM_LAYER_GEMM;
    l->dim[PESIM_DIM_N] = v[1]; /* M: rows of the output */
    l->dim[PESIM_DIM_M] = v[2]; /* N: columns of the output */
    l->dim[PESIM_DIM_C] = v[3]; /* K: the reduction */
    return true;
}

/* Counts of every data space and the MACs fit in 64 bits. */
static bool fits(const struct pesim_layer *l)
{
    if (pesim_layer_macs(l) == UINT64_MAX)
        return false;
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (pesim_layer_ds_words(l, (enum pesim_ds)ds) == UINT64_MAX)
            return false;
    return true;
}

static int push_row(struct reader *r, const struct pesim_layer *l,
                    const struct line *ln)
{
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        struct pesim_layer *nl = realloc(r->layers, cap * sizeof *nl);
        if (!nl)
            return PESIM_E_NOMEM;
        r->layers = nl;
        struct row *nr = realloc(r->rows, cap * sizeof *nr);
        if (!nr)
            return PESIM_E_NOMEM;
        r->rows = nr;
        r->cap = cap;
    }
    r->layers[r->count] = *l;
    r->rows[r->count] = (struct row){ln->no, ln->f[0].col, NULL};
    r->count++;
    return 0;
}

static void read_row(struct reader *r, const struct line *ln, enum form form)
{
    size_t want = form_nfields[form];
    if (ln->nfields != want) {
        bool few = ln->nfields < want;
        unsigned col = few ? ln->end : ln->f[want].col;
        csv_error(r, ln->no, col,
                  "got %zu fields, expected %zu (%s) and an optional "
                  "trailing comma",
                  ln->nfields, want,
                  form == FORM_GEMM ? "Layer, M, N, K"
                  : form == FORM_CONV
                      ? "Layer name, IFMAP Height, IFMAP Width, Filter "
                        "Height, Filter Width, Channels, Num Filter, Strides"
                      : "Layer name, IFMAP Height, IFMAP Width, Filter "
                        "Height, Filter Width, Channels, Num Filter, Stride "
                        "Height, Stride Width");
        return;
    }
    struct pesim_layer l;
    memset(&l, 0, sizeof l);
    bool named = read_name(r, ln, l.name);
    bool ok = form == FORM_GEMM ? gemm_row(r, ln, &l) : conv_row(r, ln, form, &l);
    if (!named || !ok)
        return;
    if (!fits(&l)) {
        csv_error(r, ln->no, ln->f[0].col,
                  "%s: its MACs or data-space words overflow 64 bits, "
                  "expected a layer whose counts fit in 64 bits",
                  l.name);
        return;
    }
    if (push_row(r, &l, ln))
        r->ctx.nomem = true;
}

/* ---- duplicates -------------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* Sorting keeps this O(n log n) on large files; the errors are put back in
 * file order by the context. Rows are in file order, one per line, so the
 * line breaks ties. */
static void check_duplicates(struct reader *r)
{
    if (r->count < 2)
        return;
    for (size_t i = 0; i < r->count; i++)
        r->rows[i].name = r->layers[i].name;
    qsort(r->rows, r->count, sizeof *r->rows, by_name);
    for (size_t i = 1, first = 0; i < r->count; i++) {
        const struct row *a = &r->rows[first], *b = &r->rows[i];
        if (strcmp(a->name, b->name) != 0) {
            first = i;
            continue;
        }
        csv_error(r, b->line, b->col,
                  "%s: duplicate layer name (first at line %u), expected "
                  "unique names",
                  b->name, a->line);
    }
}

/* ---- entry ------------------------------------------------------------- */

/* The workload's name: the file's base name up to its first dot. */
static void name_from_file(const char *file, char *name)
{
    const char *base = file ? strrchr(file, '/') : NULL;
    base = base ? base + 1 : (file ? file : "");
    size_t n = strcspn(base, ".");
    if (n >= PESIM_NAME_MAX)
        n = PESIM_NAME_MAX - 1;
    memcpy(name, base, n);
    name[n] = '\0';
    if (!n)
        strcpy(name, "scalesim");
}

static void read_all(struct reader *r)
{
    struct line ln;
    /* A UTF-8 byte order mark, as spreadsheets write it. */
    if (r->len >= 3 && memcmp(r->text, "\xEF\xBB\xBF", 3) == 0)
        r->pos = 3;
    if (!next_line(r, &ln)) {
        csv_error(r, 1, 1,
                  "got an empty file, expected a header row " EXPECTED_HEADER);
        return;
    }
    unsigned header_line = ln.no;
    int form = read_header(r, &ln);
    if (form < 0)
        return;
    bool any = false;
    while (next_line(r, &ln)) {
        any = true;
        read_row(r, &ln, (enum form)form);
    }
    if (!any)
        csv_error(r, header_line, 1,
                  "got no layer rows after the header, expected at least one");
    check_duplicates(r);
}

int pesim_import_scalesim(const char *text, size_t len, const char *file,
                          struct pesim_workload *out, pesim_diags *diags)
{
    struct reader r;
    memset(&r, 0, sizeof r);
    pesim_cfg_init(&r.ctx, file ? file : "scalesim.csv");
    r.text = text ? text : "";
    r.len = text ? len : 0;
    read_all(&r);
    free(r.rows);
    int rc = pesim_cfg_finish(&r.ctx, diags);
    if (rc) {
        free(r.layers);
        return rc;
    }
    memset(out, 0, sizeof *out);
    name_from_file(file, out->name);
    out->count = r.count;
    out->layers = r.layers;
    return 0;
}
