/* Schema of a storage level (an item of `levels:` in the general form,
 * docs/config.md "Levels") and the parser of the list. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "arch/arch_in.h"

#define CAP_KEY(NAME, DS, UNIT)                                                  \
    {.name = NAME, .type = CFG_U64, .umin = 0, .umax = 1ull << 50, .unit = UNIT, \
     .flags = CFG_F_OPTIONAL, .desc = "Most " UNIT " of " NAME " (0 = no limit)", \
     .offset = (DS) * sizeof(uint64_t)}

static const struct cfg_key ds_words_keys[] = {
    CAP_KEY("weights", PESIM_DS_WEIGHTS, "words"),
    CAP_KEY("inputs", PESIM_DS_INPUTS, "words"),
    CAP_KEY("outputs", PESIM_DS_OUTPUTS, "words"),
};
static const struct cfg_section ds_words_section = {ds_words_keys, 3, NULL};

static const struct cfg_key ds_bytes_keys[] = {
    CAP_KEY("weights", PESIM_DS_WEIGHTS, "bytes"),
    CAP_KEY("inputs", PESIM_DS_INPUTS, "bytes"),
    CAP_KEY("outputs", PESIM_DS_OUTPUTS, "bytes"),
};
static const struct cfg_section ds_bytes_section = {ds_bytes_keys, 3, NULL};

#define BITS_KEY(NAME, DS)                                                       \
    {.name = NAME, .type = CFG_U32, .umin = 1, .umax = 64, .unit = "bits",       \
     .flags = CFG_F_OPTIONAL, .desc = "Word size of " NAME " here (default: word_bits." NAME ")", \
     .offset = (DS) * sizeof(uint32_t)}

static const struct cfg_key word_bits_keys[] = {
    BITS_KEY("weights", PESIM_DS_WEIGHTS),
    BITS_KEY("inputs", PESIM_DS_INPUTS),
    BITS_KEY("outputs", PESIM_DS_OUTPUTS),
};
static const struct cfg_section word_bits_section = {word_bits_keys, 3, NULL};

#define LV_OFF(FIELD) offsetof(struct pesim_level_cfg, FIELD)

static const struct cfg_key level_keys[] = {
    {.name = "name", .type = CFG_STRING, .umax = PESIM_LEVEL_NAME_MAX - 1, .unit = "",
     .desc = "Its name in mappings, counters and reports (letters, digits, _ and -)",
     .offset = LV_OFF(name)},
    {.name = "holds", .type = CFG_DS_LIST, .def = "[weights, inputs, outputs]", .unit = "",
     .desc = "Data spaces a mapping may keep here; the others pass by",
     .offset = LV_OFF(holds)},
    {.name = "words", .type = CFG_U64, .umin = 0, .umax = 1ull << 50, .unit = "words",
     .flags = CFG_F_OPTIONAL,
     .desc = "Capacity of one instance, all kept data spaces together (0 = no limit)",
     .offset = LV_OFF(words)},
    {.name = "ds_words", .type = CFG_SECTION, .unit = "", .sub = &ds_words_section,
     .desc = "Capacity per data space, words (a scratchpad each)", .offset = LV_OFF(ds_words)},
    {.name = "bytes", .type = CFG_U64, .umin = 0, .umax = 1ull << 50, .unit = "bytes",
     .flags = CFG_F_OPTIONAL,
     .desc = "Capacity of one instance in bytes, all together (0 = no limit)",
     .offset = LV_OFF(bytes)},
    {.name = "ds_bytes", .type = CFG_SECTION, .unit = "", .sub = &ds_bytes_section,
     .desc = "Capacity per data space, bytes (partitions)", .offset = LV_OFF(ds_bytes)},
    {.name = "word_bits", .type = CFG_SECTION, .unit = "", .sub = &word_bits_section,
     .desc = "Word size per data space here (a psum buffer may be wider)",
     .offset = LV_OFF(word_bits)},
    {.name = "double_buffer", .type = CFG_BOOL, .def = "false", .unit = "",
     .desc = "A tile takes twice its size (the next one fills beside it)",
     .offset = LV_OFF(double_buffer)},
    {.name = "interleaved", .type = CFG_BOOL, .def = "false", .unit = "",
     .desc = "Transfers of one data space share its banks' rate (a read and a write of "
             "psums at once, in different banks) instead of one holding the partition",
     .offset = LV_OFF(interleaved)},
    {.name = "stream", .type = CFG_BOOL, .def = "false", .unit = "",
     .desc = "Fills and drains overlap compute as if double-buffered, without doubling the tile (Timeloop's model)",
     .offset = LV_OFF(stream)},
    {.name = "halo", .type = CFG_BOOL, .def = "true", .unit = "",
     .desc = "Inputs: keep the overlap of a sliding window's tiles, fetch only the new rows",
     .offset = LV_OFF(halo)},
    {.name = "banks", .type = CFG_U32, .umin = 1, .umax = 4096, .def = "1", .unit = "",
     .desc = "Banks of one instance", .offset = LV_OFF(banks)},
    {.name = "bank_words_per_cycle", .type = CFG_U32, .umin = 0, .umax = 65536, .def = "0",
     .unit = "words/cycle", .desc = "Words per bank per cycle (0 = unlimited)",
     .offset = LV_OFF(bank_words_per_cycle)},
    {.name = "read_ports", .type = CFG_U32, .umin = 1, .umax = 8, .def = "1", .unit = "",
     .desc = "Reads in flight at once", .offset = LV_OFF(read_ports)},
    {.name = "write_ports", .type = CFG_U32, .umin = 1, .umax = 8, .def = "1", .unit = "",
     .desc = "Writes in flight at once", .offset = LV_OFF(write_ports)},
    {.name = "read_bandwidth", .type = CFG_DOUBLE, .dmin = 0, .dmax = 1e9, .def = "0",
     .unit = "words/cycle",
     .desc = "Reads of one instance per cycle, all data spaces together (0 = unlimited; Timeloop's read_bandwidth)",
     .offset = LV_OFF(read_bandwidth)},
    {.name = "write_bandwidth", .type = CFG_DOUBLE, .dmin = 0, .dmax = 1e9, .def = "0",
     .unit = "words/cycle",
     .desc = "Fills and updates of one instance per cycle, all data spaces together (0 = unlimited; Timeloop's write_bandwidth)",
     .offset = LV_OFF(write_bandwidth)},
    {.name = "read_energy", .type = CFG_DOUBLE, .dmin = 0, .dmax = 1e9, .unit = "(unit)",
     .desc = "Energy per word read", .offset = LV_OFF(read_energy)},
    {.name = "write_energy", .type = CFG_DOUBLE, .dmin = 0, .dmax = 1e9, .unit = "(unit)",
     .desc = "Energy per word written (filled or updated)", .offset = LV_OFF(write_energy)},
    {.name = "drain_energy", .type = CFG_DOUBLE, .dmin = 0, .dmax = 1e9, .unit = "(unit)",
     .flags = CFG_F_OPTIONAL,
     .desc = "Energy per psum word read out to the parent (default: read_energy)",
     .offset = LV_OFF(drain_energy)},
    {.name = "block_words", .type = CFG_U32, .umin = 1, .umax = 65536, .def = "1",
     .unit = "words",
     .desc = "Words one access moves: energy is charged per block of them (as Timeloop's "
             "vector accesses)",
     .offset = LV_OFF(block_words)},
    {.name = "cluster", .type = CFG_U32, .umin = 1, .umax = 65536, .def = "1", .unit = "instances",
     .desc = "Instances that share one access (a cluster's vector costs the same however few of "
             "them are used)",
     .offset = LV_OFF(cluster)},
    {.name = "leakage", .type = CFG_DOUBLE, .dmin = 0, .dmax = 1e9, .def = "0",
     .unit = "(unit)/cycle",
     .desc = "Leakage of one instance per cycle, charged on the instances given work",
     .offset = LV_OFF(leakage)},
    {.name = "fanout", .type = CFG_SECTION, .unit = "", .sub = &pesim_fanout_section,
     .flags = CFG_F_OPTIONAL, .desc = "Children below this level and their networks",
     .offset = LV_OFF(fanout)},
    {.name = "constraints", .type = CFG_SECTION, .unit = "", .sub = &pesim_rules_section,
     .flags = CFG_F_OPTIONAL,
     .desc = "What a mapper may choose here (docs/dataflows.md, \"The whole mapspace\")",
     .offset = LV_OFF(rules)},
};

const struct cfg_section pesim_level_section = {
    level_keys, sizeof level_keys / sizeof level_keys[0], NULL};

static bool name_ok(const char *s)
{
    if (!*s || strcmp(s, "mac") == 0)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-'))
            return false;
    return true;
}

static uint64_t unlimited(uint64_t v) { return v ? v : PESIM_UNLIMITED; }

/* What the file leaves out: no limit, no fan-out, a default name for a
 * network. (Word sizes left out are the arch's: its check fills them,
 * since word_bits may come after levels in the file.) */
static void level_finish(struct cfg_ctx *ctx, const char *ipath, struct pesim_level_cfg *c)
{
    c->words = unlimited(c->words);
    c->bytes = unlimited(c->bytes);
    if (!pesim_cfg_given(ctx, ipath, "drain_energy"))
        c->drain_energy = c->read_energy;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        c->ds_words[ds] = unlimited(c->ds_words[ds]);
        c->ds_bytes[ds] = unlimited(c->ds_bytes[ds]);
    }
    if (!pesim_cfg_given(ctx, ipath, "fanout")) {
        memset(&c->fanout, 0, sizeof c->fanout);
        return;
    }
    if (!c->fanout.name[0])
        snprintf(c->fanout.name, sizeof c->fanout.name, "%.*s_noc",
                 (int)(sizeof c->fanout.name - 5), c->name);
}

/* Names are keys of mappings and counters: unique over levels and
 * networks, and plain. */
static void check_names(struct cfg_ctx *ctx, const char *path, const struct pesim_arch *a)
{
    const char *seen[2 * PESIM_LEVELS_MAX];
    unsigned n = 0;
    char ipath[64];
    for (unsigned i = 0; i < a->nlevels; i++) {
        const char *names[2] = {a->level[i].name, a->level[i].fanout.name};
        const char *keys[2] = {"name", "fanout.name"};
        for (unsigned k = 0; k < 2; k++) {
            if (k == 1 && !pesim_arch_has_fanout(a, i))
                continue;
            snprintf(ipath, sizeof ipath, "%s[%u]", path, i);
            if (!name_ok(names[k])) {
                pesim_cfg_error_key(ctx, ipath, keys[k], "got '%s', expected letters, digits, "
                                    "_ and - (and not 'mac')", names[k]);
                continue;
            }
            for (unsigned j = 0; j < n; j++)
                if (strcmp(seen[j], names[k]) == 0)
                    pesim_cfg_error_key(ctx, ipath, keys[k], "'%s' again, expected a name "
                                        "no other level or network has", names[k]);
            seen[n++] = names[k];
        }
    }
}

int pesim_levels_parse(struct cfg_ctx *ctx, const struct cfg_key *key, yaml_node_t *node,
                       const char *path, void *obj)
{
    struct pesim_arch *a = (struct pesim_arch *)((char *)obj + key->offset);
    size_t n;
    yaml_node_item_t *it = pesim_cfg_level_items(ctx, node, path, &n);
    if (!it)
        return PESIM_E_INVALID;
    size_t before = ctx->nerrs;
    a->nlevels = (uint8_t)n;
    a->general = true;
    for (size_t i = 0; i < n; i++) {
        char ipath[64];
        snprintf(ipath, sizeof ipath, "%s[%zu]", path, i);
        struct pesim_level_cfg *c = &a->level[i];
        memset(c, 0, sizeof *c);
        pesim_cfg_defaults(&pesim_level_section, c);
        pesim_cfg_walk(ctx, &pesim_level_section, c, yaml_document_get_node(ctx->doc, it[i]),
                       ipath);
        level_finish(ctx, ipath, c);
    }
    if (ctx->nerrs == before)
        check_names(ctx, path, a);
    return ctx->nerrs > before ? PESIM_E_INVALID : 0;
}
