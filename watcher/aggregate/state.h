/*
 * state: the watcher's aggregate on disk, so a restart loses nothing snapshotted and
 * `scmpwatch suggest` can report without the daemon. JSON (jansson), written atomically
 * (temporary file, fsync, rename, fsync of the directory). Loading merges into an aggregate,
 * one workload at a time: it needs the aggregate's memory plus one workload's JSON.
 *
 * Version 2 records the nodes (each with its input counters, its watcher's observation and
 * when it was saved) and the node of each workload; version 1 files (one node, unnamed) still
 * load. Since time buckets, a document may carry the time grid ("buckets", before
 * "workloads") and per entry its counts on it; without them (older files) the entries' events
 * load counted but with no time. Writer: state.c; reader: state_read.c. Several states merged
 * with care (the same node twice, containers claimed twice): fleet.c.
 */
#ifndef SCW_STATE_H
#define SCW_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "aggregate.h"

#define SCW_STATE_DEFAULT     "/var/lib/scmpwatch/state.json"
#define SCW_STATE_MAX_BYTES   (1024UL << 20) /* refuse larger state files */
#define SCW_STATE_FORMAT_NAME "scmpwatch-state"
#define SCW_STATE_VERSION     2 /* written */
#define SCW_STATE_VERSION_MIN 1 /* the oldest read */

/*
 * Write agg to path atomically. The self node of a live watcher is stamped: its observation
 * reaches now, and so does "saved_at"; otherwise (a merge) "saved_at" is the latest of its
 * nodes', so merging the same states gives the same bytes. Returns 0 or -errno.
 */
int scw_state_save(const struct scw_aggregate *agg, const char *path);
/* The same document on a stream (for atomic files the caller manages). 0 or -errno. */
int scw_state_write(const struct scw_aggregate *agg, FILE *f);

/*
 * Merge the state file at path into agg (a file is mapped, a pipe read; at most
 * SCW_STATE_MAX_BYTES). "format" and "version" (and "nodes") must come before "workloads",
 * as the writer puts them; unknown members are skipped. A node already in agg by name is
 * merged into (a watcher reloading its own state); an unnamed one (version 1) is a node of its
 * own, labelled "(path)". On -EINVAL agg may hold part of the file: callers start from a
 * fresh aggregate. Returns 0, -ENOENT when there is none, -EINVAL when it is corrupt, not a
 * state file or from a newer scmpwatch (message in *ret_error, malloc'd: "file:line:col:
 * ..."), or another -errno.
 */
int scw_state_load(struct scw_aggregate *agg, const char *path, char **ret_error);

/* Move a corrupt state file aside (path.corrupt-YYYYmmddTHHMMSS); returns the new name. */
char *scw_state_quarantine(const char *path);

/* ---- the pieces of loading, for merging several states (fleet.c) ---- */

/* A state's bytes: a file mapped, or standard input ("-") / a pipe read into memory. */
struct scw_state_src {
    char *path; /* as given (copied) */
    char *buf;
    size_t len;
    bool mapped;
    dev_t dev; /* of a regular file, to see the same file given twice; 0 otherwise */
    ino_t ino;
};
int scw_state_open(const char *path, struct scw_state_src *ret, char **ret_error);
void scw_state_close(struct scw_state_src *s);

/* A node as a document records it. */
struct scw_state_node_info {
    char *name; /* NULL: none recorded */
    int64_t saved_at, observed_from, observed_to;
    struct scw_input_stats stats;
    struct scw_agg_drops drops;
    uint64_t workloads, events; /* what it holds (scan with validate) */
};

/* One document of a source: what comes before and around "workloads". */
struct scw_state_info {
    long version;
    int64_t saved_at;
    struct scw_state_node_info *nodes; /* version 1: one, unnamed */
    size_t n_nodes;
    size_t start, end; /* its bytes in the source */
};

/*
 * The document at or after offset (white space skipped) in s: checks the header and, with
 * validate, every workload and entry (so a merge of it cannot fail half-way), without
 * merging. Returns 0 with *ret (release it), 1 when only white space is left, -EINVAL with a
 * message ("path:line:col: ..."; a newer version says what to do).
 */
int scw_state_scan(const struct scw_state_src *s, size_t offset, bool validate,
                   struct scw_state_info *ret, char **ret_error);
void scw_state_info_release(struct scw_state_info *info);

/*
 * Merge the document info describes into agg. node_map[i] is the aggregate node that the
 * document's node i becomes, or -1 to leave it out (its workloads and its counters). Kept
 * profile paths are made to work from here (relative to s->path). Returns 0, -EINVAL
 * (message), -ENOMEM.
 */
int scw_state_merge(struct scw_aggregate *agg, const struct scw_state_src *s,
                    const struct scw_state_info *info, const int *node_map, char **ret_error);

#endif
