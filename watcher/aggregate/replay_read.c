/*
 * replay_read: a saved log into the ingest pipeline, in parallel parts when it is large and
 * plain (see replay_read.h). Threads share nothing but the read-only rule set: each part has
 * its own file descriptor, line buffer, ingest and aggregate, and syscall names are cached
 * per thread (name.c).
 */
#include "replay_read.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "name.h"
#include "record.h"
#include "source_file.h"

struct part {
    const char *path, *where;
    uint64_t start, end;
    struct scw_aggregate *agg;
    struct scw_ingest in;
    uint64_t lines_read; /* line number where reading stopped (for a read error) */
    int rc;
    pthread_t thread;
    bool threaded;
};

/* Every line of f into in. Returns 0 at the end, or the read error. */
static int read_lines(struct scw_ingest *in, struct scw_textfile *f, const char *where)
{
    const char *line;
    size_t len;
    bool oversized;
    int rc;
    while ((rc = scw_textfile_next(f, &line, &len, &oversized)) > 0) {
        if (oversized)
            scw_ingest_oversized(in);
        else
            scw_ingest_line(in, line, len, where, scw_textfile_lineno(f));
    }
    return rc;
}

static void read_part(struct part *p)
{
    struct scw_textfile *f;
    p->rc = scw_textfile_open_range(p->path, SCW_LINE_MAX, p->start, p->end, &f);
    if (p->rc == 0) {
        p->rc = read_lines(&p->in, f, p->where);
        p->lines_read = scw_textfile_lineno(f);
        scw_textfile_close(f);
    }
}

static void *part_thread(void *arg)
{
    read_part(arg);
    scw_name_reset(); /* this thread's name cache */
    return NULL;
}

/* The offset of the first line that starts at or after pos (just after a newline). */
static uint64_t line_start(int fd, uint64_t pos, uint64_t size)
{
    char buf[65536];
    if (pos == 0)
        return 0;
    for (uint64_t at = pos - 1; at < size;) {
        ssize_t n = pread(fd, buf, sizeof(buf), (off_t)at);
        if (n <= 0)
            return size; /* the part before takes the rest */
        const char *nl = memchr(buf, '\n', (size_t)n);
        if (nl)
            return at + (uint64_t)(nl - buf) + 1;
        at += (uint64_t)n;
    }
    return size;
}

/* How many parts a file is worth: 1 unless it is regular, plain and large. */
static unsigned parts_for(int fd, unsigned jobs, size_t part_min, uint64_t *ret_size)
{
    struct stat st;
    unsigned char magic[2];
    if (jobs < 2 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
        (uint64_t)st.st_size < 2 * (uint64_t)part_min || pread(fd, magic, 2, 0) != 2 ||
        (magic[0] == 0x1f && magic[1] == 0x8b))
        return 1;
    uint64_t n = (uint64_t)st.st_size / part_min;
    *ret_size = (uint64_t)st.st_size;
    return n < jobs ? (unsigned)n : jobs;
}

static int read_whole(struct scw_ingest *in, const char *path, const char *where)
{
    struct scw_textfile *f;
    int rc = scw_textfile_open(path, SCW_LINE_MAX, &f);
    if (rc < 0) {
        scw_log_warn(rc, "cannot open '%s', skipping it", path);
        return rc;
    }
    rc = read_lines(in, f, where);
    if (rc == -EPROTO)
        scw_log_warnx("'%s': compressed data is corrupt or truncated after line %llu; the lines "
                      "before it are counted",
                      path, (unsigned long long)scw_textfile_lineno(f));
    else if (rc < 0)
        scw_log_warn(rc, "error reading '%s' after line %llu; the lines before it are counted",
                     path, (unsigned long long)scw_textfile_lineno(f));
    scw_textfile_close(f);
    return rc;
}

int scw_replay_read(struct scw_ingest *in, const char *path, unsigned jobs, size_t part_min)
{
    const char *where = strcmp(path, "-") == 0 ? "<stdin>" : path;
    if (!part_min)
        part_min = SCW_REPLAY_PART_MIN;
    if (jobs > SCW_REPLAY_MAX_JOBS)
        jobs = SCW_REPLAY_MAX_JOBS;
    uint64_t size = 0;
    unsigned n = 1;
    if (strcmp(path, "-") != 0) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            n = parts_for(fd, jobs, part_min, &size);
            close(fd);
        }
    }
    if (n < 2)
        return read_whole(in, path, where);

    struct part *parts = calloc(n, sizeof(*parts));
    if (!parts)
        return read_whole(in, path, where);
    /* each part its share of the entry and string bounds: together they need no more memory */
    struct scw_agg_limits limits = *scw_aggregate_limits(in->agg);
    limits.max_entries = (limits.max_entries + n - 1) / n;
    limits.max_strings = (limits.max_strings + n - 1) / n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    uint64_t prev = 0;
    for (unsigned k = 0; k < n; k++) {
        struct part *p = &parts[k];
        p->path = path;
        p->where = where;
        p->start = prev;
        p->end = k + 1 == n ? size : line_start(fd, size / n * (k + 1), size);
        if (p->end < p->start)
            p->end = p->start;
        prev = p->end;
        p->agg = scw_aggregate_new(&limits);
        scw_ingest_init(&p->in, p->agg);
        p->in.filter = in->filter;
        p->in.filter_ctx = in->filter_ctx;
        p->rc = p->agg ? 0 : -ENOMEM;
    }
    if (fd >= 0)
        close(fd);
    /* parts 1.. in threads, part 0 here; a part whose thread cannot start is read here too */
    for (unsigned k = 1; k < n; k++)
        if (parts[k].rc == 0)
            parts[k].threaded = pthread_create(&parts[k].thread, NULL, part_thread, &parts[k]) == 0;
    for (unsigned k = 0; k < n; k++)
        if (!parts[k].threaded && parts[k].rc == 0) /* a started thread owns its part */
            read_part(&parts[k]);
    /* A part that hit a bound (its share) dropped events a single reader might have counted:
     * then the parts are thrown away and the file is read again by one thread. */
    bool bounded = false;
    for (unsigned k = 0; k < n; k++) {
        if (parts[k].threaded)
            pthread_join(parts[k].thread, NULL);
        const struct scw_agg_drops *d = parts[k].agg ? scw_aggregate_drops(parts[k].agg) : NULL;
        bounded |= d && (d->workloads || d->entries || d->strings);
    }
    if (bounded) {
        for (unsigned k = 0; k < n; k++)
            scw_aggregate_free(parts[k].agg);
        free(parts);
        return read_whole(in, path, where);
    }
    int rc = 0;
    uint64_t offset = 0; /* lines before the part */
    for (unsigned k = 0; k < n; k++) {
        struct part *p = &parts[k];
        if (!p->agg) {
            rc = -ENOMEM;
            continue;
        }
        if (p->rc < 0 && rc == 0) {
            rc = p->rc;
            scw_log_warn(rc, "error reading '%s' after line %llu; the other lines are counted",
                         path, (unsigned long long)(offset + p->lines_read));
        }
        int ar = scw_aggregate_absorb(in->agg, p->agg, offset);
        if (ar < 0 && rc == 0)
            rc = ar;
        offset += scw_aggregate_stats(p->agg)->lines;
        in->ignored += p->in.ignored;
        in->printk_suppressed += p->in.printk_suppressed;
        scw_aggregate_free(p->agg);
    }
    free(parts);
    if (rc == -ENOMEM)
        scw_log_errx("out of memory reading '%s'", path);
    return rc;
}

unsigned scw_replay_default_jobs(void)
{
    cpu_set_t set;
    int n = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
    return n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
}
