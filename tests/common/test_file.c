/* common/file and common/text: reading an input (cap, folders, the input
 * record), writing an output (atomic, devices and FIFOs straight, refusals,
 * folders made) and names shown with their control characters escaped. */
#define _XOPEN_SOURCE 700 /* mkfifo, symlink */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/file.h"
#include "common/text.h"

static char dir[] = "/tmp/pesim-file-XXXXXX";

static const char *at(const char *name)
{
    static char path[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    return path[k];
}

static void put(const char *name, const char *text)
{
    FILE *f = fopen(at(name), "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *get(const char *name)
{
    char *t;
    size_t n;
    assert_int_equal(pesim_file_read(at(name), "x", &t, &n, NULL), 0);
    return t;
}

/* Whether `d` holds a diagnostic of `code` whose text (what a user reads)
 * contains `s`. */
static bool has(const pesim_diags *d, enum pesim_diag_code code, const char *s)
{
    for (size_t i = 0; i < pesim_diags_count(d); i++)
        if (pesim_diags_get(d, i)->code == code && strstr(pesim_diags_get(d, i)->msg, s))
            return true;
    return false;
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char line[600];
    snprintf(line, sizeof line, "rm -rf '%s'", dir);
    return system(line) == 0 ? 0 : -1;
}

static void test_read(void **state)
{
    (void)state;
    pesim_diags *d = pesim_diags_create();
    put("a.yaml", "abc");
    char *t;
    size_t n;
    assert_int_equal(pesim_file_read(at("a.yaml"), "the file", &t, &n, d), 0);
    assert_int_equal(n, 3);
    assert_string_equal(t, "abc");
    free(t);
    /* noted once, with the FNV-1a hash of its bytes */
    assert_int_equal(pesim_file_read(at("a.yaml"), "the file", &t, &n, d), 0);
    free(t);
    assert_int_equal(pesim_diags_ninputs(d), 1);
    struct stat sb;
    assert_int_equal(stat(at("a.yaml"), &sb), 0);
    const struct pesim_input *in = pesim_diags_input(d, 0);
    assert_int_equal(in->ino, (unsigned long long)sb.st_ino);
    assert_int_equal(in->size, 3);
    assert_true(in->hash == pesim_fnv1a("abc", 3, PESIM_FNV_INIT));
    assert_true(pesim_fnv1a("a", 1, PESIM_FNV_INIT) == 0xaf63dc4c8601ec8cull); /* FNV's table */
    assert_int_equal(pesim_diags_count(d), 0);

    /* missing: quiet without `what`, errno kept */
    assert_int_equal(pesim_file_read(at("none"), NULL, &t, &n, d), PESIM_E_IO);
    assert_int_equal(pesim_diags_count(d), 0);
    assert_null(t);
    assert_int_equal(pesim_file_read(at("none"), "the spec", &t, &n, d), PESIM_E_IO);
    assert_true(has(d, PESIM_DIAG_FILE_IO, "cannot read the spec: No such file or directory"));
    /* a folder, and more than the cap (a sparse file; /dev/zero never ends) */
    assert_int_equal(pesim_file_read(dir, NULL, &t, &n, d), PESIM_E_INVALID);
    assert_true(has(d, PESIM_DIAG_FILE_KIND, "it is a folder, expected a file"));
    int fd = open(at("big"), O_WRONLY | O_CREAT, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)PESIM_FILE_MAX_BYTES + 1), 0);
    close(fd);
    assert_int_equal(pesim_file_read(at("big"), NULL, &t, &n, d), PESIM_E_INVALID);
    assert_true(has(d, PESIM_DIAG_FILE_KIND, "larger than 64 MiB"));
    size_t before = pesim_diags_count(d);
    assert_int_equal(pesim_file_read("/dev/zero", NULL, &t, &n, d), PESIM_E_INVALID);
    assert_int_equal(pesim_diags_count(d), before + 1);
    /* another cap (ONNX models may be larger) */
    assert_int_equal(pesim_file_read_max(at("a.yaml"), NULL, 2, &t, &n, d), PESIM_E_INVALID);
    assert_int_equal(pesim_file_read_max(at("a.yaml"), NULL, 3, &t, &n, d), 0);
    free(t);
    /* exactly the cap is read */
    fd = open(at("big"), O_WRONLY | O_TRUNC);
    assert_int_equal(ftruncate(fd, (off_t)PESIM_FILE_MAX_BYTES), 0);
    close(fd);
    assert_int_equal(pesim_file_read(at("big"), NULL, &t, &n, d), 0);
    assert_int_equal(n, PESIM_FILE_MAX_BYTES);
    free(t);
    unlink(at("big"));
    pesim_diags_destroy(d);
}

static int write_text(const char *path, const char *text, bool commit, pesim_diags *d)
{
    pesim_outfile *o;
    FILE *f;
    int rc = pesim_out_open(path, PESIM_OUT_SYNC, &o, &f, d);
    if (rc)
        return rc;
    fputs(text, f);
    if (!commit) {
        pesim_out_abort(o);
        return 0;
    }
    return pesim_out_commit(o, d);
}

static size_t entries(const char *path)
{
    char line[600];
    size_t n = 0;
    snprintf(line, sizeof line, "ls -A '%s' | wc -l", path);
    FILE *p = popen(line, "r");
    assert_non_null(p);
    assert_int_equal(fscanf(p, "%zu", &n), 1);
    pclose(p);
    return n;
}

static void test_write(void **state)
{
    (void)state;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(mkdir(at("w"), 0777), 0);
    /* atomic: an abandoned write leaves the old file and no temporary */
    assert_int_equal(write_text(at("w/o.txt"), "one", true, d), 0);
    assert_int_equal(write_text(at("w/o.txt"), "two", false, d), 0);
    char *t = get("w/o.txt");
    assert_string_equal(t, "one");
    free(t);
    assert_int_equal(entries(at("w")), 1);
    /* folders made; a folder, a path ending in '/', a file in the way refused */
    assert_int_equal(write_text(at("w/x/y/z.txt"), "z", true, d), 0);
    t = get("w/x/y/z.txt");
    assert_string_equal(t, "z");
    free(t);
    assert_int_equal(write_text(at("w/x"), "z", true, d), PESIM_E_INVALID);
    assert_true(has(d, PESIM_DIAG_FILE_REFUSED, "it is a folder"));
    assert_int_equal(write_text(at("w/q/"), "z", true, d), PESIM_E_INVALID);
    assert_int_equal(write_text(at("w/o.txt/z"), "z", true, d), PESIM_E_INVALID);
    assert_int_equal(write_text(at("w/o.txt/a/b"), "z", true, d), PESIM_E_INVALID);
    /* a symbolic link keeps being one; the file it names is replaced */
    assert_int_equal(symlink("o.txt", at("w/link")), 0);
    assert_int_equal(write_text(at("w/link"), "three", true, d), 0);
    struct stat sb;
    assert_int_equal(lstat(at("w/link"), &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    t = get("w/o.txt");
    assert_string_equal(t, "three");
    free(t);
    /* a character device is written straight and stays one */
    assert_int_equal(write_text("/dev/null", "gone", true, d), 0);
    assert_int_equal(stat("/dev/null", &sb), 0);
    assert_true(S_ISCHR(sb.st_mode));
    pesim_diags_destroy(d);
}

/* A FIFO: written straight (a reader on the other end gets the bytes). */
static void test_write_fifo(void **state)
{
    (void)state;
    assert_int_equal(mkfifo(at("fifo"), 0644), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        pesim_diags *d = pesim_diags_create();
        _exit(write_text(at("fifo"), "through", true, d) ? 1 : 0);
    }
    FILE *f = fopen(at("fifo"), "r");
    assert_non_null(f);
    char buf[32] = "";
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_int_equal(WEXITSTATUS(st), 0);
    assert_string_equal(buf, "through");
    struct stat sb;
    assert_int_equal(stat(at("fifo"), &sb), 0);
    assert_true(S_ISFIFO(sb.st_mode));
}

/* An output over a file the command read is refused, also through links. */
static void test_write_not_input(void **state)
{
    (void)state;
    pesim_diags *d = pesim_diags_create();
    put("in.yaml", "keep");
    assert_int_equal(link(at("in.yaml"), at("hard.yaml")), 0);
    assert_int_equal(symlink("in.yaml", at("soft.yaml")), 0);
    char *t;
    size_t n;
    assert_int_equal(pesim_file_read(at("in.yaml"), NULL, &t, &n, d), 0);
    free(t);
    static const char *const names[] = {"in.yaml", "hard.yaml", "soft.yaml"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(write_text(at(names[i]), "lost", true, d), PESIM_E_INVALID);
        assert_true(has(d, PESIM_DIAG_FILE_REFUSED, "which this command reads"));
    }
    t = get("in.yaml");
    assert_string_equal(t, "keep");
    free(t);
    /* inputs carried over from a loader's own list count too */
    pesim_diags *outer = pesim_diags_create();
    assert_int_equal(pesim_diags_append(outer, d), 0);
    assert_int_equal(pesim_diags_ninputs(outer), 1);
    assert_int_equal(write_text(at("in.yaml"), "lost", true, outer), PESIM_E_INVALID);
    pesim_diags_destroy(outer);
    pesim_diags_destroy(d);
}

static void test_visible(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(pesim_visible(b, sizeof b, "a\nb\tc\rd\x1b[2J\\"),
                        "a\\nb\\tc\\rd\\x1B[2J\\");
    assert_string_equal(pesim_visible(b, sizeof b, "\xc3\xa9t\xc3\xa9"), "\xc3\xa9t\xc3\xa9");
    assert_string_equal(pesim_visible(b, sizeof b, "x\xff\xc3"), "x\\xFF\\xC3");
    assert_string_equal(pesim_visible(b, sizeof b, "\xe0\x80\x80"), "\\xE0\\x80\\x80");
    assert_string_equal(pesim_visible(b, sizeof b, "\xed\xa0\x80"), "\\xED\\xA0\\x80");
    assert_string_equal(pesim_visible(b, 5, "ab\ncd"), "ab\\n");
    assert_string_equal(pesim_visible(b, 3, "a\xc3\xa9"), "a"); /* whole characters */
    assert_int_equal(pesim_utf8_len((const unsigned char *)"\xf4\x8f\xbf\xbf", 4), 4);
    assert_int_equal(pesim_utf8_len((const unsigned char *)"\xf4\x8f\xbf\xbf", 3), 0);
    assert_int_equal(pesim_utf8_len((const unsigned char *)"\xf4\x90\x80\x80", 4), 0);
    assert_int_equal(pesim_utf8_len((const unsigned char *)"\xc1\xbf", 2), 0);
    assert_int_equal(pesim_utf8_len((const unsigned char *)"", 1), 1); /* NUL is ASCII */
    assert_int_equal(pesim_utf8_len((const unsigned char *)"a", 0), 0);

    /* a diagnostic quoting a name prints on one line */
    pesim_diags *d = pesim_diags_create();
    pesim_diags_add(d, "f\n.yaml", 2, 3, "no layer 'x\n!id\x1b[0m'");
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    pesim_diags_print(d, f);
    fclose(f);
    assert_string_equal(out, "f\\n.yaml:2:3: error: no layer 'x\\n!id\\x1B[0m'\n");
    free(out);
    pesim_diags_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read),
        cmocka_unit_test(test_write),
        cmocka_unit_test(test_write_fifo),
        cmocka_unit_test(test_write_not_input),
        cmocka_unit_test(test_visible),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
