/* Progress of run and compare on stderr (cli/cli.h, docs/cli.md
 * "Progress"). The library only counts (pesim_sim_network_watched); the
 * words, the clock and the terminal are the CLI's. */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

/* Below this a run ends before a line would help; a terminal stays quiet. */
#define PROGRESS_AFTER_S 1.0

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void pesim_cli_progress_start(struct pesim_cli_progress *p, const char *what,
                              enum pesim_cli_progress_mode mode)
{
    memset(p, 0, sizeof *p);
    p->what = what;
    p->forced = mode == PESIM_CLI_PROGRESS_ON;
    p->on = p->forced || (mode == PESIM_CLI_PROGRESS_AUTO && isatty(STDERR_FILENO));
    p->t0_s = now_s();
}

void pesim_cli_progress_show(const struct pesim_sim_progress *s, void *ctx)
{
    struct pesim_cli_progress *p = ctx;
    double el = now_s() - p->t0_s;
    if (!p->on || (!p->forced && el < PROGRESS_AFTER_S))
        return;
    char df[96] = "";
    if (p->df)
        snprintf(df, sizeof df, " \u00b7 %s %zu/%zu dataflows", p->df, p->df_i + 1, p->df_n);
    char line[256];
    int n = snprintf(line, sizeof line, "%s: %zu/%zu layers%s \u00b7 %.1f s", p->what, s->done,
                     s->total, df, el);
    /* spaces over what is left of a longer line before */
    fprintf(stderr, "\r%s%*s", line, p->shown > n ? p->shown - n : 0, "");
    fflush(stderr);
    if (n > p->shown)
        p->shown = n;
}

void pesim_cli_progress_end(struct pesim_cli_progress *p)
{
    if (p->shown)
        fprintf(stderr, "\r%*s\r", p->shown, "");
    fflush(stderr);
    p->shown = 0;
}
