/*
 * main: scmpwatch's entry point. Dispatches to a subcommand (commands.c) and exits with what it
 * returns; the only file that calls exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static void print_help(FILE *out)
{
    fprintf(out,
            "Usage: scmpwatch COMMAND [OPTIONS] [ARGS]\n"
            "Watch seccomp audit records from containers running log-only profiles and\n"
            "propose profile adjustments. Never changes enforcement by itself.\n\nCommands:\n");
    for (const struct scw_command *c = scw_commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fprintf(out, "\nOptions:\n  -h, --help     show this help ('scmpwatch COMMAND --help' for a "
                 "command)\n  -V, --version  show the version\n\n"
                 "Exit status: 0 success; 1 an input could not be read or a check failed;\n"
                 "2 usage error; 3 the watcher could not run. See scmpwatch(1).\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return SCW_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        print_help(stdout);
        return SCW_EXIT_OK;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("scmpwatch %s\n", SCW_VERSION);
        return SCW_EXIT_OK;
    }
    for (const struct scw_command *c = scw_commands; c->name; c++)
        if (strcmp(c->name, cmd) == 0)
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "scmpwatch: unknown command '%s'\nTry 'scmpwatch --help'.\n", cmd);
    return SCW_EXIT_USAGE;
}
