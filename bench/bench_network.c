/* bench_network — a whole network mapped and simulated at cycle level, on
 * one core: every layer's mapper (row-stationary by default) plus the
 * event engine, through pesim_sim_network (each distinct layer shape
 * once). Median of REPS runs. Target: ResNet-50 batch 1 on eyeriss-v1
 * with rs in under 1 s (issue 13; issue 5 asked for 5 s).
 * Usage: bench_network [WORKLOAD [DATAFLOW [ARCH]]]. */
#include <stdio.h>
#include <stdlib.h>

#include "bench/bench.h"
#include "pesim.h"

#define REPS 3

int main(int argc, char **argv)
{
    const char *wl_name = argc > 1 ? argv[1] : "resnet50";
    const char *df_name = argc > 2 ? argv[2] : "rs";
    const char *arch_name = argc > 3 ? argv[3] : "eyeriss-v1";
    pesim_diags *d = pesim_diags_create();
    struct pesim_arch arch;
    struct pesim_workload wl = {0};
    const pesim_dataflow *df = pesim_df_find(df_name);
    if (!df || pesim_arch_load(arch_name, &arch, d) || pesim_wl_load_any(wl_name, &wl, d)) {
        pesim_diags_print(d, stderr);
        fprintf(stderr, "bench_network: cannot load %s / %s / %s\n", wl_name, df_name, arch_name);
        return 2;
    }
    struct pesim_layer_result *res = calloc(wl.count, sizeof *res), total;
    double t[REPS];
    int rc = 0;
    for (int r = 0; r < REPS && !rc; r++) {
        double t0 = bench_now_s();
        rc = pesim_sim_network(&arch, &wl, df, PESIM_ENGINE_EVENT, PESIM_OBJECTIVE_LATENCY, 1,
                               res, &total, d);
        t[r] = bench_now_s() - t0;
    }
    if (rc) {
        pesim_diags_print(d, stderr);
        return 1;
    }
    size_t distinct = 0;
    for (size_t i = 0; i < wl.count; i++)
        distinct += res[i].same_as[0] == '\0';
    double med = bench_median(t, REPS);
    printf("network: %s on %s with %s, %zu layers (%zu distinct shapes), %llu cycles, "
           "%llu events\n",
           wl.name, arch.name, df_name, wl.count, distinct, (unsigned long long)total.cycles,
           (unsigned long long)total.events);
    printf("  map + cycle-level simulation: median %.3f s (min %.3f, max %.3f over %d runs)\n",
           med, t[0], t[REPS - 1], REPS);
    printf("  target: < 1 s on one core (issue 13) -> %s\n", med < 1.0 ? "met" : "NOT met");
    free(res);
    pesim_workload_free(&wl);
    pesim_diags_destroy(d);
    return 0;
}
