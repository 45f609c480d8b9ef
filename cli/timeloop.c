/* Timeloop inputs on the command line (docs/timeloop.md): --arch with a
 * top-level `architecture:`, --mapping with a Timeloop `mapping:` list or
 * a map.txt printout, --ert. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/file.h"

/* A file's text if it is one (not a preset name); NULL otherwise, no
 * diagnostic. */
static char *read_if_file(const char *path, size_t *len)
{
    char *text = NULL;
    if (!path || pesim_file_read(path, NULL, &text, len, NULL))
        return NULL;
    return text;
}

/* The dimension names a Timeloop mapping or constraints file uses: the
 * workload's when it is a Timeloop problem, else Timeloop's cnn-layer. */
static int workload_dims(const char *workload, struct pesim_tl_dims *dims, pesim_diags *d)
{
    size_t plen = 0;
    char *prob = read_if_file(workload, &plen);
    bool tlprob = prob && pesim_wl_detect(workload) == PESIM_WL_TIMELOOP;
    int e = pesim_import_tl_dims(tlprob ? prob : NULL, plen, workload, dims, d);
    free(prob);
    return e;
}

int pesim_cli_load_arch(const char *path, struct pesim_arch *arch, struct pesim_tl_arch *tl,
                        char **yaml, pesim_diags *d)
{
    size_t len = 0;
    char *text = read_if_file(path, &len);
    if (tl)
        memset(tl, 0, sizeof *tl);
    if (yaml)
        *yaml = NULL;
    if (text && pesim_tl_is_arch(text, len)) {
        int e = pesim_import_tl_arch(text, len, path, arch, tl, yaml, d);
        free(text);
        return e;
    }
    if (text && pesim_sc_is_cfg(text, len)) {
        int e = pesim_import_scalesim_cfg(text, len, path, arch, yaml, d);
        free(text);
        return e;
    }
    free(text);
    return pesim_arch_load(path, arch, d);
}

int pesim_cli_apply_ert(const char *ert, const struct pesim_tl_arch *tl,
                        struct pesim_arch *arch, pesim_diags *d)
{
    char *text = NULL;
    size_t len = 0;
    int e = pesim_file_read(ert, "the energy reference table (--ert)", &text, &len, d);
    if (e)
        return e;
    struct pesim_ert_names names;
    memset(&names, 0, sizeof names);
    if (tl && tl->nlevels == arch->nlevels) {
        for (unsigned lv = 0; lv < tl->nlevels; lv++) {
            names.level[lv] = tl->component[lv];
            names.block_words[lv] = tl->block_words[lv];
        }
        names.mac = tl->mac;
    }
    e = pesim_energy_price_ert(text, len, ert, &names, arch, d);
    free(text);
    return e;
}

int pesim_cli_load_mappings(const char *path, const char *arch_path, const char *workload,
                            struct pesim_mapping_set *set, char **yaml, pesim_diags *d)
{
    size_t len = 0;
    char *text = NULL;
    if (yaml)
        *yaml = NULL;
    /* An unreadable file is pesim's loader's to report, in its words. */
    text = read_if_file(path, &len);
    if (!text || (!pesim_tl_is_mapping(text, len) && !pesim_tl_is_map_txt(text, len))) {
        free(text);
        return pesim_mapping_set_load(path, set, d);
    }
    struct pesim_arch arch;
    struct pesim_tl_arch tl;
    int e = pesim_cli_load_arch(arch_path, &arch, &tl, NULL, d);
    if (!e && tl.nlevels == 0) {
        pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, path, 0, 0,
                         "a Timeloop mapping: its targets are the names of a Timeloop "
                         "architecture, expected --arch with a Timeloop spec "
                         "(architecture: ...), got '%s'", arch_path ? arch_path : "(none)");
        e = PESIM_E_INVALID;
    }
    struct pesim_tl_dims dims;
    if (!e)
        e = workload_dims(workload, &dims, d);
    if (!e)
        e = pesim_import_tl_mapping(text, len, path, &arch, &tl, &dims, set, yaml, d);
    free(text);
    return e;
}

/* The YAML pesim_import_tl_arch wrote (energies 0, one `read_energy` and
 * `write_energy` line per level, in level order, and one `energy:` line)
 * with arch's energies (and each level's block_words and leakage after its
 * write_energy): what `pesim import --ert` writes. %.17g reads
 * back to the same doubles. */
char *pesim_cli_yaml_with_energies(const char *yaml, const struct pesim_arch *a)
{
    size_t cap = strlen(yaml) + 128 * (4u * a->nlevels + 2) + 1, n = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    unsigned r = 0, w = 0;
    for (const char *p = yaml; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) + 1 : strlen(p);
        if (!strncmp(p, "    read_energy: 0\n", len) && r < a->nlevels)
            n += (size_t)snprintf(out + n, cap - n, "    read_energy: %.17g\n",
                                  a->level[r++].read_energy);
        else if (!strncmp(p, "    write_energy: 0\n", len) && w < a->nlevels) {
            const struct pesim_level_cfg *c = &a->level[w++];
            n += (size_t)snprintf(out + n, cap - n, "    write_energy: %.17g\n", c->write_energy);
            if (c->block_words > 1) /* priced per vector access */
                n += (size_t)snprintf(out + n, cap - n, "    block_words: %u\n", c->block_words);
            if (c->leakage > 0)
                n += (size_t)snprintf(out + n, cap - n, "    leakage: %.17g\n", c->leakage);
        }
        else if (!strncmp(p, "energy: {unit: pJ, mac: 0, leakage_per_cycle: 0}\n", len))
            n += (size_t)snprintf(out + n, cap - n,
                                  "energy: {unit: pJ, mac: %.17g, leakage_per_cycle: %.17g, "
                                  "mac_leakage: %.17g}\n",
                                  a->energy.mac, a->energy.leakage_per_cycle,
                                  a->energy.mac_leakage);
        else {
            memcpy(out + n, p, len);
            n += len;
        }
        p += len;
    }
    out[n] = '\0';
    return out;
}

int pesim_cli_apply_constraints(const char *path, const char *workload,
                                const struct pesim_tl_arch *tl, struct pesim_arch *arch,
                                pesim_diags *d)
{
    if (!tl || tl->nlevels != arch->nlevels) {
        pesim_diags_addc(d, PESIM_DIAG_CLI_USAGE, "--constraints", 0, 0,
                         "Timeloop constraints name a Timeloop architecture's components, "
                         "expected --arch with a Timeloop spec (a pesim architecture gives "
                         "each level's `constraints:` in its own file)");
        return PESIM_E_INVALID;
    }
    char *text = NULL;
    size_t len = 0;
    int e = pesim_file_read(path, "the mapspace constraints (--constraints)", &text, &len, d);
    if (e)
        return e;
    struct pesim_tl_dims dims;
    e = workload_dims(workload, &dims, d);
    struct pesim_level_rules rules[PESIM_LEVELS_MAX];
    bool bypass[PESIM_LEVELS_MAX][PESIM_DS_COUNT];
    memset(bypass, 0, sizeof bypass);
    for (unsigned lv = 0; lv < PESIM_LEVELS_MAX; lv++)
        rules[lv] = arch->level[lv].rules;
    if (!e)
        e = pesim_import_tl_rules(text, len, path, arch, tl, &dims, rules, bypass, d);
    free(text);
    if (e)
        return e;
    for (unsigned lv = 0; lv < arch->nlevels; lv++) {
        arch->level[lv].rules = rules[lv];
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            if (bypass[lv][ds] && lv > 0) {
                arch->level[lv].holds[ds] = false;
                arch->level[lv].rules.keep[ds] = false;
            }
    }
    return 0;
}
