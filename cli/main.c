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

/* The subcommands: name, entry point, help. */
static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    void (*help)(FILE *out);
} commands[] = {
    {"run", pesim_cli_run, pesim_cli_run_help},
    {"compare", pesim_cli_compare, pesim_cli_compare_help},
    {"map", pesim_cli_map, pesim_cli_map_help},
    {"import", pesim_cli_import, pesim_cli_import_help},
    {"sweep", pesim_cli_sweep, pesim_cli_sweep_help},
    {"report", pesim_cli_report, pesim_cli_report_help},
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* An unknown command, with the nearest one it may be a misspelling of. */
static int unknown_command(const char *what, const char *name)
{
    const char *names[NCOMMANDS + 2] = {"help", "version"};
    for (size_t i = 0; i < NCOMMANDS; i++)
        names[i + 2] = commands[i].name;
    char tail[64];
    pesim_cli_suggest(tail, sizeof tail, name, strlen(name), names, NCOMMANDS + 2, NULL);
    fprintf(stderr, "pesim: error: %s '%s'%s (see 'pesim help')\n", what, name, tail);
    return PESIM_EXIT_INPUT;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return PESIM_EXIT_INPUT;
    }
    const char *cmd = argv[1];
    const struct command *c = find_command(cmd);
    if (c)
        return c->run(argc - 2, argv + 2);
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("pesim %s\n", pesim_version());
        return PESIM_EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
        strcmp(cmd, "-h") == 0) {
        const char *topic = argc > 2 ? argv[2] : NULL;
        if (!topic)
            usage(stdout);
        else if ((c = find_command(topic)))
            c->help(stdout);
        else
            return unknown_command("no help for unknown command", topic);
        return PESIM_EXIT_OK;
    }
    return unknown_command("unknown command", cmd);
}
