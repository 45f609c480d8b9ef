/* A sweep's points (docs/sweeps.md, "Points"): the axes checked against the
 * base, the workload variants loaded once, the constraints compiled, and
 * the odometer over the axes filtered by them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sweep/internal.h"

#define MAX_POINTS 10000000u /* before constraints */

static const char *const derived[] = {"pes", "rf_bytes", "glb_bytes", "storage_bytes", "area",
                                      "batch"};
enum { NDERIVED = sizeof derived / sizeof derived[0] };

/* Re-emit the messages of `from` at a spec position, after `what`. */
static void relay(pesim_diags *to, const pesim_sweep *s, unsigned line, unsigned col,
                  const char *what, pesim_diags *from)
{
    for (size_t i = 0; i < pesim_diags_count(from); i++) {
        const struct pesim_diag *g = pesim_diags_get(from, i);
        /* "pe_array.rows: ..." at the spec's position, its code kept */
        pesim_diags_addc(to, g->code, s->file, line, col, "%s: %s", what, g->msg);
    }
}

static int check_arch_axis(pesim_sweep *s, size_t ai, pesim_diags *d)
{
    const struct axis *a = &s->axes[ai];
    for (size_t j = 0; j < a->n; j++) {
        struct pesim_arch arch = s->base;
        char set[SWEEP_KEY_MAX + SWEEP_VALUE_MAX + 2], what[64];
        snprintf(set, sizeof set, "%s=%s", a->key, a->value[j]);
        pesim_diags *tmp = pesim_diags_create();
        int rc = pesim_arch_set(&arch, set, tmp);
        if (rc) {
            /* a bad key fails for every value: say so at the key */
            bool key = pesim_diags_count(tmp) &&
                       pesim_diags_get(tmp, 0)->code == PESIM_DIAG_CFG_UNKNOWN_KEY;
            if (key)
                snprintf(what, sizeof what, "axes[%zu].key", ai);
            else
                snprintf(what, sizeof what, "axes[%zu].values[%zu]", ai, j);
            relay(d, s, key ? a->key_line : a->line[j], key ? a->key_col : a->col[j], what,
                  tmp);
            pesim_diags_destroy(tmp);
            return PESIM_E_INVALID; /* one message per axis: the rest say the same */
        }
        pesim_diags_destroy(tmp);
    }
    return 0;
}

static int check_axes(pesim_sweep *s, pesim_diags *d)
{
    int rc = 0;
    s->wl_axis = s->layers_axis = s->batch_axis = s->df_axis = -1;
    for (size_t i = 0; i < s->naxes; i++) {
        struct axis *a = &s->axes[i];
        switch (a->kind) {
        case AXIS_ARCH:
            rc |= check_arch_axis(s, i, d);
            break;
        case AXIS_DATAFLOW:
            s->df_axis = (int)i;
            for (size_t j = 0; j < a->n; j++)
                if (!pesim_df_find(a->value[j])) {
                    pesim_diags_addc(d, PESIM_DIAG_SWEEP_AXIS, s->file, a->line[j], a->col[j],
                                     "axes[%zu].values[%zu]: got '%s', expected one of ws, os, "
                                     "os_a, os_c, is, nlr, rs", i, j, a->value[j]);
                    rc = PESIM_E_INVALID;
                }
            break;
        case AXIS_BATCH:
            s->batch_axis = (int)i;
            for (size_t j = 0; j < a->n; j++)
                if (!(a->num[j] >= 1 && a->num[j] <= 1099511627776.0 &&
                      a->num[j] == floor(a->num[j]))) {
                    pesim_diags_addc(d, PESIM_DIAG_SWEEP_AXIS, s->file, a->line[j], a->col[j],
                                     "axes[%zu].values[%zu]: got '%s', expected an integer in "
                                     "[1, 1099511627776]", i, j, a->value[j]);
                    rc = PESIM_E_INVALID;
                }
            break;
        case AXIS_WORKLOAD:
            s->wl_axis = (int)i;
            break;
        case AXIS_LAYERS:
            s->layers_axis = (int)i;
            break;
        }
    }
    return rc ? PESIM_E_INVALID : 0;
}

static size_t axis_len(const pesim_sweep *s, int ai) { return ai < 0 ? 1 : s->axes[ai].n; }

/* Load one (workload, layers, batch) variant; errors at the value that
 * names what failed. */
static int load_variant(pesim_sweep *s, size_t w, size_t l, size_t b, struct variant *v,
                        pesim_diags *d)
{
    const struct axis *wa = s->wl_axis >= 0 ? &s->axes[s->wl_axis] : NULL;
    const struct axis *la = s->layers_axis >= 0 ? &s->axes[s->layers_axis] : NULL;
    const struct axis *ba = s->batch_axis >= 0 ? &s->axes[s->batch_axis] : NULL;
    const char *name = wa ? wa->value[w] : s->workload_name;
    const char *layers = la ? la->value[l] : s->layers;
    uint64_t batch = ba ? (uint64_t)ba->num[b] : s->batch;
    pesim_diags *tmp = pesim_diags_create();
    /* A symbolic ONNX batch takes the point's batch while its shapes are
     * inferred; other workloads get it after loading. */
    struct pesim_onnx_batch ob = {.batch = batch};
    int rc = pesim_wl_load_any_batch(name, &ob, &v->wl, tmp);
    if (rc) {
        pesim_diags_append(d, tmp);
        pesim_diags_addc(d, PESIM_DIAG_SWEEP_AXIS, s->file, wa ? wa->line[w] : s->wl_line,
                         wa ? wa->col[w] : s->wl_col,
                         "%s: cannot load workload '%s'", wa ? "axes.values" : "base.workload",
                         name);
    }
    if (!rc && layers[0] && (rc = pesim_workload_select(&v->wl, layers, tmp)) != 0)
        relay(d, s, la ? la->line[l] : s->wl_line, la ? la->col[l] : s->wl_col,
              la ? "axes.values" : "base.layers", tmp);
    if (!rc && batch && !ob.symbolic && (rc = pesim_workload_set_batch(&v->wl, batch, tmp)) != 0)
        relay(d, s, ba ? ba->line[b] : s->wl_line, ba ? ba->col[b] : s->wl_col,
              ba ? "axes.values" : "base.batch", tmp);
    if (!rc)
        pesim_diags_append(d, tmp); /* no messages: the files it read */
    pesim_diags_destroy(tmp);
    v->macs = 0;
    for (size_t i = 0; !rc && i < v->wl.count; i++)
        v->macs += pesim_layer_macs(&v->wl.layers[i]);
    return rc;
}

static int load_variants(pesim_sweep *s, pesim_diags *d)
{
    size_t nw = axis_len(s, s->wl_axis), nl = axis_len(s, s->layers_axis);
    size_t nb = axis_len(s, s->batch_axis);
    s->nvariants = nw * nl * nb;
    s->variants = calloc(s->nvariants, sizeof *s->variants);
    if (!s->variants)
        return PESIM_E_NOMEM;
    int rc = 0;
    for (size_t w = 0; w < nw; w++)
        for (size_t l = 0; l < nl; l++)
            for (size_t b = 0; b < nb; b++)
                if (load_variant(s, w, l, b, &s->variants[(w * nl + l) * nb + b], d))
                    rc = PESIM_E_INVALID;
    return rc;
}

/* ---- constraints ------------------------------------------------------ */

struct names {
    const char **v;
    size_t n, cap;
};

static void add_name(const char *name, void *ctx)
{
    struct names *ns = ctx;
    for (size_t i = 0; i < ns->n; i++)
        if (strcmp(ns->v[i], name) == 0)
            return;
    if (ns->n == ns->cap) {
        size_t cap = ns->cap ? 2 * ns->cap : 64;
        const char **v = realloc(ns->v, cap * sizeof *v);
        if (!v)
            return;
        ns->v = v;
        ns->cap = cap;
    }
    char *copy = strdup(name);
    if (copy)
        ns->v[ns->n++] = copy;
}

static void free_names(struct names *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        free((char *)ns->v[i]);
    free(ns->v);
}

static int compile_constraints(pesim_sweep *s, pesim_diags *d)
{
    if (!s->ncons)
        return 0;
    struct names ns = {0};
    for (size_t i = 0; i < s->naxes; i++) /* the likeliest first */
        if (s->axes[i].kind == AXIS_ARCH || s->axes[i].kind == AXIS_BATCH)
            add_name(s->axes[i].key, &ns);
    for (size_t i = 0; i < NDERIVED; i++)
        add_name(derived[i], &ns);
    pesim_arch_number_keys(add_name, &ns);
    s->cons = calloc(s->ncons, sizeof *s->cons);
    int rc = s->cons ? 0 : PESIM_E_NOMEM;
    for (size_t i = 0; i < s->ncons && rc != PESIM_E_NOMEM; i++) {
        char what[64];
        snprintf(what, sizeof what, "constraints[%zu]", i);
        if (sweep_expr_parse(s->cons_text[i], s->file, s->cons_line[i], s->cons_col[i], what,
                             ns.v, ns.n, &s->cons[i], d))
            rc = PESIM_E_INVALID;
    }
    free_names(&ns);
    return rc;
}

/* What a constraint sees of one candidate point. */
struct env {
    const pesim_sweep *s;
    const uint32_t *digit;
    struct pesim_arch arch;
    const struct variant *v;
};

/* Finite bytes of one instance of a general level: its byte limit, else
 * its word limits in its word sizes; 0 when it has no limit. */
static double level_bytes(const struct pesim_arch *a, unsigned lv)
{
    const struct pesim_level_cfg *c = &a->level[lv];
    if (c->bytes != PESIM_UNLIMITED)
        return (double)c->bytes;
    double ds_sum = 0, widest = 0;
    bool all = true;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        double w = pesim_arch_level_word_bytes(a, lv, ds);
        widest = w > widest ? w : widest;
        if (!c->holds[ds])
            continue;
        if (c->ds_bytes[ds] != PESIM_UNLIMITED)
            ds_sum += (double)c->ds_bytes[ds];
        else if (c->ds_words[ds] != PESIM_UNLIMITED)
            ds_sum += (double)c->ds_words[ds] * w;
        else
            all = false;
    }
    if (c->words != PESIM_UNLIMITED)
        return (double)c->words * widest;
    return all ? ds_sum : 0;
}

/* The general form's on-chip bytes over every instance, of the levels
 * down to the first fan-out (glb) or below it (rf). */
static double general_bytes(const struct pesim_arch *a, bool below)
{
    double total = 0;
    bool past = false;
    for (unsigned lv = 1; lv < a->nlevels; lv++) {
        if (past == below)
            total += level_bytes(a, lv) * (double)pesim_arch_instances(a, lv);
        past = past || pesim_arch_has_fanout(a, lv);
    }
    return total;
}

static double glb_bytes(const struct pesim_arch *a)
{
    return a->general ? general_bytes(a, false) : (double)a->glb.capacity_bytes;
}

static double rf_bytes(const struct pesim_arch *a)
{
    if (a->general)
        return general_bytes(a, true);
    const struct pesim_rf_cfg *rf = &a->pe_array.rf;
    double per_pe = 0;
    if (rf->shared) {
        uint32_t w = 0;
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            w = pesim_arch_word_bytes(a, ds) > w ? pesim_arch_word_bytes(a, ds) : w;
        per_pe = (double)rf->shared_words * w;
    } else {
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            per_pe += (double)rf->words[ds] * pesim_arch_word_bytes(a, ds);
    }
    return per_pe * pesim_arch_pes(a);
}

double sweep_area(const struct pesim_arch *a)
{
    return glb_bytes(a) + PESIM_ISO_RF_AREA * rf_bytes(a);
}

static int lookup(const char *name, void *ctx, double *value)
{
    const struct env *e = ctx;
    const pesim_sweep *s = e->s;
    for (size_t i = 0; i < s->naxes; i++)
        if (strcmp(s->axes[i].key, name) == 0) {
            *value = s->axes[i].num[e->digit[i]];
            return isnan(*value);
        }
    const struct pesim_arch *a = &e->arch;
    if (strcmp(name, "pes") == 0)
        *value = pesim_arch_pes(a);
    else if (strcmp(name, "rf_bytes") == 0)
        *value = rf_bytes(a);
    else if (strcmp(name, "glb_bytes") == 0)
        *value = glb_bytes(a);
    else if (strcmp(name, "storage_bytes") == 0)
        *value = rf_bytes(a) + glb_bytes(a);
    else if (strcmp(name, "area") == 0)
        *value = sweep_area(a);
    else if (strcmp(name, "batch") == 0)
        *value = e->v->wl.count ? (double)e->v->wl.layers[0].dim[PESIM_DIM_N] : 1;
    else
        return pesim_arch_get_number(a, name, value);
    return 0;
}

/* ---- points ----------------------------------------------------------- */

static size_t variant_index(const pesim_sweep *s, const uint32_t *digit)
{
    size_t w = s->wl_axis >= 0 ? digit[s->wl_axis] : 0;
    size_t l = s->layers_axis >= 0 ? digit[s->layers_axis] : 0;
    size_t b = s->batch_axis >= 0 ? digit[s->batch_axis] : 0;
    return (w * axis_len(s, s->layers_axis) + l) * axis_len(s, s->batch_axis) + b;
}

static int apply_arch(const pesim_sweep *s, const uint32_t *digit, struct pesim_arch *out,
                      pesim_diags *d)
{
    *out = s->base;
    for (size_t i = 0; i < s->naxes; i++) {
        if (s->axes[i].kind != AXIS_ARCH)
            continue;
        char set[SWEEP_KEY_MAX + SWEEP_VALUE_MAX + 2];
        snprintf(set, sizeof set, "%s=%s", s->axes[i].key, s->axes[i].value[digit[i]]);
        size_t before = pesim_diags_count(d);
        int rc = pesim_arch_set(out, set, d);
        pesim_diags_set_file(d, before, s->file);
        if (rc)
            return rc;
    }
    return pesim_arch_validate(out, "point", d);
}

/* Whether every constraint holds; an evaluation error (a value missing,
 * a division by zero) is reported once, at the constraint, and fails. */
static int admit(const pesim_sweep *s, const uint32_t *digit, bool *ok, bool *reported,
                 pesim_diags *d)
{
    *ok = true;
    if (!s->ncons)
        return 0;
    struct env e = {s, digit, s->base, &s->variants[variant_index(s, digit)]};
    pesim_diags *tmp = pesim_diags_create();
    apply_arch(s, digit, &e.arch, tmp); /* an invalid arch still has its values */
    pesim_diags_destroy(tmp);
    for (size_t i = 0; i < s->ncons && *ok; i++) {
        double v;
        struct sweep_expr_error err;
        if (sweep_expr_eval(s->cons[i], lookup, &e, &v, &err)) {
            if (!reported[i])
                pesim_diags_addc(d, PESIM_DIAG_SWEEP_EXPR, s->file, err.line, err.col,
                                 "%s", err.msg);
            reported[i] = true;
            *ok = false;
            return PESIM_E_INVALID;
        }
        *ok = v != 0;
    }
    return 0;
}

static int enumerate(pesim_sweep *s, pesim_diags *d)
{
    uint64_t total = 1;
    for (size_t i = 0; i < s->naxes; i++) {
        total *= s->axes[i].n;
        if (total > MAX_POINTS) {
            pesim_diags_addc(d, PESIM_DIAG_SWEEP_AXIS, s->file, s->axes[i].key_line,
                             s->axes[i].key_col,
                             "axes: more than %u combinations, expected fewer (split the "
                             "sweep)", MAX_POINTS);
            return PESIM_E_INVALID;
        }
    }
    uint32_t *digits = calloc((size_t)total * (s->naxes ? s->naxes : 1), sizeof *digits);
    bool *reported = calloc(s->ncons ? s->ncons : 1, sizeof *reported);
    uint32_t *cur = calloc(s->naxes ? s->naxes : 1, sizeof *cur);
    if (!digits || !reported || !cur) {
        free(digits);
        free(reported);
        free(cur);
        return PESIM_E_NOMEM;
    }
    int rc = 0;
    size_t n = 0;
    for (uint64_t k = 0; k < total && !rc; k++) {
        bool ok;
        rc = admit(s, cur, &ok, reported, d);
        if (ok)
            memcpy(&digits[n++ * s->naxes], cur, s->naxes * sizeof *cur);
        for (size_t i = s->naxes; i-- > 0;) { /* the last axis fastest */
            if (++cur[i] < s->axes[i].n)
                break;
            cur[i] = 0;
        }
    }
    free(reported);
    free(cur);
    s->digits = digits;
    s->npoints = n;
    if (!rc && n == 0) {
        pesim_diags_addc(d, PESIM_DIAG_SWEEP_EXPR, s->file, s->cons_line[0], s->cons_col[0],
                         "constraints: no point satisfies them, expected at least one");
        rc = PESIM_E_INVALID;
    }
    return rc;
}

int sweep_points_build(pesim_sweep *s, pesim_diags *d)
{
    int rc = check_axes(s, d);
    if (!rc)
        rc = load_variants(s, d);
    if (!rc)
        rc = compile_constraints(s, d);
    if (!rc)
        rc = enumerate(s, d);
    return rc;
}

const uint32_t *sweep_point(const pesim_sweep *s, size_t i) { return &s->digits[i * s->naxes]; }

const struct variant *sweep_point_variant(const pesim_sweep *s, size_t i)
{
    return &s->variants[variant_index(s, sweep_point(s, i))];
}

const char *sweep_point_dataflow(const pesim_sweep *s, size_t i)
{
    return s->df_axis >= 0 ? s->axes[s->df_axis].value[sweep_point(s, i)[s->df_axis]]
                           : s->dataflow;
}

int sweep_point_arch(const pesim_sweep *s, size_t i, struct pesim_arch *out, pesim_diags *d)
{
    return apply_arch(s, sweep_point(s, i), out, d);
}

double sweep_point_cost(const pesim_sweep *s, size_t i)
{
    struct pesim_arch a;
    pesim_diags *tmp = pesim_diags_create();
    int rc = sweep_point_arch(s, i, &a, tmp);
    pesim_diags_destroy(tmp);
    double pes = rc ? 1 : pesim_arch_pes(&a);
    return (double)sweep_point_variant(s, i)->macs / (pes > 0 ? pes : 1);
}
