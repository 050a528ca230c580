/*
 * cmd_suggest: "scmpwatch suggest [--state FILE|DIR|-]... [--rules FILE]... [--profile FILE]
 * [--format text|json|profile|diff|html|markdown|seccompprofile] [--output PATH] [--fail-on LIST]"
 * proposes, from what watchers collected (their state files, read without stopping them; several
 * nodes' are merged exactly, fleet.c, through state_args.c), how to adjust each profile: a decision
 * per syscall with its rule and reason, tuned profiles and diffs (propose.c). The JSON keeps every
 * key of the replay report and adds the proposals. --fail-on makes a CI gate of it (exit 4).
 */
#include <getopt.h>
#include <stdio.h>

#include "aggregate.h"
#include "commands.h"
#include "propose.h"
#include "report.h"
#include "state.h"
#include "state_args.h"

static const char usage[] =
    "Usage: scmpwatch suggest [OPTIONS]\n"
    "Propose how to adjust each profile from what a watcher collected (its state file), without\n"
    "stopping it: for every logged syscall a decision (allow, deny, review, ignore) with the\n"
    "rule that made it and why; the tuned profile (the profile plus one allow entry, enforcing)\n"
    "and its diff. Containers running the same profile are proposed together.\n"
    "\n"
    "Options:\n"
    "      --state FILE|DIR|-  state file (default " SCW_STATE_DEFAULT "); repeatable: the\n"
    "                        states of several nodes are merged; a directory: every *.json\n"
    "                        state in it, in name order; '-': state documents on stdin\n"
    "  -r, --rules FILE      rule file added after the shipped rules (default.yaml, cve.yaml;\n"
    "                        $SCMPWATCH_RULES_DIR overrides their directory) and rules.d\n"
    "                        (repeatable, layered in order; it adds, never replaces)\n"
    "      --rules-d DIR     the site's rule directory, *.yaml in name order (default\n"
    "                        $SCMPWATCH_RULES_D, else /etc/scmpwatch/rules.d); decisions of\n"
    "                        scmpwatch decide and review are kept there\n"
    "      --no-default-rules  neither the shipped rules nor rules.d: only --rules\n"
    "  -p, --profile [SELECTOR=]FILE  the profile file you keep (in git) for the\n"
    "                        workloads a selector of the rules matches, or whose owner's\n"
    "                        name (Deployment, compose service, image) matches the glob\n"
    "                        SELECTOR; without SELECTOR, for every workload (repeatable;\n"
    "                        the first that applies wins).\n"
    "                        Proposals and tuned profiles are made against it, not against\n"
    "                        the runtime's copy, which is compared with it (stale deploys)\n"
    "      --profiles DIR    the folder of those files: <group>.json for the selector or\n"
    "                        owner name (default: the rules' profiles:)\n"
    "      --layout LAYOUT   of --output DIR: flat (default: DIR/<group>.json, .diff) or\n"
    "                        kubelet (DIR/profiles/<group>.json for localhost/profiles/...)\n"
    "      --vulns [IMAGE=]REPORT  scanner report (klar, Trivy or Grype JSON; repeatable):\n"
    "                        syscalls its unfixed CVEs need stay denied (rules' cve_blocks)\n"
    "      --kernel RELEASE  host kernel for kernel_below blocks (default: this host's\n"
    "                        upstream version, see scmpwatch check)\n"
    "  -f, --format FORMAT   text (default; like audit2why), json (the report plus proposals),\n"
    "                        profile (the tuned profile JSON; one profile, or --output DIR),\n"
    "                        diff (unified diff, current vs tuned, of every profile),\n"
    "                        html (one self-contained page: tables, coverage, timeline),\n"
    "                        markdown (a pull-request comment, at most 65,000 bytes),\n"
    "                        seccompprofile (the tuned profiles as Security Profiles\n"
    "                        Operator SeccompProfile YAML; with --output DIR, <profile>.yaml)\n"
    "  -o, --output PATH     write the report to the file PATH; a directory (ends in '/',\n"
    "                        exists, or with --format profile or diff): write <profile>.json\n"
    "                        and <profile>.diff per profile there\n"
    "      --fail-on LIST    exit 4 when a proposal is one of LIST (comma-separated): review,\n"
    "                        deny, incomplete (records lost while its group was observed),\n"
    "                        breaks (enforcing the current profile would refuse it)\n"
    "  -h, --help            show this help\n"
    "\n"
    "Files are written whole (temporary file, then rename) and only when everything worked.\n"
    "\n"
    "Exit status: 0 ok; 1 the state file, a rule file or a profile could not be read or is\n"
    "invalid, or an output could not be written (nothing is left behind), or a scanner report\n"
    "could not be read (the others are still used); 2 usage error\n"
    "(including --format profile with several profiles and no --output DIR); 4 --fail-on:\n"
    "a proposal has one of the properties named (the outputs are written).\n";

enum { OPT_STATE = 256, OPT_FAIL_ON };

int scw_cmd_suggest(int argc, char **argv)
{
    static const struct option opts[] = {
        {"state", required_argument, NULL, OPT_STATE},
        {"fail-on", required_argument, NULL, OPT_FAIL_ON},
        SCW_PROPOSE_LONG_OPTS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct scw_state_args states = {.n = 0};
    unsigned fail_on = 0;
    struct scw_propose_args pa = {.format = SCW_FORMAT_TEXT};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "r:p:f:o:h", opts, NULL)) != -1) {
        int shared = scw_propose_parse_opt(&pa, "suggest", c, optarg);
        if (shared == 1)
            continue;
        if (shared)
            return shared;
        switch (c) {
        case OPT_STATE:
            if ((shared = scw_state_args_add(&states, "suggest", optarg)))
                return shared;
            break;
        case OPT_FAIL_ON:
            if (scw_advice_gate_parse(optarg, &fail_on) < 0)
                return scw_cmd_usage_error("suggest",
                                           "bad --fail-on '%s' (a list of review, deny, "
                                           "incomplete, breaks)",
                                           optarg);
            break;
        case 'h':
            fputs(usage, stdout);
            return SCW_EXIT_OK;
        default:
            return scw_cmd_usage_error("suggest", "unknown option");
        }
    }
    if (optind < argc)
        return scw_cmd_usage_error("suggest", "unexpected argument '%s'", argv[optind]);

    struct scw_propose_opts po;
    scw_propose_opts_init(&po, &pa, "suggest", "scmpwatch suggest");
    po.fail_on = fail_on;
    struct scw_propose *pp = NULL;
    if (scw_propose_new(&po, &pp) < 0)
        return SCW_EXIT_INPUT;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    if (!agg) {
        scw_propose_free(pp);
        return SCW_EXIT_RUNTIME;
    }
    unsigned failed;
    int ex = scw_state_args_load(&states, "suggest", agg, &failed);
    if (ex != SCW_EXIT_OK) {
        scw_aggregate_free(agg);
        scw_propose_free(pp);
        return ex;
    }
    scw_propose_input_failures(pp, failed);
    ex = scw_propose_run(pp, agg);
    scw_aggregate_free(agg);
    scw_propose_free(pp);
    return ex;
}
