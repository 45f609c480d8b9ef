/* Hostile inputs end to end (issue 12; docs/cli.md, "Files and hostile
 * inputs"): names that gnuplot would run as code, through every input
 * format and every chart and figure format of pesim report, must run
 * nothing and still show in the page; -o onto a device, a FIFO, a folder,
 * an input of the same command, and into missing folders. */
#define _XOPEN_SOURCE 700 /* mknod */
#include <errno.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cmocka.h>

#include "proc.h"

static char dir[] = "/tmp/pesim-hostile-XXXXXX";
static char canary[96];

/* ---- helpers ------------------------------------------------------------ */

static void put(const char *name, const char *fmt, ...)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    assert_int_equal(fclose(f), 0);
}

static char *slurp(const char *name, size_t *len)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return proc_read_file(path, len);
}

static bool exists(const char *name)
{
    char path[1200];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &sb) == 0;
}

static void no_canary(const char *what)
{
    struct stat sb;
    if (stat(canary, &sb) == 0)
        fail_msg("%s: a name from an input ran as a command (%s exists)", what, canary);
}

/* Run a shell line in the scratch folder; check its status. */
static struct proc_result sh(int want, const char *fmt, ...)
{
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    struct proc_result r = proc_sh(line, dir);
    if (r.status != want)
        fail_msg("`%s`: exit %d, expected %d\nstderr: %s", line, r.status, want, r.err);
    return r;
}

static void sh_ok(const char *fmt, const char *arg)
{
    struct proc_result r = sh(0, fmt, arg);
    proc_free(&r);
}

static void expect_err(const char *line, const char *err)
{
    struct proc_result r = sh(2, "%s", line);
    if (!strstr(r.err, err))
        fail_msg("`%s`: stderr lacks '%s':\n%s", line, err, r.err);
    proc_free(&r);
}

/* The hostile names: a backquote command, a newline then gnuplot's `!`
 * shell escape, a `@` macro and system() in double quotes, a quote and a
 * trailing backslash, and HTML. Each would create the canary if gnuplot
 * (or a shell, or a browser) interpreted it. In YAML double quotes. */
static void write_workload(void)
{
    put("wl.yaml",
        "name: \"net`touch %s`\"\n"
        "layers:\n"
        "  - {name: \"c`touch %s`\", type: conv, M: 16, C: 8, H: 10, W: 10, R: 3, S: 3, "
        "P: 8, Q: 8}\n"
        "  - {name: \"x\\n!touch %s\\n\", type: conv, M: 16, C: 8, H: 10, W: 10, R: 3, "
        "S: 3, P: 8, Q: 8}\n"
        "  - {name: \"m\\\"@x system(\\\"touch %s\\\")\\\"'\\\\\", type: fc, M: 10, C: 20}\n"
        "  - {name: \"<img src=x onerror=alert(1)>&amp;\", type: fc, M: 10, C: 30}\n",
        canary, canary, canary, canary);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(canary, sizeof canary, "%s/pwned", dir);
    write_workload();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char line[700];
    snprintf(line, sizeof line, "rm -rf '%s'", dir);
    return system(line) == 0 ? 0 : -1;
}

/* Every chart of every format from one input; the HTML page shows the
 * label `shown` (HTML-escaped as it must appear in the page). */
static void report_all(const char *input, const char *shown)
{
    static const char *const fmts[] = {"svg", "pdf", "png"};
    char line[1024];
    snprintf(line, sizeof line, "pesim report %s -o page.html", input);
    struct proc_result r = sh(0, "%s", line);
    proc_free(&r);
    no_canary(line);
    size_t len;
    char *page = slurp("page.html", &len);
    assert_non_null(page);
    if (!strstr(page, shown))
        fail_msg("%s: the page does not show the label '%s'", input, shown);
    free(page);
    for (size_t f = 0; f < 3; f++) {
        snprintf(line, sizeof line, "pesim report %s --format %s -o figs-%s/ "
                 "--keep-scripts scripts", input, fmts[f], fmts[f]);
        r = sh(0, "%s", line);
        proc_free(&r);
        no_canary(line);
    }
    r = sh(0, "cd scripts && for f in *.gp; do gnuplot \"$f\" || exit 1; done");
    proc_free(&r);
    no_canary("gnuplot on the kept scripts");
}

/* ---- item 1: names never reach gnuplot as code -------------------------- */

static void test_names_workload_yaml(void **state)
{
    (void)state;
    sh_ok("pesim run --arch eyeriss-v1 --workload wl.yaml --dataflow ws --format json "
          "-o run.json%s", "");
    sh_ok("pesim compare --arch eyeriss-v1 --workload wl.yaml --format json -o cmp.json%s",
          "");
    /* the layer's label as gnuplot's SVG text writes it, in the page */
    char shown[700];
    snprintf(shown, sizeof shown, "c`touch %s`", canary);
    report_all("run.json", shown);
    report_all("cmp.json", shown);
    /* the newline shows as \n, not as a line break */
    snprintf(shown, sizeof shown, "x\\n!touch %s\\n", canary);
    report_all("run.json", shown);
    report_all("cmp.json", "&lt;img src=x onerror=alert(1)&gt;&amp;amp;");
}

/* A JSON edited by hand: hostile dataflow, architecture and command. */
static void test_names_run_json(void **state)
{
    (void)state;
    sh_ok("pesim compare --arch eyeriss-v1 --workload wl.yaml --layers conv --format json "
          "-o c.json%s", "");
    char line[2048];
    snprintf(line, sizeof line,
             "sed -e 's|\"dataflow\": \"ws\"|\"dataflow\": \"w`touch %s`\\\\n!touch %s\"|' "
             "-e 's|\"arch\": \"eyeriss-v1\"|\"arch\": \"a`touch %s`\"|' c.json > h.json",
             canary, canary, canary);
    struct proc_result r = sh(0, "%s", line);
    proc_free(&r);
    char shown[700];
    snprintf(shown, sizeof shown, "w`touch %s`\\n!touch %s", canary, canary);
    report_all("h.json", shown);
}

/* A sweep whose `layers` axis holds the hostile names, and a results CSV
 * edited by hand with a hostile axis column and values. */
static void test_names_sweep(void **state)
{
    (void)state;
    put("sw.yaml",
        "sweep: hostile\n"
        "base: {arch: eyeriss-v1, workload: wl.yaml, engine: analysis}\n"
        "axes:\n"
        "  - {key: layers, values: [\"c`touch %s`\", \"<img src=x onerror=alert(1)>&amp;\"]}\n"
        "  - {key: pe_array.rows, values: [8, 12]}\n"
        "  - {key: dataflow, values: [ws, rs]}\n",
        canary);
    sh_ok("pesim sweep sw.yaml -o sw.csv --quiet%s", "");
    char shown[700];
    snprintf(shown, sizeof shown, "c`touch %s`", canary);
    report_all("sw.csv", shown);
    sh_ok("pesim sweep sw.yaml -o sw.jsonl --format jsonl --quiet%s", "");
    report_all("sw.jsonl", shown);

    char line[2048];
    snprintf(line, sizeof line,
             "sed -e '1s|pe_array.rows|r`touch %s`|' -e 's|,ws,|,\"w`touch %s`\",|' "
             "sw.csv > h.csv",
             canary, canary);
    struct proc_result r = sh(0, "%s", line);
    proc_free(&r);
    snprintf(shown, sizeof shown, "r`touch %s`", canary);
    report_all("h.csv", shown);
}

/* ONNX node names become layer names (needs python3-onnx). */
static void test_names_onnx(void **state)
{
    (void)state;
    const char *onnx = getenv("PESIM_HAVE_ONNX");
    if (!onnx || strcmp(onnx, "1") != 0)
        skip();
    char line[3000];
    snprintf(line, sizeof line,
             "/usr/bin/python3 - <<'EOF'\n"
             "import onnx\n"
             "from onnx import TensorProto, helper\n"
             "w = helper.make_tensor('w', TensorProto.FLOAT, [8, 3, 3, 3], [0.0] * 216)\n"
             "n = helper.make_node('Conv', ['x', 'w'], ['y'], name='o`touch %s`\\n!id')\n"
             "g = helper.make_graph([n], 'g', "
             "[helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 3, 8, 8])], "
             "[helper.make_tensor_value_info('y', TensorProto.FLOAT, [1, 8, 6, 6])], [w])\n"
             "onnx.save(helper.make_model(g), 'h.onnx')\n"
             "EOF",
             canary);
    struct proc_result r = sh(0, "%s", line);
    proc_free(&r);
    sh_ok("pesim compare --arch eyeriss-v1 --workload h.onnx --format json -o o.json%s", "");
    char shown[700]; /* the importer makes control characters '_' */
    snprintf(shown, sizeof shown, "o`touch %s`_!id", canary);
    report_all("o.json", shown);
}

/* -o reaches gnuplot no more: backquotes in it are just characters. */
static void test_output_name(void **state)
{
    (void)state;
    sh_ok("pesim run --arch eyeriss-v1 --workload wl.yaml --dataflow ws --format json "
          "-o r.json%s", "");
    char line[1024];
    snprintf(line, sizeof line, "pesim report r.json --format svg -o 'f/x`touch %s`-'",
             canary);
    struct proc_result r = sh(0, "%s", line);
    proc_free(&r);
    no_canary(line);
    snprintf(line, sizeof line, "f/x`touch %s`-cycles.svg", canary);
    assert_true(exists(line));
}

/* ---- item 2: what -o may write over ------------------------------------- */

static void still_char_device(const char *name)
{
    char path[1200];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(stat(path, &sb), 0);
    if (!S_ISCHR(sb.st_mode))
        fail_msg("%s is no longer a character device", path);
}

static void test_output_device(void **state)
{
    (void)state;
    char path[1200];
    snprintf(path, sizeof path, "%s/null", dir);
    if (mknod(path, S_IFCHR | 0666, makedev(1, 3)) != 0)
        skip(); /* not root */
    static const char *const lines[] = {
        "pesim run --arch eyeriss-v1 --workload wl.yaml --layers fc -o null",
        "pesim run --arch eyeriss-v1 --workload wl.yaml --layers fc --trace null",
        "pesim compare --arch eyeriss-v1 --workload wl.yaml --layers fc --format csv -o null",
        "pesim map --arch eyeriss-v1 --workload wl.yaml --layers fc --dataflow rs -o null",
        "pesim import wl.yaml -o null",
        "pesim run --arch eyeriss-v1 --workload wl.yaml --format json -o d.json && "
        "pesim report d.json -o null",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        struct proc_result r = sh(0, "%s", lines[i]);
        proc_free(&r);
        still_char_device("null");
    }
}

static void test_output_fifo(void **state)
{
    (void)state;
    struct proc_result r = sh(0, "mkfifo fifo && (cat fifo > got &) && "
                                 "pesim run --arch eyeriss-v1 --workload wl.yaml --layers fc "
                                 "--format csv -o fifo && wait && "
                                 "pesim run --arch eyeriss-v1 --workload wl.yaml --layers fc "
                                 "--format csv -o want && sleep 0.2 && cmp got want && "
                                 "test -p fifo");
    proc_free(&r);
}

/* Each command refuses -o naming a file it reads (same device and inode:
 * also through a hard or symbolic link), and leaves the file as it was. */
static void test_output_is_input(void **state)
{
    (void)state;
    /* an architecture that reads two Accelergy files */
    struct proc_result c = sh(0, "cp -r \"$PESIM_SOURCE_ROOT/configs/accelergy\" . && "
                                 "cp \"$PESIM_SOURCE_ROOT/configs/eyeriss-v1-45nm.yaml\" arch.yaml");
    proc_free(&c);
    sh_ok("pesim run --arch eyeriss-v1 --workload wl.yaml --format json -o in.json%s", "");
    sh_ok("pesim map --arch eyeriss-v1 --workload wl.yaml --layers fc --dataflow ws "
          "-o m.yaml%s", "");
    sh_ok("ln arch.yaml hard.yaml && ln -s arch.yaml soft.yaml && cp in.json keep.json%s", "");
    sh_ok("printf 'Layer name,IFMAP Height,IFMAP Width,Filter Height,Filter Width,"
          "Channels,Num Filter,Strides,\\nc1,10,10,3,3,8,16,1,\\n' > net.csv%s", "");
    static const char *const cases[][2] = {
        {"pesim run --arch arch.yaml --workload wl.yaml -o arch.yaml", "arch.yaml"},
        {"pesim run --arch arch.yaml --workload wl.yaml -o hard.yaml", "arch.yaml"},
        {"pesim run --arch arch.yaml --workload wl.yaml -o soft.yaml", "arch.yaml"},
        {"pesim run --arch soft.yaml --workload wl.yaml -o arch.yaml", "soft.yaml"},
        {"pesim run --arch arch.yaml --workload wl.yaml -o accelergy/horowitz45-ERT.yaml",
         "accelergy/horowitz45-ERT.yaml"},
        {"pesim compare --arch arch.yaml --workload wl.yaml -o accelergy/horowitz45-map.yaml",
         "accelergy/horowitz45-map.yaml"},
        {"pesim compare --arch eyeriss-v1 --workload wl.yaml -o wl.yaml", "wl.yaml"},
        {"pesim run --arch eyeriss-v1 --workload wl.yaml --layers fc --trace wl.yaml",
         "wl.yaml"},
        {"pesim run --arch eyeriss-v1 --workload wl.yaml --layers fc --mapping m.yaml "
         "-o m.yaml", "m.yaml"},
        {"pesim map --arch arch.yaml --workload wl.yaml --layers fc --dataflow ws -o arch.yaml",
         "arch.yaml"},
        {"pesim import net.csv -o net.csv", "net.csv"},
        {"pesim report in.json -o in.json", "in.json"},
        {"pesim report in.json keep.json -o keep.json", "keep.json"},
        {"pesim report in.json --format svg -o in.json-", NULL},
    };
    size_t n = sizeof cases / sizeof cases[0];
    for (size_t i = 0; i < n; i++) {
        size_t before_len, after_len;
        char *before = cases[i][1] ? slurp(cases[i][1], &before_len) : NULL;
        if (cases[i][1]) {
            expect_err(cases[i][0], "which this command reads; write the output to another "
                                    "file");
        } else {
            struct proc_result r = sh(0, "%s", cases[i][0]); /* a prefix: no clash */
            proc_free(&r);
            continue;
        }
        char *after = slurp(cases[i][1], &after_len);
        assert_non_null(after);
        assert_int_equal(before_len, after_len);
        assert_memory_equal(before, after, before_len);
        free(before);
        free(after);
    }
}

static void test_output_folders(void **state)
{
    (void)state;
    sh_ok("pesim run --arch eyeriss-v1 --workload wl.yaml --layers fc --format json "
          "-o a/b/c/out.json%s", "");
    assert_true(exists("a/b/c/out.json"));
    sh_ok("pesim report a/b/c/out.json --format pdf -o paper/figs/%s", "");
    assert_true(exists("paper/figs/cycles.pdf"));
    sh_ok("pesim report a/b/c/out.json --format png -o paper/figs/run-%s", "");
    assert_true(exists("paper/figs/run-cycles.png"));
    sh_ok("pesim run --arch eyeriss-v1 --workload wl.yaml --layers fc --trace t/r/t.json%s",
          "");
    assert_true(exists("t/r/t.json"));
    /* a folder is not overwritten, and a file in the way of a folder is bad input */
    expect_err("pesim run --arch eyeriss-v1 --workload wl.yaml -o a",
               "it is a folder, expected a file name");
    expect_err("pesim run --arch eyeriss-v1 --workload wl.yaml -o a/",
               "the output must name a file, not a folder");
    expect_err("pesim run --arch eyeriss-v1 --workload wl.yaml -o a/b/c/out.json/x",
               "Not a directory");
    expect_err("pesim report a/b/c/out.json -o a/b/c/out.json/p.html", "Not a directory");
    assert_true(exists("a/b/c/out.json"));

    /* Every command that writes a file makes the folders of its -o. */
    put("of.yaml", "sweep: of\nbase: {arch: eyeriss-v1, workload: wl.yaml, layers: fc, "
        "engine: analysis}\naxes:\n  - {key: pe_array.rows, values: [8, 12]}\n%s", "");
    static const char *const writers[][2] = {
        {"pesim compare --arch eyeriss-v1 --workload wl.yaml --layers fc --engine analysis "
         "-o o/compare/x.txt", "o/compare/x.txt"},
        {"pesim map --arch eyeriss-v1 --workload wl.yaml --layers fc -o o/map/x.yaml",
         "o/map/x.yaml"},
        {"pesim import wl.yaml -o o/import/x.yaml", "o/import/x.yaml"},
        {"pesim sweep of.yaml -o o/sweep/x.csv --quiet", "o/sweep/x.csv"},
        {"pesim sweep of.yaml --shard 1/1 -o o/part/x.csv --quiet && "
         "pesim sweep merge -o o/merge/x.csv o/part/x.csv", "o/merge/x.csv"},
        {"pesim sweep pareto o/sweep/x.csv --min latency --min energy -o o/pareto/x.csv",
         "o/pareto/x.csv"},
        {"pesim report a/b/c/out.json -o o/report/x.html", "o/report/x.html"},
    };
    struct proc_result r;
    for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++) {
        sh_ok("%s", writers[i][0]);
        assert_true(exists(writers[i][1]));
    }
    /* pesim report without -o: a page or figures named after the first
     * input, in the current folder, and where they went on stdout; with
     * -o -, the page on stdout. */
    r = sh(0, "pesim report a/b/c/out.json%s", "");
    assert_string_equal(r.out, "pesim report: wrote out.html\n");
    proc_free(&r);
    assert_true(exists("out.html"));
    sh_ok("pesim report a/b/c/out.json --format svg%s", "");
    assert_true(exists("out-figures/cycles.svg"));
    r = sh(0, "pesim report a/b/c/out.json -o -%s", "");
    assert_memory_equal(r.out, "<!DOCTYPE html>", 15);
    proc_free(&r);

    /* A command that fails leaves no folder it made for its output: bad
     * input found only while writing, and a simulation failure. */
    expect_err("pesim sweep pareto o/sweep/x.csv --min nosuch --min energy -o gone/a/x.csv",
               "no column 'nosuch'");
    r = sh(1, "pesim run --arch eyeriss-v1 --workload wl.yaml --set "
                              "glb.capacity_bytes=2 -o gone/b/x.txt%s", "");
    proc_free(&r);
    assert_false(exists("gone"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_workload_yaml),
        cmocka_unit_test(test_names_run_json),
        cmocka_unit_test(test_names_sweep),
        cmocka_unit_test(test_names_onnx),
        cmocka_unit_test(test_output_name),
        cmocka_unit_test(test_output_device),
        cmocka_unit_test(test_output_fifo),
        cmocka_unit_test(test_output_is_input),
        cmocka_unit_test(test_output_folders),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
