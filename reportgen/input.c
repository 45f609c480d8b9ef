/* Reading the inputs of `pesim report`: run/compare JSON through libyaml
 * (JSON is YAML, and libyaml keeps a position on every node for the error
 * messages), a sweep's CSV and JSON lines by hand. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "common/file.h"
#include "config/cfg.h"
#include "reportgen/reportgen.h"

const char *const pesim_rg_level_keys[PESIM_RG_LEVELS] = {"dram", "glb", "noc", "rf", "mac"};
const char *const pesim_rg_data_keys[PESIM_RG_DATA] = {"weights", "inputs", "outputs"};
const char *const pesim_rg_stall_keys[PESIM_RG_STALLS] = {
    "compute", "fill_drain", "dram_bandwidth", "dram_latency", "glb", "noc"};

/* One JSON document being read; `err` is set by the first problem and
 * every later one is still reported. */
struct jdoc {
    yaml_document_t doc;
    const char *path;
    pesim_diags *diags;
    unsigned line0; /* added to libyaml's line (JSON lines: the file line) */
    int err;
};

static void bad(struct jdoc *j, const yaml_node_t *n, const char *fmt, const char *a,
                const char *b)
{
    unsigned line = n ? (unsigned)n->start_mark.line + 1 + j->line0 : 1;
    unsigned col = n ? (unsigned)n->start_mark.column + 1 : 1;
    pesim_diags_addc(j->diags, PESIM_DIAG_REPORT_INPUT, j->path, line, col, fmt, a, b);
    j->err = PESIM_E_INVALID;
}

static char *dup(const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s ? s : "", n);
    return d;
}

static yaml_node_t *node(struct jdoc *j, int id) { return yaml_document_get_node(&j->doc, id); }

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* The value of `key` in mapping `m`, or NULL. */
static yaml_node_t *find(struct jdoc *j, yaml_node_t *m, const char *key)
{
    if (!m || m->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        const char *k = scalar(node(j, p->key));
        if (k && strcmp(k, key) == 0)
            return node(j, p->value);
    }
    return NULL;
}

/* The value of `key`, which must be there and be of `type`; `what` names the
 * key's full path in the message. */
static yaml_node_t *need(struct jdoc *j, yaml_node_t *m, const char *key, yaml_node_type_t type,
                         const char *what)
{
    yaml_node_t *v = find(j, m, key);
    static const char *const tn[] = {"", "a string or number", "an array", "an object"};
    if (!v)
        bad(j, m, "missing key '%s'%s", what, "");
    else if (v->type != type)
        bad(j, v, "%s: expected %s", what, tn[type]);
    return v && v->type == type ? v : NULL;
}

/* A number (or null, read as NaN: energy per MAC of a layer with no MACs). */
static double number(struct jdoc *j, yaml_node_t *m, const char *key, const char *what)
{
    yaml_node_t *v = need(j, m, key, YAML_SCALAR_NODE, what);
    const char *s = scalar(v);
    if (!s)
        return NAN;
    if (strcmp(s, "null") == 0)
        return NAN;
    char *end;
    double d = strtod(s, &end);
    if (!*s || *end || v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        bad(j, v, "%s: expected a number, got '%s'", what, s);
    else if (!isfinite(d)) {
        /* strtod takes NaN and Infinity, which JSON has not, and 1e999
         * overflows to infinity: the charts would draw nothing or fail. */
        bad(j, v, "%s: expected a finite number, got '%s'", what, s);
        return NAN;
    }
    return d;
}

static void numbers(struct jdoc *j, yaml_node_t *m, const char *key, const char *const *keys,
                    size_t n, double *out)
{
    char what[96];
    yaml_node_t *o = need(j, m, key, YAML_MAPPING_NODE, key);
    for (size_t i = 0; i < n; i++) {
        snprintf(what, sizeof what, "%s.%s", key, keys[i]);
        out[i] = o ? number(j, o, keys[i], what) : NAN;
    }
}

static int result(struct jdoc *j, yaml_node_t *r, struct pesim_rg_result *out)
{
    static const char *const util[] = {"spatial", "temporal"};
    double u[2];
    yaml_node_t *name = need(j, r, "name", YAML_SCALAR_NODE, "name");
    out->name = dup(name ? scalar(name) : "");
    if (!out->name)
        return PESIM_E_NOMEM;
    out->macs = number(j, r, "macs", "macs");
    out->cycles = number(j, r, "cycles", "cycles");
    out->latency_us = number(j, r, "latency_us", "latency_us");
    numbers(j, r, "utilization", util, 2, u);
    out->util_spatial = u[0];
    out->util_temporal = u[1];
    numbers(j, r, "stalls", pesim_rg_stall_keys, PESIM_RG_STALLS, out->stalls);
    yaml_node_t *e = need(j, r, "energy", YAML_MAPPING_NODE, "energy");
    if (!e)
        return 0;
    out->energy_total = number(j, e, "total", "energy.total");
    out->energy_per_mac = number(j, e, "per_mac", "energy.per_mac");
    out->leakage = number(j, e, "leakage", "energy.leakage");
    /* A general architecture's rows are its own levels and networks; its
     * by_class gathers them into the five the charts draw. */
    const char *rows = find(j, e, "by_class") ? "by_class" : "by_level";
    numbers(j, e, rows, pesim_rg_level_keys, PESIM_RG_LEVELS, out->by_level);
    numbers(j, e, "by_data", pesim_rg_data_keys, PESIM_RG_DATA, out->by_data);
    return 0;
}

/* "layers" and "total" of one dataflow. */
/* The "bound" entries of an optional `notes` array. */
static int notes(struct jdoc *j, yaml_node_t *m, struct pesim_rg_dataflow *df)
{
    yaml_node_t *ns = find(j, m, "notes");
    if (!ns)
        return 0;
    if (ns->type != YAML_SEQUENCE_NODE) {
        bad(j, ns, "notes: expected an array%s%s", "", "");
        return 0;
    }
    size_t n = (size_t)(ns->data.sequence.items.top - ns->data.sequence.items.start);
    df->notes = calloc(n ? n : 1, sizeof *df->notes);
    if (!df->notes)
        return PESIM_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *e = node(j, ns->data.sequence.items.start[i]);
        const char *kind = scalar(find(j, e, "kind"));
        if (!kind || strcmp(kind, "bound") != 0)
            continue;
        struct pesim_rg_note *o = &df->notes[df->nnotes];
        yaml_node_t *cause = need(j, e, "cause", YAML_SCALAR_NODE, "notes[].cause");
        yaml_node_t *key = need(j, e, "key", YAML_SCALAR_NODE, "notes[].key");
        o->share = number(j, e, "share", "notes[].share");
        o->value = find(j, e, "value") ? number(j, e, "value", "notes[].value") : NAN;
        o->cause = dup(scalar(cause));
        o->key = dup(scalar(key));
        df->nnotes++;
        if (!o->cause || !o->key)
            return PESIM_E_NOMEM;
    }
    return 0;
}

static int dataflow(struct jdoc *j, yaml_node_t *m, const char *name,
                    struct pesim_rg_dataflow *df)
{
    df->name = dup(name);
    if (!df->name)
        return PESIM_E_NOMEM;
    yaml_node_t *layers = need(j, m, "layers", YAML_SEQUENCE_NODE, "layers");
    yaml_node_t *total = need(j, m, "total", YAML_MAPPING_NODE, "total");
    if (layers) {
        size_t n = (size_t)(layers->data.sequence.items.top - layers->data.sequence.items.start);
        /* pesim never writes a run of no layers; a page of empty charts
         * would hide that the input is not its output. */
        if (n == 0)
            bad(j, layers, "layers: got an empty array, expected at least one layer%s%s", "",
                "");
        df->layers = calloc(n ? n : 1, sizeof *df->layers);
        if (!df->layers)
            return PESIM_E_NOMEM;
        df->n = n;
        for (size_t i = 0; i < n; i++) {
            yaml_node_t *l = node(j, layers->data.sequence.items.start[i]);
            if (l->type != YAML_MAPPING_NODE)
                bad(j, l, "layers[]: expected an object%s%s", "", "");
            else if (result(j, l, &df->layers[i]))
                return PESIM_E_NOMEM;
        }
    }
    if (total && result(j, total, &df->total))
        return PESIM_E_NOMEM;
    return notes(j, m, df);
}

static int header_str(struct jdoc *j, yaml_node_t *root, const char *key, char **out)
{
    *out = dup(scalar(find(j, root, key)));
    return *out ? 0 : PESIM_E_NOMEM;
}

static int run_doc(struct jdoc *j, yaml_node_t *root, struct pesim_rg_input *in)
{
    yaml_node_t *dfs = find(j, root, "dataflows");
    int rc = 0;
    if (header_str(j, root, "pesim", &in->pesim) || header_str(j, root, "command", &in->command) ||
        header_str(j, root, "arch", &in->arch) ||
        header_str(j, root, "workload", &in->workload) ||
        header_str(j, root, "objective", &in->objective))
        return PESIM_E_NOMEM;
    if (!dfs && !find(j, root, "layers")) {
        bad(j, root, "unknown input: expected the JSON of `pesim run` (a \"layers\" key) or "
                     "`pesim compare` (a \"dataflows\" key)%s%s", "", "");
        return 0;
    }
    if (!dfs) {
        in->kind = PESIM_RG_RUN;
        in->dfs = calloc(1, sizeof *in->dfs);
        if (!in->dfs)
            return PESIM_E_NOMEM;
        in->ndfs = 1;
        return dataflow(j, root, scalar(find(j, root, "dataflow")), in->dfs);
    }
    in->kind = PESIM_RG_COMPARE;
    if (dfs->type != YAML_SEQUENCE_NODE) {
        bad(j, dfs, "dataflows: expected an array%s%s", "", "");
        return 0;
    }
    size_t n = (size_t)(dfs->data.sequence.items.top - dfs->data.sequence.items.start);
    if (n == 0) {
        bad(j, dfs, "dataflows: got an empty array, expected the results of at least one "
                    "dataflow%s%s", "", "");
        return 0;
    }
    in->dfs = calloc(n, sizeof *in->dfs);
    if (!in->dfs)
        return PESIM_E_NOMEM;
    in->ndfs = n;
    for (size_t i = 0; i < n && !rc; i++) {
        yaml_node_t *d = node(j, dfs->data.sequence.items.start[i]);
        yaml_node_t *name = need(j, d, "dataflow", YAML_SCALAR_NODE, "dataflows[].dataflow");
        rc = dataflow(j, d, name ? scalar(name) : "", &in->dfs[i]);
    }
    return rc;
}

/* unit and engine, from the first total that names them. */
static int run_meta(struct jdoc *j, yaml_node_t *root, struct pesim_rg_input *in)
{
    yaml_node_t *t = find(j, root, "total");
    yaml_node_t *dfs = find(j, root, "dataflows");
    if (!t && dfs && dfs->type == YAML_SEQUENCE_NODE &&
        dfs->data.sequence.items.top > dfs->data.sequence.items.start)
        t = find(j, node(j, dfs->data.sequence.items.start[0]), "total");
    in->unit = dup(scalar(find(j, find(j, t, "energy"), "unit")));
    in->engine = dup(scalar(find(j, t, "engine")));
    return in->unit && in->engine ? 0 : PESIM_E_NOMEM;
}

/* Parse `len` bytes as one JSON document; a syntax error is a diag. */
static bool parse(struct jdoc *j, const char *text, size_t len)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return false;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    /* The limits of every YAML input (config/limits.c): JSON is YAML, and
     * `[[[[...` costs libyaml the square of its depth. */
    struct pesim_yaml_problem bound;
    int b = pesim_yaml_check(text, len, &bound);
    bool ok = !b && yaml_parser_load(&p, &j->doc);
    if (b) {
        if (b != PESIM_E_NOMEM)
            pesim_diags_addc(j->diags, PESIM_DIAG_YAML_LIMIT, j->path, bound.line + j->line0,
                             bound.col, "%s",
                             bound.msg);
        j->err = b;
    } else if (!ok) {
        pesim_diags_addc(j->diags, PESIM_DIAG_YAML_SYNTAX, j->path,
                         (unsigned)p.problem_mark.line + 1 + j->line0,
                         (unsigned)p.problem_mark.column + 1, "not valid JSON: %s",
                         p.problem ? p.problem : "syntax error");
        j->err = PESIM_E_INVALID;
    } else if (!yaml_document_get_root_node(&j->doc)) {
        pesim_diags_addc(j->diags, PESIM_DIAG_YAML_EMPTY, j->path, j->line0 + 1, 1,
                         "empty input, expected JSON");
        j->err = PESIM_E_INVALID;
        yaml_document_delete(&j->doc);
        ok = false;
    }
    yaml_parser_delete(&p);
    return ok;
}

static int load_run(const char *text, size_t len, struct pesim_rg_input *in, pesim_diags *d)
{
    struct jdoc j = {.path = in->path, .diags = d};
    if (!parse(&j, text, len))
        return j.err ? j.err : PESIM_E_NOMEM;
    yaml_node_t *root = yaml_document_get_root_node(&j.doc);
    int rc = 0;
    if (root->type != YAML_MAPPING_NODE)
        bad(&j, root, "unknown input: expected a JSON object%s%s", "", "");
    else
        rc = run_doc(&j, root, in);
    if (!rc && !j.err)
        rc = run_meta(&j, root, in);
    yaml_document_delete(&j.doc);
    return rc ? rc : j.err;
}

/* ---- sweep results ---------------------------------------------------- */

static int push(char ***v, size_t *n, size_t *cap, char *s)
{
    if (!s)
        return PESIM_E_NOMEM;
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        char **nv = realloc(*v, nc * sizeof *nv);
        if (!nv) {
            free(s);
            return PESIM_E_NOMEM;
        }
        *v = nv;
        *cap = nc;
    }
    (*v)[(*n)++] = s;
    return 0;
}

static char *dupn(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

/* Split one CSV line (RFC 4180 quoting, no line breaks inside fields) into
 * cells appended to v. Returns the cell count or a negative error. */
static long csv_cells(const char *line, size_t len, char ***v, size_t *n, size_t *cap)
{
    long cells = 0;
    size_t i = 0;
    for (;;) {
        char *cell;
        if (i < len && line[i] == '"') {
            cell = malloc(len - i + 1);
            if (!cell)
                return PESIM_E_NOMEM;
            size_t k = 0;
            for (i++; i < len; i++) {
                if (line[i] == '"' && i + 1 < len && line[i + 1] == '"')
                    cell[k++] = line[i++];
                else if (line[i] == '"')
                    break;
                else
                    cell[k++] = line[i];
            }
            cell[k] = 0;
            i++; /* the closing quote */
        } else {
            size_t s = i;
            while (i < len && line[i] != ',')
                i++;
            cell = dupn(line + s, i - s);
        }
        if (push(v, n, cap, cell))
            return PESIM_E_NOMEM;
        cells++;
        if (i >= len || line[i] != ',')
            return cells;
        i++;
    }
}

static size_t line_len(const char *s, const char *end)
{
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    size_t n = (size_t)((nl ? nl : end) - s);
    if (n && s[n - 1] == '\r')
        n--;
    return n;
}

/* Where `status` is: the axes are the columns before it. */
static int sweep_header(struct pesim_rg_input *in, pesim_diags *d)
{
    struct pesim_rg_sweep *s = &in->sweep;
    for (size_t i = 1; i < s->ncols; i++)
        if (strcmp(s->cols[i], "status") == 0) {
            s->naxes = i - 1;
            if (strcmp(s->cols[0], "id") == 0)
                return 0;
        }
    pesim_diags_addc(d, PESIM_DIAG_REPORT_INPUT, in->path, 1, 1,
                     "not a sweep's results: the header must be `id`, the axes, then `status` "
                     "and the metrics (docs/sweeps.md)");
    return PESIM_E_INVALID;
}

/* The metrics follow `status` and `reason`: a cell there is empty (a
 * point that did not map) or a finite number, never a word that the
 * charts would silently read as zero. */
static bool metric_ok(const struct pesim_rg_sweep *s, size_t col, const char *t)
{
    if (col <= s->naxes + 2 || !t[0])
        return true;
    char *end;
    double v = strtod(t, &end);
    return *end == '\0' && isfinite(v) && strspn(t, "0123456789+-.eE") == strlen(t);
}

static int no_rows(const struct pesim_rg_input *in, pesim_diags *d)
{
    if (in->sweep.nrows)
        return 0;
    pesim_diags_addc(d, PESIM_DIAG_REPORT_INPUT, in->path, 1, 1,
                     "a sweep's results without a row, expected a row per "
                     "point after the header");
    return PESIM_E_INVALID;
}

static int load_csv(const char *text, size_t len, struct pesim_rg_input *in, pesim_diags *d)
{
    struct pesim_rg_sweep *s = &in->sweep;
    const char *p = text, *end = text + len;
    size_t cap = 0, ccap = 0, ncells = 0;
    int rc = 0;
    in->kind = PESIM_RG_SWEEP;
    size_t n = line_len(p, end);
    if (csv_cells(p, n, &s->cols, &s->ncols, &ccap) < 0)
        return PESIM_E_NOMEM;
    if ((rc = sweep_header(in, d)))
        return rc;
    p += n + (p + n < end);
    for (unsigned line = 2; p < end; line++) {
        n = line_len(p, end);
        const char *next = p + n + 1;
        if (n == 0 || (n == 1 && p[0] == '\r')) {
            p = next;
            continue;
        }
        long c = csv_cells(p, n, &s->cells, &ncells, &cap);
        if (c < 0)
            return PESIM_E_NOMEM;
        if ((size_t)c != s->ncols) {
            pesim_diags_addc(d, PESIM_DIAG_REPORT_INPUT, in->path, line, 1,
                             "expected %zu cells as in the header, got %ld",
                             s->ncols, c);
            while (c-- > 0)
                free(s->cells[--ncells]);
            rc = PESIM_E_INVALID;
        } else {
            for (size_t k = 0; k < s->ncols; k++) {
                const char *t = s->cells[s->nrows * s->ncols + k];
                if (!metric_ok(s, k, t)) {
                    pesim_diags_addc(d, PESIM_DIAG_REPORT_INPUT, in->path, line, (unsigned)k + 1,
                                     "%s: got '%s', expected a number", s->cols[k], t);
                    rc = PESIM_E_INVALID;
                }
            }
            s->nrows++;
        }
        p = next;
    }
    return rc ? rc : no_rows(in, d);
}

/* One JSON line into cells in the header's order (the first line sets
 * the header). */
static int jsonl_row(struct jdoc *j, yaml_node_t *o, struct pesim_rg_input *in, size_t *ncells,
                     size_t *cap, size_t *ccap)
{
    struct pesim_rg_sweep *s = &in->sweep;
    if (o->type != YAML_MAPPING_NODE) {
        bad(j, o, "expected one JSON object per line%s%s", "", "");
        return 0;
    }
    bool first = s->ncols == 0;
    if (first)
        for (yaml_node_pair_t *p = o->data.mapping.pairs.start; p < o->data.mapping.pairs.top; p++)
            if (push(&s->cols, &s->ncols, ccap, dup(scalar(node(j, p->key)))))
                return PESIM_E_NOMEM;
    if (first && sweep_header(in, j->diags)) {
        j->err = PESIM_E_INVALID;
        return 0;
    }
    for (size_t c = 0; c < s->ncols; c++) {
        yaml_node_t *v = find(j, o, s->cols[c]);
        const char *t = scalar(v);
        if (!v)
            bad(j, o, "missing key '%s'%s", s->cols[c], "");
        else if (t && strcmp(t, "null") && !metric_ok(s, c, t))
            bad(j, v, "%s: got '%s', expected a number", s->cols[c], t);
        if (push(&s->cells, ncells, cap, dup(t && strcmp(t, "null") ? t : "")))
            return PESIM_E_NOMEM;
    }
    s->nrows++;
    return 0;
}

static int load_jsonl(const char *text, size_t len, struct pesim_rg_input *in, pesim_diags *d)
{
    const char *p = text, *end = text + len;
    size_t ncells = 0, cap = 0, ccap = 0;
    int rc = 0, err = 0;
    in->kind = PESIM_RG_SWEEP;
    for (unsigned line = 0; p < end && !rc; line++) {
        size_t n = line_len(p, end);
        struct jdoc j = {.path = in->path, .diags = d, .line0 = line};
        if (n && parse(&j, p, n)) {
            rc = jsonl_row(&j, yaml_document_get_root_node(&j.doc), in, &ncells, &cap, &ccap);
            yaml_document_delete(&j.doc);
        }
        if (j.err)
            err = j.err;
        p += n + 1;
    }
    return rc ? rc : err;
}


/* JSON lines: the first line is a whole object with "id" and "status". */
static bool looks_jsonl(const char *text, size_t len)
{
    size_t n = line_len(text, text + len);
    if (n < 2 || text[n - 1] != '}')
        return false;
    const char *id = strstr(text, "\"id\"");
    const char *st = strstr(text, "\"status\"");
    return id && st && (size_t)(id - text) < n && (size_t)(st - text) < n;
}

int pesim_rg_input_load(const char *path, struct pesim_rg_input *in, pesim_diags *diags)
{
    size_t len = 0;
    memset(in, 0, sizeof *in);
    in->path = dup(path);
    if (!in->path)
        return PESIM_E_NOMEM;
    char *text;
    int rc = pesim_file_read(path, NULL, &text, &len, diags);
    if (rc == PESIM_E_IO)
        pesim_diags_addc(diags, PESIM_DIAG_FILE_IO, path, 0, 0, "cannot read the file");
    if (rc)
        return rc;
    size_t skip = strspn(text, " \t\r\n");
    if (skip < len && text[skip] == '{')
        rc = looks_jsonl(text, len) ? load_jsonl(text, len, in, diags)
                                    : load_run(text, len, in, diags);
    else if (strncmp(text, "id,", 3) == 0)
        rc = load_csv(text, len, in, diags);
    else {
        pesim_diags_addc(diags, PESIM_DIAG_REPORT_INPUT, path, 1, 1,
                         "unknown input: expected the JSON output of `pesim run` or `pesim "
                         "compare`, or a sweep's results (CSV or JSON lines)");
        rc = PESIM_E_INVALID;
    }
    free(text);
    return rc;
}

static void result_free(struct pesim_rg_result *r) { free(r->name); }

static void dataflow_free(struct pesim_rg_dataflow *df)
{
    for (size_t k = 0; k < df->n; k++)
        result_free(&df->layers[k]);
    free(df->layers);
    result_free(&df->total);
    free(df->name);
    for (size_t k = 0; k < df->nnotes; k++) {
        free(df->notes[k].cause);
        free(df->notes[k].key);
    }
    free(df->notes);
}

/* Keep the dataflows named in `list` (comma-separated), in its order. */
int pesim_rg_input_keep_dataflows(struct pesim_rg_input *in, const char *list,
                                  pesim_diags *diags)
{
    if (in->kind == PESIM_RG_SWEEP)
        return 0; /* a sweep's dataflows are an axis: --x/--y/--metric pick from it */
    struct pesim_rg_dataflow *kept = calloc(in->ndfs ? in->ndfs : 1, sizeof *kept);
    bool *taken = calloc(in->ndfs ? in->ndfs : 1, sizeof *taken);
    size_t n = 0;
    int rc = kept && taken ? 0 : PESIM_E_NOMEM;
    for (const char *p = list; !rc && *p;) {
        size_t len = strcspn(p, ",");
        size_t k = 0;
        while (k < in->ndfs && (strlen(in->dfs[k].name) != len ||
                                strncmp(in->dfs[k].name, p, len) != 0))
            k++;
        if (k == in->ndfs) {
            char names[512] = "";
            for (size_t i = 0, at = 0; i < in->ndfs && at < sizeof names; i++)
                at += (size_t)snprintf(names + at, sizeof names - at, "%s%s", i ? ", " : "",
                                       in->dfs[i].name);
            pesim_diags_addc(diags, PESIM_DIAG_CLI_USAGE, in->path, 0, 0,
                             "--dataflows: no dataflow '%.*s' in this input, it has %s",
                             (int)len, p, names);
            rc = PESIM_E_INVALID;
        } else if (!taken[k]) {
            taken[k] = true;
            kept[n++] = in->dfs[k];
        }
        p += len + (p[len] == ',');
    }
    if (rc) {
        free(kept);
        free(taken);
        return rc;
    }
    for (size_t k = 0; k < in->ndfs; k++)
        if (!taken[k])
            dataflow_free(&in->dfs[k]);
    free(in->dfs);
    free(taken);
    in->dfs = kept;
    in->ndfs = n;
    return 0;
}

void pesim_rg_input_free(struct pesim_rg_input *in)
{
    for (size_t i = 0; i < in->ndfs; i++)
        dataflow_free(&in->dfs[i]);
    free(in->dfs);
    for (size_t i = 0; i < in->sweep.ncols; i++)
        free(in->sweep.cols[i]);
    for (size_t i = 0; i < in->sweep.nrows * in->sweep.ncols; i++)
        free(in->sweep.cells[i]);
    free(in->sweep.cols);
    free(in->sweep.cells);
    free(in->path);
    free(in->pesim);
    free(in->command);
    free(in->arch);
    free(in->workload);
    free(in->unit);
    free(in->engine);
    free(in->objective);
    memset(in, 0, sizeof *in);
}
