/* Schema of a fan-out (the `fanout` key of a level in the general form,
 * docs/config.md "Levels"): the children's grid and, per data space, the
 * network that carries data between the level and its children. */
#include <stddef.h>
#include <string.h>

#include "arch/arch_in.h"

static const struct cfg_key net_keys[] = {
    {.name = "width_words", .type = CFG_U32, .umin = 0, .umax = 65536, .def = "0",
     .unit = "words/cycle",
     .desc = "Words per cycle the level sends on this network (0 = unlimited)",
     .offset = offsetof(struct pesim_net_cfg, width_words)},
    {.name = "multicast", .type = CFG_BOOL, .def = "true", .unit = "",
     .desc = "Weights, inputs: one send reaches every child that needs the word (else unicast)",
     .offset = offsetof(struct pesim_net_cfg, multicast)},
    {.name = "reduce", .type = CFG_BOOL, .def = "true", .unit = "",
     .desc = "Outputs: the children's partial sums of an element are added on the way up "
             "(else each reaches the level, which adds them)",
     .offset = offsetof(struct pesim_net_cfg, reduce)},
    {.name = "exact", .type = CFG_BOOL, .def = "false", .unit = "",
     .desc = "Weights, inputs: a multicast reaches only children whose tiles are identical "
             "(Timeloop); else every child whose tile holds the word (overlapping, diagonal "
             "delivery)",
     .offset = offsetof(struct pesim_net_cfg, exact)},
    {.name = "reload_all", .type = CFG_BOOL, .def = "false", .unit = "",
     .desc = "Outputs: a partial sum brought back down goes to every child of its reduction "
             "group (Timeloop); else to one",
     .offset = offsetof(struct pesim_net_cfg, reload_all)},
    {.name = "reload_width_words", .type = CFG_U32, .umin = 0, .umax = 65536, .def = "0",
     .unit = "words/cycle",
     .desc = "Outputs: psums brought back down take a bus of their own this wide "
             "(Eyeriss's psum GIN beside its GON); 0 = the same bus as the drains",
     .offset = offsetof(struct pesim_net_cfg, reload_width_words)},
};

/* multicast means something only for operands, reduce only for outputs:
 * a file that sets the other is mistaken about what it models. */
static void net_check(struct cfg_ctx *ctx, const char *path, void *obj)
{
    (void)obj;
    size_t n = strlen(path);
    bool outputs = n >= 7 && strcmp(path + n - 7, "outputs") == 0;
    static const char *const operand_keys[] = {"multicast", "exact"};
    static const char *const output_keys[] = {"reduce", "reload_all", "reload_width_words"};
    const char *const *wrong = outputs ? operand_keys : output_keys;
    for (unsigned i = 0; i < (outputs ? 2u : 3u); i++)
        if (pesim_cfg_given(ctx, path, wrong[i]))
            pesim_cfg_error_key(ctx, path, wrong[i], "given for %s, expected only %s here "
                                "(multicast and exact apply to weights and inputs, reduce, "
                                "reload_all and reload_width_words to outputs)",
                                outputs ? "outputs" : "an operand",
                                outputs ? "width_words, reduce, reload_all and "
                                          "reload_width_words"
                                        : "width_words, multicast and exact");
}

static const struct cfg_section net_section = {
    net_keys, sizeof net_keys / sizeof net_keys[0], net_check};

#define NET_KEY(NAME, DS)                                                        \
    {.name = NAME, .type = CFG_SECTION, .unit = "", .sub = &net_section,         \
     .desc = "Network of " NAME,                                                 \
     .offset = offsetof(struct pesim_fanout_cfg, net) + (DS) * sizeof(struct pesim_net_cfg)}

static const struct cfg_key network_keys[] = {
    NET_KEY("weights", PESIM_DS_WEIGHTS),
    NET_KEY("inputs", PESIM_DS_INPUTS),
    NET_KEY("outputs", PESIM_DS_OUTPUTS),
};

static const struct cfg_section network_section = {
    network_keys, sizeof network_keys / sizeof network_keys[0], NULL};

static const struct cfg_key fanout_keys[] = {
    {.name = "rows", .type = CFG_U32, .umin = 1, .umax = 65536, .def = "1", .unit = "children",
     .desc = "Children along axis y (1 for a 1-D fan-out)",
     .offset = offsetof(struct pesim_fanout_cfg, rows)},
    {.name = "cols", .type = CFG_U32, .umin = 1, .umax = 65536, .unit = "children",
     .desc = "Children along axis x",
     .offset = offsetof(struct pesim_fanout_cfg, cols)},
    {.name = "systolic", .type = CFG_BOOL, .def = "false", .unit = "",
     .desc = "Neighbour forwarding, one hop a cycle, with the skewed fill and drain of every "
             "step (docs/systolic.md); only above the innermost level",
     .offset = offsetof(struct pesim_fanout_cfg, systolic)},
    {.name = "energy", .type = CFG_DOUBLE, .dmin = 0, .dmax = 1e9, .unit = "(unit)",
     .desc = "Energy per word delivered to a child (or moved up)",
     .offset = offsetof(struct pesim_fanout_cfg, energy)},
    {.name = "name", .type = CFG_STRING, .umax = PESIM_LEVEL_NAME_MAX - 1, .unit = "",
     .flags = CFG_F_OPTIONAL,
     .desc = "Its row in the energy breakdown (default: the level's name and _noc)",
     .offset = offsetof(struct pesim_fanout_cfg, name)},
    {.name = "network", .type = CFG_SECTION, .unit = "", .sub = &network_section,
     .desc = "The network of each data space", .offset = 0},
};

const struct cfg_section pesim_fanout_section = {
    fanout_keys, sizeof fanout_keys / sizeof fanout_keys[0], NULL};
