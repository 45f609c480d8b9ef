/* Notes on a result (docs/cli.md, "Notes"): when one resource was charged
 * most of a run's cycles, which one, how large it is and the key that
 * sizes it. Read from the engines' stalls by site and role
 * (struct pesim_layer_result's role_stalls), so the note names exactly the
 * resource the attribution charged (docs/model.md §8.4). */
#include <stdio.h>
#include <string.h>

#include "report/walk.h"

/* The resource charged the most cycles: a (site, role) of role_stalls, or
 * DRAM's latency (site -1). */
struct top {
    int site;
    unsigned role;
    uint64_t cycles;
};

static struct top busiest(const struct pesim_layer_result *r)
{
    struct top t = {-1, 0, r->stalls[PESIM_STALL_DRAM_LATENCY]};
    for (int s = 0; s < 2 * PESIM_LEVELS_MAX; s++)
        for (unsigned w = 0; w < PESIM_ROLE_COUNT; w++)
            if (r->role_stalls[s][w] > t.cycles)
                t = (struct top){s, w, r->role_stalls[s][w]};
    return t;
}

/* A key of the shorthand (`short_key`) or, in the general form, of the
 * level lv (`levels.NAME.general_key`). */
static void key_of(char *buf, size_t size, const struct pesim_arch *a, unsigned lv,
                   const char *short_key, const char *general_key)
{
    if (a->general)
        snprintf(buf, size, "levels.%s.%s", a->level[lv].name, general_key);
    else
        snprintf(buf, size, "%s", short_key);
}

static const char *ds_of(unsigned role) { return pesim_ds_name((enum pesim_ds)role); }

static const char *plural(double v) { return v == 1 ? "" : "s"; }

/* A partition's banks, as memory/glb.c splits them: the k-th data space
 * held takes banks / held, the first ones one more of the rest. */
static uint32_t partition_banks(const struct pesim_level_cfg *g, unsigned ds)
{
    unsigned held = 0, k = 0;
    for (unsigned d = 0; d < PESIM_DS_COUNT; d++) {
        held += g->holds[d];
        k += g->holds[d] && d < ds;
    }
    uint32_t b = held ? g->banks / held + (k < g->banks % held) : g->banks;
    return b ? b : 1;
}

/* The roles of a level that are keys of their own: the port pools (a
 * count) and Timeloop's bandwidths (a rate). */
static const struct {
    const char *key, *what;
    bool rate;
} level_keys[PESIM_ROLE_COUNT] = {
    [PESIM_ROLE_READ_PORTS] = {"read_ports", "read port", false},
    [PESIM_ROLE_WRITE_PORTS] = {"write_ports", "write port", false},
    [PESIM_ROLE_READ_BANDWIDTH] = {"read_bandwidth", "read bandwidth", true},
    [PESIM_ROLE_WRITE_BANDWIDTH] = {"write_bandwidth", "write bandwidth", true},
};

static double level_value(const struct pesim_level_cfg *g, unsigned role)
{
    switch (role) {
    case PESIM_ROLE_READ_PORTS: return g->read_ports;
    case PESIM_ROLE_WRITE_PORTS: return g->write_ports;
    case PESIM_ROLE_READ_BANDWIDTH: return g->read_bandwidth;
    default: return g->write_bandwidth;
    }
}

static void level_note(const struct pesim_arch *a, unsigned lv, unsigned role,
                       struct pesim_report_note *n)
{
    const struct pesim_level_cfg *g = &a->level[lv];
    const char *name = a->general ? g->name : "GLB";
    const char *k = role < PESIM_ROLE_COUNT ? level_keys[role].key : NULL;
    if (k) {
        n->value = level_value(g, role);
        snprintf(n->cause, sizeof n->cause, "%s.%s", g->name, k);
        if (level_keys[role].rate)
            snprintf(n->what, sizeof n->what, "the %s %s (%g word%s/cycle)", name,
                     level_keys[role].what, n->value, plural(n->value));
        else
            snprintf(n->what, sizeof n->what, "the %s %s%s (%g)", name, level_keys[role].what,
                     plural(n->value), n->value);
        char sk[40];
        snprintf(sk, sizeof sk, "glb.%s", k); /* the shorthand has only the ports */
        key_of(n->key, sizeof n->key, a, lv, sk, k);
        return;
    }
    /* a data space's partition: its banks' rate, or, unlimited, the
     * partition held by one transfer at a time */
    snprintf(n->cause, sizeof n->cause, "%s.%s", g->name, ds_of(role));
    if (g->bank_words_per_cycle == 0 && !g->interleaved) {
        n->verb = "set";
        n->value = 0;
        snprintf(n->what, sizeof n->what, "the %s banks of %s (one transfer at a time)", name,
                 ds_of(role));
        key_of(n->key, sizeof n->key, a, lv, "glb.interleaved", "interleaved");
        return;
    }
    n->value = g->bank_words_per_cycle;
    double words = (double)partition_banks(g, role) * g->bank_words_per_cycle;
    snprintf(n->what, sizeof n->what, "the %s banks of %s (%g word%s/cycle)", name, ds_of(role),
             words, plural(words));
    key_of(n->key, sizeof n->key, a, lv, "glb.bank_words_per_cycle", "bank_words_per_cycle");
}

static void net_note(const struct pesim_arch *a, unsigned f, unsigned role,
                     struct pesim_report_note *n)
{
    const struct pesim_fanout_cfg *fo = &a->level[f].fanout;
    const struct pesim_net_cfg *net = &fo->net[role == PESIM_ROLE_RELOAD ? PESIM_DS_OUTPUTS : role];
    const char *name = a->general ? fo->name : "NoC";
    bool reload = role == PESIM_ROLE_RELOAD;
    n->value = reload ? net->reload_width_words : net->width_words;
    snprintf(n->cause, sizeof n->cause, "%s.%s%s", fo->name, reload ? "outputs" : ds_of(role),
             reload ? ".reload" : "");
    snprintf(n->what, sizeof n->what, "the %s %s bus (%g word%s/cycle)", name,
             reload ? "psum reload" : ds_of(role), n->value, plural(n->value));
    const char *k = reload ? "reload_width_words" : "width_words";
    const char *ds = reload ? "outputs" : ds_of(role);
    char sk[64], gk[96];
    snprintf(sk, sizeof sk, "noc.%s.%s", ds, k);
    snprintf(gk, sizeof gk, "fanout.network.%s.%s", ds, k);
    key_of(n->key, sizeof n->key, a, f, sk, gk);
}

bool pesim_report_bound_note(const struct pesim_arch *arch, const struct pesim_layer_result *r,
                             struct pesim_report_note *n)
{
    memset(n, 0, sizeof *n);
    if (!arch || r->engine == PESIM_ENGINE_ANALYSIS || r->cycles == 0)
        return false;
    struct top t = busiest(r);
    /* more than half: the one resource that bounds the run */
    if (t.cycles <= r->cycles / 2)
        return false;
    n->share = (double)t.cycles / (double)r->cycles;
    n->verb = "raise";
    if (t.site < 0) {
        n->verb = "lower";
        n->value = arch->dram.latency_cycles;
        snprintf(n->cause, sizeof n->cause, "dram.latency");
        snprintf(n->what, sizeof n->what, "DRAM latency (%g cycle%s)", n->value,
                 plural(n->value));
        snprintf(n->key, sizeof n->key, "dram.latency_cycles");
    } else if (t.site == PESIM_LEVEL_DRAM) {
        n->value = arch->dram.bandwidth_gbps;
        snprintf(n->cause, sizeof n->cause, "dram.bandwidth");
        snprintf(n->what, sizeof n->what, "DRAM bandwidth (%g GB/s)", n->value);
        snprintf(n->key, sizeof n->key, "dram.bandwidth_gbps");
    } else if (t.site < PESIM_LEVELS_MAX) {
        level_note(arch, (unsigned)t.site, t.role, n);
    } else {
        net_note(arch, (unsigned)t.site - PESIM_LEVELS_MAX, t.role, n);
    }
    return true;
}

void pesim_report_note_text(FILE *out, const char *prefix, const struct pesim_report_note *n)
{
    fprintf(out, "note: %s%.0f%% of the cycles wait on %s: %s %s%s\n", prefix ? prefix : "",
            100.0 * n->share, n->what, n->verb, n->key,
            strcmp(n->verb, "set") == 0 ? "=true" : "");
}

const char *pesim_report_objective(const struct pesim_report_ctx *ctx)
{
    if (ctx && ctx->explicit_mapping)
        return "explicit mapping";
    const char *o = pesim_objective_name(ctx ? ctx->objective : PESIM_OBJECTIVE_LATENCY);
    return o ? o : "unknown";
}
