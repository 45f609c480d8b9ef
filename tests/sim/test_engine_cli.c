/* The cycle-level engines on a shipped general-form preset through the CLI:
 * `pesim run --arch eyeriss-v1-spads` (five levels: DRAM, GLB with the
 * 12 x 14 array below it, and each PE's ifmap, filter and psum spads) on
 * AlexNet CONV1 at batch 4 with a row-stationary mapping written for it
 * (tests/sim/data/eyeriss-v1-spads-conv1.yaml). The event and step engines
 * give the same output byte for byte but for the command line and the
 * engine's name, and their access and network counts are the analysis's;
 * its trace names the preset's levels and networks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../cli/proc.h"

#define MAPPING "tests/sim/data/eyeriss-v1-spads-conv1.yaml"

static struct proc_result run(const char *engine)
{
    struct proc_result r = RUN("run", "--arch", "eyeriss-v1-spads", "--workload", "alexnet",
                               "--layers", "CONV1", "--batch", "4", "--mapping", MAPPING,
                               "--engine", engine, "--format", "json");
    proc_expect(&r, 0, "\"accesses\"", NULL);
    return r;
}

/* The output without the lines naming the command or the engine. */
static char *strip(const char *out)
{
    char *s = malloc(strlen(out) + 1);
    assert_non_null(s);
    size_t n = 0;
    for (const char *line = out; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line + 1) : strlen(line);
        memcpy(s + n, line, len);
        s[n + len] = '\0';
        if (!strstr(s + n, "\"command\"") && !strstr(s + n, "\"engine\""))
            n += len;
        line += len;
    }
    s[n] = '\0';
    return s;
}

/* The text from "accesses" to "steady_cycles": every level's and
 * network's counts of the layer. */
static char *counts(const char *out)
{
    const char *a = strstr(out, "\"accesses\"");
    assert_non_null(a);
    const char *b = strstr(a, "\"steady_cycles\""); /* the timing follows */
    assert_non_null(b);
    char *s = malloc((size_t)(b - a) + 1);
    assert_non_null(s);
    memcpy(s, a, (size_t)(b - a));
    s[b - a] = '\0';
    return s;
}

static void test_spads_event_equals_step(void **state)
{
    (void)state;
    struct proc_result ev = run("event"), st = run("step"), an = run("analysis");
    char *se = strip(ev.out), *ss = strip(st.out);
    assert_string_equal(se, ss);
    char *ce = counts(ev.out), *ca = counts(an.out);
    assert_string_equal(ce, ca);
    /* the engine's cycles are the event's, never below the ideal */
    assert_non_null(strstr(ev.out, "\"engine\": \"event\""));
    assert_non_null(strstr(st.out, "\"engine\": \"step\""));
    const char *c = strstr(ev.out, "\"cycles\": ");
    const char *i = strstr(ev.out, "\"ideal_cycles\": ");
    assert_non_null(c);
    assert_non_null(i);
    assert_true(strtoull(c + 10, NULL, 10) >= strtoull(i + 16, NULL, 10));
    free(se);
    free(ss);
    free(ce);
    free(ca);
    proc_free(&ev);
    proc_free(&st);
    proc_free(&an);
}


/* --trace on the general form names the levels and networks as the
 * architecture does, and does not change the report. */
static void test_spads_trace(void **state)
{
    (void)state;
    const char *root = getenv("PESIM_BUILD_ROOT");
    assert_non_null(root);
    char path[4096];
    snprintf(path, sizeof path, "%s/test-engine-cli-trace.json", root);
    struct proc_result a = RUN("run", "--arch", "eyeriss-v1-spads", "--workload", "alexnet",
                               "--layers", "CONV1", "--batch", "1", "--mapping", MAPPING,
                               "--format", "csv", "--trace", path, "--trace-window", "0:20000");
    struct proc_result b = RUN("run", "--arch", "eyeriss-v1-spads", "--workload", "alexnet",
                               "--layers", "CONV1", "--batch", "1", "--mapping", MAPPING,
                               "--format", "csv");
    proc_expect(&a, 0, "CONV1", NULL);
    proc_expect(&b, 0, "CONV1", NULL);
    assert_string_equal(a.out, b.out);
    size_t len = 0;
    char *t = proc_read_file(path, &len);
    assert_non_null(t);
    assert_non_null(strstr(t, "\"name\": \"DRAM channel\""));
    assert_non_null(strstr(t, "\"name\": \"glb read port 0\""));
    assert_non_null(strstr(t, "\"name\": \"noc weights bus\""));
    assert_non_null(strstr(t, "\"name\": \"weights dram->weights_spad\""));
    assert_non_null(strstr(t, "\"name\": \"outputs psum_spad->glb\""));
    free(t);
    remove(path);
    proc_free(&a);
    proc_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spads_event_equals_step),
        cmocka_unit_test(test_spads_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
