/* Sweeps (docs/sweeps.md): enumeration order and ids, ranges, constraints,
 * spec errors at their positions, byte-identical output for any --jobs,
 * resuming from a torn or corrupt journal, shards merged back, merge's
 * refusals, and Pareto fronts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../config/diag_text.h"
#include "pesim.h"
#include "files.h"
#include "sweep/internal.h"

static char dir[] = "/tmp/pesim-test-sweep-XXXXXX";

static char *path(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void spit(const char *p, const char *text)
{
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static pesim_sweep *load(const char *text)
{
    pesim_sweep *s = NULL;
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_sweep_load_string(text, strlen(text), "s.yaml", &s, d);
    if (rc) {
        char *t = diag_text(d);
        fprintf(stderr, "%s", t);
        free(t);
    }
    assert_int_equal(rc, 0);
    pesim_diags_destroy(d);
    return s;
}

static void run(pesim_sweep *s, const char *out, unsigned jobs, unsigned k, unsigned n)
{
    struct pesim_sweep_opts o = {.output = out, .jobs = jobs, .shard_k = k, .shard_n = n,
                                 .spec_path = "s.yaml"};
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_sweep_run(s, &o, d);
    if (rc) {
        char *t = diag_text(d);
        fprintf(stderr, "%s", t);
        free(t);
    }
    assert_int_equal(rc, 0);
    pesim_diags_destroy(d);
}

/* Twelve points, cheap: AlexNet CONV3 on small arrays with the analysis. */
static const char small[] =
    "sweep: t\n"
    "base: {arch: eyeriss-v1, workload: alexnet, layers: CONV3, engine: analysis}\n"
    "axes:\n"
    "  - {key: pe_array.rows, values: [4, 8]}\n"
    "  - {key: glb.capacity_bytes, range: {from: 16384, to: 65536, factor: 2}}\n"
    "  - {key: dataflow, values: [ws, rs]}\n";

static uint64_t fnv(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    return h;
}

/* The odometer: first axis outermost, last fastest; ids are FNV-1a of
 * "key=value,..." in axis order; geometric and linear ranges. */
static void test_order_and_ids(void **state)
{
    (void)state;
    pesim_sweep *s = load(small);
    assert_int_equal(pesim_sweep_count(s), 2 * 3 * 2);
    char desc[256], id[17], want[17];
    pesim_sweep_point_desc(s, 0, desc, sizeof desc);
    assert_string_equal(desc, "pe_array.rows=4,glb.capacity_bytes=16384,dataflow=ws");
    pesim_sweep_point_desc(s, 1, desc, sizeof desc);
    assert_string_equal(desc, "pe_array.rows=4,glb.capacity_bytes=16384,dataflow=rs");
    pesim_sweep_point_desc(s, 2, desc, sizeof desc);
    assert_string_equal(desc, "pe_array.rows=4,glb.capacity_bytes=32768,dataflow=ws");
    pesim_sweep_point_desc(s, 11, desc, sizeof desc);
    assert_string_equal(desc, "pe_array.rows=8,glb.capacity_bytes=65536,dataflow=rs");
    pesim_sweep_point_id(s, 11, id);
    snprintf(want, sizeof want, "%016llx", (unsigned long long)fnv(desc));
    assert_string_equal(id, want);
    pesim_sweep_free(s);
    s = load("sweep: r\nbase: {arch: eyeriss-v1, workload: alexnet}\n"
             "axes:\n  - {key: pe_array.cols, range: {from: 8, to: 32, step: 8}}\n"
             "  - {key: dram.bandwidth_gbps, range: {from: 0.5, to: 2, step: 0.5}}\n");
    assert_int_equal(pesim_sweep_count(s), 16);
    pesim_sweep_point_desc(s, 15, desc, sizeof desc);
    assert_string_equal(desc, "pe_array.cols=32,dram.bandwidth_gbps=2");
    pesim_sweep_free(s);
}

/* Constraints keep the points where they hold: 4 x 4 shapes, 3 of them
 * with 256 PEs; derived names and && too. */
static void test_constraints(void **state)
{
    (void)state;
    pesim_sweep *s = load("sweep: c\nbase: {arch: eyeriss-v1, workload: alexnet}\n"
                          "axes:\n  - {key: pe_array.rows, values: [8, 12, 16, 32]}\n"
                          "  - {key: pe_array.cols, values: [8, 14, 16, 32]}\n"
                          "constraints:\n  - pe_array.rows * pe_array.cols == 256\n");
    assert_int_equal(pesim_sweep_count(s), 3);
    char desc[128];
    pesim_sweep_point_desc(s, 1, desc, sizeof desc);
    assert_string_equal(desc, "pe_array.rows=16,pe_array.cols=16");
    pesim_sweep_free(s);
    s = load("sweep: c\nbase: {arch: eyeriss-v1, workload: alexnet}\n"
             "axes:\n  - {key: pe_array.rows, values: [8, 12, 16, 32]}\n"
             "constraints:\n  - pes >= 150 && glb.banks == 25\n");
    assert_int_equal(pesim_sweep_count(s), 3); /* 12, 16, 32 rows x 14 cols */
    pesim_sweep_free(s);
}

/* Malformed specs: every error at its position, nothing run. */
static void test_spec_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want, *code; /* code: of the diagnostic that says it */
    } cases[] = {
        {"sweep: e\nbase: {arch: eyeriss-v1, workload: alexnet}\n"
         "axes:\n  - {key: pe_array.rowz, values: [8]}\n",
         "s.yaml:4:11: error: axes[0].key: pe_array.rowz: unknown key, expected one of rows, "
         "cols",
         "cfg.unknown_key"},
        {"sweep: e\nbase: {arch: eyeriss-v1, workload: alexnet}\n"
         "axes:\n  - {key: pe_array.rows, values: [8, 0]}\n",
         "s.yaml:4:38: error: axes[0].values[1]: pe_array.rows: got 0, expected an integer in",
         "cfg.range"},
        {"sweep: e\nbase: {arch: eyeriss-v1, workload: alexnet}\n"
         "axes:\n  - {key: dataflow, values: [ws, xs]}\n",
         "s.yaml:4:34: error: axes[0].values[1]: got 'xs', expected one of ws, os",
         "sweep.axis"},
        {"sweep: e\nbase: {arch: eyeriss-v1, workload: alexnet}\n"
         "axes:\n  - {key: batch, values: [1], range: {from: 1, to: 2, step: 1}}\n",
         "s.yaml:4:38: error: axes[0].range: got both, expected either values or range",
         "cfg.conflict"},
        {"sweep: e\nbase: {arch: eyeriss-v1, workload: alexnet}\n"
         "axes:\n  - {key: batch, values: [1]}\n  - {key: batch, values: [2]}\n",
         "s.yaml:5:11: error: axes[1]: key 'batch' again",
         "cfg.duplicate"},
        {"sweep: e\nbase: {arch: eyeriss-v1, workload: alexnet}\n"
         "axes:\n  - {key: pe_array.rows, values: [8]}\nconstraints:\n  - pe_array.row > 1\n",
         "s.yaml:6:5: error: constraints[0]: unknown name 'pe_array.row'",
         "sweep.expr"},
        {"sweep: e\nbase: {arch: eyeriss-v1, workload: alexnet}\n"
         "axes:\n  - {key: pe_array.rows, values: [8]}\nconstraints:\n  - pe_array.rows > 8\n",
         "s.yaml:6:5: error: constraints: no point satisfies them",
         "sweep.expr"},
        {"sweep: e\nbase: {arch: eyeriss-v9, workload: alexnet}\n"
         "axes:\n  - {key: batch, values: [1]}\n",
         "s.yaml:2:14: error: base.arch: cannot load architecture 'eyeriss-v9'",
         "sweep.axis"},
        {"sweep: e\nbase: {arch: eyeriss-v1, workload: alexnet, layers: CONV9}\n"
         "axes:\n  - {key: batch, values: [1]}\n",
         "error: base.layers: no layer 'CONV9' in alexnet",
         "wl.select"},
        {"sweep: e\nbase: {arch: eyeriss-v1, workload: alexnet}\naxes: []\n",
         "s.yaml:3:7: error: axes: got an empty list, expected a non-empty list of axes",
         "cfg.range"},
        {"sweep: e\nbase: {arch: eyeriss-v1, workload: alexnet}\n"
         "axes:\n  - {key: batch, range: {from: 4, to: 1, step: 1}}\n",
         "s.yaml:4:39: error: axes[0].range.to: got 1, expected at least from (4)",
         "cfg.range"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pesim_sweep *s = NULL;
        pesim_diags *d = pesim_diags_create();
        int rc = pesim_sweep_load_string(cases[i].text, strlen(cases[i].text), "s.yaml", &s, d);
        char *got = diag_text(d);
        if (rc == 0 || !strstr(got, cases[i].want))
            fprintf(stderr, "case %zu: rc %d, got:\n%s\nwant: %s\n", i, rc, got, cases[i].want);
        assert_int_not_equal(rc, 0);
        assert_null(s);
        assert_non_null(strstr(got, cases[i].want));
        free(got);
        bool coded = false;
        for (size_t k = 0; k < pesim_diags_count(d); k++)
            coded |= strcmp(pesim_diag_code_name(pesim_diags_get(d, k)->code), cases[i].code) == 0;
        if (!coded)
            fprintf(stderr, "case %zu: no diagnostic of code %s\n", i, cases[i].code);
        assert_true(coded);
        pesim_diags_destroy(d);
    }
}

/* --jobs 1, 2 and 3 give the same bytes; a point that cannot be mapped is
 * a row with status nomap and its reason, not a failed sweep. */
static void test_jobs_and_failures(void **state)
{
    (void)state;
    pesim_sweep *s = load(small);
    run(s, path("j1.csv"), 1, 0, 0);
    run(s, path("j2.csv"), 2, 0, 0);
    run(s, path("j3.csv"), 3, 0, 0);
    char *a = sw_slurp(path("j1.csv")), *b = sw_slurp(path("j2.csv")), *c = sw_slurp(path("j3.csv"));
    assert_non_null(a);
    assert_string_equal(a, b);
    assert_string_equal(a, c);
    assert_int_equal(access(path("j1.csv.journal"), F_OK), -1); /* removed when done */
    size_t lines = 0;
    for (char *p = a; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 1 + 12);
    assert_non_null(strstr(a, "id,pe_array.rows,glb.capacity_bytes,dataflow,status,reason,"
                              "cycles,latency_us,energy_total,energy_per_mac,"));
    free(a);
    free(b);
    free(c);
    /* JSON lines: one object per point, the same keys, numbers as numbers */
    struct pesim_sweep_opts o = {.output = path("j.jsonl"), .jobs = 2,
                                 .format = PESIM_SWEEP_JSONL};
    assert_int_equal(pesim_sweep_run(s, &o, NULL), 0);
    a = sw_slurp(path("j.jsonl"));
    lines = 0;
    for (char *p = a; *p; p = strchr(p, '\n') + 1) {
        assert_memory_equal(p, "{\"id\": \"", 8);
        char *nl = strchr(p, '\n');
        assert_true(nl[-1] == '}');
        lines++;
    }
    assert_int_equal(lines, 12);
    assert_non_null(strstr(a, "\"pe_array.rows\": 4, \"glb.capacity_bytes\": 16384, "
                              "\"dataflow\": \"ws\", \"status\": \"ok\", \"reason\": \"\", "
                              "\"cycles\": "));
    free(a);
    pesim_sweep_free(s);
    /* a GLB of 16 bytes holds nothing: every point is a nomap row */
    s = load("sweep: f\nbase: {arch: eyeriss-v1, workload: alexnet, layers: CONV3}\n"
             "axes:\n  - {key: glb.capacity_bytes, values: [16]}\n");
    run(s, path("f.csv"), 1, 0, 0);
    a = sw_slurp(path("f.csv"));
    assert_non_null(strstr(a, ",16,nomap,"));
    assert_non_null(strstr(a, "no weight-stationary mapping fits the buffers; the closest "
                              "one overflows: glb"));
    free(a);
    pesim_sweep_free(s);
}

/* The journal line pesim writes for row `row` of point `index`. */
static void journal_line(FILE *f, size_t index, const char *row, bool corrupt)
{
    char head[32];
    snprintf(head, sizeof head, "%zu\t", index);
    uint64_t h = 0xcbf29ce484222325ull;
    for (const char *p = head; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
    for (const char *p = row; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
    fprintf(f, "%zu\t%016llx\t%s\n", index, (unsigned long long)(h ^ corrupt), row);
}

/* Journals as a killed run leaves them: intact lines are kept, a corrupt
 * line and everything after it, and a torn last line, are redone; the
 * result is the uninterrupted bytes. A journal of another spec is refused
 * and nothing is written. */
static void test_resume(void **state)
{
    (void)state;
    pesim_sweep *s = load(small);
    run(s, path("full.csv"), 1, 0, 0);
    char *full = sw_slurp(path("full.csv"));
    char *rows[12], *p = strchr(full, '\n') + 1;
    for (size_t i = 0; i < 12; i++) {
        char *nl = strchr(p, '\n');
        rows[i] = strndup(p, (size_t)(nl - p));
        p = nl + 1;
    }
    for (int variant = 0; variant < 2; variant++) {
        FILE *f = fopen(path("t.csv.journal"), "wb");
        struct pesim_sweep_opts o = {.output = path("t.csv")};
        char *head = sweep_journal_header(s, &o);
        assert_non_null(strstr(head, "pesim-sweep-journal 2 spec="));
        fputs(head, f);
        free(head);
        size_t order[5] = {7, 0, 3, 11, 5}; /* threads finish out of order */
        for (size_t k = 0; k < 5; k++)
            journal_line(f, order[k], rows[order[k]], variant == 1 && k == 3);
        fputs("2\t0123456789", f); /* torn */
        fclose(f);
        run(s, path("t.csv"), 2, 0, 0);
        char *t = sw_slurp(path("t.csv"));
        assert_string_equal(t, full);
        free(t);
        assert_int_equal(access(path("t.csv.journal"), F_OK), -1);
    }
    spit(path("o.csv.journal"), "pesim-sweep-journal 1 spec=0000000000000001 points=12 "
                                "shard=1/1 format=csv\n");
    struct pesim_sweep_opts o = {.output = path("o.csv"), .jobs = 1};
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_sweep_run(s, &o, d), PESIM_E_INVALID);
    char *msg = diag_text(d);
    assert_non_null(strstr(msg, "o.csv.journal:1:1: error: a journal of an older pesim "
                                "(format 1)"));
    assert_non_null(strstr(msg, "to start afresh, remove "));
    /* what it found, then the refusal: codes a caller (the CLI's hint) tests */
    size_t nd = pesim_diags_count(d);
    assert_true(nd >= 2);
    assert_int_equal(pesim_diags_get(d, 0)->code, PESIM_DIAG_SWEEP_JOURNAL);
    assert_int_equal(pesim_diags_get(d, nd - 1)->code, PESIM_DIAG_SWEEP_RESUME);
    assert_int_equal(access(path("o.csv"), F_OK), -1);
    free(msg);
    pesim_diags_destroy(d);
    for (size_t i = 0; i < 12; i++)
        free(rows[i]);
    free(full);
    pesim_sweep_free(s);
}

/* One name table per enum: the spec's `engine` and `objective` keys take
 * exactly the names pesim_engine_name and pesim_objective_name give, and
 * the sweep formats parse back from their names. */
static void test_enum_names(void **state)
{
    (void)state;
    char spec[256];
    for (unsigned i = 0; i < PESIM_ENGINE_COUNT; i++) {
        snprintf(spec, sizeof spec, "sweep: e\nbase: {arch: eyeriss-v1, workload: alexnet, "
                 "engine: %s}\naxes:\n  - {key: batch, values: [1]}\n",
                 pesim_engine_name(i));
        pesim_sweep *s = load(spec);
        assert_int_equal(s->engine, i);
        pesim_sweep_free(s);
    }
    assert_null(pesim_engine_names[PESIM_ENGINE_COUNT]);
    for (unsigned i = 0; i < PESIM_OBJECTIVE_COUNT; i++) {
        snprintf(spec, sizeof spec, "sweep: o\nbase: {arch: eyeriss-v1, workload: alexnet, "
                 "objective: %s}\naxes:\n  - {key: batch, values: [1]}\n",
                 pesim_objective_name(i));
        pesim_sweep *s = load(spec);
        assert_int_equal(s->objective, i);
        pesim_sweep_free(s);
    }
    /* and no other name: the schema's list is exactly the registry's */
    const char *bad = "sweep: o\nbase: {arch: eyeriss-v1, workload: alexnet, objective: "
                      "nope}\naxes:\n  - {key: batch, values: [1]}\n";
    pesim_sweep *s = NULL;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_sweep_load_string(bad, strlen(bad), "s.yaml", &s, d),
                     PESIM_E_INVALID);
    char *t = diag_text(d);
    char want[128] = "";
    for (unsigned i = 0; i < PESIM_OBJECTIVE_COUNT; i++)
        snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s", i ? ", " : "",
                 pesim_objective_name(i));
    assert_non_null(strstr(t, want));
    free(t);
    pesim_diags_destroy(d);
    for (unsigned f = 0; f < PESIM_SWEEP_FORMAT_COUNT; f++) {
        enum pesim_sweep_format back;
        assert_int_equal(pesim_sweep_format_parse(pesim_sweep_format_name(f), &back), 0);
        assert_int_equal(back, f);
    }
    enum pesim_sweep_format x;
    assert_int_equal(pesim_sweep_format_parse("tsv", &x), PESIM_E_NOTFOUND);
    assert_null(pesim_sweep_format_name(PESIM_SWEEP_FORMAT_COUNT));
}

/* What the progress callback saw. */
struct seen {
    size_t calls, lasts;
    bool last_was_final; /* no call after the one with `last` */
    struct pesim_sweep_progress first, final;
    bool sane;
};

static void on_progress(const struct pesim_sweep_progress *p, void *ctx)
{
    struct seen *s = ctx;
    if (s->calls == 0)
        s->first = *p;
    bool sane = p->name && p->done <= p->total && p->failed <= p->done &&
                p->resumed <= p->done && p->rate >= 0 && p->eta_s >= 0 &&
                p->reused <= p->lookups && (s->calls == 0 || p->done >= s->final.done);
    s->sane = s->sane && sane;
    s->last_was_final = p->last;
    s->lasts += p->last;
    s->final = *p;
    s->calls++;
}

/* The library prints nothing; progress reaches the caller's callback,
 * always ending with exactly one `last` report whose counts are the
 * run's: points done, failed, resumed from a journal, layer results
 * reused. */
static void test_progress(void **state)
{
    (void)state;
    pesim_sweep *s = load(small);
    for (unsigned jobs = 1; jobs <= 2; jobs++) {
        struct seen seen = {.sane = true};
        struct pesim_sweep_opts o = {.output = path("p.csv"), .jobs = jobs,
                                     .progress = on_progress, .progress_ctx = &seen};
        assert_int_equal(pesim_sweep_run(s, &o, NULL), 0);
        assert_true(seen.sane);
        assert_int_equal(seen.lasts, 1);
        assert_true(seen.last_was_final);
        assert_string_equal(seen.final.name, "t");
        assert_int_equal(seen.final.done, 12);
        assert_int_equal(seen.final.total, 12);
        assert_int_equal(seen.final.failed, 0);
        assert_int_equal(seen.final.resumed, 0);
        assert_int_equal(seen.final.eta_s, 0);
        assert_true(seen.final.rate > 0);
        assert_int_equal(seen.final.lookups, 12); /* one layer per point */
    }
    /* a journal holding 5 rows: they count as done and resumed */
    run(s, path("full.csv"), 1, 0, 0);
    char *full = sw_slurp(path("full.csv")), *p = strchr(full, '\n') + 1;
    FILE *f = fopen(path("r.csv.journal"), "wb");
    struct pesim_sweep_opts o = {.output = path("r.csv")};
    char *head = sweep_journal_header(s, &o);
    fputs(head, f);
    free(head);
    for (size_t i = 0; i < 5; i++) {
        char *nl = strchr(p, '\n');
        *nl = '\0';
        journal_line(f, i, p, false);
        p = nl + 1;
    }
    fclose(f);
    struct seen seen = {.sane = true};
    o.progress = on_progress;
    o.progress_ctx = &seen;
    assert_int_equal(pesim_sweep_run(s, &o, NULL), 0);
    assert_true(seen.sane);
    assert_int_equal(seen.lasts, 1);
    assert_int_equal(seen.first.resumed, 5);
    assert_true(seen.first.done >= 5);
    assert_int_equal(seen.final.done, 12);
    assert_int_equal(seen.final.resumed, 5);
    assert_int_equal(seen.final.lookups, 7);
    free(full);
    pesim_sweep_free(s);
    /* a point that cannot be mapped counts as failed; progress every
     * time a point ends (every 0 s) still ends with one final report */
    s = load("sweep: f\nbase: {arch: eyeriss-v1, workload: alexnet, layers: CONV3}\n"
             "axes:\n  - {key: glb.capacity_bytes, values: [16, 65536]}\n");
    seen = (struct seen){.sane = true};
    struct pesim_sweep_opts of = {.output = path("pf.csv"), .jobs = 2, .progress = on_progress,
                                  .progress_ctx = &seen, .progress_every_s = 0};
    assert_int_equal(pesim_sweep_run(s, &of, NULL), 0);
    assert_true(seen.sane);
    assert_int_equal(seen.lasts, 1);
    assert_true(seen.last_was_final);
    assert_int_equal(seen.final.done, 2);
    assert_int_equal(seen.final.failed, 1);
    pesim_sweep_free(s);
}

/* Shards 1..N merged give the single run's bytes for N = 1, 3, 7; merge
 * refuses duplicates, missing shards (saying what to run) and parts of
 * another spec. */
static void test_shards_and_merge(void **state)
{
    (void)state;
    pesim_sweep *s = load(small);
    run(s, path("one.csv"), 2, 0, 0);
    char *one = sw_slurp(path("one.csv"));
    const unsigned ns[] = {1, 3, 7};
    for (size_t t = 0; t < 3; t++) {
        unsigned n = ns[t];
        const char *parts[7];
        char names[7][64];
        for (unsigned k = 1; k <= n; k++) {
            snprintf(names[k - 1], sizeof names[k - 1], "part-%u-of-%u.csv", k, n);
            parts[k - 1] = strdup(path(names[k - 1]));
            run(s, parts[k - 1], 1, k, n);
        }
        pesim_diags *d = pesim_diags_create();
        assert_int_equal(pesim_sweep_merge(parts, n, path("merged.csv"), d), 0);
        char *m = sw_slurp(path("merged.csv"));
        assert_string_equal(m, one);
        free(m);
        if (n == 3) {
            const char *dup[3] = {parts[0], parts[1], parts[1]};
            assert_int_equal(pesim_sweep_merge(dup, 3, path("bad.csv"), d), PESIM_E_INVALID);
            const char *miss[2] = {parts[0], parts[2]};
            assert_int_equal(pesim_sweep_merge(miss, 2, path("bad.csv"), d), PESIM_E_INVALID);
            char *msg = diag_text(d);
            assert_non_null(strstr(msg, "shard 2/3 again, expected each shard once"));
            assert_non_null(strstr(msg, "shard 2/3 not given; run shard 2/3 of s.yaml "
                                        "into part-2.csv"));
            size_t nd = pesim_diags_count(d);
            assert_int_equal(pesim_diags_get(d, nd - 1)->code, PESIM_DIAG_SWEEP_MISSING);
            assert_int_equal(pesim_diags_get(d, nd - 2)->code, PESIM_DIAG_SWEEP_MISSING);
            assert_int_equal(pesim_diags_get(d, 0)->code, PESIM_DIAG_SWEEP_PART);
            free(msg);
            assert_int_equal(access(path("bad.csv"), F_OK), -1);
        }
        pesim_diags_destroy(d);
        for (unsigned k = 0; k < n; k++)
            free((char *)parts[k]);
    }
    /* a part of another spec */
    pesim_sweep *other = load("sweep: o\nbase: {arch: eyeriss-v1, workload: alexnet, "
                              "layers: CONV3, engine: analysis}\n"
                              "axes:\n  - {key: pe_array.rows, values: [4, 8]}\n");
    run(other, path("other-1.csv"), 1, 1, 2);
    run(s, path("mine-2.csv"), 1, 2, 2);
    const char *mixed[2] = {path("other-1.csv"), path("mine-2.csv")};
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_sweep_merge(mixed, 2, path("bad.csv"), d), PESIM_E_INVALID);
    char *msg = diag_text(d);
    assert_non_null(strstr(msg, "mine-2.csv:1:1: error: a part of spec"));
    free(msg);
    pesim_diags_destroy(d);
    pesim_sweep_free(other);
    free(one);
    pesim_sweep_free(s);
}

/* The front of a hand-made table: b dominates d; a, b, c trade off; e is
 * not ok. */
static void test_pareto(void **state)
{
    (void)state;
    spit(path("p.csv"), "id,x,status,reason,latency_us,energy_total\n"
                        "a,1,ok,,10,50\n"
                        "b,2,ok,,20,20\n"
                        "c,3,ok,,40,10\n"
                        "d,4,ok,,30,30\n"
                        "e,5,nomap,\"no, nothing\",,\n"
                        "f,6,ok,,20,20\n");
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    const char *m[2] = {"latency", "energy"};
    bool max[2] = {false, false};
    assert_int_equal(pesim_sweep_pareto(path("p.csv"), m, max, 2, f, NULL), 0);
    fclose(f);
    assert_string_equal(out, "id,x,status,reason,latency_us,energy_total\n"
                             "a,1,ok,,10,50\n"
                             "b,2,ok,,20,20\n"
                             "c,3,ok,,40,10\n"
                             "f,6,ok,,20,20\n");
    free(out);
    /* maximizing x instead of energy: f (20, x 6) dominates b, c and d */
    f = open_memstream(&out, &len);
    const char *m2[2] = {"latency_us", "x"};
    bool max2[2] = {false, true};
    assert_int_equal(pesim_sweep_pareto(path("p.csv"), m2, max2, 2, f, NULL), 0);
    fclose(f);
    assert_string_equal(out, "id,x,status,reason,latency_us,energy_total\n"
                             "a,1,ok,,10,50\n"
                             "f,6,ok,,20,20\n");
    free(out);
    pesim_diags *d = pesim_diags_create();
    const char *bad[2] = {"latency", "speed"};
    f = open_memstream(&out, &len);
    assert_int_equal(pesim_sweep_pareto(path("p.csv"), bad, max, 2, f, d), PESIM_E_INVALID);
    fclose(f);
    free(out);
    char *msg = diag_text(d);
    assert_non_null(strstr(msg, "no column 'speed'"));
    free(msg);
    pesim_diags_destroy(d);
}

/* The field of a CSV row (no quoted commas before it) by column name. */
static void field(const char *csv, const char *row_prefix, const char *column, char *out,
                  size_t size)
{
    const char *hdr_end = strchr(csv, '\n');
    int col = -1, k = 0;
    for (const char *p = csv; p < hdr_end; k++) {
        size_t n = strcspn(p, ",\n");
        if (n == strlen(column) && strncmp(p, column, n) == 0)
            col = k;
        p += n + 1;
    }
    assert_true(col >= 0);
    const char *row = strstr(csv, row_prefix);
    assert_non_null(row);
    while (row > csv && row[-1] != '\n')
        row--;
    for (k = 0; k < col; k++) { /* skip a field, quoted or not */
        if (*row == '"')
            for (row++; !(row[0] == '"' && row[1] != '"'); row += row[0] == '"' ? 2 : 1)
                ;
        row = strchr(row, ',') + 1;
    }
    size_t n = strcspn(row, ",\n");
    snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), row);
}

/* The example specs of docs/sweeps.md run and print the numbers its
 * tables show. */
static void test_doc_examples(void **state)
{
    (void)state;
    const char *src = getenv("PESIM_SOURCE_ROOT");
    static const struct {
        const char *spec, *row, *column, *want;
    } cases[] = {
        {"sweep-shape.yaml", ",16,16,rs,", "cycles", "13328064"},
        {"sweep-shape.yaml", ",12,14,ws,", "cycles", "221436660"},
        {"sweep-glb.yaml", ",1048576,ok", "dram_accesses", "7574224"},
        {"sweep-glb.yaml", ",8192,ok", "dram_accesses", "47620864"},
        {"sweep-dram.yaml", ",2,ok", "cycles", "18661214"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char spec[1024], got[64];
        snprintf(spec, sizeof spec, "%s/docs/examples/%s", src ? src : ".", cases[i].spec);
        pesim_sweep *s = NULL;
        assert_int_equal(pesim_sweep_load(spec, &s, NULL), 0);
        run(s, path("ex.csv"), 2, 0, 0);
        char *csv = sw_slurp(path("ex.csv"));
        field(csv, cases[i].row, cases[i].column, got, sizeof got);
        assert_string_equal(got, cases[i].want);
        if (i == 0) { /* the Pareto front of the shape study */
            char *out = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&out, &len);
            const char *m[2] = {"latency", "energy"};
            bool max[2] = {false, false};
            assert_int_equal(pesim_sweep_pareto(path("ex.csv"), m, max, 2, f, NULL), 0);
            fclose(f);
            assert_non_null(strstr(out, ",16,16,rs,"));
            assert_non_null(strstr(out, ",32,8,rs,"));
            assert_non_null(strstr(out, ",12,14,rs,"));
            size_t rows = 0;
            for (char *p = out; *p; p++)
                rows += *p == '\n';
            assert_int_equal(rows, 1 + 3);
            free(out);
        }
        free(csv);
        pesim_sweep_free(s);
    }
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
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
        cmocka_unit_test(test_order_and_ids),
        cmocka_unit_test(test_constraints),
        cmocka_unit_test(test_spec_errors),
        cmocka_unit_test(test_jobs_and_failures),
        cmocka_unit_test(test_resume),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_enum_names),
        cmocka_unit_test(test_shards_and_merge),
        cmocka_unit_test(test_pareto),
        cmocka_unit_test(test_doc_examples),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
