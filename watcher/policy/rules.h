/*
 * rules: the YAML rule file (schema version 1, scmpwatch-rules(5)) loaded into a rule set, and
 * the pure questions later stages ask of it: which decision a (workload, syscall) gets, whether
 * an event is ignored before counting, which profile file a container runs, what a group holds.
 *
 * Loading reads and validates one file at a time (libyaml); several files layer in order:
 * later files append to groups, ignore lists and vulnerability blocks, override defaults key by
 * key, and their rules are consulted BEFORE the rules of earlier files (an overlay can refine
 * the shipped default.yaml). A file's `decisions:` are what people decided for one syscall of
 * one profile group (scmpwatch decide / review); a later one for the same group and syscall
 * replaces an earlier one. Which files make up a command's rule set (the shipped ones,
 * rules.d, --rules) is rules_files.h's business. Matching does no I/O and allocates nothing.
 * It does not read scanner reports, build proposals or touch profiles (advise, profile and
 * vulns do).
 * Callers: cmd_rules.c (rules check / list-groups), the watcher and suggest (through advise).
 * Implemented by rules_load.c, rules_sections.c, rules_cve.c, rules_decisions.c,
 * rules_expand.c, rules_match.c and rules_set.c (see rules_impl.h for which holds what).
 */
#ifndef SCW_RULES_H
#define SCW_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"
#include "record.h"

/* Bounds on what a rule file may hold; hitting one is a load error naming the bound. */
#define SCW_RULES_MAX_FILE_SIZE   (4u << 20) /* bytes per file */
#define SCW_RULES_MAX_DEPTH       32         /* YAML nesting */
#define SCW_RULES_MAX_NODES       262144     /* YAML nodes per file */
#define SCW_RULES_MAX_FILES       64         /* files layered into one rule set */
#define SCW_RULES_MAX_RULES       4096
#define SCW_RULES_MAX_GROUPS      1024
#define SCW_RULES_MAX_SELECTORS   1024
#define SCW_RULES_MAX_CVE_BLOCKS  4096
#define SCW_RULES_MAX_DECISIONS   16384          /* human decisions, over every file */
#define SCW_RULES_MAX_LIST        4096           /* entries in one YAML list */
#define SCW_RULES_MAX_NAME        64             /* names of rules, groups, selectors, syscalls */
#define SCW_RULES_MAX_STRING      4096           /* any other string */
#define SCW_RULES_MAX_GROUP_DEPTH 16             /* groups including groups */
#define SCW_RULES_MAX_EXPANDED    2048           /* distinct syscall names one list expands to */
#define SCW_RULES_MAX_WARNINGS    256            /* warnings kept (the rest are counted) */
#define SCW_RULES_MAX_PROCESSES   SCW_ENTRY_PIDS /* highest min_processes threshold */

enum scw_decision_kind {
    SCW_DECISION_ALLOW,  /* propose adding the syscall to the profile */
    SCW_DECISION_DENY,   /* keep it refused; the workload used it: warn */
    SCW_DECISION_REVIEW, /* a human decides; the reason says why */
    SCW_DECISION_IGNORE, /* drop from reports */
    SCW_DECISION_MAX,
    SCW_DECISION_INVALID = -1,
};
const char *scw_decision_name(enum scw_decision_kind d); /* "allow"...; NULL if invalid */
enum scw_decision_kind scw_decision_from_name(const char *name);

/* Scanner severities, lowest first (cve_blocks `severity:` is a minimum). */
enum scw_severity {
    SCW_SEVERITY_UNKNOWN,
    SCW_SEVERITY_NEGLIGIBLE,
    SCW_SEVERITY_LOW,
    SCW_SEVERITY_MEDIUM,
    SCW_SEVERITY_HIGH,
    SCW_SEVERITY_CRITICAL,
    SCW_SEVERITY_MAX,
    SCW_SEVERITY_INVALID = -1,
};
const char *scw_severity_name(enum scw_severity s);
enum scw_severity scw_severity_from_name(const char *name); /* case-insensitive */

/* Where something was written: file as given to scw_rules_load (owned by the rule set). */
struct scw_where {
    const char *file; /* borrowed */
    unsigned line, column;
};

/*
 * A list of syscalls as written (names, "@group" references, "*" in rules) and, after every
 * load, its expansion: sorted, unique names (borrowed from the rule set).
 */
struct scw_syscall_item {
    char *name; /* without the '@' for groups */
    bool is_group;
    size_t group; /* index into rs->groups when is_group */
    struct scw_where where;
};
struct scw_syscall_set {
    struct scw_syscall_item *items;
    size_t n_items;
    bool all;           /* "*": every syscall, including ones with no known name */
    const char **names; /* expanded; borrowed strings */
    size_t n_names;
};

struct scw_group {
    char *name; /* without the '@' */
    char *description;
    struct scw_syscall_set set;
    struct scw_where where; /* first definition */
    int state;              /* expansion bookkeeping, private */
};

/* A string list matched with fnmatch(3) (no flags) or, first, for equality. */
struct scw_globs {
    char **v;
    size_t n;
};

struct scw_label_match {
    char *key;  /* exact label key */
    char *glob; /* pattern for its value */
};

/* A named container selector: every field given must match (fields are ANDed; the patterns of
 * one field are ORed). */
struct scw_selector {
    char *name;
    struct scw_globs names, images, runtimes, cgroups, namespaces, pods, k8s_containers, ids,
        executables;
    struct scw_label_match *labels;
    size_t n_labels;
    int host;      /* -1 not given; 1: only unattributed/host workloads; 0: only containers */
    char *profile; /* profile file those containers run (resolved against the rule file's
                      directory), or NULL */
    struct scw_where where;
};

struct scw_thresholds {
    uint64_t min_events;
    uint32_t min_processes;
    bool has_min_events, has_min_processes;
};

struct scw_rule {
    char *name;
    enum scw_decision_kind decision;
    char *reason;
    char *link; /* may be NULL */
    struct scw_syscall_set syscalls;
    struct scw_globs arches; /* architecture names; empty = any */
    char **selector_names;   /* as written in `containers:`; empty = any workload */
    size_t *selectors;       /* resolved indexes into rs->selectors */
    size_t n_selectors;
    struct scw_thresholds thresholds; /* fields not given fall back to the defaults */
    struct scw_where where;
};

struct scw_cve_block {
    char *name;
    char **cves; /* "CVE-YYYY-N..." upper-case; empty when package is given */
    size_t n_cves;
    char *package;              /* or NULL */
    enum scw_severity severity; /* minimum, with package; SCW_SEVERITY_UNKNOWN when not given */
    /* kernel_below: the fixed release of each stable series ("5.16.11", "5.15.25"), one per
     * major.minor, or none: the block applies on any kernel (see scw_rules_kernel_missing_fix) */
    char **kernel_below;
    size_t n_kernel_below;
    char *kernel_since; /* the release that brought the bug, or NULL: older kernels are safe */
    struct scw_syscall_set syscalls;
    char *reason;
    char *link;
    struct scw_where where;
};

/*
 * A human decision (`decisions:`): for one syscall (every architecture) of one profile group,
 * as the report names the group. It outranks every rule, ignore list and threshold, never a
 * vulnerability block (advise applies it).
 */
struct scw_human_decision {
    char *group;                     /* profile group name ("api", "web-2") */
    char *syscall;                   /* a syscall name */
    enum scw_decision_kind decision; /* allow, deny or ignore */
    char *reason;
    char *by; /* who decided, or NULL */
    char *at; /* when, "YYYY-MM-DDTHH:MM:SSZ", or NULL */
    struct scw_where where;
};

struct scw_rules_defaults {
    enum scw_decision_kind decision;  /* default allow */
    struct scw_thresholds thresholds; /* default 1 event, 1 process */
    const char *action; /* enforcing default action for tuned profiles: "SCMP_ACT_ERRNO",
                           "SCMP_ACT_KILL_PROCESS"... (static storage) */
    int errno_value;    /* with SCMP_ACT_ERRNO: default 1 (EPERM); else 0 */
};

/* The loaded rule set. Read-only outside rules_*.c; build it with scw_rules_load(). */
struct scw_rules {
    char **files;
    size_t n_files;
    struct scw_group *groups;
    size_t n_groups;
    struct scw_selector *selectors;
    size_t n_selectors;
    struct scw_rule *rules; /* in matching order: later files' rules first */
    size_t n_rules;
    struct scw_cve_block *cve_blocks;
    size_t n_cve_blocks;
    struct {
        struct scw_globs executables, comms;
        struct scw_syscall_set syscalls; /* items of every file, one expansion */
        char **selector_names;           /* as written */
        size_t *selectors;               /* resolved indexes into rs->selectors */
        size_t n_selectors;
    } ignore;
    struct scw_rules_defaults defaults;
    char *profiles_dir; /* `profiles:` of the last file that has one (resolved), or NULL */
    struct scw_human_decision *decisions; /* sorted by (group, syscall), one per pair */
    size_t n_decisions;
    char **warnings; /* "file:line:column: ..." */
    size_t n_warnings;
    uint64_t warnings_dropped; /* past SCW_RULES_MAX_WARNINGS */
};

struct scw_rules *scw_rules_new(void);
void scw_rules_free(struct scw_rules *rs);

/*
 * Load one rule file and layer it onto rs. On a validation error returns -EINVAL and sets
 * *ret_error (malloc'd) to "FILE:LINE:COLUMN: what was expected"; an unreadable file gives the
 * -errno with "FILE: reason". Warnings (unknown syscall names...) go to rs->warnings. After a
 * failed load rs is unspecified: free it. ret_error may be NULL.
 */
int scw_rules_load(struct scw_rules *rs, const char *path, char **ret_error);
/* The same from memory; name is used in messages and to resolve relative profile paths. */
int scw_rules_load_buffer(struct scw_rules *rs, const char *name, const char *data, size_t len,
                          char **ret_error);

/* The shipped rules: $SCMPWATCH_RULES_DIR/default.yaml, else SCW_RULES_DIR/default.yaml. */
const char *scw_rules_default_path(void);

/* The outcome of scw_rules_decide(); every pointer is borrowed from the rule set. */
struct scw_decision {
    enum scw_decision_kind decision;
    enum scw_decision_kind undemoted; /* what the rule (or default) said before thresholds */
    const struct scw_rule *rule;      /* NULL: defaults.decision decided */
    const char *rule_name;            /* rule name, or "defaults" */
    const char *reason;               /* rule reason, or a fixed text for the default */
    const char *link;                 /* may be NULL */
    bool demoted;                     /* thresholds turned allow into review */
    uint64_t min_events;              /* thresholds that applied */
    uint32_t min_processes;
    char demoted_why[96]; /* "seen 2 times (minimum 3)", "" unless demoted */
};

/*
 * Decide for a syscall of a workload: the first rule (in matching order) whose syscalls,
 * arches and containers match decides; none: defaults.decision. An allow below the thresholds
 * (count < min_events or distinct_processes < min_processes) becomes review.
 * container NULL = a host or unattributed workload (matched only by selectors with
 * `executable:` or `host: true`); exes are the workload's executables (any may match).
 * syscall may be NULL (a number libseccomp cannot name): only "*" rules match it.
 * ret may be NULL. Pure: no I/O, no allocation.
 */
enum scw_decision_kind scw_rules_decide(const struct scw_rules *rs,
                                        const struct scw_container *container,
                                        const char *const *exes, size_t n_exes, const char *arch,
                                        const char *syscall, uint64_t count,
                                        uint32_t distinct_processes, struct scw_decision *ret);

/* Whether a selector matches a workload (container NULL = host/unattributed). */
bool scw_rules_selector_matches(const struct scw_selector *sel,
                                const struct scw_container *container, const char *const *exes,
                                size_t n_exes);

/*
 * The `ignore:` lists: true when the event must be dropped before counting. exe, comm, syscall
 * may be NULL (unknown: that list cannot match); container NULL matches no container entry.
 */
bool scw_rules_ignores(const struct scw_rules *rs, const struct scw_container *container,
                       const char *exe, const char *comm, const char *syscall);

/*
 * A scw_filter_fn for struct scw_ingest (ctx = the rule set): applies the executable, comm and
 * syscall ignore lists to a record (names via scw_name_lookup). Container entries need the
 * attributed container: check those with scw_rules_ignores() after resolving.
 */
bool scw_rules_filter_record(void *ctx, const struct scw_record *r);

/* The human decision for a syscall of a profile group, or NULL. Pure (binary search). */
const struct scw_human_decision *scw_rules_human_decision(const struct scw_rules *rs,
                                                          const char *group, const char *syscall);

/* Whether a name can be a profile group's in `decisions:` (1 to SCW_RULES_MAX_NAME of
 * [A-Za-z0-9_.-], not starting with '.' or '-'), and a syscall name (lower-case, digits, '_'). */
bool scw_rules_valid_group_name(const char *s);
bool scw_rules_valid_syscall_name(const char *s);

/* The profile file of the first selector (definition order) that has one and matches. */
const char *scw_rules_profile_for(const struct scw_rules *rs, const struct scw_container *container,
                                  const char *const *exes, size_t n_exes);

/* A group by name ("mount" or "@mount"), or NULL. Its set.names is the full expansion. */
const struct scw_group *scw_rules_group(const struct scw_rules *rs, const char *name);

/* Whether a sorted expanded set holds a syscall name. */
bool scw_syscall_set_has(const struct scw_syscall_set *set, const char *syscall);

/* Number for an errno name ("EPERM" -> 1) or a decimal 1..4095; negative if neither. */
int scw_rules_errno_from_name(const char *name);
const char *scw_rules_errno_name(int value); /* NULL when not in the table */

/*
 * Kernel release ordering for cve_blocks' kernel_below: true when release ("5.15.0-91-generic")
 * is older than below ("5.16.11"). Compares up to three numeric components; a release that
 * cannot be parsed is never older.
 */
bool scw_rules_kernel_older(const char *release, const char *below);

/*
 * The fix a kernel release lacks for a block with kernel_below, or NULL when it has it (or
 * the block has no kernel_below, or the release cannot be parsed). With fixes for several
 * stable series, the release is measured against the fix of its own series (same major and
 * minor); a series with no fix listed is measured against the newest fix, so an older series
 * that never got the backport is still vulnerable and a newer one is not. A release older
 * than the block's kernel_since never had the bug.
 */
const char *scw_rules_kernel_missing_fix(const struct scw_cve_block *b, const char *release);

#endif
