/* The report writers on hand-built results: exact fields, number
 * formatting (integers, doubles, null), escaping, the total row. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pesim.h"

static struct pesim_arch arch;
/* What every writer below is given; setup_results resets it. */
static struct pesim_report_ctx ctx;

static void make(struct pesim_layer_result *r, const char *name, uint64_t m)
{
    memset(r, 0, sizeof *r);
    snprintf(r->layer.name, sizeof r->layer.name, "%s", name);
    r->layer.kind = PESIM_LAYER_CONV;
    uint64_t dims[PESIM_DIM_COUNT] = {1, 1, m, 3, 5, 5, 3, 3};
    memcpy(r->layer.dim, dims, sizeof dims);
    r->layer.stride[0] = r->layer.stride[1] = 1;
    r->layer.dilation[0] = r->layer.dilation[1] = 1;
    r->layer.pad[0] = 1;
    r->layer.pad[1] = 2;
    struct pesim_analysis *a = &r->analysis;
    a->macs = m * 3 * 25 * 9;
    a->ideal_cycles = 1234567;
    a->pes = 168;
    a->active_pes = 84;
    a->util_spatial = 0.5;
    a->util_temporal = 0.25;
    a->acc[PESIM_LEVEL_DRAM][PESIM_DS_INPUTS] = (struct pesim_access){75, 1000, 0, 0, 0};
    a->acc[PESIM_LEVEL_GLB][PESIM_DS_OUTPUTS] = (struct pesim_access){10, 7, 3, 4, 0};
    a->noc_words[PESIM_LEVEL_GLB][PESIM_DS_WEIGHTS] = 99;
    a->noc_sends[PESIM_LEVEL_GLB][PESIM_DS_WEIGHTS] = 33;
    a->spatial_reductions = 5;
    r->cycles = 2000000;
    r->bound_cycles[PESIM_BOUND_COMPUTE] = 1234567;
    r->bound_cycles[PESIM_BOUND_DRAM] = 2000000;
    r->bound = PESIM_BOUND_DRAM;
    r->latency_us = 10000.5;
    r->energy.nrows = PESIM_EL_COUNT;
    r->energy.by[PESIM_EL_DRAM][PESIM_DS_INPUTS] = 200000;
    r->energy.by_level[PESIM_EL_DRAM] = 200000;
    r->energy.by_level[PESIM_EL_MAC] = (double)a->macs;
    r->energy.by_data[PESIM_DS_INPUTS] = 200000;
    r->energy.mac = (double)a->macs;
    r->energy.total = 200000 + (double)a->macs;
    r->energy.per_mac = r->energy.total / (double)a->macs;
    r->mapping.temporal[PESIM_LEVEL_DRAM][0] = (struct pesim_loop){PESIM_DIM_M, 0, 2};
    r->mapping.ntemporal[PESIM_LEVEL_DRAM] = 1;
    r->mapping.spatial[PESIM_LEVEL_GLB][0] = (struct pesim_loop){PESIM_DIM_C, PESIM_AXIS_Y, 3};
    r->mapping.nspatial[PESIM_LEVEL_GLB] = 1;
    r->mapping.bypass[PESIM_LEVEL_GLB][PESIM_DS_WEIGHTS] = true;
}

/* The stream's buffer pointer lives on the heap: with a local, GCC's
 * -Wdangling-pointer takes the returned text for a pointer to the stack. */
static char *render(int (*fn)(FILE *), size_t *len)
{
    struct {
        char *buf;
        size_t n;
    } *m = calloc(1, sizeof *m);
    assert_non_null(m);
    FILE *f = open_memstream(&m->buf, &m->n);
    assert_non_null(f);
    assert_int_equal(fn(f), 0);
    fclose(f);
    char *out = m->buf;
    if (len)
        *len = m->n;
    free(m);
    return out;
}

static struct pesim_layer_result layers[2], total;

static void setup_results(void)
{
    memset(&arch, 0, sizeof arch);
    snprintf(arch.name, sizeof arch.name, "toy");
    arch.clock_mhz = 200;
    arch.pe_array.rows = 12;
    arch.pe_array.cols = 14;
    arch.energy.unit = PESIM_ENERGY_NORMALIZED;
    pesim_arch_expand(&arch);
    make(&layers[0], "conv\"1", 4);
    make(&layers[1], "conv,2", 8);
    total = layers[1];
    snprintf(total.layer.name, sizeof total.layer.name, "total");
    total.energy.per_mac = NAN; /* must print as null / empty */
    total.energy.leakage = INFINITY;
    ctx = (struct pesim_report_ctx){&arch, "net", NULL, PESIM_OBJECTIVE_LATENCY, false};
}

static int run_json(FILE *f)
{
    struct pesim_run run = {"ws", layers, 2, total};
    return pesim_report_run(f, PESIM_FORMAT_JSON, &ctx, &run);
}

static int run_csv(FILE *f)
{
    struct pesim_run run = {"ws", layers, 2, total};
    return pesim_report_run(f, PESIM_FORMAT_CSV, &ctx, &run);
}

static int run_text(FILE *f)
{
    struct pesim_run run = {"ws", layers, 2, total};
    return pesim_report_run(f, PESIM_FORMAT_TEXT, &ctx, &run);
}

static int compare_json(FILE *f)
{
    struct pesim_run runs[2] = {{"ws", layers, 2, total}, {"os", layers, 1, total}};
    return pesim_report_compare(f, PESIM_FORMAT_JSON, &ctx, runs, 2);
}

static int compare_text(FILE *f)
{
    struct pesim_run runs[2] = {{"ws", layers, 2, total}, {"os", layers, 1, total}};
    return pesim_report_compare(f, PESIM_FORMAT_TEXT, &ctx, runs, 2);
}

static int compare_csv(FILE *f)
{
    struct pesim_run runs[2] = {{"ws", layers, 2, total}, {"os", layers, 1, total}};
    return pesim_report_compare(f, PESIM_FORMAT_CSV, &ctx, runs, 2);
}

static void has(const char *text, const char *what)
{
    if (!strstr(text, what)) {
        /* cmocka truncates long messages: print in full first. */
        fprintf(stderr, "output lacks:\n%s\n--- output:\n%s\n", what, text);
        fail();
    }
}

static void test_json_run(void **state)
{
    (void)state;
    setup_results();
    char *s = render(run_json, NULL);
    char head[256];
    snprintf(head, sizeof head, "{\n  \"pesim\": \"%s\",\n  \"command\": \"\",\n  \"arch\": \"toy\",\n"
             "  \"workload\": \"net\",\n  \"objective\": \"latency\",\n  \"derived\": {},\n"
             "  \"dataflow\": \"ws\",\n  \"layers\": [\n",
             pesim_version());
    assert_memory_equal(s, head, strlen(head));
    has(s, "\"name\": \"conv\\\"1\"");
    has(s, "\"dims\": {\n        \"N\": 1,\n        \"G\": 1,\n        \"M\": 4,");
    has(s, "\"padding\": {\n        \"rows\": 1,\n        \"cols\": 2\n      }");
    has(s, "\"macs\": 2700,\n      \"cycles\": 2000000,\n      \"ideal_cycles\": 1234567,\n"
           "      \"bound\": \"dram\",");
    has(s, "\"latency_us\": 10000.5,");
    has(s, "\"utilization\": {\n        \"spatial\": 0.5,\n        \"temporal\": 0.25\n      }");
    has(s, "\"total\": 202700,\n        \"per_mac\": 75.0740740740741,\n"
           "        \"unit\": \"normalized\",");
    has(s, "\"outputs\": {\n            \"reads\": 7,\n            \"writes\": 7,\n"
           "            \"fills\": 3,\n            \"updates\": 4,\n            \"drains\": 0,\n"
           "            \"tile_words\": 10\n          }");
    has(s, "\"weights\": {\n          \"words\": 99,\n          \"sends\": 33\n        },");
    has(s, "\"spatial_reductions\": 5\n");
    has(s, "\"dram\": {\n          \"temporal\": [\n            {\"dim\": \"M\", \"bound\": 2}\n"
           "          ],\n          \"bypass\": []\n        },");
    has(s, "\"bypass\": [\"weights\"]");
    has(s, "\"spatial\": [\n          {\"dim\": \"C\", \"bound\": 3, \"axis\": \"y\"}\n        ],");
    /* The total: named "total", no dims or mapping, null for non-finite. */
    const char *t = strstr(s, "\n  \"total\": {\n    \"name\": \"total\",\n    \"macs\": 5400,");
    assert_non_null(t);
    assert_null(strstr(t, "\"dims\""));
    assert_null(strstr(t, "\"mapping\""));
    has(t, "\"per_mac\": null,");
    has(t, "\"leakage\": null\n");
    assert_null(strstr(s, "nan"));
    assert_null(strstr(s, "inf"));
    static const char end[] = "\n  },\n  \"notes\": []\n}\n";
    assert_string_equal(s + strlen(s) - strlen(end), end);
    free(s);
}

static void test_json_compare(void **state)
{
    (void)state;
    setup_results();
    char *s = render(compare_json, NULL);
    has(s, "\"workload\": \"net\",\n  \"objective\": \"latency\",\n  \"derived\": {},\n"
           "  \"dataflows\": [\n    {\n      \"dataflow\": \"ws\",\n      \"layers\": [\n");
    has(s, "      },\n      \"notes\": []\n    },\n    {\n");
    has(s, "    {\n      \"dataflow\": \"os\",\n      \"layers\": [\n");
    assert_null(strstr(s, "\n  \"dataflow\""));
    free(s);
}

static void test_csv(void **state)
{
    (void)state;
    setup_results();
    char *s = render(run_csv, NULL);
    has(s, "dataflow,objective,layer,kind,dims.N,dims.G,dims.M,dims.C,dims.P,dims.Q,dims.R,dims.S,"
           "stride.rows,stride.cols,padding.rows,padding.cols,dilation.rows,dilation.cols,same_as,"
           "macs,cycles,ideal_cycles,bound,bound_cycles.compute,bound_cycles.dram,");
    has(s, ",accesses.glb.outputs.reads,accesses.glb.outputs.writes,");
    has(s, ",noc.spatial_reductions,steady_cycles,stalls_by_site.dram,");
    has(s, ",throttling.dram,throttling.glb,throttling.rf,mapping\n");
    /* Quoting: a quote doubles, a comma quotes the field. */
    has(s, "\nws,latency,\"conv\"\"1\",conv,1,1,4,3,5,5,3,3,1,1,1,2,1,1,,2700,2000000,1234567,dram,");
    has(s, "\nws,latency,\"conv,2\",conv,");
    has(s, ",dram[M2] glb[] spatial[C3y] rf[] bypass[glb:weights]\n");
    /* The total row: empty kind, dims ... mapping; empty non-finite. */
    has(s, "\nws,latency,total,,,,,,,,,,,,,,,,,5400,2000000,");
    assert_string_equal(s + strlen(s) - 2, ",\n");
    assert_null(strstr(s, "nan"));
    free(s);

    s = render(compare_csv, NULL);
    size_t lines = 0;
    for (const char *p = s; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 1 + 3 + 2); /* header, ws 2+total, os 1+total */
    has(s, "\nos,latency,\"conv\"\"1\",");
    has(s, "\nos,latency,total,");
    free(s);
}

static void test_text(void **state)
{
    (void)state;
    setup_results();
    char *s = render(run_text, NULL);
    has(s, "pesim ");
    has(s, "arch toy (12x14 PEs, 200 MHz), workload net, dataflow ws (weight-stationary), objective latency\n\n");
    has(s, "layer    MACs     cycles  latency (us)  energy/MAC  util spatial  "
           "util temporal  DRAM accesses (words)  bound\n");
    has(s, "\nconv\"1  2,700  2,000,000      10,000.5      75.074         50.0%"
           "          25.0%                  1,000   dram\n");
    has(s, "\ntotal   5,400  2,000,000      10,000.5           -");
    has(s, "Energy of the total by level and data space (normalized, MAC = 1)");
    has(s, "\ndram           0  200,000        0  200,000   97.4%\n");
    assert_null(strstr(s, "note:")); /* no stall charged to a resource */
    free(s);
    s = render(compare_text, NULL);
    has(s, "workload net, 2 layers, objective latency (each dataflow mapped for its fewest "
           "cycles)\n\ndataflow ");
    has(s, "dataflow     cycles  latency (ms)   energy  energy/MAC");
    has(s, "\nws        2,000,000        10.001  205,400           -");
    has(s, "\nos        2,000,000");
    has(s, "\n  level:  dram 97.4%  glb 0.0%  noc 0.0%  rf 0.0%  mac 2.6%  leakage -\n"
           "  data:   weights 0.0%  inputs 97.4%  outputs 0.0%\n");
    free(s);
}

/* Every format names what chose the mappings: the objective, or an
 * explicit mapping. */
static void test_objective(void **state)
{
    (void)state;
    setup_results();
    ctx.objective = PESIM_OBJECTIVE_ENERGY;
    char *s = render(run_text, NULL);
    has(s, " (weight-stationary), objective energy\n");
    free(s);
    s = render(compare_text, NULL);
    has(s, ", 2 layers, objective energy (each dataflow mapped for its least energy)\n");
    free(s);
    s = render(run_json, NULL);
    has(s, "\n  \"objective\": \"energy\",\n");
    free(s);
    s = render(compare_csv, NULL);
    has(s, "\nos,energy,total,");
    free(s);
    ctx.explicit_mapping = true;
    s = render(run_text, NULL);
    has(s, " (weight-stationary), objective explicit mapping\n");
    free(s);
    s = render(run_json, NULL);
    has(s, "\n  \"objective\": \"explicit mapping\",\n");
    free(s);
    s = render(run_csv, NULL);
    has(s, "\nws,explicit mapping,total,");
    free(s);
}

/* A resource charged more than half of the cycles is named, with the key
 * that sizes it, in the text and in JSON's notes; half or less, nothing. */
static void test_bound_note(void **state)
{
    (void)state;
    setup_results();
    arch.noc[PESIM_DS_INPUTS].width_words = 1;
    pesim_arch_expand(&arch);
    total.role_stalls[PESIM_LEVELS_MAX + PESIM_LEVEL_GLB][PESIM_ROLE_INPUTS] = 1200000;
    char *s = render(run_text, NULL);
    has(s, "\nnote: 60% of the cycles wait on the NoC inputs bus (1 word/cycle): raise "
           "noc.inputs.width_words\n");
    free(s);
    s = render(run_json, NULL);
    has(s, "\"notes\": [\n    {\"kind\": \"bound\", \"cause\": \"noc.inputs\", \"share\": 0.6, "
           "\"key\": \"noc.inputs.width_words\", \"value\": 1}\n  ]\n}\n");
    free(s);
    s = render(compare_text, NULL);
    has(s, "\nnote: ws: 60% of the cycles wait on the NoC inputs bus");
    has(s, "\nnote: os: 60% of the cycles wait on the NoC inputs bus");
    free(s);
    /* the GLB's read ports, DRAM's bandwidth */
    total.role_stalls[PESIM_LEVELS_MAX + PESIM_LEVEL_GLB][PESIM_ROLE_INPUTS] = 0;
    total.role_stalls[PESIM_LEVEL_GLB][PESIM_ROLE_READ_PORTS] = 1500000;
    arch.level[PESIM_LEVEL_GLB].read_ports = 1;
    s = render(run_text, NULL);
    has(s, "\nnote: 75% of the cycles wait on the GLB read port (1): raise glb.read_ports\n");
    free(s);
    total.role_stalls[PESIM_LEVEL_GLB][PESIM_ROLE_READ_PORTS] = 1000000; /* half: no note */
    s = render(run_text, NULL);
    assert_null(strstr(s, "note:"));
    free(s);
    total.role_stalls[PESIM_LEVEL_DRAM][PESIM_ROLE_WEIGHTS] = 1999999;
    arch.dram.bandwidth_gbps = 25;
    s = render(run_json, NULL);
    has(s, "{\"kind\": \"bound\", \"cause\": \"dram.bandwidth\", \"share\": 0.9999995, "
           "\"key\": \"dram.bandwidth_gbps\", \"value\": 25}");
    free(s);
    /* the analysis engine has no stalls to read */
    total.engine = PESIM_ENGINE_ANALYSIS;
    s = render(run_json, NULL);
    has(s, "\"notes\": []");
    free(s);
}

static void test_bad_args(void **state)
{
    (void)state;
    setup_results();
    struct pesim_run run = {"ws", NULL, 3, total};
    assert_int_equal(pesim_report_run(stdout, PESIM_FORMAT_JSON, NULL, &run),
                     PESIM_E_INVALID);
    assert_int_equal(pesim_report_run(stdout, (enum pesim_format)9, NULL, &run),
                     PESIM_E_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_run),
        cmocka_unit_test(test_json_compare),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_objective),
        cmocka_unit_test(test_bound_note),
        cmocka_unit_test(test_bad_args),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
