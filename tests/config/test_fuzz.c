/* Robustness: truncated and garbled inputs give an error or a success,
 * never a crash (run under -Db_sanitize=address,undefined too). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/cfg.h"
#include "diag_text.h"

enum kind { ARCH, WL, MAP, SWEEP, SCALESIM, TIMELOOP };

static const char map_text[] =
    "mapping:\n"
    "  dram:    {temporal: [{dim: M, bound: 2}, {dim: C, bound: 3}], bypass: []}\n"
    "  glb:     {temporal: [{dim: Q, bound: 4}], bypass: [weights]}\n"
    "  spatial: [{dim: P, bound: 14, axis: x}, {dim: R, bound: 11, axis: y}]\n"
    "  rf:      {temporal: [{dim: S, bound: 11}], bypass: [inputs]}\n";

static int load(enum kind k, const char *text, size_t len)
{
    pesim_diags *d = pesim_diags_create();
    int rc;
    if (k == ARCH) {
        struct pesim_arch a;
        rc = pesim_arch_load_string(text, len, "f.yaml", &a, d);
    } else if (k == WL) {
        struct pesim_workload w = {0};
        rc = pesim_workload_load_string(text, len, "f.yaml", &w, d);
        if (!rc)
            pesim_workload_free(&w);
    } else if (k == MAP) {
        struct pesim_mapping m;
        rc = pesim_mapping_load_string(text, len, "f.yaml", &m, d);
    } else if (k == SWEEP) {
        pesim_sweep *s;
        rc = pesim_sweep_load_string(text, len, "f.yaml", &s, d);
        pesim_sweep_free(s);
    } else {
        struct pesim_workload w = {0};
        rc = k == SCALESIM ? pesim_import_scalesim(text, len, "f.csv", &w, d)
                           : pesim_import_timeloop(text, len, "f.yaml", &w, d);
        if (!rc)
            pesim_workload_free(&w);
    }
    /* Errors always come with at least one message; success with none. */
    if (rc)
        assert_true(pesim_diags_count(d) > 0);
    else
        assert_int_equal(pesim_diags_count(d), 0);
    char *msg = diag_text(d);
    free(msg);
    pesim_diags_destroy(d);
    return rc;
}

static char *read_src(const char *rel, size_t *len)
{
    char *text = pesim_cfg_read_file(rel, len);
    assert_non_null(text);
    return text;
}

static void fuzz(enum kind k, const char *text, size_t len)
{
    /* Every prefix. The copy makes the sanitizer see reads past the end. */
    for (size_t n = 0; n <= len; n++) {
        char *p = malloc(n ? n : 1);
        memcpy(p, text, n);
        (void)load(k, p, n);
        free(p);
    }
    assert_int_equal(load(k, text, len), 0);
    /* Random byte flips, fixed seed: deterministic. */
    unsigned seed = 0x5eed;
    char *buf = malloc(len);
    for (int rep = 0; rep < 2000; rep++) {
        memcpy(buf, text, len);
        int flips = 1 + rep % 4;
        for (int i = 0; i < flips; i++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            static const char pool[] = " \n:{}[],-#&*!|>'\"0129xz\t\x01\xff";
            buf[at] = (rep & 1) ? (char)(seed >> 16)
                                : pool[(seed >> 16) % (sizeof pool - 1)];
        }
        (void)load(k, buf, len);
    }
    free(buf);
}

static void test_arch(void **state)
{
    (void)state;
    const char *const *names = pesim_arch_presets();
    for (size_t i = 0; names[i]; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "configs/%s.yaml", names[i]);
        size_t len;
        char *text = read_src(rel, &len);
        fuzz(ARCH, text, len);
        free(text);
    }
}

static void test_workload(void **state)
{
    (void)state;
    size_t len;
    char *text = read_src("workloads/lib/alexnet.yaml", &len);
    fuzz(WL, text, len);
    free(text);
}

static void test_mapping(void **state)
{
    (void)state;
    fuzz(MAP, map_text, strlen(map_text));
}

/* The sweep spec of docs/sweeps.md and the foreign workloads the
 * importers read (SCALE-Sim CSV, Timeloop YAML), garbled the same way. */
static void test_sweep_and_imports(void **state)
{
    (void)state;
    static const struct {
        enum kind kind;
        const char *file;
    } inputs[] = {
        {SWEEP, "docs/examples/sweep-shape.yaml"},
        {SCALESIM, "tests/importers/data/alexnet_scalesim.csv"},
        {TIMELOOP, "tests/importers/data/timeloop_alexnet_conv2.yaml"},
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        size_t len;
        char *text = read_src(inputs[i].file, &len);
        fuzz(inputs[i].kind, text, len);
        free(text);
    }
}

static void test_set_garbage(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "=", "==", ".=1", "a.=1", "pe_array..rows=1", "pe_array.=3",
        "pe_array.rows=[", "pe_array.rows={a: 1}", "glb.holds=weights",
        "glb={", "pe_array.scratchpad={shared: 0}", "dram.latency_ns=1e300",
        "name=", "name=[a]", "energy.unit=&x a", "glb.holds=*x",
        "pe_array.rows=1\n2", "noc.weights.width_words=-1",
    };
    struct pesim_arch a, before;
    assert_int_equal(pesim_arch_load("eyeriss-v1", &a, NULL), 0);
    memcpy(&before, &a, sizeof a);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pesim_diags *d = pesim_diags_create();
        int rc = pesim_arch_set(&a, bad[i], d);
        if (rc == 0)
            print_error("--set %s was accepted\n", bad[i]);
        assert_int_not_equal(rc, 0);
        assert_true(pesim_diags_count(d) > 0);
        assert_memory_equal(&a, &before, sizeof a);
        pesim_diags_destroy(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arch),
        cmocka_unit_test(test_workload),
        cmocka_unit_test(test_mapping),
        cmocka_unit_test(test_sweep_and_imports),
        cmocka_unit_test(test_set_garbage),
    };
    return cmocka_run_group_tests_name("fuzz", tests, NULL, NULL);
}
