/* Hostile inputs to sweeps (docs/sweeps.md; issue 12): a resumed sweep
 * whose architecture, Accelergy table or workload file changed after the
 * kill is refused (exit 2, naming the file and how to start afresh) rather
 * than mixing two experiments; unchanged inputs resume to the bytes of an
 * uninterrupted run; merge refuses torn, empty and damaged parts, pareto
 * torn files and columns that are not metrics; -o onto a folder, a device
 * or into missing folders. Runs the pesim binary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "pesim.h"
#include "files.h"
#include "sweep/internal.h"

static char dir[] = "/tmp/pesim-test-identity-XXXXXX";
static char pesim[4096];

/* A ring of buffers: argument lists hold several at once. */
static char *path(const char *name)
{
    static char buf[64][512];
    static int k;
    k = (k + 1) % 64;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void spit(const char *p, const char *text, size_t len)
{
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fwrite(text, 1, len, f);
    fclose(f);
}

static void copy(const char *from, const char *to)
{
    char *t = sw_slurp(from);
    assert_non_null(t);
    spit(to, t, strlen(t));
    free(t);
}

static void append(const char *p, const char *text)
{
    FILE *f = fopen(p, "ab");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Start pesim with argv (NULL-terminated, without the program), its
 * stderr into `err`. */
static pid_t start(const char *err, const char *const *args)
{
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[32] = {pesim};
        for (int i = 0; args[i] && i < 30; i++)
            argv[i + 1] = (char *)args[i];
        int fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 2);
            close(fd);
        }
        int out = open("/dev/null", O_WRONLY);
        if (out >= 0)
            dup2(out, 1);
        execv(pesim, argv);
        _exit(127);
    }
    return pid;
}

/* Run pesim to its end; its exit status, and its stderr in *err (owned by
 * the caller). */
static int run(char **err, const char *const *args)
{
    static char err_path[600];
    snprintf(err_path, sizeof err_path, "%s/stderr.txt", dir);
    int st = sw_wait_exit(start(err_path, args));
    *err = sw_slurp(err_path);
    if (!*err)
        *err = strdup("");
    return st;
}

/* Run and expect `status` and every needle in stderr. */
static void expect(int status, const char *const *args, const char *const *needles)
{
    char *err;
    int st = run(&err, args);
    bool ok = st == status;
    for (size_t i = 0; needles[i]; i++)
        ok = ok && strstr(err, needles[i]);
    if (!ok) {
        fprintf(stderr, "pesim");
        for (size_t i = 0; args[i]; i++)
            fprintf(stderr, " %s", args[i]);
        fprintf(stderr, "\nexit %d, expected %d; stderr:\n%s\nexpected:\n", st, status, err);
        for (size_t i = 0; needles[i]; i++)
            fprintf(stderr, "  %s\n", needles[i]);
    }
    free(err);
    assert_true(ok);
}

/* The journal a run of `spec` into `out` would start: written here, in
 * process, with the header pesim writes, and no rows; then an input is
 * edited and the binary must refuse to resume. */
static void start_journal(const char *spec, const char *out)
{
    pesim_sweep *s = NULL;
    assert_int_equal(pesim_sweep_load(spec, &s, NULL), 0);
    assert_true(pesim_sweep_ninputs(s) >= 4); /* spec, arch, ERT, map, (net) */
    struct pesim_sweep_opts o = {.output = out};
    char *head = sweep_journal_header(s, &o);
    assert_non_null(head);
    char name[600];
    snprintf(name, sizeof name, "%s.journal", out);
    spit(name, head, strlen(head));
    free(head);
    pesim_sweep_free(s);
}

/* A real kill: the cycle-level run is slow enough (about 0.4 s a point)
 * that it is killed as soon as its journal holds a row. Then the arch
 * file's DRAM bandwidth is edited: the resume is refused, names the file
 * and the way out, and keeps the journal and writes nothing. With the
 * file restored it resumes to the uninterrupted bytes. */
static void test_resume_after_arch_edit(void **state)
{
    (void)state;
    const char *ref[] = {"sweep", path("slow.yaml"), "-o", path("ref.csv"), "--quiet", NULL};
    expect(0, ref, (const char *[]){NULL});
    char *want = sw_slurp(path("ref.csv"));
    assert_non_null(want);
    const char *args[] = {"sweep", path("slow.yaml"), "-o", path("out.csv"), "--jobs", "1",
                          "--quiet", NULL};
    char *journal = strdup(path("out.csv.journal"));
    pid_t pid = start(path("killed.txt"), args);
    /* header: the identity line and one per input (spec, arch, ERT, map) */
    for (int i = 0; i < 20000 && sw_lines(journal) < 1 + 4 + 1; i++)
        sw_sleep_ms(1);
    kill(pid, SIGKILL);
    assert_int_equal(sw_wait_exit(pid), -SIGKILL);
    assert_true(sw_lines(journal) >= 6);
    assert_int_equal(access(path("out.csv"), F_OK), -1);

    char *arch = sw_slurp(path("arch.yaml"));
    char *edited = strdup(arch), *bw = strstr(edited, "bandwidth_gbps: 0.48");
    assert_non_null(bw);
    memcpy(bw, "bandwidth_gbps: 0.96", 20);
    spit(path("arch.yaml"), edited, strlen(edited));
    char names[600], how[700];
    snprintf(names, sizeof names, "%s: error: changed since the sweep's journal %s was started",
             path("arch.yaml"), journal);
    /* the library's words, then the CLI's hint for sweep.resume */
    snprintf(how, sizeof how, "to start afresh, remove %s, or run again with --fresh", journal);
    expect(2, args, (const char *[]){names, how, NULL});
    assert_int_equal(access(path("out.csv"), F_OK), -1);
    assert_true(sw_lines(journal) >= 6); /* kept: the user decides */

    spit(path("arch.yaml"), arch, strlen(arch));
    expect(0, args, (const char *[]){NULL});
    char *got = sw_slurp(path("out.csv"));
    assert_non_null(got);
    assert_string_equal(got, want);
    assert_int_equal(access(journal, F_OK), -1);
    free(got);
    free(arch);
    free(edited);
    free(want);
    free(journal);
}

/* An Accelergy table the arch file names, and the workload file: each
 * edited after the journal began is refused by name; restored, the run
 * resumes; --fresh runs afresh over a changed input. */
static void test_changed_table_and_workload(void **state)
{
    (void)state;
    const char *args[] = {"sweep", path("fast.yaml"), "-o", path("f.csv"), "--quiet", NULL};
    const char *fresh[] = {"sweep", path("fast.yaml"), "-o", path("f.csv"), "--quiet",
                           "--fresh", NULL};
    const char *files[] = {"accelergy/horowitz45-ERT.yaml", "accelergy/horowitz45-map.yaml",
                           "net.yaml", "fast.yaml"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        start_journal(path("fast.yaml"), path("f.csv"));
        char *before = sw_slurp(path(files[i]));
        append(path(files[i]), "# edited after the kill\n");
        char names[600];
        snprintf(names, sizeof names, "%s: error: changed since the sweep's journal",
                 path(files[i]));
        expect(2, args, (const char *[]){names, "--fresh", NULL});
        assert_int_equal(access(path("f.csv"), F_OK), -1);
        if (i == 0) { /* --fresh: the old journal goes, the run is of today's files */
            expect(0, fresh, (const char *[]){NULL});
            assert_int_equal(access(path("f.csv.journal"), F_OK), -1);
            assert_int_equal(access(path("f.csv"), F_OK), 0);
            unlink(path("f.csv"));
            start_journal(path("fast.yaml"), path("f.csv")); /* of the edited file */
        }
        spit(path(files[i]), before, strlen(before)); /* as the journal's run read it */
        free(before);
        if (i == 0) /* the journal was started over the edited file: refused again */
            expect(2, args, (const char *[]){names, NULL});
        else
            expect(0, args, (const char *[]){NULL});
        unlink(path("f.csv.journal"));
        unlink(path("f.csv"));
    }
    /* the same spec under another name: the journal's run read one file,
     * this run another */
    copy(path("fast.yaml"), path("fast2.yaml"));
    /* journal of fast.yaml under the name of fast2's output */
    start_journal(path("fast.yaml"), path("g.csv"));
    const char *other[] = {"sweep", path("fast2.yaml"), "-o", path("g.csv"), "--quiet", NULL};
    char now[600], gone[600];
    snprintf(now, sizeof now, "%s: error: read by this run, not by the run that started",
             path("fast2.yaml"));
    snprintf(gone, sizeof gone, "%s: error: read by the run that started the journal",
             path("fast.yaml"));
    expect(2, other, (const char *[]){now, gone, NULL});
    unlink(path("g.csv.journal"));
}

/* A journal of the first format (the spec's hash only) is refused: it
 * cannot show which files its rows came from. A header torn while it was
 * written holds no rows: it is rewritten and the run goes on. */
static void test_old_and_torn_journals(void **state)
{
    (void)state;
    const char *args[] = {"sweep", path("fast.yaml"), "-o", path("v1.csv"), "--quiet", NULL};
    const char v1[] = "pesim-sweep-journal 1 spec=0123456789abcdef points=4 shard=1/1 "
                      "format=csv\n";
    spit(path("v1.csv.journal"), v1, strlen(v1));
    expect(2, args, (const char *[]){"v1.csv.journal:1:1: error: a journal of an older pesim "
                                     "(format 1)", "--fresh", NULL});
    spit(path("v1.csv.journal"), "not a journal\n", 14);
    expect(2, args, (const char *[]){"v1.csv.journal:1:1: error: not a sweep journal", NULL});
    spit(path("v1.csv.journal"), "pesim-sweep-journal 2 spec=0123", 31);
    expect(0, args, (const char *[]){NULL});
    assert_int_equal(access(path("v1.csv.journal"), F_OK), -1);
}

static char *part_of(unsigned k, unsigned n)
{
    char name[64], shard[16];
    snprintf(name, sizeof name, "part-%u.csv", k);
    snprintf(shard, sizeof shard, "%u/%u", k, n);
    const char *args[] = {"sweep", path("fast.yaml"), "-o", path(name), "--shard", shard,
                          "--quiet", NULL};
    expect(0, args, (const char *[]){NULL});
    return strdup(path(name));
}

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

/* merge refuses a part cut short (at a line end too: no trailer), an
 * empty part, a part whose rows changed (checksum), whose trailer counts
 * other rows, and one that is missing; nothing is written. */
static void test_merge_refusals(void **state)
{
    (void)state;
    char *p1 = part_of(1, 2), *p2 = part_of(2, 2);
    const char *good[] = {"sweep", "merge", "-o", path("m.csv"), p1, p2, NULL};
    expect(0, good, (const char *[]){NULL});
    char *text = sw_slurp(p2);
    size_t len = strlen(text);
    char *last = text + len - 1;
    while (last > text && last[-1] != '\n')
        last--;
    size_t body = (size_t)(last - text);
    size_t nlines = 0;
    for (size_t i = 0; i < len; i++)
        nlines += text[i] == '\n';
    char want[600];
    const char *bad[] = {"sweep", "merge", "-o", path("bad.csv"), p1, path("bad-part.csv"),
                         NULL};

    spit(path("bad-part.csv"), text, body - 7); /* cut inside a row */
    snprintf(want, sizeof want, "%s:%zu:1: error: the last line is cut short",
             path("bad-part.csv"), nlines - 1);
    expect(2, bad, (const char *[]){want, NULL});

    spit(path("bad-part.csv"), text, body); /* cut at a line end: no trailer */
    snprintf(want, sizeof want, "%s:%zu:1: error: no end line after the last row",
             path("bad-part.csv"), nlines - 1);
    expect(2, bad, (const char *[]){want, NULL});

    spit(path("bad-part.csv"), "", 0);
    snprintf(want, sizeof want, "%s:1:1: error: empty", path("bad-part.csv"));
    expect(2, bad, (const char *[]){want, NULL});

    char *changed = strdup(text), *ok = strstr(changed, ",ok,");
    assert_non_null(ok);
    ok[1] = 'O';
    spit(path("bad-part.csv"), changed, len);
    snprintf(want, sizeof want, "%s:%zu:1: error: checksum fnv1a=", path("bad-part.csv"),
             nlines);
    expect(2, bad, (const char *[]){want, "changed or damaged", NULL});

    /* a row dropped and the checksum made to match: the count gives it away */
    char *second = strchr(strchr(strchr(text, '\n') + 1, '\n') + 1, '\n') + 1;
    size_t cut = (size_t)(second - text);
    if (second < last) {
        char *dropped = malloc(len + 100);
        size_t rest = (size_t)(last - strchr(second, '\n') - 1);
        memcpy(dropped, text, cut);
        memcpy(dropped + cut, strchr(second, '\n') + 1, rest);
        size_t n = cut + rest;
        int rows = 0;
        sscanf(last, "# pesim sweep end: rows=%d", &rows);
        n += (size_t)snprintf(dropped + n, 100, "# pesim sweep end: rows=%d fnv1a=%016llx\n",
                              rows, (unsigned long long)fnv(dropped, n));
        spit(path("bad-part.csv"), dropped, n);
        snprintf(want, sizeof want, "%s:%zu:1: error: the end line counts %d rows, but %d",
                 path("bad-part.csv"), nlines - 1, rows, rows - 1);
        expect(2, bad, (const char *[]){want, NULL});
        free(dropped);
    }

    const char *missing[] = {"sweep", "merge", "-o", path("bad.csv"), p1, path("nope.csv"),
                             NULL};
    expect(2, missing, (const char *[]){"nope.csv: error: cannot read the part", NULL});
    assert_int_equal(access(path("bad.csv"), F_OK), -1);
    free(changed);
    free(text);
    free(p1);
    free(p2);
}

/* pareto refuses a results file cut short, and metrics that are not
 * numbers (ids, reasons, a string axis), listing the numeric columns. */
static void test_pareto_refusals(void **state)
{
    (void)state;
    const char *args[] = {"sweep", path("fast.yaml"), "-o", path("r.csv"), "--quiet", NULL};
    expect(0, args, (const char *[]){NULL});
    char *text = sw_slurp(path("r.csv"));
    size_t len = strlen(text);
    spit(path("torn.csv"), text, len - 5);
    char want[600];
    snprintf(want, sizeof want, "%s:5:1: error: the last line is cut short", path("torn.csv"));
    expect(2, (const char *[]){"sweep", "pareto", path("torn.csv"), "--min", "latency", "--min",
                               "energy", NULL},
           (const char *[]){want, NULL});
    /* a row that lost its end but kept a newline: fewer fields */
    char *short_row = strdup(text), *nl = strchr(strchr(short_row, '\n') + 1, '\n');
    char *comma = nl;
    for (int k = 0; k < 5; k++)
        while (*--comma != ',')
            ;
    memmove(comma, nl, strlen(nl) + 1);
    spit(path("short.csv"), short_row, strlen(short_row));
    snprintf(want, sizeof want, "%s:2:1: error: ", path("short.csv"));
    expect(2, (const char *[]){"sweep", "pareto", path("short.csv"), "--min", "latency",
                               "--min", "energy", NULL},
           (const char *[]){want, "fields, expected", "as in the header", NULL});
    const char *metrics[][2] = {{"id", "column 'id' is not a metric"},
                                {"reason", "column 'reason' is not a metric"},
                                {"status", "column 'status' is not a metric"},
                                {"dataflow", "column 'dataflow' holds 'ws', not a number"}};
    for (size_t i = 0; i < 4; i++) {
        snprintf(want, sizeof want, "%s:%d:1: error: minimize %s: %s", path("r.csv"),
                 i == 3 ? 2 : 1, metrics[i][0], metrics[i][1]);
        expect(2, (const char *[]){"sweep", "pareto", path("r.csv"), "--min", metrics[i][0],
                                   "--min", "energy", NULL},
               (const char *[]){want, "expected a numeric column: pe_array.rows, cycles, "
                                "latency_us, energy_total,", NULL});
    }
    expect(0, (const char *[]){"sweep", "pareto", path("r.csv"), "--min", "pe_array.rows",
                               "--min", "energy", NULL},
           (const char *[]){NULL});
    free(short_row);
    free(text);
}

/* -o onto a folder is refused before any point runs, and leaves no
 * journal; into missing folders they are made; /dev/null is written
 * straight, with no journal beside it; a file in the way of a folder. */
static void test_outputs(void **state)
{
    (void)state;
    assert_int_equal(mkdir(path("outdir"), 0755), 0);
    expect(2, (const char *[]){"sweep", path("fast.yaml"), "-o", path("outdir"), "--quiet",
                               NULL},
           (const char *[]){"outdir: error: refusing to write the output: it is a folder", NULL});
    assert_int_equal(access(path("outdir.journal"), F_OK), -1);
    char slash[600];
    snprintf(slash, sizeof slash, "%s/", path("outdir"));
    expect(2, (const char *[]){"sweep", path("fast.yaml"), "-o", slash, "--quiet", NULL},
           (const char *[]){"must name a file, not a folder", NULL});
    assert_int_equal(access(path("outdir/.journal"), F_OK), -1);
    expect(0, (const char *[]){"sweep", path("fast.yaml"), "-o", path("new/deep/x.csv"),
                               "--quiet", NULL},
           (const char *[]){NULL});
    assert_int_equal(access(path("new/deep/x.csv"), F_OK), 0);
    assert_int_equal(access(path("new/deep/x.csv.journal"), F_OK), -1);
    bool had = access("/dev/null.journal", F_OK) == 0;
    expect(0, (const char *[]){"sweep", path("fast.yaml"), "-o", "/dev/null", "--quiet", NULL},
           (const char *[]){NULL});
    assert_true(had || access("/dev/null.journal", F_OK) != 0);
    char in_file[600];
    snprintf(in_file, sizeof in_file, "%s/x.csv", path("net.yaml"));
    expect(2, (const char *[]){"sweep", path("fast.yaml"), "-o", in_file, "--quiet", NULL},
           (const char *[]){"Not a directory", NULL});
    expect(2, (const char *[]){"sweep", path("fast.yaml"), "-o", path("arch.yaml"), "--quiet",
                               NULL},
           (const char *[]){"which this command reads", NULL});
    expect(2, (const char *[]){"sweep", "merge", "-o", path("outdir"), path("r.csv"), NULL},
           (const char *[]){"error:", NULL});
}

static int setup(void **state)
{
    (void)state;
    const char *build = getenv("PESIM_BUILD_ROOT"), *src = getenv("PESIM_SOURCE_ROOT");
    snprintf(pesim, sizeof pesim, "%s/cli/pesim", build ? build : "build");
    if (!src)
        src = ".";
    if (!mkdtemp(dir))
        return -1;
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/accelergy' && cp '%s/configs/eyeriss-v1-45nm.yaml' "
             "'%s/arch.yaml' && cp '%s'/configs/accelergy/*.yaml '%s/accelergy/' && "
             "cp '%s/workloads/lib/alexnet.yaml' '%s/net.yaml'", dir, src, dir, src, dir, src,
             dir);
    if (system(cmd) != 0)
        return -1;
    FILE *f = fopen(path("slow.yaml"), "w");
    if (!f)
        return -1;
    /* cycle-level, about 0.4 s a point */
    fprintf(f, "sweep: slow\nbase: {arch: %s, workload: alexnet, layers: conv, batch: 4}\n"
               "axes:\n  - {key: pe_array.rows, values: [8, 16]}\n"
               "  - {key: dataflow, values: [ws, rs]}\n", path("arch.yaml"));
    fclose(f);
    if (!(f = fopen(path("fast.yaml"), "w")))
        return -1;
    fprintf(f, "sweep: fast\nbase: {arch: %s, workload: %s, layers: CONV3, engine: analysis}\n"
               "axes:\n  - {key: pe_array.rows, values: [4, 8]}\n"
               "  - {key: dataflow, values: [ws, rs]}\n", path("arch.yaml"), path("net.yaml"));
    fclose(f);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resume_after_arch_edit),
        cmocka_unit_test(test_changed_table_and_workload),
        cmocka_unit_test(test_old_and_torn_journals),
        cmocka_unit_test(test_merge_refusals),
        cmocka_unit_test(test_pareto_refusals),
        cmocka_unit_test(test_outputs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
