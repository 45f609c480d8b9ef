/* bench_engine — the cycle-level engines on AlexNet CONV1-5, batch 4,
 * eyeriss-v1 (issue #3's targets): wall time of the event engine for every
 * layer and dataflow (target < 1 s on one core), simulated MACs/s and
 * events/s, the speedup of the event engine over the step engine on CONV3
 * with row-stationary (target >= 20x; the step engine's cycle cap, 2^24,
 * leaves out the others' CONV3 at batch 4 on this preset), and the peak resident memory (target < 64 MB).
 * Usage: bench_engine [ROUNDS] (default 5; medians are printed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench/bench.h"
#include "pesim.h"

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 5;
    if (rounds < 1 || rounds > 99)
        rounds = 5;
    pesim_diags *d = pesim_diags_create();
    struct pesim_arch arch;
    struct pesim_workload wl = {0};
    if (pesim_arch_load("eyeriss-v1", &arch, d) || pesim_workload_load("alexnet", &wl, d) ||
        pesim_workload_select(&wl, "conv", d) || pesim_workload_set_batch(&wl, 4, d)) {
        pesim_diags_print(d, stderr);
        return 2;
    }
    size_t ndf = pesim_df_count();
    struct pesim_mapping *maps = calloc(wl.count * ndf, sizeof *maps);
    if (!maps)
        return 1;
    for (size_t i = 0; i < wl.count; i++)
        for (size_t k = 0; k < ndf; k++)
            if (pesim_df_map(pesim_df_get(k), &arch, &wl.layers[i], &maps[i * ndf + k], d)) {
                pesim_diags_print(d, stderr);
                return 1;
            }

    /* per dataflow: every CONV layer, median wall time over the rounds */
    double t_df[16][99], t_event[99];
    uint64_t macs = 0, events = 0, cycles = 0;
    for (int r = 0; r < rounds; r++) {
        macs = events = cycles = 0;
        t_event[r] = 0;
        for (size_t k = 0; k < ndf && k < 16; k++) {
            double t0 = bench_now_s();
            for (size_t i = 0; i < wl.count; i++) {
                struct pesim_layer_result res;
                if (pesim_sim_layer_engine(&arch, &wl.layers[i], &maps[i * ndf + k],
                                           PESIM_ENGINE_EVENT, "bench", &res, d)) {
                    pesim_diags_print(d, stderr);
                    return 1;
                }
                macs += res.analysis.macs;
                events += res.events;
                cycles += res.cycles;
            }
            t_df[k][r] = bench_now_s() - t0;
            t_event[r] += t_df[k][r];
        }
    }
    double te = bench_median(t_event, rounds);
    printf("event engine: AlexNet CONV1-5, batch 4, eyeriss-v1, %zu dataflows (%zu layer runs)\n",
           ndf, wl.count * ndf);
    for (size_t k = 0; k < ndf && k < 16; k++)
        printf("  %-4s CONV1-5: median %.4f s  (target < 1 s)\n", pesim_df_name(pesim_df_get(k)),
               bench_median(t_df[k], rounds));
    printf("  all dataflows: median %.4f s over %d rounds\n", te, rounds);
    printf("  simulated: %llu MACs, %llu cycles, %llu events\n", (unsigned long long)macs,
           (unsigned long long)cycles, (unsigned long long)events);
    printf("  rates: %.3g MACs/s, %.3g cycles/s, %.3g events/s\n", (double)macs / te,
           (double)cycles / te, (double)events / te);

    /* event vs step on CONV3, row-stationary */
    const struct pesim_layer *conv3 = &wl.layers[2];
    size_t rs = 0;
    while (rs + 1 < ndf && strcmp(pesim_df_name(pesim_df_get(rs)), "rs") != 0)
        rs++;
    const struct pesim_mapping *m3 = &maps[2 * ndf + rs];
    int failed = 0;
    double ts[99], tv[99];
    uint64_t c_step = 0, c_event = 0;
    int srounds = rounds < 3 ? rounds : 3;
    for (int r = 0; r < srounds; r++) {
        struct pesim_layer_result res;
        double t0 = bench_now_s();
        failed |= pesim_sim_layer_engine(&arch, conv3, m3, PESIM_ENGINE_STEP, "bench", &res, d);
        ts[r] = bench_now_s() - t0;
        c_step = res.cycles;
        t0 = bench_now_s();
        failed |= pesim_sim_layer_engine(&arch, conv3, m3, PESIM_ENGINE_EVENT, "bench", &res, d);
        tv[r] = bench_now_s() - t0;
        c_event = res.cycles;
    }
    double mts = bench_median(ts, srounds), mtv = bench_median(tv, srounds);
    printf("CONV3 (rs), batch 4: step %.3f s, event %.5f s: speedup %.0fx (target >= 20x); "
           "cycles step %llu, event %llu (%s)\n",
           mts, mtv, mts / mtv, (unsigned long long)c_step, (unsigned long long)c_event,
           failed ? "A RUN FAILED" : c_step == c_event ? "equal" : "DIFFERENT");
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak resident memory: %.1f MB (target < 64 MB)\n", (double)ru.ru_maxrss / 1024.0);
    free(maps);
    pesim_workload_free(&wl);
    pesim_diags_destroy(d);
    return 0;
}
