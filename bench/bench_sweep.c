/* bench_sweep — sweep throughput (docs/sweeps.md): a 1,000-point study of
 * AlexNet CONV1-5 at batch 4 on eyeriss-v1 (rows x cols x GLB size x
 * dataflow), the mapper and the cycle-level engine run for every point,
 * at 1 and 2 threads. Prints points/s, wall time and the speed-up, and
 * checks that both runs wrote the same bytes. Target (issue 6): under
 * 10 minutes on this 2-core machine, at least 1.8x from 1 to 2 threads.
 * Usage: bench_sweep [ENGINE] (event by default; analysis for a quick run). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "pesim.h"

static const char spec_fmt[] =
    "sweep: bench\n"
    "base: {arch: eyeriss-v1, workload: alexnet, layers: conv, batch: 4, engine: %s}\n"
    "axes:\n"
    "  - {key: pe_array.rows, values: [8, 12, 16, 24, 32]}\n"
    "  - {key: pe_array.cols, values: [8, 14, 16, 24, 32]}\n"
    "  - {key: glb.capacity_bytes, range: {from: 16384, to: 2097152, factor: 2}}\n"
    "  - {key: dataflow, values: [ws, os, is, nlr, rs]}\n";

static char *slurp(const char *p)
{
    FILE *f = fopen(p, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = calloc(1, (size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(f);
    return s;
}

int main(int argc, char **argv)
{
    const char *engine = argc > 1 ? argv[1] : "event";
    char spec[1024], dir[] = "/tmp/bench-sweep-XXXXXX";
    snprintf(spec, sizeof spec, spec_fmt, engine);
    if (!mkdtemp(dir))
        return 1;
    pesim_diags *d = pesim_diags_create();
    pesim_sweep *s;
    if (pesim_sweep_load_string(spec, strlen(spec), "bench.yaml", &s, d)) {
        pesim_diags_print(d, stderr);
        return 2;
    }
    size_t n = pesim_sweep_count(s);
    double t[2];
    char out[2][256];
    for (unsigned jobs = 1; jobs <= 2; jobs++) {
        snprintf(out[jobs - 1], sizeof out[0], "%s/j%u.csv", dir, jobs);
        struct pesim_sweep_opts o = {.output = out[jobs - 1], .jobs = jobs};
        double t0 = bench_now_s();
        if (pesim_sweep_run(s, &o, d)) {
            pesim_diags_print(d, stderr);
            return 1;
        }
        t[jobs - 1] = bench_now_s() - t0;
        printf("sweep: %zu points, engine %s, %u thread%s: %.1f s, %.2f points/s\n", n, engine,
               jobs, jobs > 1 ? "s" : "", t[jobs - 1], (double)n / t[jobs - 1]);
        fflush(stdout);
    }
    char *a = slurp(out[0]), *b = slurp(out[1]);
    bool same = a && b && strcmp(a, b) == 0;
    printf("  outputs byte-identical: %s\n", same ? "yes" : "NO");
    printf("  speed-up 1 -> 2 threads: %.2fx (target >= 1.8x) -> %s\n", t[0] / t[1],
           t[0] / t[1] >= 1.8 ? "met" : "NOT met");
    printf("  2 threads: %.1f s (target < 600 s) -> %s\n", t[1], t[1] < 600 ? "met" : "NOT met");
    free(a);
    free(b);
    unlink(out[0]);
    unlink(out[1]);
    rmdir(dir);
    pesim_sweep_free(s);
    pesim_diags_destroy(d);
    return same ? 0 : 1;
}
