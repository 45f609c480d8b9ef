/* bench_kernel — events per second of the event kernel (sim/kernel.c) on
 * one core, with 1k and with 100k events pending.
 *
 * Every event, when it fires, reschedules itself at now + a pseudo-random
 * delay in [1, 64], so the heap stays at its size for the whole round and
 * each fired event costs one pop (into the batch) and one push. The rate is
 * the median over ROUNDS timed rounds of FIRES_PER_ROUND events.
 * Usage: bench_kernel. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench/bench.h"
#include "pesim.h"

#define ROUNDS 5
#define FIRES_PER_ROUND 5000000ULL

struct bench_event {
    struct pesim_event ev;
    uint64_t rng;
};

/* Per-event xorshift state: no shared state, so the delay sequence does not
 * depend on firing order. */
static uint64_t next_delay(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return 1 + (*s & 63);
}

static void fire(pesim_kernel *k, struct pesim_event *ev)
{
    struct bench_event *b = (struct bench_event *)ev;
    pesim_kernel_schedule(k, ev, pesim_kernel_now(k) + next_delay(&b->rng));
}

/* Median events/s with `pending` events in the heap; 0 on failure. */
static double bench(size_t pending, double *min, double *max)
{
    pesim_kernel *k = pesim_kernel_create(pending, NULL);
    struct bench_event *ev = calloc(pending, sizeof *ev);
    if (!k || !ev) {
        pesim_kernel_destroy(k);
        free(ev);
        return 0;
    }
    for (size_t i = 0; i < pending; i++) {
        pesim_event_init(&ev[i].ev, fire);
        ev[i].rng = 0x9E3779B97F4A7C15ULL ^ (i * 0xBF58476D1CE4E5B9ULL) ^ 1;
        pesim_kernel_schedule(k, &ev[i].ev, next_delay(&ev[i].rng));
    }
    double rate[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t start = pesim_kernel_events(k);
        double t0 = bench_now_s();
        /* Run in slices of simulated time until enough events fired; the
         * mean delay is 32.5, so a cycle fires about pending / 32.5. */
        while (pesim_kernel_events(k) - start < FIRES_PER_ROUND)
            pesim_kernel_run(k, pesim_kernel_now(k) + 64);
        double dt = bench_now_s() - t0;
        rate[r] = (double)(pesim_kernel_events(k) - start) / dt;
    }
    qsort(rate, ROUNDS, sizeof rate[0], bench_cmp_double);
    *min = rate[0];
    *max = rate[ROUNDS - 1];
    pesim_kernel_destroy(k);
    free(ev);
    return rate[ROUNDS / 2];
}

int main(void)
{
    static const size_t sizes[] = {1000, 100000};
    printf("kernel: events/s, each fired event reschedules itself at now + [1, 64]\n");
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        double lo = 0, hi = 0;
        double med = bench(sizes[i], &lo, &hi);
        if (med == 0) {
            fprintf(stderr, "bench_kernel: out of memory\n");
            return 1;
        }
        printf("  %6zu pending: median %.0f  (min %.0f, max %.0f over %d rounds of %llu)\n",
               sizes[i], med, lo, hi, ROUNDS, (unsigned long long)FIRES_PER_ROUND);
    }
    return 0;
}
