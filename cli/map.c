/* pesim map: the mapping a dataflow's mapper picks for one layer, as YAML
 * that `pesim run --mapping` reads back unchanged. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

void pesim_cli_map_help(FILE *out)
{
    fputs("usage: pesim map --arch ARCH --workload WORKLOAD --layer NAME [options]\n"
          "\n"
          "Run a dataflow's mapper on one layer and print the mapping it picks\n"
          "as YAML (docs/config.md, \"Mapping\"); `pesim run --mapping FILE`\n"
          "accepts it back unchanged. Comment lines give the layer, dataflow,\n"
          "objective and the analysis's cycles and energy of the mapping.\n"
          "\n"
          "options:\n"
          "  --arch ARCH          architecture: a preset or a YAML file\n"
          "  --workload W         workload: a shipped network or a YAML file\n"
          "  --layer SEL          the layer (exactly one)\n"
          "  --batch N            batch size N of conv and fc layers\n"
          "  --dataflow DF        ws (default), os, os_a, os_c, is, nlr or rs\n"
          "  --objective OBJ      latency (default), energy or edp\n"
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
    const struct pesim_layer *layer;
    const char *workload;
    const pesim_dataflow *df;
    const struct pesim_mapping *m;
};

static int write_map(FILE *out, const void *data)
{
    const struct map_job *j = data;
    struct pesim_analysis a;
    uint64_t b[PESIM_BOUND_COUNT];
    struct pesim_energy e;
    int rc = pesim_map_analyze(j->arch, j->layer, j->m, &a);
    if (rc)
        return rc;
    uint64_t cycles = pesim_map_bounds(j->arch, &a, b, NULL);
    pesim_energy_compute(&j->arch->energy, &a, cycles, &e);
    fprintf(out, "# pesim %s map: layer %s of %s (N=%llu) on %s\n", pesim_version(),
            j->layer->name, j->workload, (unsigned long long)j->layer->dim[PESIM_DIM_N],
            j->arch->name);
    fprintf(out, "# dataflow %s (%s), objective %s\n", pesim_df_name(j->df),
            pesim_df_title(j->df), pesim_objective_name(j->o->objective));
    fprintf(out, "# analysis: %llu roofline cycles (%llu ideal), %llu active PEs, energy/MAC %.6g\n",
            (unsigned long long)cycles, (unsigned long long)a.ideal_cycles,
            (unsigned long long)a.active_pes, e.per_mac);
    return pesim_mapping_write_yaml(j->m, out);
}

int pesim_cli_map(int argc, char **argv)
{
    struct pesim_cli_opts o;
    struct pesim_arch arch;
    struct pesim_workload wl = {0};
    int status = PESIM_EXIT_INPUT;
    pesim_diags *d = pesim_diags_create();
    if (!d) {
        fputs("pesim: out of memory\n", stderr);
        return PESIM_EXIT_SIM;
    }
    int e = pesim_cli_parse(&o, "pesim map", PESIM_CLI_OPT_DATAFLOW, argc, argv, d);
    if (!e && o.help) {
        pesim_cli_map_help(stdout);
        status = PESIM_EXIT_OK;
        goto out;
    }
    if (e || pesim_cli_load(&o, &arch, &wl, d) != 0)
        goto out;
    if (wl.count != 1) {
        pesim_diags_add(d, o.cmd, 0, 0,
                        "needs exactly one layer, but %zu are selected (choose one with --layer NAME)",
                        wl.count);
        goto out;
    }
    const pesim_dataflow *df = pesim_df_find(o.dataflow ? o.dataflow : "ws");
    struct pesim_mapping m;
    e = pesim_df_map_for(df, &arch, &wl.layers[0], o.objective, &m, d);
    if (e) {
        status = PESIM_EXIT_SIM;
        goto out;
    }
    struct map_job job = {&o, &arch, &wl.layers[0], wl.name, df, &m};
    status = pesim_cli_output(o.output, write_map, &job, d) ? PESIM_EXIT_INPUT : PESIM_EXIT_OK;
out:
    pesim_diags_print(d, stderr);
    pesim_diags_destroy(d);
    pesim_workload_free(&wl);
    pesim_cli_opts_free(&o);
    return status;
}
