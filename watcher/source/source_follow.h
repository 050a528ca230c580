/*
 * source_follow: follow a growing log file like `tail -F`: survives rotation (the path gets a
 * new inode: the old file is read to its end, then the new one from its start) and truncation
 * (size below the read offset: start over). Starts at the end unless from_start. Polled from
 * the watcher's timer; reads are bounded per poll so one busy file cannot starve the loop.
 * Also /dev/kmsg (one record per read, EPIPE when records were overwritten) and stdin.
 */
#ifndef SCW_SOURCE_FOLLOW_H
#define SCW_SOURCE_FOLLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum scw_follow_kind {
    SCW_FOLLOW_FILE,   /* a path, polled, rotation-aware */
    SCW_FOLLOW_KMSG,   /* /dev/kmsg: record per read */
    SCW_FOLLOW_STREAM, /* a pipe or stdin: read until EOF */
    SCW_FOLLOW_KIND_MAX,
    SCW_FOLLOW_KIND_INVALID = -1,
};

/* Called for every complete line; oversized lines come with line == NULL. */
typedef void (*scw_line_fn)(void *ctx, const char *line, size_t len, bool oversized);

struct scw_follow;

int scw_follow_open(enum scw_follow_kind kind, const char *path, bool from_start,
                    struct scw_follow **ret);
void scw_follow_close(struct scw_follow *f);
/* fd to watch with epoll (kmsg, pipes), or -1 for regular files (poll them from a timer; a
 * regular file given as a stream ends at its end). */
int scw_follow_fd(const struct scw_follow *f);
const char *scw_follow_path(const struct scw_follow *f);

/* Read what is available (at most max_bytes). Returns 0, 1 at end of a stream (EOF), or
 * -errno for a hard error. Rotation and truncation are handled inside. */
int scw_follow_poll(struct scw_follow *f, size_t max_bytes, scw_line_fn cb, void *ctx);

struct scw_follow_stats {
    uint64_t rotations, truncations;
    uint64_t kmsg_overwritten; /* EPIPE: records overwritten before we read them */
};
void scw_follow_stats(const struct scw_follow *f, struct scw_follow_stats *ret);

#endif
