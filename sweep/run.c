/* Running a sweep (docs/sweeps.md, "Running"): points in threads, each
 * finished row appended to a journal and flushed before it counts as done,
 * a restart keeping what the journal holds intact, and the results written
 * whole, in point order, by one rename. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/file.h"
#include "config/cfg.h"
#include "pipeline/pipeline.h"
#include "pipeline/pool.h"
#include "sweep/cache.h"
#include "sweep/internal.h"

struct runner {
    pesim_sweep *s;
    const struct pesim_sweep_opts *o;
    size_t *todo; /* point indices still to run, in order: the pool's jobs */
    size_t ntodo;
    char **rows;  /* by point index; NULL until done */
    size_t mine;  /* points of this run (shard) */
    size_t done, failed, resumed;
    int fd;       /* the journal, open for appending */
    int io_error;
    struct sweep_cache *cache;
    pthread_mutex_t lock;     /* the fields above */
    double t0, shown; /* progress: start, last report (s; the caller's thread) */
    pthread_mutex_t journal;  /* appends to fd: whole lines, one at a time */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- evaluating one point --------------------------------------------- */

/* The first messages of a list, without their file prefixes, as the
 * reason: "layer X: no ... mapping fits ...; the closest one overflows:"
 * (map.nomap) reads whole only with the overflow that follows it. */
static void first_reason(pesim_diags *d, int rc, char *out, size_t size)
{
    size_t n = pesim_diags_count(d);
    if (n >= 2 && pesim_diags_get(d, 0)->code == PESIM_DIAG_MAP_NOMAP &&
        pesim_diags_get(d, 1)->code == PESIM_DIAG_MAP_NOFIT)
        snprintf(out, size, "%s %s", pesim_diags_get(d, 0)->msg, pesim_diags_get(d, 1)->msg);
    else if (n)
        snprintf(out, size, "%s", pesim_diags_get(d, 0)->msg);
    else
        snprintf(out, size, "%s", pesim_strerror(rc));
    for (char *p = out; *p; p++) /* one line, no tabs: rows are single lines */
        if (*p == '\n' || *p == '\t' || *p == '\r')
            *p = ' ';
}

/* The sweep's cache as the network runner sees it: results of the same
 * layer, dataflow and architecture axis values at earlier points. */
struct point_cache {
    struct runner *r;
    size_t point;
    const pesim_dataflow *df;
};

static bool cache_get(void *ctx, const struct pesim_layer *l, struct pesim_layer_result *out)
{
    const struct point_cache *pc = ctx;
    char key[4096];
    sweep_cache_key(pc->r->s, pc->point, pc->df, l, key, sizeof key);
    return sweep_cache_get(pc->r->cache, key, out);
}

static void cache_put(void *ctx, const struct pesim_layer *l, const struct pesim_layer_result *res)
{
    const struct point_cache *pc = ctx;
    char key[4096];
    sweep_cache_key(pc->r->s, pc->point, pc->df, l, key, sizeof key);
    sweep_cache_put(pc->r->cache, key, res);
}

/* A point's layers one after another (the sweep's threads are its points)
 * through the network runner, with the failing layer's own messages as
 * the row's reason. */
static void evaluate(struct runner *r, size_t i, struct sweep_result *res)
{
    const pesim_sweep *s = r->s;
    memset(res, 0, sizeof *res);
    pesim_diags *d = pesim_diags_create();
    struct pesim_arch arch;
    const struct variant *v = sweep_point_variant(s, i);
    const pesim_dataflow *df = pesim_df_find(sweep_point_dataflow(s, i));
    struct pesim_layer_result *layers = calloc(v->wl.count ? v->wl.count : 1, sizeof *layers);
    int rc = layers && d ? sweep_point_arch(s, i, &arch, d) : PESIM_E_NOMEM;
    if (!rc) {
        struct point_cache pc = {r, i, df};
        struct pesim_layer_cache cache = {cache_get, cache_put, &pc};
        struct pesim_network_opts o = {.engine = s->engine, .objective = s->objective,
                                       .threads = 1, .cache = &cache, .plain_diags = true};
        size_t failed = 0, repeats = 0;
        rc = pesim_network_run(&arch, &v->wl, df, &o, layers, &res->total, &failed, d);
        /* Repeats within the point count as reused results: the layers
         * up to the failing one, as if each had been looked up. */
        for (size_t k = 0; k < failed; k++)
            repeats += layers[k].same_as[0] != '\0';
        sweep_cache_reused(r->cache, repeats);
    }
    if (!rc)
        res->area = sweep_area(&arch);
    res->status = rc == 0 ? 0 : rc == PESIM_E_NOMAP || rc == PESIM_E_NOFIT ? PESIM_E_NOMAP : rc;
    if (rc)
        first_reason(d, rc, res->reason, sizeof res->reason);
    free(layers);
    pesim_diags_destroy(d);
}

/* ---- the journal ------------------------------------------------------ */

static void journal_path(const char *output, char *buf, size_t size)
{
    snprintf(buf, size, "%s.journal", output);
}

/* A path is the last field of its header line: only a newline (and the
 * backslash that escapes it) would end the line early. */
static void put_path(FILE *m, const char *p)
{
    for (; *p; p++)
        if (*p == '\n')
            fputs("\\n", m);
        else if (*p == '\\')
            fputs("\\\\", m);
        else
            fputc(*p, m);
}

static char *escaped(const char *p)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    if (!m)
        return NULL;
    put_path(m, p);
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* The identity of a run: which sweep (the spec's hash, its points), which
 * share of it (shard, format), which pesim (its version and built-in
 * files), and every file the load read with its size and content hash.
 * Two runs with the same header compute the same rows, so their journal
 * lines may be mixed; any difference refuses the resume (journal_read). */
char *sweep_journal_header(const pesim_sweep *s, const struct pesim_sweep_opts *o)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    if (!m)
        return NULL;
    fprintf(m, "pesim-sweep-journal 2 spec=%016" PRIx64 " points=%zu shard=%u/%u format=%s "
            "pesim=%s builtin=%016" PRIx64 " inputs=%zu\n", s->hash, s->npoints,
            o->shard_n ? o->shard_k : 1, o->shard_n ? o->shard_n : 1,
            pesim_sweep_format_name(o->format),
            pesim_version(), sweep_builtin_hash(), s->ninputs);
    for (size_t i = 0; i < s->ninputs; i++) {
        fprintf(m, "input\t%016llx\t%llu\t", s->inputs[i].hash, s->inputs[i].size);
        put_path(m, s->inputs[i].path);
        fputc('\n', m);
    }
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static uint64_t line_sum(size_t index, const char *row)
{
    char head[32];
    int n = snprintf(head, sizeof head, "%zu\t", index);
    return pesim_fnv1a(row, strlen(row), pesim_fnv1a(head, (size_t)n, PESIM_FNV_INIT));
}

#define JOURNAL_MAGIC "pesim-sweep-journal "

/* The value of `key=` in a header line ("" when absent), at most size-1
 * characters. */
static void head_field(const char *line, const char *key, char *out, size_t size)
{
    size_t k = strlen(key);
    out[0] = '\0';
    for (const char *p = line; (p = strstr(p, key)) != NULL; p += k)
        if ((p == line || p[-1] == ' ') && p[k] == '=') {
            size_t n = strcspn(p + k + 1, " \n");
            snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), p + k + 1);
            return;
        }
}

/* Where the header of `text` ends: 0 when it is not complete (a run killed
 * while writing it, which therefore wrote no rows after it), else the
 * offset of its first row. */
static size_t header_end(const char *text, size_t len)
{
    const char *nl = memchr(text, '\n', len);
    if (!nl)
        return 0;
    size_t end = (size_t)(nl + 1 - text);
    if (strncmp(text, JOURNAL_MAGIC "2 ", sizeof JOURNAL_MAGIC + 1) != 0)
        return end; /* another format: one line */
    char v[32];
    head_field(text, "inputs", v, sizeof v);
    for (unsigned long long n = strtoull(v, NULL, 10); n > 0; n--) {
        nl = memchr(text + end, '\n', len - end);
        if (!nl)
            return 0;
        end = (size_t)(nl + 1 - text);
    }
    return end;
}

/* Say how the journal's header (complete, `hlen` bytes) differs from this
 * run's `want`: one message per difference, each at what changed. */
static void explain(const struct runner *r, const char *path, char *text, size_t hlen,
                    const char *want, pesim_diags *diags)
{
    const pesim_sweep *s = r->s;
    text[hlen - 1] = '\0';
    char *nl = strchr(text, '\n');
    if (nl)
        *nl = '\0';
    if (strncmp(text, JOURNAL_MAGIC, sizeof JOURNAL_MAGIC - 1) != 0) {
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_JOURNAL, path, 1, 1,
                         "not a sweep journal, expected a first line "
                         "'" JOURNAL_MAGIC "2 spec=...' as pesim sweep writes it");
        return;
    }
    if (strncmp(text, JOURNAL_MAGIC "2 ", sizeof JOURNAL_MAGIC + 1) != 0) {
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_JOURNAL, path, 1, 1,
                         "a journal of an older pesim (format %.*s), which "
                         "recorded the spec's text but not the files it reads, expected format "
                         "2; its rows cannot be proved to be of these inputs",
                         (int)strcspn(text + sizeof JOURNAL_MAGIC - 1, " "),
                         text + sizeof JOURNAL_MAGIC - 1);
        return;
    }
    size_t found = 0;
    char got[256], now[256];
    head_field(text, "shard", got, sizeof got);
    head_field(want, "shard", now, sizeof now);
    char gf[16], nf[16];
    head_field(text, "format", gf, sizeof gf);
    head_field(want, "format", nf, sizeof nf);
    if (strcmp(got, now) || strcmp(gf, nf)) {
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_JOURNAL, path, 1, 1,
                         "a journal of shard %s in %s, expected shard %s in "
                         "%s: another command wrote to this output", got, gf, now, nf);
        found++;
    }
    head_field(text, "pesim", got, sizeof got);
    head_field(want, "pesim", now, sizeof now);
    if (strcmp(got, now)) {
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_JOURNAL, path, 1, 1,
                         "written by pesim %s, this is pesim %s", got, now);
        found++;
    } else {
        head_field(text, "builtin", got, sizeof got);
        head_field(want, "builtin", now, sizeof now);
        if (strcmp(got, now)) {
            pesim_diags_addc(diags, PESIM_DIAG_SWEEP_JOURNAL, path, 1, 1,
                             "written by a pesim whose built-in presets, "
                             "networks or Accelergy tables differ from this one's");
            found++;
        }
    }
    /* The inputs, matched by path: changed, no longer read, newly read. */
    size_t nold = 0;
    for (char *p = nl ? nl + 1 : NULL; p && *p; nold++) {
        char *end = strchr(p, '\n');
        if (end)
            *end = '\0';
        p = end ? end + 1 : NULL;
    }
    bool *matched = calloc(s->ninputs ? s->ninputs : 1, sizeof *matched);
    char *p = nl ? nl + 1 : NULL;
    for (size_t k = 0; k < nold; k++, p += strlen(p) + 1) {
        char *t1 = strchr(p, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        char *t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
        if (strncmp(p, "input\t", 6) != 0 || !t3)
            continue;
        unsigned long long hash = strtoull(t1 + 1, NULL, 16), size = strtoull(t2 + 1, NULL, 10);
        const char *file = t3 + 1;
        size_t i = 0;
        char *e = NULL;
        for (; i < s->ninputs; i++) {
            free(e);
            e = escaped(s->inputs[i].path);
            if (e && strcmp(e, file) == 0)
                break;
        }
        free(e);
        if (i == s->ninputs) {
            pesim_diags_addc(diags, PESIM_DIAG_SWEEP_JOURNAL, file, 0, 0,
                             "read by the run that started the journal %s, "
                             "not by this one", path);
            found++;
            continue;
        }
        if (matched)
            matched[i] = true;
        if (s->inputs[i].hash != hash || s->inputs[i].size != size) {
            pesim_diags_addc(diags, PESIM_DIAG_SWEEP_JOURNAL, s->inputs[i].path, 0, 0,
                             "changed since the sweep's journal "
                             "%s was started (%llu bytes, hash %016llx then; %llu bytes, hash "
                             "%016llx now), expected the same content to resume", path, size,
                             hash, s->inputs[i].size, s->inputs[i].hash);
            found++;
        }
    }
    for (size_t i = 0; matched && i < s->ninputs; i++)
        if (!matched[i]) {
            pesim_diags_addc(diags, PESIM_DIAG_SWEEP_JOURNAL, s->inputs[i].path, 0, 0,
                             "read by this run, not by the "
                             "run that started the journal %s", path);
            found++;
        }
    free(matched);
    if (!found) {
        head_field(text, "spec", got, sizeof got);
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_JOURNAL, path, 1, 1,
                         "a journal of another sweep (spec %s, %s), expected "
                         "one of this spec (%016" PRIx64 ")", got, text, s->hash);
    }
}

/* Keep every intact line of an existing journal (rows[] filled); cut the
 * file after the last one. 0; PESIM_E_INVALID for a journal of another
 * sweep, shard, pesim or other input files (nothing is mixed in). */
static int journal_read(struct runner *r, const char *path, pesim_diags *diags)
{
    size_t len;
    char *text;
    pesim_diags *tmp = pesim_diags_create();
    if (!tmp)
        return PESIM_E_NOMEM;
    errno = 0;
    int rc = pesim_file_read(path, NULL, &text, &len, tmp);
    int err = errno;
    for (size_t i = 0; i < pesim_diags_count(tmp); i++) /* the messages, not the input */
        pesim_diags_addc(diags, pesim_diags_get(tmp, i)->code, path, 0, 0, "%s",
                         pesim_diags_get(tmp, i)->msg);
    pesim_diags_destroy(tmp);
    if (rc == PESIM_E_IO && err == ENOENT)
        return 0; /* none yet */
    if (rc == PESIM_E_IO)
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_JOURNAL, path, 0, 0,
                         "cannot read the journal: %s", strerror(err));
    if (rc)
        return rc == PESIM_E_IO ? PESIM_E_INVALID : rc;
    char *want = sweep_journal_header(r->s, r->o);
    if (!want) {
        free(text);
        return PESIM_E_NOMEM;
    }
    size_t hl = strlen(want), good = 0, hend = header_end(text, len);
    if (len >= hl && memcmp(text, want, hl) == 0) {
        good = hl;
        for (char *p = text + hl; p < text + len;) {
            char *nl = memchr(p, '\n', (size_t)(text + len - p));
            if (!nl)
                break; /* torn: no end of line */
            *nl = '\0';
            char *t1 = strchr(p, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
            if (!t2)
                break;
            char *end;
            unsigned long long idx = strtoull(p, &end, 10);
            uint64_t sum = strtoull(t1 + 1, NULL, 16);
            if (end != t1 || idx >= r->s->npoints || r->rows[idx] ||
                sum != line_sum((size_t)idx, t2 + 1))
                break;
            r->rows[idx] = strdup(t2 + 1);
            if (!r->rows[idx]) {
                rc = PESIM_E_NOMEM;
                break;
            }
            r->resumed++;
            good = (size_t)(nl + 1 - text);
            p = nl + 1;
        }
    } else if (len > 0 && (hend > 0 || strncmp(text, JOURNAL_MAGIC, len < sizeof JOURNAL_MAGIC - 1
                                                                   ? len
                                                                   : sizeof JOURNAL_MAGIC - 1))) {
        /* A complete header of another run (an incomplete one has no rows
         * after it and is simply rewritten). */
        explain(r, path, text, hend ? hend : len, want, diags);
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_RESUME, path, 0, 0,
                         "refusing to resume: the journal's rows would mix "
                         "two experiments; to start afresh, remove %s", path);
        rc = PESIM_E_INVALID;
    }
    free(want);
    free(text);
    if (!rc && truncate(path, (off_t)good) != 0 && errno != ENOENT) {
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_JOURNAL, path, 0, 0,
                         "cannot cut the journal's torn end: %s",
                         strerror(errno));
        rc = PESIM_E_IO;
    }
    return rc;
}

static int write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return PESIM_E_IO;
        }
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Opened before any point runs, so a journal that cannot be made (a
 * folder in the way, no permission) is a refusal of the output, not a
 * failure halfway. */
static int journal_open(struct runner *r, const char *path, pesim_diags *diags)
{
    r->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    struct stat st;
    if (r->fd >= 0 && (fstat(r->fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(r->fd);
        r->fd = -1;
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_JOURNAL, path, 0, 0,
                         "cannot use the journal: it is not a regular file, "
                         "expected a file (or nothing) at that path");
        return PESIM_E_INVALID;
    }
    if (r->fd < 0) {
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_JOURNAL, path, 0, 0,
                         "cannot open the journal: %s", strerror(errno));
        return PESIM_E_INVALID;
    }
    if (st.st_size == 0) {
        char *head = sweep_journal_header(r->s, r->o);
        if (!head)
            return PESIM_E_NOMEM;
        int rc = write_all(r->fd, head, strlen(head));
        free(head);
        if (rc || fdatasync(r->fd)) {
            pesim_diags_addc(diags, PESIM_DIAG_SWEEP_JOURNAL, path, 0, 0,
                             "cannot write the journal: %s", strerror(errno));
            return PESIM_E_IO;
        }
    }
    return 0;
}

/* Durable before counted: the line is on disk when this returns 0. The
 * sync runs outside the lock, so threads' syncs overlap (one flushes what
 * the others wrote before it) instead of queueing behind each other. */
static int journal_append(struct runner *r, size_t index, const char *row)
{
    if (r->fd < 0)
        return 0; /* no journal: the output is a device or a pipe */
    size_t n = strlen(row) + 48;
    char *line = malloc(n);
    if (!line)
        return PESIM_E_NOMEM;
    int k = snprintf(line, n, "%zu\t%016" PRIx64 "\t%s\n", index, line_sum(index, row), row);
    pthread_mutex_lock(&r->journal);
    int rc = write_all(r->fd, line, (size_t)k);
    pthread_mutex_unlock(&r->journal);
    if (!rc && fdatasync(r->fd))
        rc = PESIM_E_IO;
    free(line);
    return rc;
}

/* ---- threads and progress --------------------------------------------- */

/* Job k of the pool: the k-th point still to run. Its row is placed by
 * point index, so the results do not depend on which thread ran it. */
static void run_point(void *ctx, size_t k)
{
    struct runner *r = ctx;
    size_t i = r->todo[k];
    struct sweep_result res;
    evaluate(r, i, &res);
    char *row = sweep_row(r->s, i, &res, r->o->format);
    int rc = row ? journal_append(r, i, row) : PESIM_E_NOMEM;
    pthread_mutex_lock(&r->lock);
    if (rc) {
        r->io_error = rc;
        free(row);
    } else {
        r->rows[i] = row;
        r->done++;
        r->failed += res.status != 0;
    }
    pthread_mutex_unlock(&r->lock);
}

/* A journal that cannot be written stops the sweep: no point may count as
 * done without its line on disk. */
static bool stop_points(void *ctx)
{
    struct runner *r = ctx;
    pthread_mutex_lock(&r->lock);
    bool stop = r->io_error != 0;
    pthread_mutex_unlock(&r->lock);
    return stop;
}

/* A report through the caller's callback: the numbers taken under the
 * lock, the call made outside it (the callback may print slowly). */
static void progress(struct runner *r, bool last)
{
    const struct pesim_sweep_opts *o = r->o;
    struct pesim_sweep_progress p = {.name = r->s->name, .last = last};
    pthread_mutex_lock(&r->lock);
    p.done = r->done + r->resumed;
    p.total = r->mine;
    p.failed = r->failed;
    p.resumed = r->resumed;
    double el = now_s() - r->t0;
    p.rate = el > 0 ? (double)r->done / el : 0;
    p.eta_s = p.rate > 0 && p.total > p.done ? (double)(p.total - p.done) / p.rate : 0;
    pthread_mutex_unlock(&r->lock);
    sweep_cache_stats(r->cache, &p.reused, &p.lookups);
    o->progress(&p, o->progress_ctx);
}

/* The pool's watch, on the calling thread while the points run: a report
 * when progress_every_s has passed since the last. There is a watch even
 * without a callback, so that every point runs on one of the pool's
 * workers, with their stacks, whoever calls the sweep. */
static void watch_points(void *ctx)
{
    struct runner *r = ctx;
    double t = now_s();
    if (r->o->progress && t - r->shown >= r->o->progress_every_s) {
        progress(r, false);
        r->shown = t;
    }
}

static void run_threads(struct runner *r)
{
    r->t0 = r->shown = now_s();
    struct pesim_pool pool = {.n = r->ntodo, .job = run_point, .ctx = r, .stop = stop_points,
                              .watch = watch_points, .watch_ms = 200};
    pesim_pool_run(&pool, r->o->jobs ? r->o->jobs : pesim_pool_cores());
    if (r->o->progress)
        progress(r, true);
}

/* ---- the results file ------------------------------------------------- */

static int write_results(struct runner *r, pesim_diags *diags)
{
    char *header = sweep_header(r->s, r->o->format);
    char preamble[4600];
    bool part = r->o->shard_n > 0;
    if (part)
        snprintf(preamble, sizeof preamble, "# pesim sweep part: spec=%016" PRIx64
                 " shard=%u/%u points=%zu format=%s file=%s", r->s->hash, r->o->shard_k,
                 r->o->shard_n, r->s->npoints,
                 pesim_sweep_format_name(r->o->format),
                 r->o->spec_path ? r->o->spec_path : r->s->file);
    /* A part ends with its trailer: merge takes only a part that proves
     * it is whole (output.c). */
    int rc = header ? sweep_write_rows(r->o->output, part ? preamble : NULL, header, r->rows,
                                       r->s->npoints, part, part, diags)
                    : PESIM_E_NOMEM;
    free(header);
    return rc;
}

/* ---- shards ----------------------------------------------------------- */

struct costed {
    size_t index;
    double cost;
};

static int by_cost(const void *a, const void *b)
{
    const struct costed *x = a, *y = b;
    if (x->cost != y->cost)
        return x->cost < y->cost ? 1 : -1; /* largest first */
    return (x->index > y->index) - (x->index < y->index);
}

/* Longest-processing-time assignment: deterministic, balanced by cost. */
static int assign_shards(const pesim_sweep *s, unsigned n, unsigned *shard)
{
    struct costed *c = malloc(s->npoints * sizeof *c);
    double *load = calloc(n, sizeof *load);
    if (!c || !load) {
        free(c);
        free(load);
        return PESIM_E_NOMEM;
    }
    for (size_t i = 0; i < s->npoints; i++)
        c[i] = (struct costed){i, sweep_point_cost(s, i)};
    qsort(c, s->npoints, sizeof *c, by_cost);
    for (size_t k = 0; k < s->npoints; k++) {
        unsigned best = 0;
        for (unsigned j = 1; j < n; j++)
            if (load[j] < load[best])
                best = j;
        shard[c[k].index] = best + 1;
        load[best] += c[k].cost;
    }
    free(c);
    free(load);
    return 0;
}

unsigned pesim_sweep_shard_of(const pesim_sweep *s, size_t i, unsigned n)
{
    unsigned *shard = malloc(s->npoints * sizeof *shard);
    unsigned k = 0;
    if (shard && assign_shards(s, n, shard) == 0)
        k = shard[i];
    free(shard);
    return k;
}

/* ---- the whole run ---------------------------------------------------- */

static int plan(struct runner *r)
{
    const pesim_sweep *s = r->s;
    unsigned *shard = NULL;
    if (r->o->shard_n) {
        shard = malloc(s->npoints * sizeof *shard);
        if (!shard || assign_shards(s, r->o->shard_n, shard)) {
            free(shard);
            return PESIM_E_NOMEM;
        }
    }
    for (size_t i = 0; i < s->npoints; i++) {
        bool in = !shard || shard[i] == r->o->shard_k;
        r->mine += in;
        if (in && !r->rows[i])
            r->todo[r->ntodo++] = i;
    }
    free(shard);
    return 0;
}

/* Before any point runs: -o must name a file pesim can write, so that a
 * sweep never computes for an hour and then finds a folder in the way.
 * The same open the results will use, given up at once (it makes missing
 * folders, and refuses folders, block devices and the command's inputs).
 * A character device or FIFO (/dev/null, a pipe) is not opened here: a
 * FIFO's reader would see this open's end as the end of the data. It has
 * no journal (*journal false): a journal beside /dev/null would be a file
 * in /dev, and what a pipe was sent cannot be resumed. */
static int check_output(const pesim_sweep *s, const char *output, bool *journal,
                        pesim_diags *diags)
{
    struct stat sb;
    *journal = true;
    if (stat(output, &sb) == 0 && (S_ISCHR(sb.st_mode) || S_ISFIFO(sb.st_mode) ||
                                   S_ISSOCK(sb.st_mode))) {
        *journal = false;
        return 0;
    }
    /* The sweep's own inputs, whatever the caller's list holds: the
     * results never replace the spec or a file it reads. */
    pesim_diags *in = pesim_diags_create();
    int rc = in ? 0 : PESIM_E_NOMEM;
    for (size_t i = 0; !rc && i < s->ninputs; i++)
        rc = pesim_diags_note_input(in, &s->inputs[i]);
    pesim_outfile *of = NULL;
    FILE *f;
    if (!rc)
        rc = pesim_out_open(output, PESIM_OUT_KEEP_DIRS, &of, &f, in);
    for (size_t i = 0; i < pesim_diags_count(in); i++) {
        const struct pesim_diag *g = pesim_diags_get(in, i);
        pesim_diags_addc(diags, g->code, g->file, g->line, g->col, "%s", g->msg);
    }
    pesim_diags_destroy(in);
    pesim_out_abort(of);
    return rc == PESIM_E_IO ? PESIM_E_INVALID : rc; /* refused before any work */
}

int pesim_sweep_run(pesim_sweep *s, const struct pesim_sweep_opts *o, pesim_diags *diags)
{
    if (!o->output || (o->shard_n && (o->shard_k < 1 || o->shard_k > o->shard_n))) {
        pesim_diags_addc(diags, PESIM_DIAG_CLI_USAGE,
                         "pesim sweep", 0, 0, "bad options: an output file and a shard "
                         "K/N with 1 <= K <= N are needed");
        return PESIM_E_INVALID;
    }
    struct runner r = {.s = s, .o = o, .fd = -1};
    pthread_mutex_init(&r.lock, NULL);
    pthread_mutex_init(&r.journal, NULL);
    r.rows = calloc(s->npoints, sizeof *r.rows);
    r.todo = calloc(s->npoints, sizeof *r.todo);
    r.cache = sweep_cache_create();
    char jpath[4096];
    journal_path(o->output, jpath, sizeof jpath);
    bool journal = true;
    int rc = r.rows && r.todo && r.cache ? 0 : PESIM_E_NOMEM;
    if (!rc)
        rc = check_output(s, o->output, &journal, diags);
    if (!rc && journal && o->fresh && unlink(jpath) != 0 && errno != ENOENT) {
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_JOURNAL, jpath, 0, 0,
                         "cannot remove the journal to start afresh: %s",
                         strerror(errno));
        rc = PESIM_E_INVALID;
    }
    if (!rc && journal)
        rc = journal_read(&r, jpath, diags);
    if (!rc)
        rc = plan(&r);
    if (!rc && journal)
        rc = journal_open(&r, jpath, diags);
    if (!rc) {
        run_threads(&r);
        rc = r.io_error;
        if (rc)
            pesim_diags_addc(diags, PESIM_DIAG_SWEEP_JOURNAL, jpath, 0, 0,
                             "cannot append to the journal: %s",
                             strerror(errno));
    }
    if (r.fd >= 0)
        close(r.fd);
    if (!rc)
        rc = write_results(&r, diags);
    if (!rc && journal)
        unlink(jpath);
    for (size_t i = 0; r.rows && i < s->npoints; i++)
        free(r.rows[i]);
    free(r.rows);
    free(r.todo);
    sweep_cache_destroy(r.cache);
    pthread_mutex_destroy(&r.lock);
    pthread_mutex_destroy(&r.journal);
    return rc;
}
