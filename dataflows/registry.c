/* The registered dataflows, in the order `pesim compare` prints them. */
#include <string.h>

#include "dataflows/template.h"

extern const struct pesim_dataflow df_ws, df_os, df_is, df_nlr, df_rs;

static const struct pesim_dataflow *const all[] = {&df_ws, &df_os, &df_is, &df_nlr, &df_rs};

size_t pesim_df_count(void) { return sizeof all / sizeof all[0]; }

const pesim_dataflow *pesim_df_get(size_t i)
{
    return i < pesim_df_count() ? all[i] : NULL;
}

const pesim_dataflow *pesim_df_find(const char *name)
{
    for (size_t i = 0; name && i < pesim_df_count(); i++)
        if (strcmp(all[i]->name, name) == 0)
            return all[i];
    return NULL;
}

const char *pesim_df_name(const pesim_dataflow *df) { return df->name; }
const char *pesim_df_title(const pesim_dataflow *df) { return df->title; }

int pesim_df_map(const pesim_dataflow *df, const struct pesim_arch *arch,
                 const struct pesim_layer *l, struct pesim_mapping *out,
                 pesim_diags *diags)
{
    return df_map_template(df, arch, l, out, diags);
}
