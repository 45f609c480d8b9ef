/* bench_mapper — the mapper's time per layer and the heuristic's quality.
 *
 * 1. Time: every AlexNet layer (batch 4) x every dataflow on eyeriss-v1 and
 *    generic-16x16, mapped under the latency objective; median and worst
 *    per (layer, dataflow), median of REPS rounds each. Target: < 1 s.
 * 2. Quality: on random small layers whose template space the exhaustive
 *    search covers (docs/dataflows.md, "Exhaustive search"), the heuristic
 *    search's best against the exhaustive best, per objective: how often it
 *    is optimal and how far off it is otherwise (ratio of the objective).
 * Usage: bench_mapper. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "dataflows/search.h"
#include "pesim.h"

#define REPS 3
#define CASES 300

static void time_preset(const char *arch_name)
{
    pesim_diags *d = pesim_diags_create();
    struct pesim_arch arch;
    struct pesim_workload wl = {0};
    if (pesim_arch_load(arch_name, &arch, d) || pesim_workload_load("alexnet", &wl, d) ||
        pesim_workload_set_batch(&wl, 4, d)) {
        pesim_diags_print(d, stderr);
        exit(2);
    }
    size_t n = wl.count * pesim_df_count();
    double *t = calloc(n, sizeof *t), worst = 0;
    const char *worst_name = "", *worst_df = "";
    for (size_t i = 0; i < wl.count; i++)
        for (size_t k = 0; k < pesim_df_count(); k++) {
            double r[REPS];
            for (int rep = 0; rep < REPS; rep++) {
                struct pesim_mapping m;
                double t0 = bench_now_s();
                pesim_df_map(pesim_df_get(k), &arch, &wl.layers[i], &m, NULL);
                r[rep] = bench_now_s() - t0;
            }
            double med = bench_median(r, REPS);
            t[i * pesim_df_count() + k] = med;
            if (med > worst) {
                worst = med;
                worst_name = wl.layers[i].name;
                worst_df = pesim_df_name(pesim_df_get(k));
            }
        }
    printf("mapper time on %s: %zu (layer, dataflow) pairs, median %.4f s, worst %.4f s "
           "(%s, %s)  target < 1 s -> %s\n",
           arch_name, n, bench_median(t, (int)n), worst, worst_name, worst_df,
           worst < 1.0 ? "met" : "NOT met");
    free(t);
    pesim_workload_free(&wl);
    pesim_diags_destroy(d);
}

static uint64_t rng = 0x2545F4914F6CDD1Du;
static uint64_t rnd(uint64_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng % n;
}

static double value(struct df_score s)
{
    switch (s.objective) {
    case PESIM_OBJECTIVE_ENERGY: return s.energy;
    case PESIM_OBJECTIVE_EDP: return s.energy * (double)s.cycles;
    default: return (double)s.cycles;
    }
}

static void quality(void)
{
    pesim_diags *d = pesim_diags_create();
    struct pesim_arch base;
    if (pesim_arch_load("generic-16x16", &base, d)) {
        pesim_diags_print(d, stderr);
        exit(2);
    }
    int optimal[PESIM_OBJECTIVE_COUNT] = {0}, cases[PESIM_OBJECTIVE_COUNT] = {0};
    double worst[PESIM_OBJECTIVE_COUNT] = {1, 1, 1};
    static double ratio[PESIM_OBJECTIVE_COUNT][CASES * 8];
    double t_ex = 0, t_heur = 0, t_ex_worst = 0;
    for (int c = 0; c < CASES; c++) {
        struct pesim_arch a = base;
        a.pe_array.rows = 2 + (uint32_t)rnd(4);
        a.pe_array.cols = 2 + (uint32_t)rnd(4);
        pesim_arch_expand(&a);
        for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
            a.pe_array.rf.words[ds] = 2 + rnd(30);
        pesim_arch_expand(&a);
        a.glb.capacity_bytes = 128 + rnd(2048);
        pesim_arch_expand(&a);
        struct pesim_layer l;
        memset(&l, 0, sizeof l);
        strcpy(l.name, "r");
        l.kind = PESIM_LAYER_CONV;
        uint64_t dim[PESIM_DIM_COUNT] = {1 + rnd(2), 1, 1 + rnd(8), 1 + rnd(8),
                                         1 + rnd(7), 1 + rnd(4), 1 + rnd(3), 1 + rnd(3)};
        memcpy(l.dim, dim, sizeof dim);
        l.stride[0] = l.stride[1] = l.dilation[0] = l.dilation[1] = 1;
        const struct pesim_dataflow *df = pesim_df_get((size_t)rnd(pesim_df_count()));
        if (df_space_size(df, &a, &l, DF_EXHAUSTIVE_LIMIT) > DF_EXHAUSTIVE_LIMIT)
            continue;
        for (int o = 0; o < PESIM_OBJECTIVE_COUNT; o++) {
            static struct df_top ex, he;
            ex = (struct df_top){.cap = 1};
            he = (struct df_top){.cap = 1};
            struct pesim_mapping closest;
            double t0 = bench_now_s();
            int rce = df_map_exhaustive(df, &a, &l, o, &ex);
            double t1 = bench_now_s();
            int rch = df_map_heuristic(df, &a, &l, o, &he, &closest);
            t_heur += bench_now_s() - t1;
            t_ex += t1 - t0;
            if (t1 - t0 > t_ex_worst)
                t_ex_worst = t1 - t0;
            if (rce || rch)
                continue;
            struct pesim_analysis an;
            pesim_map_analyze(&a, &l, &he.m[0], &an);
            double r = value(df_score_of(&a, &an, o)) / value(ex.s[0]);
            ratio[o][cases[o]++] = r;
            optimal[o] += r <= 1.0;
            if (r > worst[o])
                worst[o] = r;
        }
    }
    printf("heuristic vs exhaustive on random small layers (generic-16x16 shrunk to 2-5 x 2-5):\n");
    for (int o = 0; o < PESIM_OBJECTIVE_COUNT; o++)
        printf("  %-7s %3d cases: heuristic optimal in %3d (%.0f%%), ratio median %.3f, worst %.3f\n",
               pesim_objective_name(o), cases[o], optimal[o],
               cases[o] ? 100.0 * optimal[o] / cases[o] : 0.0,
               cases[o] ? bench_median(ratio[o], cases[o]) : 0.0, worst[o]);
    printf("  time: exhaustive %.3f s (worst single search %.3f s), heuristic %.3f s in all\n",
           t_ex, t_ex_worst, t_heur);
    pesim_diags_destroy(d);
}

int main(void)
{
    time_preset("eyeriss-v1");
    time_preset("generic-16x16");
    quality();
    return 0;
}
