/* Energy = actions x energy per action (docs/model.md, "Energy"). */
#include "pesim/energy.h"

const char *pesim_energy_unit_name(enum pesim_energy_unit unit)
{
    return unit == PESIM_ENERGY_PJ ? "pJ" : "normalized";
}

/* Row of every level and network, in the order of the rows. */
struct rows {
    unsigned n;
    int8_t level[PESIM_ENERGY_ROWS_MAX]; /* storage level, or -1 */
    int8_t net[PESIM_ENERGY_ROWS_MAX];   /* level whose fan-out it is, or -1 */
};

static void rows_of(const struct pesim_arch *arch, struct rows *r)
{
    r->n = 0;
    for (unsigned lv = 0; lv < arch->nlevels; lv++) {
        r->level[r->n] = (int8_t)lv;
        r->net[r->n++] = -1;
        if (pesim_arch_has_fanout(arch, lv)) {
            r->level[r->n] = -1;
            r->net[r->n++] = (int8_t)lv;
        }
    }
    r->level[r->n] = r->net[r->n] = -1; /* the MAC */
    r->n++;
}

unsigned pesim_energy_rows(const struct pesim_arch *arch)
{
    struct rows r;
    rows_of(arch, &r);
    return r.n;
}

const char *pesim_energy_row_name(const struct pesim_arch *arch, unsigned row)
{
    struct rows r;
    rows_of(arch, &r);
    if (row >= r.n)
        return NULL;
    if (r.level[row] >= 0)
        return arch->level[r.level[row]].name;
    if (r.net[row] >= 0)
        return arch->level[r.net[row]].fanout.name;
    return "mac";
}

/* by_class from by_level: rows before and after the first network. */
static void classes(const struct pesim_arch *arch, struct pesim_energy *e)
{
    unsigned row = 0;
    bool below = false;
    for (unsigned lv = 0; lv < arch->nlevels; lv++) {
        enum pesim_elevel cls = lv == 0 ? PESIM_EL_DRAM : below ? PESIM_EL_RF : PESIM_EL_GLB;
        e->by_class[cls] += e->by_level[row++];
        if (pesim_arch_has_fanout(arch, lv)) {
            e->by_class[PESIM_EL_NOC] += e->by_level[row++];
            below = true;
        }
    }
    e->by_class[PESIM_EL_MAC] = e->by_level[row];
}

/* Words charged for n words of one kind moved at a level: whole blocks per
 * used instance. */
static double charged(const struct pesim_level_cfg *c, uint64_t used, uint64_t n)
{
    uint64_t b = c->block_words;
    if (b <= 1 || n == 0)
        return (double)n;
    if (used == 0)
        used = 1;
    uint64_t per = n / used + (n % used != 0); /* the busiest instance's share */
    return (double)((per / b + (per % b != 0)) * b) * (double)used;
}

/* A cluster's accesses cost the same however few of its instances are
 * used: each used one's words cost cluster / (used per cluster). */
static double cluster_factor(const struct pesim_arch *arch, unsigned lv, uint64_t used)
{
    uint64_t c = arch->level[lv].cluster, inst = pesim_arch_instances(arch, lv);
    if (c <= 1 || inst == 0 || used == 0)
        return 1;
    uint64_t per = (used * c + inst - 1) / inst; /* used instances of a cluster */
    per = per < 1 ? 1 : per > c ? c : per;
    return (double)c / (double)per;
}

/* Whether a level can hold any word at all (the iso-area no-local-reuse
 * PE has a register file of 0 words: nothing to read an operand from). */
static bool stores(const struct pesim_level_cfg *c)
{
    if (c->words == 0 || c->bytes == 0)
        return false;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (c->holds[ds] && c->ds_words[ds] > 0 && c->ds_bytes[ds] > 0)
            return true;
    return false;
}

/* Whether some level below the outermost fan-out (a PE level) reads the
 * data space to what is below it: the operand is kept in a PE. */
static bool pe_reads(const struct pesim_arch *arch, const struct pesim_analysis *a, unsigned ds)
{
    bool below = false;
    for (unsigned lv = 0; lv < arch->nlevels; lv++) {
        if (below && a->acc[lv][ds].reads > 0)
            return true;
        below = below || pesim_arch_has_fanout(arch, lv);
    }
    return false;
}

void pesim_energy_compute(const struct pesim_arch *arch, const struct pesim_analysis *a,
                          uint64_t cycles, struct pesim_energy *out)
{
    const struct pesim_energy_cfg *cfg = &arch->energy;
    *out = (struct pesim_energy){0};
    unsigned row = 0;
    for (unsigned lv = 0; lv < arch->nlevels; lv++) {
        const struct pesim_level_cfg *c = &arch->level[lv];
        /* free_fills: the study charges a move at its higher-cost end only,
         * so a fill is paid by the source's read (docs/model.md §5). */
        double fill_energy = cfg->free_fills ? 0 : c->write_energy;
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
            const struct pesim_access *x = &a->acc[lv][ds];
            uint64_t u = a->used_instances[lv];
            out->by[row][ds] = (charged(c, u, x->reads) * c->read_energy +
                                charged(c, u, x->fills) * fill_energy +
                                charged(c, u, x->updates) * c->write_energy +
                                charged(c, u, x->drains) * c->drain_energy) *
                               cluster_factor(arch, lv, u);
            if (lv == PESIM_LEVEL_DRAM && a->dram_ratio[ds] > 0) /* compressed link */
                out->by[row][ds] *= a->dram_ratio[ds];
        }
        /* operands_from_rf: an operand that no PE level keeps still passes
         * through the innermost one on its way to the MAC, one read per MAC
         * (ISCA 2016 Eq. 3 charges abcd reads at the RF with d >= 1). */
        if (cfg->operands_from_rf && lv > 0 && lv + 1 == arch->nlevels && stores(c))
            for (unsigned ds = PESIM_DS_WEIGHTS; ds <= PESIM_DS_INPUTS; ds++)
                if (!pe_reads(arch, a, ds))
                    out->by[row][ds] += (double)a->macs * c->read_energy;
        row++;
        if (!pesim_arch_has_fanout(arch, lv))
            continue;
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            out->by[row][ds] = (double)a->noc_words[lv][ds] * c->fanout.energy;
        row++;
    }
    out->nrows = row + 1;
    out->mac = (double)a->macs * cfg->mac;
    out->leakage = (double)cycles * (cfg->leakage_per_cycle + cfg->mac_leakage * a->active_pes);
    for (unsigned lv = 0; lv < arch->nlevels; lv++)
        out->leakage += (double)cycles * arch->level[lv].leakage * (double)a->used_instances[lv];
    for (unsigned el = 0; el < row; el++)
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
            out->by_level[el] += out->by[el][ds];
            out->by_data[ds] += out->by[el][ds];
        }
    out->by_level[row] = out->mac;
    classes(arch, out);
    out->total = out->leakage;
    for (unsigned el = 0; el < out->nrows; el++)
        out->total += out->by_level[el];
    out->per_mac = a->macs ? out->total / (double)a->macs : 0;
}
