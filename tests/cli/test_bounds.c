/* End-to-end runs of hostile inputs (issue 12): each must exit with the
 * status docs/cli.md promises, with the position of the problem, and
 * quickly (the limits of "Limits on inputs"). The cases of
 * tests/hostile/cases/bounds-*.case are the same inputs for the hostile
 * runner; these keep the module's own suite honest without it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "proc.h"

static char dir[64];



/* Write `len` bytes into the scratch folder; returns the path (static,
 * one of four in turn). */
static const char *put(const char *name, const void *data, size_t len)
{
    static char paths[4][128];
    static unsigned next;
    char *p = paths[next++ % 4];
    snprintf(p, sizeof paths[0], "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return p;
}

static const char *puts_file(const char *name, const char *text)
{
    return put(name, text, strlen(text));
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/pesim-bounds-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* 200,000 nested '[': refused at the 65th, at once. */
static void test_yaml_depth(void **state)
{
    (void)state;
    size_t n = 200000;
    char *s = malloc(2 * n + 2);
    assert_non_null(s);
    memset(s, '[', n);
    memset(s + n, ']', n);
    s[2 * n] = '\n';
    const char *arch = put("deep.yaml", s, 2 * n + 1);
    free(s);
    struct proc_result r = RUN("run", "--arch", arch, "--workload", "alexnet", "--layers",
                               "CONV1");
    proc_expect(&r, 2, NULL, "deep.yaml:1:65: error: lists and mappings nested too deep");
    proc_free(&r);
    /* The report's JSON reader has the same limit. */
    s = malloc(2 * n + 8);
    assert_non_null(s);
    memcpy(s, "{\"a\":", 5);
    memset(s + 5, '[', n);
    memset(s + 5 + n, ']', n);
    s[5 + 2 * n] = '}';
    const char *json = put("deep.json", s, 2 * n + 6);
    free(s);
    char out[160];
    snprintf(out, sizeof out, "%s/r.html", dir);
    r = RUN("report", json, "-o", out);
    proc_expect(&r, 2, NULL, "deep.json:1:69: error: lists and mappings nested too deep");
    proc_free(&r);
    assert_int_not_equal(access(out, F_OK), 0);
}

static void test_yaml_documents_and_aliases(void **state)
{
    (void)state;
    const char *two = puts_file("two.yaml", "layers:\n  - {name: a, type: fc, C: 4, M: 4}\n"
                                            "---\nlayers: []\n");
    struct proc_result r = RUN("run", "--arch", "eyeriss-v1", "--workload", two);
    proc_expect(&r, 2, NULL, "two.yaml:3:1: error: a second YAML document");
    proc_free(&r);
    char text[4096] = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 10; i++) {
        size_t n = strlen(text);
        n += (size_t)snprintf(text + n, sizeof text - n, "a%d: &a%d [", i, i);
        for (int k = 0; k < 10; k++)
            n += (size_t)snprintf(text + n, sizeof text - n, "%s*a%d", k ? ", " : "", i - 1);
        snprintf(text + n, sizeof text - n, "]\n");
    }
    const char *laughs = puts_file("laughs.yaml", text);
    r = RUN("run", "--arch", laughs, "--workload", "alexnet");
    proc_expect(&r, 2, NULL, "laughs.yaml:6:");
    proc_expect(&r, 2, NULL, "too many nodes once aliases are expanded");
    proc_free(&r);
}

/* Bounds far past the layer: refused at the bound, naming the layer's
 * size, instead of hours in the event engine. */
static void test_mapping_bounds(void **state)
{
    (void)state;
    const char *m = puts_file("m.yaml",
                              "mapping:\n"
                              "  dram:\n"
                              "    temporal: [{dim: M, bound: 96}, {dim: C, bound: 3}]\n"
                              "  glb:\n"
                              "    temporal: [{dim: P, bound: 4294967295}]\n"
                              "  rf:\n"
                              "    temporal: [{dim: Q, bound: 4294967295}, {dim: R, bound: 11},\n"
                              "               {dim: S, bound: 11}]\n");
    struct proc_result r = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layer",
                               "CONV1", "--mapping", m);
    proc_expect(&r, 2, NULL, "m.yaml:5:32: error: mapping: loops over P multiply to 4294967295, "
                        "expected at most 8 times P = 55 of layer CONV1, 440");
    proc_expect(&r, 2, NULL, "m.yaml:7:32: error: mapping: loops over Q");
    proc_free(&r);
}

/* Cycles that overflow and rates the engines cannot time exit 1. */
static void test_rates(void **state)
{
    (void)state;
    const char *engines[] = {"event", "analysis", "step"};
    for (size_t i = 0; i < 3; i++) {
        struct proc_result r = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet",
                                   "--layers", "CONV1", "--engine", engines[i], "--set",
                                   "dram.bandwidth_gbps=1e-300");
        proc_expect(&r, 1, NULL, "layer CONV1: its dram cycles overflow 64 bits");
        proc_free(&r);
    }
    struct proc_result r = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layers",
                               "CONV1", "--set", "dram.bandwidth_gbps=1e-9");
    proc_expect(&r, 1, NULL, "slower than the event engine can time");
    proc_free(&r);
}

/* Names: one rule, every reader; hostile-but-legal names pass. */
static void test_names(void **state)
{
    (void)state;
    const char *w = puts_file("ctl.yaml", "name: w\nlayers:\n  - {name: \"bad\\x1bname\", "
                                          "type: fc, C: 4, M: 4}\n");
    struct proc_result r = RUN("run", "--arch", "eyeriss-v1", "--workload", w);
    proc_expect(&r, 2, NULL, "ctl.yaml:3:12: error: layers[0].name: got a control character");
    proc_free(&r);
    const char *csv = puts_file("bad.csv", "Layer name,IFMAP Height,IFMAP Width,Filter Height,"
                                           "Filter Width,Channels,Num Filter,Strides,\n"
                                           "conv\xff" "1,8,8,3,3,4,4,1,\n");
    r = RUN("run", "--arch", "eyeriss-v1", "--workload", csv);
    proc_expect(&r, 2, NULL, "bad.csv:2:1: error: Layer name: got bytes that are not UTF-8");
    proc_free(&r);
    const char *ok = puts_file("ok.yaml", "name: w\nlayers:\n  - {name: \"q\\\"`$x@y\\nz\", "
                                          "type: fc, C: 4, M: 4}\n");
    r = RUN("run", "--arch", "eyeriss-v1", "--workload", ok, "--format", "json");
    proc_expect(&r, 0, "\"name\": \"q\\\"`$x@y\\nz\"", NULL);
    proc_free(&r);
}

/* Report inputs: non-finite numbers and empty lists. */
static void test_report_inputs(void **state)
{
    (void)state;
    const char *e = puts_file("e.json", "{\"dataflows\": []}\n");
    struct proc_result r = RUN("report", e, "-o", "/dev/null");
    proc_expect(&r, 2, NULL, "e.json:1:15: error: dataflows: got an empty array");
    proc_free(&r);
    const char *n = puts_file("n.json", "{\"dataflows\": [{\"dataflow\": \"ws\", \"layers\": "
                                        "[{\"macs\": NaN}], \"total\": {}}]}\n");
    r = RUN("report", n, "-o", "/dev/null");
    proc_expect(&r, 2, NULL, "n.json:1:55: error: macs: expected a finite number, got 'NaN'");
    proc_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yaml_depth),
        cmocka_unit_test(test_yaml_documents_and_aliases),
        cmocka_unit_test(test_mapping_bounds),
        cmocka_unit_test(test_rates),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_report_inputs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
