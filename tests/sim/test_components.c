/* The components behind arch/component.h, as the engine builds them
 * (engine/components.c): on every shipped preset the table of kinds gives
 * DRAM one channel, every timed level a partition per data space it holds
 * and two port pools, every fan-out a bus per data space, each resource
 * well formed; and the components register their counters under the
 * names docs/model.md §8.4.1 lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/engine.h"

static struct run *build(const char *preset)
{
    struct run *r = calloc(1, sizeof *r);
    assert_non_null(r);
    struct pesim_arch *a = malloc(sizeof *a);
    assert_non_null(a);
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_arch_load(preset, a, d), 0);
    pesim_diags_destroy(d);
    r->arch = a;
    r->tarch = *a;
    pesim_arch_expand(&r->tarch);
    assert_int_equal(pesim_components_build(r), 0);
    return r;
}

static void done(struct run *r)
{
    free((void *)r->arch);
    free(r);
}

static void test_every_preset(void **state)
{
    (void)state;
    for (const char *const *p = pesim_arch_presets(); *p; p++) {
        struct run *r = build(*p);
        const struct pesim_arch *a = &r->tarch;
        const struct resources *rs = &r->rs;
        assert_true(rs->n <= RES_MAX);
        for (unsigned i = 0; i < rs->n; i++) {
            assert_true(rs->r[i].pool >= 1 && rs->r[i].pool <= 8);
            assert_true(rs->r[i].rate > 0);
        }
        /* DRAM: the first resource, its channel behind the port */
        assert_int_equal(rs->dram, 0);
        assert_int_equal(rs->r[rs->dram].stall, PESIM_STALL_DRAM_BANDWIDTH);
        assert_true(r->chan.rate == rs->r[rs->dram].rate);
        assert_int_equal(r->chan.latency, a->dram.latency_cycles);
        for (unsigned lv = 1; lv < r->arch->nlevels; lv++) {
            bool timed = a->level[lv].banks > 0;
            for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
                bool want = timed && a->level[lv].holds[ds];
                assert_int_equal(rs->part[lv][ds] != RES_NONE, want);
                if (want)
                    assert_int_equal(rs->r[rs->part[lv][ds]].stall, PESIM_STALL_GLB);
            }
            assert_int_equal(rs->rport[lv] != RES_NONE, timed);
            assert_int_equal(rs->wport[lv] != RES_NONE, timed);
            if (timed) {
                assert_int_equal(rs->r[rs->rport[lv]].pool,
                                 a->level[lv].read_ports ? a->level[lv].read_ports : 1);
                assert_true(rs->r[rs->rport[lv]].rate == UINT64_MAX);
            }
        }
        for (unsigned f = 0; f < PESIM_LEVELS_MAX; f++)
            for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
                bool has = pesim_arch_has_fanout(a, f);
                assert_int_equal(rs->net[f][ds] != RES_NONE, has);
                if (!has)
                    continue;
                const struct res *x = &rs->r[rs->net[f][ds]];
                uint32_t w = a->level[f].fanout.net[ds].width_words;
                assert_int_equal(x->stall, PESIM_STALL_NOC);
                assert_true(x->rate == (w ? w * pesim_arch_instances(a, f) : UINT64_MAX));
            }
        done(r);
    }
}

static bool has_counter(const pesim_kernel *k, const char *name)
{
    for (size_t i = 0; i < pesim_kernel_counter_count(k); i++)
        if (strcmp(pesim_kernel_counter_name(k, i), name) == 0)
            return true;
    return false;
}

static void test_counter_names(void **state)
{
    (void)state;
    static const char *const presets[] = {"eyeriss-v1", "eyeriss-v1-spads", "simba-like"};
    for (unsigned p = 0; p < sizeof presets / sizeof presets[0]; p++) {
        struct run *r = build(presets[p]);
        const struct pesim_arch *a = r->arch;
        pesim_kernel *k = pesim_kernel_create(4, NULL);
        assert_non_null(k);
        assert_int_equal(pesim_run_register(r, k), 0);
        size_t want = (size_t)a->nlevels * (PESIM_DS_COUNT * 3 + 1) + 2 + PESIM_STALL_COUNT;
        for (unsigned f = 0; f < a->nlevels; f++)
            want += pesim_arch_has_fanout(a, f) ? 2 * PESIM_DS_COUNT : 0;
        assert_int_equal(pesim_kernel_counter_count(k), want);
        assert_true(has_counter(k, "dram.read.weights"));
        assert_true(has_counter(k, "noc.reductions"));
        assert_true(has_counter(k, "pe.mac"));
        assert_true(has_counter(k, "stall.noc"));
        if (p == 0) { /* the shorthand's names */
            assert_true(has_counter(k, "glb.read.inputs"));
            assert_true(has_counter(k, "glb.update.outputs"));
            assert_true(has_counter(k, "rf.fill.weights"));
            assert_true(has_counter(k, "noc.words.weights"));
            assert_true(has_counter(k, "noc.multicast.inputs"));
        }
        pesim_kernel_destroy(k);
        done(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_preset),
        cmocka_unit_test(test_counter_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
