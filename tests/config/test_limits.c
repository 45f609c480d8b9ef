/* The limits on YAML texts (pesim_yaml_check) and on names
 * (pesim_name_check): positions of the problems, and that the texts the
 * limits are for are refused without being built. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/cfg.h"

/* n '[' then n ']'. */
static char *nested(size_t n)
{
    char *s = malloc(2 * n + 1);
    assert_non_null(s);
    memset(s, '[', n);
    memset(s + n, ']', n);
    s[2 * n] = 0;
    return s;
}

static void test_depth(void **state)
{
    (void)state;
    struct pesim_yaml_problem p;
    char *ok = nested(PESIM_YAML_MAX_DEPTH);
    assert_int_equal(pesim_yaml_check(ok, strlen(ok), &p), 0);
    free(ok);
    /* 200,000 levels: libyaml alone would run for minutes. */
    char *deep = nested(200000);
    assert_int_equal(pesim_yaml_check(deep, strlen(deep), &p), PESIM_E_INVALID);
    assert_int_equal(p.line, 1);
    assert_int_equal(p.col, PESIM_YAML_MAX_DEPTH + 1);
    assert_non_null(strstr(p.msg, "nested too deep, expected at most 64 levels"));
    free(deep);
    const char *block = "a:\n  b:\n    - [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n";
    assert_int_equal(pesim_yaml_check(block, strlen(block), &p), PESIM_E_INVALID);
    assert_int_equal(p.line, 3);
    /* Root, a and the list are open: the 62nd bracket (from column 7) is
     * the 65th level. */
    assert_int_equal(p.col, 7 + 64 - 3);
}

static void test_documents(void **state)
{
    (void)state;
    struct pesim_yaml_problem p;
    const char *one = "---\na: 1\n...\n";
    assert_int_equal(pesim_yaml_check(one, strlen(one), &p), 0);
    const char *two = "a: 1\n---\nb: 2\n";
    assert_int_equal(pesim_yaml_check(two, strlen(two), &p), PESIM_E_INVALID);
    assert_int_equal(p.line, 2);
    assert_int_equal(p.col, 1);
    assert_non_null(strstr(p.msg, "a second YAML document"));
    /* A syntax error is left to the load (same place, libyaml's words). */
    const char *bad = "a: [1\n";
    assert_int_equal(pesim_yaml_check(bad, strlen(bad), &p), 0);
}

static void test_aliases(void **state)
{
    (void)state;
    struct pesim_yaml_problem p;
    const char *fine = "a: &x {b: 1}\nc: *x\nd: *x\n";
    assert_int_equal(pesim_yaml_check(fine, strlen(fine), &p), 0);
    /* Ten levels of ten aliases: 10^10 nodes from 400 bytes. */
    char text[4096] = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 10; i++) {
        size_t n = strlen(text);
        n += (size_t)snprintf(text + n, sizeof text - n, "a%d: &a%d [", i, i);
        for (int k = 0; k < 10; k++)
            n += (size_t)snprintf(text + n, sizeof text - n, "%s*a%d", k ? ", " : "", i - 1);
        snprintf(text + n, sizeof text - n, "]\n");
    }
    assert_int_equal(pesim_yaml_check(text, strlen(text), &p), PESIM_E_INVALID);
    assert_non_null(strstr(p.msg, "too many nodes once aliases are expanded"));
    assert_int_equal(p.line, 6);
}

static void test_names(void **state)
{
    (void)state;
    size_t off;
    char why[96];
    const char *good[] = {"conv1", "a\tb", "line\nbreak", "`$(rm -rf /)` \"q\" 'x' @y",
                          "\xc3\xa9t\xc3\xa9", "\xf0\x9f\x98\x80", ""};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_int_equal(pesim_name_check(good[i], strlen(good[i]), &off, why, sizeof why), 0);
    struct {
        const char *s;
        size_t off;
    } bad[] = {
        {"ab\xff", 2},         {"\xc3", 0},           {"x\xc0\xaf", 1}, /* overlong '/' */
        {"\xed\xa0\x80", 0},   {"\xf4\x90\x80\x80", 0}, {"a\x1b[31m", 1},
        {"a\x7f", 1},          {"\xe2\x82", 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(pesim_name_check(bad[i].s, strlen(bad[i].s), &off, why, sizeof why),
                         PESIM_E_INVALID);
        assert_int_equal(off, bad[i].off);
    }
    /* A NUL inside the given length is a control character too. */
    assert_int_equal(pesim_name_check("a\0b", 3, &off, why, sizeof why), PESIM_E_INVALID);
    assert_int_equal(off, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
