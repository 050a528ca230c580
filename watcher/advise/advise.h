/*
 * advise: the proposals stage. From the aggregate, the rule set and what each workload's
 * current profile does with a syscall, decide for every logged (arch, syscall) of every
 * workload: allow, deny, review or ignore, with the rule that decided, its reason, the
 * thresholds that demoted an allow, and whether the current profile already lets the call
 * run. Workloads running the same profile and matching the same selectors (replicas) are
 * proposed together too: one group per profile, with coverage ("seen in 2 of 3 containers")
 * and the allow list and comment of the group's tuned profile.
 *
 * Groups are named after what they are, never how many they are (advise_names.c): a selector,
 * the mapped profile file, else the members' owner (a Kubernetes workload from its pod names,
 * a compose service, the image). Runtime profiles group by profile and owner. Per group and
 * per syscall, the evidence of completeness (advise_evidence.c): on how many nodes it was
 * seen, when the last new syscall appeared, how long its nodes were observed, and whether
 * records were lost while they were.
 *
 * People's decisions (`decisions:` of the rules, and a review session's unsaved ones) name a
 * profile group and a syscall: they outrank every rule, ignore list and threshold for the
 * group's proposals and its members', never a vulnerability block (the proposal then says the
 * block overrode them).
 *
 * Pure: no I/O. Profiles reach it as struct scw_advise_profile (a query function over a
 * profile loaded by the caller, see propose.c); vulnerability blocks through a hook (the
 * vulns module). It does not load, tune or write profiles and prints nothing: propose.c and
 * advice_report.c do. Callers: propose.c (replay and suggest), tests.
 */
#ifndef SCW_ADVISE_H
#define SCW_ADVISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"
#include "rules.h"

#define SCW_ADVISE_NAME_MAX    48  /* group names (output file stems) */
#define SCW_ADVISE_SYSCALL_MAX 48  /* syscall names kept in a proposal */
#define SCW_ADVISE_COMMENT_MAX 256 /* comment of the tuned allow entry */

/* Where a workload's profile came from, in order of precedence. */
enum scw_advise_source {
    SCW_ADVISE_SOURCE_NONE,     /* no profile known */
    SCW_ADVISE_SOURCE_RUNTIME,  /* the container runtime's state (container->profile) */
    SCW_ADVISE_SOURCE_SELECTOR, /* a rule-file selector's `profile:` */
    SCW_ADVISE_SOURCE_CLI,      /* --profile [SELECTOR=]FILE */
    SCW_ADVISE_SOURCE_DIR,      /* a profiles directory (--profiles, `profiles:`): <group>.json */
    SCW_ADVISE_SOURCE_MAX,
    SCW_ADVISE_SOURCE_INVALID = -1,
};
/* "runtime", "selector", "cli", "profiles"; NULL for NONE and invalid values (JSON null). */
const char *scw_advise_source_name(enum scw_advise_source s);

/* What the current profile does with a call once it enforces (a log-only default refuses). */
enum scw_current {
    SCW_CURRENT_UNKNOWN,     /* no profile known (or it could not be read) */
    SCW_CURRENT_ALLOWED,     /* runs: an ALLOW (or explicit LOG) entry matches it */
    SCW_CURRENT_REFUSED,     /* refused: the default action or a refusing entry */
    SCW_CURRENT_CONDITIONAL, /* runs only for some argument values (entries with args) */
    SCW_CURRENT_MAX,
    SCW_CURRENT_INVALID = -1,
};
/* "unknown", "allowed", "refused", "conditional"; NULL if invalid. */
const char *scw_current_name(enum scw_current c);

/* One answer of a profile query. Strings are static or owned by the profile. */
struct scw_advise_answer {
    enum scw_current verdict;
    const char *action;    /* the profile's action for the call as written ("SCMP_ACT_LOG") */
    int errno_value;       /* with SCMP_ACT_ERRNO: the errno (1 = EPERM); else -1 */
    long entry;            /* syscalls[] index of the deciding (first conditional) entry; -1 */
    const char *otherwise; /* CONDITIONAL: the action when no argument filter matches */
    const char *note;      /* e.g. "the architecture is not in the profile"; NULL */
};

/*
 * A loaded profile, as advise sees it. query answers for a syscall name (NULL: a number
 * libseccomp cannot name) on an architecture (libseccomp token, 0 when unknown); it returns 0
 * or a negative errno (the proposal then says "unknown").
 */
struct scw_advise_profile {
    const char *path;           /* where it was first read from (borrowed) */
    const char *default_action; /* "SCMP_ACT_LOG"... (borrowed) */
    int default_errno;          /* defaultErrnoRet, -1 when absent */
    bool log_only;              /* defaultAction is SCMP_ACT_LOG */
    int (*query)(const void *ctx, uint32_t arch_token, const char *syscall,
                 struct scw_advise_answer *ret);
    const void *ctx;
};

/* Which profile a workload runs, as the caller resolved and loaded it. */
struct scw_advise_assign {
    enum scw_advise_source source;
    const char *path;  /* borrowed; may be set with profile -1 (it could not be loaded) */
    int profile;       /* index into scw_advise_input.profiles, -1: unknown */
    const char *error; /* why it could not be loaded (borrowed), or NULL */
};

/*
 * A vulnerability block (the vulns module): a CVE still unfixed for this workload keeps the
 * syscall refused. It outranks every rule. Strings are borrowed from the hook's owner.
 */
struct scw_advise_vuln {
    const char *cve;                         /* the id that matched, or NULL */
    const char *severity;                    /* "high"...; NULL for kernel blocks */
    const char *package, *installed, *fixed; /* from the scanner report; NULL for kernel blocks */
    const char *kernel;                      /* kernel blocks: the running release... */
    const char *kernel_below;                /* ...and the first fixed one */
};
struct scw_advise_block {
    const char *name; /* the cve_blocks entry, e.g. "dirty-pipe" */
    const char *reason;
    const char *link;     /* may be NULL */
    const char *evidence; /* e.g. "CVE-2022-0847 (high) in linux ...", may be NULL */
    struct scw_advise_vuln vuln;
};
/*
 * Returns true and fills ret when a block applies (container NULL = host workload; syscall
 * NULL = a number libseccomp cannot name). The strings must stay valid until the advice is
 * freed (ctx may cache them: it is not const).
 */
typedef bool (*scw_advise_block_fn)(void *ctx, const struct scw_container *container,
                                    const char *arch, const char *syscall,
                                    struct scw_advise_block *ret);

struct scw_advise_input {
    const struct scw_aggregate *agg; /* borrowed */
    const struct scw_rules *rules;   /* borrowed */
    const struct scw_advise_profile *profiles;
    size_t n_profiles;
    /* per workload index (scw_aggregate_n_workloads entries); NULL: no profile known */
    const struct scw_advise_assign *assign;
    scw_advise_block_fn vuln_block; /* NULL: no vulnerability data */
    void *vuln_ctx;
    /* decisions not yet in the rules (a review session's), consulted before the rules' own;
     * for one group and syscall the last one counts. Borrowed. */
    const struct scw_human_decision *pending;
    size_t n_pending;
};

/* One (arch, syscall) of a workload or a group, decided. */
struct scw_proposal {
    uint32_t audit_arch; /* as logged */
    uint32_t nr;         /* as logged */
    uint32_t arch_token; /* libseccomp token, 0 when unknown */
    const char *arch;    /* "x86_64"... (static), NULL when unknown */
    bool named;          /* libseccomp knows the number; syscall holds its name */
    char syscall[SCW_ADVISE_SYSCALL_MAX];

    enum scw_decision_kind decision;
    enum scw_decision_kind undemoted; /* before thresholds (and the no-name demotion) */
    const char *rule;                 /* rule name, "defaults", "ignore", or the block name */
    const char *reason;               /* borrowed from the rule set or the vulns hook */
    const char *link;                 /* may be NULL */
    bool blocked;                     /* a vulnerability block decided */
    const char *evidence;             /* the block's evidence (borrowed), or NULL */
    struct scw_advise_vuln vuln;      /* the block's details (borrowed); zero unless blocked */
    bool ignored_by_list;             /* the rule file's `ignore:` lists decided */
    /* a person's decision for the group and syscall (borrowed): it decided, or a block
     * overrode it (human_overridden: it was not deny); NULL when nobody decided */
    const struct scw_human_decision *human;
    bool human_overridden;
    bool demoted;         /* an allow became review */
    char demoted_why[96]; /* "seen 2 times (minimum 3)"; "" unless demoted */
    uint64_t min_events;  /* thresholds that applied */
    uint32_t min_processes;

    uint64_t count;
    uint32_t processes; /* distinct pids (at most SCW_ENTRY_PIDS) */
    bool processes_truncated;
    int64_t first_sec, last_sec;
    uint32_t first_msec, last_msec;
    uint32_t actions;              /* bit (1u << enum scw_action) per action logged */
    uint32_t exes[SCW_ENTRY_EXES]; /* string ids (scw_aggregate_string) */
    uint8_t n_exes;
    bool exes_truncated;
    int32_t pids[SCW_ENTRY_PIDS];
    /* events per interval of scw_advice.grid, summed over the entries (saturating); a sum
     * below count: some events have no time (a state written before buckets) */
    uint32_t buckets[SCW_ENTRY_BUCKETS];

    struct scw_advise_answer current; /* verdict UNKNOWN without a profile */
    uint32_t seen_in;                 /* members that logged it (1 for a workload) */
    uint32_t seen_on_nodes;           /* nodes of those members (1 for a workload) */
};

/*
 * Whether a group's observation can be trusted to be whole: evidence, not a feeling. Over the
 * nodes its members are on.
 */
struct scw_advice_completeness {
    size_t n_nodes;          /* nodes its members are on */
    size_t nodes_unobserved; /* of them, with no observation recorded (version 1 state) */
    int64_t observed_from;   /* earliest start of their watchers (wall s), 0: unknown */
    int64_t observed_to;     /* their latest snapshot (replay: the last record), 0: ? */
    int64_t last_new_sec;    /* when the latest of its syscalls was first seen, 0: none */
    uint32_t last_new_msec;
    const struct scw_proposal *last_new; /* that proposal (borrowed), NULL: none */
    uint64_t lost;                       /* records its nodes' readers lost (input.lost) */
    uint64_t kernel_lost;                /* their kernels' audit lost counters */
    uint64_t dropped;                    /* events dropped at the bounds on them */
    bool incomplete;                     /* any of the three */
};

struct scw_workload_advice {
    enum scw_advise_source source;
    const char *path;               /* borrowed from the input, may be NULL */
    int profile;                    /* index into the input profiles, -1 */
    const char *error;              /* borrowed */
    int group;                      /* index into scw_advice.groups, -1 when no profile is known */
    struct scw_proposal *proposals; /* count desc, then arch, number */
    size_t n_proposals;
};

/* Workloads running the same profile and matching the same selectors: proposed together. */
struct scw_advice_group {
    char name[SCW_ADVISE_NAME_MAX]; /* unique; [A-Za-z0-9._-]; output file stem */
    int profile;                    /* index into the input profiles */
    enum scw_advise_source source;  /* of the first member */
    const char *path;               /* of the first member (borrowed) */
    const char *selector;           /* first selector (definition order) they match, or NULL */
    uint32_t *members;              /* workload indexes, in report order */
    size_t n_members;
    struct scw_proposal *proposals; /* merged over members, decided on the sums */
    size_t n_proposals;
    uint64_t events;
    int64_t first_sec, last_sec;
    uint32_t first_msec, last_msec;
    /* the tuned profile's allow entry: names every proposal of which decided allow */
    const char **allow; /* sorted, unique; borrowed from proposals */
    size_t n_allow;
    uint64_t allow_events; /* events of those syscalls */
    char comment[SCW_ADVISE_COMMENT_MAX];
    struct scw_advice_completeness completeness;
};

struct scw_advice {
    struct scw_workload_advice *workloads; /* indexed by workload index */
    size_t n_workloads;
    struct scw_advice_group *groups; /* in report order of their first member */
    size_t n_groups;
    const char *enforce_action; /* the rules' enforcing default ("SCMP_ACT_ERRNO") */
    int enforce_errno;          /* with SCMP_ACT_ERRNO, else 0 */
    size_t n_nodes;             /* nodes of the aggregate (a fleet: more than one) */
    struct scw_agg_grid grid;   /* the aggregate's time grid: the proposals' buckets */
    /* A selector matches on labels, and these containers' runtimes gave no labels (labels
     * unknown, not empty): the selector can never match them. Said once in the report. */
    const char *labels_selector; /* borrowed: the first selector with labels:, or NULL */
    size_t n_unlabelled;         /* containers without labels while such a selector exists */
};

/*
 * The profile file the team keeps (in git) for a workload: the source of truth proposals are
 * made against and tuned from (advise_map.c). The runtime's resolved copy
 * (container->profile) is used only when nothing maps the workload.
 */
struct scw_advise_map {
    const char *selector; /* NULL: every workload; else a selector name, or a glob on the owner */
    const char *path;
};
struct scw_advise_maps {
    const struct scw_advise_map *maps; /* --profile [SELECTOR=]FILE, in the order given */
    size_t n_maps;
    const char *dir; /* a profiles directory (--profiles DIR, else the rules' profiles:), or NULL */
    /* whether a file exists (the directory lookup; the I/O stays with the caller) */
    bool (*exists)(void *ctx, const char *path);
    void *ctx;
};

/*
 * Which profile a workload is proposed against, in order: a --profile SELECTOR=FILE whose
 * SELECTOR is a rules selector the workload matches or a glob on its owner's name (the
 * Deployment, compose service or image: advise_names.c); a matching selector's `profile:`;
 * DIR/<name>.json for a matching selector's name, then the owner's; a --profile FILE without
 * selector; else the runtime's copy. The path is written to path (size cap; "" with NONE).
 */
enum scw_advise_source scw_advise_profile_for(const struct scw_rules *rs,
                                              const struct scw_aggregate *agg, uint32_t workload,
                                              const struct scw_advise_maps *maps, char *path,
                                              size_t cap);

/* The owner's name of a container as groups are named (advise_names.c), in out. */
void scw_advise_owner_name(const struct scw_container *c, char *out, size_t cap);

/*
 * Decide everything. Returns 0 with *ret (free with scw_advice_free), -EINVAL on inconsistent
 * input (an assign index out of range), -ENOMEM.
 */
int scw_advise(const struct scw_advise_input *in, struct scw_advice **ret);
void scw_advice_free(struct scw_advice *a);

/* "container" when every member of g is a container, else "workload" (for "3 of 3 ..."). */
const char *scw_advice_group_noun(const struct scw_aggregate *agg,
                                  const struct scw_advice_group *g);

/*
 * Whether a proposal still waits for a person: not decided by one, not kept denied by a
 * vulnerability block (nobody can change that), not ignored, and named (a decision names the
 * syscall). What `scmpwatch review` walks.
 */
bool scw_proposal_open(const struct scw_proposal *p);

/*
 * suggest --fail-on: properties of proposals a CI job can refuse to promote. review, deny:
 * a proposal of a group or of a workload without one decided so; incomplete: a group whose
 * records were lost while it was observed; breaks: a group's proposal that enforcing the
 * current profile would refuse (its "breaks_if_enforced").
 */
enum {
    SCW_GATE_REVIEW = 1u << 0,
    SCW_GATE_DENY = 1u << 1,
    SCW_GATE_INCOMPLETE = 1u << 2,
    SCW_GATE_BREAKS = 1u << 3,
};
/* "review,deny,incomplete,breaks" (any of them, comma-separated) -> bits. 0 or -EINVAL. */
int scw_advice_gate_parse(const char *list, unsigned *ret);
/* How many proposals (groups, for incomplete) have each property. */
struct scw_advice_gate_hits {
    size_t review, deny, incomplete, breaks;
};
/* The properties of mask found in a (bits), with the counts in *ret (may be NULL). */
unsigned scw_advice_gate(const struct scw_advice *a, unsigned mask,
                         struct scw_advice_gate_hits *ret);

/* The proposal for (arch token, syscall name) in a list, or NULL. */
const struct scw_proposal *scw_advice_find(const struct scw_proposal *p, size_t n, const char *arch,
                                           const char *syscall);

#endif
