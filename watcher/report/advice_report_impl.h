/*
 * advice_report_impl: what the writers of proposals share (advice_report.c: text and JSON,
 * report_html.c, report_md.c), private to them. Implemented in advice_fmt.c.
 */
#ifndef SCW_ADVICE_REPORT_IMPL_H
#define SCW_ADVICE_REPORT_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "advice_report.h"

/* "SCMP_ACT_ERRNO (EPERM)", "SCMP_ACT_ERRNO (errno 38)", "SCMP_ACT_LOG", "?" for NULL. */
void scw_advice_fmt_action(const char *action, int errno_value, char *buf, size_t cap);
/* "x86_64", or "0x%08x" when the architecture is unknown. */
void scw_advice_fmt_arch(const struct scw_proposal *p, char *buf, size_t cap);
/* The syscall name, or "unknown(NR)". */
void scw_advice_fmt_syscall(const struct scw_proposal *p, char *buf, size_t cap);
const struct scw_advise_profile *scw_advice_profile_at(const struct scw_advice_report_opts *o,
                                                       int i);
/* Whether enforcing the current profile refuses (or may refuse) a logged, non-ignored call. */
bool scw_advice_breaks(const struct scw_proposal *p);
/* Whether the tuned profile keeps it refused (deny or review, not allowed today). */
bool scw_advice_kept_refused(const struct scw_proposal *p);
/* Settled by a person (and not overridden by a block). */
bool scw_advice_settled(const struct scw_proposal *p);
/* "from the container runtime", "from --profile"... */
const char *scw_advice_source_words(enum scw_advise_source s);
/* A short class name per decision: "allow", "deny", "review", "ignore". */
const char *scw_advice_decision_class(enum scw_decision_kind d);
/* The proposal of a workload for the same (audit arch, number) as p, or NULL. */
const struct scw_proposal *scw_advice_member_proposal(const struct scw_workload_advice *wa,
                                                      const struct scw_proposal *p);

/*
 * What the report says of a group mapped to the team's file (d->file set): whether its
 * containers run what the file gives them, in plain words for people (a stale deploy, the
 * wrong file, every one compared matches, could not compare). Raw text: each format escapes
 * it (container names are in it). Returns true when there is something to say; *ret_alarm
 * when it is a difference.
 */
bool scw_advice_drift_sentence(const struct scw_advice_drift *d, char *buf, size_t cap,
                               bool *ret_alarm);

/* The terminal's width when out is one (TIOCGWINSZ, at least 40), else 80. */
size_t scw_advice_text_width(FILE *out);

#endif
