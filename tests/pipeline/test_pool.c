/* The thread pool (pipeline/pool.h) and the network runner on it: every
 * job runs exactly once, results placed by index are identical on 1, 2
 * and 4 threads, stop ends the hand-out with every lower job handed out,
 * watch runs on the caller while workers run the jobs, a worker's stack
 * holds frames far larger than the pipeline's, and a network run's
 * progress reports count its layers. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "pesim.h"
#include "pipeline/pool.h"

#define NJOBS 200

struct jobs {
    uint64_t out[NJOBS];
    atomic_uint runs[NJOBS];
    atomic_uint on_caller; /* jobs run by the calling thread */
    pthread_t caller;
    size_t fail_at;        /* job that "fails" (NJOBS: none) */
    atomic_bool failed;
    atomic_uint watched;
};

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* Uneven work, so threads finish jobs out of order. */
static void job(void *ctx, size_t i)
{
    struct jobs *j = ctx;
    uint64_t x = i + 1;
    for (size_t k = 0; k < (i % 7) * 20000; k++)
        x = x * 6364136223846793005u + 1442695040888963407u;
    j->out[i] = x;
    atomic_fetch_add(&j->runs[i], 1);
    if (pthread_equal(pthread_self(), j->caller))
        atomic_fetch_add(&j->on_caller, 1);
    if (i == j->fail_at)
        atomic_store(&j->failed, true);
}

static bool stop(void *ctx)
{
    return atomic_load(&((struct jobs *)ctx)->failed);
}

static void watch(void *ctx)
{
    atomic_fetch_add(&((struct jobs *)ctx)->watched, 1);
}

static void init(struct jobs *j)
{
    memset(j, 0, sizeof *j);
    j->caller = pthread_self();
    j->fail_at = NJOBS;
}

static void test_same_results_any_threads(void **state)
{
    (void)state;
    static struct jobs one, many;
    init(&one);
    struct pesim_pool p = {.n = NJOBS, .job = job, .ctx = &one};
    assert_int_equal(pesim_pool_run(&p, 1), 1);
    assert_int_equal(atomic_load(&one.on_caller), NJOBS); /* one thread: the caller's */
    for (unsigned threads = 2; threads <= 4; threads += 2) {
        init(&many);
        p.ctx = &many;
        assert_int_equal(pesim_pool_run(&p, threads), threads);
        assert_memory_equal(one.out, many.out, sizeof one.out);
        for (size_t i = 0; i < NJOBS; i++)
            assert_int_equal(atomic_load(&many.runs[i]), 1);
    }
    /* more threads than jobs: as many as jobs; none: nothing to do */
    init(&many);
    p.ctx = &many;
    p.n = 3;
    assert_int_equal(pesim_pool_run(&p, 64), 3);
    p.n = 0;
    assert_int_equal(pesim_pool_run(&p, 2), 0);
}

/* After job k asks to stop, every job below k has been handed out (and
 * run); on one thread, exactly 0..k ran. */
static void test_stop(void **state)
{
    (void)state;
    static struct jobs j;
    for (unsigned threads = 1; threads <= 2; threads++) {
        init(&j);
        j.fail_at = 50;
        struct pesim_pool p = {.n = NJOBS, .job = job, .ctx = &j, .stop = stop};
        pesim_pool_run(&p, threads);
        size_t ran = 0;
        for (size_t i = 0; i < NJOBS; i++) {
            assert_true(atomic_load(&j.runs[i]) <= 1);
            if (i <= 50)
                assert_int_equal(atomic_load(&j.runs[i]), 1);
            ran += atomic_load(&j.runs[i]);
        }
        if (threads == 1)
            assert_int_equal(ran, 51);
        assert_true(ran < NJOBS);
    }
}

static void slow_job(void *ctx, size_t i)
{
    sleep_ms(30);
    job(ctx, i);
}

/* With watch the caller runs no job and is called while workers run them,
 * also with one thread (a sweep's progress with --jobs 1). */
static void test_watch(void **state)
{
    (void)state;
    static struct jobs j;
    for (unsigned threads = 1; threads <= 2; threads++) {
        init(&j);
        struct pesim_pool p = {.n = 6, .job = slow_job, .ctx = &j, .watch = watch,
                               .watch_ms = 10};
        assert_int_equal(pesim_pool_run(&p, threads), threads);
        assert_int_equal(atomic_load(&j.on_caller), 0);
        assert_true(atomic_load(&j.watched) >= 6 / threads);
        for (size_t i = 0; i < 6; i++)
            assert_int_equal(atomic_load(&j.runs[i]), 1);
    }
}

/* 6 MiB of locals in a worker: the pool's 8 MiB stacks hold them (the
 * pipeline's frames are up to ~205 KiB), whatever the system's default
 * for secondary threads. With watch every job runs on a worker. */
#define DEEP_BYTES ((size_t)6 << 20)

static void deep_job(void *ctx, size_t i)
{
    volatile unsigned char big[DEEP_BYTES];
    big[0] = (unsigned char)i;
    for (size_t k = 4096; k < DEEP_BYTES; k += 4096)
        big[k] = (unsigned char)(big[k - 4096] + 1);
    ((uint64_t *)ctx)[i] = big[DEEP_BYTES - 4096];
}

static void nothing(void *ctx)
{
    (void)ctx;
}

static void test_worker_stack(void **state)
{
    (void)state;
    static uint64_t out[4];
    struct pesim_pool p = {.n = 4, .job = deep_job, .ctx = out, .watch = nothing};
    assert_int_equal(pesim_pool_run(&p, 4), 4);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(out[i], (unsigned char)(i + DEEP_BYTES / 4096 - 1));
}

/* The network runner (pesim run, compare) on the pool: every byte of the
 * results the same on 1 and 2 threads. */
static void test_network_threads(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_workload wl;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_arch_load("eyeriss-v1", &a, d), 0);
    assert_int_equal(pesim_workload_load("alexnet", &wl, d), 0);
    struct pesim_layer_result *r1 = calloc(wl.count, sizeof *r1);
    struct pesim_layer_result *r2 = calloc(wl.count, sizeof *r2);
    struct pesim_layer_result t1, t2;
    memset(&t1, 0, sizeof t1);
    memset(&t2, 0, sizeof t2);
    const char *dfs[] = {"ws", "rs"};
    for (unsigned k = 0; k < 2; k++) {
        const pesim_dataflow *df = pesim_df_find(dfs[k]);
        assert_int_equal(pesim_sim_network(&a, &wl, df, PESIM_ENGINE_EVENT,
                                           PESIM_OBJECTIVE_LATENCY, 1, r1, &t1, d), 0);
        assert_int_equal(pesim_sim_network(&a, &wl, df, PESIM_ENGINE_EVENT,
                                           PESIM_OBJECTIVE_LATENCY, 2, r2, &t2, d), 0);
        assert_memory_equal(r1, r2, wl.count * sizeof *r1);
        assert_memory_equal(&t1, &t2, sizeof t1);
    }
    assert_int_equal(pesim_diags_count(d), 0);
    free(r1);
    free(r2);
    pesim_workload_free(&wl);
    pesim_diags_destroy(d);
}

/* What a progress callback saw: every count, and the caller's thread. */
struct seen {
    size_t calls, last_done, total;
    bool ordered, on_caller;
    pthread_t caller;
};

static void saw(const struct pesim_sim_progress *p, void *ctx)
{
    struct seen *s = ctx;
    s->ordered &= p->done >= s->last_done && p->done <= p->total;
    s->on_caller &= pthread_equal(pthread_self(), s->caller) != 0;
    s->last_done = p->done;
    s->total = p->total;
    s->calls++;
}

/* Progress of a network run (pesim_sim_network_watched): counts only grow,
 * on the caller's thread, and end at every layer of the workload, repeats
 * included (docs/examples/repeats.yaml: 4 layers, 2 distinct); the results
 * are those of an unwatched run, at 1 and 2 threads. */
static void test_network_progress(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_workload wl;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_arch_load("eyeriss-v1", &a, d), 0);
    assert_int_equal(pesim_workload_load("docs/examples/repeats.yaml", &wl, d), 0);
    assert_int_equal(wl.count, 4);
    const pesim_dataflow *df = pesim_df_find("ws");
    struct pesim_layer_result plain[4], watched[4], t1, t2;
    memset(plain, 0, sizeof plain);
    memset(watched, 0, sizeof watched);
    memset(&t1, 0, sizeof t1);
    memset(&t2, 0, sizeof t2);
    assert_int_equal(pesim_sim_network(&a, &wl, df, PESIM_ENGINE_EVENT, PESIM_OBJECTIVE_LATENCY,
                                       1, plain, &t1, d), 0);
    for (unsigned threads = 1; threads <= 2; threads++) {
        struct seen s = {.ordered = true, .on_caller = true, .caller = pthread_self()};
        assert_int_equal(pesim_sim_network_watched(&a, &wl, df, PESIM_ENGINE_EVENT,
                                                   PESIM_OBJECTIVE_LATENCY, threads, saw, &s,
                                                   watched, &t2, d), 0);
        assert_true(s.calls >= 1);
        assert_true(s.ordered);
        assert_true(s.on_caller);
        assert_int_equal(s.last_done, 4);
        assert_int_equal(s.total, 4);
        assert_memory_equal(plain, watched, sizeof plain);
        assert_memory_equal(&t1, &t2, sizeof t1);
    }
    assert_int_equal(pesim_diags_count(d), 0);
    pesim_workload_free(&wl);
    pesim_diags_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_results_any_threads),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_watch),
        cmocka_unit_test(test_worker_stack),
        cmocka_unit_test(test_network_threads),
        cmocka_unit_test(test_network_progress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
