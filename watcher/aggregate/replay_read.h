/*
 * replay_read: one saved log into the ingest pipeline. A large plain file is cut at line
 * boundaries into parts read by threads, each into its own aggregate, then absorbed in file
 * order, so the result is the one a single reader gets (see scw_aggregate_absorb). When a
 * part hits a bound of the aggregate, the file is read again by one thread: a part cannot
 * know which entries the whole file would have kept.
 */
#ifndef SCW_REPLAY_READ_H
#define SCW_REPLAY_READ_H

#include "aggregate.h"
#include "ingest.h"

#define SCW_REPLAY_PART_MIN (16u << 20) /* bytes: smaller parts are not worth a thread */
#define SCW_REPLAY_MAX_JOBS 64

/*
 * Read path ("-": stdin) into in. Up to jobs threads (1: this one only) for a regular,
 * uncompressed file of at least 2 x part_min bytes (0: SCW_REPLAY_PART_MIN). The parts share
 * the entry and executable bounds of in's aggregate (each gets its share), so memory stays
 * within them. Problems are logged (warnings name the file and line). Returns 0 or -errno;
 * lines before a read error are counted.
 */
int scw_replay_read(struct scw_ingest *in, const char *path, unsigned jobs, size_t part_min);

/* The default for -j: the CPUs this process may run on, at most 8. */
unsigned scw_replay_default_jobs(void);

#endif
