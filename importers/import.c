/* Format detection and the one entry point --workload uses
 * (include/pesim/import.h). */
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "config/cfg.h"
#include "pesim/import.h"

static const char *const format_names[PESIM_WL_FORMAT_COUNT] = {"pesim", "scalesim", "timeloop",
                                                                "onnx"};

const char *pesim_wl_format_name(enum pesim_wl_format f)
{
    return (unsigned)f < PESIM_WL_FORMAT_COUNT ? format_names[f] : NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++)
        if ((s[n - k + i] | 0x20) != suffix[i])
            return false;
    return true;
}

/* A Timeloop problem has `problem:` at the top level: a line that starts
 * with it (YAML top-level keys sit at column 1). */
static bool has_problem_key(const char *text, size_t len)
{
    static const char key[] = "problem:";
    size_t k = sizeof key - 1;
    for (size_t i = 0; i + k <= len; i++)
        if ((i == 0 || text[i - 1] == '\n') && memcmp(text + i, key, k) == 0)
            return true;
    return false;
}

static bool is_shipped(const char *name)
{
    for (const char *const *p = pesim_workload_presets(); *p; p++)
        if (strcmp(*p, name) == 0)
            return true;
    return false;
}

enum pesim_wl_format pesim_wl_detect(const char *name_or_path)
{
    if (is_shipped(name_or_path))
        return PESIM_WL_PESIM;
    if (ends_with(name_or_path, ".csv"))
        return PESIM_WL_SCALESIM;
    if (ends_with(name_or_path, ".onnx"))
        return PESIM_WL_ONNX;
    size_t len;
    char *text = pesim_cfg_read_file(name_or_path, &len);
    bool timeloop = text && has_problem_key(text, len);
    free(text);
    return timeloop ? PESIM_WL_TIMELOOP : PESIM_WL_PESIM;
}

/* The workload's name: the file's base name without its extension. */
static void name_from_path(const char *path, struct pesim_workload *wl)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strcspn(base, ".");
    if (n >= sizeof wl->name)
        n = sizeof wl->name - 1;
    memcpy(wl->name, base, n);
    wl->name[n] = '\0';
    if (!n)
        strcpy(wl->name, "imported");
}

int pesim_import_onnx(const uint8_t *data, size_t len, const char *file,
                      struct pesim_workload *out, pesim_diags *diags)
{
    return pesim_import_onnx_batch(data, len, file, NULL, out, diags);
}

int pesim_wl_load_any(const char *name_or_path, struct pesim_workload *out,
                      pesim_diags *diags)
{
    return pesim_wl_load_any_batch(name_or_path, NULL, out, diags);
}

int pesim_wl_load_any_batch(const char *name_or_path, struct pesim_onnx_batch *batch,
                            struct pesim_workload *out, pesim_diags *diags)
{
    if (batch)
        batch->symbolic = false;
    enum pesim_wl_format f = pesim_wl_detect(name_or_path);
    if (f == PESIM_WL_PESIM)
        return pesim_workload_load(name_or_path, out, diags);
    size_t len;
    char *text;
    int rc = pesim_file_read_max(name_or_path, NULL,
                                 f == PESIM_WL_ONNX ? PESIM_FILE_MAX_MODEL_BYTES
                                                    : PESIM_FILE_MAX_BYTES,
                                 &text, &len, diags);
    if (rc == PESIM_E_IO)
        pesim_diags_addc(diags, PESIM_DIAG_FILE_IO, name_or_path, 0, 0,
                         "cannot read the %s file, expected a readable file",
                         format_names[f]);
    if (rc)
        return rc;
    struct pesim_workload wl = {0};
    if (f == PESIM_WL_SCALESIM)
        rc = pesim_import_scalesim(text, len, name_or_path, &wl, diags);
    else if (f == PESIM_WL_TIMELOOP)
        rc = pesim_import_timeloop(text, len, name_or_path, &wl, diags);
    else
        rc = pesim_import_onnx_batch((const uint8_t *)text, len, name_or_path, batch, &wl,
                                     diags);
    free(text);
    if (rc)
        return rc;
    if (!wl.name[0])
        name_from_path(name_or_path, &wl);
    *out = wl;
    return 0;
}
