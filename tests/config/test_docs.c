/* docs/config.md is the generated schema reference (no drift), and every
 * example it marks with <!-- example:KIND --> really loads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/cfg.h"
#include "diag_text.h"

#define DOC "docs/config.md" /* tests run in the source root */

static void test_reference_up_to_date(void **state)
{
    (void)state;
    size_t len = 0;
    char *text = pesim_cfg_read_file(DOC, &len);
    assert_non_null(text);
    char *out = NULL;
    assert_int_equal(pesim_cfg_doc_update(text, len, &out), 0);
    if (strcmp(out, text) != 0)
        print_error("%s is out of date: run `meson compile -C build "
                    "config-doc`\n", DOC);
    assert_string_equal(out, text);
    /* All three references are present. */
    assert_non_null(strstr(text, "<!-- schema:arch -->"));
    assert_non_null(strstr(text, "<!-- schema:workload -->"));
    assert_non_null(strstr(text, "<!-- schema:mapping -->"));
    assert_non_null(strstr(text, "`pe_array.scratchpad`"));
    free(out);
    free(text);
    /* The sweep spec's reference in docs/sweeps.md, likewise. */
    text = pesim_cfg_read_file("docs/sweeps.md", &len);
    assert_non_null(text);
    assert_int_equal(pesim_cfg_doc_update(text, len, &out), 0);
    if (strcmp(out, text) != 0)
        print_error("docs/sweeps.md is out of date: run `meson compile -C build config-doc`\n");
    assert_string_equal(out, text);
    assert_non_null(strstr(text, "<!-- schema:sweep -->"));
    free(out);
    free(text);
}

static int load_example(const char *kind, const char *yaml, pesim_diags *d)
{
    size_t len = strlen(yaml);
    if (strcmp(kind, "arch") == 0) {
        struct pesim_arch a;
        return pesim_arch_load_string(yaml, len, "example", &a, d);
    }
    if (strcmp(kind, "workload") == 0) {
        struct pesim_workload w = {0};
        int rc = pesim_workload_load_string(yaml, len, "example", &w, d);
        if (!rc)
            pesim_workload_free(&w);
        return rc;
    }
    if (strcmp(kind, "mapping") == 0) {
        struct pesim_mapping m;
        return pesim_mapping_load_string(yaml, len, "example", &m, d);
    }
    return -1;
}

static void test_examples_load(void **state)
{
    (void)state;
    size_t len = 0;
    char *text = pesim_cfg_read_file(DOC, &len);
    assert_non_null(text);
    int seen = 0;
    const char *marker = "<!-- example:";
    for (char *p = strstr(text, marker); p; p = strstr(p + 1, marker)) {
        char kind[32];
        assert_int_equal(sscanf(p + strlen(marker), "%31[a-z]", kind), 1);
        char *start = strstr(p, "```yaml\n");
        assert_non_null(start);
        start += strlen("```yaml\n");
        char *end = strstr(start, "```");
        assert_non_null(end);
        char save = *end;
        *end = '\0';
        pesim_diags *d = pesim_diags_create();
        int rc = load_example(kind, start, d);
        if (rc) {
            char *msg = diag_text(d);
            print_error("example:%s does not load:\n%s", kind, msg);
            free(msg);
        }
        assert_int_equal(rc, 0);
        pesim_diags_destroy(d);
        *end = save;
        seen++;
    }
    assert_int_equal(seen, 7);
    free(text);
}

static void test_every_default_parses(void **state)
{
    (void)state;
    /* Defaults are YAML text; a typo in a table would load as zero. A
     * minimal file relies on many of them; check a few known values. */
    const struct cfg_section *roots[] = {pesim_arch_schema(),
                                         pesim_workload_schema(),
                                         pesim_mapping_schema()};
    for (size_t r = 0; r < 3; r++) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);
        assert_int_equal(pesim_cfg_write_markdown(f, roots[r], "t"), 0);
        fclose(f);
        assert_true(size > 100);
        free(buf);
    }
    struct pesim_arch a;
    static const char text[] =
        "name: m\nclock_mhz: 1\npe_array: {rows: 1, cols: 1, scratchpad: "
        "{shared: 1}}\nglb: {capacity_bytes: 2}\ndram: {bandwidth_gbps: 1}\n";
    assert_int_equal(pesim_arch_load_string(text, strlen(text), "m", &a, NULL), 0);
    assert_true(a.energy.dram_read == 200 && a.energy.glb_write == 6);
    assert_int_equal(a.glb.read_ports, 3); /* derived: one per data space held */
    assert_int_equal(a.pe_array.mac_latency_cycles, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_up_to_date),
        cmocka_unit_test(test_examples_load),
        cmocka_unit_test(test_every_default_parses),
    };
    return cmocka_run_group_tests_name("docs", tests, NULL, NULL);
}
