/* The cycle-level engines on the general form (docs/model.md §8): on
 * random N-level cases (2-5 levels, 0-2 fan-outs at random levels, random
 * holds and bypass, multicast and reduce flags, finite bandwidths, banks,
 * ports, double buffering, MAC latency) the event engine equals the step
 * engine on cycles, every stall and every counter, and both equal the
 * analysis's counters; with every rate unlimited and a MAC latency of 1,
 * a run takes exactly the analysis's ideal cycles. Then a small four-level
 * case with two fan-outs, timed by hand, and the Eyeriss preset with three
 * scratchpads on AlexNet CONV1 through the CLI on both engines.
 *
 * The random generators are those of tests/dataflows/test_bruteforce_nlevel.c
 * (architecture, layer, mapping), with the timing parameters added. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "../dataflows/fixtures.h"
#include "../dataflows/nlevel_gen.h"
#include "engine/engine.h"

#define NL PESIM_LEVELS_MAX
enum { W = PESIM_DS_WEIGHTS, I = PESIM_DS_INPUTS, O = PESIM_DS_OUTPUTS, NDS = PESIM_DS_COUNT };

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rnd(uint64_t n) { return fx_rnd(&rng_state, n); }


/* ---- random cases (after test_bruteforce_nlevel.c) ---- */


/* nl levels, unlimited capacities, random holds; random timing: banks
 * (0: an untimed level), words per bank, ports, double buffering or
 * streaming, read and write bandwidths; nfan
 * fan-outs at distinct random levels with random flags and widths; DRAM
 * bandwidth and latency, MAC latency. */
static struct pesim_arch random_arch(unsigned nl, unsigned nfan)
{
    struct pesim_arch a = nl_base_arch();
    a.nlevels = (uint8_t)nl;
    for (unsigned lv = 0; lv < nl; lv++) {
        struct pesim_level_cfg *c = &a.level[lv];
        nl_open_level(c, lv);
        for (int ds = 0; ds < NDS; ds++)
            c->holds[ds] = lv == 0 || rnd(3) != 0;
        c->double_buffer = lv > 0 && rnd(3) == 0;
        c->halo = lv > 0 && rnd(4) != 0;
        c->banks = (uint32_t)rnd(4);
        c->bank_words_per_cycle = (uint32_t)rnd(4);
        c->read_ports = 1 + (uint32_t)rnd(2);
        c->write_ports = 1 + (uint32_t)rnd(2);
        /* overlap without doubling (stream), Timeloop's bandwidths */
        c->stream = lv > 0 && rnd(3) == 0;
        static const double bw[4] = {0, 0.5, 1, 3};
        c->read_bandwidth = lv > 0 && rnd(3) == 0 ? bw[rnd(4)] : 0;
        c->write_bandwidth = lv > 0 && rnd(3) == 0 ? bw[rnd(4)] : 0;
    }
    for (unsigned k = 0; k < nfan; k++) {
        unsigned lv;
        do
            lv = (unsigned)rnd(nl);
        while (nl_has_fanout(&a, (int)lv));
        struct pesim_fanout_cfg *f = &a.level[lv].fanout;
        f->rows = 1 + (uint32_t)rnd(3);
        f->cols = 1 + (uint32_t)rnd(4);
        f->energy = 2;
        snprintf(f->name, sizeof f->name, "net%u", lv);
        for (int ds = 0; ds < NDS; ds++)
            f->net[ds] = (struct pesim_net_cfg){.width_words = (uint32_t)rnd(4),
                                                .multicast = ds != O && rnd(3) != 0,
                                                .reduce = ds == O && rnd(3) != 0};
        f->net[I].exact = rnd(2) != 0;
        f->net[O].reload_all = rnd(2) != 0;
    }
    a.dram.bandwidth_gbps = rnd(5) ? 0.05 * (double)(1 + rnd(40)) : 0;
    a.dram.latency_cycles = (uint32_t)rnd(8);
    a.mac_latency_cycles = 1 + (uint32_t)rnd(3);
    return a;
}

static struct pesim_layer random_layer(void)
{
    struct pesim_layer l = fx_layer(1 + rnd(2), 1 + rnd(3), 1 + rnd(3), 1 + rnd(6), 1 + rnd(3),
                                    1 + rnd(3), 1 + rnd(2));
    l.dim[PESIM_DIM_G] = 1 + rnd(2);
    l.stride[0] = 1 + (uint32_t)rnd(2);
    l.dilation[1] = 1 + (uint32_t)rnd(2);
    return l;
}

static void random_mapping(const struct pesim_arch *a, const struct pesim_layer *l,
                           struct pesim_mapping *m)
{
    const struct nl_gen g = {&rng_state, false, false};
    nl_random_mapping(&g, a, l, m);
}

static int simulate(const struct pesim_arch *a, const struct pesim_layer *l,
                    const struct pesim_mapping *m, enum pesim_engine e,
                    struct pesim_layer_result *r)
{
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_sim_layer_engine(a, l, m, e, "t", r, d);
    if (rc && rc != PESIM_E_UNSUPPORTED)
        pesim_diags_print(d, stderr);
    pesim_diags_destroy(d);
    return rc;
}

/* Both engines agree on everything, and count what the analysis counts. */
static void agree(const struct pesim_layer_result *ev, const struct pesim_layer_result *st,
                  const struct pesim_layer_result *an)
{
    assert_int_equal(ev->cycles, st->cycles);
    assert_int_equal(ev->steady_cycles, st->steady_cycles);
    assert_true(ev->steady_cycles <= ev->cycles);
    assert_memory_equal(ev->stalls, st->stalls, sizeof ev->stalls);
    assert_memory_equal(ev->site_stalls, st->site_stalls, sizeof ev->site_stalls);
    assert_memory_equal(ev->role_stalls, st->role_stalls, sizeof ev->role_stalls);
    /* by role, each site's stalls split exactly */
    for (int site = 0; site < 2 * PESIM_LEVELS_MAX; site++) {
        uint64_t split = 0;
        for (int w = 0; w < PESIM_ROLE_COUNT; w++)
            split += ev->role_stalls[site][w];
        assert_int_equal(split, ev->site_stalls[site]);
    }
    uint64_t sum = 0;
    for (int s = 0; s < PESIM_STALL_COUNT; s++)
        sum += ev->stalls[s];
    assert_int_equal(sum, ev->cycles);
    const struct pesim_layer_result *eng[2] = {ev, st};
    for (int k = 0; k < 2; k++) {
        const struct pesim_analysis *x = &eng[k]->analysis, *y = &an->analysis;
        for (int lv = 0; lv < NL; lv++)
            for (int ds = 0; ds < NDS; ds++) {
                assert_int_equal(x->acc[lv][ds].reads, y->acc[lv][ds].reads);
                assert_int_equal(x->acc[lv][ds].fills, y->acc[lv][ds].fills);
                assert_int_equal(x->acc[lv][ds].updates, y->acc[lv][ds].updates);
                assert_int_equal(x->acc[lv][ds].drains, y->acc[lv][ds].drains);
                assert_int_equal(x->noc_words[lv][ds], y->noc_words[lv][ds]);
                assert_int_equal(x->noc_sends[lv][ds], y->noc_sends[lv][ds]);
            }
        assert_int_equal(x->spatial_reductions, y->spatial_reductions);
        assert_int_equal(x->macs, y->macs);
    }
    assert_true(ev->cycles >= an->analysis.ideal_cycles);
    assert_int_equal(ev->stalls[PESIM_STALL_COMPUTE], an->analysis.ideal_cycles);
}

#define CASES 3000

static void test_random_nlevel(void **state)
{
    (void)state;
    unsigned checked = 0, unsupported = 0, by_levels[NL + 1] = {0}, by_fanouts[3] = {0};
    unsigned limited = 0, slid = 0, stalled[PESIM_STALL_COUNT] = {0};
    for (unsigned iter = 0; checked < CASES && iter < 40 * CASES; iter++) {
        unsigned nl = 2 + (unsigned)rnd(4), nfan = (unsigned)rnd(3);
        struct pesim_arch a = random_arch(nl, nfan);
        struct pesim_layer l = random_layer();
        struct pesim_mapping m;
        random_mapping(&a, &l, &m);
        if (pesim_map_check(&a, &l, &m, "r", NULL))
            continue;
        struct pesim_layer_result an, ev, st;
        assert_int_equal(simulate(&a, &l, &m, PESIM_ENGINE_ANALYSIS, &an), 0);
        if (an.analysis.ideal_cycles > 4096)
            continue; /* the step engine is the slow reference */
        int rc = simulate(&a, &l, &m, PESIM_ENGINE_EVENT, &ev);
        assert_int_equal(simulate(&a, &l, &m, PESIM_ENGINE_STEP, &st), rc);
        if (rc == PESIM_E_UNSUPPORTED) {
            unsupported++;
            continue;
        }
        assert_int_equal(rc, 0);
        agree(&ev, &st, &an);
        limited += ev.cycles > an.analysis.ideal_cycles;
        /* did a sliding window keep words here? (the same case, halo off) */
        struct pesim_arch whole = a;
        for (unsigned lv = 0; lv < nl; lv++)
            whole.level[lv].halo = false;
        struct pesim_analysis w;
        assert_int_equal(pesim_map_analyze(&whole, &l, &m, &w), 0);
        for (unsigned lv = 0; lv < nl; lv++)
            if (w.acc[lv][PESIM_DS_INPUTS].reads != an.analysis.acc[lv][PESIM_DS_INPUTS].reads) {
                slid++;
                break;
            }
        for (int s = 0; s < PESIM_STALL_COUNT; s++)
            stalled[s] += ev.stalls[s] > 0;

        /* every rate unlimited, no latency: exactly the ideal */
        a.dram.bandwidth_gbps = 0;
        a.dram.latency_cycles = 0;
        a.mac_latency_cycles = 1;
        for (unsigned lv = 0; lv < nl; lv++) {
            a.level[lv].bank_words_per_cycle = 0;
            a.level[lv].read_bandwidth = a.level[lv].write_bandwidth = 0;
            for (int ds = 0; ds < NDS; ds++)
                a.level[lv].fanout.net[ds].width_words = 0;
        }
        assert_int_equal(simulate(&a, &l, &m, PESIM_ENGINE_EVENT, &ev), 0);
        assert_int_equal(simulate(&a, &l, &m, PESIM_ENGINE_STEP, &st), 0);
        agree(&ev, &st, &an);
        assert_int_equal(ev.cycles, an.analysis.ideal_cycles);
        assert_int_equal(ev.steady_cycles, an.analysis.ideal_cycles);
        checked++;
        by_levels[nl]++;
        by_fanouts[nfan]++;
    }
    print_message("%u cases checked (%u the engines cannot count per step); levels 2..5: "
                  "%u %u %u %u; fan-outs 0..2: %u %u %u; %u slower than ideal; %u keeping "
                  "window overlaps; with stalls "
                  "fill_drain %u dram_bandwidth %u dram_latency %u glb %u noc %u\n",
                  checked, unsupported, by_levels[2], by_levels[3], by_levels[4], by_levels[5],
                  by_fanouts[0], by_fanouts[1], by_fanouts[2], limited, slid,
                  stalled[PESIM_STALL_FILL_DRAIN], stalled[PESIM_STALL_DRAM_BANDWIDTH],
                  stalled[PESIM_STALL_DRAM_LATENCY], stalled[PESIM_STALL_GLB],
                  stalled[PESIM_STALL_NOC]);
    assert_int_equal(checked, CASES);
    assert_true(unsupported * 10 < checked); /* the limit stays rare */
    assert_true(slid > CASES / 20);          /* sliding windows are exercised */
    for (int lv = 2; lv <= 5; lv++)
        assert_true(by_levels[lv] > CASES / 10);
    for (int f = 0; f < 3; f++)
        assert_true(by_fanouts[f] > CASES / 10);
    for (int s = PESIM_STALL_FILL_DRAIN; s < PESIM_STALL_COUNT; s++)
        assert_true(stalled[s] > 0);
}


/* ---- a four-level case by hand ---- */

/* Four levels: DRAM; l1 (holds inputs and outputs; 2 banks of 1 word per
 * cycle, so 1 word per cycle per data space) with a 1 x 2 fan-out f1
 * below it; l2 (holds nothing, untimed) with a 1 x 2 fan-out f2; l3, the
 * lanes' buffers (untimed, next to the MACs). Every network 1 word per
 * cycle per instance of the level above it: f1 1, f2 2 (two l2s). DRAM
 * 0.4 GB/s at 100 MHz = 4 bytes = 2 words per cycle, latency 2. A GEMM
 * M = 4, C = 2: spatial M 2 on f1 and M 2 on f2, each lane C 2 (2 ideal
 * cycles, one step). Weights come from DRAM straight into l3, through
 * both networks. */
static struct pesim_arch hand_arch(void)
{
    struct pesim_arch a = nl_base_arch();
    a.nlevels = 4;
    for (unsigned lv = 0; lv < 4; lv++) {
        struct pesim_level_cfg *c = &a.level[lv];
        nl_open_level(c, lv);
        for (int ds = 0; ds < NDS; ds++)
            c->holds[ds] = lv != 2;
        c->read_energy = c->write_energy = 0;
        c->read_ports = c->write_ports = 1;
    }
    a.level[1].holds[W] = false;
    a.level[1].banks = 2;
    a.level[1].bank_words_per_cycle = 1;
    for (unsigned lv = 1; lv <= 2; lv++) {
        struct pesim_fanout_cfg *f = &a.level[lv].fanout;
        f->rows = 1;
        f->cols = 2;
        snprintf(f->name, sizeof f->name, "f%u", lv);
        for (int ds = 0; ds < NDS; ds++)
            f->net[ds] = (struct pesim_net_cfg){.width_words = 1, .multicast = ds != O,
                                                .reduce = ds == O};
    }
    a.dram.bandwidth_gbps = 0.4;
    a.dram.latency_cycles = 2;
    return a;
}

/* The timeline (docs/model.md §8.3 on four levels):
 *    0- 2  A: DRAM->l1 inputs, 2 words: DRAM 4 bytes / 4 = 1, l1 2 / 1 = 2
 *          (bound glb); done at 2 + 2 = 4
 *    2-10  B: DRAM->l3 weights, 8 words over f1 (8 / 1 = 8) and f2
 *          (8 / 2 = 4); DRAM 16 bytes / 4 = 4: bound noc; it queued for
 *          the DRAM channel 0-2 behind A; done at 10 + 2 = 12
 *    4- 6  C: l1->l3 inputs: l1 reads 2 words (multicast over both
 *          fan-outs), f1 carries 2, f2 4 (each l2 sends its two lanes
 *          theirs at once): 2 cycles, ties: glb
 *   12-14  compute, 2 cycles (waits for B)
 *   14-18  D: l3->l1 psums, 4 words: f2 4 / 2 = 2, f1 4 / 1 = 4, l1 4 / 1
 *          = 4 (tie: glb)
 *   18-22  E: l1->DRAM write-back, 4 words: l1 4 (glb), DRAM 8 bytes / 4
 *          = 2
 * 22 cycles: the wait [0, 12) for B is 2 queued on DRAM, 8 on f1 (noc),
 * 2 of latency; the tail [14, 22) is E (4, glb) then D (4, glb). */
static void test_four_levels_by_hand(void **state)
{
    (void)state;
    struct pesim_arch a = hand_arch();
    struct pesim_layer l = fx_layer(1, 4, 2, 1, 1, 1, 1);
    struct pesim_mapping m = {0};
    m.nlevels = 4;
    pesim_mapping_add_spatial(&m, 1, PESIM_DIM_M, 2, PESIM_AXIS_X);
    pesim_mapping_add_spatial(&m, 2, PESIM_DIM_M, 2, PESIM_AXIS_X);
    pesim_mapping_add_temporal(&m, 3, PESIM_DIM_C, 2);
    assert_int_equal(pesim_map_check(&a, &l, &m, "t", NULL), 0);
    struct pesim_layer_result an, ev, st;
    assert_int_equal(simulate(&a, &l, &m, PESIM_ENGINE_ANALYSIS, &an), 0);
    assert_int_equal(simulate(&a, &l, &m, PESIM_ENGINE_EVENT, &ev), 0);
    assert_int_equal(simulate(&a, &l, &m, PESIM_ENGINE_STEP, &st), 0);
    agree(&ev, &st, &an);
    assert_int_equal(an.analysis.ideal_cycles, 2);
    /* the counts of the timeline */
    assert_int_equal(ev.analysis.acc[0][W].reads, 8);
    assert_int_equal(ev.analysis.acc[1][I].fills, 2);
    assert_int_equal(ev.analysis.acc[1][I].reads, 2);
    assert_int_equal(ev.analysis.noc_sends[1][I], 2);
    assert_int_equal(ev.analysis.noc_sends[2][I], 4);
    assert_int_equal(ev.analysis.noc_words[2][I], 8);
    assert_int_equal(ev.analysis.noc_sends[1][W], 8);
    assert_int_equal(ev.analysis.acc[1][O].updates, 4);
    assert_int_equal(ev.analysis.acc[0][O].updates, 4);
    assert_int_equal(ev.cycles, 22);
    assert_int_equal(ev.stalls[PESIM_STALL_COMPUTE], 2);
    assert_int_equal(ev.stalls[PESIM_STALL_DRAM_BANDWIDTH], 2);
    assert_int_equal(ev.stalls[PESIM_STALL_DRAM_LATENCY], 2);
    assert_int_equal(ev.stalls[PESIM_STALL_NOC], 8);
    assert_int_equal(ev.stalls[PESIM_STALL_GLB], 4 + 4);
    assert_int_equal(ev.stalls[PESIM_STALL_FILL_DRAIN], 0);
    /* by resource: f1's weights bus (B), l1's psum banks (D and E) */
    assert_int_equal(ev.role_stalls[PESIM_LEVELS_MAX + 1][PESIM_ROLE_WEIGHTS], 8);
    assert_int_equal(ev.role_stalls[1][PESIM_ROLE_OUTPUTS], 4 + 4);

    /* t-1 and t: f1 twice as wide moves B to 4 cycles (DRAM and f1 tie:
     * DRAM), done at 2 + 4 + 2 = 8; compute 8-10; D: f1 4 / 2 = 2, l1 4:
     * still 4; E 4: 18 cycles. */
    for (int ds = 0; ds < NDS; ds++)
        a.level[1].fanout.net[ds].width_words = 2;
    assert_int_equal(simulate(&a, &l, &m, PESIM_ENGINE_EVENT, &ev), 0);
    assert_int_equal(simulate(&a, &l, &m, PESIM_ENGINE_STEP, &st), 0);
    agree(&ev, &st, &an);
    assert_int_equal(ev.cycles, 18);
    assert_int_equal(ev.stalls[PESIM_STALL_NOC], 0);
    assert_int_equal(ev.stalls[PESIM_STALL_DRAM_BANDWIDTH], 2 + 4);

    /* nothing limited: the ideal */
    a.dram.bandwidth_gbps = 0;
    a.dram.latency_cycles = 0;
    a.level[1].bank_words_per_cycle = 0;
    for (unsigned lv = 1; lv <= 2; lv++)
        for (int ds = 0; ds < NDS; ds++)
            a.level[lv].fanout.net[ds].width_words = 0;
    assert_int_equal(simulate(&a, &l, &m, PESIM_ENGINE_EVENT, &ev), 0);
    assert_int_equal(ev.cycles, 2);
}

/* What the engines refuse (docs/model.md §8.1): inputs multicast over a
 * fan-out whose spatial P loop spans a P loop of a level the inputs
 * bypass. Per step, the two children's windows are rows {0-3} and {4-7}
 * of a P tile {0, 1, 4, 5}: the sub-nest would count 6 rows, not 8. */
static void test_refused_gap(void **state)
{
    (void)state;
    struct pesim_arch a = nl_base_arch();
    a.nlevels = 3;
    a.dram.bandwidth_gbps = 0;
    for (unsigned lv = 0; lv < 3; lv++) {
        struct pesim_level_cfg *c = &a.level[lv];
        nl_open_level(c, lv);
        c->read_energy = c->write_energy = 0;
        c->banks = 1;
        c->read_ports = c->write_ports = 1;
    }
    a.level[1].holds[I] = false;
    a.level[0].fanout.rows = 1;
    a.level[0].fanout.cols = 2;
    snprintf(a.level[0].fanout.name, sizeof a.level[0].fanout.name, "n0");
    for (int ds = 0; ds < NDS; ds++)
        a.level[0].fanout.net[ds] = (struct pesim_net_cfg){.multicast = ds != O, .reduce = ds == O};
    struct pesim_layer l = fx_layer(1, 1, 1, 8, 1, 3, 1);
    struct pesim_mapping m = {0};
    m.nlevels = 3;
    pesim_mapping_add_spatial(&m, 0, PESIM_DIM_P, 2, PESIM_AXIS_X);
    pesim_mapping_add_temporal(&m, 1, PESIM_DIM_P, 2);
    pesim_mapping_add_temporal(&m, 2, PESIM_DIM_P, 2);
    pesim_mapping_add_temporal(&m, 2, PESIM_DIM_R, 3);
    struct pesim_layer_result r;
    assert_int_equal(simulate(&a, &l, &m, PESIM_ENGINE_ANALYSIS, &r), 0);
    assert_int_equal(r.analysis.acc[0][I].reads, 16);
    assert_int_equal(simulate(&a, &l, &m, PESIM_ENGINE_EVENT, &r), PESIM_E_UNSUPPORTED);
    assert_int_equal(simulate(&a, &l, &m, PESIM_ENGINE_STEP, &r), PESIM_E_UNSUPPORTED);
    /* without the level's P loop there is no gap */
    m.ntemporal[1] = 0;
    m.temporal[2][0].bound = 4;
    assert_int_equal(simulate(&a, &l, &m, PESIM_ENGINE_EVENT, &r), 0);
}

/* ---- sliding windows by hand ---- */

/* Timeloop's conv1d exercises (docs/model.md, "Sliding windows"): P 16,
 * R 3 on DRAM over one buffer, output- and weight-stationary, and the
 * three-level K 16, P 16 over K 2, R 3. Both engines move 18 input words
 * into the buffer (3 + 15 x 1, and 16 + 1 + 1), 288 into the register
 * file (16 x (3 + 15)), as the analysis counts; with every rate unlimited
 * the run takes the ideal cycles (one MAC per cycle: 48 and 1536). With
 * halo off the buffer takes 48 and the register file 768. */
static void test_sliding_by_hand(void **state)
{
    (void)state;
    for (int k = 0; k < 3; k++)
        for (int halo = 0; halo < 2; halo++) {
            unsigned nl = k == 2 ? 3 : 2;
            struct pesim_arch a = nl_base_arch();
            a.nlevels = (uint8_t)nl;
            for (unsigned lv = 0; lv < nl; lv++) {
                nl_open_level(&a.level[lv], lv);
                a.level[lv].halo = lv > 0 && halo;
            }
            a.dram.bandwidth_gbps = 0;
            struct pesim_layer l = fx_layer(1, k == 2 ? 32 : 1, 1, 16, 1, 3, 1);
            struct pesim_mapping m;
            memset(&m, 0, sizeof m);
            m.nlevels = (uint8_t)nl;
            if (k == 0) {
                pesim_mapping_add_temporal(&m, 0, PESIM_DIM_P, 16);
                pesim_mapping_add_temporal(&m, 1, PESIM_DIM_R, 3);
            } else if (k == 1) {
                pesim_mapping_add_temporal(&m, 0, PESIM_DIM_R, 3);
                pesim_mapping_add_temporal(&m, 1, PESIM_DIM_P, 16);
            } else {
                pesim_mapping_add_temporal(&m, 1, PESIM_DIM_M, 16);
                pesim_mapping_add_temporal(&m, 1, PESIM_DIM_P, 16);
                pesim_mapping_add_temporal(&m, 2, PESIM_DIM_M, 2);
                pesim_mapping_add_temporal(&m, 2, PESIM_DIM_R, 3);
            }
            assert_int_equal(pesim_map_check(&a, &l, &m, "t", NULL), 0);
            struct pesim_layer_result an, ev, st;
            assert_int_equal(simulate(&a, &l, &m, PESIM_ENGINE_ANALYSIS, &an), 0);
            assert_int_equal(simulate(&a, &l, &m, PESIM_ENGINE_EVENT, &ev), 0);
            assert_int_equal(simulate(&a, &l, &m, PESIM_ENGINE_STEP, &st), 0);
            agree(&ev, &st, &an);
            unsigned c = nl - 1;
            uint64_t want = k == 2 ? (halo ? 288 : 768) : (halo ? 18 : 48);
            assert_int_equal(ev.analysis.acc[c][PESIM_DS_INPUTS].fills, want);
            assert_int_equal(ev.analysis.acc[c - 1][PESIM_DS_INPUTS].reads, want);
            assert_int_equal(ev.cycles, k == 2 ? 1536 : 48);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_nlevel),
        cmocka_unit_test(test_four_levels_by_hand),
        cmocka_unit_test(test_refused_gap),
        cmocka_unit_test(test_sliding_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
