/* The cycle-level engines on a shipped general-form preset through the CLI:
 * `pesim run --arch eyeriss-v1-spads` (five levels: DRAM, GLB with the
 * 12 x 14 array below it, and each PE's ifmap, filter and psum spads) on
 * AlexNet CONV1 at batch 4 with a row-stationary mapping written for it
 * (tests/sim/data/eyeriss-v1-spads-conv1.yaml). The event and step engines
 * give the same output byte for byte but for the command line and the
 * engine's name, and their access and network counts are the analysis's. */
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

/* The text from "accesses" to "mapping": every level's and network's
 * counts of the layer. */
static char *counts(const char *out)
{
    const char *a = strstr(out, "\"accesses\"");
    assert_non_null(a);
    const char *b = strstr(a, "\"mapping\"");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spads_event_equals_step),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
