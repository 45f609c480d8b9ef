/* The registered dataflows, in the order `pesim compare` prints them. */
#include <string.h>

#include "dataflows/template.h"

extern const struct pesim_dataflow df_ws, df_os, df_os_a, df_os_c, df_is, df_nlr, df_rs,
    df_mapspace, df_sa_os, df_sa_ws, df_sa_is;

static const struct pesim_dataflow *const all[] = {&df_ws,  &df_os, &df_os_a, &df_os_c,
                                                   &df_is,  &df_nlr, &df_rs};

size_t pesim_df_count(void) { return sizeof all / sizeof all[0]; }

const pesim_dataflow *pesim_df_get(size_t i)
{
    return i < pesim_df_count() ? all[i] : NULL;
}

static const struct pesim_dataflow *const systolic[] = {&df_sa_os, &df_sa_ws, &df_sa_is};

/* Those of SCALE-Sim's dataflows whose stationary data the PE can keep
 * (Gemmini's PEs keep weights or outputs, a TPU's weights), into out. */
static size_t systolic_list(const struct pesim_arch *arch, const pesim_dataflow **out)
{
    static const enum pesim_ds keeps[] = {PESIM_DS_OUTPUTS, PESIM_DS_WEIGHTS, PESIM_DS_INPUTS};
    size_t n = 0;
    for (size_t i = 0; i < sizeof systolic / sizeof systolic[0]; i++)
        if (arch->level[arch->nlevels - 1].holds[keeps[i]])
            out[n++] = systolic[i];
    return n;
}

size_t pesim_df_compared_count(const struct pesim_arch *arch)
{
    const pesim_dataflow *list[3];
    return pesim_arch_systolic(arch) ? systolic_list(arch, list) : pesim_df_count();
}

const pesim_dataflow *pesim_df_compared(const struct pesim_arch *arch, size_t i)
{
    if (!pesim_arch_systolic(arch))
        return pesim_df_get(i);
    const pesim_dataflow *list[3];
    return i < systolic_list(arch, list) ? list[i] : NULL;
}

/* Dataflows run by name only: `compare` compares the templates (or, on a
 * systolic array, SCALE-Sim's three). */
static const struct pesim_dataflow *const by_name_only[] = {&df_mapspace, &df_sa_os, &df_sa_ws,
                                                            &df_sa_is};

const pesim_dataflow *pesim_df_find(const char *name)
{
    for (size_t i = 0; name && i < pesim_df_count(); i++)
        if (strcmp(all[i]->name, name) == 0)
            return all[i];
    for (size_t i = 0; name && i < sizeof by_name_only / sizeof by_name_only[0]; i++)
        if (strcmp(by_name_only[i]->name, name) == 0)
            return by_name_only[i];
    return NULL;
}

const char *pesim_df_name(const pesim_dataflow *df) { return df->name; }
const char *pesim_df_title(const pesim_dataflow *df) { return df->title; }

int pesim_df_map_for(const pesim_dataflow *df, const struct pesim_arch *arch,
                     const struct pesim_layer *l, enum pesim_objective objective,
                     struct pesim_mapping *out, pesim_diags *diags)
{
    size_t n;
    return pesim_df_candidates(df, arch, l, objective, out, 1, &n, diags);
}

int pesim_df_candidates(const pesim_dataflow *df, const struct pesim_arch *arch,
                        const struct pesim_layer *l, enum pesim_objective objective,
                        struct pesim_mapping *out, size_t cap, size_t *n,
                        pesim_diags *diags)
{
    *n = 0;
    if ((unsigned)objective >= PESIM_OBJECTIVE_COUNT || cap == 0 ||
        cap > PESIM_DF_CANDIDATES_MAX)
        return PESIM_E_INVALID;
    struct pesim_layer view;
    l = pesim_layer_as_run(arch, l, &view);
    if (df->systolic) {
        int rc = df_map_systolic(df, arch, l, out, diags);
        *n = rc == 0;
        return rc;
    }
    return df_map_template(df, arch, l, objective, out, cap, n, diags);
}

int pesim_df_map(const pesim_dataflow *df, const struct pesim_arch *arch,
                 const struct pesim_layer *l, struct pesim_mapping *out,
                 pesim_diags *diags)
{
    return pesim_df_map_for(df, arch, l, PESIM_OBJECTIVE_LATENCY, out, diags);
}

const char *const pesim_objective_names[PESIM_OBJECTIVE_COUNT + 1] = {"latency", "energy", "edp",
                                                                      NULL};

const char *pesim_objective_name(enum pesim_objective o)
{
    return (unsigned)o < PESIM_OBJECTIVE_COUNT ? pesim_objective_names[o] : NULL;
}

int pesim_objective_parse(const char *name, enum pesim_objective *out)
{
    for (unsigned i = 0; name && i < PESIM_OBJECTIVE_COUNT; i++)
        if (strcmp(name, pesim_objective_names[i]) == 0) {
            *out = (enum pesim_objective)i;
            return 0;
        }
    return PESIM_E_NOTFOUND;
}
