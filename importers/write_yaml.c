/* pesim's workload YAML from a workload in memory (what `pesim import`
 * writes). Every layer is one flow mapping with every key its kind takes,
 * so the file reads back to the same layers whatever the defaults. */
#include <inttypes.h>

#include "config/cfg.h"
#include "pesim/import.h"

static void pair(FILE *out, const char *key, const uint32_t v[2])
{
    if (v[0] == v[1])
        fprintf(out, ", %s: %" PRIu32, key, v[0]);
    else
        fprintf(out, ", %s: [%" PRIu32 ", %" PRIu32 "]", key, v[0], v[1]);
}

/* The densities given (none: the key is left out, dense), each to 17
 * digits so that it reads back to the same double. */
static void density(FILE *out, const struct pesim_layer *l)
{
    bool any = false;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (l->density[ds] > 0) {
            fprintf(out, "%s%s: %.17g", any ? ", " : ", density: {", pesim_ds_name(ds),
                    l->density[ds]);
            any = true;
        }
    if (any)
        fputs("}", out);
}

static void layer(FILE *out, const struct pesim_layer *l)
{
    const uint64_t *d = l->dim;
    fputs("  - {name: ", out);
    pesim_cfg_write_quoted(out, l->name);
    fprintf(out, ", type: %s", pesim_layer_kind_name(l->kind));
    if (pesim_layer_is_gemm(l)) {
        if (d[PESIM_DIM_G] > 1)
            fprintf(out, ", G: %" PRIu64, d[PESIM_DIM_G]);
        fprintf(out, ", m: %" PRIu64 ", n: %" PRIu64 ", k: %" PRIu64, d[PESIM_DIM_N],
                d[PESIM_DIM_M], d[PESIM_DIM_C]);
        density(out, l);
        fputs("}\n", out);
        return;
    }
    fprintf(out, ", N: %" PRIu64, d[PESIM_DIM_N]);
    if (d[PESIM_DIM_G] > 1)
        fprintf(out, ", G: %" PRIu64, d[PESIM_DIM_G]);
    fprintf(out, ", M: %" PRIu64 ", C: %" PRIu64, d[PESIM_DIM_M], d[PESIM_DIM_C]);
    if (l->kind == PESIM_LAYER_CONV)
        fprintf(out, ", P: %" PRIu64 ", Q: %" PRIu64, d[PESIM_DIM_P], d[PESIM_DIM_Q]);
    fprintf(out, ", R: %" PRIu64 ", S: %" PRIu64, d[PESIM_DIM_R], d[PESIM_DIM_S]);
    if (l->kind == PESIM_LAYER_CONV) {
        pair(out, "stride", l->stride);
        pair(out, "padding", l->pad);
        pair(out, "dilation", l->dilation);
    }
    density(out, l);
    fputs("}\n", out);
}

int pesim_workload_write_yaml(const struct pesim_workload *wl, FILE *out)
{
    uint64_t macs = 0, params = 0;
    for (size_t i = 0; i < wl->count; i++) {
        macs += pesim_layer_macs(&wl->layers[i]);
        params += pesim_layer_params(&wl->layers[i]);
    }
    fprintf(out, "# %zu layers, %" PRIu64 " MACs, %" PRIu64 " weights\n", wl->count, macs,
            params);
    fputs("name: ", out);
    pesim_cfg_write_quoted(out, wl->name);
    fputs("\nlayers:\n", out);
    for (size_t i = 0; i < wl->count; i++)
        layer(out, &wl->layers[i]);
    return ferror(out) ? PESIM_E_IO : 0;
}
