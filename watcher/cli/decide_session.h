/*
 * decide_session: what `scmpwatch decide` and `scmpwatch review` share. The decisions file is
 * read first (a hand edit gone wrong stops the command before anything else, and nothing is
 * changed), then the rule set with it as the last layer, the watchers' states (one, or several
 * nodes' merged exactly: state_args.c) and the advice (propose.c); then, per (profile group,
 * syscall), the proposals it covers, the evidence written as a comment above each decision, who
 * decides and when, and the atomic save. Callers: cmd_decide.c, cmd_review.c.
 */
#ifndef SCW_DECIDE_SESSION_H
#define SCW_DECIDE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "advise.h"
#include "aggregate.h"
#include "decisions_file.h"
#include "propose.h"
#include "state_args.h"

#define SCW_DECIDE_MAX_ARCHES 8 /* proposals (one per architecture) of one group and syscall */

/* The options decide and review share: --state, --decisions and the rule-set options. */
struct scw_decide_args {
    struct scw_state_args states; /* --state FILE|DIR|-, repeatable (none: the default) */
    const char *decisions;        /* --decisions FILE, or NULL: <rules.d>/50-decisions.yaml */
    struct scw_propose_args pa;   /* --rules, --rules-d, --no-default-rules, --profile... */
};
enum { SCW_DECIDE_OPT_STATE = 0x380, SCW_DECIDE_OPT_DECISIONS };
#define SCW_DECIDE_LONG_OPTS                                                                       \
    SCW_PROPOSE_RULES_OPTS, {"state", required_argument, NULL, SCW_DECIDE_OPT_STATE},              \
    {                                                                                              \
        "decisions", required_argument, NULL, SCW_DECIDE_OPT_DECISIONS                             \
    }

void scw_decide_args_init(struct scw_decide_args *a);
/* 1 when c was one of the shared options, 0 when not, or SCW_EXIT_USAGE (printed). */
int scw_decide_parse_opt(struct scw_decide_args *a, const char *cmd, int c, const char *arg);

struct scw_decide_session {
    const char *cmd;               /* "decide", "review" */
    char *path;                    /* the decisions file */
    struct scw_decisions_file *df; /* as read at the start */
    struct scw_propose *pp;
    struct scw_aggregate *agg;
    struct scw_advice *advice;
    const struct scw_advise_profile *profiles;
    size_t n_profiles;
};

/* Open everything; returns SCW_EXIT_OK with *ret, or the exit code (the error printed). A
 * state that cannot be read stops it, even among several: decisions are made on the whole
 * fleet's evidence or not at all. */
int scw_decide_session_open(const struct scw_decide_args *a, const char *cmd,
                            struct scw_decide_session **ret);
void scw_decide_session_close(struct scw_decide_session *s);

/* The index of the profile group called name, or -1 (and an error naming the known ones). */
long scw_decide_session_group(const struct scw_decide_session *s, const char *name);

/* The proposals of group gi for a syscall (one per architecture), at most max; how many. */
size_t scw_decide_proposals(const struct scw_advice *a, size_t gi, const char *syscall,
                            const struct scw_proposal **ret, size_t max);

/* "docker api-1 (a1a1a1a1a1a1)" or the executable of a host workload, made terminal-safe. */
void scw_decide_workload_label(FILE *out, const struct scw_workload *w);

/*
 * The comment written above a decision: who, when, how (decide or review), the evidence of
 * the group's proposals for the syscall (per architecture: events, processes, coverage,
 * first and last seen, what the rules said, executables, containers). malloc'd; NULL: ENOMEM.
 */
char *scw_decide_evidence(const struct scw_decide_session *s, size_t gi, const char *syscall,
                          enum scw_decision_kind d, const char *by, const char *at);

/* Who decides: $SUDO_USER, else $USER, else the user name of the uid. */
void scw_decide_who(char *buf, size_t cap);
/* Now, as "YYYY-MM-DDTHH:MM:SSZ". */
void scw_decide_now(char *buf, size_t cap);

/*
 * Save entries[0..n): the decisions file is read again (a decision made meanwhile is kept),
 * the entries put in it (each replaces the one of its group and syscall), and it is written
 * atomically. Returns 0 or -errno (printed; the file is then unchanged).
 */
int scw_decide_session_save(struct scw_decide_session *s, const struct scw_decision_entry *entries,
                            size_t n);

#endif
