/* End-to-end runs of the pesim binary: exit codes, help and suggestions,
 * the README's main job and its JSON keys, determinism at any thread
 * count, progress, atomic -o, CSV shape (the docs' own commands:
 * docs_commands.py). */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <yaml.h>

#include "pesim.h"
#include "proc.h"

#define MAIN_JOB "compare", "--arch", "eyeriss-v1", "--workload", "alexnet", \
                 "--layers", "conv", "--batch", "4"

/* The main job in one format (NULL: the default text), run once per format
 * and shared by the tests that read it: it is the suite's slowest command
 * (every dataflow, each layer's best candidates run on the engine). Each
 * call returns the caller's own copy. */
static struct proc_result main_job(const char *fmt)
{
    static struct proc_result cache[3];
    static bool have[3];
    unsigned k = !fmt ? 0 : strcmp(fmt, "json") == 0 ? 1 : 2;
    if (!have[k]) {
        cache[k] = fmt ? RUN(MAIN_JOB, "--format", fmt) : RUN(MAIN_JOB);
        have[k] = true;
    }
    struct proc_result r = cache[k];
    r.out = malloc(r.out_len + 1);
    r.err = malloc(r.err_len + 1);
    assert_non_null(r.out);
    assert_non_null(r.err);
    memcpy(r.out, cache[k].out, r.out_len + 1);
    memcpy(r.err, cache[k].err, r.err_len + 1);
    return r;
}

/* ---- small JSON reader on top of libyaml (JSON is YAML here) ---------- */

struct json {
    yaml_document_t doc;
    bool ok;
};

static void json_load(struct json *j, const char *text, size_t len)
{
    yaml_parser_t p;
    j->ok = false;
    assert_true(yaml_parser_initialize(&p));
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    j->ok = yaml_parser_load(&p, &j->doc) && yaml_document_get_root_node(&j->doc);
    yaml_parser_delete(&p);
    assert_true(j->ok);
}

static void json_free(struct json *j)
{
    if (j->ok)
        yaml_document_delete(&j->doc);
}

static yaml_node_t *root(struct json *j) { return yaml_document_get_root_node(&j->doc); }

static const char *scalar(yaml_node_t *n)
{
    assert_non_null(n);
    assert_int_equal(n->type, YAML_SCALAR_NODE);
    return (const char *)n->data.scalar.value;
}

static yaml_node_t *get(struct json *j, yaml_node_t *n, const char *key)
{
    assert_non_null(n);
    assert_int_equal(n->type, YAML_MAPPING_NODE);
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
         p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(&j->doc, p->key);
        if (strcmp(scalar(k), key) == 0)
            return yaml_document_get_node(&j->doc, p->value);
    }
    fail_msg("missing key '%s'", key);
    return NULL;
}

static size_t count(yaml_node_t *n)
{
    assert_non_null(n);
    if (n->type == YAML_SEQUENCE_NODE)
        return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    assert_int_equal(n->type, YAML_MAPPING_NODE);
    return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
}

static yaml_node_t *item(struct json *j, yaml_node_t *n, size_t i)
{
    assert_true(i < count(n));
    assert_int_equal(n->type, YAML_SEQUENCE_NODE);
    return yaml_document_get_node(&j->doc, n->data.sequence.items.start[i]);
}

static double num(yaml_node_t *n)
{
    const char *s = scalar(n);
    if (strcmp(s, "null") == 0)
        return NAN;
    char *end;
    double v = strtod(s, &end);
    if (*end)
        fail_msg("not a number: '%s'", s);
    return v;
}

static uint64_t u64(yaml_node_t *n)
{
    const char *s = scalar(n);
    if (!s[0] || strspn(s, "0123456789") != strlen(s))
        fail_msg("not an integer: '%s'", s);
    return strtoull(s, NULL, 10);
}

/* The object's keys, in order, are exactly `keys` (NULL-terminated). */
static void keys_are(struct json *j, yaml_node_t *n, const char *const *keys)
{
    size_t i = 0;
    assert_int_equal(n->type, YAML_MAPPING_NODE);
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
         p < n->data.mapping.pairs.top; p++, i++) {
        const char *k = scalar(yaml_document_get_node(&j->doc, p->key));
        if (!keys[i])
            fail_msg("unexpected key '%s'", k);
        if (strcmp(k, keys[i]) != 0)
            fail_msg("key %zu is '%s', expected '%s'", i, k, keys[i]);
    }
    if (keys[i])
        fail_msg("missing key '%s'", keys[i]);
}

static void close_to(double a, double b)
{
    if (fabs(a - b) > 1e-9 * fmax(1.0, fmax(fabs(a), fabs(b))))
        fail_msg("%.17g != %.17g", a, b);
}

/* ---- the documented keys (docs/cli.md) -------------------------------- */

static const char *const layer_keys[] = {
    "name", "kind", "dims", "stride", "padding", "dilation", "same_as", "macs", "cycles",
    "ideal_cycles", "bound", "bound_cycles", "latency_us", "engine", "stalls",
    "active_pes", "pes", "utilization", "energy", "accesses", "dram_link", "noc",
    "steady_cycles", "stalls_by_site", "throttling", "mapping", NULL};
static const char *const total_keys[] = {
    "name", "macs", "cycles", "ideal_cycles", "bound", "bound_cycles",
    "latency_us", "engine", "stalls", "active_pes", "pes", "utilization", "energy",
    "accesses", "dram_link", "noc", "steady_cycles", "stalls_by_site", "throttling", NULL};
static const char *const stall_keys[] = {"compute", "fill_drain", "dram_bandwidth",
                                         "dram_latency", "glb", "noc", NULL};
static const char *const dims_keys[] = {"N", "G", "M", "C", "P", "Q", "R", "S", NULL};
static const char *const pair_keys[] = {"rows", "cols", NULL};
static const char *const bound_keys[] = {"compute", "dram", "glb", "noc", NULL};
static const char *const util_keys[] = {"spatial", "temporal", NULL};
static const char *const energy_keys[] = {"total", "per_mac", "unit", "by_level",
                                          "by_data", "breakdown", "leakage", NULL};
static const char *const elevel_keys[] = {"dram", "glb", "noc", "rf", "mac", NULL};
static const char *const breakdown_keys[] = {"dram", "glb", "noc", "rf", NULL};
static const char *const ds_keys[] = {"weights", "inputs", "outputs", NULL};
static const char *const level_keys[] = {"dram", "glb", "rf", NULL};
static const char *const access_keys[] = {"reads", "writes", "fills", "updates", "drains",
                                          "tile_words", NULL};
static const char *const noc_keys[] = {"weights", "inputs", "outputs",
                                       "spatial_reductions", NULL};
static const char *const noc_ds_keys[] = {"words", "sends", NULL};
static const char *const mapping_keys[] = {"dram", "glb", "spatial", "rf", NULL};
static const char *const mlevel_keys[] = {"temporal", "bypass", NULL};

/* Checks one layer (or total) object; returns its macs. */
static uint64_t check_result(struct json *j, yaml_node_t *r, bool total)
{
    keys_are(j, r, total ? total_keys : layer_keys);
    if (!total) {
        keys_are(j, get(j, r, "dims"), dims_keys);
        keys_are(j, get(j, r, "stride"), pair_keys);
        keys_are(j, get(j, r, "padding"), pair_keys);
        keys_are(j, get(j, r, "dilation"), pair_keys);
        yaml_node_t *m = get(j, r, "mapping");
        keys_are(j, m, mapping_keys);
        for (size_t i = 0; i < 4; i++)
            if (strcmp(mapping_keys[i], "spatial") != 0)
                keys_are(j, get(j, m, mapping_keys[i]), mlevel_keys);
        uint64_t macs = 1;
        for (size_t d = 0; dims_keys[d]; d++)
            macs *= u64(get(j, get(j, r, "dims"), dims_keys[d]));
        assert_int_equal(macs, u64(get(j, r, "macs")));
    } else {
        assert_string_equal(scalar(get(j, r, "name")), "total");
    }

    /* cycles is set by the named bound (for a total: summed per layer). */
    yaml_node_t *bc = get(j, r, "bound_cycles");
    keys_are(j, bc, bound_keys);
    const char *bound = scalar(get(j, r, "bound"));
    bool known = false;
    for (size_t b = 0; bound_keys[b]; b++)
        known |= strcmp(bound, bound_keys[b]) == 0;
    assert_true(known);
    /* The roofline's bounds never exceed the cycles; the analysis engine's
     * cycles are the largest of them, a cycle-level engine's are the sum of
     * the stalls. */
    uint64_t cycles = u64(get(j, r, "cycles")), max = 0, stall_sum = 0;
    for (size_t b = 0; bound_keys[b]; b++)
        max = u64(get(j, bc, bound_keys[b])) > max ? u64(get(j, bc, bound_keys[b])) : max;
    yaml_node_t *st = get(j, r, "stalls");
    keys_are(j, st, stall_keys);
    for (size_t k = 0; stall_keys[k]; k++)
        stall_sum += u64(get(j, st, stall_keys[k]));
    const char *engine = scalar(get(j, r, "engine"));
    if (strcmp(engine, "analysis") == 0) {
        if (!total) {
            assert_int_equal(cycles, max);
            assert_int_equal(cycles, u64(get(j, bc, bound)));
        }
        assert_int_equal(stall_sum, 0);
    } else {
        assert_true(strcmp(engine, "event") == 0 || strcmp(engine, "step") == 0);
        assert_true(total || cycles >= max);
        assert_int_equal(stall_sum, cycles);
        assert_int_equal(u64(get(j, st, "compute")), u64(get(j, r, "ideal_cycles")));
    }
    assert_true(u64(get(j, r, "active_pes")) <= u64(get(j, r, "pes")));
    keys_are(j, get(j, r, "utilization"), util_keys);
    (void)num(get(j, r, "latency_us"));

    yaml_node_t *e = get(j, r, "energy");
    keys_are(j, e, energy_keys);
    keys_are(j, get(j, e, "by_level"), elevel_keys);
    keys_are(j, get(j, e, "by_data"), ds_keys);
    keys_are(j, get(j, e, "breakdown"), breakdown_keys);
    double sum = num(get(j, e, "leakage"));
    for (size_t l = 0; elevel_keys[l]; l++)
        sum += num(get(j, get(j, e, "by_level"), elevel_keys[l]));
    close_to(num(get(j, e, "total")), sum);
    /* by_level (except MAC) = the breakdown summed over data spaces;
     * by_data = the breakdown summed over levels. */
    yaml_node_t *bd = get(j, e, "breakdown");
    for (size_t l = 0; breakdown_keys[l]; l++) {
        keys_are(j, get(j, bd, breakdown_keys[l]), ds_keys);
        double s = 0;
        for (size_t d = 0; ds_keys[d]; d++)
            s += num(get(j, get(j, bd, breakdown_keys[l]), ds_keys[d]));
        close_to(s, num(get(j, get(j, e, "by_level"), breakdown_keys[l])));
    }
    for (size_t d = 0; ds_keys[d]; d++) {
        double s = 0;
        for (size_t l = 0; breakdown_keys[l]; l++)
            s += num(get(j, get(j, bd, breakdown_keys[l]), ds_keys[d]));
        close_to(s, num(get(j, get(j, e, "by_data"), ds_keys[d])));
    }
    double macs = (double)u64(get(j, r, "macs"));
    if (macs > 0)
        close_to(num(get(j, e, "per_mac")), num(get(j, e, "total")) / macs);

    yaml_node_t *acc = get(j, r, "accesses");
    keys_are(j, acc, level_keys);
    for (size_t l = 0; level_keys[l]; l++) {
        keys_are(j, get(j, acc, level_keys[l]), ds_keys);
        for (size_t d = 0; ds_keys[d]; d++) {
            yaml_node_t *a = get(j, get(j, acc, level_keys[l]), ds_keys[d]);
            keys_are(j, a, access_keys);
            assert_int_equal(u64(get(j, a, "writes")),
                             u64(get(j, a, "fills")) + u64(get(j, a, "updates")));
        }
    }
    yaml_node_t *noc = get(j, r, "noc");
    keys_are(j, noc, noc_keys);
    for (size_t d = 0; ds_keys[d]; d++)
        keys_are(j, get(j, noc, ds_keys[d]), noc_ds_keys);
    return u64(get(j, r, "macs"));
}

/* layers + total of one dataflow: totals are the sums of the layers. */
static void check_run(struct json *j, yaml_node_t *run, size_t want_layers)
{
    yaml_node_t *layers = get(j, run, "layers");
    yaml_node_t *total = get(j, run, "total");
    assert_int_equal(count(layers), want_layers);
    uint64_t macs = 0, cycles = 0, dram_reads = 0;
    double energy = 0;
    for (size_t i = 0; i < count(layers); i++) {
        yaml_node_t *l = item(j, layers, i);
        macs += check_result(j, l, false);
        cycles += u64(get(j, l, "cycles"));
        energy += num(get(j, get(j, l, "energy"), "total"));
        dram_reads += u64(get(j, get(j, get(j, get(j, l, "accesses"), "dram"),
                                     "inputs"), "reads"));
    }
    assert_int_equal(check_result(j, total, true), macs);
    assert_int_equal(u64(get(j, total, "cycles")), cycles);
    close_to(num(get(j, get(j, total, "energy"), "total")), energy);
    assert_int_equal(u64(get(j, get(j, get(j, get(j, total, "accesses"), "dram"),
                                    "inputs"), "reads")),
                     dram_reads);
}

/* ---- tests ------------------------------------------------------------ */



static void test_version(void **state)
{
    (void)state;
    struct proc_result r = RUN("--version");
    char want[64];
    snprintf(want, sizeof want, "pesim %s\n", pesim_version());
    proc_expect(&r, 0, NULL, NULL);
    assert_string_equal(r.out, want);
    proc_free(&r);
}

static void test_help(void **state)
{
    (void)state;
    struct {
        const char *a, *b, *has;
    } cases[] = {
        {"help", NULL, "usage: pesim <command>"},
        {"--help", NULL, "usage: pesim <command>"},
        {"help", "run", "usage: pesim run"},
        {"help", "compare", "usage: pesim compare"},
        {"run", "--help", "usage: pesim run"},
        {"compare", "--help", "usage: pesim compare"},
        {"run", "-h", "--mapping FILE"},
        {"compare", "--help", "example:"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct proc_result r = RUN(cases[i].a, cases[i].b);
        proc_expect(&r, 0, cases[i].has, NULL);
        assert_int_equal(r.err_len, 0);
        proc_free(&r);
    }
    /* Every option of run is in its help. */
    struct proc_result r = RUN("run", "--help");
    const char *opts[] = {"--arch", "--workload", "--layer ", "--layers", "--batch",
                          "--dataflow", "--mapping", "--set", "--format", "-o",
                          "--help", "example:"};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        proc_expect(&r, 0, opts[i], NULL);
    proc_free(&r);
}

/* The long options a help text lists: every "--name" in the option
 * column (the first 23 characters of a line that starts "  -"). */
static size_t help_options(const char *help, char names[][32], size_t max)
{
    size_t n = 0;
    for (const char *line = help; line && *line; line = strchr(line, '\n'), line += !!line) {
        if (strncmp(line, "  -", 3) != 0)
            continue;
        for (const char *p = line; p < line + 23 && *p && *p != '\n'; p++) {
            if (strncmp(p, "--", 2) != 0 || p[-1] != ' ' || n == max)
                continue;
            size_t len = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz0123456789-") + 2;
            snprintf(names[n++], sizeof names[0], "%.*s", (int)len, p);
            p += len - 1;
        }
    }
    return n;
}

/* Every command and subcommand prints its usage on stdout for --help and
 * -h and exits 0; every option its help lists, misspelt (a letter put in
 * after the dashes), is met with "did you mean" that option, exit 2; a
 * misspelt command with the command. */
static void test_help_everywhere(void **state)
{
    (void)state;
    static const char *const cmds[][2] = {
        {"run", NULL}, {"compare", NULL}, {"map", NULL}, {"import", NULL},
        {"report", NULL}, {"sweep", NULL}, {"sweep", "merge"}, {"sweep", "pareto"},
    };
    for (size_t c = 0; c < sizeof cmds / sizeof cmds[0]; c++) {
        char usage[64], names[40][32];
        snprintf(usage, sizeof usage, "usage: pesim %s%s%s", cmds[c][0], cmds[c][1] ? " " : "",
                 cmds[c][1] ? cmds[c][1] : "");
        struct proc_result h = cmds[c][1] ? RUN(cmds[c][0], cmds[c][1], "-h") : RUN(cmds[c][0], "-h");
        proc_expect(&h, 0, usage, NULL);
        assert_int_equal(h.err_len, 0);
        struct proc_result h2 = cmds[c][1] ? RUN(cmds[c][0], cmds[c][1], "--help")
                                           : RUN(cmds[c][0], "--help");
        proc_expect(&h2, 0, usage, NULL);
        assert_string_equal(h.out, h2.out);
        size_t n = help_options(h.out, names, 40);
        assert_true(n >= 2);
        for (size_t i = 0; i < n; i++) {
            char typo[40], want[2800];
            snprintf(typo, sizeof typo, "--q%s", names[i] + 2);
            snprintf(want, sizeof want, "unknown option '%s'; did you mean '%s'?", typo, names[i]);
            struct proc_result r = cmds[c][1] ? RUN(cmds[c][0], cmds[c][1], typo)
                                              : RUN(cmds[c][0], typo);
            proc_expect(&r, 2, NULL, want);
            proc_free(&r);
        }
        proc_free(&h);
        proc_free(&h2);
    }
    struct proc_result r = RUN("comapre");
    proc_expect(&r, 2, NULL, "pesim: error: unknown command 'comapre'; did you mean 'compare'?");
    proc_free(&r);
    r = RUN("run", "--dataflw", "ws");
    proc_expect(&r, 2, NULL, "pesim run: error: unknown option '--dataflw'; did you mean "
                "'--dataflow'?\n");
    assert_null(strstr(r.err, "'ws'"));
    proc_free(&r);
}

static void test_bad_input_exits_2(void **state)
{
    (void)state;
    struct {
        const char *args[12];
        const char *err_has;
    } cases[] = {
        {{NULL}, "usage: pesim"},
        {{"frobnicate"}, "unknown command 'frobnicate'"},
        {{"help", "frobnicate"}, "unknown command"},
        {{"run", "--bogus", "--arch", "eyeriss-v1", "--workload", "alexnet"},
         "pesim run: error: unknown option '--bogus'"},
        {{"run", "--workload", "alexnet"}, "missing --arch"},
        {{"run", "--arch", "eyeriss-v1"}, "missing --workload"},
        {{"run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--format", "xml"},
         "--format: expected one of text, json, csv, got 'xml'"},
        {{"run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--batch", "0"},
         "--batch: expected a positive integer"},
        {{"run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--batch", "-3"},
         "--batch: expected a positive integer"},
        {{"run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--dataflow", "zz"},
         "unknown dataflow 'zz'"},
        {{"run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--batch"},
         "--batch: missing value"},
        {{"compare", "--arch", "eyeriss-v1", "--workload", "alexnet", "--dataflow", "ws"},
         "unknown option '--dataflow'"},
        {{"run", "--arch", "no-such-arch", "--workload", "alexnet"}, "error:"},
        {{"run", "--arch", "eyeriss-v1", "--workload", "no-such-net"}, "error:"},
        {{"run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layers", "nosuchlayer"},
         "error:"},
        {{"run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--set", "no.such.key=1"},
         "error:"},
        {{"run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layers", "conv",
          "--mapping", "none.yaml"},
         "none.yaml: error: cannot read the file"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct proc_result r = proc_run(cases[i].args);
        proc_expect(&r, 2, NULL, cases[i].err_has);
        assert_int_equal(r.out_len, 0);
        proc_free(&r);
    }
}

/* A GLB of 16 bytes holds no tile of CONV1: the mapper finds nothing. */
static void test_simulation_failure_exits_1(void **state)
{
    (void)state;
    char dir[] = "/tmp/pesim-test-nomap-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512];
    snprintf(path, sizeof path, "%s/out.json", dir);
    struct proc_result r = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet",
                               "--layers", "CONV1", "--set", "glb.capacity_bytes=2",
                               "--format", "json", "-o", path);
    proc_expect(&r, 1, NULL, "ws: error: layer CONV1: no valid mapping (PESIM_E_NOMAP)");
    assert_int_equal(r.out_len, 0);
    proc_free(&r);
    /* With threads, the first failing layer in layer order is reported,
     * exactly as without. */
    struct proc_result serial = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet",
                                    "--set", "glb.capacity_bytes=2");
    struct proc_result par = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet",
                                 "--set", "glb.capacity_bytes=2", "--threads", "2");
    proc_expect(&serial, 1, NULL, "layer CONV1");
    proc_expect(&par, 1, NULL, "layer CONV1");
    assert_string_equal(serial.err, par.err);
    proc_free(&serial);
    proc_free(&par);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(rmdir(dir), 0); /* empty: no temporary left either */

    r = RUN("compare", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layers",
            "CONV1", "--set", "glb.capacity_bytes=2");
    proc_expect(&r, 1, NULL, "PESIM_E_NOMAP");
    /* Every dataflow is tried: each one reports its failure. */
    for (size_t i = 0; i < pesim_df_count(); i++) {
        char want[64];
        snprintf(want, sizeof want, "%s: error: layer CONV1: no valid mapping",
                 pesim_df_name(pesim_df_get(i)));
        proc_expect(&r, 1, NULL, want);
    }
    assert_int_equal(r.out_len, 0);
    proc_free(&r);
}

/* The shipped example mapping is the one the ws mapper picks for CONV1:
 * running it explicitly gives the same numbers, under dataflow "mapping". */
static void test_explicit_mapping(void **state)
{
    (void)state;
    struct proc_result a = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet",
                               "--layer", "CONV1", "--format", "csv");
    struct proc_result b = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet",
                               "--layer", "CONV1", "--format", "csv", "--mapping",
                               "docs/examples/conv1-ws.yaml");
    proc_expect(&a, 0, "\nws,latency,CONV1,", NULL);
    proc_expect(&b, 0, "\nmapping,explicit mapping,CONV1,", NULL);
    /* The same layer row once the dataflow and objective columns are set
     * aside. */
    char *ra = strstr(a.out, "\nws,latency,") + 11;
    char *rb = strstr(b.out, "\nmapping,explicit mapping,") + 25;
    *strchr(ra, '\n') = '\0';
    *strchr(rb, '\n') = '\0';
    assert_string_equal(ra, rb);
    proc_free(&a);
    proc_free(&b);
}

/* A whole network simulates each distinct layer shape once: repeated
 * shapes copy the first one's result, say so (same_as, and a note in the
 * text), and the total counts every layer. */
static void test_repeated_shapes(void **state)
{
    (void)state;
    struct proc_result r = RUN("run", "--arch", "eyeriss-v1", "--workload",
                               "docs/examples/repeats.yaml", "--dataflow", "rs", "--format", "json");
    proc_expect(&r, 0, "\"same_as\": \"a\"", NULL);
    struct json j;
    json_load(&j, r.out, strlen(r.out));
    yaml_node_t *layers = get(&j, root(&j), "layers");
    assert_int_equal(count(layers), 4);
    const char *same[4] = {"", "a", "", "a"};
    uint64_t cycles[4];
    for (size_t i = 0; i < 4; i++) {
        yaml_node_t *l = item(&j, layers, i);
        assert_string_equal(scalar(get(&j, l, "same_as")), same[i]);
        cycles[i] = u64(get(&j, l, "cycles"));
    }
    assert_int_equal(cycles[1], cycles[0]);
    assert_int_equal(cycles[3], cycles[0]);
    assert_int_equal(u64(get(&j, get(&j, root(&j), "total"), "cycles")),
                     3 * cycles[0] + cycles[2]);
    json_free(&j);
    struct proc_result t = RUN("run", "--arch", "eyeriss-v1", "--workload",
                               "docs/examples/repeats.yaml", "--dataflow", "rs", "--threads", "2");
    proc_expect(&t, 0, "(=) 2 of 4 layers repeat the shape of an earlier layer", NULL);
    proc_expect(&t, 0, "\nb (=) ", NULL);
    proc_free(&r);
    proc_free(&t);
}

/* Acceptance of issue 5: ResNet-50 at batch 1 runs whole on eyeriss-v1
 * with every dataflow, at cycle level; every run has the 54 layers, sums
 * to its total, and does He et al.'s 3,857,973,248 MACs. */
static void test_resnet50_every_dataflow(void **state)
{
    (void)state;
    struct proc_result r = RUN("compare", "--arch", "eyeriss-v1", "--workload", "resnet50",
                               "--threads", "2", "--format", "json");
    proc_expect(&r, 0, NULL, NULL);
    struct json j;
    json_load(&j, r.out, strlen(r.out));
    yaml_node_t *dfs = get(&j, root(&j), "dataflows");
    assert_int_equal(count(dfs), pesim_df_count());
    for (size_t i = 0; i < count(dfs); i++) {
        yaml_node_t *run = item(&j, dfs, i);
        check_run(&j, run, 54);
        assert_int_equal(u64(get(&j, get(&j, run, "total"), "macs")), 3857973248u);
        assert_string_equal(scalar(get(&j, get(&j, run, "total"), "engine")), "event");
    }
    json_free(&j);
    proc_free(&r);
}

/* --trace writes a trace of the same run (valid per tests/sim/test_trace.c)
 * without changing the report; bad uses exit 2 and write nothing. */
static void test_trace_option(void **state)
{
    (void)state;
    char path[] = "/tmp/pesim-trace-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct proc_result a = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layer",
                               "CONV1", "--dataflow", "rs", "--format", "csv", "--trace", path,
                               "--trace-window", "0:20000");
    struct proc_result b = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layer",
                               "CONV1", "--dataflow", "rs", "--format", "csv");
    proc_expect(&a, 0, "\nrs,latency,CONV1,", NULL);
    proc_expect(&b, 0, "\nrs,latency,CONV1,", NULL);
    assert_string_equal(a.out, b.out);
    size_t len = 0;
    char *t = proc_read_file(path, &len);
    assert_non_null(t);
    assert_non_null(strstr(t, "\"traceEvents\": ["));
    assert_non_null(strstr(t, "\"name\": \"DRAM channel\""));
    assert_true(len > 1000 && len < 20000000);
    free(t);
    unlink(path);
    struct proc_result c = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layer",
                               "CONV1", "--engine", "analysis", "--trace", path);
    proc_expect(&c, 2, NULL, "--trace: needs the event engine, got --engine analysis");
    struct proc_result e = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layer",
                               "CONV1", "--trace", "/dev/null/t.json");
    proc_expect(&e, 2, NULL, "/dev/null/t.json: error: cannot write the output: Not a directory");
    assert_int_equal(e.out_len, 0);
    struct proc_result w = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layer",
                               "CONV1", "--trace", path, "--trace-window", "9:3");
    proc_expect(&w, 2, NULL, "--trace-window: expected FROM:TO in cycles with FROM < TO");
    assert_int_equal(access(path, F_OK), -1);
    proc_free(&a);
    proc_free(&b);
    proc_free(&c);
    proc_free(&e);
    proc_free(&w);
}

/* pesim import writes pesim's YAML that loads back to the same run;
 * bad invocations exit 2 with a message. */
static void test_import(void **state)
{
    (void)state;
    char path[] = "/tmp/pesim-import-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct proc_result a = RUN("import", "docs/examples/repeats.yaml", "-o", path);
    proc_expect(&a, 0, NULL, NULL);
    struct proc_result x = RUN("run", "--arch", "eyeriss-v1", "--workload",
                               "docs/examples/repeats.yaml", "--format", "csv");
    struct proc_result y = RUN("run", "--arch", "eyeriss-v1", "--workload", path, "--format", "csv");
    proc_expect(&x, 0, "\nws,latency,d,", NULL);
    proc_expect(&y, 0, "\nws,latency,d,", NULL);
    assert_string_equal(x.out, y.out);
    struct proc_result n = RUN("import");
    proc_expect(&n, 2, NULL, "missing FILE");
    struct proc_result m = RUN("import", "/nonexistent/net.csv");
    proc_expect(&m, 2, NULL, "/nonexistent/net.csv: error: cannot read the scalesim file");
    struct proc_result h = RUN("help", "import");
    proc_expect(&h, 0, "usage: pesim import FILE", NULL);
    unlink(path);
    proc_free(&a);
    proc_free(&x);
    proc_free(&y);
    proc_free(&n);
    proc_free(&m);
    proc_free(&h);
}

static void test_main_job_json(void **state)
{
    (void)state;
    struct proc_result r = main_job("json");
    proc_expect(&r, 0, NULL, NULL);
    struct json j;
    json_load(&j, r.out, r.out_len);
    static const char *const top[] = {"pesim", "command", "arch", "workload", "objective",
                                      "derived", "dataflows", NULL};
    keys_are(&j, root(&j), top);
    assert_string_equal(scalar(get(&j, root(&j), "pesim")), pesim_version());
    assert_string_equal(scalar(get(&j, root(&j), "command")),
                        "pesim compare --arch eyeriss-v1 --workload alexnet --layers conv "
                        "--batch 4 --format json");
    assert_string_equal(scalar(get(&j, root(&j), "arch")), "eyeriss-v1");
    assert_string_equal(scalar(get(&j, root(&j), "workload")), "alexnet");
    yaml_node_t *dfs = get(&j, root(&j), "dataflows");
    assert_int_equal(count(dfs), pesim_df_count());
    static const char *const run_keys[] = {"dataflow", "layers", "total", "notes", NULL};
    for (size_t i = 0; i < count(dfs); i++) {
        yaml_node_t *d = item(&j, dfs, i);
        keys_are(&j, d, run_keys);
        assert_string_equal(scalar(get(&j, d, "dataflow")),
                            pesim_df_name(pesim_df_get(i)));
        check_run(&j, d, 5); /* alexnet has five conv layers */
        yaml_node_t *l0 = item(&j, get(&j, d, "layers"), 0);
        assert_int_equal(u64(get(&j, get(&j, l0, "dims"), "N")), 4);
        assert_string_equal(scalar(get(&j, l0, "kind")), "conv");
    }
    json_free(&j);
    proc_free(&r);
}

/* `pesim map` prints YAML that `pesim run --mapping` accepts back: the run
 * of the printed mapping equals the dataflow's own run, row for row (but
 * for the dataflow column). */
static const char *skip_field(const char *line)
{
    const char *c = strchr(line, ',');
    return c ? c + 1 : line;
}

static void test_map_round_trip(void **state)
{
    (void)state;
    char path[4096];
    const char *build = getenv("PESIM_BUILD_ROOT");
    snprintf(path, sizeof path, "%s/map-round-trip.yaml", build ? build : ".");
    struct proc_result m = RUN("map", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layer",
                               "CONV2", "--batch", "2", "--dataflow", "rs", "--objective", "edp",
                               "-o", path);
    proc_expect(&m, 0, NULL, NULL);
    proc_free(&m);
    struct proc_result a = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layer",
                               "CONV2", "--batch", "2", "--mapping", path, "--format", "csv");
    struct proc_result b = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layer",
                               "CONV2", "--batch", "2", "--dataflow", "rs", "--objective", "edp",
                               "--format", "csv");
    remove(path);
    proc_expect(&a, 0, NULL, NULL);
    proc_expect(&b, 0, NULL, NULL);
    /* compare line by line without the first two (dataflow, objective)
     * columns */
    char *pa = a.out, *pb = b.out;
    int lines = 0;
    while (*pa && *pb) {
        char *ea = strchr(pa, '\n'), *eb = strchr(pb, '\n');
        assert_non_null(ea);
        assert_non_null(eb);
        *ea = *eb = '\0';
        assert_string_equal(skip_field(skip_field(pa)), skip_field(skip_field(pb)));
        pa = ea + 1;
        pb = eb + 1;
        lines++;
    }
    assert_int_equal(lines, 3); /* header, CONV2, total */
    proc_free(&a);
    proc_free(&b);
    /* Several layers: a mapping per layer (`layers:`), which runs the same
     * whole selection; without an entry for a selected layer, exit 2. */
    m = RUN("map", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layers", "conv",
            "--dataflow", "rs", "-o", path);
    proc_expect(&m, 0, NULL, NULL);
    proc_free(&m);
    a = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layers", "conv",
            "--mapping", path, "--format", "csv");
    b = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layers", "conv",
            "--dataflow", "rs", "--format", "csv");
    struct proc_result miss = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet",
                                  "--mapping", path);
    struct proc_result one = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet",
                                 "--layers", "CONV1,CONV2", "--mapping",
                                 "docs/examples/conv1-ws.yaml");
    remove(path);
    proc_expect(&a, 0, "\nmapping,explicit mapping,CONV5,", NULL);
    proc_expect(&b, 0, NULL, NULL);
    proc_expect(&miss, 2, NULL, "error: no mapping for layer FC6, expected an entry {layer: FC6");
    proc_expect(&one, 2, NULL, "holds one mapping, but 2 layers are selected");
    pa = a.out;
    pb = b.out;
    lines = 0;
    while (*pa && *pb) {
        char *ea = strchr(pa, '\n'), *eb = strchr(pb, '\n');
        *ea = *eb = '\0';
        assert_string_equal(skip_field(skip_field(pa)), skip_field(skip_field(pb)));
        pa = ea + 1;
        pb = eb + 1;
        lines++;
    }
    assert_int_equal(lines, 7); /* header, CONV1-5, total */
    proc_free(&a);
    proc_free(&b);
    proc_free(&miss);
    proc_free(&one);
}

/* The README shows the main job's real output: it must stay the output. */
static void test_readme_output(void **state)
{
    (void)state;
    size_t len;
    char *readme = proc_read_file("README.md", &len);
    assert_non_null(readme);
    const char *at = strstr(readme, "Output of the main job");
    assert_non_null(at);
    const char *start = strstr(at, "```\n");
    assert_non_null(start);
    start += 4;
    const char *end = strstr(start, "```\n");
    assert_non_null(end);
    struct proc_result r = main_job(NULL);
    proc_expect(&r, 0, NULL, NULL);
    if (r.out_len != (size_t)(end - start) || memcmp(r.out, start, r.out_len) != 0) {
        print_error("README.md shows another output than the main job prints now:\n%s", r.out);
        fail();
    }
    proc_free(&r);
    free(readme);
}

static void test_run_json(void **state)
{
    (void)state;
    struct proc_result r = RUN("run", "--arch", "eyeriss-v1", "--workload",
                               "alexnet", "--format", "json");
    proc_expect(&r, 0, NULL, NULL);
    struct json j;
    json_load(&j, r.out, r.out_len);
    static const char *const top[] = {"pesim", "command", "arch", "workload", "objective",
                                      "derived", "dataflow", "layers", "total", "notes", NULL};
    keys_are(&j, root(&j), top);
    assert_string_equal(scalar(get(&j, root(&j), "dataflow")), "ws");
    assert_string_equal(scalar(get(&j, root(&j), "objective")), "latency");
    yaml_node_t *layers = get(&j, root(&j), "layers");
    assert_true(count(layers) >= 8); /* alexnet: five conv, three fc */
    check_run(&j, root(&j), count(layers));
    json_free(&j);
    proc_free(&r);
}

/* Remove JSON's "command" line (it names the options, --threads too). */
static void drop_command(struct proc_result *r)
{
    char *c = strstr(r->out, "\n  \"command\": ");
    if (!c)
        return;
    char *nl = strchr(c + 1, '\n');
    memmove(c, nl, strlen(nl) + 1);
    r->out_len = strlen(r->out);
}

static void test_deterministic(void **state)
{
    (void)state;
    const char *fmts[] = {"json", "csv", NULL};
    for (size_t i = 0; i < 3; i++) {
        /* the default (one thread per core) and one thread: the same
         * bytes (but for the command line JSON records) */
        struct proc_result a = main_job(fmts[i]);
        struct proc_result b = fmts[i] ? RUN(MAIN_JOB, "--format", fmts[i], "--threads", "1")
                                       : RUN(MAIN_JOB, "--threads", "1");
        proc_expect(&a, 0, NULL, NULL);
        proc_expect(&b, 0, NULL, NULL);
        drop_command(&a);
        drop_command(&b);
        assert_int_equal(a.out_len, b.out_len);
        assert_memory_equal(a.out, b.out, a.out_len);
        proc_free(&a);
        proc_free(&b);
    }
}

/* run and compare: the same bytes at --threads 1 and 2 (a network with
 * repeated shapes, so that repeats cross threads), with --progress,
 * --quiet or neither; --progress writes one line per report, each
 * "\rWHAT: D/T layers[ · DF I/N dataflows] · S s" padded over the last,
 * and clears it at the end. */
static void test_threads_and_progress(void **state)
{
    (void)state;
    static const char *const cmds[][3] = {{"run", "--dataflow", "rs"},
                                          {"compare", "--engine", "analysis"}};
    for (size_t c = 0; c < 2; c++) {
        struct proc_result r[4] = {
            RUN(cmds[c][0], "--arch", "eyeriss-v1", "--workload", "docs/examples/repeats.yaml",
                cmds[c][1], cmds[c][2], "--format", "csv", "--threads", "1"),
            RUN(cmds[c][0], "--arch", "eyeriss-v1", "--workload", "docs/examples/repeats.yaml",
                cmds[c][1], cmds[c][2], "--format", "csv", "--threads", "2", "--quiet"),
            RUN(cmds[c][0], "--arch", "eyeriss-v1", "--workload", "docs/examples/repeats.yaml",
                cmds[c][1], cmds[c][2], "--format", "csv", "--progress"),
            RUN(cmds[c][0], "--arch", "eyeriss-v1", "--workload", "docs/examples/repeats.yaml",
                cmds[c][1], cmds[c][2], "--format", "csv"),
        };
        for (size_t i = 0; i < 4; i++) {
            proc_expect(&r[i], 0, NULL, NULL);
            assert_int_equal(r[i].out_len, r[0].out_len);
            assert_memory_equal(r[i].out, r[0].out, r[0].out_len);
            if (i != 2)
                assert_int_equal(r[i].err_len, 0);
        }
        /* the last report: every layer (4), then a line of spaces */
        const char *err = r[2].err;
        char want[64];
        snprintf(want, sizeof want, "\r%s: 4/4 layers \xc2\xb7 ", cmds[c][0]);
        assert_non_null(strstr(err, want));
        assert_int_equal(err[0], '\r');
        assert_int_equal(err[r[2].err_len - 1], '\r');
        const char *clear = strrchr(err, '\r');
        while (clear > err && clear[-1] == ' ')
            clear--;
        assert_int_equal(clear[-1], '\r');
        assert_true(strstr(err, " s\r") || strstr(err, " s "));
        if (c == 1)
            assert_non_null(strstr(err, " \xc2\xb7 rs 7/7 dataflows \xc2\xb7 "));
        for (size_t i = 0; i < 4; i++)
            proc_free(&r[i]);
    }
}

static size_t count_char(const char *s, char c)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == c;
    return n;
}

static void test_csv_shape(void **state)
{
    (void)state;
    struct proc_result r = main_job("csv");
    proc_expect(&r, 0, "dataflow,objective,layer,kind,dims.N,", NULL);
    assert_non_null(strstr(r.out, ",accesses.glb.inputs.reads,"));
    assert_non_null(strstr(r.out, ",energy.by_level.dram,"));
    size_t lines = 0, cols = 0;
    for (char *line = r.out, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        assert_non_null(nl);
        *nl = '\0';
        /* No field is quoted in this output, so commas count columns. */
        assert_null(strchr(line, '"'));
        size_t c = count_char(line, ',') + 1;
        if (lines == 0)
            cols = c;
        assert_int_equal(c, cols);
        lines++;
    }
    assert_int_equal(lines, 1 + pesim_df_count() * (5 + 1));
    proc_free(&r);
}

static void test_text(void **state)
{
    (void)state;
    struct proc_result r = main_job(NULL);
    proc_expect(&r, 0, "dataflow", NULL);
    assert_non_null(strstr(r.out, "latency (ms)"));
    for (size_t i = 0; i < pesim_df_count(); i++) {
        char row[32];
        snprintf(row, sizeof row, "\n%s ", pesim_df_name(pesim_df_get(i)));
        assert_non_null(strstr(r.out, row));
    }
    proc_free(&r);
    r = RUN("run", "--arch", "eyeriss-v1", "--workload", "alexnet");
    proc_expect(&r, 0, "\ntotal ", NULL);
    assert_non_null(strstr(r.out, "\nCONV1 "));
    assert_non_null(strstr(r.out, "DRAM accesses (words)"));
    assert_non_null(strstr(r.out, "\nleakage "));
    proc_free(&r);
}

/* No file and no temporary is left behind by a failing run; a good run
 * writes exactly what stdout would have shown. */
/* A general-form architecture through compare (cycle-level), its JSON
 * (levels by name, by_class) and pesim report. */
static void test_general_form(void **state)
{
    (void)state;
    char dir[] = "/tmp/pesim-test-g-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char json[512], html[512];
    snprintf(json, sizeof json, "%s/s.json", dir);
    snprintf(html, sizeof html, "%s/s.html", dir);
    struct proc_result r = RUN("compare", "--arch", "simba-like", "--workload", "alexnet",
                               "--layers", "CONV3", "--format", "json", "-o", json);
    proc_expect(&r, 0, NULL, NULL);
    proc_free(&r);
    size_t len;
    char *text = proc_read_file(json, &len);
    assert_non_null(text);
    assert_non_null(strstr(text, "\"weight_regs\": {"));
    assert_non_null(strstr(text, "\"lane_noc\": "));
    assert_non_null(strstr(text, "\"by_class\": {"));
    assert_non_null(strstr(text, "\"levels\": ["));
    free(text);
    r = RUN("report", json, "-o", html);
    proc_expect(&r, 0, NULL, NULL);
    proc_free(&r);
    text = proc_read_file(html, &len);
    assert_non_null(text);
    assert_non_null(strstr(text, "simba-like"));
    free(text);
    unlink(json);
    unlink(html);
    rmdir(dir);
}

static void test_output_atomic(void **state)
{
    (void)state;
    char dir[] = "/tmp/pesim-test-o-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512];
    snprintf(path, sizeof path, "%s/out.json", dir);

    struct proc_result r = RUN("run", "--arch", "no-such-arch", "--workload",
                               "alexnet", "--format", "json", "-o", path);
    proc_expect(&r, 2, NULL, "error:");
    proc_free(&r);
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    for (struct dirent *e; (e = readdir(dp));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            fail_msg("left behind: %s", e->d_name);
    closedir(dp);

    r = RUN(MAIN_JOB, "--format", "json", "-o", path);
    proc_expect(&r, 0, NULL, NULL);
    assert_int_equal(r.out_len, 0);
    proc_free(&r);
    struct proc_result s = main_job("json");
    size_t len;
    char *file = proc_read_file(path, &len);
    assert_non_null(file);
    char *good = proc_read_file(path, NULL); /* the file as written */
    struct proc_result f = {.out = file, .out_len = len}; /* stdout's but for -o */
    drop_command(&f);
    drop_command(&s);
    assert_int_equal(f.out_len, s.out_len);
    assert_memory_equal(f.out, s.out, f.out_len);
    free(file);

    /* A later failing run leaves the earlier good file untouched. */
    r = RUN(MAIN_JOB, "--format", "json", "--set", "no.such.key=1", "-o", path);
    proc_expect(&r, 2, NULL, "error:");
    proc_free(&r);
    file = proc_read_file(path, &len);
    assert_non_null(file);
    assert_string_equal(file, good);
    free(file);
    free(good);
    proc_free(&s);

    size_t n = 0;
    dp = opendir(dir);
    for (struct dirent *e; (e = readdir(dp));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            assert_string_equal(e->d_name, "out.json");
            n++;
        }
    closedir(dp);
    assert_int_equal(n, 1);
    unlink(path);
    rmdir(dir);

    /* An output folder that cannot be made (a file is in the way) is bad
     * input; missing folders are made (tests/cli/test_hostile.c). */
    r = RUN(MAIN_JOB, "-o", "/dev/null/pesim/out.txt");
    proc_expect(&r, 2, NULL, "/dev/null/pesim/out.txt: error: cannot write the output: Not a "
           "directory");
    proc_free(&r);
}

/* A Timeloop design run with its own files (spec, mapping, problem, ERT)
 * and run from what `pesim import` writes of them (the spec priced with
 * --ert, the mapping) give the same report, byte for byte but the command
 * line (docs/timeloop.md). */
static void test_timeloop_import_round_trip(void **state)
{
    (void)state;
    char cwd[2048];
    const char *src = getenv("PESIM_SOURCE_ROOT");
    if (!src)
        src = getcwd(cwd, sizeof cwd);
    char dir[] = "/tmp/pesim-test-tl-XXXXXX";
    assert_non_null(mkdtemp(dir));
    static const char *const cases[] = {"simba-like", "tl04-cp", "tl00-1level"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char c[2600], cmd[32768];
        snprintf(c, sizeof c, "%s/tests/timeloop/cases/%s", src, cases[i]);
        int n = snprintf(cmd, sizeof cmd,
                 "pesim import %s/arch.yaml --ert %s/ERT.yaml -o a.yaml && "
                 "pesim import %s/map.txt --arch %s/arch.yaml --workload %s/prob.yaml -o m.yaml && "
                 "pesim run --arch %s/arch.yaml --mapping %s/map.yaml --workload %s/prob.yaml "
                 "--ert %s/ERT.yaml --engine analysis --format json | grep -v '\"command\"' > x.json && "
                 "pesim run --arch a.yaml --mapping m.yaml --workload %s/prob.yaml --engine analysis "
                 "--format json | grep -v '\"command\"' > y.json && cmp x.json y.json && "
                 "rm a.yaml m.yaml x.json y.json",
                 c, c, c, c, c, c, c, c, c, c);
        assert_true(n > 0 && (size_t)n < sizeof cmd);
        struct proc_result r = proc_sh(cmd, dir);
        if (r.status != 0)
            fprintf(stderr, "%s: %s%s", cases[i], r.out, r.err);
        assert_int_equal(r.status, 0);
        proc_free(&r);
    }
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_help_everywhere),
        cmocka_unit_test(test_bad_input_exits_2),
        cmocka_unit_test(test_simulation_failure_exits_1),
        cmocka_unit_test(test_explicit_mapping),
        cmocka_unit_test(test_readme_output),
        cmocka_unit_test(test_map_round_trip),
        cmocka_unit_test(test_repeated_shapes),
        cmocka_unit_test(test_import),
        cmocka_unit_test(test_trace_option),
        cmocka_unit_test(test_resnet50_every_dataflow),
        cmocka_unit_test(test_main_job_json),
        cmocka_unit_test(test_run_json),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_threads_and_progress),
        cmocka_unit_test(test_csv_shape),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_output_atomic),
        cmocka_unit_test(test_general_form),
        cmocka_unit_test(test_timeloop_import_round_trip),
    };
    return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
