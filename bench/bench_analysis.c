/* bench_analysis — mapping evaluations per second of the closed-form
 * analysis (the mapper's inner loop), on one core.
 *
 * For each AlexNet CONV layer (batch 4) on eyeriss-v1 and each dataflow, the
 * mapper's chosen mapping is evaluated repeatedly; the analysis rate is the
 * median over REPS timed rounds. Usage: bench_analysis [ARCH] [WORKLOAD]. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench/bench.h"
#include "pesim.h"

#define REPS 7
#define EVALS_PER_REP 200000

int main(int argc, char **argv)
{
    const char *arch_name = argc > 1 ? argv[1] : "eyeriss-v1";
    const char *wl_name = argc > 2 ? argv[2] : "alexnet";
    pesim_diags *d = pesim_diags_create();
    struct pesim_arch arch;
    struct pesim_workload wl = {0};
    if (pesim_arch_load(arch_name, &arch, d) || pesim_workload_load(wl_name, &wl, d) ||
        pesim_workload_select(&wl, "conv", d) || pesim_workload_set_batch(&wl, 4, d)) {
        pesim_diags_print(d, stderr);
        return 2;
    }
    /* The mappings to evaluate: every (layer, dataflow) the mapper solves. */
    size_t cap = wl.count * pesim_df_count(), n = 0;
    struct pesim_mapping *maps = calloc(cap, sizeof *maps);
    const struct pesim_layer **layers = calloc(cap, sizeof *layers);
    if (!maps || !layers)
        return 1;
    for (size_t i = 0; i < wl.count; i++)
        for (size_t k = 0; k < pesim_df_count(); k++)
            if (!pesim_df_map(pesim_df_get(k), &arch, &wl.layers[i], &maps[n], NULL))
                layers[n++] = &wl.layers[i];
    if (n == 0) {
        fprintf(stderr, "bench_analysis: no mapping found\n");
        return 1;
    }

    double rate[REPS];
    uint64_t sink = 0;
    for (int r = 0; r < REPS; r++) {
        double t0 = bench_now_s();
        for (int e = 0; e < EVALS_PER_REP; e++) {
            struct pesim_analysis a;
            size_t k = (size_t)e % n;
            pesim_map_analyze(&arch, layers[k], &maps[k], &a);
            sink += a.acc[PESIM_LEVEL_GLB][PESIM_DS_INPUTS].reads;
        }
        rate[r] = EVALS_PER_REP / (bench_now_s() - t0);
    }
    qsort(rate, REPS, sizeof rate[0], bench_cmp_double);
    printf("analysis: %s on %s, %zu mappings (AlexNet CONV x every dataflow, batch 4)\n",
           wl_name, arch_name, n);
    printf("  evaluations/s: median %.0f  (min %.0f, max %.0f over %d rounds of %d)\n",
           rate[REPS / 2], rate[0], rate[REPS - 1], REPS, EVALS_PER_REP);
    printf("  target: >= 1000000/s on one core  -> %s   (checksum %llu)\n",
           rate[REPS / 2] >= 1e6 ? "met" : "NOT met", (unsigned long long)sink);

    free(maps);
    free(layers);
    pesim_workload_free(&wl);
    pesim_diags_destroy(d);
    return 0;
}
