/*
 * propose: what `replay --rules/--profile` and `suggest` do once events are counted: load the
 * layered rule files (rules_files.h) and every profile the workloads run (the runtime's, a
 * selector's, --profile), run advise, tune each replica group's profile with the profile
 * module, and write the chosen output: text, JSON, the tuned profile or its diff on standard
 * output, or --output FILE (the report) / DIR (<group>.json and <group>.diff per profile
 * group). Every file is written to a temporary name and renamed only when all of them were
 * produced: an error leaves no partial file. decide and review use the first half (advice and
 * diffs, no outputs). The I/O of the proposals stage lives here so that advise.c stays pure.
 * Implemented by propose.c (loading, advise) and propose_out.c (tuning, outputs).
 * Callers: cmd_replay.c, cmd_suggest.c, decide_session.c.
 */
#ifndef SCW_PROPOSE_H
#define SCW_PROPOSE_H

#include <stdbool.h>
#include <stddef.h>

#include "advise.h"
#include "aggregate.h"
#include "report.h"
#include "rules.h"

#define SCW_PROPOSE_MAX_RULE_FILES 32 /* --rules given to one command */
#define SCW_PROPOSE_MAX_PROFILES   64 /* --profile given to one command */
#define SCW_PROPOSE_SELECTOR_MAX   64 /* the SELECTOR of --profile SELECTOR=FILE */

/* How --output DIR is laid out: <group>.json and <group>.diff, or for the kubelet's seccomp
 * root (localhost/profiles/<group>.json) profiles/<group>.json and <group>.diff. */
enum scw_propose_layout { SCW_LAYOUT_FLAT, SCW_LAYOUT_KUBELET };

struct scw_propose_opts {
    const char *command;           /* "replay", "suggest" (messages) */
    const char *title;             /* text heading, e.g. "scmpwatch suggest" */
    unsigned n_inputs;             /* files read, for the heading (0: not shown) */
    const char *const *rule_paths; /* --rules, in order, after the shipped files and rules.d */
    size_t n_rule_paths;
    const char *rules_d;   /* --rules-d DIR, or NULL ($SCMPWATCH_RULES_D, /etc/...) */
    bool no_default_rules; /* --no-default-rules */
    const char *decisions; /* a decisions file loaded last when it exists, or NULL */
    const struct scw_advise_map *profiles; /* --profile [SELECTOR=]FILE, in order */
    size_t n_profiles;
    const char *profiles_dir; /* --profiles DIR, or NULL (the rules' profiles:) */
    enum scw_propose_layout layout;
    const char *const *vuln_args; /* --vulns [IMAGE=]REPORT..., see scw_vulns_add_file */
    size_t n_vuln_args;
    const char *kernel; /* --kernel RELEASE for kernel_below blocks; NULL: the running one */
    enum scw_format format;
    const char *output; /* --output: NULL = standard output; see scw_propose_output_is_dir */
    bool color;         /* colour the text on a terminal */
    unsigned fail_on;   /* suggest --fail-on: SCW_GATE_* bits (scw_advice_gate) */
};

/*
 * The options replay and suggest share: -f/--format, -o/--output, -r/--rules, -p/--profile,
 * --profiles, --layout, --vulns, --kernel, --rules-d and --no-default-rules (getopt values
 * SCW_PROPOSE_OPT_* for the long-only ones). SCW_PROPOSE_RULES_OPTS are the rule-set and
 * profile ones alone (decide, review).
 */
enum {
    SCW_PROPOSE_OPT_VULNS = 0x300,
    SCW_PROPOSE_OPT_KERNEL,
    SCW_PROPOSE_OPT_RULES_D,
    SCW_PROPOSE_OPT_NO_DEFAULT_RULES,
    SCW_PROPOSE_OPT_PROFILES,
    SCW_PROPOSE_OPT_LAYOUT,
};
#define SCW_PROPOSE_MAX_VULNS 1024
#define SCW_PROPOSE_RULES_OPTS                                                                     \
    {"rules", required_argument, NULL, 'r'},                                                       \
        {"rules-d", required_argument, NULL, SCW_PROPOSE_OPT_RULES_D},                             \
        {"no-default-rules", no_argument, NULL, SCW_PROPOSE_OPT_NO_DEFAULT_RULES},                 \
        {"profiles", required_argument, NULL, SCW_PROPOSE_OPT_PROFILES},                           \
    {                                                                                              \
        "profile", required_argument, NULL, 'p'                                                    \
    }
#define SCW_PROPOSE_LONG_OPTS                                                                      \
    SCW_PROPOSE_RULES_OPTS, {"format", required_argument, NULL, 'f'},                              \
        {"output", required_argument, NULL, 'o'},                                                  \
        {"vulns", required_argument, NULL, SCW_PROPOSE_OPT_VULNS},                                 \
        {"layout", required_argument, NULL, SCW_PROPOSE_OPT_LAYOUT},                               \
    {                                                                                              \
        "kernel", required_argument, NULL, SCW_PROPOSE_OPT_KERNEL                                  \
    }

struct scw_propose_args {
    enum scw_format format; /* SCW_FORMAT_TEXT unless -f */
    const char *output, *kernel, *rules_d, *profiles_dir;
    bool no_default_rules;
    enum scw_propose_layout layout;
    struct scw_advise_map profiles[SCW_PROPOSE_MAX_PROFILES];
    char selectors[SCW_PROPOSE_MAX_PROFILES][SCW_PROPOSE_SELECTOR_MAX + 1];
    size_t n_profiles;
    const char *rules[SCW_PROPOSE_MAX_RULE_FILES];
    size_t n_rules;
    const char *vulns[SCW_PROPOSE_MAX_VULNS];
    size_t n_vulns;
};

/*
 * One getopt result: 1 when c was one of the shared options (recorded in a), 0 when it is
 * not, or SCW_EXIT_USAGE after printing what was wrong ("scmpwatch CMD: ...").
 */
int scw_propose_parse_opt(struct scw_propose_args *a, const char *cmd, int c, const char *arg);
/* Whether the arguments ask for proposals (replay proposes only then; suggest always). */
bool scw_propose_args_propose(const struct scw_propose_args *a);
/* The propose options for these arguments (pointers borrowed from a). */
void scw_propose_opts_init(struct scw_propose_opts *o, const struct scw_propose_args *a,
                           const char *cmd, const char *title);

struct scw_propose;

/*
 * Load the rule files, the --profile and the --vulns reports (checked now, before any input is
 * read). Errors are printed ("file:line:column: ..." for rule and profile files); returns 0 or
 * -errno. A scanner report that cannot be read is reported and skipped (the others, and the
 * events, are still used): scw_propose_run then returns SCW_EXIT_INPUT after its output.
 */
int scw_propose_new(const struct scw_propose_opts *o, struct scw_propose **ret);
void scw_propose_free(struct scw_propose *p);

/* The rule set loaded (for ingest's ignore filter; rules->files lists every file loaded). */
const struct scw_rules *scw_propose_rules(const struct scw_propose *p);

/*
 * Load the profiles of agg's workloads (the first time) and advise, without writing anything.
 * pending: decisions not yet in the rules (scw_advise_input). Returns 0 with *ret (free it
 * with scw_advice_free; it borrows from p and agg), or -errno (printed).
 */
int scw_propose_advise(struct scw_propose *p, const struct scw_aggregate *agg,
                       const struct scw_human_decision *pending, size_t n_pending,
                       struct scw_advice **ret);
/* The profiles the advice indexes (valid after scw_propose_advise). */
const struct scw_advise_profile *scw_propose_profiles(const struct scw_propose *p, size_t *ret_n);
/* The unified diff, current vs tuned, of group gi of a (malloc'd in *ret). 0 or -errno. */
int scw_propose_group_diff(struct scw_propose *p, const struct scw_advice *a, size_t gi, char **ret,
                           size_t *ret_len);

/*
 * Whether --output names a directory: always with --format profile or diff; with text or
 * json when it ends in '/' or is an existing directory (else it is the report file).
 */
bool scw_propose_output_is_dir(const char *output, enum scw_format format);

/*
 * Propose for agg and write the output. Returns an exit code: SCW_EXIT_OK, SCW_EXIT_INPUT (a
 * profile could not be read or is invalid, an output could not be written: nothing is left
 * behind), SCW_EXIT_USAGE (--format profile concerns several profiles and no --output DIR).
 */
int scw_propose_run(struct scw_propose *p, const struct scw_aggregate *agg);

/* Inputs that could not be read and were left out (merged states, reported by the caller):
 * scw_propose_run then returns SCW_EXIT_INPUT after its output. */
void scw_propose_input_failures(struct scw_propose *p, unsigned n);

#endif
