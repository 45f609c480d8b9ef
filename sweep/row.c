/* The results of a sweep, one row per point (docs/sweeps.md, "Results"):
 * the id, the axis values, status and reason, then the metrics of the
 * point's total, as CSV or as JSON lines with the same keys. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep/internal.h"

struct metric {
    const char *name;
    bool integer;
    double (*real)(const struct sweep_result *r);
    uint64_t (*count)(const struct sweep_result *r);
};

#define T (&r->total)
static uint64_t m_cycles(const struct sweep_result *r) { return T->cycles; }
static double m_latency(const struct sweep_result *r) { return T->latency_us; }
static double m_energy(const struct sweep_result *r) { return T->energy.total; }
static double m_per_mac(const struct sweep_result *r) { return T->energy.per_mac; }
#define LEVEL(N, L) \
    static double N(const struct sweep_result *r) { return T->energy.by_class[L]; }
LEVEL(m_dram, PESIM_EL_DRAM)
LEVEL(m_glb, PESIM_EL_GLB)
LEVEL(m_noc, PESIM_EL_NOC)
LEVEL(m_rf, PESIM_EL_RF)
LEVEL(m_mac, PESIM_EL_MAC)
#define DATA(N, D) \
    static double N(const struct sweep_result *r) { return T->energy.by_data[D]; }
DATA(m_weights, PESIM_DS_WEIGHTS)
DATA(m_inputs, PESIM_DS_INPUTS)
DATA(m_outputs, PESIM_DS_OUTPUTS)
static double m_util_s(const struct sweep_result *r) { return T->analysis.util_spatial; }
static double m_util_t(const struct sweep_result *r) { return T->analysis.util_temporal; }
#define STALL(N, K) \
    static uint64_t N(const struct sweep_result *r) { return T->stalls[K]; }
STALL(m_s_compute, PESIM_STALL_COMPUTE)
STALL(m_s_fill, PESIM_STALL_FILL_DRAIN)
STALL(m_s_bw, PESIM_STALL_DRAM_BANDWIDTH)
STALL(m_s_lat, PESIM_STALL_DRAM_LATENCY)
STALL(m_s_glb, PESIM_STALL_GLB)
STALL(m_s_noc, PESIM_STALL_NOC)
static uint64_t m_dram_acc(const struct sweep_result *r)
{
    uint64_t n = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        const struct pesim_access *x = &T->analysis.acc[PESIM_LEVEL_DRAM][ds];
        n += pesim_access_total(x);
    }
    return n;
}
static double m_area(const struct sweep_result *r) { return r->area; }
#undef T

static const struct metric metrics[] = {
    {"cycles", true, NULL, m_cycles},
    {"latency_us", false, m_latency, NULL},
    {"energy_total", false, m_energy, NULL},
    {"energy_per_mac", false, m_per_mac, NULL},
    {"energy_dram", false, m_dram, NULL},
    {"energy_glb", false, m_glb, NULL},
    {"energy_noc", false, m_noc, NULL},
    {"energy_rf", false, m_rf, NULL},
    {"energy_mac", false, m_mac, NULL},
    {"energy_weights", false, m_weights, NULL},
    {"energy_inputs", false, m_inputs, NULL},
    {"energy_outputs", false, m_outputs, NULL},
    {"util_spatial", false, m_util_s, NULL},
    {"util_temporal", false, m_util_t, NULL},
    {"stall_compute", true, NULL, m_s_compute},
    {"stall_fill_drain", true, NULL, m_s_fill},
    {"stall_dram_bandwidth", true, NULL, m_s_bw},
    {"stall_dram_latency", true, NULL, m_s_lat},
    {"stall_glb", true, NULL, m_s_glb},
    {"stall_noc", true, NULL, m_s_noc},
    {"dram_accesses", true, NULL, m_dram_acc},
    {"area", false, m_area, NULL},
};
enum { NMETRICS = sizeof metrics / sizeof metrics[0] };

static const char *const status_names[] = {"ok", "nomap", "error"};

/* A growing string; every append keeps it NUL-terminated. */
struct buf {
    char *s;
    size_t n, cap;
    bool nomem;
};

static void put(struct buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void put(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->nomem = true;
            return;
        }
        if (b->s && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return;
        }
        size_t cap = (b->cap + (size_t)k + 1) * 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->nomem = true;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
}

/* CSV: quoted when it holds a comma, quote or line break. */
static void csv_text(struct buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        put(b, "%s", s);
        return;
    }
    put(b, "\"");
    for (; *s; s++)
        put(b, *s == '"' ? "\"\"" : "%c", *s);
    put(b, "\"");
}

static void json_text(struct buf *b, const char *s)
{
    put(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            put(b, "\\%c", *p);
        else if (*p < 0x20)
            put(b, "\\u%04x", *p);
        else
            put(b, "%c", *p);
    }
    put(b, "\"");
}

static char *finish(struct buf *b)
{
    if (b->nomem) {
        free(b->s);
        return NULL;
    }
    return b->s;
}

char *sweep_header(const pesim_sweep *s, enum pesim_sweep_format f)
{
    if (f == PESIM_SWEEP_JSONL)
        return strdup("");
    struct buf b = {0};
    put(&b, "id");
    for (size_t i = 0; i < s->naxes; i++) {
        put(&b, ",");
        csv_text(&b, s->axes[i].key);
    }
    put(&b, ",status,reason");
    for (size_t k = 0; k < NMETRICS; k++)
        put(&b, ",%s", metrics[k].name);
    return finish(&b);
}

static void number(struct buf *b, const struct metric *m, const struct sweep_result *r, bool json)
{
    if (m->integer) {
        put(b, "%" PRIu64, m->count(r));
        return;
    }
    double v = m->real(r);
    if (isfinite(v))
        put(b, "%.15g", v);
    else if (json)
        put(b, "null");
}

static int status_index(int status) { return status == 0 ? 0 : status == PESIM_E_NOMAP ? 1 : 2; }

char *sweep_row(const pesim_sweep *s, size_t i, const struct sweep_result *r,
                enum pesim_sweep_format f)
{
    struct buf b = {0};
    char id[17];
    pesim_sweep_point_id(s, i, id);
    const uint32_t *digit = sweep_point(s, i);
    bool ok = r->status == 0, json = f == PESIM_SWEEP_JSONL;
    if (json)
        put(&b, "{\"id\": \"%s\"", id);
    else
        put(&b, "%s", id);
    for (size_t k = 0; k < s->naxes; k++) {
        const struct axis *a = &s->axes[k];
        if (json) {
            put(&b, ", ");
            json_text(&b, a->key);
            put(&b, ": ");
            if (isnan(a->num[digit[k]]))
                json_text(&b, a->value[digit[k]]);
            else
                put(&b, "%s", a->value[digit[k]]);
        } else {
            put(&b, ",");
            csv_text(&b, a->value[digit[k]]);
        }
    }
    const char *st = status_names[status_index(r->status)];
    if (json) {
        put(&b, ", \"status\": \"%s\", \"reason\": ", st);
        json_text(&b, r->reason);
    } else {
        put(&b, ",%s,", st);
        csv_text(&b, r->reason);
    }
    for (size_t k = 0; k < NMETRICS; k++) {
        if (json)
            put(&b, ", \"%s\": ", metrics[k].name);
        else
            put(&b, ",");
        if (ok)
            number(&b, &metrics[k], r, json);
        else if (json)
            put(&b, "null");
    }
    if (json)
        put(&b, "}");
    return finish(&b);
}
