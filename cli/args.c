/* Option parsing and loading shared by `pesim run` and `pesim compare`. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/text.h"

enum opt_id {
    OPT_ARCH, OPT_WORKLOAD, OPT_LAYER, OPT_LAYERS, OPT_BATCH, OPT_DATAFLOW,
    OPT_MAPPING, OPT_SET, OPT_FORMAT, OPT_OUTPUT, OPT_HELP, OPT_ENGINE, OPT_OBJECTIVE, OPT_ISO, OPT_THREADS,
    OPT_TRACE, OPT_TRACE_WINDOW, OPT_TRACE_MAX, OPT_ERT, OPT_CONSTRAINTS, OPT_EXPLAIN,
    OPT_QUIET, OPT_PROGRESS, OPT_DATAFLOWS,
};

/* The option table: long name, short name, takes a value, needs a flag. */
static const struct opt {
    const char *name;
    const char *shortname;
    enum opt_id id;
    bool value;
    unsigned needs;
} opts[] = {
    {"--arch", NULL, OPT_ARCH, true, 0},
    {"--workload", NULL, OPT_WORKLOAD, true, 0},
    {"--layer", NULL, OPT_LAYER, true, 0},
    {"--layers", NULL, OPT_LAYERS, true, 0},
    {"--batch", NULL, OPT_BATCH, true, 0},
    {"--dataflow", NULL, OPT_DATAFLOW, true, PESIM_CLI_OPT_DATAFLOW},
    {"--dataflows", NULL, OPT_DATAFLOWS, true, PESIM_CLI_OPT_DATAFLOWS},
    {"--mapping", NULL, OPT_MAPPING, true, PESIM_CLI_OPT_MAPPING},
    {"--set", NULL, OPT_SET, true, 0},
    {"--ert", NULL, OPT_ERT, true, 0},
    {"--constraints", NULL, OPT_CONSTRAINTS, true, 0},
    {"--format", NULL, OPT_FORMAT, true, 0},
    {"--engine", NULL, OPT_ENGINE, true, 0},
    {"--objective", NULL, OPT_OBJECTIVE, true, 0},
    {"--iso-area", NULL, OPT_ISO, false, PESIM_CLI_OPT_ISO},
    {"--explain", NULL, OPT_EXPLAIN, false, PESIM_CLI_OPT_EXPLAIN},
    {"--threads", NULL, OPT_THREADS, true, 0},
    {"--quiet", NULL, OPT_QUIET, false, PESIM_CLI_OPT_PROGRESS},
    {"--progress", NULL, OPT_PROGRESS, false, PESIM_CLI_OPT_PROGRESS},
    {"--trace", NULL, OPT_TRACE, true, PESIM_CLI_OPT_TRACE},
    {"--trace-window", NULL, OPT_TRACE_WINDOW, true, PESIM_CLI_OPT_TRACE},
    {"--trace-max-mb", NULL, OPT_TRACE_MAX, true, PESIM_CLI_OPT_TRACE},
    {"--output", "-o", OPT_OUTPUT, true, 0},
    {"--help", "-h", OPT_HELP, false, 0},
};

/* A --dataflow value that names a file rather than a registered one. */
static bool looks_like_file(const char *s)
{
    size_t n = strlen(s);
    return strchr(s, '/') || (n > 5 && (!strcmp(s + n - 5, ".yaml") || !strcmp(s + n - 4, ".yml")));
}

/* Report a bad option value; returns PESIM_E_INVALID for `return bad(...)`. */
static int bad(pesim_diags *d, const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int bad(pesim_diags *d, const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int e = pesim_diags_vaddc(d, PESIM_DIAG_CLI_USAGE, cmd, 0, 0, fmt, ap);
    va_end(ap);
    return e ? e : PESIM_E_INVALID;
}

static int append_selector(struct pesim_cli_opts *o, const char *sel)
{
    size_t old = o->layers ? strlen(o->layers) : 0;
    size_t add = strlen(sel);
    char *p = realloc(o->layers, old + add + 2);
    if (!p)
        return PESIM_E_NOMEM;
    if (old)
        p[old++] = ',';
    memcpy(p + old, sel, add + 1);
    o->layers = p;
    return 0;
}

unsigned pesim_cli_threads(unsigned n, unsigned max)
{
    if (n == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        n = cores > 0 ? (unsigned)(cores > (long)max ? max : cores) : 1;
    }
    return n;
}

const char *pesim_cli_names(char *buf, size_t size, const char *(*name)(unsigned),
                            unsigned n, const char *last_sep)
{
    size_t len = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s",
                                i == 0 ? "" : i + 1 < n ? ", " : last_sep, name(i));
    return buf;
}

static const char *engine_at(unsigned i) { return pesim_engine_name((enum pesim_engine)i); }

static const char *objective_at(unsigned i)
{
    return pesim_objective_name((enum pesim_objective)i);
}

/* A strict unsigned decimal: digits only, no sign, no overflow. */
static bool parse_u64(const char *s, uint64_t *out)
{
    if (!s[0] || strspn(s, "0123456789") != strlen(s))
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static int apply(struct pesim_cli_opts *o, const struct opt *op,
                 const char *val, pesim_diags *d)
{
    switch (op->id) {
    case OPT_ARCH: o->arch = val; break;
    case OPT_WORKLOAD: o->workload = val; break;
    case OPT_LAYER:
    case OPT_LAYERS:
        if (!val[0])
            return bad(d, o->cmd, "%s: expected a layer selector, got ''",
                                   op->name);
        return append_selector(o, val);
    case OPT_BATCH:
        if (!parse_u64(val, &o->batch) || o->batch == 0)
            return bad(d, o->cmd, "--batch: expected a positive integer, got '%s'",
                                   val);
        o->have_batch = true;
        break;
    case OPT_DATAFLOW: o->dataflow = val; break;
    case OPT_DATAFLOWS: o->dataflows = val; break;
    case OPT_MAPPING: o->mapping = val; break;
    case OPT_ERT:
        if (!val[0])
            return bad(d, o->cmd, "--ert: expected a file name, got ''");
        o->ert = val;
        break;
    case OPT_CONSTRAINTS:
        if (!val[0])
            return bad(d, o->cmd, "--constraints: expected a file name, got ''");
        o->constraints = val;
        break;
    case OPT_SET: {
        const char **p = realloc(o->sets, (o->nsets + 1) * sizeof *p);
        if (!p)
            return PESIM_E_NOMEM;
        o->sets = p;
        o->sets[o->nsets++] = val;
        break;
    }
    case OPT_FORMAT:
        if (strcmp(val, "text") == 0)
            o->format = PESIM_FORMAT_TEXT;
        else if (strcmp(val, "json") == 0)
            o->format = PESIM_FORMAT_JSON;
        else if (strcmp(val, "csv") == 0)
            o->format = PESIM_FORMAT_CSV;
        else
            return bad(d, o->cmd, "--format: expected one of text, json, csv, got '%s'",
                                   val);
        break;
    case OPT_ENGINE:
        if (pesim_engine_parse(val, &o->engine)) {
            char names[128];
            return bad(d, o->cmd, "--engine: expected one of %s, got '%s'",
                       pesim_cli_names(names, sizeof names, engine_at, PESIM_ENGINE_COUNT,
                                       ", "), val);
        }
        break;
    case OPT_OBJECTIVE:
        if (pesim_objective_parse(val, &o->objective)) {
            char names[128];
            return bad(d, o->cmd, "--objective: expected one of %s, got '%s'",
                       pesim_cli_names(names, sizeof names, objective_at,
                                       PESIM_OBJECTIVE_COUNT, ", "), val);
        }
        break;
    case OPT_OUTPUT:
        if (!val[0])
            return bad(d, o->cmd, "-o: expected a file name, got ''");
        o->output = val;
        break;
    case OPT_HELP: o->help = true; break;
    case OPT_TRACE:
        if (!val[0])
            return bad(d, o->cmd, "--trace: expected a file name, got ''");
        o->trace = val;
        break;
    case OPT_TRACE_WINDOW: {
        const char *colon = strchr(val, ':');
        char from[32] = "";
        /* A FROM too long for the buffer is too long for 64 bits: refuse it
         * rather than read it as empty (the whole run). */
        bool from_fits = colon && (size_t)(colon - val) < sizeof from;
        if (from_fits)
            memcpy(from, val, (size_t)(colon - val));
        if (!from_fits || (from[0] && !parse_u64(from, &o->trace_from)) ||
            (colon[1] && !parse_u64(colon + 1, &o->trace_to)) ||
            (colon[1] && o->trace_to <= o->trace_from))
            return bad(d, o->cmd, "--trace-window: expected FROM:TO in cycles with FROM < TO "
                       "(either may be empty), got '%s'", val);
        break;
    }
    case OPT_TRACE_MAX: {
        uint64_t n;
        if (!parse_u64(val, &n) || n < 1 || n > 1048576)
            return bad(d, o->cmd, "--trace-max-mb: expected an integer in [1, 1048576], got '%s'",
                       val);
        o->trace_max_bytes = n << 20;
        break;
    }
    case OPT_ISO: o->iso_area = true; break;
    case OPT_EXPLAIN: o->explain = true; break;
    case OPT_THREADS: {
        uint64_t n;
        if (!parse_u64(val, &n) || n > 64)
            return bad(d, o->cmd, "--threads: expected an integer in [0, 64], got '%s'", val);
        o->threads = pesim_cli_threads((unsigned)n, 64);
        break;
    }
    case OPT_QUIET: o->progress = PESIM_CLI_PROGRESS_OFF; break;
    case OPT_PROGRESS: o->progress = PESIM_CLI_PROGRESS_ON; break;
    }
    return 0;
}

const char *pesim_cli_suggest(char *buf, size_t size, const char *name, size_t len,
                              const char *const *names, size_t n, const char **meant)
{
    struct pesim_nearest near;
    pesim_nearest_start(&near, name, len);
    for (size_t i = 0; i < n; i++)
        pesim_nearest_offer(&near, names[i]);
    const char *best = pesim_nearest_best(&near);
    snprintf(buf, size, best ? "; did you mean '%s'?" : "", best);
    if (meant)
        *meant = best;
    return buf;
}

int pesim_cli_unknown_option(pesim_diags *d, const char *cmd, const char *arg,
                             const char *const *names, size_t n, const char **meant)
{
    size_t len = strncmp(arg, "--", 2) == 0 ? strcspn(arg, "=") : strlen(arg);
    char tail[160];
    pesim_cli_suggest(tail, sizeof tail, arg, len, names, n, meant);
    int e = tail[0] ? pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, cmd, 0, 0,
                                       "unknown option '%.*s'%s", (int)len, arg, tail)
                    : pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, cmd, 0, 0,
                                       "unknown option '%.*s' (see '%s --help')", (int)len,
                                       arg, cmd);
    return e ? e : PESIM_E_INVALID;
}

/* The names of the options `allowed` admits, long and short; *n of them. */
static size_t allowed_names(unsigned allowed, const char **names)
{
    size_t n = 0;
    for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++) {
        if (opts[k].needs && !(allowed & opts[k].needs))
            continue;
        names[n++] = opts[k].name;
        if (opts[k].shortname)
            names[n++] = opts[k].shortname;
    }
    return n;
}

/* The option whose long name is name[0 .. len), or (short_ok) whose
 * short name is all of `name`; NULL when none. */
static const struct opt *find_opt(const char *name, size_t len, bool short_ok)
{
    const struct opt *op = NULL;
    for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++)
        if ((strlen(opts[k].name) == len && strncmp(opts[k].name, name, len) == 0) ||
            (short_ok && opts[k].shortname && strcmp(opts[k].shortname, name) == 0))
            op = &opts[k];
    return op;
}

/* An argument that is no option of this command: the nearest one it may
 * be a misspelling of, or a stray positional argument. *skip: whether
 * the next argument is the misspelt option's value (not another stray
 * argument to report). */
static int unknown(const char *cmd, unsigned allowed, const char *arg, bool *skip,
                   pesim_diags *d)
{
    *skip = false;
    if (arg[0] != '-') {
        pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, cmd, 0, 0,
                         "unexpected argument '%s' (see '%s --help')", arg, cmd);
        return PESIM_E_INVALID;
    }
    const char *names[2 * sizeof opts / sizeof opts[0]], *meant;
    int e = pesim_cli_unknown_option(d, cmd, arg, names, allowed_names(allowed, names), &meant);
    const struct opt *op = meant ? find_opt(meant, strlen(meant), true) : NULL;
    *skip = op && op->value && !strchr(arg, '=');
    return e;
}

int pesim_cli_parse(struct pesim_cli_opts *o, const char *cmd, unsigned allowed,
                    int argc, char **argv, pesim_diags *d)
{
    int rc = 0;
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    o->format = PESIM_FORMAT_TEXT;
    o->threads = pesim_cli_threads(0, 64);
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
        size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
        const struct opt *op = find_opt(arg, len, !eq);
        if (!op || (op->needs && !(allowed & op->needs))) {
            bool skip;
            rc = unknown(cmd, allowed, arg, &skip, d);
            if (rc == PESIM_E_NOMEM)
                return rc;
            i += skip && i + 1 < argc;
            continue;
        }
        const char *val = NULL;
        if (op->value) {
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc)
                val = argv[++i];
            else {
                pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, cmd, 0, 0, "%s: missing value", arg);
                rc = PESIM_E_INVALID;
                continue;
            }
        } else if (eq) {
            pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, cmd, 0, 0, "%s takes no value", op->name);
            rc = PESIM_E_INVALID;
            continue;
        }
        int e = apply(o, op, val, d);
        if (e == PESIM_E_NOMEM)
            return e;
        if (e)
            rc = e;
    }
    if (o->help)
        return 0; /* --help wins over everything else */
    if (!o->arch) {
        pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, cmd, 0, 0,
                         "missing --arch (a preset such as eyeriss-v1, or a YAML file)");
        rc = PESIM_E_INVALID;
    }
    if (!o->workload) {
        pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, cmd, 0, 0,
                         "missing --workload (a network such as alexnet, or a YAML file)");
        rc = PESIM_E_INVALID;
    }
    if (o->dataflow && !pesim_df_find(o->dataflow) && looks_like_file(o->dataflow)) {
        /* a dataflow written as constraints (docs/dataflows.md) */
        if (pesim_df_load(o->dataflow, &o->df_file, d))
            rc = PESIM_E_INVALID;
    } else if (o->dataflow && !pesim_df_find(o->dataflow)) {
        char names[256] = "";
        size_t len = 0;
        for (size_t k = 0; k < pesim_df_count() && len < sizeof names; k++)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%s",
                                    k ? ", " : "", pesim_df_name(pesim_df_get(k)));
        pesim_diags_addc(d, PESIM_DIAG_NAME_UNKNOWN, cmd, 0, 0,
                         "--dataflow: unknown dataflow '%s', expected one of %s, mapspace or "
                         "a dataflow file (.yaml)",
                         o->dataflow, names);
        rc = PESIM_E_INVALID;
    }
    if (o->dataflow && o->mapping) {
        pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, cmd, 0, 0,
                         "--dataflow and --mapping exclude each other");
        rc = PESIM_E_INVALID;
    }
    return rc;
}

const pesim_dataflow *pesim_cli_dataflow(const struct pesim_cli_opts *o,
                                         const struct pesim_arch *arch)
{
    const char *dflt = arch && arch->dataflow[0] ? arch->dataflow : "ws";
    return o->df_file ? o->df_file : pesim_df_find(o->dataflow ? o->dataflow : dflt);
}

void pesim_cli_opts_free(struct pesim_cli_opts *o)
{
    pesim_df_free(o->df_file);
    o->df_file = NULL;
    free(o->layers);
    free(o->sets);
    o->layers = NULL;
    o->sets = NULL;
}

/* Some loaders may fail without a message (out of memory, a bug): say
 * something rather than exit 2 silently. */
static void ensure_diag(pesim_diags *d, size_t before, const char *what,
                        const char *name, int err)
{
    if (pesim_diags_count(d) == before)
        pesim_diags_add(d, name, 0, 0, "cannot load %s: %s", what,
                        pesim_strerror(err));
}

int pesim_cli_load(const struct pesim_cli_opts *o, struct pesim_arch *arch,
                   struct pesim_workload *wl, pesim_diags *d)
{
    int rc = 0, e;
    size_t before = pesim_diags_count(d);
    memset(wl, 0, sizeof *wl);

    struct pesim_tl_arch tl;
    e = pesim_cli_load_arch(o->arch, arch, &tl, NULL, d);
    if (!e && o->ert)
        e = pesim_cli_apply_ert(o->ert, &tl, arch, d);
    if (!e && o->constraints)
        e = pesim_cli_apply_constraints(o->constraints, o->workload, &tl, arch, d);
    if (e) {
        ensure_diag(d, before, "the architecture", o->arch, e);
        rc = e;
    } else {
        /* Every --set is tried so that all bad ones are reported at once. */
        for (size_t i = 0; i < o->nsets; i++) {
            size_t b = pesim_diags_count(d);
            e = pesim_arch_set(arch, o->sets[i], d);
            pesim_diags_set_file(d, b, "--set");
            if (e) {
                if (pesim_diags_count(d) == b)
                    pesim_diags_add(d, "--set", 0, 0, "cannot apply '%s': %s",
                                    o->sets[i], pesim_strerror(e));
                rc = e;
            }
        }
        if (!rc && o->nsets) {
            size_t b = pesim_diags_count(d);
            e = pesim_arch_validate(arch, "--set", d);
            if (e) {
                if (pesim_diags_count(d) == b)
                    pesim_diags_add(d, "--set", 0, 0, "%s", pesim_strerror(e));
                rc = e;
            }
        }
    }

    /* Load the workload even when the arch failed: report both at once. */
    before = pesim_diags_count(d);
    /* An ONNX model with a symbolic batch takes --batch while its shapes
     * are inferred (a Reshape's rows, a MatMul's batch follow from it);
     * any other workload gets it after loading. */
    struct pesim_onnx_batch ob = {.batch = o->have_batch ? o->batch : 0};
    e = pesim_wl_load_any_batch(o->workload, &ob, wl, d);
    if (!e && ob.symbolic && !o->have_batch)
        pesim_cli_note_batch(o->workload, &ob);
    if (e) {
        ensure_diag(d, before, "the workload", o->workload, e);
        memset(wl, 0, sizeof *wl);
        return rc ? rc : e;
    }
    if (o->layers) {
        before = pesim_diags_count(d);
        e = pesim_workload_select(wl, o->layers, d);
        /* the library names no option: its diagnostics have no file */
        if (pesim_diags_set_file(d, before, "--layer"))
            e = PESIM_E_NOMEM;
        if (e) {
            ensure_diag(d, before, "the layer selection", "--layers", e);
            rc = e;
        }
    }
    if (!rc && o->have_batch && !ob.symbolic) {
        before = pesim_diags_count(d);
        e = pesim_workload_set_batch(wl, o->batch, d);
        if (pesim_diags_set_file(d, before, "--batch"))
            e = PESIM_E_NOMEM;
        if (e) {
            ensure_diag(d, before, "the batch size", "--batch", e);
            rc = e;
        }
    }
    if (!rc && wl->count == 0) {
        pesim_diags_add(d, o->workload, 0, 0, "the workload has no layers to run");
        rc = PESIM_E_INVALID;
    }
    if (rc)
        pesim_workload_free(wl);
    return rc;
}
