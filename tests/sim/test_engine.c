/* The cycle-level engines: the worked example of docs/model.md §8.5 cycle
 * for cycle, each timing parameter at two adjacent values, event engine ==
 * step engine == analysis on random cases, and independence of threads. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../dataflows/fixtures.h"
#include "engine/engine.h"

/* The worked example: one PE computes a 1-D convolution P=4, R=3 with
 * everything in its RF. DRAM moves 2 bytes per cycle (0.2 GB/s at
 * 100 MHz) with a latency of 5; each GLB partition has one bank of one
 * word per cycle; every NoC bus one word per cycle; one read and one write
 * port; MAC latency 1. */
static struct pesim_arch example_arch(void)
{
    struct pesim_arch a = fx_arch(4, 4);
    a.glb.banks = 3;
    a.glb.bank_words_per_cycle = 1;
    pesim_arch_expand(&a);
    a.dram.bandwidth_gbps = 0.2;
    a.dram.latency_cycles = 5;
    return a;
}

static struct pesim_layer example_layer(void) { return fx_1d_layer(); }
static struct pesim_mapping example_mapping(void) { return fx_1d_mapping(); }

static struct pesim_layer_result simulate(const struct pesim_arch *a, const struct pesim_layer *l,
                                          const struct pesim_mapping *m, enum pesim_engine e)
{
    struct pesim_layer_result r;
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_sim_layer_engine(a, l, m, e, "t", &r, d);
    if (rc)
        pesim_diags_print(d, stderr);
    assert_int_equal(rc, 0);
    pesim_diags_destroy(d);
    return r;
}

/* Both engines, which must agree on everything; returns the event's. */
static struct pesim_layer_result both(const struct pesim_arch *a, const struct pesim_layer *l,
                                      const struct pesim_mapping *m)
{
    struct pesim_layer_result ev = simulate(a, l, m, PESIM_ENGINE_EVENT);
    struct pesim_layer_result st = simulate(a, l, m, PESIM_ENGINE_STEP);
    assert_int_equal(ev.cycles, st.cycles);
    assert_memory_equal(ev.stalls, st.stalls, sizeof ev.stalls);
    assert_memory_equal(ev.analysis.acc, st.analysis.acc, sizeof ev.analysis.acc);
    assert_memory_equal(ev.analysis.noc_words, st.analysis.noc_words, sizeof ev.analysis.noc_words);
    uint64_t sum = 0;
    for (int s = 0; s < PESIM_STALL_COUNT; s++)
        sum += ev.stalls[s];
    assert_int_equal(sum, ev.cycles);
    return ev;
}

#define STALL(r, s) ((r).stalls[PESIM_STALL_##s])

/* docs/model.md §8.5, line by line:
 *   0- 3  DRAM->GLB weights, 6 bytes / 2 = 3 cycles (GLB: 3 words / 1 = 3);
 *         done at 3 + 5 (latency) = 8
 *   3- 9  DRAM->GLB inputs, 12 bytes / 2 = 6 (waits for the channel); done 14
 *   8-11  GLB->RF weights over the NoC, 3 cycles
 *  14-20  GLB->RF inputs, 6 cycles
 *  20-32  compute, 12 MACs
 *  32-36  psums drain RF->GLB, 4 words
 *  36-40  GLB->DRAM write-back, 8 bytes / 2 = 4 (GLB 4 words / 1 = 4)
 * Stalls: the wait [0, 20) for the inputs' RF fill is, walking back, 3
 * queued on the DRAM channel, 6 of DRAM transfer (DRAM and GLB tie: DRAM),
 * 5 of latency, 6 of the RF fill (GLB and NoC tie: GLB); the tail [32, 40)
 * is the drain (4, GLB) then the write-back (4, DRAM). */
static void test_worked_example(void **state)
{
    (void)state;
    struct pesim_arch a = example_arch();
    struct pesim_layer l = example_layer();
    struct pesim_mapping m = example_mapping();
    struct pesim_layer_result r = both(&a, &l, &m);
    assert_int_equal(r.cycles, 40);
    assert_int_equal(STALL(r, COMPUTE), 12);
    assert_int_equal(STALL(r, DRAM_BANDWIDTH), 3 + 6 + 4);
    assert_int_equal(STALL(r, DRAM_LATENCY), 5);
    assert_int_equal(STALL(r, GLB), 6 + 4);
    assert_int_equal(STALL(r, NOC), 0);
    assert_int_equal(STALL(r, FILL_DRAIN), 0);
    /* the engine's counts are the analysis's */
    struct pesim_layer_result an = simulate(&a, &l, &m, PESIM_ENGINE_ANALYSIS);
    assert_memory_equal(r.analysis.acc, an.analysis.acc, sizeof r.analysis.acc);
}

/* Each timing parameter at two adjacent values, from the example. */
static void test_parameters_t_minus_1(void **state)
{
    (void)state;
    struct pesim_layer l = example_layer();
    struct pesim_mapping m = example_mapping();

    /* DRAM latency 5 -> 4: one exposed latency, one cycle less. */
    struct pesim_arch a = example_arch();
    a.dram.latency_cycles = 4;
    struct pesim_layer_result r = both(&a, &l, &m);
    assert_int_equal(r.cycles, 39);
    assert_int_equal(STALL(r, DRAM_LATENCY), 4);

    /* MAC latency 1 -> 2: the drain waits one cycle for the pipeline. */
    a = example_arch();
    a.pe_array.mac_latency_cycles = 2;
    pesim_arch_expand(&a);
    r = both(&a, &l, &m);
    assert_int_equal(r.cycles, 41);
    assert_int_equal(STALL(r, FILL_DRAIN), 1);

    /* GLB bank width 1 -> 2: the GLB stops bounding; the NoC (1 word per
     * cycle) takes over the same cycles. */
    a = example_arch();
    a.glb.bank_words_per_cycle = 2;
    pesim_arch_expand(&a);
    r = both(&a, &l, &m);
    assert_int_equal(r.cycles, 40);
    assert_int_equal(STALL(r, GLB), 0);
    assert_int_equal(STALL(r, NOC), 6 + 4);

    /* Unlimited GLB: NoC width 1 vs 2. Width 1: fills end at 8+3 and
     * 14+6 = 20, compute 20-32, drain 4, write-back 4: 40. Width 2: the
     * inputs' fill takes 3 (14-17), compute 17-29, drain 2, write-back 4: 35. */
    a = example_arch();
    a.glb.bank_words_per_cycle = 0;
    pesim_arch_expand(&a);
    r = both(&a, &l, &m);
    assert_int_equal(r.cycles, 40);
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
        a.noc[ds].width_words = 2;
    pesim_arch_expand(&a);
    r = both(&a, &l, &m);
    assert_int_equal(r.cycles, 35);
    assert_int_equal(STALL(r, NOC), 3 + 2);

    /* Unlimited GLB and NoC: DRAM at 2 bytes/cycle: fills done at 8 and
     * 14, compute 14-26, write-back 4: 30. At 4 bytes/cycle: weights 2
     * cycles (done 7), inputs 3 (done 2+3+5 = 10), compute 10-22,
     * write-back 2: 24. */
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
        a.noc[ds].width_words = 0;
    pesim_arch_expand(&a);
    r = both(&a, &l, &m);
    assert_int_equal(r.cycles, 30);
    a.dram.bandwidth_gbps = 0.4;
    r = both(&a, &l, &m);
    assert_int_equal(r.cycles, 24);

    /* GLB read ports 1 vs 2: with the RF keeping only outputs, weights and
     * inputs stream from the GLB during the compute, 12 words each. Their
     * tiles are in at 8 and 14; compute 14-26. One port: the weights'
     * stream 14-26, the inputs' 26-38; drain 38-42, write-back 42-46. Two
     * ports: both streams 14-26, drain 26-30, write-back 30-34. */
    struct pesim_arch p = example_arch();
    struct pesim_mapping os = example_mapping();
    os.bypass[PESIM_LEVEL_RF][PESIM_DS_WEIGHTS] = true;
    os.bypass[PESIM_LEVEL_RF][PESIM_DS_INPUTS] = true;
    r = both(&p, &l, &os);
    assert_int_equal(r.cycles, 46);
    p.glb.read_ports = 2;
    r = both(&p, &l, &os);
    assert_int_equal(r.cycles, 34);

    /* And with no limit anywhere and no latency: exactly the ideal. */
    a.dram.bandwidth_gbps = 0;
    a.dram.latency_cycles = 0;
    r = both(&a, &l, &m);
    assert_int_equal(r.cycles, 12);
    assert_int_equal(STALL(r, COMPUTE), 12);
}

static uint64_t rng = 0x2545F4914F6CDD1Du;
static uint64_t rnd(uint64_t n) { return fx_rnd(&rng, n); }

static struct pesim_arch random_arch(void)
{
    struct pesim_arch a = fx_arch(8, 8);
    a.glb.holds[PESIM_DS_WEIGHTS] = rnd(4) != 0;
    a.glb.banks = 1 + (uint32_t)rnd(4);
    a.glb.bank_words_per_cycle = (uint32_t)rnd(4);
    a.glb.read_ports = 1 + (uint32_t)rnd(2);
    a.glb.write_ports = 1 + (uint32_t)rnd(2);
    a.glb.double_buffer = rnd(2);
    a.glb.capacity_bytes = 1 << 24;
    pesim_arch_expand(&a);
    a.dram.bandwidth_gbps = rnd(5) ? 0.05 * (double)(1 + rnd(40)) : 0;
    a.dram.latency_cycles = (uint32_t)rnd(12);
    a.pe_array.mac_latency_cycles = 1 + (uint32_t)rnd(3);
    pesim_arch_expand(&a);
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++) {
        a.noc[ds].width_words = (uint32_t)rnd(4);
        a.noc[ds].multicast = rnd(5) != 0;
        pesim_arch_expand(&a);
    }
    return a;
}

/* 150 random (layer, mapping, architecture): both engines agree on every
 * cycle, stall and counter; the counters are the analysis's; no run is
 * faster than the ideal; with every limit lifted a run takes exactly the
 * ideal cycles. */
static void test_random_cases(void **state)
{
    (void)state;
    int checked = 0;
    for (int iter = 0; checked < 150 && iter < 3000; iter++) {
        struct pesim_arch a = random_arch();
        struct pesim_layer l = fx_layer(1 + rnd(2), 1 + rnd(4), 1 + rnd(3), 1 + rnd(6),
                                        1 + rnd(3), 1 + rnd(3), 1 + rnd(2));
        l.stride[0] = 1 + (uint32_t)rnd(2);
        struct pesim_mapping m;
        fx_random_mapping(&rng, &l, &m);
        if (pesim_map_check(&a, &l, &m, "r", NULL))
            continue;
        struct pesim_layer_result an = simulate(&a, &l, &m, PESIM_ENGINE_ANALYSIS);
        if (!an.analysis.fits)
            continue;
        struct pesim_layer_result ev = both(&a, &l, &m);
        for (int lv = 0; lv < PESIM_LEVEL_COUNT; lv++)
            for (int ds = 0; ds < PESIM_DS_COUNT; ds++) {
                assert_int_equal(ev.analysis.acc[lv][ds].reads, an.analysis.acc[lv][ds].reads);
                assert_int_equal(ev.analysis.acc[lv][ds].fills, an.analysis.acc[lv][ds].fills);
                assert_int_equal(ev.analysis.acc[lv][ds].updates, an.analysis.acc[lv][ds].updates);
            }
        assert_memory_equal(ev.analysis.noc_sends, an.analysis.noc_sends, sizeof an.analysis.noc_sends);
        assert_int_equal(ev.analysis.spatial_reductions, an.analysis.spatial_reductions);
        assert_true(ev.cycles >= an.analysis.ideal_cycles);
        assert_int_equal(ev.stalls[PESIM_STALL_COMPUTE], an.analysis.ideal_cycles);

        a.dram.bandwidth_gbps = 0;
        a.dram.latency_cycles = 0;
        a.glb.bank_words_per_cycle = 0;
        a.pe_array.mac_latency_cycles = 1;
        pesim_arch_expand(&a);
        for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
            a.noc[ds].width_words = 0;
        pesim_arch_expand(&a);
        struct pesim_layer_result ideal = both(&a, &l, &m);
        assert_int_equal(ideal.cycles, an.analysis.ideal_cycles);
        checked++;
    }
    assert_int_equal(checked, 150);
}

/* Lowering eyeriss-v1's DRAM bandwidth moves the cycles and the
 * dram_bandwidth stall; raising it back gives exactly the first figure. */
static void test_bandwidth_knob(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_workload wl;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_arch_load("eyeriss-v1", &a, d), 0);
    assert_int_equal(pesim_workload_load("alexnet", &wl, d), 0);
    struct pesim_layer *l = &wl.layers[4]; /* CONV5 */
    struct pesim_mapping m;
    assert_int_equal(pesim_df_map(pesim_df_find("ws"), &a, l, &m, d), 0);
    struct pesim_layer_result base = simulate(&a, l, &m, PESIM_ENGINE_EVENT);
    assert_int_equal(pesim_arch_set(&a, "dram.bandwidth_gbps=0.1", d), 0);
    struct pesim_layer_result slow = simulate(&a, l, &m, PESIM_ENGINE_EVENT);
    assert_true(slow.cycles > base.cycles);
    assert_true(STALL(slow, DRAM_BANDWIDTH) > STALL(base, DRAM_BANDWIDTH));
    assert_int_equal(pesim_arch_set(&a, "dram.bandwidth_gbps=0.48", d), 0);
    struct pesim_layer_result back = simulate(&a, l, &m, PESIM_ENGINE_EVENT);
    assert_int_equal(back.cycles, base.cycles);
    assert_memory_equal(back.stalls, base.stalls, sizeof base.stalls);
    pesim_workload_free(&wl);
    pesim_diags_destroy(d);
}

/* Two simulations in two threads give what each gives alone. */
struct job {
    struct pesim_arch a;
    struct pesim_layer l;
    struct pesim_mapping m;
    uint64_t cycles[20];
};

static void *run_job(void *p)
{
    struct job *j = p;
    for (int i = 0; i < 20; i++) {
        struct pesim_layer_result r;
        if (pesim_sim_layer_engine(&j->a, &j->l, &j->m, PESIM_ENGINE_EVENT, "t", &r, NULL))
            return NULL;
        j->cycles[i] = r.cycles;
    }
    return p;
}

static void test_threads(void **state)
{
    (void)state;
    struct job j[2];
    for (int k = 0; k < 2; k++) {
        j[k].a = example_arch();
        j[k].l = fx_layer(2, 3, 2, 5 + (uint64_t)k, 3, 3, 1);
        memset(&j[k].m, 0, sizeof j[k].m);
        T(&j[k].m, DRAM, N, 2);
        T(&j[k].m, GLB, M, 3);
        SP(&j[k].m, C, 2, Y);
        T(&j[k].m, RF, P, 5 + (uint32_t)k);
        T(&j[k].m, RF, Q, 3);
        T(&j[k].m, RF, R, 3);
    }
    uint64_t alone[2];
    for (int k = 0; k < 2; k++)
        alone[k] = simulate(&j[k].a, &j[k].l, &j[k].m, PESIM_ENGINE_EVENT).cycles;
    assert_true(alone[0] != alone[1]);
    pthread_t t[2];
    for (int k = 0; k < 2; k++)
        assert_int_equal(pthread_create(&t[k], NULL, run_job, &j[k]), 0);
    for (int k = 0; k < 2; k++) {
        void *ok;
        pthread_join(t[k], &ok);
        assert_non_null(ok);
        for (int i = 0; i < 20; i++)
            assert_int_equal(j[k].cycles[i], alone[k]);
    }
}

/* The event engine's counters, registered once by pointer in its kernel
 * under hierarchical names, hold the result's values. */
static void read_counters(pesim_kernel *k, void *ctx)
{
    struct pesim_layer_result *want = ctx;
    size_t n = pesim_kernel_counter_count(k);
    assert_int_equal(n, 9 * 3 + 3 + 6 + 1 + 1 + PESIM_STALL_COUNT); /* + 3 psum drains */
    for (size_t i = 1; i < n; i++)
        assert_true(strcmp(pesim_kernel_counter_name(k, i - 1), pesim_kernel_counter_name(k, i)) < 0);
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = pesim_kernel_counter_name(k, i);
        uint64_t v = pesim_kernel_counter_value(k, i);
        if (strcmp(name, "dram.read.inputs") == 0)
            found++, assert_int_equal(v, want->analysis.acc[PESIM_LEVEL_DRAM][PESIM_DS_INPUTS].reads);
        if (strcmp(name, "glb.update.outputs") == 0)
            found++, assert_int_equal(v, want->analysis.acc[PESIM_LEVEL_GLB][PESIM_DS_OUTPUTS].updates);
        if (strcmp(name, "noc.multicast.weights") == 0)
            found++, assert_int_equal(v, want->analysis.noc_sends[PESIM_LEVEL_GLB][PESIM_DS_WEIGHTS]);
        if (strcmp(name, "pe.mac") == 0)
            found++, assert_int_equal(v, want->analysis.macs);
        if (strcmp(name, "stall.dram_latency") == 0)
            found++, assert_int_equal(v, want->stalls[PESIM_STALL_DRAM_LATENCY]);
    }
    assert_int_equal(found, 5);
}

static void test_counters(void **state)
{
    (void)state;
    struct pesim_arch a = example_arch();
    struct pesim_layer l = fx_layer(2, 3, 2, 5, 3, 3, 1);
    struct pesim_mapping m = {0};
    T(&m, DRAM, N, 2);
    T(&m, GLB, M, 3);
    SP(&m, C, 2, Y);
    T(&m, RF, P, 5);
    T(&m, RF, Q, 3);
    T(&m, RF, R, 3);
    struct pesim_layer_result want = simulate(&a, &l, &m, PESIM_ENGINE_EVENT);
    struct pesim_layer_result r = simulate(&a, &l, &m, PESIM_ENGINE_ANALYSIS);
    struct engine_hooks hooks = {.inspect = read_counters, .ctx = &want};
    assert_int_equal(pesim_engine_run(&a, &l, &m, PESIM_ENGINE_EVENT, &r, &hooks), 0);
    assert_int_equal(r.cycles, want.cycles);
}

/* Another memory model behind the DRAM port: `factor` times slower than
 * 2 bytes per cycle, `extra` more cycles of read latency than 5. */
struct other_memory {
    uint64_t free_at, last_start;
    uint64_t factor;
    uint32_t extra;
    unsigned calls;
};

static uint64_t om_available(void *ctx, uint64_t t)
{
    struct other_memory *m = ctx;
    m->calls++;
    uint64_t a = m->free_at > m->last_start ? m->free_at : m->last_start;
    return a > t ? a : t;
}

static uint64_t om_cycles(void *ctx, uint64_t bytes, bool write)
{
    (void)write;
    return ((struct other_memory *)ctx)->factor * ((bytes + 1) / 2);
}

static uint32_t om_latency(void *ctx, bool write)
{
    return write ? 0 : 5 + ((struct other_memory *)ctx)->extra;
}

static void om_reserve(void *ctx, uint64_t start, uint64_t until)
{
    struct other_memory *m = ctx;
    m->last_start = start;
    m->free_at = until;
}

/* The worked example through the port: the same memory gives the same 40
 * cycles; one twice as slow with 3 more cycles of latency gives, by the
 * timeline of §8.5: weights 0-6 (done 14), inputs 6-18 (done 26), RF fills
 * 14-17 and 26-32, compute 32-44, drain 44-48, write-back 8 cycles: 56. */
static void test_dram_port(void **state)
{
    (void)state;
    struct pesim_arch a = example_arch();
    struct pesim_layer l = example_layer();
    struct pesim_mapping m = example_mapping();
    struct other_memory same = {0, 0, 1, 0, 0}, slow = {0, 0, 2, 3, 0};
    struct pesim_dram_port port = {om_available, om_cycles, om_latency, om_reserve, &same};
    struct engine_hooks hooks = {.port = &port};
    struct pesim_layer_result r = simulate(&a, &l, &m, PESIM_ENGINE_ANALYSIS);
    assert_int_equal(pesim_engine_run(&a, &l, &m, PESIM_ENGINE_EVENT, &r, &hooks), 0);
    assert_int_equal(r.cycles, 40);
    assert_int_equal(same.calls, 3); /* three DRAM transfers */
    port.ctx = &slow;
    assert_int_equal(pesim_engine_run(&a, &l, &m, PESIM_ENGINE_EVENT, &r, &hooks), 0);
    assert_int_equal(r.cycles, 56);
    assert_int_equal(r.stalls[PESIM_STALL_DRAM_LATENCY], 8);
    /* the step engine only knows the built-in channel */
    assert_int_equal(pesim_engine_run(&a, &l, &m, PESIM_ENGINE_STEP, &r, &hooks), PESIM_E_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_parameters_t_minus_1),
        cmocka_unit_test(test_random_cases),
        cmocka_unit_test(test_bandwidth_knob),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_counters),
        cmocka_unit_test(test_dram_port),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
