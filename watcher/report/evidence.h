/*
 * evidence: how far proposals can be trusted, as people and programs read it: coverage on
 * nodes ("in 5 of 6 containers on 3 of 3 nodes"), per group completeness ("no new syscall
 * for 3 h 12 min over 14 h of observation", or INCOMPLETE with the records lost), when each
 * syscall was first seen, and why suggest --fail-on closed its gate. advise computes the
 * numbers (advise_evidence.c); this prints them. Called by advice_report.c, propose_out.c.
 */
#ifndef SCW_EVIDENCE_H
#define SCW_EVIDENCE_H

#include <jansson.h>
#include <stdio.h>

#include "advise.h"

/* "45 s", "12 min 3 s", "3 h 12 min", "2 d 4 h" (two units at most); "0 s" for <= 0. */
void scw_evidence_fmt_duration(int64_t seconds, char *buf, size_t cap);

/* The group's "completeness" object (scmpwatch-suggest(1)). */
json_t *scw_evidence_group_json(const struct scw_aggregate *agg, const struct scw_advice_group *g);
/* The names of the nodes the group's members are on, in node order. */
json_t *scw_evidence_group_nodes_json(const struct scw_aggregate *agg,
                                      const struct scw_advice_group *g);
/* Keys a group's proposal gets: "seen_on_nodes", "nodes", "node_coverage" ("3 of 3"). */
void scw_evidence_proposal_json(json_t *o, const struct scw_proposal *p,
                                const struct scw_advice_group *g);

/* The group's completeness lines of the text report (warn/reset: colour, may be ""). */
void scw_evidence_put_group(FILE *out, const struct scw_advice_group *g, const char *warn,
                            const char *reset);
/* " on 2 of 3 nodes" after a coverage, when nodes (the group's) is not 0. */
void scw_evidence_put_nodes(FILE *out, const struct scw_proposal *p, size_t nodes);
/* " on NODE" after a workload's label, when agg holds several nodes. */
void scw_evidence_put_node_of(FILE *out, const struct scw_aggregate *agg,
                              const struct scw_workload *w);
/* "      first seen:  2025-11-28 14:22:23.101 UTC" (nothing when unknown). */
void scw_evidence_put_first_seen(FILE *out, const struct scw_proposal *p);

/*
 * suggest --fail-on: when a has any property of mask, say which on out, with counts and the
 * first few groups and syscalls, and return true (the caller exits SCW_EXIT_GATE).
 */
bool scw_evidence_gate_report(const struct scw_advice *a, unsigned mask, const char *cmd,
                              FILE *out);

#endif
