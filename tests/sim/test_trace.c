/* Timeline traces (docs/reports.md, "Timeline traces"): the file is valid
 * JSON; spans on a track never overlap; the array's compute and stall spans
 * add up to the run's compute and stall counters, cause by cause; the words
 * on the DRAM channel and the NoC buses add up to their access counters;
 * layers follow one another; the window keeps only its cycles; the size
 * cap cuts the trace and says so, leaving valid JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include <cmocka.h>

#include "pesim.h"

#define MAXTID 64

struct span {
    uint64_t ts, end;
};

struct trace_summary {
    size_t nspans[MAXTID];
    struct span *spans[MAXTID];
    uint64_t stall[PESIM_STALL_COUNT], compute;
    uint64_t dram_words[PESIM_DS_COUNT], noc_words[PESIM_DS_COUNT];
    uint64_t lo, hi; /* extent of all spans */
    size_t layers;
    bool truncated;
};

static char dir[] = "/tmp/pesim-test-trace-XXXXXX";

static const char *const ds_names[] = {"weights", "inputs", "outputs"};

/* One event per line, as the writer puts them. */
static void summarize(const char *path, struct trace_summary *s)
{
    memset(s, 0, sizeof *s);
    s->lo = UINT64_MAX;
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, "trace truncated"))
            s->truncated = true;
        if (!strstr(line, "\"ph\": \"X\""))
            continue;
        char name[128], cat[32];
        unsigned long long ts, dur;
        int tid;
        assert_int_equal(sscanf(line, "{\"name\": \"%127[^\"]\", \"cat\": \"%31[^\"]\", \"ph\": "
                                      "\"X\", \"ts\": %llu, \"dur\": %llu, \"pid\": 1, "
                                      "\"tid\": %d", name, cat, &ts, &dur, &tid), 5);
        assert_true(tid >= 0 && tid < MAXTID);
        struct span **v = &s->spans[tid];
        *v = realloc(*v, (s->nspans[tid] + 1) * sizeof **v);
        (*v)[s->nspans[tid]++] = (struct span){ts, ts + dur};
        s->lo = ts < s->lo ? ts : s->lo;
        s->hi = ts + dur > s->hi ? ts + dur : s->hi;
        if (strcmp(cat, "compute") == 0)
            s->compute += dur;
        else if (strcmp(cat, "layer") == 0)
            s->layers++;
        else if (strcmp(cat, "stall") == 0) {
            for (unsigned k = 0; k < PESIM_STALL_COUNT; k++)
                if (strcmp(name, pesim_stall_name(k)) == 0)
                    s->stall[k] += dur;
        } else if (strcmp(cat, "transfer") == 0) {
            unsigned long long w = strtoull(strstr(line, "\"words\": ") + 9, NULL, 10);
            for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
                if (strncmp(name, ds_names[ds], strlen(ds_names[ds])) != 0)
                    continue;
                if (tid == 10) /* the DRAM channel */
                    s->dram_words[ds] += w;
                if (tid == 50 + (int)ds) /* its NoC bus */
                    s->noc_words[ds] += w;
                if (tid == 53 && ds == PESIM_DS_OUTPUTS) /* the psum reload bus */
                    s->noc_words[ds] += w;
            }
        }
    }
    fclose(f);
}

static void free_summary(struct trace_summary *s)
{
    for (int t = 0; t < MAXTID; t++)
        free(s->spans[t]);
}

static int by_ts(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    return (x->ts > y->ts) - (x->ts < y->ts);
}

static void no_overlaps(struct trace_summary *s)
{
    for (int t = 0; t < MAXTID; t++) {
        if (!s->nspans[t])
            continue;
        qsort(s->spans[t], s->nspans[t], sizeof *s->spans[t], by_ts);
        for (size_t i = 1; i < s->nspans[t]; i++)
            if (s->spans[t][i].ts < s->spans[t][i - 1].end) {
                print_error("track %d: span at %llu starts before the one at %llu ends "
                            "(%llu)\n", t, (unsigned long long)s->spans[t][i].ts,
                            (unsigned long long)s->spans[t][i - 1].ts,
                            (unsigned long long)s->spans[t][i - 1].end);
                fail();
            }
    }
}

static void valid_json(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    yaml_parser_t p;
    yaml_document_t doc;
    assert_true(yaml_parser_initialize(&p));
    yaml_parser_set_input_file(&p, f);
    int ok = yaml_parser_load(&p, &doc);
    if (!ok)
        print_error("%s: %s at line %zu\n", path, p.problem, p.problem_mark.line + 1);
    assert_true(ok);
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    assert_non_null(root);
    assert_int_equal(root->type, YAML_MAPPING_NODE);
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
    fclose(f);
}

/* Two small layers (so the trace stays small), the mapper's mappings. */
static void setup_run(struct pesim_arch *a, struct pesim_workload *wl, const char *df_name,
                      struct pesim_mapping *m)
{
    static const char text[] = "name: t\nlayers:\n"
                               "  - {name: a, M: 16, C: 16, H: 14, W: 14, R: 3, S: 3, padding: 1}\n"
                               "  - {name: b, M: 32, C: 16, H: 14, W: 14, R: 1, S: 1, stride: 2}\n";
    assert_int_equal(pesim_arch_load("eyeriss-v1", a, NULL), 0);
    assert_int_equal(pesim_workload_load_string(text, sizeof text - 1, "t.yaml", wl, NULL), 0);
    for (size_t i = 0; i < wl->count; i++)
        assert_int_equal(pesim_df_map(pesim_df_find(df_name), a, &wl->layers[i], &m[i], NULL), 0);
}

static void traced(const struct pesim_arch *a, const struct pesim_workload *wl,
                   const struct pesim_mapping *m, const char *path,
                   const struct pesim_trace_opts *o, struct pesim_layer_result *res)
{
    pesim_trace *t;
    assert_int_equal(pesim_trace_open(path, o, &t, NULL), 0);
    for (size_t i = 0; i < wl->count; i++)
        assert_int_equal(pesim_sim_layer_trace(a, &wl->layers[i], &m[i], t, "t", &res[i], NULL),
                         0);
    assert_int_equal(pesim_trace_close(t, true, NULL), 0);
}

static void test_trace_matches_counters(void **state)
{
    (void)state;
    const char *dfs[] = {"rs", "ws", "nlr"};
    for (size_t k = 0; k < 3; k++) {
        struct pesim_arch a;
        struct pesim_workload wl;
        struct pesim_mapping m[2];
        struct pesim_layer_result res[2], plain;
        setup_run(&a, &wl, dfs[k], m);
        char path[256];
        snprintf(path, sizeof path, "%s/%s.json", dir, dfs[k]);
        traced(&a, &wl, m, path, NULL, res);
        /* tracing changes nothing */
        assert_int_equal(pesim_sim_layer_engine(&a, &wl.layers[0], &m[0], PESIM_ENGINE_EVENT,
                                                "t", &plain, NULL), 0);
        assert_int_equal(plain.cycles, res[0].cycles);
        valid_json(path);
        struct trace_summary s;
        summarize(path, &s);
        no_overlaps(&s);
        assert_int_equal(s.layers, 2);
        assert_int_equal(s.lo, 0);
        assert_int_equal(s.hi, res[0].cycles + res[1].cycles);
        uint64_t compute = 0, stall[PESIM_STALL_COUNT] = {0};
        uint64_t dram[PESIM_DS_COUNT] = {0}, noc[PESIM_DS_COUNT] = {0};
        for (size_t i = 0; i < 2; i++) {
            compute += res[i].stalls[PESIM_STALL_COMPUTE];
            for (unsigned c = 1; c < PESIM_STALL_COUNT; c++)
                stall[c] += res[i].stalls[c];
            for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
                const struct pesim_access *x = &res[i].analysis.acc[PESIM_LEVEL_DRAM][ds];
                dram[ds] += x->reads + x->fills + x->updates;
                noc[ds] += res[i].analysis.noc_sends[PESIM_LEVEL_GLB][ds];
            }
        }
        assert_int_equal(s.compute, compute);
        for (unsigned c = 1; c < PESIM_STALL_COUNT; c++)
            assert_int_equal(s.stall[c], stall[c]);
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
            assert_int_equal(s.dram_words[ds], dram[ds]);
            assert_int_equal(s.noc_words[ds], noc[ds]);
        }
        free_summary(&s);
        pesim_workload_free(&wl);
    }
}

/* The window keeps only spans within [from, to), clipped; the size cap
 * cuts the trace, says so, and the file is still valid JSON. */
static void test_window_and_cap(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_workload wl;
    struct pesim_mapping m[2];
    struct pesim_layer_result res[2];
    setup_run(&a, &wl, "rs", m);
    char path[256];
    snprintf(path, sizeof path, "%s/w.json", dir);
    uint64_t from = 1000, to = 5000;
    struct pesim_trace_opts o = {from, to, 0};
    traced(&a, &wl, m, path, &o, res);
    valid_json(path);
    struct trace_summary s;
    summarize(path, &s);
    assert_true(s.lo >= from);
    assert_true(s.hi <= to);
    assert_int_equal(s.lo, from); /* something was busy at every cycle */
    assert_int_equal(s.hi, to);
    no_overlaps(&s);
    assert_false(s.truncated);
    free_summary(&s);
    struct pesim_trace_opts cap = {0, 0, 8000};
    pesim_trace *t;
    assert_int_equal(pesim_trace_open(path, &cap, &t, NULL), 0);
    assert_int_equal(pesim_sim_layer_trace(&a, &wl.layers[0], &m[0], t, "t", &res[0], NULL), 0);
    assert_true(pesim_trace_truncated(t));
    assert_int_equal(pesim_trace_close(t, true, NULL), 0);
    valid_json(path);
    summarize(path, &s);
    assert_true(s.truncated);
    free_summary(&s);
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    assert_true(ftell(f) < 8000 + 2048);
    fclose(f);
    pesim_workload_free(&wl);
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
        cmocka_unit_test(test_trace_matches_counters),
        cmocka_unit_test(test_window_and_cap),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
