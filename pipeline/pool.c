/* The thread pool (pipeline/pool.h): one counter of the next job behind
 * one mutex. Jobs are a whole layer's mapper search or a sweep point
 * (milliseconds to minutes), so a lock per hand-out costs nothing
 * measurable and keeps the hand-out in index order, which `stop` relies
 * on. */
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "pipeline/pool.h"

struct state {
    const struct pesim_pool *p;
    pthread_mutex_t lock; /* the fields below */
    pthread_cond_t changed;
    size_t next;
    size_t finished; /* jobs done, for watch */
    unsigned running; /* worker threads still in their loop */
    bool stopped;
};

/* The next job's index, or n when there is none to hand out. */
static size_t take(struct state *st)
{
    const struct pesim_pool *p = st->p;
    pthread_mutex_lock(&st->lock);
    size_t i = p->n;
    if (!st->stopped && st->next < p->n) {
        if (p->stop && p->stop(p->ctx))
            st->stopped = true;
        else
            i = st->next++;
    }
    pthread_mutex_unlock(&st->lock);
    return i;
}

static void work(struct state *st)
{
    for (size_t i; (i = take(st)) < st->p->n;) {
        st->p->job(st->p->ctx, i);
        pthread_mutex_lock(&st->lock);
        st->finished++;
        pthread_cond_broadcast(&st->changed);
        pthread_mutex_unlock(&st->lock);
    }
}

static void *worker(void *arg)
{
    struct state *st = arg;
    work(st);
    pthread_mutex_lock(&st->lock);
    st->running--;
    pthread_cond_broadcast(&st->changed);
    pthread_mutex_unlock(&st->lock);
    return NULL;
}

/* `ms` from now on the condition's clock (monotonic: a clock step must not
 * stall or flood the progress reports). */
static struct timespec after_ms(unsigned ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

/* The caller's loop with watch: wake on every finished job and at least
 * every watch_ms, call watch outside the lock (it may take its own locks
 * and print through the caller's callback). */
static void watch_loop(struct state *st)
{
    unsigned ms = st->p->watch_ms ? st->p->watch_ms : 200;
    pthread_mutex_lock(&st->lock);
    while (st->running) {
        size_t seen = st->finished;
        struct timespec until = after_ms(ms);
        while (st->running && st->finished == seen &&
               pthread_cond_timedwait(&st->changed, &st->lock, &until) == 0)
            ;
        pthread_mutex_unlock(&st->lock);
        st->p->watch(st->p->ctx);
        pthread_mutex_lock(&st->lock);
    }
    pthread_mutex_unlock(&st->lock);
}

unsigned pesim_pool_run(const struct pesim_pool *p, unsigned threads)
{
    if (p->n == 0)
        return 0;
    if (threads == 0)
        threads = 1;
    if (threads > PESIM_POOL_MAX_THREADS)
        threads = PESIM_POOL_MAX_THREADS;
    if (threads > p->n)
        threads = (unsigned)p->n;
    struct state st = {.p = p};
    pthread_mutex_init(&st.lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&st.changed, &ca);
    pthread_condattr_destroy(&ca);

    /* Without watch the calling thread is one of the workers. */
    unsigned want = p->watch ? threads : threads - 1, started = 0;
    pthread_t tid[PESIM_POOL_MAX_THREADS];
    pthread_attr_t attr;
    /* The explicit stack size is the point (pool.h): with an attribute
     * that cannot carry it, no thread is made and the caller runs the
     * jobs on its own stack, as with one thread. */
    if (want && pthread_attr_init(&attr) == 0) {
        if (pthread_attr_setstacksize(&attr, PESIM_POOL_STACK_BYTES) == 0) {
            pthread_mutex_lock(&st.lock);
            for (; started < want; started++) {
                if (pthread_create(&tid[started], &attr, worker, &st) != 0)
                    break;
                st.running++;
            }
            pthread_mutex_unlock(&st.lock);
        }
        pthread_attr_destroy(&attr);
    }
    unsigned ran = started;
    if (p->watch && started) {
        watch_loop(&st);
    } else {
        work(&st); /* the calling thread's share, or every job */
        ran++;
    }
    for (unsigned k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
    pthread_cond_destroy(&st.changed);
    pthread_mutex_destroy(&st.lock);
    return ran;
}

unsigned pesim_pool_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}
