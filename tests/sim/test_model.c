/* Another memory model in place of the built-in DRAM
 * (pesim_sim_layer_model, the C side of the SystemC binding): a model that
 * answers as the built-in channel does gives the event engine's result
 * exactly; a slower one or one with more latency is charged to DRAM; the
 * bytes it sees per data space equal the DRAM counters; a failing model
 * fails the run. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../dataflows/fixtures.h"
#include "pesim/arch.h"
#include "pesim/sim.h"
#include "pesim/workload.h"

/* The built-in channel (docs/model.md §8.2) re-implemented, with `factor`
 * times the cycles, `extra` more cycles of read latency, failing at the
 * transfer numbered `fail` (0: never). */
struct memory {
    uint64_t rate_fp; /* 2^-20 byte per cycle; 0: unlimited */
    uint32_t latency;
    uint64_t factor;
    uint32_t extra;
    uint64_t free_at;
    unsigned calls, fail;
    uint64_t bytes[PESIM_DS_COUNT][2]; /* [ds][write] */
};

static void memory_init(struct memory *m, const struct pesim_arch *a)
{
    memset(m, 0, sizeof *m);
    double per_cycle = pesim_arch_dram_bytes_per_cycle(a);
    double fp = ldexp(per_cycle, 20);
    m->rate_fp = per_cycle <= 0 ? 0 : fp >= 1 ? (uint64_t)llround(fp) : 1;
    m->latency = a->dram.latency_cycles;
    m->factor = 1;
}

static int memory_transfer(void *ctx, const struct pesim_dram_request *rq,
                           struct pesim_dram_timing *t)
{
    struct memory *m = ctx;
    if (++m->calls == m->fail)
        return PESIM_E_IO;
    m->bytes[rq->ds][rq->write] += rq->bytes;
    uint64_t work = rq->bytes << 20;
    uint64_t c = m->rate_fp ? (work + m->rate_fp - 1) / m->rate_fp : 0;
    t->start = rq->earliest > m->free_at ? rq->earliest : m->free_at;
    t->release = t->start + m->factor * c;
    t->done = t->release + (rq->write ? 0 : m->latency + m->extra);
    m->free_at = t->release;
    return 0;
}

static struct pesim_layer_result run(const struct pesim_arch *a, const struct pesim_layer *l,
                                     const struct pesim_mapping *mp, struct memory *mem)
{
    struct pesim_layer_result r;
    pesim_diags *d = pesim_diags_create();
    struct pesim_dram_model model = {memory_transfer, mem};
    int rc = mem ? pesim_sim_layer_model(a, l, mp, &model, "t", &r, d)
                 : pesim_sim_layer_engine(a, l, mp, PESIM_ENGINE_EVENT, "t", &r, d);
    if (rc)
        pesim_diags_print(d, stderr);
    assert_int_equal(rc, 0);
    pesim_diags_destroy(d);
    return r;
}

static void assert_same(const struct pesim_layer_result *x, const struct pesim_layer_result *y)
{
    assert_int_equal(x->cycles, y->cycles);
    assert_int_equal(x->engine, y->engine);
    assert_int_equal(x->events, y->events);
    assert_memory_equal(x->stalls, y->stalls, sizeof x->stalls);
    assert_memory_equal(&x->analysis, &y->analysis, sizeof x->analysis);
    assert_memory_equal(&x->energy, &y->energy, sizeof x->energy);
    assert_true(x->latency_us == y->latency_us);
}

static void assert_bytes(const struct pesim_arch *a, const struct pesim_layer_result *r,
                         const struct memory *m)
{
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        const struct pesim_access *x = &r->analysis.acc[PESIM_LEVEL_DRAM][ds];
        uint64_t wb = pesim_arch_word_bytes(a, (enum pesim_ds)ds);
        assert_int_equal(m->bytes[ds][0], x->reads * wb);
        assert_int_equal(m->bytes[ds][1], x->updates * wb);
    }
}

/* The worked example of docs/model.md §8.5: 40 cycles with the same
 * memory; twice as slow with 3 more cycles of latency, 56 (as
 * tests/sim/test_engine.c derives for the port). */
static void test_worked_example(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(4, 4);
    a.glb.banks = 3;
    a.glb.bank_words_per_cycle = 1;
    pesim_arch_expand(&a);
    a.dram.bandwidth_gbps = 0.2;
    a.dram.latency_cycles = 5;
    struct pesim_layer l = fx_1d_layer();
    struct pesim_mapping mp = fx_1d_mapping();
    struct memory m;
    memory_init(&m, &a);
    struct pesim_layer_result native = run(&a, &l, &mp, NULL);
    struct pesim_layer_result same = run(&a, &l, &mp, &m);
    assert_int_equal(same.cycles, 40);
    assert_int_equal(m.calls, 3);
    assert_same(&native, &same);
    assert_bytes(&a, &same, &m);
    memory_init(&m, &a);
    m.factor = 2;
    m.extra = 3;
    struct pesim_layer_result slow = run(&a, &l, &mp, &m);
    assert_int_equal(slow.cycles, 56);
    assert_int_equal(slow.stalls[PESIM_STALL_DRAM_LATENCY], 8);
}

/* AlexNet CONV2 on eyeriss-v1 and on generic-16x16 (DRAM latency 100),
 * with the ws mapper: equal to the event engine; with `extra` cycles of
 * latency on every read, the cycles grow by exactly what the DRAM stall
 * terms grow by. */
static void check_network_layer(const char *arch_name, const char *layer)
{
    struct pesim_arch a;
    struct pesim_workload wl;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_arch_load(arch_name, &a, d), 0);
    /* uncompressed: a memory's bytes are then the words' exactly */
    assert_int_equal(pesim_arch_set(&a, "dram.compression=none", d), 0);
    assert_int_equal(pesim_workload_load("alexnet", &wl, d), 0);
    assert_int_equal(pesim_workload_select(&wl, layer, d), 0);
    struct pesim_mapping mp;
    assert_int_equal(pesim_df_map(pesim_df_find("ws"), &a, &wl.layers[0], &mp, d), 0);
    pesim_diags_destroy(d);
    struct memory m;
    memory_init(&m, &a);
    struct pesim_layer_result native = run(&a, &wl.layers[0], &mp, NULL);
    struct pesim_layer_result same = run(&a, &wl.layers[0], &mp, &m);
    assert_same(&native, &same);
    assert_bytes(&a, &same, &m);
    for (uint32_t extra = 1; extra <= 1000; extra *= 10) {
        memory_init(&m, &a);
        m.extra = extra;
        struct pesim_layer_result late = run(&a, &wl.layers[0], &mp, &m);
        assert_true(late.cycles > native.cycles);
        uint64_t dram_native = native.stalls[PESIM_STALL_DRAM_BANDWIDTH] +
                               native.stalls[PESIM_STALL_DRAM_LATENCY];
        uint64_t dram_late = late.stalls[PESIM_STALL_DRAM_BANDWIDTH] +
                             late.stalls[PESIM_STALL_DRAM_LATENCY];
        assert_int_equal(late.cycles - native.cycles, dram_late - dram_native);
        assert_memory_equal(late.analysis.acc, native.analysis.acc, sizeof late.analysis.acc);
        assert_bytes(&a, &late, &m);
    }
    pesim_workload_free(&wl);
}

static void test_network_layers(void **state)
{
    (void)state;
    check_network_layer("eyeriss-v1", "CONV2");
    check_network_layer("generic-16x16", "CONV2");
}

/* A model error stops the run: PESIM_E_SIM with a diag, no crash. */
static void test_model_fails(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(4, 4);
    a.dram.bandwidth_gbps = 0.2;
    struct pesim_layer l = fx_1d_layer();
    struct pesim_mapping mp = fx_1d_mapping();
    struct memory m;
    memory_init(&m, &a);
    m.fail = 2;
    struct pesim_dram_model model = {memory_transfer, &m};
    struct pesim_layer_result r;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_sim_layer_model(&a, &l, &mp, &model, "t", &r, d), PESIM_E_SIM);
    assert_int_equal(pesim_diags_count(d), 1);
    assert_int_equal(pesim_sim_layer_model(&a, &l, &mp, NULL, "t", &r, d), PESIM_E_INVALID);
    pesim_diags_destroy(d);
}

/* One pipeline: with a memory model a layer meets the checks and limits
 * of the event engine, with the same messages (here DRAM slower than the
 * engines can time). */
static void test_model_same_limits(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(4, 4);
    a.dram.bandwidth_gbps = 1e-8; /* 1e-7 byte per cycle at 100 MHz */
    struct pesim_layer l = fx_1d_layer();
    struct pesim_mapping mp = fx_1d_mapping();
    struct memory m;
    memory_init(&m, &a);
    struct pesim_dram_model model = {memory_transfer, &m};
    struct pesim_layer_result r;
    pesim_diags *de = pesim_diags_create(), *dm = pesim_diags_create();
    assert_int_equal(pesim_sim_layer_engine(&a, &l, &mp, PESIM_ENGINE_EVENT, "t", &r, de),
                     PESIM_E_RANGE);
    assert_int_equal(pesim_sim_layer_model(&a, &l, &mp, &model, "t", &r, dm), PESIM_E_RANGE);
    assert_int_equal(m.calls, 0); /* refused before the run */
    assert_int_equal(pesim_diags_count(de), 1);
    assert_int_equal(pesim_diags_count(dm), 1);
    assert_string_equal(pesim_diags_get(de, 0)->msg, pesim_diags_get(dm, 0)->msg);
    pesim_diags_destroy(de);
    pesim_diags_destroy(dm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_network_layers),
        cmocka_unit_test(test_model_fails),
        cmocka_unit_test(test_model_same_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
