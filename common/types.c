#include <string.h>

#include "common/dims.h"
#include "common/embed.h"
#include "pesim.h"

static const char *const ds_names[PESIM_DS_COUNT] = {"weights", "inputs",
                                                     "outputs"};
const char *const pesim_dim_names[PESIM_DIM_COUNT + 1] = {"N", "G", "M", "C",
                                                         "P", "Q", "R", "S", NULL};
static const char *const level_names[PESIM_LEVEL_COUNT] = {"dram", "glb",
                                                           "rf"};
static const char *const elevel_names[PESIM_EL_COUNT] = {"dram", "glb", "noc",
                                                         "rf", "mac"};
const char *const pesim_axis_names[PESIM_AXIS_COUNT + 1] = {"x", "y", NULL};

#define NAME_OF(table, count, v) ((unsigned)(v) < (count) ? (table)[v] : NULL)

const char *pesim_ds_name(enum pesim_ds ds) { return NAME_OF(ds_names, PESIM_DS_COUNT, ds); }
const char *pesim_dim_name(enum pesim_dim d) { return NAME_OF(pesim_dim_names, PESIM_DIM_COUNT, d); }
const char *pesim_level_name(enum pesim_level l) { return NAME_OF(level_names, PESIM_LEVEL_COUNT, l); }
const char *pesim_elevel_name(enum pesim_elevel l) { return NAME_OF(elevel_names, PESIM_EL_COUNT, l); }
const char *pesim_axis_name(enum pesim_axis a) { return NAME_OF(pesim_axis_names, PESIM_AXIS_COUNT, a); }

static int lookup(const char *const *table, int count, const char *name)
{
    for (int i = 0; name && i < count; i++)
        if (strcmp(table[i], name) == 0)
            return i;
    return -1;
}

int pesim_ds_parse(const char *name, enum pesim_ds *out)
{
    int i = lookup(ds_names, PESIM_DS_COUNT, name);
    if (i < 0)
        return PESIM_E_NOTFOUND;
    *out = (enum pesim_ds)i;
    return 0;
}

int pesim_dim_parse(const char *name, enum pesim_dim *out)
{
    int i = lookup(pesim_dim_names, PESIM_DIM_COUNT, name);
    if (i < 0)
        return PESIM_E_NOTFOUND;
    *out = (enum pesim_dim)i;
    return 0;
}

int pesim_level_parse(const char *name, enum pesim_level *out)
{
    int i = lookup(level_names, PESIM_LEVEL_COUNT, name);
    if (i < 0)
        return PESIM_E_NOTFOUND;
    *out = (enum pesim_level)i;
    return 0;
}

bool pesim_dim_relevant(enum pesim_ds ds, enum pesim_dim dim)
{
    return (unsigned)dim < PESIM_DIM_COUNT && (pesim_ds_dims(ds) & PESIM_DIM_BIT(dim)) != 0;
}

const struct pesim_embedded *pesim_embed_find(const struct pesim_embedded *t,
                                              const char *name)
{
    for (; t->name; t++)
        if (strcmp(t->name, name) == 0)
            return t;
    return NULL;
}

const char *pesim_version(void) { return PESIM_VERSION; }
