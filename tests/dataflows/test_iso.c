/* The ISCA 2016 dataflow comparison (docs/validation.md §4): on the
 * study's budget (iso-256 --iso-area: 256 PEs, the storage area of 512 B
 * of RF per PE and a 128 kB buffer, costs DRAM 200 / buffer 6 / array 2 /
 * RF 1 / MAC 1), AlexNet's CONV layers at batch 16, the mapper minimizing
 * energy, the study finds row-stationary 1.4x to 2.5x more energy
 * efficient than every other dataflow (abstract; JSSC 2017 §IV-A;
 * Sze et al., Proc. IEEE 2017, §V-B5, Fig. 33). Its tutorial also says
 * which dataflow is lowest where: NLR at the DRAM level, WS for weights,
 * OS for partial sums (Fig. 33b). This runs the comparison as `pesim
 * compare --arch iso-256 --iso-area --workload alexnet --layers conv
 * --batch 16 --objective energy --engine analysis` does. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pesim.h"

struct run {
    const char *name;
    struct pesim_layer_result total;
};

static void run_all(struct run *runs, size_t *n)
{
    struct pesim_arch base;
    struct pesim_workload wl;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_arch_load("iso-256", &base, d), 0);
    assert_int_equal(pesim_workload_load("alexnet", &wl, d), 0);
    assert_int_equal(pesim_workload_select(&wl, "conv", d), 0);
    assert_int_equal(pesim_workload_set_batch(&wl, 16, d), 0);
    assert_int_equal(wl.count, 5);
    struct pesim_layer_result *res = calloc(wl.count, sizeof *res);
    assert_non_null(res);
    *n = pesim_df_count();
    for (size_t i = 0; i < *n; i++) {
        const pesim_dataflow *df = pesim_df_iso(pesim_df_get(i));
        struct pesim_arch own;
        assert_int_equal(pesim_df_iso_area(df, &base, &own), 0);
        runs[i].name = pesim_df_name(df);
        assert_int_equal(pesim_sim_network(&own, &wl, df, PESIM_ENGINE_ANALYSIS,
                                           PESIM_OBJECTIVE_ENERGY, 1, res, &runs[i].total, d),
                         0);
    }
    assert_int_equal(pesim_diags_count(d), 0);
    free(res);
    pesim_workload_free(&wl);
    pesim_diags_destroy(d);
}

static const struct run *find(const struct run *runs, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(runs[i].name, name) == 0)
            return &runs[i];
    fail_msg("no dataflow %s", name);
    return NULL;
}

static void test_isca16_ratios(void **state)
{
    (void)state;
    struct run runs[16];
    size_t n;
    run_all(runs, &n);
    assert_true(n <= 16);
    const struct run *rs = find(runs, n, "rs");
    double e_rs = rs->total.energy.total;
    static const char *const others[] = {"ws", "os", "os_a", "os_c", "is", "nlr"};
    for (size_t k = 0; k < sizeof others / sizeof others[0]; k++) {
        const struct run *r = find(runs, n, others[k]);
        double x = r->total.energy.total / e_rs;
        /* the study gives its range to one decimal (1.4x-2.5x): a ratio
         * is in it when it rounds into it, as OS_A's 2.504x does (it reads
         * each input from the buffer, where ShiDianNao forwards them
         * between neighbouring PEs: docs/validation.md §4) */
        printf("%-4s %.3fx row-stationary's energy\n", others[k], x);
        double tenths = floor(x * 10 + 0.5) / 10;
        if (tenths < 1.4 || tenths > 2.5)
            fail_msg("%s uses %.3fx row-stationary's energy, the study 1.4x-2.5x", others[k], x);
    }
    /* Where each dataflow is lowest (Proc. IEEE 2017, Fig. 33). */
    const struct run *nlr = find(runs, n, "nlr"), *ws = find(runs, n, "ws");
    for (size_t i = 0; i < n; i++) {
        const struct pesim_energy *e = &runs[i].total.energy;
        if (&runs[i] != nlr)
            assert_true(nlr->total.energy.by_class[PESIM_EL_DRAM] < e->by_class[PESIM_EL_DRAM]);
        if (&runs[i] != ws)
            assert_true(ws->total.energy.by_data[PESIM_DS_WEIGHTS] < e->by_data[PESIM_DS_WEIGHTS]);
        double os_psums = find(runs, n, "os")->total.energy.by_data[PESIM_DS_OUTPUTS];
        if (strncmp(runs[i].name, "os", 2) != 0)
            assert_true(os_psums < e->by_data[PESIM_DS_OUTPUTS]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_isca16_ratios),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
