/* The event kernel (sim/kernel.c, docs/kernel.md): (time, seq) order,
 * batch semantics, `until`, errors, a self-rescheduling clock, no global
 * state across threads, an allocation-free run loop, and counters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include <cmocka.h>

#include "pesim/error.h"
#include "pesim/kernel.h"

/* ---- fixtures ---------------------------------------------------------- */

struct entry {
    int id;
    uint64_t time;
};

struct log {
    struct entry *e;
    size_t n, cap;
};

/* A test event: `ev` first, so a struct pesim_event * is a struct tev *. */
struct tev {
    struct pesim_event ev;
    int id;
    struct log *log;
    void *ctx; /* for callbacks that act */
    void (*act)(pesim_kernel *k, struct tev *self); /* runs after logging */
};

static void log_init(struct log *l, size_t cap)
{
    l->e = calloc(cap, sizeof *l->e);
    assert_non_null(l->e);
    l->n = 0;
    l->cap = cap;
}

static void log_free(struct log *l)
{
    free(l->e);
    l->e = NULL;
}

static void on_fire(pesim_kernel *k, struct pesim_event *ev)
{
    struct tev *t = (struct tev *)ev;
    assert_int_equal(pesim_kernel_now(k), ev->time);
    assert_true(t->log->n < t->log->cap);
    t->log->e[t->log->n].id = t->id;
    t->log->e[t->log->n].time = pesim_kernel_now(k);
    t->log->n++;
    if (t->act)
        t->act(k, t);
}

static void tev_init(struct tev *t, int id, struct log *log)
{
    memset(t, 0, sizeof *t);
    pesim_event_init(&t->ev, on_fire);
    t->id = id;
    t->log = log;
}

/* xorshift64*: fixed seeds, same sequence on every platform. */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static uint64_t rng_below(uint64_t *s, uint64_t n)
{
    return rng_next(s) % n;
}

static void expect_log(const struct log *l, const int *ids, const uint64_t *times, size_t n)
{
    assert_int_equal(l->n, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(l->e[i].id, ids[i]);
        assert_int_equal(l->e[i].time, times[i]);
    }
}

/* ---- 1. ordering ------------------------------------------------------- */

static void test_same_time_in_schedule_order(void **state)
{
    (void)state;
    pesim_kernel *k = pesim_kernel_create(16, NULL);
    assert_non_null(k);
    struct log log;
    log_init(&log, 16);
    struct tev ev[8];
    /* Scheduled in the order 5, 2, 7, 0, 1, 6, 3, 4, all at t=7. */
    const int order[8] = {5, 2, 7, 0, 1, 6, 3, 4};
    for (int i = 0; i < 8; i++)
        tev_init(&ev[i], i, &log);
    for (int i = 0; i < 8; i++)
        assert_int_equal(pesim_kernel_schedule(k, &ev[order[i]].ev, 7), 0);
    assert_int_equal(pesim_kernel_run(k, UINT64_MAX), 8);
    const uint64_t t7[8] = {7, 7, 7, 7, 7, 7, 7, 7};
    expect_log(&log, order, t7, 8);
    assert_int_equal(pesim_kernel_now(k), 7);
    pesim_kernel_destroy(k);
    log_free(&log);
}

static void test_mixed_times_in_time_order(void **state)
{
    (void)state;
    pesim_kernel *k = pesim_kernel_create(16, NULL);
    assert_non_null(k);
    struct log log;
    log_init(&log, 16);
    struct tev ev[6];
    const uint64_t when[6] = {30, 10, 20, 10, 0, 30};
    for (int i = 0; i < 6; i++) {
        tev_init(&ev[i], i, &log);
        assert_int_equal(pesim_kernel_schedule(k, &ev[i].ev, when[i]), 0);
    }
    assert_int_equal(pesim_kernel_next_time(k), 0);
    assert_int_equal(pesim_kernel_run(k, UINT64_MAX), 6);
    const int ids[6] = {4, 1, 3, 2, 0, 5};
    const uint64_t times[6] = {0, 10, 10, 20, 30, 30};
    expect_log(&log, ids, times, 6);
    assert_int_equal(pesim_kernel_events(k), 6);
    assert_int_equal(pesim_kernel_next_time(k), UINT64_MAX);
    pesim_kernel_destroy(k);
    log_free(&log);
}

/* The test's own model of what is scheduled: (time, seq) per event with
 * seq counted here, one per schedule call, independently of the kernel. */
struct model {
    uint64_t time, seq;
    int live;
};

struct due {
    uint64_t time, seq;
    int id;
};

static int cmp_due(const void *pa, const void *pb)
{
    const struct due *a = pa, *b = pb;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

/* The live events with time <= until, in (time, seq) order. */
static size_t expected_order(const struct model *m, int n, uint64_t until, struct due *out)
{
    size_t k = 0;
    for (int i = 0; i < n; i++)
        if (m[i].live && m[i].time <= until)
            out[k++] = (struct due){m[i].time, m[i].seq, i};
    qsort(out, k, sizeof *out, cmp_due);
    return k;
}

static void test_random_schedule_matches_sort(void **state)
{
    (void)state;
    enum { N = 2000, ROUNDS = 40, OPS = 600 };
    pesim_kernel *k = pesim_kernel_create(N, NULL);
    assert_non_null(k);
    struct tev *ev = calloc(N, sizeof *ev);
    struct model *m = calloc(N, sizeof *m);
    struct due *due = calloc(N, sizeof *due);
    assert_true(ev && m && due);
    struct log log;
    log_init(&log, (size_t)ROUNDS * OPS + N);
    for (int i = 0; i < N; i++)
        tev_init(&ev[i], i, &log);

    uint64_t rng = 0x9E3779B97F4A7C15ULL, seq = 0;
    size_t checked = 0, cancels = 0, moves = 0;
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t now = pesim_kernel_now(k);
        for (int o = 0; o < OPS; o++) {
            int i = (int)rng_below(&rng, N);
            if (rng_below(&rng, 4) == 0) {
                pesim_kernel_cancel(k, &ev[i].ev);
                cancels += (size_t)m[i].live;
                m[i].live = 0;
            } else {
                /* Narrow time range: many ties. */
                uint64_t t = now + rng_below(&rng, 64);
                assert_int_equal(pesim_kernel_schedule(k, &ev[i].ev, t), 0);
                moves += (size_t)m[i].live;
                m[i].time = t;
                m[i].seq = seq++;
                m[i].live = 1;
            }
            assert_int_equal(pesim_event_pending(&ev[i].ev), m[i].live);
        }
        /* Run part of the way; expected = live events up to `until`. */
        uint64_t until = now + rng_below(&rng, 48);
        size_t n = expected_order(m, N, until, due);
        size_t before = log.n;
        assert_int_equal(pesim_kernel_run(k, until), n);
        assert_int_equal(log.n - before, n);
        for (size_t j = 0; j < n; j++) {
            assert_int_equal(log.e[before + j].id, due[j].id);
            assert_int_equal(log.e[before + j].time, due[j].time);
            m[due[j].id].live = 0;
        }
        if (n)
            assert_int_equal(pesim_kernel_now(k), due[n - 1].time);
        checked += n;
    }
    /* Drain the rest. */
    size_t n = expected_order(m, N, UINT64_MAX, due);
    size_t before = log.n;
    assert_int_equal(pesim_kernel_run(k, UINT64_MAX), n);
    for (size_t j = 0; j < n; j++) {
        assert_int_equal(log.e[before + j].id, due[j].id);
        assert_int_equal(log.e[before + j].time, due[j].time);
    }
    checked += n;
    /* The schedule really exercised ties, cancels and moves. */
    assert_true(checked > 10000);
    assert_true(cancels > 1000);
    assert_true(moves > 1000);
    assert_int_equal(pesim_kernel_events(k), checked);
    pesim_kernel_destroy(k);
    log_free(&log);
    free(ev);
    free(m);
    free(due);
}

/* ---- 2. batch semantics ------------------------------------------------ */

struct sim {
    struct tev *ev; /* the events of a test, by id */
    int rc, rc2;    /* schedule results seen by a callback */
};

static void act_schedule_3_now(pesim_kernel *k, struct tev *self)
{
    struct sim *s = self->ctx;
    s->rc = pesim_kernel_schedule(k, &s->ev[3].ev, pesim_kernel_now(k));
}

static void test_batch_schedule_at_now_goes_last(void **state)
{
    (void)state;
    pesim_kernel *k = pesim_kernel_create(8, NULL);
    struct log log;
    log_init(&log, 8);
    struct tev ev[4];
    struct sim s = {ev, -1, 0};
    for (int i = 0; i < 4; i++) {
        tev_init(&ev[i], i, &log);
        ev[i].ctx = &s;
    }
    ev[0].act = act_schedule_3_now;
    for (int i = 0; i < 3; i++)
        assert_int_equal(pesim_kernel_schedule(k, &ev[i].ev, 10), 0);
    assert_int_equal(pesim_kernel_run(k, 10), 4);
    assert_int_equal(s.rc, 0);
    const int ids[4] = {0, 1, 2, 3};
    const uint64_t times[4] = {10, 10, 10, 10};
    expect_log(&log, ids, times, 4);
    pesim_kernel_destroy(k);
    log_free(&log);
}

static void act_cancel_2(pesim_kernel *k, struct tev *self)
{
    /* Collected into the batch but not fired yet: still pending. */
    assert_int_equal(pesim_event_pending(&((struct sim *)self->ctx)->ev[2].ev), 1);
    pesim_kernel_cancel(k, &((struct sim *)self->ctx)->ev[2].ev);
    /* Cancelled batch members are no longer pending. */
    assert_int_equal(pesim_event_pending(&((struct sim *)self->ctx)->ev[2].ev), 0);
}

static void test_batch_cancel_later_member(void **state)
{
    (void)state;
    pesim_kernel *k = pesim_kernel_create(8, NULL);
    struct log log;
    log_init(&log, 8);
    struct tev ev[4];
    struct sim s = {ev, 0, 0};
    for (int i = 0; i < 4; i++) {
        tev_init(&ev[i], i, &log);
        ev[i].ctx = &s;
        assert_int_equal(pesim_kernel_schedule(k, &ev[i].ev, 10), 0);
    }
    ev[0].act = act_cancel_2;
    assert_int_equal(pesim_kernel_run(k, UINT64_MAX), 3);
    const int ids[3] = {0, 1, 3};
    const uint64_t times[3] = {10, 10, 10};
    expect_log(&log, ids, times, 3);
    assert_int_equal(pesim_kernel_events(k), 3);
    /* The cancelled event is reusable: capacity was given back. */
    assert_int_equal(pesim_kernel_schedule(k, &ev[2].ev, 11), 0);
    assert_int_equal(pesim_kernel_run(k, UINT64_MAX), 1);
    assert_int_equal(log.e[3].id, 2);
    pesim_kernel_destroy(k);
    log_free(&log);
}

/* ev0 moves batch member 1 to now (a later batch) and member 2 to 12, and
 * cancels then re-schedules member 4 at 11. */
static void act_move(pesim_kernel *k, struct tev *self)
{
    struct tev *ev = ((struct sim *)self->ctx)->ev;
    uint64_t now = pesim_kernel_now(k);
    assert_int_equal(pesim_kernel_schedule(k, &ev[1].ev, now), 0);
    assert_int_equal(pesim_kernel_schedule(k, &ev[2].ev, now + 2), 0);
    pesim_kernel_cancel(k, &ev[4].ev);
    assert_int_equal(pesim_kernel_schedule(k, &ev[4].ev, now + 1), 0);
    assert_int_equal(pesim_kernel_next_time(k), now);
}

static void test_batch_reschedule_member(void **state)
{
    (void)state;
    pesim_kernel *k = pesim_kernel_create(8, NULL);
    struct log log;
    log_init(&log, 8);
    struct tev ev[5];
    struct sim s = {ev, 0, 0};
    for (int i = 0; i < 5; i++) {
        tev_init(&ev[i], i, &log);
        ev[i].ctx = &s;
        assert_int_equal(pesim_kernel_schedule(k, &ev[i].ev, 10), 0);
    }
    ev[0].act = act_move;
    assert_int_equal(pesim_kernel_run(k, UINT64_MAX), 5);
    const int ids[5] = {0, 3, 1, 4, 2};
    const uint64_t times[5] = {10, 10, 10, 11, 12};
    expect_log(&log, ids, times, 5);
    pesim_kernel_destroy(k);
    log_free(&log);
}

/* A batch member that reschedules itself at now fires again after the
 * rest of its batch, once per batch. */
static void act_again_twice(pesim_kernel *k, struct tev *self)
{
    if (((struct sim *)self->ctx)->rc++ < 2)
        assert_int_equal(pesim_kernel_schedule(k, &self->ev, pesim_kernel_now(k)), 0);
}

static void test_batch_self_at_now(void **state)
{
    (void)state;
    pesim_kernel *k = pesim_kernel_create(4, NULL);
    struct log log;
    log_init(&log, 8);
    struct tev ev[2];
    struct sim s = {ev, 0, 0};
    for (int i = 0; i < 2; i++) {
        tev_init(&ev[i], i, &log);
        ev[i].ctx = &s;
    }
    ev[0].act = act_again_twice;
    assert_int_equal(pesim_kernel_schedule(k, &ev[0].ev, 4), 0);
    assert_int_equal(pesim_kernel_schedule(k, &ev[1].ev, 4), 0);
    assert_int_equal(pesim_kernel_run(k, 4), 4);
    const int ids[4] = {0, 1, 0, 0};
    const uint64_t times[4] = {4, 4, 4, 4};
    expect_log(&log, ids, times, 4);
    pesim_kernel_destroy(k);
    log_free(&log);
}

/* ---- 3. until ---------------------------------------------------------- */

static void test_until_bound(void **state)
{
    (void)state;
    pesim_kernel *k = pesim_kernel_create(8, NULL);
    struct log log;
    log_init(&log, 8);
    struct tev ev[4];
    const uint64_t when[4] = {5, 10, 10, 11};
    for (int i = 0; i < 4; i++) {
        tev_init(&ev[i], i, &log);
        assert_int_equal(pesim_kernel_schedule(k, &ev[i].ev, when[i]), 0);
    }
    /* until is inclusive; now is the last fired time, not until. */
    assert_int_equal(pesim_kernel_run(k, 9), 1);
    assert_int_equal(pesim_kernel_now(k), 5);
    assert_int_equal(pesim_kernel_run(k, 10), 2);
    assert_int_equal(pesim_kernel_now(k), 10);
    assert_int_equal(pesim_kernel_next_time(k), 11);
    assert_int_equal(pesim_event_pending(&ev[3].ev), 1);
    assert_int_equal(pesim_event_pending(&ev[1].ev), 0);
    assert_int_equal(pesim_kernel_run(k, 10), 0);
    assert_int_equal(log.n, 3);
    assert_int_equal(pesim_kernel_run(k, UINT64_MAX), 1);
    assert_int_equal(pesim_kernel_now(k), 11);
    const int ids[4] = {0, 1, 2, 3};
    expect_log(&log, ids, when, 4);
    assert_int_equal(pesim_kernel_events(k), 4);
    /* Empty kernel: nothing to run, time stays. */
    assert_int_equal(pesim_kernel_run(k, UINT64_MAX), 0);
    assert_int_equal(pesim_kernel_now(k), 11);
    pesim_kernel_destroy(k);
    log_free(&log);
}

/* ---- 4. errors --------------------------------------------------------- */

static void act_schedule_2_3(pesim_kernel *k, struct tev *self)
{
    struct sim *s = self->ctx;
    s->rc = pesim_kernel_schedule(k, &s->ev[2].ev, pesim_kernel_now(k) + 1);
    s->rc2 = pesim_kernel_schedule(k, &s->ev[3].ev, pesim_kernel_now(k) + 1);
}

static void test_errors(void **state)
{
    (void)state;
    struct log log;
    log_init(&log, 16);
    struct tev ev[4];
    for (int i = 0; i < 4; i++)
        tev_init(&ev[i], i, &log);

    /* In the past: t-1 refused, t accepted. */
    pesim_kernel *k = pesim_kernel_create(3, NULL);
    assert_int_equal(pesim_kernel_schedule(k, &ev[0].ev, 10), 0);
    assert_int_equal(pesim_kernel_run(k, UINT64_MAX), 1);
    assert_int_equal(pesim_kernel_schedule(k, &ev[0].ev, 9), PESIM_E_RANGE);
    assert_int_equal(pesim_event_pending(&ev[0].ev), 0);
    assert_int_equal(pesim_kernel_schedule(k, &ev[0].ev, 10), 0);
    /* Moving a pending event into the past leaves it where it was. */
    assert_int_equal(pesim_kernel_schedule(k, &ev[0].ev, 0), PESIM_E_RANGE);
    assert_int_equal(pesim_kernel_next_time(k), 10);

    /* Full: 3 pending; a 4th is refused, a move is not. */
    assert_int_equal(pesim_kernel_schedule(k, &ev[1].ev, 12), 0);
    assert_int_equal(pesim_kernel_schedule(k, &ev[2].ev, 13), 0);
    assert_int_equal(pesim_kernel_schedule(k, &ev[3].ev, 14), PESIM_E_RANGE);
    assert_int_equal(pesim_event_pending(&ev[3].ev), 0);
    assert_int_equal(pesim_kernel_schedule(k, &ev[2].ev, 11), 0);
    pesim_kernel_cancel(k, &ev[1].ev);
    pesim_kernel_cancel(k, &ev[1].ev); /* no-op */
    assert_int_equal(pesim_kernel_schedule(k, &ev[3].ev, 14), 0);
    assert_int_equal(pesim_kernel_run(k, UINT64_MAX), 3);
    pesim_kernel_destroy(k);

    /* Batch members still count as pending. Room for 2, a batch {0, 1}:
     * when 0 fires it is no longer pending, so it can add 2 (pending: 1
     * in the batch and 2), but then not 3. */
    k = pesim_kernel_create(2, NULL);
    struct sim s = {ev, 1, 1};
    for (int i = 0; i < 4; i++) {
        tev_init(&ev[i], i, &log);
        ev[i].ctx = &s;
    }
    ev[0].act = act_schedule_2_3;
    assert_int_equal(pesim_kernel_schedule(k, &ev[0].ev, 5), 0);
    assert_int_equal(pesim_kernel_schedule(k, &ev[1].ev, 5), 0);
    log.n = 0;
    assert_int_equal(pesim_kernel_run(k, UINT64_MAX), 3);
    assert_int_equal(s.rc, 0);
    assert_int_equal(s.rc2, PESIM_E_RANGE);
    const int ids[3] = {0, 1, 2};
    const uint64_t times[3] = {5, 5, 6};
    expect_log(&log, ids, times, 3);
    pesim_kernel_destroy(k);

    /* No room at all. */
    k = pesim_kernel_create(0, NULL);
    assert_non_null(k);
    assert_int_equal(pesim_kernel_schedule(k, &ev[0].ev, 0), PESIM_E_RANGE);
    assert_int_equal(pesim_kernel_run(k, UINT64_MAX), 0);
    /* Bad arguments. */
    struct pesim_event nofn;
    pesim_event_init(&nofn, NULL);
    assert_int_equal(pesim_kernel_schedule(k, &nofn, 0), PESIM_E_INVALID);
    uint64_t c = 0;
    assert_int_equal(pesim_kernel_counter(k, "a.b", &c), 0);
    assert_int_equal(pesim_kernel_counter(k, "a.b", &c), PESIM_E_INVALID);
    uint64_t other = 0;
    assert_int_equal(pesim_kernel_counter(k, "a.b", &other), PESIM_E_INVALID);
    assert_int_equal(pesim_kernel_counter(k, "", &c), PESIM_E_INVALID);
    assert_int_equal(pesim_kernel_counter(k, NULL, &c), PESIM_E_INVALID);
    assert_int_equal(pesim_kernel_counter(k, "x", NULL), PESIM_E_INVALID);
    assert_int_equal(pesim_kernel_counter_count(k), 1);
    pesim_kernel_destroy(k);

    /* Destroying a kernel leaves its events unscheduled. */
    k = pesim_kernel_create(2, NULL);
    assert_int_equal(pesim_kernel_schedule(k, &ev[0].ev, 3), 0);
    pesim_kernel_destroy(k);
    assert_int_equal(pesim_event_pending(&ev[0].ev), 0);
    log_free(&log);
}

/* ---- 5. a self-rescheduling clock -------------------------------------- */

struct clock {
    struct pesim_event ev;
    uint64_t period_cycles;
    uint64_t ticks, max_ticks;
};

static void clock_tick(pesim_kernel *k, struct pesim_event *ev)
{
    struct clock *c = (struct clock *)ev;
    if (++c->ticks < c->max_ticks)
        pesim_kernel_schedule(k, ev, pesim_kernel_now(k) + c->period_cycles);
}

static void test_clock(void **state)
{
    (void)state;
    pesim_kernel *k = pesim_kernel_create(4, NULL);
    struct clock c = {.period_cycles = 3, .max_ticks = 1000};
    pesim_event_init(&c.ev, clock_tick);
    assert_int_equal(pesim_kernel_schedule(k, &c.ev, 2), 0);
    /* Ticks at 2, 5, ..., 2 + 3 * 999. t-1 and t of the 10th tick. */
    assert_int_equal(pesim_kernel_run(k, 2 + 3 * 9 - 1), 9);
    assert_int_equal(pesim_kernel_now(k), 2 + 3 * 8);
    assert_int_equal(pesim_kernel_run(k, 2 + 3 * 9), 1);
    assert_int_equal(pesim_kernel_now(k), 2 + 3 * 9);
    assert_int_equal(pesim_kernel_run(k, UINT64_MAX), 990);
    assert_int_equal(c.ticks, 1000);
    assert_int_equal(pesim_kernel_events(k), 1000);
    assert_int_equal(pesim_kernel_now(k), 2 + 3 * 999);
    assert_int_equal(pesim_event_pending(&c.ev), 0);
    assert_int_equal(pesim_kernel_next_time(k), UINT64_MAX);
    pesim_kernel_destroy(k);
}

/* ---- 6. no global state: two kernels in two threads ------------------- */

/* A busy randomized model: each event, when it fires, reschedules itself at
 * now + a random delay (sometimes 0), and sometimes cancels or moves
 * another event. Its log depends on the kernel's order only. */
struct busy {
    uint64_t seed;
    struct log log;
    struct tev ev[256];
    uint64_t rng;
    uint64_t fired;
};

enum { BUSY_EVENTS = 256, BUSY_FIRES = 60000 };

static void busy_act(pesim_kernel *k, struct tev *self)
{
    struct busy *b = self->ctx;
    uint64_t now = pesim_kernel_now(k);
    if (++b->fired >= BUSY_FIRES)
        return;
    pesim_kernel_schedule(k, &self->ev, now + rng_below(&b->rng, 8));
    uint64_t r = rng_below(&b->rng, 16);
    struct tev *other = &b->ev[rng_below(&b->rng, BUSY_EVENTS)];
    if (r == 0)
        pesim_kernel_cancel(k, &other->ev);
    else if (r < 3)
        pesim_kernel_schedule(k, &other->ev, now + rng_below(&b->rng, 5));
}

static void *busy_run(void *arg)
{
    struct busy *b = arg;
    b->rng = b->seed;
    b->fired = 0;
    b->log.n = 0;
    pesim_kernel *k = pesim_kernel_create(BUSY_EVENTS, NULL);
    if (!k)
        return NULL;
    for (int i = 0; i < BUSY_EVENTS; i++) {
        tev_init(&b->ev[i], i, &b->log);
        b->ev[i].ctx = b;
        b->ev[i].act = busy_act;
        pesim_kernel_schedule(k, &b->ev[i].ev, rng_below(&b->rng, 16));
    }
    pesim_kernel_run(k, UINT64_MAX);
    pesim_kernel_destroy(k);
    return arg;
}

static void test_two_threads(void **state)
{
    (void)state;
    struct busy *alone = calloc(2, sizeof *alone), *par = calloc(2, sizeof *par);
    assert_true(alone && par);
    const uint64_t seeds[2] = {0x1234567ULL, 0xBADC0FFEEULL};
    for (int i = 0; i < 2; i++) {
        alone[i].seed = par[i].seed = seeds[i];
        log_init(&alone[i].log, BUSY_FIRES + BUSY_EVENTS);
        log_init(&par[i].log, BUSY_FIRES + BUSY_EVENTS);
        assert_ptr_equal(busy_run(&alone[i]), &alone[i]);
    }
    /* Different seeds give different logs, so equality below means
     * something. */
    assert_true(alone[0].log.n > 10000);
    assert_memory_not_equal(alone[0].log.e, alone[1].log.e,
                            1000 * sizeof(struct entry));
    for (int round = 0; round < 4; round++) {
        pthread_t th[2];
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_create(&th[i], NULL, busy_run, &par[i]), 0);
        for (int i = 0; i < 2; i++) {
            void *ret = NULL;
            assert_int_equal(pthread_join(th[i], &ret), 0);
            assert_ptr_equal(ret, &par[i]);
        }
        for (int i = 0; i < 2; i++) {
            assert_int_equal(par[i].log.n, alone[i].log.n);
            assert_memory_equal(par[i].log.e, alone[i].log.e,
                                alone[i].log.n * sizeof(struct entry));
        }
    }
    for (int i = 0; i < 2; i++) {
        log_free(&alone[i].log);
        log_free(&par[i].log);
    }
    free(alone);
    free(par);
}

/* ---- 7. the run loop allocates nothing -------------------------------- */

struct counting {
    size_t allocs, releases;
};

static void *count_alloc(size_t size, void *ctx)
{
    ((struct counting *)ctx)->allocs++;
    return malloc(size);
}

static void count_release(void *p, void *ctx)
{
    ((struct counting *)ctx)->releases++;
    free(p);
}

static void noop(pesim_kernel *k, struct pesim_event *ev)
{
    (void)k;
    (void)ev;
}

/* Reschedules itself a few cycles later until cycle 1000. */
static void reschedule_self(pesim_kernel *k, struct pesim_event *ev)
{
    if (ev->time < 1000)
        pesim_kernel_schedule(k, ev, pesim_kernel_now(k) + 1 + ev->seq % 7);
}

static void test_run_loop_allocates_nothing(void **state)
{
    (void)state;
    enum { N = 100000 };
    struct counting cnt = {0, 0};
    struct pesim_allocator a = {count_alloc, count_release, &cnt};
    pesim_kernel *k = pesim_kernel_create(N, &a);
    assert_non_null(k);
    uint64_t c1 = 0, c2 = 0;
    assert_int_equal(pesim_kernel_counter(k, "x.fired", &c1), 0);
    assert_int_equal(pesim_kernel_counter(k, "a.moved", &c2), 0);
    size_t after_setup = cnt.allocs;
    assert_true(after_setup >= 3); /* the hook is really used */
    assert_int_equal(cnt.releases, 0);

    struct pesim_event *ev = calloc(N, sizeof *ev);
    assert_non_null(ev);
    uint64_t rng = 42;
    for (int i = 0; i < N; i++) {
        pesim_event_init(&ev[i], i % 3 ? noop : reschedule_self);
        assert_int_equal(pesim_kernel_schedule(k, &ev[i], rng_below(&rng, 1000)), 0);
    }
    for (int i = 0; i < N / 4; i++) {
        struct pesim_event *e = &ev[rng_below(&rng, N)];
        if (i % 2)
            pesim_kernel_cancel(k, e);
        else
            assert_int_equal(pesim_kernel_schedule(k, e, rng_below(&rng, 1000)), 0);
    }
    uint64_t fired = pesim_kernel_run(k, 500);
    fired += pesim_kernel_run(k, UINT64_MAX);
    assert_true(fired > N / 2);
    assert_int_equal(pesim_kernel_events(k), fired);
    assert_int_equal(cnt.allocs, after_setup);
    assert_int_equal(cnt.releases, 0);

    pesim_kernel_destroy(k);
    assert_int_equal(cnt.releases, cnt.allocs); /* and nothing leaks */
    free(ev);
}

/* ---- 8. counters ------------------------------------------------------- */

struct glb_stats {
    uint64_t read_inputs, read_weights, write_outputs;
};

struct counted {
    struct pesim_event ev;
    struct glb_stats *stats;
};

static void count_read(pesim_kernel *k, struct pesim_event *ev)
{
    (void)k;
    ((struct counted *)ev)->stats->read_inputs += 4;
}

static void test_counters(void **state)
{
    (void)state;
    pesim_kernel *k = pesim_kernel_create(4, NULL);
    struct glb_stats g = {0, 0, 0};
    uint64_t dram_write = 0, macs = 0;
    assert_int_equal(pesim_kernel_counter(k, "pe.macs", &macs), 0);
    assert_int_equal(pesim_kernel_counter(k, "glb.read.weights", &g.read_weights), 0);
    assert_int_equal(pesim_kernel_counter(k, "glb.write.outputs", &g.write_outputs), 0);
    assert_int_equal(pesim_kernel_counter(k, "dram.write.outputs", &dram_write), 0);
    assert_int_equal(pesim_kernel_counter(k, "glb.read.inputs", &g.read_inputs), 0);
    assert_int_equal(pesim_kernel_counter_count(k), 5);
    const char *sorted[5] = {"dram.write.outputs", "glb.read.inputs", "glb.read.weights",
                             "glb.write.outputs", "pe.macs"};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(pesim_kernel_counter_name(k, i), sorted[i]);
        assert_int_equal(pesim_kernel_counter_value(k, i), 0);
    }
    assert_null(pesim_kernel_counter_name(k, 5));
    assert_int_equal(pesim_kernel_counter_value(k, 5), 0);

    /* Names are copied: the caller's buffer may change. */
    char buf[32] = "noc.hops";
    uint64_t hops = 0;
    assert_int_equal(pesim_kernel_counter(k, buf, &hops), 0);
    strcpy(buf, "zzz");
    assert_string_equal(pesim_kernel_counter_name(k, 4), "noc.hops");
    assert_string_equal(pesim_kernel_counter_name(k, 5), "pe.macs");

    /* Values are read through the pointer, after the component's own
     * increments, including ones made by events. */
    g.read_weights = 7;
    macs = 123456789012ULL;
    hops = 3;
    struct counted ev = {.stats = &g};
    pesim_event_init(&ev.ev, count_read);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(pesim_kernel_schedule(k, &ev.ev, (uint64_t)i), 0);
        pesim_kernel_run(k, UINT64_MAX);
    }
    const uint64_t want[6] = {0, 12, 7, 0, 3, 123456789012ULL};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(pesim_kernel_counter_value(k, i), want[i]);
    pesim_kernel_destroy(k);

    /* Many counters, registered in scrambled order, list sorted. */
    k = pesim_kernel_create(1, NULL);
    enum { M = 300 };
    static uint64_t vals[M];
    for (int i = 0; i < M; i++) {
        char name[32];
        int j = (i * 7919) % M; /* a permutation: 7919 is prime, M not */
        snprintf(name, sizeof name, "pe.%03d.macs", j);
        vals[j] = (uint64_t)j * 10;
        assert_int_equal(pesim_kernel_counter(k, name, &vals[j]), 0);
    }
    assert_int_equal(pesim_kernel_counter_count(k), M);
    for (size_t i = 0; i < M; i++) {
        char name[32];
        snprintf(name, sizeof name, "pe.%03zu.macs", i);
        assert_string_equal(pesim_kernel_counter_name(k, i), name);
        assert_int_equal(pesim_kernel_counter_value(k, i), i * 10);
    }
    pesim_kernel_destroy(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_time_in_schedule_order),
        cmocka_unit_test(test_mixed_times_in_time_order),
        cmocka_unit_test(test_random_schedule_matches_sort),
        cmocka_unit_test(test_batch_schedule_at_now_goes_last),
        cmocka_unit_test(test_batch_cancel_later_member),
        cmocka_unit_test(test_batch_reschedule_member),
        cmocka_unit_test(test_batch_self_at_now),
        cmocka_unit_test(test_until_bound),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_clock),
        cmocka_unit_test(test_two_threads),
        cmocka_unit_test(test_run_loop_allocates_nothing),
        cmocka_unit_test(test_counters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
