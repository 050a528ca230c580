/*
 * cmd_replay: "scmpwatch replay [OPTIONS] FILE..." reads saved logs (any record format, gzip,
 * "-" for stdin), aggregates per workload (the executable, as replay has no live attribution)
 * and prints the report. With --rules, --profile, --format profile|diff or --output DIR it
 * proposes instead (propose.c): decisions per syscall, tuned profiles, diffs. An unreadable
 * input is reported and skipped (exit 1); the others are still read and reported.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "commands.h"
#include "fleet.h"
#include "ingest.h"
#include "log.h"
#include "propose.h"
#include "replay_read.h"
#include "report.h"

static const char usage[] =
    "Usage: scmpwatch replay [OPTIONS] FILE...\n"
    "       scmpwatch replay [OPTIONS] --state FILE|DIR|- [FILE...]\n"
    "Aggregate SECCOMP audit records (type 1326) from saved logs and report them per\n"
    "workload, architecture, syscall and action.\n"
    "\n"
    "FILE is an audit.log, kern.log, syslog, dmesg or journalctl output, /dev/kmsg dump,\n"
    "plain or gzip-compressed (detected from the content); '-' reads standard input.\n"
    "\n"
    "Options:\n"
    "  -f, --format FORMAT   text (default), json, profile (the tuned profile), diff\n"
    "                        (current vs tuned profile), html (a self-contained page) or\n"
    "                        markdown (a pull-request comment), seccompprofile (SPO YAML);\n"
    "                        all but text and json imply proposals\n"
    "  -o, --output PATH     write the report to the file PATH instead of standard output;\n"
    "                        a directory (ends in '/', exists, or with --format profile or\n"
    "                        diff): write <profile>.json and <profile>.diff per profile\n"
    "  -r, --rules FILE      propose, with this rule file added after the shipped rules and\n"
    "                        rules.d (repeatable, layered in order; the ignore lists drop\n"
    "                        records before counting)\n"
    "      --rules-d DIR     the site's rule directory (default $SCMPWATCH_RULES_D, else\n"
    "                        /etc/scmpwatch/rules.d); implies proposals\n"
    "      --no-default-rules  neither the shipped rules nor rules.d: only --rules; implies\n"
    "                        proposals\n"
    "  -p, --profile [SELECTOR=]FILE  the profile the executables ran (Docker or OCI\n"
    "                        JSON); SELECTOR: a rules selector or a glob on the owner's\n"
    "                        name; without it, every workload no selector maps (repeatable);\n"
    "                        implies proposals\n"
    "      --profiles DIR    the folder of the profile files, <group>.json each\n"
    "      --vulns [IMAGE=]REPORT  scanner report (klar, Trivy or Grype JSON; repeatable):\n"
    "                        syscalls its unfixed CVEs need stay denied; implies proposals\n"
    "      --kernel RELEASE  kernel of the host the logs came from, for kernel_below blocks\n"
    "                        (default: this host's upstream version, see scmpwatch check)\n"
    "      --max-workloads N bound on workloads kept (default 10000)\n"
    "      --max-entries N   bound on workload x syscall entries kept (default 1000000)\n"
    "      --state FILE|DIR|-  a watcher's state to merge with what the logs hold (repeatable;\n"
    "                        a directory: every *.json state in it; '-': state documents on\n"
    "                        standard input): the report covers every node\n"
    "      --node NAME       the node the logs are counted for (default: none recorded)\n"
    "  -j, --jobs N          threads reading a large plain file, in parts cut at line\n"
    "                        boundaries (default: the CPUs available, at most 8; 1: one);\n"
    "                        the report is the same as with one\n"
    "  -h, --help            show this help\n"
    "\n"
    "Without --rules, --rules-d, --no-default-rules, --profile, --vulns, --kernel, --format\n"
    "profile|diff or an output directory, the report lists counts only. With any of them,\n"
    "each syscall gets a decision (allow, deny, review, ignore) with its rule and reason (the\n"
    "shipped default.yaml and cve.yaml, rules.d, then --rules); see scmpwatch-suggest(1).\n"
    "\n"
    "Exit status: 0 all inputs read; 1 an input could not be read (the others are still\n"
    "reported), or a rule file or profile is invalid (nothing written); 2 usage error.\n";

enum { OPT_MAX_WORKLOADS = 256, OPT_MAX_ENTRIES, OPT_STATE, OPT_NODE };

#define MAX_STATES 1024

/* SCW_REPLAY_PART_MIN: the smallest part a thread reads, in bytes (tests cut small files). */
static size_t part_min_from_env(void)
{
    const char *s = getenv("SCW_REPLAY_PART_MIN");
    uint64_t v;
    return s && scw_cmd_parse_u64(s, 1, UINT32_MAX, &v) ? (size_t)v : 0;
}

int scw_cmd_replay(int argc, char **argv)
{
    static const struct option opts[] = {
        SCW_PROPOSE_LONG_OPTS,
        {"max-workloads", required_argument, NULL, OPT_MAX_WORKLOADS},
        {"max-entries", required_argument, NULL, OPT_MAX_ENTRIES},
        {"jobs", required_argument, NULL, 'j'},
        {"state", required_argument, NULL, OPT_STATE},
        {"node", required_argument, NULL, OPT_NODE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct scw_propose_args pa = {.format = SCW_FORMAT_TEXT};
    struct scw_agg_limits limits = {0};
    unsigned jobs = scw_replay_default_jobs();
    const char *states[MAX_STATES], *node = NULL;
    size_t n_states = 0;
    uint64_t v;
    int c;
    optind = 0;
    opterr = 0; /* we name the bad option ourselves, once */
    while ((c = getopt_long(argc, argv, ":f:o:r:p:j:h", opts, NULL)) != -1) {
        int shared = scw_propose_parse_opt(&pa, "replay", c, optarg);
        if (shared == 1)
            continue;
        if (shared)
            return shared;
        switch (c) {
        case OPT_MAX_WORKLOADS:
            if (!scw_cmd_parse_u64(optarg, 1, UINT32_MAX, &v))
                return scw_cmd_usage_error("replay", "--max-workloads needs a positive number");
            limits.max_workloads = (uint32_t)v;
            break;
        case OPT_MAX_ENTRIES:
            if (!scw_cmd_parse_u64(optarg, 1, UINT32_MAX, &v))
                return scw_cmd_usage_error("replay", "--max-entries needs a positive number");
            limits.max_entries = (uint32_t)v;
            break;
        case 'j':
            if (!scw_cmd_parse_u64(optarg, 1, SCW_REPLAY_MAX_JOBS, &v))
                return scw_cmd_usage_error("replay", "--jobs needs a number from 1 to %d",
                                           SCW_REPLAY_MAX_JOBS);
            jobs = (unsigned)v;
            break;
        case OPT_STATE:
            if (n_states >= MAX_STATES)
                return scw_cmd_usage_error("replay", "at most %d --state (give a directory)",
                                           MAX_STATES);
            states[n_states++] = optarg;
            break;
        case OPT_NODE:
            if (!scw_cmd_valid_node(optarg))
                return scw_cmd_usage_error(
                    "replay", "bad --node '%s' (1 to 253 of A-Z a-z 0-9 . _ : -)", optarg);
            node = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return SCW_EXIT_OK;
        case ':':
            return scw_cmd_usage_error("replay", "option '%s' needs a value", argv[optind - 1]);
        default:
            return scw_cmd_usage_error("replay", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc && !n_states)
        return scw_cmd_usage_error("replay", "no input files (use '-' for standard input)");
    for (int i = optind; i < argc; i++)
        for (size_t k = 0; k < n_states; k++)
            if (strcmp(argv[i], "-") == 0 && strcmp(states[k], "-") == 0)
                return scw_cmd_usage_error("replay", "standard input cannot be both a log and "
                                                     "a state ('-' twice)");

    /* proposals: load the rules and the --profile before reading any input */
    struct scw_propose *pp = NULL;
    if (scw_propose_args_propose(&pa)) {
        struct scw_propose_opts po;
        scw_propose_opts_init(&po, &pa, "replay", "scmpwatch replay");
        po.n_inputs = (unsigned)(argc - optind) + (unsigned)n_states;
        if (scw_propose_new(&po, &pp) < 0)
            return SCW_EXIT_INPUT;
    }
    struct scw_aggregate *agg = scw_aggregate_new(&limits);
    if (!agg) {
        scw_log_errx("out of memory");
        scw_propose_free(pp);
        return SCW_EXIT_RUNTIME;
    }
    struct scw_ingest in;
    scw_ingest_init(&in, agg);
    if (pp) {
        in.filter = scw_rules_filter_record;
        in.filter_ctx = (void *)scw_propose_rules(pp);
    }
    unsigned failed = 0, n_inputs = 0;
    if (n_states) {
        struct scw_fleet_result res;
        if (scw_fleet_load(agg, "replay", states, n_states, &res) < 0) {
            scw_aggregate_free(agg);
            scw_propose_free(pp);
            return SCW_EXIT_RUNTIME;
        }
        failed += res.failed;
        n_inputs += res.files;
    }
    if (node && scw_aggregate_set_self(agg, node, 0) < 0) {
        scw_log_errx("out of memory");
        scw_aggregate_free(agg);
        scw_propose_free(pp);
        return SCW_EXIT_RUNTIME;
    }
    size_t part_min = part_min_from_env();
    unsigned log_failed = 0;
    for (int i = optind; i < argc; i++, n_inputs++)
        if (scw_replay_read(&in, argv[i], jobs, part_min) < 0)
            log_failed++;
    scw_aggregate_stats(agg)->read_errors += log_failed;
    failed += log_failed;
    if (pp) {
        int ex = scw_propose_run(pp, agg);
        scw_propose_free(pp);
        scw_aggregate_free(agg);
        return ex != SCW_EXIT_OK ? ex : failed ? SCW_EXIT_INPUT : SCW_EXIT_OK;
    }

    FILE *out = stdout;
    if (pa.output && !(out = fopen(pa.output, "w"))) {
        scw_log_err(errno, "cannot write the report to '%s'", pa.output);
        scw_aggregate_free(agg);
        return SCW_EXIT_INPUT;
    }
    struct scw_report_opts ro = {
        .color = !pa.output && scw_report_want_color(out),
        .title = "scmpwatch replay",
        .n_inputs = n_inputs,
    };
    int rc = pa.format == SCW_FORMAT_JSON ? scw_report_write_json(agg, &ro, out)
                                          : scw_report_write_text(agg, &ro, out);
    if (out != stdout ? fclose(out) != 0 : fflush(out) != 0)
        rc = -EIO;
    if (rc < 0)
        scw_log_err(rc, "cannot write the report");
    scw_aggregate_free(agg);
    return failed || rc < 0 ? SCW_EXIT_INPUT : SCW_EXIT_OK;
}
