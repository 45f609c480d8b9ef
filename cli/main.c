/* pesim: the command line. Only main() decides the exit status. */
#include <string.h>

#include "cli/cli.h"

static void usage(FILE *out)
{
    fputs(
        "usage: pesim <command> [options]\n"
        "\n"
        "pesim simulates spatial DNN accelerators (PE array, global buffer,\n"
        "DRAM) running the dataflows of Sze et al., \"Efficient Processing of\n"
        "Deep Neural Networks\", and reports latency, energy and utilization.\n"
        "\n"
        "commands:\n"
        "  run        simulate a workload with one dataflow (or one mapping)\n"
        "  compare    simulate a workload with every dataflow, side by side\n"
        "  map        print the mapping a dataflow's mapper picks for a layer\n"
        "  import     convert a SCALE-Sim, Timeloop or ONNX workload to pesim YAML\n"
        "  sweep      run a design-space sweep (also: sweep merge, sweep pareto)\n"
        "  report     charts and an HTML page from run/compare JSON or sweep results\n"
        "  help [CMD] show this help, or the help of a command\n"
        "\n"
        "options:\n"
        "  --version  print the version\n"
        "  -h, --help show this help\n"
        "\n"
        "'pesim <command> --help' lists the options of a command; docs/cli.md\n"
        "documents every option, exit status, JSON key and CSV column.\n"
        "\n"
        "example:\n"
        "  pesim compare --arch eyeriss-v1 --workload alexnet --layers conv --batch 4\n",
        out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return PESIM_EXIT_INPUT;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "run") == 0)
        return pesim_cli_run(argc - 2, argv + 2);
    if (strcmp(cmd, "compare") == 0)
        return pesim_cli_compare(argc - 2, argv + 2);
    if (strcmp(cmd, "map") == 0)
        return pesim_cli_map(argc - 2, argv + 2);
    if (strcmp(cmd, "import") == 0)
        return pesim_cli_import(argc - 2, argv + 2);
    if (strcmp(cmd, "sweep") == 0)
        return pesim_cli_sweep(argc - 2, argv + 2);
    if (strcmp(cmd, "report") == 0)
        return pesim_cli_report(argc - 2, argv + 2);
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("pesim %s\n", pesim_version());
        return PESIM_EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
        strcmp(cmd, "-h") == 0) {
        const char *topic = argc > 2 ? argv[2] : NULL;
        if (!topic)
            usage(stdout);
        else if (strcmp(topic, "run") == 0)
            pesim_cli_run_help(stdout);
        else if (strcmp(topic, "compare") == 0)
            pesim_cli_compare_help(stdout);
        else if (strcmp(topic, "map") == 0)
            pesim_cli_map_help(stdout);
        else if (strcmp(topic, "import") == 0)
            pesim_cli_import_help(stdout);
        else if (strcmp(topic, "sweep") == 0)
            pesim_cli_sweep_help(stdout);
        else if (strcmp(topic, "report") == 0)
            pesim_cli_report_help(stdout);
        else {
            fprintf(stderr, "pesim: error: no help for unknown command '%s'\n",
                    topic);
            return PESIM_EXIT_INPUT;
        }
        return PESIM_EXIT_OK;
    }
    fprintf(stderr, "pesim: error: unknown command '%s' (see 'pesim help')\n",
            cmd);
    return PESIM_EXIT_INPUT;
}
