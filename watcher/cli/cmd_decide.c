/*
 * cmd_decide: "scmpwatch decide allow|deny|ignore SYSCALL... --group NAME --reason TEXT"
 * records, without asking anything, what a person decided for syscalls of one profile group:
 * one entry per syscall in the decisions file (default <rules.d>/50-decisions.yaml), with who,
 * when, the reason and the evidence from the watcher's state (or several nodes' merged) as a
 * comment. A decision
 * outranks every rule and threshold at the next suggest, never a vulnerability block. The
 * file is written atomically; a later decision for the same group and syscall replaces the
 * earlier one. Loading and saving: decide_session.c; the file format: decisions_file.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "decide_session.h"
#include "log.h"
#include "report.h"
#include "rules.h"
#include "state.h"

static const char usage[] =
    "Usage: scmpwatch decide allow|deny|ignore SYSCALL... --group NAME --reason TEXT [OPTIONS]\n"
    "Record a decision for syscalls of one profile group (as `scmpwatch suggest` names the\n"
    "groups), without asking: one entry per syscall in the decisions file, with who ($SUDO_USER,\n"
    "else $USER), when (UTC), the reason and, as a comment, the evidence from the state file.\n"
    "A decision outranks every rule and threshold, never a cve_blocks entry (the report then\n"
    "says the block overrode it); a later decision for the same group and syscall replaces\n"
    "the earlier one.\n"
    "\n"
    "Options:\n"
    "  -g, --group NAME      the profile group (required)\n"
    "  -m, --reason TEXT     why (required; printed by every later report)\n"
    "      --decisions FILE  the decisions file (default: 50-decisions.yaml in the rules.d\n"
    "                        directory, /etc/scmpwatch/rules.d)\n"
    "      --state FILE|DIR|-  state file (default " SCW_STATE_DEFAULT "); repeatable: the\n"
    "                        states of several nodes are merged (as by suggest) and the\n"
    "                        evidence is the fleet's; a directory: every *.json state in it;\n"
    "                        '-': state documents on standard input\n"
    "  -r, --rules FILE      rule file added after the shipped rules and rules.d (repeatable)\n"
    "      --rules-d DIR     the site's rule directory (default $SCMPWATCH_RULES_D, else\n"
    "                        /etc/scmpwatch/rules.d)\n"
    "      --no-default-rules  neither the shipped rules nor rules.d: only --rules\n"
    "  -p, --profile FILE    profile of workloads whose runtime and selectors name none\n"
    "                        (give the same as to suggest: it decides the group names)\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 written; 1 the decisions file is invalid (file:line:column; nothing is\n"
    "changed), a state (any one of several) or a rule file cannot be read, the group is\n"
    "unknown, or the file cannot be written; 2 usage error.\n";

int scw_cmd_decide(int argc, char **argv)
{
    static const struct option opts[] = {
        {"group", required_argument, NULL, 'g'},
        {"reason", required_argument, NULL, 'm'},
        SCW_DECIDE_LONG_OPTS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct scw_decide_args da;
    scw_decide_args_init(&da);
    const char *group = NULL, *reason = NULL;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":g:m:r:p:h", opts, NULL)) != -1) {
        int shared = scw_decide_parse_opt(&da, "decide", c, optarg);
        if (shared == 1)
            continue;
        if (shared)
            return shared;
        switch (c) {
        case 'g':
            group = optarg;
            break;
        case 'm':
            reason = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return SCW_EXIT_OK;
        case ':':
            return scw_cmd_usage_error("decide", "option '%s' needs a value", argv[optind - 1]);
        default:
            return scw_cmd_usage_error("decide", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return scw_cmd_usage_error("decide", "expected allow, deny or ignore, then syscalls");
    enum scw_decision_kind d = scw_decision_from_name(argv[optind]);
    if (d != SCW_DECISION_ALLOW && d != SCW_DECISION_DENY && d != SCW_DECISION_IGNORE)
        return scw_cmd_usage_error("decide",
                                   "unknown decision '%s' (expected allow, deny or "
                                   "ignore: a decision settles the review)",
                                   argv[optind]);
    int first = optind + 1;
    if (first >= argc)
        return scw_cmd_usage_error("decide", "no syscall given");
    for (int i = first; i < argc; i++)
        if (!scw_rules_valid_syscall_name(argv[i]))
            return scw_cmd_usage_error("decide",
                                       "invalid syscall name '%s' (expected lower-case letters, "
                                       "digits and '_')",
                                       argv[i]);
    if (!group)
        return scw_cmd_usage_error("decide", "--group NAME is required (the profile group, as "
                                             "`scmpwatch suggest` names it)");
    if (!scw_rules_valid_group_name(group))
        return scw_cmd_usage_error("decide", "invalid group name '%s'", group);
    if (!reason || !reason[0])
        return scw_cmd_usage_error("decide", "--reason TEXT is required");

    struct scw_decide_session *s = NULL;
    int ex = scw_decide_session_open(&da, "decide", &s);
    if (ex != SCW_EXIT_OK)
        return ex;
    long gi = scw_decide_session_group(s, group);
    if (gi < 0) {
        scw_decide_session_close(s);
        return SCW_EXIT_INPUT;
    }
    char who[256], at[32];
    scw_decide_who(who, sizeof(who));
    scw_decide_now(at, sizeof(at));
    size_t n = (size_t)(argc - first);
    struct scw_decision_entry *entries = calloc(n, sizeof(*entries));
    ex = entries ? SCW_EXIT_OK : SCW_EXIT_RUNTIME;
    for (size_t i = 0; i < n && ex == SCW_EXIT_OK; i++) {
        const char *sys = argv[first + (int)i];
        entries[i] = (struct scw_decision_entry){
            .group = (char *)group,
            .syscall = (char *)sys,
            .decision = d,
            .reason = (char *)reason,
            .by = who,
            .at = at,
            .comment = scw_decide_evidence(s, (size_t)gi, sys, d, who, at),
        };
        if (!entries[i].comment)
            ex = SCW_EXIT_RUNTIME;
    }
    if (ex == SCW_EXIT_OK && scw_decide_session_save(s, entries, n) < 0)
        ex = SCW_EXIT_INPUT;
    for (size_t i = 0; ex == SCW_EXIT_OK && i < n; i++) {
        const char *sys = entries[i].syscall;
        const struct scw_proposal *ps[SCW_DECIDE_MAX_ARCHES];
        size_t np = scw_decide_proposals(s->advice, (size_t)gi, sys, ps, SCW_DECIDE_MAX_ARCHES);
        printf("%s %s: %s in profile group %s", sys, scw_decision_name(d),
               np ? "decided" : "decided ahead (not logged yet)", group);
        for (size_t k = 0; k < np; k++)
            if (ps[k]->blocked && d != SCW_DECISION_DENY) {
                printf("; the vulnerability block %s still keeps it denied (it outranks people's "
                       "decisions)",
                       ps[k]->rule);
                break;
            }
        putchar('\n');
    }
    if (ex == SCW_EXIT_OK) {
        fputs("written to ", stdout);
        scw_report_put_safe(stdout, s->path);
        putchar('\n');
    }
    for (size_t i = 0; entries && i < n; i++)
        free(entries[i].comment);
    free(entries);
    scw_decide_session_close(s);
    if (ex == SCW_EXIT_RUNTIME)
        scw_log_errx("out of memory");
    return fflush(stdout) == 0 || ex != SCW_EXIT_OK ? ex : SCW_EXIT_INPUT;
}
