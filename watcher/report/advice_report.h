/*
 * advice_report: proposals as people and programs read them. JSON: the report of report.c
 * with, per workload, "proposals" and "profile", and a top-level "profiles" list (one per
 * replica group: coverage, the tuned allow list, what breaks if the current profile were
 * enforced). Text: like audit2why, per profile group and per syscall: decision, rule,
 * reason, counts, executables, what the profile does; then "what breaks if you enforce the
 * current profile" and what the tuned profile changes.
 *
 * It does not decide (advise.c), tune or diff profiles (propose.c, profile.c): it prints
 * what they produced. Callers: propose.c, tests.
 */
#ifndef SCW_ADVICE_REPORT_H
#define SCW_ADVICE_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "advise.h"
#include "report.h"

/* What became of a group's tuned profile (propose.c fills it; all fields may be NULL/0). */
/*
 * The team's profile file a group is mapped to, against what its members run (propose_drift.c
 * in the CLI): a container running something else than the file gives it is a stale deploy,
 * or the wrong file mapped.
 */
struct scw_advice_drift {
    const char *file;      /* the team's file; NULL: the group is not mapped to one */
    size_t compared;       /* members whose running profile was compared */
    size_t differ;         /* of them, running something else */
    size_t unknown;        /* members whose running profile is unknown or unreadable */
    const char *member;    /* the first member that differs (name or key) */
    const char *runs_file; /* a file of the team it runs exactly instead, when one was found */
    size_t differences;    /* syscall x architecture pairs that differ for that member */
    bool arches, defaults; /* its filter covers other architectures / defaults differ */
    char example[192];     /* "unshare (x86_64): the file allows it, the container refuses it" */
};

struct scw_advice_output {
    const char *tuned_path; /* where the tuned profile was written */
    const char *diff_path;  /* where its diff was written */
    size_t names_added;     /* the profile module's count of names in the new allow entry */
    size_t names_already;   /* left out: already allowed unconditionally */
    size_t names_refused;   /* left out: an unconditional entry refuses them */
    bool reformatted;       /* the tuned file is a re-dump, not the team's file plus a change */
    struct scw_advice_drift drift;
};

struct scw_advice_report_opts {
    struct scw_report_opts report; /* title, colour, inputs (decorate is set internally) */
    const struct scw_advise_profile *profiles; /* as given to scw_advise() */
    size_t n_profiles;
    const char *const *rule_files; /* shown in the heading */
    size_t n_rule_files;
    const struct scw_advice_output *outputs; /* per group, or NULL */
};

/* The whole JSON document (report + proposals + profiles), written one workload at a time. */
int scw_advice_write_json(const struct scw_aggregate *agg, const struct scw_advice *a,
                          const struct scw_advice_report_opts *o, FILE *out);
int scw_advice_write_text(const struct scw_aggregate *agg, const struct scw_advice *a,
                          const struct scw_advice_report_opts *o, FILE *out);
/* One self-contained HTML page: inline CSS and SVG, no script, nothing fetched; printable.
 * Per group: decisions, coverage matrix, timeline, what breaks (report_html.c). */
int scw_advice_write_html(const struct scw_aggregate *agg, const struct scw_advice *a,
                          const struct scw_advice_report_opts *o, FILE *out);

/* Markdown (GitHub-flavoured tables) for a pull-request comment, at most this many bytes:
 * what does not fit is summarised in one last line (report_md.c). */
#define SCW_ADVICE_MARKDOWN_MAX 65000
int scw_advice_write_markdown(const struct scw_aggregate *agg, const struct scw_advice *a,
                              const struct scw_advice_report_opts *o, FILE *out);
/* The same with another bound (tests). */
int scw_advice_write_markdown_max(const struct scw_aggregate *agg, const struct scw_advice *a,
                                  const struct scw_advice_report_opts *o, size_t max, FILE *out);

#endif
