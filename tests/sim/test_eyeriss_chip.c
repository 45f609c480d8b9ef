/* Eyeriss v1 as measured (docs/validation.md §1-§3): AlexNet CONV1-5 at
 * batch 4 with row-stationary on eyeriss-v1, mapped by pesim (the default
 * latency objective) and run by the event engine, against the chip's
 * published figures: Y.-H. Chen, T. Krishna, J. Emer, V. Sze, "Eyeriss: An
 * Energy-Efficient Reconfigurable Accelerator for Deep Convolutional
 * Neural Networks", IEEE JSSC 52(1), 2017, Table V (core 200 MHz, link
 * 60 MHz; cells as collected in docs/research/eyeriss-published.md §1).
 * MB = 10^6 bytes of 16-bit words, as in the paper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "pesim.h"

/* Table V, per layer: active PEs, total latency (ms), GLB and DRAM (MB). */
static const unsigned chip_pes[5] = {154, 135, 156, 156, 156};
static const double chip_ms[5] = {20.9, 41.9, 23.6, 18.4, 10.5};
static const double chip_glb_mb = 208.5, chip_dram_mb = 15.4, chip_total_ms = 115.3;

static struct pesim_layer_result out[5], total;

static int run_job(void **state)
{
    (void)state;
    pesim_diags *d = pesim_diags_create();
    struct pesim_arch a;
    struct pesim_workload wl;
    if (pesim_arch_load("eyeriss-v1", &a, d) || pesim_workload_load("alexnet", &wl, d) ||
        pesim_workload_select(&wl, "conv", d) || pesim_workload_set_batch(&wl, 4, d) ||
        wl.count != 5 ||
        pesim_sim_network(&a, &wl, pesim_df_find("rs"), PESIM_ENGINE_EVENT,
                          PESIM_OBJECTIVE_LATENCY, 1, out, &total, d)) {
        pesim_diags_print(d, stderr);
        return -1;
    }
    pesim_workload_free(&wl);
    pesim_diags_destroy(d);
    return 0;
}

static double dram_mb(const struct pesim_layer_result *r)
{
    uint64_t w = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        w += r->dram_link_words[ds];
    return (double)w * 2 / 1e6;
}

static void within(const char *what, double got, double want, double tol)
{
    printf("%-16s pesim %9.2f  chip %9.2f  %.3fx\n", what, got, want, got / want);
    if (got < want * (1 - tol) || got > want * (1 + tol))
        fail_msg("%s: pesim %.3f, the chip %.3f: not within %.0f%%", what, got, want, tol * 100);
}

/* The PEs the chip keeps busy (92%, 80%, 93%, 93%, 93% of 168). */
static void test_active_pes(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++)
        assert_int_equal(out[i].analysis.active_pes, chip_pes[i]);
}

/* Total latency (DRAM traffic not overlapped included): each layer
 * within 15%, the five within 10%. */
static void test_latency(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++) {
        static const char *const names[5] = {"CONV1 latency ms", "CONV2 latency ms",
                                             "CONV3 latency ms", "CONV4 latency ms",
                                             "CONV5 latency ms"};
        within(names[i], out[i].latency_us / 1000, chip_ms[i], 0.15);
    }
    within("total latency ms", total.latency_us / 1000, chip_total_ms, 0.10);
}

/* DRAM traffic on the link (run-length coded feature maps) within 15%,
 * GLB traffic (reads, fills, updates, drains) within 25%. */
static void test_traffic(void **state)
{
    (void)state;
    within("DRAM MB", dram_mb(&total), chip_dram_mb, 0.15);
    double glb = (double)pesim_analysis_level_accesses(&total.analysis, PESIM_LEVEL_GLB) * 2 / 1e6;
    within("GLB MB", glb, chip_glb_mb, 0.25);
    /* the total's link words are its layers' */
    double sum = 0;
    for (int i = 0; i < 5; i++)
        sum += dram_mb(&out[i]);
    assert_true(sum == dram_mb(&total));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_active_pes),
        cmocka_unit_test(test_latency),
        cmocka_unit_test(test_traffic),
    };
    return cmocka_run_group_tests(tests, run_job, NULL);
}
