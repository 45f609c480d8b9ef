/* SCALE-Sim configuration files (.cfg; include/pesim/import.h,
 * docs/systolic.md "SCALE-Sim's files").
 *
 * Read as SCALE-Sim v2 reads them (scalesim/scale_config.py of
 * scalesim-project/scale-sim-v2, through Python's configparser: sections
 * in brackets, `key: value` or `key = value`, keys case-insensitive,
 * comments from # or ;), and written as the pesim architecture that times
 * the same array: a systolic fan-out of ArrayHeight x ArrayWidth under one
 * SRAM level holding the three SRAMs' partitions (double-buffered: SCALE-
 * Sim's active half), one-byte words, im2col, and DRAM unlimited (CALC) or
 * at Bandwidth words per cycle (USER). Unlike configparser, pesim rejects an
 * unknown key or section, a repeated key and a value out of range, each at
 * its line and column. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pesim/import.h"

#define LINE_MAX_CHARS 4096
#define NAME_CHARS 48

enum key {
    K_RUN_NAME, K_IFACE_BW, K_ROWS, K_COLS, K_IFMAP_KB, K_FILTER_KB, K_OFMAP_KB,
    K_IFMAP_OFF, K_FILTER_OFF, K_OFMAP_OFF, K_DATAFLOW, K_BANDWIDTH, K_BANKS, K_TOPOLOGY,
    K_COUNT
};

struct key_row {
    const char *section, *name;
    bool required;
    uint64_t max; /* integers: [1, max]; 0: not an integer */
};

static const struct key_row keys[K_COUNT] = {
    [K_RUN_NAME] = {"general", "run_name", false, 0},
    [K_IFACE_BW] = {"run_presets", "InterfaceBandwidth", false, 0},
    [K_ROWS] = {"architecture_presets", "ArrayHeight", true, 65536},
    [K_COLS] = {"architecture_presets", "ArrayWidth", true, 65536},
    [K_IFMAP_KB] = {"architecture_presets", "IfmapSramSzkB", true, 1u << 30},
    [K_FILTER_KB] = {"architecture_presets", "FilterSramSzkB", true, 1u << 30},
    [K_OFMAP_KB] = {"architecture_presets", "OfmapSramSzkB", true, 1u << 30},
    [K_IFMAP_OFF] = {"architecture_presets", "IfmapOffset", false, 0},
    [K_FILTER_OFF] = {"architecture_presets", "FilterOffset", false, 0},
    [K_OFMAP_OFF] = {"architecture_presets", "OfmapOffset", false, 0},
    [K_DATAFLOW] = {"architecture_presets", "Dataflow", true, 0},
    [K_BANDWIDTH] = {"architecture_presets", "Bandwidth", false, 0},
    [K_BANKS] = {"architecture_presets", "MemoryBanks", false, 0},
    [K_TOPOLOGY] = {"network_presets", "TopologyCsvLoc", false, 0},
};

struct cfg {
    const char *file;
    pesim_diags *d;
    bool bad;
    bool seen[K_COUNT];
    unsigned line[K_COUNT], col[K_COUNT];
    uint64_t num[K_COUNT];
    char text[K_COUNT][NAME_CHARS];
};

static void error(struct cfg *c, unsigned line, unsigned col, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pesim_diags_add(c->d, c->file, line, col, "%s", msg);
    c->bad = true;
}

static const char *skip_space(const char *s, const char *e)
{
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    return s;
}

static const char *trim_end(const char *s, const char *e)
{
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        e--;
    return e;
}

/* A value as text for messages: printable, at most 40 characters. */
static void shown(const char *s, const char *e, char *out, size_t cap)
{
    size_t n = 0;
    for (; s < e && n + 1 < cap && n < 40; s++)
        out[n++] = isprint((unsigned char)*s) ? *s : '?';
    out[n] = '\0';
}

static void value(struct cfg *c, enum key k, const char *v, const char *e, unsigned line,
                  unsigned col)
{
    char got[48];
    shown(v, e, got, sizeof got);
    if (c->seen[k]) {
        error(c, line, col, "[%s] %s again (first at line %u), expected it once",
              keys[k].section, keys[k].name, c->line[k]);
        return;
    }
    c->seen[k] = true;
    c->line[k] = line;
    c->col[k] = col;
    if (keys[k].max) {
        uint64_t n = 0;
        const char *p = v;
        for (; p < e && isdigit((unsigned char)*p) && n <= keys[k].max; p++)
            n = n * 10 + (uint64_t)(*p - '0');
        if (p == v || p != e || n < 1 || n > keys[k].max)
            error(c, line, col, "[%s] %s: got '%s', expected an integer in [1, %llu]",
                  keys[k].section, keys[k].name, got, (unsigned long long)keys[k].max);
        c->num[k] = n;
        return;
    }
    size_t n = (size_t)(e - v);
    if (n >= NAME_CHARS)
        n = NAME_CHARS - 1;
    memcpy(c->text[k], v, n);
    c->text[k][n] = '\0';
}

static int find_key(const char *section, const char *k, size_t n)
{
    for (int i = 0; i < K_COUNT; i++)
        if (strcasecmp(keys[i].section, section) == 0 && strlen(keys[i].name) == n &&
            strncasecmp(keys[i].name, k, n) == 0)
            return i;
    return -1;
}

static bool known_section(const char *s)
{
    for (int i = 0; i < K_COUNT; i++)
        if (strcasecmp(keys[i].section, s) == 0)
            return true;
    return false;
}

static void parse_line(struct cfg *c, const char *s, const char *e, unsigned no,
                       char section[32])
{
    const char *b = skip_space(s, e);
    e = trim_end(b, e);
    if (b == e || *b == '#' || *b == ';')
        return;
    unsigned col = (unsigned)(b - s) + 1;
    if (*b == '[') {
        const char *close = memchr(b, ']', (size_t)(e - b));
        char got[48];
        shown(b + 1, close ? close : e, got, sizeof got);
        if (!close || close + 1 != e || close - b - 1 >= 31) {
            error(c, no, col, "a section header '[%s', expected [name]", got);
            section[0] = '\0';
            return;
        }
        memcpy(section, b + 1, (size_t)(close - b - 1));
        section[close - b - 1] = '\0';
        if (!known_section(section)) {
            error(c, no, col, "unknown section [%s], expected [general], [architecture_presets], "
                  "[run_presets] or [network_presets]", got);
            strcpy(section, "?"); /* its keys: reported with it */
        }
        return;
    }
    const char *sep = b;
    while (sep < e && *sep != ':' && *sep != '=')
        sep++;
    const char *kend = trim_end(b, sep);
    char got[48];
    shown(b, kend, got, sizeof got);
    if (sep == e) {
        error(c, no, col, "'%s': expected 'key: value'", got);
        return;
    }
    if (!section[0]) {
        error(c, no, col, "%s outside a known section, expected it under one", got);
        return;
    }
    if (strcmp(section, "?") == 0)
        return;
    int k = find_key(section, b, (size_t)(kend - b));
    if (k < 0) {
        char expected[256] = "";
        for (int i = 0; i < K_COUNT; i++)
            if (strcasecmp(keys[i].section, section) == 0)
                snprintf(expected + strlen(expected), sizeof expected - strlen(expected), "%s%s",
                         expected[0] ? ", " : "", keys[i].name);
        error(c, no, col, "[%s] unknown key '%s', expected one of %s", section, got, expected);
        return;
    }
    const char *v = skip_space(sep + 1, e);
    value(c, (enum key)k, v, e, no, (unsigned)(v - s) + 1);
}

/* The remaining checks, once every line is read. */
static void finish(struct cfg *c)
{
    for (int k = 0; k < K_COUNT; k++)
        if (keys[k].required && !c->seen[k])
            error(c, 1, 1, "[%s] %s: missing, expected it", keys[k].section, keys[k].name);
    if (c->seen[K_DATAFLOW]) {
        const char *df = c->text[K_DATAFLOW];
        if (strcmp(df, "os") && strcmp(df, "ws") && strcmp(df, "is"))
            error(c, c->line[K_DATAFLOW], c->col[K_DATAFLOW],
                  "[architecture_presets] Dataflow: got '%s', expected os, ws or is", df);
    }
    bool user = false;
    if (c->seen[K_IFACE_BW]) {
        const char *m = c->text[K_IFACE_BW];
        user = strcasecmp(m, "USER") == 0;
        if (!user && strcasecmp(m, "CALC"))
            error(c, c->line[K_IFACE_BW], c->col[K_IFACE_BW],
                  "[run_presets] InterfaceBandwidth: got '%s', expected CALC or USER", m);
    }
    if (user) {
        /* SCALE-Sim's Bandwidth is a list, its first entry the one used */
        const char *b = c->text[K_BANDWIDTH], *p = b;
        uint64_t n = 0;
        while (*p && isdigit((unsigned char)*p) && n < 1000000)
            n = n * 10 + (uint64_t)(*p++ - '0');
        if (!c->seen[K_BANDWIDTH] || p == b || (*p && *p != ',') || n < 1 || n >= 1000000)
            error(c, c->seen[K_BANDWIDTH] ? c->line[K_BANDWIDTH] : 1,
                  c->seen[K_BANDWIDTH] ? c->col[K_BANDWIDTH] : 1,
                  "[architecture_presets] Bandwidth: got '%s', expected words per cycle, an "
                  "integer in [1, 999999] (InterfaceBandwidth is USER)",
                  c->seen[K_BANDWIDTH] ? b : "nothing");
        c->num[K_BANDWIDTH] = n;
    }
    c->num[K_IFACE_BW] = user;
}

/* run_name as a pesim name: letters, digits, _ - . kept, others _. */
static void arch_name(const struct cfg *c, char *out, size_t cap)
{
    const char *s = c->seen[K_RUN_NAME] && c->text[K_RUN_NAME][0] ? c->text[K_RUN_NAME]
                                                                   : "scalesim";
    size_t n = 0;
    for (; *s && n + 1 < cap; s++)
        out[n++] = isalnum((unsigned char)*s) || *s == '_' || *s == '-' || *s == '.' ? *s : '_';
    out[n] = '\0';
}

static char *write_yaml(const struct cfg *c, const char *file)
{
    char name[NAME_CHARS], src[64];
    arch_name(c, name, sizeof name);
    shown(file, file + strlen(file), src, sizeof src);
    for (char *p = src; *p; p++)
        if (*p == '\n' || *p == '#')
            *p = '_';
    size_t cap = 4096;
    char *y = malloc(cap);
    if (!y)
        return NULL;
    bool user = c->num[K_IFACE_BW];
    snprintf(y, cap,
             "# SCALE-Sim configuration %s, read by pesim (docs/systolic.md).\n"
             "# Dataflow %s: run it with --dataflow sa-%s.\n"
             "name: %s\n"
             "clock_mhz: 1000                 # SCALE-Sim counts cycles; 1 GHz makes GB/s words/cycle\n"
             "word_bits: {weights: 8, inputs: 8, outputs: 8}   # its word_size: 1 byte\n"
             "im2col: true                    # its operand matrices\n"
             "dataflow: sa-%s\n"
             "dram: {bandwidth_gbps: %llu, latency_cycles: 0}   # %s\n"
             "energy: {unit: normalized, mac: 1}   # the book's costs: SCALE-Sim has none\n"
             "levels:\n"
             "  - name: dram\n"
             "    read_energy: 200\n"
             "    write_energy: 200\n"
             "  - name: sram                  # the ifmap, filter and ofmap SRAMs\n"
             "    holds: [weights, inputs, outputs]\n"
             "    ds_bytes: {weights: %llu, inputs: %llu, outputs: %llu}\n"
             "    double_buffer: true         # its active half (active_buf_frac 0.5)\n"
             "    bank_words_per_cycle: 0     # no SRAM bandwidth limit\n"
             "    read_energy: 6\n"
             "    write_energy: 6\n"
             "    fanout:\n"
             "      rows: %llu                 # ArrayHeight\n"
             "      cols: %llu                 # ArrayWidth\n"
             "      systolic: true\n"
             "      energy: 2\n"
             "      name: array\n"
             "      network:\n"
             "        weights: {width_words: 0}\n"
             "        inputs: {width_words: 0}\n"
             "        outputs: {width_words: 0}\n"
             "  - name: pe\n"
             "    holds: [weights, inputs, outputs]\n"
             "    ds_words: {weights: 1, inputs: 1, outputs: 1}\n"
             "    read_energy: 1\n"
             "    write_energy: 1\n",
             src, c->text[K_DATAFLOW], c->text[K_DATAFLOW], name, c->text[K_DATAFLOW],
             (unsigned long long)(user ? c->num[K_BANDWIDTH] : 0),
             user ? "USER: Bandwidth words per cycle" : "CALC: unlimited",
             (unsigned long long)c->num[K_FILTER_KB] * 1024,
             (unsigned long long)c->num[K_IFMAP_KB] * 1024,
             (unsigned long long)c->num[K_OFMAP_KB] * 1024, (unsigned long long)c->num[K_ROWS],
             (unsigned long long)c->num[K_COLS]);
    return y;
}

bool pesim_sc_is_cfg(const char *text, size_t len)
{
    static const char tag[] = "[architecture_presets]";
    for (size_t i = 0; i + sizeof tag - 1 <= len; i++)
        if ((i == 0 || text[i - 1] == '\n') && strncasecmp(text + i, tag, sizeof tag - 1) == 0)
            return true;
    return false;
}

int pesim_import_scalesim_cfg(const char *text, size_t len, const char *file,
                              struct pesim_arch *arch, char **yaml_out, pesim_diags *diags)
{
    struct cfg c;
    memset(&c, 0, sizeof c);
    c.file = file;
    c.d = diags;
    char section[32] = "";
    unsigned no = 1;
    const char *s = text, *end = text + len;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) /* a UTF-8 byte-order mark */
        s += 3;
    for (; s < end; no++) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        if (!e)
            e = end;
        if (memchr(s, '\0', (size_t)(e - s)))
            error(&c, no, 1, "a NUL byte, expected text");
        else if (e - s > LINE_MAX_CHARS)
            error(&c, no, 1, "a line of %zu characters, expected at most %d", (size_t)(e - s),
                  LINE_MAX_CHARS);
        else
            parse_line(&c, s, e, no, section);
        s = e + 1;
    }
    finish(&c);
    if (c.bad)
        return PESIM_E_INVALID;
    char *y = write_yaml(&c, file);
    if (!y)
        return PESIM_E_NOMEM;
    struct pesim_arch a;
    int rc = pesim_arch_load_string(y, strlen(y), file, &a, diags);
    if (rc) {
        free(y);
        return rc;
    }
    *arch = a;
    if (yaml_out)
        *yaml_out = y;
    else
        free(y);
    return 0;
}
