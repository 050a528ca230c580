/*
 * atomic_file: write a file so that readers see either the old one or the whole new one: a
 * temporary file next to it (same directory, same filesystem), flushed and fsync'd, renamed
 * over it, the directory fsync'd. Used for state snapshots, tuned profiles and reports.
 */
#ifndef SCW_ATOMIC_FILE_H
#define SCW_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct scw_atomic_file {
    char *path; /* final name */
    char *tmp;  /* the temporary, until renamed or removed */
    FILE *f;    /* open until scw_atomic_close */
};

/* Open a temporary next to path with the given mode. 0, or -errno with nothing to release. */
int scw_atomic_open(struct scw_atomic_file *af, const char *path, mode_t mode);

/* Flush, fsync and close af->f; rc is the writer's result so far (a stream error counts).
 * Returns rc, or the first error of these. The temporary stays until commit or abort. */
int scw_atomic_close(struct scw_atomic_file *af, int rc);

/* Close if still open, rename the temporary over path, fsync the directory. 0 or -errno. */
int scw_atomic_commit(struct scw_atomic_file *af);

/* Remove the temporary if it was not renamed, release. Call after commit too. Safe on a
 * zeroed or released af. */
void scw_atomic_abort(struct scw_atomic_file *af);

/* All of it for a buffer. 0 or -errno; on failure path is untouched. */
int scw_atomic_write(const char *path, mode_t mode, const char *text, size_t len);

#endif
