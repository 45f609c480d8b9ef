/* Loading a sweep: the spec, its base architecture, its points
 * (docs/sweeps.md); ids and descriptions of points. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/embed.h"
#include "common/file.h"
#include "config/cfg.h"
#include "sweep/internal.h"

static int load_base(pesim_sweep *s, pesim_diags *d)
{
    pesim_diags *tmp = pesim_diags_create();
    /* A Timeloop spec (top-level `architecture:`) is read by its importer,
     * as --arch reads it (docs/timeloop.md); reading it notes it as an
     * input of the journal either way. */
    char *text = NULL;
    size_t len = 0;
    int rc;
    bool got = !pesim_file_read(s->arch_name, NULL, &text, &len, tmp);
    if (got && pesim_tl_is_arch(text, len))
        rc = pesim_import_tl_arch(text, len, s->arch_name, &s->base, NULL, NULL, tmp);
    else if (got && pesim_sc_is_cfg(text, len))
        rc = pesim_import_scalesim_cfg(text, len, s->arch_name, &s->base, NULL, tmp);
    else
        rc = pesim_arch_load(s->arch_name, &s->base, tmp);
    free(text);
    pesim_diags_append(d, tmp); /* its messages, and the files it read */
    if (rc) {
        pesim_diags_addc(d, PESIM_DIAG_SWEEP_AXIS, s->file, s->arch_line, s->arch_col,
                         "base.arch: cannot load architecture '%s'", s->arch_name);
    }
    pesim_diags_destroy(tmp);
    return rc ? PESIM_E_INVALID : 0;
}

/* Keep a copy of every input `d` noted: the journal's identity. */
static int capture_inputs(pesim_sweep *s, const pesim_diags *d)
{
    size_t n = pesim_diags_ninputs(d);
    s->inputs = calloc(n ? n : 1, sizeof *s->inputs);
    if (!s->inputs)
        return PESIM_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const struct pesim_input *in = pesim_diags_input(d, i);
        s->inputs[i] = *in;
        if (!(s->inputs[i].path = strdup(in->path)))
            return PESIM_E_NOMEM;
        s->ninputs++;
    }
    return 0;
}

/* Loads into `d`, a list of the load's own, so that the inputs it notes
 * are exactly the files this sweep read, whatever the caller's list held
 * before (or when the caller passed none). */
static int load_into(const char *text, size_t len, const char *file, pesim_sweep **out,
                     pesim_diags *d)
{
    pesim_sweep *s = calloc(1, sizeof *s);
    if (!s)
        return PESIM_E_NOMEM;
    int rc = sweep_spec_parse(text, len, file, s, d);
    if (!rc)
        rc = load_base(s, d);
    if (!rc)
        rc = sweep_points_build(s, d);
    if (!rc)
        rc = capture_inputs(s, d);
    if (rc) {
        pesim_sweep_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int pesim_sweep_load_string(const char *text, size_t len, const char *file, pesim_sweep **out,
                            pesim_diags *diags)
{
    *out = NULL;
    pesim_diags *d = pesim_diags_create();
    int rc = d ? load_into(text, len, file, out, d) : PESIM_E_NOMEM;
    if (pesim_diags_append(diags, d) && !rc) {
        pesim_sweep_free(*out);
        *out = NULL;
        rc = PESIM_E_NOMEM;
    }
    pesim_diags_destroy(d);
    return rc;
}

int pesim_sweep_load(const char *path, pesim_sweep **out, pesim_diags *diags)
{
    size_t len;
    char *text = NULL;
    *out = NULL;
    pesim_diags *d = pesim_diags_create();
    int rc = d ? pesim_file_read(path, "the sweep spec", &text, &len, d) : PESIM_E_NOMEM;
    if (!rc)
        rc = load_into(text, len, path, out, d);
    free(text);
    if (pesim_diags_append(diags, d) && !rc) {
        pesim_sweep_free(*out);
        *out = NULL;
        rc = PESIM_E_NOMEM;
    }
    pesim_diags_destroy(d);
    return rc;
}

void pesim_sweep_free(pesim_sweep *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->naxes; i++) {
        free(s->axes[i].value);
        free(s->axes[i].num);
        free(s->axes[i].line);
        free(s->axes[i].col);
    }
    free(s->axes);
    for (size_t i = 0; i < s->ncons; i++) {
        if (s->cons)
            sweep_expr_free(s->cons[i]);
        if (s->cons_text)
            free(s->cons_text[i]);
    }
    free(s->cons);
    free(s->cons_text);
    free(s->cons_line);
    free(s->cons_col);
    for (size_t i = 0; i < s->nvariants; i++)
        pesim_workload_free(&s->variants[i].wl);
    free(s->variants);
    free(s->digits);
    for (size_t i = 0; i < s->ninputs; i++)
        free((char *)s->inputs[i].path);
    free(s->inputs);
    free(s);
}

static const char *const format_names[PESIM_SWEEP_FORMAT_COUNT] = {"csv", "jsonl"};

const char *pesim_sweep_format_name(enum pesim_sweep_format f)
{
    return (unsigned)f < PESIM_SWEEP_FORMAT_COUNT ? format_names[f] : NULL;
}

int pesim_sweep_format_parse(const char *name, enum pesim_sweep_format *out)
{
    for (unsigned i = 0; name && i < PESIM_SWEEP_FORMAT_COUNT; i++)
        if (strcmp(name, format_names[i]) == 0) {
            *out = (enum pesim_sweep_format)i;
            return 0;
        }
    return PESIM_E_NOTFOUND;
}

size_t pesim_sweep_count(const pesim_sweep *s) { return s->npoints; }
uint64_t pesim_sweep_hash(const pesim_sweep *s) { return s->hash; }
size_t pesim_sweep_ninputs(const pesim_sweep *s) { return s->ninputs; }

const struct pesim_input *pesim_sweep_input(const pesim_sweep *s, size_t i)
{
    return i < s->ninputs ? &s->inputs[i] : NULL;
}

/* The shipped tables, from the folders that embed them. */
extern const struct pesim_embedded pesim_arch_preset_files[];
extern const struct pesim_embedded pesim_workload_preset_files[];
extern const struct pesim_embedded pesim_accelergy_files[];

/* A preset is text compiled into pesim, not a file with a hash of its own;
 * hashing every embedded file (and the version) means a journal resumes
 * only under a pesim that ships the same presets. Coarser than hashing the
 * presets a spec names, but it also covers what a loader takes from the
 * tables without naming it (an Accelergy table found among the shipped
 * ones), and it costs microseconds once per run. */
uint64_t sweep_builtin_hash(void)
{
    const char *v = pesim_version();
    uint64_t h = pesim_fnv1a(v, strlen(v) + 1, PESIM_FNV_INIT);
    const struct pesim_embedded *tables[] = {pesim_arch_preset_files,
                                             pesim_workload_preset_files, pesim_accelergy_files};
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const struct pesim_embedded *e = tables[t]; e->name; e++) {
            h = pesim_fnv1a(e->name, strlen(e->name) + 1, h);
            h = pesim_fnv1a(e->data, e->len, h);
        }
    return h;
}

void pesim_sweep_point_desc(const pesim_sweep *s, size_t i, char *buf, size_t size)
{
    const uint32_t *digit = sweep_point(s, i);
    size_t n = 0;
    if (size)
        buf[0] = '\0';
    for (size_t k = 0; k < s->naxes && n < size; k++) {
        int w = snprintf(buf + n, size - n, "%s%s=%s", k ? "," : "", s->axes[k].key,
                         s->axes[k].value[digit[k]]);
        if (w < 0)
            break;
        n += (size_t)w;
    }
}

void pesim_sweep_point_id(const pesim_sweep *s, size_t i, char id[17])
{
    char desc[8192];
    pesim_sweep_point_desc(s, i, desc, sizeof desc);
    snprintf(id, 17, "%016" PRIx64, pesim_fnv1a(desc, strlen(desc), PESIM_FNV_INIT));
}
