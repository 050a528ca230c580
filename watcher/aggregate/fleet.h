/*
 * fleet: the states of many nodes merged into one aggregate, exactly: counts add, first and
 * last seen are the earliest and the latest, every node keeps its own input counters and
 * observation, kept profiles follow the state they came from (state_read.c). Used by
 * `suggest`, `replay --state` and `merge`.
 *
 * What can go wrong with a fleet's states, and what happens (each said once, on stderr):
 *   - a file, directory or document that cannot be read, is not a state or is corrupt, or
 *     comes from a newer scmpwatch: named (file:line:col, and what to do), left out, the
 *     others merged (result.failed);
 *   - the same file given twice, or one node in two states: counted once, from the state
 *     that observed it longest (the newest snapshot holds the older one), said with both
 *     files (result.duplicates);
 *   - one container (runtime, runtime namespace, id) on two nodes with different profiles:
 *     both kept, as two workloads, named with their nodes and files (result.conflicts).
 * Each state is checked whole before any of it is merged, so a bad one leaves no part behind.
 * Memory: the aggregate, one workload's JSON, and standard input's bytes when it is read.
 */
#ifndef SCW_FLEET_H
#define SCW_FLEET_H

#include <stddef.h>

#include "aggregate.h"

#define SCW_FLEET_MAX_INPUTS 100000 /* files (a directory's included) merged at once */

struct scw_fleet_result {
    unsigned files;      /* state files (and standard input) read */
    unsigned documents;  /* state documents merged */
    unsigned nodes;      /* nodes merged */
    unsigned failed;     /* inputs left out (reported) */
    unsigned duplicates; /* nodes given more than once, counted once (reported) */
    unsigned conflicts;  /* containers on several nodes with different profiles (reported) */
};

/*
 * Merge the states named by args into agg: a file; a directory (every regular *.json file in
 * it, in name order, not hidden ones); "-": standard input, one or more state documents one
 * after another. cmd names the command in messages. Returns 0 with *ret filled, or -ENOMEM
 * (reported).
 */
int scw_fleet_load(struct scw_aggregate *agg, const char *cmd, const char *const *args, size_t n,
                   struct scw_fleet_result *ret);

#endif
