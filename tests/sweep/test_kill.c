/* A sweep killed with SIGKILL at random moments, at least five times, and
 * started again with the same command ends with the bytes of an
 * uninterrupted run; while it is killed, no results file exists (readers
 * never see a half-written one). Runs the pesim binary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "files.h"

static char dir[] = "/tmp/pesim-test-kill-XXXXXX";
static char pesim[4096], spec[4200], ref[4200], out[4200], journal[4300];

/* 9 x 9 shapes x 2 dataflows on AlexNet's conv layers: a few seconds. */
static const char spec_text[] =
    "sweep: kill\n"
    "base: {arch: eyeriss-v1, workload: alexnet, layers: conv, batch: 4, engine: analysis}\n"
    "axes:\n"
    "  - {key: pe_array.rows, range: {from: 8, to: 16, step: 1}}\n"
    "  - {key: pe_array.cols, range: {from: 8, to: 16, step: 1}}\n"
    "  - {key: dataflow, values: [ws, rs]}\n";

static pid_t start(const char *output)
{
    pid_t pid = fork();
    if (pid == 0) {
        execl(pesim, pesim, "sweep", spec, "-o", output, "--jobs", "2", "--quiet",
              (char *)NULL);
        _exit(127);
    }
    return pid;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static void test_kill_and_resume(void **state)
{
    (void)state;
    /* Kill delays are fractions of an uninterrupted run's time, so that the
     * test means the same in a sanitizer build (several times slower). */
    double t0 = now_ms();
    assert_int_equal(sw_wait_exit(start(ref)), 0);
    long whole = (long)(now_ms() - t0);
    char *want = sw_slurp(ref);
    assert_non_null(want);
    uint64_t rng = 0x9E3779B97F4A7C15u;
    int kills = 0;
    size_t before = 0;
    for (int round = 0; round < 40 && kills < 6; round++) {
        pid_t pid = start(out);
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        /* the first rounds die early (even before the journal exists), the
         * others after 4% to 14% of a whole run, so that six fit */
        sw_sleep_ms(round < 2 ? 1 + (long)(rng % (uint64_t)(whole / 25 + 1))
                           : whole / 25 + (long)(rng % (uint64_t)(whole / 10 + 1)));
        kill(pid, SIGKILL);
        int st = sw_wait_exit(pid);
        if (st == 0)
            break; /* it finished before the signal: nothing left to kill */
        assert_int_equal(st, -SIGKILL);
        kills++;
        assert_int_equal(access(out, F_OK), -1);
        size_t now = sw_lines(journal);
        print_message("kill %d after round %d: journal %zu lines\n", kills, round, now);
        assert_true(now >= before); /* what was durable stays */
        before = now;
    }
    assert_true(kills >= 5);
    assert_true(before > 1); /* some points were kept across kills */
    assert_int_equal(sw_wait_exit(start(out)), 0);
    char *got = sw_slurp(out);
    assert_non_null(got);
    assert_string_equal(got, want);
    assert_int_equal(access(journal, F_OK), -1);
    free(got);
    free(want);
}

static int setup(void **state)
{
    (void)state;
    const char *build = getenv("PESIM_BUILD_ROOT");
    snprintf(pesim, sizeof pesim, "%s/cli/pesim", build ? build : "build");
    if (!mkdtemp(dir))
        return -1;
    snprintf(spec, sizeof spec, "%s/kill.yaml", dir);
    snprintf(ref, sizeof ref, "%s/ref.csv", dir);
    snprintf(out, sizeof out, "%s/out.csv", dir);
    snprintf(journal, sizeof journal, "%s.journal", out);
    FILE *f = fopen(spec, "w");
    if (!f)
        return -1;
    fputs(spec_text, f);
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
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_kill_and_resume)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
