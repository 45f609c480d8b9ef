/* Schema of the memories: the global buffer (glb) and DRAM (dram), with
 * their cross-key checks. */
#include <math.h>
#include <stddef.h>

#include "arch/arch_in.h"

static void glb_check(struct cfg_ctx *ctx, const char *path, void *obj)
{
    const struct pesim_glb_cfg *glb = obj;
    if (glb->capacity_bytes != 0)
        return;
    /* A GLB of 0 bytes is allowed (everything streams from DRAM), but then
     * it cannot hold anything. */
    for (size_t i = 0; i < PESIM_DS_COUNT; i++)
        if (glb->holds[i]) {
            pesim_cfg_error_keyc(ctx, PESIM_DIAG_CFG_CONFLICT, path, "holds",
                                 "holds %s but capacity_bytes is 0, expected "
                                 "[] for a GLB without capacity",
                                 pesim_ds_name((enum pesim_ds)i));
            return;
        }
}

#define MAX_KEY(NAME, DS)                                                         \
    {.name = NAME, .type = CFG_U64, .umin = 0, .umax = 1ull << 50, .def = "0",   \
     .unit = "bytes",                                                            \
     .desc = "Most of the GLB " NAME " may take (0 = no cap beyond capacity_bytes)", \
     .offset = (DS) * sizeof(uint64_t)}

static const struct cfg_key max_bytes_keys[] = {
    MAX_KEY("weights", PESIM_DS_WEIGHTS),
    MAX_KEY("inputs", PESIM_DS_INPUTS),
    MAX_KEY("outputs", PESIM_DS_OUTPUTS),
};

static const struct cfg_section max_bytes_section = {
    max_bytes_keys, sizeof max_bytes_keys / sizeof max_bytes_keys[0], NULL};

static const struct cfg_key glb_keys[] = {
    {.name = "capacity_bytes", .type = CFG_U64, .umin = 0,
     .umax = 1ull << 50, .unit = "bytes",
     .desc = "Total capacity (0 = no GLB; then holds must be [])",
     .offset = offsetof(struct pesim_glb_cfg, capacity_bytes)},
    {.name = "banks", .type = CFG_U32, .umin = 1, .umax = 4096, .def = "1",
     .def_doc = "derived: one per data space held", .unit = "",
     .desc = "Independently accessed banks",
     .offset = offsetof(struct pesim_glb_cfg, banks)},
    {.name = "bank_words_per_cycle", .type = CFG_U32, .umin = 0,
     .umax = 65536, .def = "1", .def_doc = "derived: the widest NoC bus it feeds",
     .unit = "words/cycle",
     .desc = "Words one bank reads or writes per cycle (0 = unlimited)",
     .offset = offsetof(struct pesim_glb_cfg, bank_words_per_cycle)},
    {.name = "read_ports", .type = CFG_U32, .umin = 1, .umax = 8, .def = "1",
     .def_doc = "derived: one per data space held", .unit = "",
     .desc = "GLB reads in flight at once",
     .offset = offsetof(struct pesim_glb_cfg, read_ports)},
    {.name = "write_ports", .type = CFG_U32, .umin = 1, .umax = 8,
     .def = "1", .def_doc = "derived: one per data space held", .unit = "",
     .desc = "GLB writes in flight at once",
     .offset = offsetof(struct pesim_glb_cfg, write_ports)},
    {.name = "holds", .type = CFG_DS_LIST,
     .def = "[weights, inputs, outputs]", .unit = "",
     .desc = "Data spaces the GLB may store; the others bypass it",
     .offset = offsetof(struct pesim_glb_cfg, holds)},
    {.name = "max_bytes", .type = CFG_SECTION, .unit = "",
     .desc = "Per data space caps inside capacity_bytes (Eyeriss: 8 kB of filters)",
     .offset = offsetof(struct pesim_glb_cfg, max_bytes), .sub = &max_bytes_section},
    {.name = "double_buffer", .type = CFG_BOOL, .def = "false", .unit = "",
     .desc = "Tiles take twice their size so fills overlap compute",
     .offset = offsetof(struct pesim_glb_cfg, double_buffer)},
    {.name = "halo", .type = CFG_BOOL, .def = "false", .unit = "",
     .desc = "Keep the overlap of consecutive input tiles of a sliding window and fetch "
             "only the new rows (the general form's level halo)",
     .offset = offsetof(struct pesim_glb_cfg, halo)},
    {.name = "interleaved", .type = CFG_BOOL, .def = "false", .unit = "",
     .desc = "Transfers of one data space share its banks' rate (a read and a write of "
             "psums at once, in different banks) instead of one holding the partition",
     .offset = offsetof(struct pesim_glb_cfg, interleaved)},
};

const struct cfg_section pesim_glb_section = {
    glb_keys, sizeof glb_keys / sizeof glb_keys[0], glb_check};

/* Derived defaults of the GLB (docs/config.md, "Derived defaults"): what
 * feeds the NoC's buses at their full rate, so that a file giving only the
 * array and the capacity is not bound by a one-word, one-bank, one-port
 * buffer. A bank per data space held (glb.c splits the banks between them,
 * so each gets a partition of its own), each as wide as the widest bus of
 * the data spaces held (0, unlimited, when one of them is), and a read and a
 * write port per data space held, so every partition is read and written
 * at once (Eyeriss v1: 3 and 3). Runs after pesim_noc_derive. */
void pesim_glb_derive(struct cfg_ctx *ctx, struct pesim_arch *a)
{
    struct pesim_glb_cfg *g = &a->glb;
    uint32_t held = 0, widest = 0;
    bool unlimited = false;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        if (!g->holds[ds])
            continue;
        held++;
        unlimited = unlimited || a->noc[ds].width_words == 0;
        if (a->noc[ds].width_words > widest)
            widest = a->noc[ds].width_words;
    }
    uint32_t per_ds = held ? held : 1;
    g->banks_derived = pesim_cfg_defaulted(ctx, "glb", "banks", g->banks_derived);
    g->bank_words_derived = pesim_cfg_defaulted(ctx, "glb", "bank_words_per_cycle",
                                                g->bank_words_derived);
    g->read_ports_derived = pesim_cfg_defaulted(ctx, "glb", "read_ports", g->read_ports_derived);
    g->write_ports_derived = pesim_cfg_defaulted(ctx, "glb", "write_ports", g->write_ports_derived);
    if (g->banks_derived)
        g->banks = per_ds;
    if (g->bank_words_derived) {
        /* the smallest partition, as glb.c splits the banks */
        uint32_t banks = g->banks / per_ds ? g->banks / per_ds : 1;
        g->bank_words_per_cycle = unlimited ? 0 : held ? (widest + banks - 1) / banks : 1;
    }
    if (g->read_ports_derived)
        g->read_ports = per_ds;
    if (g->write_ports_derived)
        g->write_ports = per_ds;
}

static void dram_check(struct cfg_ctx *ctx, const char *path, void *obj)
{
    struct pesim_arch_in *in = obj;
    if (!pesim_cfg_given(ctx, path, "latency_ns"))
        return;
    if (pesim_cfg_given(ctx, path, "latency_cycles") && ctx->loading) {
        pesim_cfg_error_keyc(ctx, PESIM_DIAG_CFG_CONFLICT, path, "latency_ns",
                             "given together with latency_cycles, expected "
                             "only one of them");
        return;
    }
    /* ns -> core cycles, rounding up: a partial cycle is a whole stall.
     * The small epsilon keeps exact products (50 ns at 200 MHz) exact. */
    double cycles = ceil(in->dram_latency_ns * in->a.clock_mhz / 1000.0 - 1e-9);
    if (cycles < 0)
        cycles = 0;
    if (!(cycles <= 4294967295.0)) {
        pesim_cfg_error_keyc(ctx, PESIM_DIAG_CFG_RANGE, path, "latency_ns",
                             "got %g ns = %.0f cycles at %g MHz, expected at "
                             "most 4294967295 cycles",
                             in->dram_latency_ns, cycles, in->a.clock_mhz);
        return;
    }
    in->a.dram.latency_cycles = (uint32_t)cycles;
}

static const char *const compression_names[] = {"none", "rlc", NULL};

static const struct cfg_key dram_keys[] = {
    {.name = "bandwidth_gbps", .type = CFG_DOUBLE, .dmin = 0, .dmax = 1e6,
     .unit = "GB/s",
     .desc = "Sustained bandwidth, 1 GB/s = 1e9 bytes/s (0 = unlimited)",
     .offset = offsetof(struct pesim_arch_in, a.dram.bandwidth_gbps)},
    {.name = "latency_cycles", .type = CFG_U32, .umin = 0,
     .umax = 4294967295ull, .def = "0", .unit = "cycles",
     .desc = "Access latency in core cycles",
     .offset = offsetof(struct pesim_arch_in, a.dram.latency_cycles)},
    {.name = "latency_ns", .type = CFG_DOUBLE, .dmin = 0, .dmax = 1e9,
     .unit = "ns", .flags = CFG_F_OPTIONAL,
     .desc = "Access latency in ns instead of latency_cycles; converted "
             "with clock_mhz, rounded up",
     .offset = offsetof(struct pesim_arch_in, dram_latency_ns)},
    {.name = "compression", .type = CFG_ENUM, .names = compression_names, .def = "none",
     .unit = "",
     .desc = "Codec for feature maps on the link: none, or rlc (Eyeriss's run-length code; "
             "moves fewer words for a layer's sparse inputs and outputs, by their density)",
     .offset = offsetof(struct pesim_arch_in, a.dram.compression)},
};

const struct cfg_section pesim_dram_section = {
    dram_keys, sizeof dram_keys / sizeof dram_keys[0], dram_check};
