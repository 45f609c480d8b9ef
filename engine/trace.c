/* Chrome trace-event JSON of cycle-level runs (docs/reports.md, "Timeline
 * traces"). One process; a track (thread) per component: the PE array, the
 * array's stalls, the DRAM channel, each GLB partition and port, each NoC
 * bus, and the layers. Time is in cycles, written as the viewer's
 * microseconds. The file is written through common/file (a temporary
 * name renamed when closed), so no reader sees half a trace; past the size cap, events stop
 * and one marker says where. */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/file.h"
#include "engine/trace.h"

enum {
    TID_LAYERS = 1,
    TID_ARRAY = 2,
    TID_STALLS = 3,
    TID_DRAM = 10,
    TID_GLB = 20, /* + ds */
    TID_GLB_READ = 30, /* + server */
    TID_GLB_WRITE = 40,
    TID_NOC = 50, /* + ds */
    TID_RES = 64, /* + 8 x resource + server: the general form's levels and networks */
    TID_MAX = TID_RES + 8 * RES_MAX,
};

struct pesim_trace {
    FILE *f;
    pesim_outfile *out;
    uint64_t bytes; /* written so far (a FIFO cannot ftell) */
    uint64_t from, to, max_bytes;
    uint64_t offset; /* cycle where the current layer starts */
    uint64_t events;
    bool truncated, named[TID_MAX];
    const char *layer;
    uint64_t tile[PESIM_DS_COUNT];
};

static void put(pesim_trace *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void put(pesim_trace *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(t->f, fmt, ap);
    va_end(ap);
    t->bytes += n > 0 ? (uint64_t)n : 0;
}

static bool room(pesim_trace *t)
{
    if (t->truncated)
        return false;
    if (t->bytes < t->max_bytes)
        return true;
    t->truncated = true;
    put(t, ",\n{\"name\": \"trace truncated: size cap of %" PRIu64 " bytes\", "
            "\"ph\": \"i\", \"s\": \"g\", \"ts\": %" PRIu64 ", \"pid\": 1, \"tid\": %d}",
            t->max_bytes, t->offset, TID_LAYERS);
    return false;
}

/* Whether [a, b) (layer cycles) meets the window; clips it. */
static bool visible(const pesim_trace *t, uint64_t *a, uint64_t *b)
{
    uint64_t ga = t->offset + *a, gb = t->offset + *b;
    if (gb <= t->from || (t->to && ga >= t->to))
        return false;
    if (ga < t->from)
        *a += t->from - ga;
    if (t->to && gb > t->to)
        *b -= gb - t->to;
    return *b > *a;
}

static void track_name(pesim_trace *t, int tid, const char *name)
{
    if (tid < TID_MAX && t->named[tid])
        return;
    if (tid < TID_MAX)
        t->named[tid] = true;
    put(t, ",\n{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": %d, "
            "\"args\": {\"name\": \"%s\"}}", tid, name);
    put(t, ",\n{\"name\": \"thread_sort_index\", \"ph\": \"M\", \"pid\": 1, \"tid\": %d, "
            "\"args\": {\"sort_index\": %d}}", tid, tid);
}

static void span(pesim_trace *t, int tid, const char *name, const char *cat, uint64_t a,
                 uint64_t b, const char *args)
{
    if (b <= a || !visible(t, &a, &b) || !room(t))
        return;
    put(t, ",\n{\"name\": \"%s\", \"cat\": \"%s\", \"ph\": \"X\", \"ts\": %" PRIu64
            ", \"dur\": %" PRIu64 ", \"pid\": 1, \"tid\": %d, \"args\": {%s}}", name, cat,
            t->offset + a, b - a, tid, args);
    t->events++;
}

int pesim_trace_open(const char *path, const struct pesim_trace_opts *o, pesim_trace **out,
                     pesim_diags *diags)
{
    *out = NULL;
    pesim_trace *t = calloc(1, sizeof *t);
    if (!t)
        return PESIM_E_NOMEM;
    int rc = pesim_out_open(path, 0, &t->out, &t->f, diags);
    if (rc) {
        free(t);
        return rc;
    }
    t->from = o ? o->from : 0;
    t->to = o ? o->to : 0;
    t->max_bytes = o && o->max_bytes ? o->max_bytes : (uint64_t)256 << 20;
    put(t, "{\"displayTimeUnit\": \"ns\", \"otherData\": {\"time unit\": \"1 cycle = 1 us\"}, "
           "\"traceEvents\": [\n{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": 1, "
           "\"args\": {\"name\": \"pesim\"}}");
    track_name(t, TID_LAYERS, "layers");
    track_name(t, TID_ARRAY, "PE array");
    track_name(t, TID_STALLS, "PE array stalls");
    *out = t;
    return 0;
}

int pesim_trace_close(pesim_trace *t, bool keep, pesim_diags *diags)
{
    if (!t)
        return 0;
    fputs("\n]}\n", t->f);
    int rc = 0;
    if (keep)
        rc = pesim_out_commit(t->out, diags);
    else
        pesim_out_abort(t->out);
    free(t);
    return rc;
}

uint64_t pesim_trace_events(const pesim_trace *t) { return t->events; }
bool pesim_trace_truncated(const pesim_trace *t) { return t->truncated; }

/* ---- what the engine reports ------------------------------------------ */

static const char *const level_names[] = {"DRAM", "GLB", "RF", "MAC"};

/* A level's name in a trace: the shorthand's in capitals, the general
 * form's as the architecture names them. */
static const char *level_name(const struct run *r, int lv)
{
    if (!r->arch->general)
        return level_names[lv];
    return lv >= r->arch->nlevels ? "MAC" : r->arch->level[lv].name;
}

static int res_track(const struct run *r, unsigned res, unsigned server, char *name,
                     size_t size)
{
    const struct resources *rs = &r->rs;
    if (res == rs->dram) {
        snprintf(name, size, "DRAM channel");
        return TID_DRAM;
    }
    bool shorthand = !r->arch->general;
    for (unsigned lv = 1; lv < r->arch->nlevels; lv++) {
        const char *ln = shorthand ? "GLB" : r->arch->level[lv].name;
        int base = shorthand ? -1 : TID_RES + 8 * (int)res;
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            if (res == rs->part[lv][ds]) {
                snprintf(name, size, "%s %s partition", ln, pesim_ds_name(ds));
                return base >= 0 ? base : TID_GLB + (int)ds;
            }
        if (res == rs->rport[lv] || res == rs->wport[lv]) {
            bool rd = res == rs->rport[lv];
            snprintf(name, size, "%s %s port %u", ln, rd ? "read" : "write", server);
            return base >= 0 ? base + (int)server
                             : (rd ? TID_GLB_READ : TID_GLB_WRITE) + (int)server;
        }
    }
    for (unsigned f = 0; f < r->arch->nlevels; f++)
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            if (res == rs->net[f][ds]) {
                if (shorthand) {
                    snprintf(name, size, "NoC %s bus", pesim_ds_name(ds));
                    return TID_NOC + (int)ds;
                }
                snprintf(name, size, "%s %s bus", r->arch->level[f].fanout.name,
                         pesim_ds_name(ds));
                return TID_RES + 8 * (int)res;
            }
    for (unsigned f = 0; f < r->arch->nlevels; f++)
        if (res == rs->net_reload[f]) {
            if (shorthand) {
                snprintf(name, size, "NoC outputs reload bus");
                return TID_NOC + PESIM_DS_COUNT;
            }
            snprintf(name, size, "%s outputs reload bus", r->arch->level[f].fanout.name);
            return TID_RES + 8 * (int)res;
        }
    snprintf(name, size, "resource %u", res);
    return TID_RES + 8 * (int)res;
}

void trace_layer_begin(pesim_trace *t, const struct run *r, const uint64_t tile[PESIM_DS_COUNT])
{
    t->layer = r->layer->name;
    memcpy(t->tile, tile, sizeof t->tile);
}

static void occupancy(pesim_trace *t, const struct node *n)
{
    uint64_t a = n->start, b = n->start + 1;
    if (!visible(t, &a, &b) || !room(t))
        return;
    put(t, ",\n{\"name\": \"GLB occupancy (words)\", \"ph\": \"C\", \"ts\": %" PRIu64
            ", \"pid\": 1, \"args\": {\"%s\": %" PRIu64 "}}", t->offset + n->start,
            pesim_ds_name(n->ds), t->tile[n->ds]);
}

void trace_node(pesim_trace *t, const struct run *r, const struct node *n)
{
    char args[160], name[96];
    if (n->kind == NODE_COMPUTE) {
        snprintf(args, sizeof args, "\"ready\": %" PRIu64, t->offset + n->ready);
        span(t, TID_ARRAY, "compute", "compute", n->start, n->start + n->work[0], args);
        return;
    }
    if (n->kind != NODE_XFER)
        return;
    snprintf(name, sizeof name, "%s %s->%s", pesim_ds_name(n->ds),
             level_name(r, n->from), level_name(r, n->to));
    snprintf(args, sizeof args, "\"words\": %" PRIu64 ", \"ready\": %" PRIu64, n->words,
             t->offset + n->ready);
    for (unsigned i = 0; i < n->nres; i++) {
        char track[64];
        /* a shared rate (a Timeloop bandwidth, interleaved banks, an
         * unlimited bus) is held by no one transfer: no track of its own */
        if (r->rs.r[n->res[i]].fluid)
            continue;
        int tid = res_track(r, n->res[i], n->server[i], track, sizeof track);
        track_name(t, tid, track);
        span(t, tid, name, "transfer", n->start, n->release, args);
    }
    if (n->to == PESIM_LEVEL_GLB)
        occupancy(t, n);
}

void trace_stall(pesim_trace *t, unsigned cat, uint64_t a, uint64_t b)
{
    span(t, TID_STALLS, pesim_stall_name((enum pesim_stall)cat), "stall", a, b, "");
}

/* A name as the inside of a JSON string (layer names may hold anything). */
static void json_inner(char *out, size_t size, const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n + 7 < size; p++) {
        if (*p == '"' || *p == '\\')
            n += (size_t)snprintf(out + n, size - n, "\\%c", *p);
        else if (*p < 0x20)
            n += (size_t)snprintf(out + n, size - n, "\\u%04x", *p);
        else
            out[n++] = (char)*p;
    }
    out[n] = '\0';
}

void trace_layer_end(pesim_trace *t, const struct run *r, uint64_t cycles)
{
    char args[128], name[PESIM_NAME_MAX * 6 + 1];
    snprintf(args, sizeof args, "\"cycles\": %" PRIu64 ", \"kind\": \"%s\"", cycles,
             pesim_layer_kind_name(r->layer->kind));
    json_inner(name, sizeof name, r->layer->name);
    span(t, TID_LAYERS, name, "layer", 0, cycles, args);
    t->offset += cycles;
}
