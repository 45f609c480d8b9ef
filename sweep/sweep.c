/* Loading a sweep: the spec, its base architecture, its points
 * (docs/sweeps.md); ids and descriptions of points. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "config/cfg.h"
#include "sweep/internal.h"

static int load_base(pesim_sweep *s, pesim_diags *d)
{
    pesim_diags *tmp = pesim_diags_create();
    int rc = pesim_arch_load(s->arch_name, &s->base, tmp);
    pesim_diags_append(d, tmp); /* its messages, and the files it read */
    if (rc) {
        pesim_diags_add(d, s->file, s->arch_line, s->arch_col,
                        "base.arch: cannot load architecture '%s'", s->arch_name);
    }
    pesim_diags_destroy(tmp);
    return rc ? PESIM_E_INVALID : 0;
}

int pesim_sweep_load_string(const char *text, size_t len, const char *file, pesim_sweep **out,
                            pesim_diags *diags)
{
    *out = NULL;
    pesim_sweep *s = calloc(1, sizeof *s);
    if (!s)
        return PESIM_E_NOMEM;
    int rc = sweep_spec_parse(text, len, file, s, diags);
    if (!rc)
        rc = load_base(s, diags);
    if (!rc)
        rc = sweep_points_build(s, diags);
    if (rc) {
        pesim_sweep_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int pesim_sweep_load(const char *path, pesim_sweep **out, pesim_diags *diags)
{
    size_t len;
    char *text;
    *out = NULL;
    int rc = pesim_file_read(path, "the sweep spec", &text, &len, diags);
    if (rc)
        return rc;
    rc = pesim_sweep_load_string(text, len, path, out, diags);
    free(text);
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
    free(s);
}

size_t pesim_sweep_count(const pesim_sweep *s) { return s->npoints; }
uint64_t pesim_sweep_hash(const pesim_sweep *s) { return s->hash; }

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
    snprintf(id, 17, "%016" PRIx64, sweep_fnv1a(desc, strlen(desc), SWEEP_FNV_INIT));
}
