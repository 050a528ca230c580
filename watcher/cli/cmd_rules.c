/*
 * cmd_rules: "scmpwatch rules check [FILE...]" validates the layered rule set (the shipped
 * rules, rules.d, then the FILEs; --no-default-rules: the FILEs alone) in order (exit 0 valid,
 * 1 invalid, like `nginx -t`), and "scmpwatch rules list-groups [--rules FILE]... [GROUP]"
 * lists the syscall groups of that set or prints one group's expansion. Loading and
 * validation live in rules_*.c and rules_files.c; this file only parses options and prints.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "log.h"
#include "rules.h"
#include "rules_files.h"

static const char usage[] =
    "Usage: scmpwatch rules check [OPTIONS] [FILE...]\n"
    "       scmpwatch rules list-groups [OPTIONS] [GROUP]\n"
    "Validate YAML rule files (scmpwatch-rules(5)) and list their syscall groups.\n"
    "\n"
    "The rule set is layered, always in this order: the shipped rules (default.yaml and\n"
    "cve.yaml, $SCMPWATCH_RULES_DIR overrides their directory), every *.yaml of rules.d in\n"
    "name order (/etc/scmpwatch/rules.d), then the files given. Later files append to groups\n"
    "and add rules that are tried first; a file met twice is loaded once.\n"
    "\n"
    "check [FILE...]    load the layered set with the FILEs after it (none: the set as every\n"
    "                   command loads it), print each file loaded, and report the first\n"
    "                   error as FILE:LINE:COLUMN; warnings (unknown syscall names, a\n"
    "                   decision replaced by a later one...) go to stderr.\n"
    "  -s, --strict     treat warnings as errors\n"
    "  -q, --quiet      print nothing on success\n"
    "\n"
    "list-groups [GROUP]  without GROUP: every group with its size and description;\n"
    "                   with GROUP (\"mount\" or \"@mount\"): its syscalls, one per line,\n"
    "                   nested groups expanded.\n"
    "  -r, --rules FILE rule file added after the shipped rules and rules.d (repeatable)\n"
    "\n"
    "Both:\n"
    "      --rules-d DIR     the site's rule directory (default $SCMPWATCH_RULES_D, else\n"
    "                        /etc/scmpwatch/rules.d)\n"
    "      --no-default-rules  neither the shipped rules nor rules.d: only the files given\n"
    "  -h, --help       show this help\n"
    "\n"
    "Exit status: 0 valid (check) or listed; 1 a file is invalid or cannot be read, or the\n"
    "group is unknown; 2 usage error.\n";

enum { OPT_RULES_D = 256, OPT_NO_DEFAULT };

/* The layered set with files[0..n) after it. Errors are printed. */
static int load_layers(const char *rules_d, bool no_default, char *const *files, size_t n,
                       struct scw_rules **ret)
{
    struct scw_rules_sources src = {.paths = (const char *const *)files,
                                    .n_paths = n,
                                    .rules_d = rules_d,
                                    .no_default = no_default};
    char *err = NULL;
    int rc = scw_rules_load_sources(&src, ret, &err);
    if (rc < 0) {
        scw_log_errx("%s", err ? err : "out of memory");
        free(err);
    }
    return rc;
}

static void print_warnings(const struct scw_rules *rs)
{
    for (size_t i = 0; i < rs->n_warnings; i++)
        scw_log_warnx("%s", rs->warnings[i]);
    if (rs->warnings_dropped)
        scw_log_warnx("%llu more warnings not shown", (unsigned long long)rs->warnings_dropped);
}

static int cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"strict", no_argument, NULL, 's'},
        {"quiet", no_argument, NULL, 'q'},
        {"rules-d", required_argument, NULL, OPT_RULES_D},
        {"no-default-rules", no_argument, NULL, OPT_NO_DEFAULT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool strict = false, quiet = false, no_default = false;
    const char *rules_d = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "sqh", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            strict = true;
            break;
        case 'q':
            quiet = true;
            break;
        case OPT_RULES_D:
            rules_d = optarg;
            break;
        case OPT_NO_DEFAULT:
            no_default = true;
            break;
        case 'h':
            fputs(usage, stdout);
            return SCW_EXIT_OK;
        default:
            return scw_cmd_usage_error("rules check", "unknown option");
        }
    }
    if (optind >= argc && no_default)
        return scw_cmd_usage_error("rules check", "no rule file given (and --no-default-rules)");
    struct scw_rules *rs = NULL;
    int rc = load_layers(rules_d, no_default, argv + optind, (size_t)(argc - optind), &rs);
    if (rc < 0)
        return rc == -ENOMEM ? SCW_EXIT_RUNTIME : SCW_EXIT_INPUT;
    print_warnings(rs);
    size_t warnings = rs->n_warnings + (size_t)rs->warnings_dropped;
    if (rc == 0 && strict && warnings) {
        scw_log_errx("%zu warning%s and --strict given", warnings, warnings == 1 ? "" : "s");
        rc = -EINVAL;
    }
    if (rc == 0 && !quiet) {
        for (size_t i = 0; i < rs->n_files; i++)
            printf("%s: ok\n", rs->files[i]);
        printf("rule set: %zu group%s, %zu container selector%s, %zu rule%s, %zu cve block%s, "
               "%zu decision%s, %zu warning%s; default decision %s\n",
               rs->n_groups, rs->n_groups == 1 ? "" : "s", rs->n_selectors,
               rs->n_selectors == 1 ? "" : "s", rs->n_rules, rs->n_rules == 1 ? "" : "s",
               rs->n_cve_blocks, rs->n_cve_blocks == 1 ? "" : "s", rs->n_decisions,
               rs->n_decisions == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
               scw_decision_name(rs->defaults.decision));
    }
    scw_rules_free(rs);
    return rc < 0 ? SCW_EXIT_INPUT : SCW_EXIT_OK;
}

static int cmp_group(const void *a, const void *b)
{
    const struct scw_group *x = *(const struct scw_group *const *)a;
    const struct scw_group *y = *(const struct scw_group *const *)b;
    return strcmp(x->name, y->name);
}

static int cmd_list_groups(int argc, char **argv)
{
    static const struct option opts[] = {
        {"rules", required_argument, NULL, 'r'},
        {"rules-d", required_argument, NULL, OPT_RULES_D},
        {"no-default-rules", no_argument, NULL, OPT_NO_DEFAULT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char **files = calloc((size_t)argc + 1, sizeof(*files));
    size_t n_files = 0;
    const char *rules_d = NULL;
    bool no_default = false;
    if (!files) {
        scw_log_errx("out of memory");
        return SCW_EXIT_RUNTIME;
    }
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "r:h", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            files[n_files++] = optarg;
            break;
        case OPT_RULES_D:
            rules_d = optarg;
            break;
        case OPT_NO_DEFAULT:
            no_default = true;
            break;
        case 'h':
            free(files);
            fputs(usage, stdout);
            return SCW_EXIT_OK;
        default:
            free(files);
            return scw_cmd_usage_error("rules list-groups", "unknown option");
        }
    }
    if (argc - optind > 1) {
        free(files);
        return scw_cmd_usage_error("rules list-groups", "give at most one GROUP");
    }
    const char *group = optind < argc ? argv[optind] : NULL;
    struct scw_rules *rs = NULL;
    int rc = load_layers(rules_d, no_default, files, n_files, &rs);
    free(files);
    if (rc < 0)
        return rc == -ENOMEM ? SCW_EXIT_RUNTIME : SCW_EXIT_INPUT;
    if (group) {
        const struct scw_group *g = scw_rules_group(rs, group);
        if (!g) {
            scw_log_errx("unknown group '%s' (%zu groups are defined; run 'scmpwatch rules "
                         "list-groups' to list them)",
                         group, rs->n_groups);
            scw_rules_free(rs);
            return SCW_EXIT_INPUT;
        }
        for (size_t i = 0; i < g->set.n_names; i++)
            printf("%s\n", g->set.names[i]);
    } else {
        const struct scw_group **v = calloc(rs->n_groups + 1, sizeof(*v));
        if (!v) {
            scw_rules_free(rs);
            return SCW_EXIT_RUNTIME;
        }
        for (size_t i = 0; i < rs->n_groups; i++)
            v[i] = &rs->groups[i];
        qsort(v, rs->n_groups, sizeof(*v), cmp_group);
        for (size_t i = 0; i < rs->n_groups; i++)
            printf("@%-22s %4zu  %s\n", v[i]->name, v[i]->set.n_names,
                   v[i]->description ? v[i]->description : "");
        free(v);
    }
    scw_rules_free(rs);
    return fflush(stdout) == 0 ? SCW_EXIT_OK : SCW_EXIT_INPUT;
}

int scw_cmd_rules(int argc, char **argv)
{
    if (argc < 2)
        return scw_cmd_usage_error("rules", "expected a subcommand: check or list-groups");
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(usage, stdout);
        return SCW_EXIT_OK;
    }
    if (strcmp(argv[1], "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(argv[1], "list-groups") == 0)
        return cmd_list_groups(argc - 1, argv + 1);
    return scw_cmd_usage_error("rules", "unknown subcommand '%s' (expected check or list-groups)",
                               argv[1]);
}
