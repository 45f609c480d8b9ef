/* bench_eyeriss — the Eyeriss job of docs/validation.md §1-§3: AlexNet
 * CONV1-5 at batch 4 on eyeriss-v1 with row-stationary, mapped and run by
 * the event engine, one thread: the default latency objective (its best
 * candidates re-ranked by the engine), the same judged by the analysis
 * alone (the chip's way of mapping: full array, then energy), and the
 * energy objective.
 * Prints the median wall time of REPS whole runs (mapper + engine; target
 * under 1 s) and the run's figures beside the chip's (JSSC 2017 Table V).
 * Usage: bench_eyeriss [reps]. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench/bench.h"
#include "pesim.h"

#define MAX_REPS 64

/* JSSC 2017 Table V: total latency (ms), GLB and DRAM traffic (MB). */
static const double chip_ms[5] = {20.9, 41.9, 23.6, 18.4, 10.5};
static const unsigned chip_pes[5] = {154, 135, 156, 156, 156};

static double glb_mb(const struct pesim_analysis *a)
{
    return (double)pesim_analysis_level_accesses(a, PESIM_LEVEL_GLB) * 2 / 1e6;
}

static double dram_mb(const struct pesim_layer_result *r)
{
    uint64_t w = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        w += r->dram_link_words[ds];
    return (double)w * 2 / 1e6;
}

/* The latency objective judged by the analysis alone: the mapper's pick,
 * then the event engine. */
static int chip_mapped(const struct pesim_arch *a, const struct pesim_workload *wl,
                       struct pesim_layer_result *out, struct pesim_layer_result *total,
                       pesim_diags *d)
{
    for (size_t i = 0; i < wl->count; i++) {
        struct pesim_mapping m;
        int rc = pesim_df_map_for(pesim_df_find("rs"), a, &wl->layers[i],
                                  PESIM_OBJECTIVE_LATENCY, &m, d);
        if (!rc)
            rc = pesim_sim_layer_engine(a, &wl->layers[i], &m, PESIM_ENGINE_EVENT, "rs", &out[i],
                                        d);
        if (rc)
            return rc;
    }
    pesim_sim_total(a, out, wl->count, total);
    return 0;
}

/* ranked: the engine re-ranks the latency candidates (the default) */
static void job(const struct pesim_arch *a, const struct pesim_workload *wl,
                enum pesim_objective obj, bool ranked, int reps)
{
    struct pesim_layer_result out[8], total;
    double t[MAX_REPS];
    for (int i = 0; i < reps; i++) {
        pesim_diags *d = pesim_diags_create();
        double t0 = bench_now_s();
        int rc = ranked ? pesim_sim_network(a, wl, pesim_df_find("rs"), PESIM_ENGINE_EVENT, obj,
                                            1, out, &total, d)
                        : chip_mapped(a, wl, out, &total, d);
        t[i] = bench_now_s() - t0;
        if (rc) {
            pesim_diags_print(d, stderr);
            exit(1);
        }
        pesim_diags_destroy(d);
    }
    printf("objective %s%s: median %.3f s over %d runs (mapper + event engine, 1 thread)\n",
           pesim_objective_name(obj),
           obj == PESIM_OBJECTIVE_ENERGY ? "" : ranked ? ", engine-ranked" : ", by the analysis",
           bench_median(t, reps), reps);
    printf("  layer  PEs (chip)  latency ms (chip, ratio)  GLB MB  DRAM MB\n");
    for (size_t i = 0; i < wl->count; i++)
        printf("  %-5s  %3u (%3u)   %7.2f (%5.1f, %.2fx)   %6.1f  %6.2f\n", wl->layers[i].name,
               out[i].analysis.active_pes, chip_pes[i], out[i].latency_us / 1000, chip_ms[i],
               out[i].latency_us / 1000 / chip_ms[i], glb_mb(&out[i].analysis), dram_mb(&out[i]));
    printf("  total             %7.2f (115.3, %.2fx)   %6.1f (208.5)  %6.2f (15.4)\n",
           total.latency_us / 1000, total.latency_us / 1000 / 115.3, glb_mb(&total.analysis),
           dram_mb(&total));
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    if (reps < 1 || reps > MAX_REPS)
        reps = 5;
    pesim_diags *d = pesim_diags_create();
    struct pesim_arch a;
    struct pesim_workload wl = {0};
    if (pesim_arch_load("eyeriss-v1", &a, d) || pesim_workload_load("alexnet", &wl, d) ||
        pesim_workload_select(&wl, "conv", d) || pesim_workload_set_batch(&wl, 4, d)) {
        pesim_diags_print(d, stderr);
        return 2;
    }
    pesim_diags_destroy(d);
    job(&a, &wl, PESIM_OBJECTIVE_LATENCY, true, reps);
    job(&a, &wl, PESIM_OBJECTIVE_LATENCY, false, reps);
    job(&a, &wl, PESIM_OBJECTIVE_ENERGY, true, reps);
    pesim_workload_free(&wl);
    return 0;
}
