/* Internal: the one thread pool of pesim (not installed). The network
 * runner (pipeline/network.c: pesim run, pesim compare) and the sweep
 * runner (sweep/run.c) both run their independent jobs through it.
 *
 * Contract:
 * - Jobs are numbered 0 .. n-1 and handed out in that order, each exactly
 *   once (unless `stop` ends the hand-out early). Which thread runs a job,
 *   and when, is not specified: a job must write its result only where
 *   its index says (out[i]) or behind its own lock. Written that way, the
 *   results — and every byte made from them — do not depend on the thread
 *   count. The pool keeps no global state and allocates nothing but its
 *   threads (their stacks).
 * - Worker threads get PESIM_POOL_STACK_BYTES of stack, set explicitly:
 *   the layer pipeline keeps frames of 64-205 KiB on the stack (gcc
 *   -fstack-usage: dataflows/analysis.c rows_enumerated 205 KiB and
 *   proj_strided 64 KiB, exhaustive.c candidate_size 60 KiB), more than
 *   the default stack of a secondary thread on some systems (musl:
 *   128 KiB; macOS: 512 KiB, and these nest), and a sweep or network must
 *   not crash on one system and run on another.
 * - The call returns when every job handed out has finished. */
#ifndef PESIM_PIPELINE_POOL_H
#define PESIM_PIPELINE_POOL_H

#include <stdbool.h>
#include <stddef.h>

/* Stack of each worker thread: the largest frames of the pipeline many
 * times over, and glibc's default for the main thread. */
#define PESIM_POOL_STACK_BYTES ((size_t)8 << 20)
/* Most threads one pool starts (more are clamped to this). */
#define PESIM_POOL_MAX_THREADS 256u

struct pesim_pool {
    /* set by the caller */
    size_t n;                          /* jobs 0 .. n-1 */
    void (*job)(void *ctx, size_t i);  /* run job i */
    void *ctx;
    /* optional (NULL: none) */
    /* Asked before each job is handed out, with the pool's lock held (so
     * cheap, and never waiting for a job): true hands out no more. Jobs
     * already handed out finish; since hand-out is in index order, every
     * job below one that asked to stop has been handed out. */
    bool (*stop)(void *ctx);
    /* With watch, the calling thread runs no jobs: until all are done it
     * calls watch(ctx) when jobs have finished (one call may follow
     * several) and at least every watch_ms milliseconds (0: 200), never
     * holding the pool's lock (progress reports). Without it, the calling
     * thread is one of the `threads`. */
    void (*watch)(void *ctx);
    unsigned watch_ms;
};

/* Run the pool's jobs on `threads` threads (0 is 1; at most
 * min(PESIM_POOL_MAX_THREADS, n) run jobs). With one thread and no watch
 * the jobs run on the calling thread, in order, and no thread is made.
 * If some threads cannot be created the others do their share; if none
 * can, the calling thread runs every job itself (watch is then not
 * called). Returns how many threads took part: the workers started, plus
 * the calling thread when it ran jobs (0 when n is 0). */
unsigned pesim_pool_run(const struct pesim_pool *p, unsigned threads);

/* Online processors, at least 1: what "one thread per core" means. */
unsigned pesim_pool_cores(void);

#endif
