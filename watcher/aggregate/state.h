/*
 * state: the watcher's aggregate on disk, so a restart loses nothing snapshotted and
 * `scmpwatch suggest` can report without the daemon. JSON (jansson), written atomically
 * (temporary file, fsync, rename, fsync of the directory). Loading merges into an aggregate,
 * one workload at a time: it needs the aggregate's memory plus one workload's JSON.
 */
#ifndef SCW_STATE_H
#define SCW_STATE_H

#include "aggregate.h"

#define SCW_STATE_DEFAULT     "/var/lib/scmpwatch/state.json"
#define SCW_STATE_MAX_BYTES   (1024UL << 20) /* refuse larger state files */
#define SCW_STATE_FORMAT_NAME "scmpwatch-state"
#define SCW_STATE_VERSION     1

/* Write agg to path atomically. Returns 0 or -errno. */
int scw_state_save(const struct scw_aggregate *agg, const char *path);

/*
 * Merge the state file at path into agg (a file is mapped, a pipe read; at most
 * SCW_STATE_MAX_BYTES). "format" and "version" must come before "workloads", as the writer
 * puts them; unknown members are skipped. On -EINVAL agg may hold part of the file: callers
 * start from a fresh aggregate. Returns 0, -ENOENT when there is none, -EINVAL when
 * it is corrupt or not a state file (message in *ret_error, malloc'd: "file:line:col: ..."),
 * or another -errno.
 */
int scw_state_load(struct scw_aggregate *agg, const char *path, char **ret_error);

/* Move a corrupt state file aside (path.corrupt-YYYYmmddTHHMMSS); returns the new name. */
char *scw_state_quarantine(const char *path);

#endif
