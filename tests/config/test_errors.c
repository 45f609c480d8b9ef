/* Golden error messages: the exact "file:line:col: error: ..." text for
 * malformed architectures, workloads, mappings and --set overrides. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "diag_text.h"

enum kind { ARCH, WL, MAP };

struct golden {
    enum kind kind;
    const char *file;
    const char *text;
    const char *want; /* every line the loader prints */
    const char *codes; /* the code of each, in order (include/pesim/error.h) */
};

#define BASE                                                                   \
    "name: t\n"                                                                \
    "clock_mhz: 200\n"                                                         \
    "pe_array:\n"                                                              \
    "  rows: 12\n"                                                             \
    "  cols: 14\n"                                                             \
    "  scratchpad: {weights: 224, inputs: 12, outputs: 24}\n"                  \
    "glb: {capacity_bytes: 1024}\n"                                            \
    "dram: {bandwidth_gbps: 1}\n"

static const struct golden cases[] = {
    /* bad type */
    {ARCH, "type.yaml",
     "name: t\nclock_mhz: fast\npe_array:\n  rows: 12\n  cols: 14\n"
     "  scratchpad: {weights: 224, inputs: 12, outputs: 24}\n"
     "glb: {capacity_bytes: 1024}\ndram: {bandwidth_gbps: 1}\n",
     "type.yaml:2:12: error: clock_mhz: got 'fast', expected a number in "
     "[0.001, 1e+06]\n",
     "cfg.type"},
    /* out of range */
    {ARCH, "eyeriss.yaml",
     "name: t\nclock_mhz: 200\npe_array:\n  rows: 0\n  cols: 14\n"
     "  scratchpad: {weights: 224, inputs: 12, outputs: 24}\n"
     "glb: {capacity_bytes: 1024}\ndram: {bandwidth_gbps: 1}\n",
     "eyeriss.yaml:4:9: error: pe_array.rows: got 0, expected an integer in "
     "[1, 4096]\n",
     "cfg.range"},
    /* unknown key with a suggestion; the required key is then missing */
    {ARCH, "unknown.yaml",
     "name: t\nclock_mhz: 200\npe_array:\n  rows: 12\n  cols: 14\n"
     "  scratchpad: {weights: 224, inputs: 12, outputs: 24}\n"
     "glb:\n  capcity_bytes: 1024\ndram: {bandwidth_gbps: 1}\n",
     "unknown.yaml:8:3: error: glb.capcity_bytes: unknown key, expected one "
     "of capacity_bytes, banks, bank_words_per_cycle, read_ports, "
     "write_ports, holds, max_bytes, double_buffer, halo, interleaved; did you mean 'capacity_bytes'?\n"
     "unknown.yaml:8:3: error: glb.capacity_bytes: missing required key, "
     "expected an integer in [0, 1125899906842624]\n",
     "cfg.unknown_key cfg.missing"},
    /* missing required key: at the enclosing mapping */
    {ARCH, "missing.yaml",
     "name: t\nclock_mhz: 200\npe_array:\n  cols: 14\n"
     "  scratchpad: {weights: 224, inputs: 12, outputs: 24}\n"
     "glb: {capacity_bytes: 1024}\ndram: {bandwidth_gbps: 1}\n",
     "missing.yaml:4:3: error: pe_array.rows: missing required key, expected "
     "an integer in [1, 4096]\n",
     "cfg.missing"},
    /* YAML syntax: libyaml's problem mark */
    {ARCH, "syntax.yaml", "name: t\nclock_mhz: [200\npe_array:\n  rows: 12\n",
     "syntax.yaml:3:9: error: YAML syntax: did not find expected ',' or ']' "
     "while parsing a flow sequence, expected valid YAML\n",
     "yaml.syntax"},
    /* wrong node kind */
    {ARCH, "kind.yaml",
     "name: t\nclock_mhz: 200\npe_array:\n  - rows: 12\n"
     "glb: {capacity_bytes: 1024}\ndram: {bandwidth_gbps: 1}\n",
     "kind.yaml:4:3: error: pe_array: got a list, expected a mapping\n",
     "cfg.type"},
    {ARCH, "scalar.yaml", "hello",
     "scalar.yaml:1:1: error: got 'hello', expected a mapping\n",
     "cfg.type"},
    {ARCH, "empty.yaml", "",
     "empty.yaml:1:1: error: got an empty document, expected a mapping\n",
     "yaml.empty"},
    /* duplicate key */
    {ARCH, "dup.yaml", BASE "clock_mhz: 100\n",
     "dup.yaml:9:1: error: clock_mhz: duplicate key (first at line 2), "
     "expected each key once\n",
     "cfg.duplicate"},
    /* bad enum */
    {ARCH, "enum.yaml", BASE "energy: {unit: joules}\n",
     "enum.yaml:9:16: error: energy.unit: got 'joules', expected one of "
     "normalized, pJ\n",
     "cfg.enum"},
    /* 64-bit overflow of a value */
    {ARCH, "u64.yaml",
     "name: t\nclock_mhz: 200\npe_array:\n  rows: 12\n  cols: 14\n"
     "  scratchpad: {weights: 224, inputs: 12, outputs: 24}\n"
     "glb: {capacity_bytes: 99999999999999999999999}\n"
     "dram: {bandwidth_gbps: 1}\n",
     "u64.yaml:7:23: error: glb.capacity_bytes: got 99999999999999999999999, "
     "which overflows 64 bits, expected an integer in [0, "
     "1125899906842624]\n",
     "cfg.range"},
    /* cross-key checks, each at its key */
    {ARCH, "both.yaml",
     "name: t\nclock_mhz: 200\npe_array:\n  rows: 12\n  cols: 14\n"
     "  scratchpad: {weights: 224, shared: 12}\n"
     "glb: {capacity_bytes: 0, holds: [inputs]}\n"
     "dram: {bandwidth_gbps: 1, latency_ns: 5, latency_cycles: 3}\n",
     "both.yaml:6:38: error: pe_array.scratchpad.shared: given together with "
     "per-data-space sizes, expected either shared or "
     "weights/inputs/outputs\n"
     "both.yaml:7:33: error: glb.holds: holds inputs but capacity_bytes is 0, "
     "expected [] for a GLB without capacity\n"
     "both.yaml:8:39: error: dram.latency_ns: given together with "
     "latency_cycles, expected only one of them\n",
     "cfg.conflict cfg.conflict cfg.conflict"},
    /* several problems: all reported, in file order */
    {ARCH, "many.yaml",
     "name: t\nclock_mhz: -1\npe_array:\n  rows: 0\n  colls: 14\n"
     "  scratchpad: {weights: x, inputs: 12, outputs: 24}\n"
     "glb: {capacity_bytes: 1024, holds: [filters]}\n"
     "dram: {bandwidth_gbps: 1}\nextra: 1\n",
     "many.yaml:2:12: error: clock_mhz: got -1, expected a number in [0.001, "
     "1e+06]\n"
     "many.yaml:4:3: error: pe_array.cols: missing required key, expected an "
     "integer in [1, 4096]\n"
     "many.yaml:4:9: error: pe_array.rows: got 0, expected an integer in [1, "
     "4096]\n"
     "many.yaml:5:3: error: pe_array.colls: unknown key, expected one of "
     "rows, cols, mac_latency_cycles, halo, stream, scratchpad; did you mean 'cols'?\n"
     "many.yaml:6:25: error: pe_array.scratchpad.weights: got 'x', expected "
     "an integer in [0, 4294967296]\n"
     "many.yaml:7:37: error: glb.holds[0]: got 'filters', expected one of "
     "weights, inputs, outputs\n"
     "many.yaml:9:1: error: extra: unknown key, expected one of name, "
     "clock_mhz, word_bits, pe_array, noc, glb, dram, energy, area\n",
     "cfg.range cfg.missing cfg.range cfg.unknown_key cfg.type cfg.enum cfg.unknown_key"},
    /* inconsistent layer: H does not match P, R, stride, padding */
    {WL, "h.yaml",
     "name: n\nlayers:\n  - {name: a, M: 4, C: 3, H: 28, W: 27, R: 5, S: 5, "
     "padding: 2, P: 27, Q: 27}\n",
     "h.yaml:3:30: error: layers[0].H: got 28, expected 27, from P = "
     "floor((H + 2*padding - (R-1)*dilation - 1) / U) + 1 with P=27, U=1, "
     "R=5, dilation=1, padding=2\n",
     "cfg.value"},
    /* non-positive size */
    {WL, "zero.yaml", "name: n\nlayers:\n  - {name: a, M: 0, C: 3, P: 4, Q: 4}\n",
     "zero.yaml:3:18: error: layers[0].M: got 0, expected an integer in [1, "
     "1099511627776]\n",
     "cfg.range"},
    /* products overflow 64 bits */
    {WL, "ovf.yaml",
     "name: n\nlayers:\n  - {name: a, M: 1099511627776, C: 1099511627776, "
     "P: 1099511627776, Q: 4}\n",
     "ovf.yaml:3:5: error: layers[0]: MACs (N*G*M*C*P*Q*R*S) overflow 64 "
     "bits, expected a layer whose counts fit in 64 bits\n",
     "cfg.range"},
    /* gemm with conv keys */
    {WL, "gemm.yaml",
     "name: n\nlayers:\n  - {name: g, type: gemm, m: 4, n: 5, k: 6, C: 3}\n",
     "gemm.yaml:3:48: error: layers[0].C: not allowed in a gemm layer, "
     "expected m, n, k (and G)\n",
     "cfg.conflict"},
    /* duplicate layer names */
    {WL, "dupname.yaml",
     "name: n\nlayers:\n  - {name: a, M: 4, C: 3, P: 4, Q: 4}\n"
     "  - {name: a, M: 4, C: 3, P: 4, Q: 4}\n",
     "dupname.yaml:4:12: error: layers[1].name: duplicate layer name 'a' "
     "(first at layers[0]), expected unique names\n",
     "cfg.duplicate"},
    {WL, "fc.yaml", "name: n\nlayer: {name: f, type: fc, M: 10, C: 3, P: 2}\n",
     "fc.yaml:2:44: error: layer.P: got 2, expected 1 for an fc layer\n",
     "cfg.value"},
    {WL, "stride.yaml",
     "name: n\nlayer: {name: c, M: 10, C: 3, H: 8, W: 8, R: 3, S: 3, "
     "stride: [1, 2, 3]}\n",
     "stride.yaml:2:63: error: layer.stride: got a list of 3, expected an "
     "integer in [1, 65535] or a list [rows, cols] of them\n",
     "cfg.range"},
    {WL, "nolayers.yaml", "name: n\n",
     "nolayers.yaml:1:1: error: layers: missing required key, expected a "
     "list of layers (or one layer under layer:)\n",
     "cfg.missing"},
    /* bad mapping dim and axis */
    {MAP, "dim.yaml",
     "mapping:\n  dram: {temporal: [{dim: K, bound: 2}]}\n"
     "  spatial: [{dim: P, bound: 14, axis: z}]\n  rf: {bypass: [inputs]}\n",
     "dim.yaml:2:27: error: mapping.dram.temporal[0].dim: got 'K', expected "
     "one of N, G, M, C, P, Q, R, S\n"
     "dim.yaml:3:39: error: mapping.spatial[0].axis: got 'z', expected one "
     "of x, y\n",
     "cfg.enum cfg.enum"},
    {MAP, "drambyp.yaml",
     "mapping:\n  dram: {bypass: [weights]}\n"
     "  glb: {temporal: [{dim: M, bound: 0}]}\n",
     "drambyp.yaml:2:18: error: mapping.dram.bypass: got weights, expected "
     "[] (DRAM keeps every data space)\n"
     "drambyp.yaml:3:36: error: mapping.glb.temporal[0].bound: got 0, "
     "expected an integer in [1, 4294967295]\n",
     "map.bypass cfg.range"},
};

static void test_golden(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct golden *g = &cases[i];
        pesim_diags *d = pesim_diags_create();
        int rc;
        size_t len = strlen(g->text);
        if (g->kind == ARCH) {
            struct pesim_arch a;
            rc = pesim_arch_load_string(g->text, len, g->file, &a, d);
        } else if (g->kind == WL) {
            struct pesim_workload w = {0};
            rc = pesim_workload_load_string(g->text, len, g->file, &w, d);
            if (!rc)
                pesim_workload_free(&w);
        } else {
            struct pesim_mapping m;
            rc = pesim_mapping_load_string(g->text, len, g->file, &m, d);
        }
        char *got = diag_text(d);
        if (strcmp(got, g->want) != 0)
            print_error("case %s:\n got: %s\nwant: %s", g->file, got, g->want);
        assert_int_equal(rc, PESIM_E_INVALID);
        assert_string_equal(got, g->want);
        free(got);
        got = diag_codes(d);
        if (strcmp(got, g->codes) != 0)
            print_error("case %s:\n got: %s\nwant: %s\n", g->file, got, g->codes);
        assert_string_equal(got, g->codes);
        free(got);
        pesim_diags_destroy(d);
    }
}

struct set_case {
    const char *assignment;
    const char *want;
    const char *code;
};

static const struct set_case set_cases[] = {
    {"glb.capcity_bytes=1",
     "--set:1:5: error: glb.capcity_bytes: unknown key, expected one of "
     "capacity_bytes, banks, bank_words_per_cycle, read_ports, write_ports, "
     "holds, max_bytes, double_buffer, halo, interleaved; did you mean 'capacity_bytes'?\n",
     "cfg.unknown_key"},
    {"pe_array.rows=0",
     "--set:1:15: error: pe_array.rows: got 0, expected an integer in [1, "
     "4096]\n",
     "cfg.range"},
    {"glb.holds=[inputs, filters]",
     "--set:1:20: error: glb.holds[1]: got 'filters', expected one of "
     "weights, inputs, outputs\n",
     "cfg.enum"},
    {"glb.holds=[inputs",
     "--set:1:18: error: YAML syntax: did not find expected ',' or ']' while "
     "parsing a flow sequence, expected valid YAML\n",
     "yaml.syntax"},
    {"pe_array.rows.x=1",
     "--set:1:15: error: pe_array.rows.x: 'pe_array.rows' has no keys below "
     "it, expected the path to end there\n",
     "cfg.assign"},
    {"rows", "--set:1:1: error: got 'rows', expected KEY.PATH=VALUE\n",
     "cfg.assign"},
    {"pe_array.rows=",
     "--set:1:15: error: pe_array.rows: got nothing, expected an integer in "
     "[1, 4096]\n",
     "yaml.empty"},
    {"pe_array.scratchpad.shared=512",
     "--set:1:28: error: pe_array.scratchpad.shared: given together with "
     "per-data-space sizes, expected either shared or "
     "weights/inputs/outputs\n",
     "cfg.conflict"},
    {"glb.capacity_bytes=0",
     "--set:1:1: error: glb.holds: holds inputs but capacity_bytes is 0, "
     "expected [] for a GLB without capacity\n",
     "cfg.conflict"},
};

static void test_set_errors(void **state)
{
    (void)state;
    struct pesim_arch a, before;
    assert_int_equal(pesim_arch_load("eyeriss-v1", &a, NULL), 0);
    memcpy(&before, &a, sizeof a);
    for (size_t i = 0; i < sizeof set_cases / sizeof set_cases[0]; i++) {
        pesim_diags *d = pesim_diags_create();
        int rc = pesim_arch_set(&a, set_cases[i].assignment, d);
        /* the library leaves the file to the caller, who names the flag */
        for (size_t k = 0; k < pesim_diags_count(d); k++)
            assert_string_equal(pesim_diags_get(d, k)->file, "");
        pesim_diags_set_file(d, 0, "--set");
        char *got = diag_text(d);
        if (strcmp(got, set_cases[i].want) != 0)
            print_error("--set %s\n got: %s\nwant: %s",
                        set_cases[i].assignment, got, set_cases[i].want);
        assert_int_equal(rc, PESIM_E_INVALID);
        assert_string_equal(got, set_cases[i].want);
        free(got);
        got = diag_codes(d);
        assert_string_equal(got, set_cases[i].code);
        /* On error the architecture is unchanged. */
        assert_memory_equal(&a, &before, sizeof a);
        free(got);
        pesim_diags_destroy(d);
    }
}

static void test_notfound(void **state)
{
    (void)state;
    pesim_diags *d = pesim_diags_create();
    struct pesim_arch a;
    assert_int_equal(pesim_arch_load("no-such-arch", &a, d), PESIM_E_NOTFOUND);
    char *got = diag_text(d);
    assert_string_equal(got, "no-such-arch: error: no architecture preset or "
                             "readable file of that name, expected a path or "
                             "one of eyeriss-v1, generic-16x16, iso-256, eyeriss-v1-45nm, eyeriss-v1-spads, simba-like, "
                             "tpu-v1-like, gemmini-like\n");
    free(got);
    assert_int_equal(pesim_diags_get(d, 0)->code, PESIM_DIAG_NAME_UNKNOWN);
    pesim_diags_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_set_errors),
        cmocka_unit_test(test_notfound),
    };
    return cmocka_run_group_tests_name("config_errors", tests, NULL, NULL);
}
