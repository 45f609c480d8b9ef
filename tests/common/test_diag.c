/* common/error: the diagnostic codes (one table, stable names) and the
 * list's handling of them: added, kept by append, given by a caller that
 * knows what failed, never shown in the printed text, and documented. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pesim/error.h"

static char *printed(const pesim_diags *d)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    pesim_diags_print(d, f);
    fclose(f);
    return buf;
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(pesim_diag_code_name(PESIM_DIAG_ERROR), "error");
    assert_string_equal(pesim_diag_code_name(PESIM_DIAG_CFG_UNKNOWN_KEY), "cfg.unknown_key");
    assert_string_equal(pesim_diag_code_name(PESIM_DIAG_MAP_NOFIT), "map.nofit");
    assert_null(pesim_diag_code_name(PESIM_DIAG_COUNT));
    assert_null(pesim_diag_code_what((enum pesim_diag_code)-1));
    for (unsigned i = 0; i < PESIM_DIAG_COUNT; i++) {
        const char *n = pesim_diag_code_name((enum pesim_diag_code)i);
        assert_non_null(n);
        assert_non_null(pesim_diag_code_what((enum pesim_diag_code)i));
        /* lower case, digits, '_' and one '.' between a group and a kind */
        for (const char *p = n; *p; p++)
            assert_true((*p >= 'a' && *p <= 'z') || *p == '_' || *p == '.');
        enum pesim_diag_code c;
        assert_int_equal(pesim_diag_code_parse(n, &c), 0);
        assert_int_equal(c, i); /* so no name is given twice */
    }
    enum pesim_diag_code c = PESIM_DIAG_ERROR;
    assert_int_equal(pesim_diag_code_parse("cfg.nope", &c), PESIM_E_NOTFOUND);
    assert_int_equal(pesim_diag_code_parse(NULL, &c), PESIM_E_NOTFOUND);
}

static void test_list(void **state)
{
    (void)state;
    pesim_diags *d = pesim_diags_create(), *e = pesim_diags_create();
    assert_int_equal(pesim_diags_add(d, "a.yaml", 2, 3, "plain %d", 1), 0);
    assert_int_equal(pesim_diags_addc(d, PESIM_DIAG_CFG_RANGE, "a.yaml", 4, 5, "coded"), 0);
    assert_int_equal(pesim_diags_addc(d, PESIM_DIAG_WL_SELECT, "", 0, 0, "no file"), 0);
    assert_int_equal(pesim_diags_get(d, 0)->code, PESIM_DIAG_ERROR);
    assert_int_equal(pesim_diags_get(d, 1)->code, PESIM_DIAG_CFG_RANGE);
    /* the code is not part of the text people read */
    char *t = printed(d);
    assert_string_equal(t, "a.yaml:2:3: error: plain 1\n"
                           "a.yaml:4:5: error: coded\n"
                           "pesim: error: no file\n");
    free(t);
    /* a caller that knows the callee's failure codes what has none */
    assert_int_equal(pesim_diags_set_code(d, 0, PESIM_DIAG_SIM_FAIL), 1);
    assert_int_equal(pesim_diags_get(d, 0)->code, PESIM_DIAG_SIM_FAIL);
    assert_int_equal(pesim_diags_get(d, 1)->code, PESIM_DIAG_CFG_RANGE);
    assert_int_equal(pesim_diags_set_code(d, 3, PESIM_DIAG_SIM_FAIL), 0);
    /* and places what has no file */
    assert_int_equal(pesim_diags_set_file(d, 1, "the selector"), 0);
    assert_string_equal(pesim_diags_get(d, 1)->file, "a.yaml");
    assert_string_equal(pesim_diags_get(d, 2)->file, "the selector");
    /* append keeps the codes */
    assert_int_equal(pesim_diags_append(e, d), 0);
    assert_int_equal(pesim_diags_count(e), 3);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(pesim_diags_get(e, i)->code, pesim_diags_get(d, i)->code);
    assert_int_equal(pesim_diags_addc(NULL, PESIM_DIAG_FILE_IO, "x", 0, 0, "dropped"), 0);
    pesim_diags_destroy(d);
    pesim_diags_destroy(e);
}

/* docs/cli.md lists every code with its meaning, as the table says it. */
static void test_documented(void **state)
{
    (void)state;
    FILE *f = fopen("docs/cli.md", "r"); /* tests run in the source root */
    assert_non_null(f);
    static char doc[1 << 20];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = '\0';
    for (unsigned i = 0; i < PESIM_DIAG_COUNT; i++) {
        char row[256];
        snprintf(row, sizeof row, "\n| `%s` | %s |\n",
                 pesim_diag_code_name((enum pesim_diag_code)i),
                 pesim_diag_code_what((enum pesim_diag_code)i));
        if (!strstr(doc, row))
            print_error("docs/cli.md lacks the row%s", row);
        assert_non_null(strstr(doc, row));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_documented),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
