/* Schema of the PE array (pe_array: rows, cols, MAC latency, scratchpads)
 * and of the NoC (noc: one bus per data space). */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "arch/arch_in.h"

#define RF_WORDS_MAX 4294967296ull /* 2^32 words: far beyond any RF */

static void scratchpad_check(struct cfg_ctx *ctx, const char *path, void *obj)
{
    struct pesim_rf_cfg *rf = obj;
    /* "shared" switches the model to one RF; a later --set of the whole
     * section ({shared: N}) clears the per-data-space sizes. */
    bool per_ds = false;
    for (size_t i = 0; i < PESIM_DS_COUNT; i++)
        per_ds = per_ds || pesim_cfg_given(ctx, path, pesim_ds_name((enum pesim_ds)i));
    if (pesim_cfg_given(ctx, path, "shared"))
        rf->shared = true;
    else if (per_ds)
        rf->shared = false;
    bool any = false;
    for (size_t i = 0; i < PESIM_DS_COUNT; i++)
        any = any || rf->words[i] != 0 ||
              (ctx->loading && pesim_cfg_given(ctx, path, pesim_ds_name((enum pesim_ds)i)));
    if (rf->shared && any) {
        pesim_cfg_error_keyc(ctx, PESIM_DIAG_CFG_CONFLICT, path, "shared",
                             "given together with per-data-space sizes, "
                             "expected either shared or weights/inputs/outputs");
        return;
    }
    if (rf->shared && rf->shared_words == 0)
        pesim_cfg_error_keyc(ctx, PESIM_DIAG_CFG_RANGE, path, "shared",
                             "got 0, expected an integer in [1, %llu]",
                             RF_WORDS_MAX);
    if (!rf->shared && ctx->loading) {
        for (size_t i = 0; i < PESIM_DS_COUNT; i++)
            if (!pesim_cfg_given(ctx, path, pesim_ds_name((enum pesim_ds)i)))
                pesim_cfg_error_keyc(ctx, PESIM_DIAG_CFG_MISSING, path, pesim_ds_name((enum pesim_ds)i),
                                     "missing required key, expected an "
                                     "integer in [0, %llu] (or give shared "
                                     "instead)",
                                     RF_WORDS_MAX);
    }
}

#define RF_KEY(NAME, FIELD, MIN, DESC)                                         \
    {.name = NAME, .type = CFG_U64, .umin = MIN, .umax = RF_WORDS_MAX,        \
     .unit = "words", .desc = DESC, .flags = CFG_F_OPTIONAL,                  \
     .offset = offsetof(struct pesim_rf_cfg, FIELD)}

static const struct cfg_key scratchpad_keys[] = {
    RF_KEY("weights", words[PESIM_DS_WEIGHTS], 0,
           "Weight (filter) scratchpad per PE; 0 = none"),
    RF_KEY("inputs", words[PESIM_DS_INPUTS], 0,
           "Input (ifmap) scratchpad per PE; 0 = none"),
    RF_KEY("outputs", words[PESIM_DS_OUTPUTS], 0,
           "Output (psum) scratchpad per PE; 0 = none"),
    RF_KEY("shared", shared_words, 1,
           "One RF per PE shared by all data spaces, instead of the three above"),
};

static const struct cfg_section scratchpad_section = {
    scratchpad_keys, sizeof scratchpad_keys / sizeof scratchpad_keys[0],
    scratchpad_check};

static const struct cfg_key pe_array_keys[] = {
    {.name = "rows", .type = CFG_U32, .umin = 1, .umax = 4096, .unit = "PEs",
     .desc = "PE rows (array axis y)",
     .offset = offsetof(struct pesim_pe_array_cfg, rows)},
    {.name = "cols", .type = CFG_U32, .umin = 1, .umax = 4096, .unit = "PEs",
     .desc = "PE columns (array axis x)",
     .offset = offsetof(struct pesim_pe_array_cfg, cols)},
    {.name = "mac_latency_cycles", .type = CFG_U32, .umin = 1, .umax = 1024,
     .def = "1", .unit = "cycles",
     .desc = "MAC pipeline latency (one MAC per PE per cycle is issued)",
     .offset = offsetof(struct pesim_pe_array_cfg, mac_latency_cycles)},
    {.name = "halo", .type = CFG_BOOL, .def = "false", .unit = "",
     .desc = "The scratchpads keep the overlap of a sliding window and receive only the "
             "new inputs (Eyeriss's ifmap spad sliding along a row; the general form's "
             "level halo)",
     .offset = offsetof(struct pesim_pe_array_cfg, halo)},
    {.name = "stream", .type = CFG_BOOL, .def = "false", .unit = "",
     .desc = "The scratchpads take their next tile, and drain their psums, while the PE "
             "computes (the general form's level stream)",
     .offset = offsetof(struct pesim_pe_array_cfg, stream)},
    {.name = "scratchpad", .type = CFG_SECTION, .unit = "",
     .desc = "Register file (scratchpad) capacity of each PE",
     .offset = offsetof(struct pesim_pe_array_cfg, rf),
     .sub = &scratchpad_section, .flags = CFG_F_REQUIRED},
};

const struct cfg_section pesim_pe_array_section = {
    pe_array_keys, sizeof pe_array_keys / sizeof pe_array_keys[0], NULL};

static const struct cfg_key noc_bus_keys[] = {
    {.name = "width_words", .type = CFG_U32, .umin = 0, .umax = 65536,
     .def = "1", .def_doc = "derived: `pe_array.rows` (inputs), `pe_array.cols` (weights, outputs)",
     .unit = "words/cycle",
     .desc = "Words per cycle on the bus between the GLB and the PEs (0 = unlimited)",
     .offset = offsetof(struct pesim_noc_cfg, width_words)},
    {.name = "multicast", .type = CFG_BOOL, .def = "true", .unit = "",
     .desc = "One send reaches every PE that needs the word (else unicast)",
     .offset = offsetof(struct pesim_noc_cfg, multicast)},
    {.name = "reload_width_words", .type = CFG_U32, .umin = 0, .umax = 65536,
     .def = "0", .unit = "words/cycle",
     .desc = "Outputs: psums sent back down to the PEs take a bus of their own this wide "
             "(Eyeriss's psum GIN beside its GON); 0 = the same bus as the drains",
     .offset = offsetof(struct pesim_noc_cfg, reload_width_words)},
};

/* Only psums come back down: a reload bus on an operand's NoC is a
 * mistake about what the file models. */
static void noc_bus_check(struct cfg_ctx *ctx, const char *path, void *obj)
{
    (void)obj;
    size_t n = strlen(path);
    bool outputs = n >= 7 && strcmp(path + n - 7, "outputs") == 0;
    if (!outputs && pesim_cfg_given(ctx, path, "reload_width_words"))
        pesim_cfg_error_key(ctx, path, "reload_width_words",
                            "given for an operand, expected only width_words and "
                            "multicast here (reload_width_words applies to outputs)");
}

static const struct cfg_section noc_bus_section = {
    noc_bus_keys, sizeof noc_bus_keys / sizeof noc_bus_keys[0], noc_bus_check};

#define NOC_KEY(NAME, DS, DESC)                                                \
    {.name = NAME, .type = CFG_SECTION, .unit = "", .desc = DESC,             \
     .offset = (DS) * sizeof(struct pesim_noc_cfg), .sub = &noc_bus_section}

static const struct cfg_key noc_keys[] = {
    NOC_KEY("weights", PESIM_DS_WEIGHTS, "Bus carrying weights to the PEs"),
    NOC_KEY("inputs", PESIM_DS_INPUTS, "Bus carrying inputs to the PEs"),
    NOC_KEY("outputs", PESIM_DS_OUTPUTS,
            "Bus carrying psums between PEs and the GLB"),
};

const struct cfg_section pesim_noc_section = {
    noc_keys, sizeof noc_keys / sizeof noc_keys[0], NULL};

/* The edge of the array a data space's bus feeds, in PEs (docs/config.md,
 * "Derived defaults"): as in a weight-stationary array (the book's §5.7.1,
 * the TPU, SCALE-Sim's feeds), inputs enter along the rows, one word per
 * row broadcast across it; weights are loaded along the columns; the psums
 * reduced down each column leave at the bottom edge, one per column. */
static uint32_t edge_pes(const struct pesim_pe_array_cfg *pe, unsigned ds)
{
    return ds == PESIM_DS_INPUTS ? pe->rows : pe->cols;
}

void pesim_noc_derive(struct cfg_ctx *ctx, struct pesim_arch *a)
{
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        struct pesim_noc_cfg *bus = &a->noc[ds];
        char path[32];
        snprintf(path, sizeof path, "noc.%s", pesim_ds_name((enum pesim_ds)ds));
        bus->width_derived = pesim_cfg_defaulted(ctx, path, "width_words", bus->width_derived);
        if (bus->width_derived)
            bus->width_words = edge_pes(&a->pe_array, ds);
    }
}
