/*
 * state_args: the --state options of suggest, decide and review, and loading what they name
 * into one aggregate. --state is repeatable; each names a state file, a directory (every *.json
 * state in it, in name order) or '-' (state documents on standard input). One file alone is
 * read strictly: any error stops the command. Anything else is merged exactly by fleet.c
 * (counts add, each node keeps its own counters); an input that cannot be read is named there
 * and left out, and the caller decides what that means. No --state: SCW_STATE_DEFAULT.
 * It does not parse other options or propose anything (propose.c, decide_session.c).
 * Callers: cmd_suggest.c, decide_session.c.
 */
#ifndef SCW_STATE_ARGS_H
#define SCW_STATE_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "aggregate.h"

#define SCW_STATE_ARGS_MAX 1024 /* --state options (a directory holds any number) */

struct scw_state_args {
    const char *paths[SCW_STATE_ARGS_MAX]; /* borrowed from argv */
    size_t n;
};

/* Add one --state ARG (borrowed). Returns 0, or SCW_EXIT_USAGE (printed) past the limit. */
int scw_state_args_add(struct scw_state_args *a, const char *cmd, const char *arg);

/* Whether one of the --state options is '-' (standard input). */
bool scw_state_args_stdin(const struct scw_state_args *a);

/*
 * Load the states into agg (new, empty); cmd names the command in messages. Returns
 * SCW_EXIT_OK with *ret_failed the inputs left out (already reported; 0 for one file), or
 * SCW_EXIT_INPUT (the one file, or every input, could not be read) or SCW_EXIT_RUNTIME (out of
 * memory), reported.
 */
int scw_state_args_load(const struct scw_state_args *a, const char *cmd, struct scw_aggregate *agg,
                        unsigned *ret_failed);

#endif
