/*
 * source_follow: followed files, /dev/kmsg and streams as bounded lines (see
 * source_follow.h). Rotation is checked by comparing the open file's inode with the path's
 * after each read reaches the end of data.
 */
#include "source_follow.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linebuf.h"
#include "record.h"

struct scw_follow {
    enum scw_follow_kind kind;
    char *path;
    int fd;
    dev_t dev;
    ino_t ino;
    off_t off;
    bool pollable; /* epoll works on it (pipes, ttys, kmsg); regular files are polled */
    struct scw_linebuf lb;
    struct scw_follow_stats st;
    char kbuf[SCW_LINE_MAX < 8192 ? SCW_LINE_MAX : 8192]; /* one /dev/kmsg record */
};

static int open_file(struct scw_follow *f, bool at_end)
{
    int fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return -errno;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    f->fd = fd;
    f->dev = st.st_dev;
    f->ino = st.st_ino;
    f->off = at_end ? st.st_size : 0;
    if (at_end)
        lseek(fd, f->off, SEEK_SET);
    scw_linebuf_clear(&f->lb);
    return 0;
}

int scw_follow_open(enum scw_follow_kind kind, const char *path, bool from_start,
                    struct scw_follow **ret)
{
    struct scw_follow *f = calloc(1, sizeof(*f));
    if (!f)
        return -ENOMEM;
    f->kind = kind;
    f->fd = -1;
    f->path = strdup(path);
    int rc = f->path ? scw_linebuf_init(&f->lb, SCW_LINE_MAX) : -ENOMEM;
    if (rc == 0) {
        switch (kind) {
        case SCW_FOLLOW_FILE:
            rc = open_file(f, !from_start);
            if (rc == -ENOENT)
                rc = 0; /* not there yet: picked up when it appears */
            break;
        case SCW_FOLLOW_KMSG:
            f->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
            if (f->fd < 0)
                rc = -errno;
            else if (!from_start)
                lseek(f->fd, 0, SEEK_END);
            f->pollable = true;
            break;
        case SCW_FOLLOW_STREAM:
            f->fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
            if (f->fd < 0) {
                rc = -errno;
            } else {
                struct stat st;
                fcntl(f->fd, F_SETFL, fcntl(f->fd, F_GETFL) | O_NONBLOCK);
                f->pollable = fstat(f->fd, &st) == 0 && !S_ISREG(st.st_mode);
            }
            break;
        case SCW_FOLLOW_KIND_MAX:
        case SCW_FOLLOW_KIND_INVALID:
            rc = -EINVAL;
            break;
        }
    }
    if (rc < 0) {
        scw_follow_close(f);
        return rc;
    }
    *ret = f;
    return 0;
}

void scw_follow_close(struct scw_follow *f)
{
    if (!f)
        return;
    if (f->fd >= 0)
        close(f->fd);
    scw_linebuf_release(&f->lb);
    free(f->path);
    free(f);
}

int scw_follow_fd(const struct scw_follow *f)
{
    return f->pollable ? f->fd : -1;
}

const char *scw_follow_path(const struct scw_follow *f)
{
    return f->path;
}

void scw_follow_stats(const struct scw_follow *f, struct scw_follow_stats *ret)
{
    *ret = f->st;
}

static void deliver(struct scw_follow *f, bool at_eof, scw_line_fn cb, void *ctx)
{
    const char *line;
    size_t len;
    bool over;
    while (scw_linebuf_next(&f->lb, at_eof, &line, &len, &over) > 0)
        cb(ctx, line, len, over);
}

/* Read up to max bytes from fd into the line buffer. Returns bytes read, 0 at EOF, -errno. */
static ssize_t read_some(struct scw_follow *f, size_t max, scw_line_fn cb, void *ctx)
{
    size_t total = 0;
    while (total < max) {
        size_t avail;
        char *space = scw_linebuf_space(&f->lb, &avail);
        ssize_t n = read(f->fd, space, avail);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return total ? (ssize_t)total : -errno;
        }
        if (n == 0)
            break;
        scw_linebuf_commit(&f->lb, (size_t)n);
        f->off += n;
        total += (size_t)n;
        deliver(f, false, cb, ctx);
    }
    return (ssize_t)total;
}

static int poll_file(struct scw_follow *f, size_t max, scw_line_fn cb, void *ctx)
{
    if (f->fd < 0) {
        if (open_file(f, false) < 0)
            return 0; /* still absent */
    }
    ssize_t n = read_some(f, max, cb, ctx);
    if (n < 0 && n != -EAGAIN)
        return (int)n;
    if ((size_t)(n < 0 ? 0 : n) >= max)
        return 0; /* more to read: next poll */
    struct stat now, path;
    if (fstat(f->fd, &now) == 0 && now.st_size < f->off) {
        /* truncated (copytruncate): start over */
        f->st.truncations++;
        lseek(f->fd, 0, SEEK_SET);
        f->off = 0;
        scw_linebuf_clear(&f->lb);
        return 0;
    }
    if (stat(f->path, &path) < 0 || path.st_ino != f->ino || path.st_dev != f->dev) {
        /* rotated (or removed): the old file is fully read; a last line without '\n' too */
        deliver(f, true, cb, ctx);
        if (stat(f->path, &path) == 0) {
            close(f->fd);
            f->fd = -1;
            f->st.rotations++;
            if (open_file(f, false) == 0)
                return poll_file(f, max, cb, ctx);
        }
    }
    return 0;
}

static int poll_kmsg(struct scw_follow *f, size_t max, scw_line_fn cb, void *ctx)
{
    size_t total = 0;
    while (total < max) {
        ssize_t n = read(f->fd, f->kbuf, sizeof(f->kbuf));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EPIPE) {
                f->st.kmsg_overwritten++;
                continue;
            }
            if (errno == EAGAIN)
                return 0;
            return -errno;
        }
        if (n == 0)
            return 0;
        total += (size_t)n;
        /* a record is "PRIO,SEQ,USEC,FLAGS;MESSAGE\n" plus continuation lines " KEY=VALUE" */
        const char *nl = memchr(f->kbuf, '\n', (size_t)n);
        cb(ctx, f->kbuf, nl ? (size_t)(nl - f->kbuf) : (size_t)n, false);
    }
    return 0;
}

int scw_follow_poll(struct scw_follow *f, size_t max, scw_line_fn cb, void *ctx)
{
    switch (f->kind) {
    case SCW_FOLLOW_FILE:
        return poll_file(f, max, cb, ctx);
    case SCW_FOLLOW_KMSG:
        return poll_kmsg(f, max, cb, ctx);
    case SCW_FOLLOW_STREAM: {
        ssize_t n = read_some(f, max, cb, ctx);
        if (n == 0) {
            deliver(f, true, cb, ctx);
            return 1;
        }
        return n == -EAGAIN || n > 0 ? 0 : (int)n;
    }
    case SCW_FOLLOW_KIND_MAX:
    case SCW_FOLLOW_KIND_INVALID:
        break;
    }
    return -EINVAL;
}
