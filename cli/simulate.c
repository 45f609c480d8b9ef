/* Mapping and simulating the layers of a workload with one dataflow. */
#include <string.h>

#include "cli/cli.h"

/* Move the diags of one layer into the caller's list. Messages that do
 * not say which layer they are about get "layer NAME: " in front, so that
 * a whole-network run says where it failed. */
static void move_diags(pesim_diags *to, pesim_diags *from, const char *df,
                       const char *layer)
{
    for (size_t i = 0; i < pesim_diags_count(from); i++) {
        const struct pesim_diag *g = pesim_diags_get(from, i);
        bool named = strncmp(g->msg, "layer ", 6) == 0;
        pesim_diags_add(to, g->file[0] ? g->file : df, g->line, g->col,
                        "%s%s%s%s", named ? "" : "layer ", named ? "" : layer,
                        named ? "" : ": ", g->msg);
    }
}

int pesim_cli_simulate(const struct pesim_arch *arch,
                       const struct pesim_workload *wl,
                       const pesim_dataflow *df, enum pesim_engine engine,
                       enum pesim_objective objective,
                       struct pesim_layer_result *out,
                       struct pesim_layer_result *total, pesim_diags *diags)
{
    const char *name = pesim_df_name(df);
    int rc = 0;
    for (size_t i = 0; i < wl->count && !rc; i++) {
        const struct pesim_layer *l = &wl->layers[i];
        struct pesim_mapping m;
        pesim_diags *local = pesim_diags_create();
        if (!local)
            return PESIM_E_NOMEM;
        memset(&m, 0, sizeof m);
        rc = pesim_df_map_for(df, arch, l, objective, &m, local);
        if (!rc)
            rc = pesim_sim_layer_engine(arch, l, &m, engine, name, &out[i], local);
        if (rc) {
            move_diags(diags, local, name, l->name);
            pesim_diags_add(diags, name, 0, 0, "layer %s: %s (%s)", l->name,
                            pesim_strerror(rc), pesim_err_name(rc));
        }
        pesim_diags_destroy(local);
    }
    if (!rc)
        pesim_sim_total(arch, out, wl->count, total);
    return rc;
}
