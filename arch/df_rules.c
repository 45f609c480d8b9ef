/* A dataflow as mapspace constraints by role (include/pesim/arch.h,
 * struct pesim_df_rules; docs/dataflows.md, "A dataflow of your own"): the
 * file's schema, and how the roles land on an architecture's levels. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "arch/arch_in.h"
#include "common/file.h"

#define DF_OFF(FIELD) offsetof(struct pesim_df_rules, FIELD)

static const struct cfg_key df_keys[] = {
    {.name = "name", .type = CFG_STRING, .umax = PESIM_NAME_MAX - 1, .unit = "",
     .desc = "Its name in reports (--dataflow takes the file)", .offset = DF_OFF(name)},
    {.name = "title", .type = CFG_STRING, .umax = 95, .def = "\"\"", .unit = "",
     .desc = "What it is, in a few words", .offset = DF_OFF(title)},
    {.name = "dram", .type = CFG_SECTION, .unit = "", .sub = &pesim_rules_section,
     .flags = CFG_F_OPTIONAL, .desc = "Constraints on level 0", .offset = DF_OFF(dram)},
    {.name = "glb", .type = CFG_SECTION, .unit = "", .sub = &pesim_rules_section,
     .flags = CFG_F_OPTIONAL,
     .desc = "Constraints on the level the outermost fan-out hangs from",
     .offset = DF_OFF(glb)},
    {.name = "array", .type = CFG_SECTION, .unit = "", .sub = &pesim_rules_section,
     .flags = CFG_F_OPTIONAL,
     .desc = "Spatial constraints (spatial_factors, x, y) of every fan-out",
     .offset = DF_OFF(array)},
    {.name = "pe", .type = CFG_SECTION, .unit = "", .sub = &pesim_rules_section,
     .flags = CFG_F_OPTIONAL, .desc = "Constraints on every level below the outermost fan-out",
     .offset = DF_OFF(pe)},
    {.name = "pe_keeps_only", .type = CFG_BOOL, .def = "true", .unit = "",
     .desc = "The PE levels keep only pe.keep; the other data spaces pass by",
     .offset = DF_OFF(pe_keeps_only)},
};
static const struct cfg_section df_section = {df_keys, sizeof df_keys / sizeof df_keys[0],
                                              NULL};

static const struct cfg_key root_keys[] = {
    {.name = "dataflow", .type = CFG_SECTION, .unit = "", .sub = &df_section,
     .flags = CFG_F_REQUIRED, .desc = "A dataflow as mapspace constraints", .offset = 0},
};
const struct cfg_section pesim_df_rules_section = {root_keys, 1, NULL};

int pesim_df_rules_load_string(const char *text, size_t len, const char *file,
                               struct pesim_df_rules *out, pesim_diags *diags)
{
    struct pesim_df_rules r;
    memset(&r, 0, sizeof r);
    int rc = pesim_cfg_load(text, len, file, &pesim_df_rules_section, &r, diags);
    if (rc == 0)
        *out = r;
    return rc;
}

int pesim_df_rules_load(const char *path, struct pesim_df_rules *out, pesim_diags *diags)
{
    char *text = NULL;
    size_t len = 0;
    int rc = pesim_file_read(path, "the dataflow (--dataflow)", &text, &len, diags);
    if (rc)
        return rc;
    rc = pesim_df_rules_load_string(text, len, path, out, diags);
    free(text);
    return rc;
}

/* b's constraints onto a (temporal and keep; spatial when `spatial`). */
static bool join(struct pesim_level_rules *a, const struct pesim_level_rules *b, bool spatial)
{
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        if (b->factor[d] && a->factor[d] && a->factor[d] != b->factor[d])
            return false;
        if (b->factor[d])
            a->factor[d] = b->factor[d];
        if (!spatial)
            continue;
        if (b->spatial_factor[d] && a->spatial_factor[d] &&
            a->spatial_factor[d] != b->spatial_factor[d])
            return false;
        if (b->spatial_factor[d])
            a->spatial_factor[d] = b->spatial_factor[d];
        a->no_axis[d] |= b->no_axis[d];
    }
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        a->keep[ds] |= b->keep[ds];
    if (!a->norder && b->norder) {
        memcpy(a->order, b->order, sizeof a->order);
        a->norder = b->norder;
    }
    return true;
}

int pesim_df_rules_apply(const struct pesim_df_rules *r, struct pesim_arch *arch, char *why,
                         size_t why_size)
{
    char scratch[8];
    if (!why) {
        why = scratch;
        why_size = sizeof scratch;
    }
    snprintf(why, why_size, "a factor is fixed to two different values");
    struct pesim_arch *a = malloc(sizeof *a);
    if (!a)
        return PESIM_E_NOMEM;
    *a = *arch;
    unsigned array = 0;
    bool found = false;
    for (unsigned lv = 0; lv < a->nlevels && !found; lv++)
        if (pesim_arch_has_fanout(a, lv)) {
            array = lv;
            found = true;
        }
    bool ok = join(&a->level[0].rules, &r->dram, false);
    if (found) {
        ok = ok && (array == 0 || join(&a->level[array].rules, &r->glb, false)) &&
             join(&a->level[array].rules, &r->array, true);
        for (unsigned lv = array + 1; ok && lv < a->nlevels; lv++) {
            struct pesim_level_rules spatial = r->array;
            memset(spatial.factor, 0, sizeof spatial.factor);
            memset(spatial.keep, 0, sizeof spatial.keep);
            spatial.norder = 0;
            /* A level whose keeps the architecture fixes (a Timeloop
             * design's spads and registers) keeps what the hardware says:
             * the dataflow's pe.keep binds the levels it leaves free. */
            const struct pesim_level_cfg *hw = &arch->level[lv];
            bool fixed = hw->rules.keep[0] || hw->rules.keep[1] || hw->rules.keep[2];
            struct pesim_level_rules pe = r->pe;
            for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
                pe.keep[ds] = pe.keep[ds] && !fixed && hw->holds[ds];
            ok = join(&a->level[lv].rules, &pe, false) &&
                 (!pesim_arch_has_fanout(a, lv) || join(&a->level[lv].rules, &spatial, true));
            /* pe_keeps_only: the others pass by, where the hardware
             * leaves the choice */
            for (unsigned ds = 0; ok && ds < PESIM_DS_COUNT; ds++)
                if (r->pe_keeps_only && !r->pe.keep[ds] && !hw->rules.keep[ds])
                    a->level[lv].holds[ds] = false;
        }
    }
    if (ok)
        *arch = *a;
    free(a);
    return ok ? 0 : PESIM_E_NOMAP;
}
