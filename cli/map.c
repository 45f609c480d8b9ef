/* pesim map: the mapping a dataflow's mapper picks for one layer, as YAML
 * that `pesim run --mapping` reads back unchanged. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

void pesim_cli_map_help(FILE *out)
{
    fputs("usage: pesim map --arch ARCH --workload WORKLOAD [--layer SEL] [options]\n"
          "\n"
          "Run a dataflow's mapper on the selected layers and print the mappings\n"
          "it picks as YAML (docs/config.md, \"Mapping\"): one `mapping` for one\n"
          "layer, a `layers` list for several; `pesim run --mapping FILE`\n"
          "accepts either back unchanged. Comment lines give the layer, dataflow,\n"
          "objective and the analysis's cycles and energy of each mapping.\n"
          "\n"
          "options:\n"
          "  --arch ARCH          architecture: a preset or a YAML file\n"
          "  --workload W         workload: a shipped network or a YAML file\n"
          "  --layer SEL          the layers (names, first:last, kinds; default all)\n"
          "  --batch N            batch size N of conv and fc layers\n"
          "  --dataflow DF        ws (default), os, os_a, os_c, is, nlr, rs or\n"
          "                       mapspace (no template: the whole mapspace)\n"
          "  --objective OBJ      latency (default), energy or edp\n"
          "  --engine E           what ranks the latency and edp candidates: event\n"
          "                       (default; step ranks the same) or analysis (the\n"
          "                       roofline alone)\n"
          "  --constraints FILE   Timeloop mapspace constraints (a Timeloop --arch)\n"
          "  --explain            with --dataflow mapspace: say how the search went\n"
          "                       (space, mappings evaluated, bounds) and which\n"
          "                       constraints shaped the pick (the best without each)\n"
          "  --threads N          search threads for --explain (default 0: one per\n"
          "                       core); the answer does not depend on N\n"
          "  --set KEY=VALUE      override an architecture key (repeatable)\n"
          "  -o, --output FILE    write there instead of stdout (only on success)\n"
          "  -h, --help           show this help\n"
          "\n"
          "exit status: 0 success, 1 no mapping fits, 2 bad input.\n"
          "\n"
          "example:\n"
          "  pesim map --arch eyeriss-v1 --workload alexnet --layer CONV1 --dataflow rs -o conv1-rs.yaml\n",
          out);
}

struct map_job {
    const struct pesim_cli_opts *o;
    const struct pesim_arch *arch;
    const struct pesim_workload *wl;
    const pesim_dataflow *df;
    const struct pesim_mapping_set *set; /* one per layer, in order */
};

/* The analysis's summary of one layer's mapping, as a comment line. */
static int comment(FILE *out, const struct pesim_arch *arch, const struct pesim_layer *l,
                   const struct pesim_mapping *m, bool named)
{
    struct pesim_analysis a;
    uint64_t b[PESIM_BOUND_COUNT];
    struct pesim_energy e;
    int rc = pesim_map_analyze(arch, l, m, &a);
    if (rc)
        return rc;
    uint64_t cycles = pesim_map_bounds(arch, &a, b, NULL);
    pesim_energy_compute(arch, &a, cycles, &e);
    fprintf(out, "# analysis%s%s: %llu roofline cycles (%llu ideal), %llu active PEs, "
            "energy/MAC %.6g\n", named ? " of " : "", named ? l->name : "",
            (unsigned long long)cycles, (unsigned long long)a.ideal_cycles,
            (unsigned long long)a.active_pes, e.per_mac);
    return 0;
}

static const char *const kind_text[][2] = {
    {"keep", "keep"}, {"factors", "factors"}, {"order", "order"},
    {"spatial_factors", "fan-out spatial_factors"}, {"axes", "fan-out axes (x, y)"},
    {"holds", "data spaces it may not keep"}};

static const char *kind_name(const char *kind)
{
    for (size_t i = 0; i < sizeof kind_text / sizeof kind_text[0]; i++)
        if (!strcmp(kind_text[i][0], kind))
            return kind_text[i][1];
    return kind;
}

/* --explain: how the whole-mapspace search went for one layer, and the
 * constraints without which its best would be better. */
static int explain(FILE *out, const struct map_job *j, const struct pesim_layer *l)
{
    struct pesim_mapping best;
    struct pesim_search_report r;
    pesim_diags *d = pesim_diags_create();
    int rc = d ? pesim_df_search(j->df, j->arch, l, j->o->objective, j->o->threads, &best, &r, d)
               : PESIM_E_NOMEM;
    pesim_diags_destroy(d);
    if (rc == PESIM_E_UNSUPPORTED) {
        fprintf(out, "# search: the %s template's mapper (docs/dataflows.md, \"The mapper\"); "
                "--explain reports on --dataflow mapspace\n", pesim_df_name(j->df));
        return 0;
    }
    if (rc)
        return 0; /* the mapping itself failed and says why */
    if (r.exhaustive)
        fprintf(out, "# search of %s: the whole space, %.0f mappings under the constraints, "
                "every one evaluated (%llu within the buffers): the pick is optimal\n",
                l->name, r.space, (unsigned long long)r.legal);
    else
        fprintf(out, "# search of %s: local search from %u starts in a space of at most %.3g "
                "mappings; %llu evaluated, %llu within the buffers\n", l->name, r.starts,
                r.space, (unsigned long long)r.evaluated, (unsigned long long)r.legal);
    fprintf(out, "# bounds: energy >= %.6g (every weight read and every output written once "
            "at %s, and the MACs): the pick's %.6g is %.3gx; cycles >= %llu (MACs / PEs): "
            "the pick's %llu is %.3gx\n", r.bound_energy, j->arch->level[0].name, r.energy,
            r.bound_energy > 0 ? r.energy / r.bound_energy : 0,
            (unsigned long long)r.bound_cycles, (unsigned long long)r.cycles,
            r.bound_cycles ? (double)r.cycles / (double)r.bound_cycles : 0);
    struct pesim_constraint_effect e[PESIM_LEVELS_MAX * 6];
    size_t n = 0;
    pesim_df_constraint_effects(j->df, j->arch, l, j->o->objective, j->o->threads, e,
                                sizeof e / sizeof e[0], &n);
    if (n == 0) {
        fprintf(out, "# constraints: none (the architecture leaves the mapspace free)\n");
        return 0;
    }
    fprintf(out, "# constraints, each lifted alone (shaped: the best is better without it):\n");
    for (size_t i = 0; i < n; i++) {
        const char *lv = j->arch->level[e[i].level].name;
        if (!e[i].found) {
            fprintf(out, "#   %s %s: no mapping without it either\n", lv, kind_name(e[i].kind));
            continue;
        }
        bool shaped = j->o->objective == PESIM_OBJECTIVE_LATENCY
                          ? e[i].cycles < r.cycles ||
                                (e[i].cycles == r.cycles && e[i].energy < r.energy)
                      : j->o->objective == PESIM_OBJECTIVE_ENERGY
                          ? e[i].energy < r.energy
                          : e[i].energy * (double)e[i].cycles < r.energy * (double)r.cycles;
        fprintf(out, "#   %s %s: %s (energy %.6g, %+.1f%%; cycles %llu)\n", lv,
                kind_name(e[i].kind), shaped ? "shaped the pick" : "no better without it", e[i].energy,
                r.energy > 0 ? 100.0 * (e[i].energy - r.energy) / r.energy : 0,
                (unsigned long long)e[i].cycles);
    }
    return 0;
}

static int write_map(FILE *out, const void *data)
{
    const struct map_job *j = data;
    const struct pesim_workload *wl = j->wl;
    bool single = wl->count == 1;
    if (single)
        fprintf(out, "# pesim %s map: layer %s of %s (N=%llu) on %s\n", pesim_version(),
                wl->layers[0].name, wl->name,
                (unsigned long long)wl->layers[0].dim[PESIM_DIM_N], j->arch->name);
    else
        fprintf(out, "# pesim %s map: %zu layers of %s on %s\n", pesim_version(), wl->count,
                wl->name, j->arch->name);
    fprintf(out, "# dataflow %s (%s), objective %s\n", pesim_df_name(j->df),
            pesim_df_title(j->df), pesim_objective_name(j->o->objective));
    for (size_t i = 0; i < wl->count; i++) {
        int rc = comment(out, j->arch, &wl->layers[i], &j->set->items[i].mapping, !single);
        if (rc)
            return rc;
        if (j->o->explain && (rc = explain(out, j, &wl->layers[i])) != 0)
            return rc;
    }
    if (single)
        return pesim_mapping_write_yaml(j->arch, &j->set->items[0].mapping, out);
    return pesim_mapping_set_write_yaml(j->arch, j->set, out);
}

int pesim_cli_map(int argc, char **argv)
{
    struct pesim_cli_opts o;
    struct pesim_arch arch;
    struct pesim_workload wl = {0};
    struct pesim_mapping_set set = {0};
    int status = PESIM_EXIT_INPUT;
    pesim_diags *d = pesim_diags_create();
    if (!d) {
        fputs("pesim: out of memory\n", stderr);
        return PESIM_EXIT_SIM;
    }
    int e = pesim_cli_parse(&o, "pesim map", PESIM_CLI_OPT_DATAFLOW | PESIM_CLI_OPT_EXPLAIN,
                            argc, argv, d);
    if (!e && o.help) {
        pesim_cli_map_help(stdout);
        status = PESIM_EXIT_OK;
        goto out;
    }
    if (e || pesim_cli_load(&o, &arch, &wl, d) != 0)
        goto out;
    const pesim_dataflow *df = pesim_cli_dataflow(&o, &arch);
    set.items = calloc(wl.count, sizeof *set.items);
    if (!set.items) {
        status = PESIM_EXIT_SIM;
        goto out;
    }
    set.count = wl.count;
    for (size_t i = 0; i < wl.count; i++) {
        struct pesim_named_mapping *it = &set.items[i];
        snprintf(it->layer, sizeof it->layer, "%s", wl.layers[i].name);
        const struct pesim_mapping *again = NULL;
        for (size_t k = 0; k < i && !again; k++)
            if (pesim_sim_same_layer(&wl.layers[k], &wl.layers[i]))
                again = &set.items[k].mapping;
        if (again) {
            it->mapping = *again;
            continue;
        }
        /* the whole mapspace, where no engine ranks: the search on
         * --threads workers (the same pick for any count) */
        struct pesim_search_report rep;
        bool ranked = o.objective != PESIM_OBJECTIVE_ENERGY && o.engine != PESIM_ENGINE_ANALYSIS;
        int se = ranked ? PESIM_E_UNSUPPORTED
                        : pesim_df_search(df, &arch, &wl.layers[i], o.objective, o.threads,
                                          &it->mapping, &rep, d);
        if (se == 0)
            continue;
        if (se != PESIM_E_UNSUPPORTED) {
            status = PESIM_EXIT_SIM;
            goto out;
        }
        if (pesim_sim_map(df, &arch, &wl.layers[i], o.objective, o.engine, &it->mapping, d)) {
            status = PESIM_EXIT_SIM;
            goto out;
        }
    }
    struct map_job job = {&o, &arch, &wl, df, &set};
    status = pesim_cli_output(o.output, write_map, &job, d) ? PESIM_EXIT_INPUT : PESIM_EXIT_OK;
out:
    pesim_cli_print_diags(d, stderr);
    pesim_diags_destroy(d);
    pesim_mapping_set_free(&set);
    pesim_workload_free(&wl);
    pesim_cli_opts_free(&o);
    return status;
}
