/* The dataflow that is no template: `--dataflow mapspace` searches the
 * whole mapspace of the architecture under its constraints
 * (dataflows/mapspace.c; docs/dataflows.md, "The whole mapspace"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataflows/mapspace.h"

const struct pesim_dataflow df_mapspace = {
    .name = "mapspace",
    .title = "the whole mapspace, under the architecture's constraints",
    .whole_space = true,
};

int pesim_df_from_rules(const struct pesim_df_rules *rules, pesim_dataflow **out)
{
    struct owned {
        struct pesim_dataflow df;
        struct pesim_df_rules rules;
    } *o = calloc(1, sizeof *o);
    *out = NULL;
    if (!o)
        return PESIM_E_NOMEM;
    o->rules = *rules;
    o->df.name = o->rules.name;
    o->df.title = o->rules.title[0] ? o->rules.title : o->rules.name;
    o->df.whole_space = true;
    o->df.rules = &o->rules;
    *out = &o->df;
    return 0;
}

void df_template_rules(const struct pesim_dataflow *df, struct pesim_df_rules *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", df->name);
    snprintf(r->title, sizeof r->title, "%s", df->title);
    for (unsigned a = 0; a < PESIM_AXIS_COUNT; a++)
        for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
            bool on = false;
            for (unsigned i = 0; i < df->naxis_dims[a]; i++)
                on |= df->axis_dims[a][i] == d;
            if (!on)
                r->array.no_axis[d] |= (uint8_t)(1u << a);
        }
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        r->pe.keep[ds] = df->rf_keeps[ds];
    r->pe_keeps_only = true;
}

bool df_arch_constrained(const struct pesim_arch *arch)
{
    static const struct pesim_level_rules none;
    for (unsigned lv = 0; lv < arch->nlevels; lv++)
        if (memcmp(&arch->level[lv].rules, &none, sizeof none))
            return true;
    return false;
}

int df_map_constrained_template(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                                const struct pesim_layer *l, enum pesim_objective obj,
                                struct pesim_mapping *out, size_t cap, size_t *n,
                                pesim_diags *diags)
{
    struct pesim_df_rules r;
    df_template_rules(df, &r);
    struct pesim_dataflow as_rules = {.name = df->name, .title = df->title,
                                      .whole_space = true, .rules = &r};
    return df_map_whole_df(&as_rules, arch, l, obj, 1, out, cap, n, NULL, diags);
}

int pesim_df_load(const char *path, pesim_dataflow **out, pesim_diags *diags)
{
    struct pesim_df_rules r;
    *out = NULL;
    int rc = pesim_df_rules_load(path, &r, diags);
    return rc ? rc : pesim_df_from_rules(&r, out);
}

void pesim_df_free(pesim_dataflow *df)
{
    /* only what pesim_df_from_rules made: the df is the first member */
    if (df && df->rules)
        free(df);
}

/* arch with the dataflow's constraints (a copy when it has any). */
static int arch_for(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                    const struct pesim_arch **use, struct pesim_arch **owned, char *why,
                    size_t why_size)
{
    *use = arch;
    *owned = NULL;
    if (!df || !df->rules)
        return 0;
    *owned = malloc(sizeof **owned);
    if (!*owned)
        return PESIM_E_NOMEM;
    **owned = *arch;
    int rc = pesim_df_rules_apply(df->rules, *owned, why, why_size);
    if (rc) {
        free(*owned);
        *owned = NULL;
        return rc;
    }
    *use = *owned;
    return 0;
}

/* On an architecture without constraints every template's space is part
 * of the whole one: their picks (partial tiles, RS's processing passes)
 * join the search's candidates, which come first on ties. True when the
 * candidates out[0..*n) are now at least one. */
static bool seed_templates(const struct pesim_arch *arch, const struct pesim_layer *l,
                           enum pesim_objective obj, struct pesim_mapping *out, size_t cap,
                           size_t *n)
{
    struct df_top *top = calloc(1, sizeof *top);
    pesim_diags *quiet = pesim_diags_create();
    if (!top || !quiet) {
        free(top);
        pesim_diags_destroy(quiet);
        return *n > 0;
    }
    top->cap = cap;
    struct pesim_analysis a;
    for (size_t i = 0; i < *n; i++)
        if (pesim_map_analyze(arch, l, &out[i], &a) == 0)
            df_top_offer(top, &out[i], df_score_of(arch, &a, obj));
    for (size_t k = 0; k < pesim_df_count(); k++) {
        struct pesim_mapping m;
        size_t got = 0;
        if (df_map_template(pesim_df_get(k), arch, l, obj, &m, 1, &got, quiet) == 0 && got &&
            pesim_map_analyze(arch, l, &m, &a) == 0 && a.fits)
            df_top_offer(top, &m, df_score_of(arch, &a, obj));
    }
    for (size_t i = 0; i < top->n; i++)
        out[i] = top->m[i];
    *n = top->n;
    free(top);
    pesim_diags_destroy(quiet);
    return *n > 0;
}

int df_map_whole_df(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                    const struct pesim_layer *l, enum pesim_objective obj, unsigned threads,
                    struct pesim_mapping *out, size_t cap, size_t *n, struct ms_report *rep,
                    pesim_diags *diags)
{
    const struct pesim_arch *use;
    struct pesim_arch *owned;
    char why[160] = "";
    int rc = arch_for(df, arch, &use, &owned, why, sizeof why);
    *n = 0;
    if (rc == PESIM_E_NOMAP)
        pesim_diags_addc(diags, PESIM_DIAG_MAP_NOMAP, df->name, 0, 0,
                         "layer %s: the %s dataflow's constraints contradict the "
                         "architecture's: %s", l->name, df->name, why);
    if (rc)
        return rc;
    rc = df_map_whole(use, l, obj, threads, out, cap, n, rep, diags);
    if (!df->rules && !df_arch_constrained(use) && seed_templates(use, l, obj, out, cap, n))
        rc = 0;
    free(owned);
    return rc;
}

int df_map_whole(const struct pesim_arch *arch, const struct pesim_layer *l,
                 enum pesim_objective obj, unsigned threads, struct pesim_mapping *out,
                 size_t cap, size_t *n, struct ms_report *rep, pesim_diags *diags)
{
    struct df_top top = {.cap = cap};
    struct ms_report r0;
    if (!rep)
        rep = &r0;
    int rc = df_map_mapspace(arch, l, obj, threads, &top, rep);
    const char *why = rep->why;
    *n = top.n;
    for (size_t i = 0; i < top.n; i++)
        out[i] = top.m[i];
    if (rc == 0)
        return 0;
    if (rc == PESIM_E_NOMAP && why[0])
        pesim_diags_addc(diags, PESIM_DIAG_MAP_NOMAP, "mapspace", 0, 0,
                         "layer %s: no mapping meets the architecture's constraints: %s",
                         l->name, why);
    else if (rc == PESIM_E_NOMAP)
        pesim_diags_addc(diags, PESIM_DIAG_MAP_NOMAP, "mapspace", 0, 0,
                         "layer %s: no mapping of the whole mapspace fits the buffers",
                         l->name);
    return rc;
}

int pesim_df_search(const pesim_dataflow *df, const struct pesim_arch *arch,
                    const struct pesim_layer *l, enum pesim_objective objective,
                    unsigned threads, struct pesim_mapping *best,
                    struct pesim_search_report *rep, pesim_diags *diags)
{
    memset(rep, 0, sizeof *rep);
    if ((unsigned)objective >= PESIM_OBJECTIVE_COUNT)
        return PESIM_E_INVALID;
    if (!df->whole_space)
        return PESIM_E_UNSUPPORTED;
    struct pesim_layer view;
    l = pesim_layer_as_run(arch, l, &view);
    struct ms_report r;
    size_t n;
    int rc = df_map_whole_df(df, arch, l, objective, threads, best, 1, &n, &r, diags);
    rep->exhaustive = r.exhaustive;
    rep->space = r.space;
    rep->evaluated = r.evaluated;
    rep->legal = r.legal;
    rep->starts = r.restarts;
    rep->bound_energy = r.bound_energy;
    rep->bound_cycles = r.bound_cycles;
    if (rc)
        return rc;
    struct pesim_analysis a;
    if (pesim_map_analyze(arch, l, best, &a) == 0) {
        struct df_score s = df_score_of(arch, &a, objective);
        rep->energy = s.energy;
        rep->cycles = s.cycles;
    }
    return 0;
}

static bool any_rule(const struct pesim_level_rules *r, const struct pesim_level_cfg *c,
                     unsigned kind)
{
    bool any = false;
    for (unsigned i = 0; i < PESIM_DIM_COUNT; i++)
        any |= kind == 1 ? r->factor[i] != 0
             : kind == 3 ? r->spatial_factor[i] != 0
             : kind == 4 ? r->no_axis[i] != 0
                         : false;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        any |= kind == 0 ? r->keep[ds] : kind == 5 ? !c->holds[ds] : false;
    return any || (kind == 2 && r->norder);
}

static void lift(struct pesim_level_cfg *c, unsigned kind)
{
    struct pesim_level_rules *r = &c->rules;
    switch (kind) {
    case 0: memset(r->keep, 0, sizeof r->keep); break;
    case 1: memset(r->factor, 0, sizeof r->factor); break;
    case 2: r->norder = 0; break;
    case 3: memset(r->spatial_factor, 0, sizeof r->spatial_factor); break;
    case 4: memset(r->no_axis, 0, sizeof r->no_axis); break;
    default:
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            c->holds[ds] = true;
    }
}

static int effects(const struct pesim_arch *arch, const struct pesim_layer *l,
                   enum pesim_objective objective, unsigned threads,
                   struct pesim_constraint_effect *out, size_t cap, size_t *n);

int pesim_df_constraint_effects(const pesim_dataflow *df, const struct pesim_arch *base,
                                const struct pesim_layer *l,
                                enum pesim_objective objective, unsigned threads,
                                struct pesim_constraint_effect *out, size_t cap, size_t *n)
{
    const struct pesim_arch *arch;
    struct pesim_arch *owned;
    *n = 0;
    int rc = arch_for(df, base, &arch, &owned, NULL, 0);
    if (rc)
        return rc;
    rc = effects(arch, l, objective, threads, out, cap, n);
    free(owned);
    return rc;
}

static int effects(const struct pesim_arch *arch, const struct pesim_layer *l,
                   enum pesim_objective objective, unsigned threads,
                   struct pesim_constraint_effect *out, size_t cap, size_t *n)
{
    static const char *const kinds[] = {"keep", "factors", "order", "spatial_factors", "axes",
                                        "holds"};
    *n = 0;
    struct pesim_arch *a = malloc(sizeof *a);
    if (!a)
        return PESIM_E_NOMEM;
    struct df_top base = {.cap = 1};
    (void)df_map_mapspace(arch, l, objective, threads, &base, NULL);
    for (unsigned lv = 0; lv < arch->nlevels; lv++)
        for (unsigned k = 0; k < 6 && *n < cap; k++) {
            const bool *h = arch->level[lv].holds;
            bool container = !h[0] && !h[1] && !h[2]; /* keeps nothing: a structure */
            if (!any_rule(&arch->level[lv].rules, &arch->level[lv], k) ||
                (k == 5 && (lv == 0 || container)))
                continue;
            *a = *arch;
            lift(&a->level[lv], k);
            /* the pick is in the larger space too: the lifted search
             * starts from it, so lifting never reads as worse */
            struct df_top top = {.cap = 1};
            if (base.n)
                df_top_offer(&top, &base.m[0], base.s[0]);
            struct pesim_constraint_effect *e = &out[(*n)++];
            *e = (struct pesim_constraint_effect){.level = lv, .kind = kinds[k]};
            if ((df_map_mapspace(a, l, objective, threads, &top, NULL) == 0 || top.n) &&
                top.n) {
                e->found = true;
                e->energy = top.s[0].energy;
                e->cycles = top.s[0].cycles;
            }
        }
    free(a);
    return 0;
}
