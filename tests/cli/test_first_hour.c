/* Issue 18, "the first hour", end to end: an architecture that gives only
 * the array, the GLB's capacity and DRAM's bandwidth runs at full rate
 * with derived defaults (and the old defaults, pinned, give the old
 * numbers); a run bound by one resource says which and names its key;
 * every format states the objective. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proc.h"

#define MY_ACCEL "docs/examples/my-accel.yaml"

/* The value after `"key": ` at the first place `after` occurs (JSON). */
static double json_number(const char *text, const char *after, const char *key)
{
    const char *at = strstr(text, after);
    assert_non_null(at);
    char k[96];
    snprintf(k, sizeof k, "\"%s\": ", key);
    const char *v = strstr(at, k);
    assert_non_null(v);
    return strtod(v + strlen(k), NULL);
}

/* docs/config.md, "Derived defaults": ResNet-50 at 31.6% temporal
 * utilization with the derived keys, 0.9% with the old defaults of 1. */
static void test_derived_defaults_run(void **state)
{
    (void)state;
    struct proc_result t = RUN("run", "--arch", MY_ACCEL, "--workload", "resnet50");
    proc_expect(&t, 0,
                "objective latency\nderived defaults: noc.weights.width_words=32 "
                "noc.inputs.width_words=32 noc.outputs.width_words=32 glb.banks=3 "
                "glb.bank_words_per_cycle=32 glb.read_ports=3 glb.write_ports=3 "
                "(docs/config.md, \"Derived defaults\")\n",
                NULL);
    proc_free(&t);
    struct proc_result j = RUN("run", "--arch", MY_ACCEL, "--workload", "resnet50", "--format",
                               "json");
    proc_expect(&j, 0, "\"derived\": {\n    \"noc.weights.width_words\": 32,\n", NULL);
    const char *total = "\n  \"total\": {";
    assert_true(json_number(j.out, total, "cycles") == 11913468);
    assert_true(json_number(j.out, total, "temporal") > 0.2);
    proc_free(&j);
    /* the old defaults, given: the old run, to the cycle */
    struct proc_result o = RUN("run", "--arch", MY_ACCEL, "--workload", "resnet50", "--format",
                               "json", "--set", "noc.weights.width_words=1", "--set",
                               "noc.inputs.width_words=1", "--set", "noc.outputs.width_words=1",
                               "--set", "glb.banks=1", "--set", "glb.bank_words_per_cycle=1",
                               "--set", "glb.read_ports=1", "--set", "glb.write_ports=1");
    proc_expect(&o, 0, "\"derived\": {},", NULL);
    assert_true(json_number(o.out, total, "cycles") == 420320528);
    assert_true(json_number(o.out, total, "temporal") < 0.01);
    proc_free(&o);
}

/* A bus crippled on purpose: the note names it and its key, in the text
 * and in JSON; the general form names the level's key. */
static void test_bound_note(void **state)
{
    (void)state;
    struct proc_result t = RUN("run", "--arch", MY_ACCEL, "--workload", "resnet50", "--set",
                               "noc.inputs.width_words=1");
    proc_expect(&t, 0,
                "\n\nnote: 93% of the cycles wait on the NoC inputs bus (1 word/cycle): raise "
                "noc.inputs.width_words\n",
                NULL);
    assert_null(strstr(t.out, "noc.inputs.width_words=32")); /* given, not derived */
    proc_free(&t);
    struct proc_result j = RUN("run", "--arch", MY_ACCEL, "--workload", "resnet50", "--set",
                               "noc.inputs.width_words=1", "--format", "json");
    proc_expect(&j, 0,
                "\"notes\": [\n    {\"kind\": \"bound\", \"cause\": \"noc.inputs\", \"share\": 0.9",
                NULL);
    proc_expect(&j, 0, "\"key\": \"noc.inputs.width_words\", \"value\": 1}\n  ]\n}\n", NULL);
    proc_free(&j);
    struct proc_result g = RUN("run", "--arch", "simba-like", "--workload", "alexnet", "--layers",
                               "CONV3", "--set",
                               "levels.global_buffer.fanout.network.outputs.width_words=1");
    proc_expect(&g, 0,
                "\nnote: 99% of the cycles wait on the pe_noc outputs bus (1 word/cycle): raise "
                "levels.global_buffer.fanout.network.outputs.width_words\n",
                NULL);
    proc_free(&g);
    /* the analysis engine has no stalls: no note */
    struct proc_result a = RUN("run", "--arch", MY_ACCEL, "--workload", "resnet50", "--set",
                               "noc.inputs.width_words=1", "--engine", "analysis");
    proc_expect(&a, 0, NULL, NULL);
    assert_null(strstr(a.out, "note:"));
    proc_free(&a);
}

/* compare says what it mapped for, and under latency how to get the
 * book's comparison; every format carries the objective. */
static void test_compare_objective(void **state)
{
    (void)state;
    struct proc_result l = RUN("compare", "--arch", "eyeriss-v1", "--workload", "alexnet",
                               "--layers", "CONV1", "--engine", "analysis");
    proc_expect(&l, 0,
                ", 1 layer, objective latency (each dataflow mapped for its fewest cycles)\n", NULL);
    static const char footer[] = "\n(mapped for latency; the book compares dataflows by energy: "
                                 "add --objective energy)\n";
    assert_true(l.out_len > strlen(footer));
    assert_string_equal(l.out + l.out_len - strlen(footer), footer);
    proc_free(&l);
    struct proc_result e = RUN("compare", "--arch", "eyeriss-v1", "--workload", "alexnet",
                               "--layers", "CONV1", "--engine", "analysis", "--objective",
                               "energy");
    proc_expect(&e, 0, ", objective energy (each dataflow mapped for its least energy)\n", NULL);
    assert_null(strstr(e.out, "(mapped for latency"));
    proc_free(&e);
    struct proc_result j = RUN("compare", "--arch", "eyeriss-v1", "--workload", "alexnet",
                               "--layers", "CONV1", "--engine", "analysis", "--objective", "edp",
                               "--format", "json");
    proc_expect(&j, 0, "\n  \"objective\": \"edp\",\n  \"derived\": {},\n", NULL);
    proc_free(&j);
    struct proc_result c = RUN("compare", "--arch", "eyeriss-v1", "--workload", "alexnet",
                               "--layers", "CONV1", "--engine", "analysis", "--objective",
                               "energy", "--format", "csv");
    proc_expect(&c, 0, "dataflow,objective,layer,", NULL);
    proc_expect(&c, 0, "\nrs,energy,CONV1,", NULL);
    proc_free(&c);
    struct proc_result m = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layer",
                               "CONV1", "--mapping", "docs/examples/conv1-ws.yaml");
    proc_expect(&m, 0, ", dataflow mapping, objective explicit mapping\n", NULL);
    proc_free(&m);
}

/* compare --dataflows: those, in that order, each row the full compare's. */
static void test_compare_dataflows(void **state)
{
    (void)state;
    struct proc_result all = RUN("compare", "--arch", "eyeriss-v1", "--workload", "alexnet",
                                 "--layers", "CONV1", "--engine", "analysis", "--format", "csv");
    struct proc_result two = RUN("compare", "--arch", "eyeriss-v1", "--workload", "alexnet",
                                 "--layers", "CONV1", "--engine", "analysis", "--format", "csv",
                                 "--dataflows", "rs,ws,rs");
    assert_int_equal(all.status, 0);
    assert_int_equal(two.status, 0);
    const char *rs = strstr(two.out, "\nrs,"), *ws = strstr(two.out, "\nws,");
    assert_non_null(rs);
    assert_non_null(ws);
    assert_true(rs < ws); /* the list's order */
    assert_null(strstr(two.out, "\nos,"));
    /* rs once (its rows as many as in the full compare), each row equal */
    size_t rows_two = 0, rows_all = 0;
    for (const char *p = strstr(two.out, "\nrs,"); p; p = strstr(p + 1, "\nrs,")) {
        char line[4096];
        snprintf(line, sizeof line, "%.*s", (int)strcspn(p + 1, "\n") + 1, p);
        assert_non_null(strstr(all.out, line));
        rows_two++;
    }
    for (const char *p = strstr(all.out, "\nrs,"); p; p = strstr(p + 1, "\nrs,"))
        rows_all++;
    assert_int_equal(rows_two, rows_all);
    proc_free(&all);
    proc_free(&two);
    struct proc_result bad = RUN("compare", "--arch", "eyeriss-v1", "--workload", "alexnet",
                                 "--layers", "CONV1", "--dataflows", "rs,wss");
    proc_expect(&bad, 2, NULL, "pesim compare: error: --dataflows: no dataflow 'wss' is registered\n");
    proc_free(&bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_derived_defaults_run),
        cmocka_unit_test(test_bound_note),
        cmocka_unit_test(test_compare_objective),
        cmocka_unit_test(test_compare_dataflows),
    };
    return cmocka_run_group_tests_name("first_hour", tests, NULL, NULL);
}
