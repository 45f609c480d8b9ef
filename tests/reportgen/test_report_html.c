/* pesim report end to end: the numbers behind every chart (the .dat files
 * kept with --keep-scripts) equal the run's JSON and add up to its totals;
 * the page names nothing outside itself; a missing gnuplot and bad inputs
 * exit 2 with the right message; the output is deterministic; a real
 * headless Chromium renders the README main job's page and a sweep's page
 * with no console error (skipped only when chromium is not installed). */
#include <math.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <yaml.h>

#include "../cli/proc.h"

static char dir[256]; /* the test's temporary folder */

static struct proc_result sh(const char *fmt, ...)
{
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    return proc_sh(line, dir);
}

static void sh_ok(const char *line)
{
    struct proc_result r = sh("%s", line);
    if (r.status != 0)
        fail_msg("'%s' exited %d: %s", line, r.status, r.err);
    proc_free(&r);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/pesim-test-report.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    struct proc_result r = sh("pesim compare --arch eyeriss-v1 --workload alexnet --layers conv "
                              "--batch 4 --format json -o c.json && "
                              "pesim report c.json -o report.html --keep-scripts keep");
    int st = r.status;
    if (st)
        fprintf(stderr, "%s", r.err);
    proc_free(&r);
    return st;
}

static int teardown(void **state)
{
    (void)state;
    struct proc_result r = sh("rm -rf '%s'", dir);
    proc_free(&r);
    return 0;
}

static char *slurp(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *s = proc_read_file(path, len);
    if (!s)
        fail_msg("cannot read %s", path);
    return s;
}

/* ---- the JSON, through libyaml ---------------------------------------- */

struct json {
    yaml_document_t doc;
};

static yaml_node_t *get(struct json *j, yaml_node_t *n, const char *key)
{
    assert_int_equal(n->type, YAML_MAPPING_NODE);
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(&j->doc, p->key);
        if (strcmp((const char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(&j->doc, p->value);
    }
    fail_msg("missing key %s", key);
    return NULL;
}

static double num(struct json *j, yaml_node_t *n, const char *path)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *k = strtok(buf, "."); k; k = strtok(NULL, "."))
        n = get(j, n, k);
    return strtod((const char *)n->data.scalar.value, NULL);
}

static yaml_node_t *item(struct json *j, yaml_node_t *seq, size_t i)
{
    assert_int_equal(seq->type, YAML_SEQUENCE_NODE);
    assert_true(seq->data.sequence.items.start + i < seq->data.sequence.items.top);
    return yaml_document_get_node(&j->doc, seq->data.sequence.items.start[i]);
}

static size_t len_of(yaml_node_t *seq)
{
    return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

static void json_load(struct json *j, const char *name)
{
    size_t len;
    char *text = slurp(name, &len);
    yaml_parser_t p;
    assert_true(yaml_parser_initialize(&p));
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    assert_true(yaml_parser_load(&p, &j->doc));
    yaml_parser_delete(&p);
    free(text);
}

/* ---- the .dat files ----------------------------------------------------- */

struct row {
    char key[2][64];
    double v[16];
    size_t nv;
};

/* Rows of block 0.. of a data file (all blocks but the scatter's repeat). */
static size_t dat_rows(const char *name, struct row *rows, size_t max, size_t nkeys)
{
    size_t len, n = 0;
    char *text = slurp(name, &len);
    for (char *line = strtok(text, "\n"); line && n < max; line = strtok(NULL, "\n")) {
        if (line[0] == '#') {
            if (strstr(line, "pareto front"))
                break;
            continue;
        }
        char *p = line;
        for (size_t k = 0; k < nkeys; k++) {
            p = strchr(p, '"');
            assert_non_null(p);
            char *q = strchr(p + 1, '"');
            assert_non_null(q);
            snprintf(rows[n].key[k], sizeof rows[n].key[k], "%.*s", (int)(q - p - 1), p + 1);
            p = q + 1;
        }
        rows[n].nv = 0;
        char *end;
        for (double v = strtod(p, &end); end != p; v = strtod(p, &end)) {
            rows[n].v[rows[n].nv++] = v;
            p = end;
        }
        n++;
    }
    free(text);
    return n;
}

static void near(double got, double want, const char *what)
{
    if (fabs(got - want) > 1e-9 * fmax(1, fabs(want)))
        fail_msg("%s: chart has %.17g, JSON %.17g", what, got, want);
}

/* Result of layer i of dataflow d, or the total when i == nlayers. */
static yaml_node_t *result(struct json *j, size_t d, size_t i, size_t *nlayers)
{
    yaml_node_t *df = item(j, get(j, yaml_document_get_root_node(&j->doc), "dataflows"), d);
    yaml_node_t *layers = get(j, df, "layers");
    *nlayers = len_of(layers);
    return i < *nlayers ? item(j, layers, i) : get(j, df, "total");
}

static void test_charts_equal_json(void **state)
{
    (void)state;
    static const char *const lv[] = {"dram", "glb", "noc", "rf", "mac"};
    static const char *const ds[] = {"weights", "inputs", "outputs"};
    static const char *const st[] = {"compute", "fill_drain", "dram_bandwidth",
                                     "dram_latency", "glb", "noc"};
    static struct row lvl[128], lvm[128], dat[128], cyc[128], us[32], ut[32], lat[32], dfr[16];
    struct json j;
    json_load(&j, "c.json");
    size_t ndf = len_of(get(&j, yaml_document_get_root_node(&j.doc), "dataflows")), nl;
    result(&j, 0, 0, &nl);
    /* Sums (energy, cycles, latency) have a group per layer; averages (per
     * MAC, utilization) also one for the network. */
    size_t rows = dat_rows("keep/energy-level.dat", lvl, 128, 2);
    assert_int_equal(rows, nl * ndf);
    assert_int_equal(dat_rows("keep/energy-level-per-mac.dat", lvm, 128, 2), (nl + 1) * ndf);
    assert_int_equal(dat_rows("keep/energy-data.dat", dat, 128, 2), rows);
    assert_int_equal(dat_rows("keep/cycles.dat", cyc, 128, 2), rows);
    assert_int_equal(dat_rows("keep/utilization-spatial.dat", us, 32, 1), nl + 1);
    assert_int_equal(dat_rows("keep/utilization-temporal.dat", ut, 32, 1), nl + 1);
    assert_int_equal(dat_rows("keep/latency.dat", lat, 32, 1), nl);
    assert_int_equal(dat_rows("keep/dataflows.dat", dfr, 16, 1), ndf);
    for (size_t i = 0; i <= nl; i++)
        for (size_t d = 0; d < ndf; d++) {
            size_t k = i * ndf + d, n;
            yaml_node_t *r = result(&j, d, i, &n);
            double total = num(&j, r, "energy.total"), macs = num(&j, r, "macs"), sum = 0;
            char path[64];
            for (int l = 0; l < 5; l++) {
                snprintf(path, sizeof path, "energy.by_level.%s", lv[l]);
                near(lvm[k].v[l] * macs, num(&j, r, path), path);
                sum += lvm[k].v[l] * macs;
            }
            near(sum, total, "levels per MAC sum to energy.total / macs");
            near(us[i].v[d], 100 * num(&j, r, "utilization.spatial"), "spatial");
            near(ut[i].v[d], 100 * num(&j, r, "utilization.temporal"), "temporal");
            if (i == nl) {
                near(dfr[d].v[0], num(&j, r, "energy.per_mac"), "dataflows energy/MAC");
                near(dfr[d].v[1], num(&j, r, "latency_us") / 1000, "dataflows latency");
                continue;
            }
            assert_int_equal(lvl[k].nv, 5); /* eyeriss-v1 has no leakage */
            sum = 0;
            for (int l = 0; l < 5; l++) {
                snprintf(path, sizeof path, "energy.by_level.%s", lv[l]);
                near(lvl[k].v[l], num(&j, r, path), path);
                sum += lvl[k].v[l];
            }
            near(sum, total, "levels sum to energy.total");
            sum = dat[k].v[3]; /* the MACs' energy */
            near(dat[k].v[3], num(&j, r, "energy.by_level.mac"), "mac");
            for (int s = 0; s < 3; s++) {
                snprintf(path, sizeof path, "energy.by_data.%s", ds[s]);
                near(dat[k].v[s], num(&j, r, path), path);
                sum += dat[k].v[s];
            }
            near(sum, total, "data spaces + MAC sum to energy.total");
            sum = 0;
            for (int s = 0; s < 6; s++) {
                snprintf(path, sizeof path, "stalls.%s", st[s]);
                near(cyc[k].v[s], num(&j, r, path), path);
                sum += cyc[k].v[s];
            }
            near(sum, num(&j, r, "cycles"), "stalls sum to cycles");
            near(lat[i].v[d], num(&j, r, "latency_us") / 1000, "latency");
        }
    yaml_document_delete(&j.doc);
}

static void test_html_self_contained(void **state)
{
    (void)state;
    size_t len;
    char *html = slurp("report.html", &len);
    static const char *const banned[] = {"http", "src=", "<script", "<link", "@import",
                                         "@font-face", "<img", "<iframe"};
    for (size_t i = 0; i < sizeof banned / sizeof banned[0]; i++)
        if (strstr(html, banned[i]))
            fail_msg("report.html contains '%s'", banned[i]);
    for (const char *p = strstr(html, "url("); p; p = strstr(p + 1, "url("))
        assert_true(strncmp(p, "url(data:", 9) == 0 || strncmp(p, "url(#", 5) == 0);
    assert_non_null(strstr(html, "pesim report c.json -o report.html"));
    assert_non_null(strstr(html, "eyeriss-v1"));
    assert_non_null(strstr(html, "alexnet"));
    assert_non_null(strstr(html, "<svg"));
    /* the objective, and the note that the ranking turns on the preset's
     * 1-word ifmap bus (item 4 of issue 18) */
    assert_non_null(strstr(html, "<th>objective</th><td>latency: each layer mapped for its "
                                 "fewest cycles"));
    assert_non_null(strstr(html, "noc.inputs.width_words = 1 (noc.inputs) bounds ws ("));
    assert_non_null(strstr(html, "but not rs, first by latency: the ranking turns on this "
                                 "value of eyeriss-v1&#39;s"));
    free(html);
}

static void test_no_gnuplot(void **state)
{
    (void)state;
    struct proc_result r = sh("/usr/bin/env PATH=/nonexistent '%s' report c.json -o none.html",
                              proc_pesim_path());
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "apt-get install gnuplot-nox"));
    char path[512];
    snprintf(path, sizeof path, "%s/none.html", dir);
    assert_int_equal(access(path, F_OK), -1);
    proc_free(&r);
}

static void expect_error(const char *content, const char *file, const char *want)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
    struct proc_result r = sh("pesim report %s -o bad.html", file);
    assert_int_equal(r.status, 2);
    if (!strstr(r.err, want))
        fail_msg("stderr '%s' lacks '%s'", r.err, want);
    proc_free(&r);
}

static void test_bad_inputs(void **state)
{
    (void)state;
    expect_error("hello\n", "text.json", "text.json:1:1: error: unknown input");
    expect_error("{\"a\": [1,\n", "broken.json", "broken.json:2:1: error: not valid JSON");
    expect_error("{\"a\": 1}\n", "shape.json", "shape.json:1:1: error: unknown input");
    expect_error("{\"dataflow\": \"ws\",\n \"layers\": [],\n \"total\": {\"name\": \"total\"}}\n",
                 "missing.json", "missing.json:3:11: error: missing key 'macs'");
    expect_error("id,a,b\n1,2,3\n", "nostatus.csv", "nostatus.csv:1:1: error: not a sweep");
    expect_error("id,a,status,reason,x\n1,2,ok,,3\n1,2\n", "short.csv",
                 "short.csv:3:1: error: expected 5 cells");
    struct proc_result r = sh("pesim report c.json --format gif");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--format: got 'gif'"));
    proc_free(&r);
}

/* Width and height from a PNG's IHDR. */
static void png_size(const char *name, unsigned *w, unsigned *h, size_t *len)
{
    unsigned char *p = (unsigned char *)slurp(name, len);
    assert_true(*len > 24 && memcmp(p + 1, "PNG", 3) == 0);
    *w = (unsigned)p[16] << 24 | (unsigned)p[17] << 16 | (unsigned)p[18] << 8 | p[19];
    *h = (unsigned)p[20] << 24 | (unsigned)p[21] << 16 | (unsigned)p[22] << 8 | p[23];
    free(p);
}

static void test_formats_deterministic(void **state)
{
    (void)state;
    sh_ok("pesim report c.json -o r.html --keep-scripts keep2 && mv r.html r0.html && "
          "pesim report c.json -o r.html --keep-scripts keep2 && cmp r0.html r.html"
          " && pesim report c.json --format pdf -o a/ && pesim report c.json --format pdf -o b/"
          " && cmp a/energy-level.pdf b/energy-level.pdf && grep -a -q 'D:19700101' "
          "a/energy-level.pdf && pesim report c.json --format svg -o fig- && "
          "pesim report c.json --format png -o png/ && cmp keep/energy-level.dat "
          "keep2/energy-level.dat");
    unsigned w, h;
    size_t len;
    png_size("png/latency.png", &w, &h, &len);
    assert_int_equal(w, 1050); /* 3.5 in at 300 dpi: the bars fit one column */
    png_size("png/energy-level-per-mac.png", &w, &h, &len);
    assert_true(w > 1050); /* 42 labelled bars do not: the figure grows */
    size_t n;
    char *svg = slurp("fig-dataflows.svg", &n);
    assert_null(strstr(svg, "Date")); /* no date */
    assert_null(strstr(svg, "date"));
    free(svg);
}

static bool have(const char *prog)
{
    struct proc_result r = sh("command -v %s", prog);
    bool ok = r.status == 0;
    proc_free(&r);
    return ok;
}

/* A headless Chromium screenshot of `page`: the size asked for, not blank,
 * and no console error. */
static void screenshot(const char *page, const char *png)
{
    struct proc_result r = sh("chromium --headless --no-sandbox --disable-gpu "
                              "--hide-scrollbars --screenshot=%s/%s --window-size=1200,2000 "
                              "--enable-logging=stderr --v=0 'file://%s/%s'",
                              dir, png, dir, page);
    assert_int_equal(r.status, 0);
    if (strstr(r.err, "Uncaught") || strstr(r.err, "ERROR:CONSOLE") ||
        strstr(r.err, ":CONSOLE("))
        fail_msg("console errors: %s", r.err);
    proc_free(&r);
    unsigned w, h;
    size_t len;
    png_size(png, &w, &h, &len);
    assert_int_equal(w, 1200);
    assert_int_equal(h, 2000);
    /* A blank 1200x2000 page compresses to about 6 kB; charts are far more. */
    if (len < 40000)
        fail_msg("%s looks blank (%zu bytes)", png, len);
}

static void test_chromium_main_job(void **state)
{
    (void)state;
    if (!have("chromium")) {
        fprintf(stderr, "skipped: chromium is not installed (apt-get install chromium)\n");
        skip();
    }
    screenshot("report.html", "main.png");
}

static void test_sweep_report(void **state)
{
    (void)state;
    char line[1024];
    snprintf(line, sizeof line,
             "pesim sweep '%s/docs/examples/sweep-shape.yaml' -o shape.csv --quiet && "
             "pesim sweep '%s/docs/examples/sweep-shape.yaml' -o shape.jsonl --format jsonl "
             "--quiet && pesim report shape.csv -o sweep.html --keep-scripts sk && "
             "pesim report shape.jsonl -o sweep2.html --keep-scripts sk2 && "
             "cmp sk/sweep-pareto.dat sk2/sweep-pareto.dat && "
             "pesim report shape.csv --x pe_array.cols --y pe_array.rows --metric cycles "
             "-o sweep3.html --keep-scripts sk3",
             getenv("PESIM_SOURCE_ROOT"), getenv("PESIM_SOURCE_ROOT"));
    sh_ok(line);
    static struct row heat[32], front[64];
    /* 12 points on four shapes: each heatmap cell is the best of 3 dataflows. */
    assert_int_equal(dat_rows("sk/sweep-heatmap.dat", heat, 32, 2), 4);
    size_t n = dat_rows("sk/sweep-pareto.dat", front, 64, 2), on = 0;
    assert_int_equal(n, 12);
    for (size_t i = 0; i < n; i++)
        on += front[i].v[2] > 0;
    assert_int_equal(on, 3); /* docs/sweeps.md: rs on 32x8, 16x16 and 12x14 */
    struct proc_result r = sh("pesim report shape.csv --metric nope -o x.html");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "metric nope: shape.csv has no numeric metric column"));
    proc_free(&r);
    if (have("chromium"))
        screenshot("sweep.html", "sweep.png");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_charts_equal_json),
        cmocka_unit_test(test_html_self_contained),
        cmocka_unit_test(test_no_gnuplot),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_formats_deterministic),
        cmocka_unit_test(test_chromium_main_job),
        cmocka_unit_test(test_sweep_report),
    };
    return cmocka_run_group_tests_name("reportgen", tests, setup, teardown);
}
