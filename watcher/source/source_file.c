/*
 * source_file: saved logs and stdin as a stream of bounded lines (see source_file.h).
 * Plain input is read() straight into the line buffer; gzip input is inflated into it with
 * zlib, member after member. Errors are returned, never printed: the caller says what failed.
 */
#include "source_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "linebuf.h"

#define IN_CHUNK (128 * 1024)

struct scw_textfile {
    int fd;
    bool owns_fd;
    bool eof;
    bool gzip;
    bool z_done; /* current gzip member finished */
    int error;   /* sticky -errno */
    uint64_t lineno;
    uint64_t left; /* bytes still to read of a range; UINT64_MAX for the whole input */
    struct scw_linebuf lb;
    z_stream z;
    unsigned char *in;
};

static ssize_t read_full(int fd, void *buf, size_t len)
{
    ssize_t n;
    do {
        n = read(fd, buf, len);
    } while (n < 0 && errno == EINTR);
    return n;
}

/* The descriptor ("-": stdin) and the line buffer; the whole input unless told otherwise. */
static int textfile_new(const char *path, size_t max_line, struct scw_textfile **ret)
{
    struct scw_textfile *f = calloc(1, sizeof(*f));
    if (!f)
        return -ENOMEM;
    f->left = UINT64_MAX;
    if (strcmp(path, "-") == 0) {
        f->fd = STDIN_FILENO;
    } else {
        f->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (f->fd < 0) {
            int e = -errno;
            free(f);
            return e;
        }
        f->owns_fd = true;
    }
    int rc = scw_linebuf_init(&f->lb, max_line);
    if (rc < 0) {
        scw_textfile_close(f);
        return rc;
    }
    *ret = f;
    return 0;
}

int scw_textfile_open(const char *path, size_t max_line, struct scw_textfile **ret)
{
    struct scw_textfile *f;
    int rc = textfile_new(path, max_line, &f);
    if (rc < 0)
        return rc;
    /*
     * Sniff the first two bytes for the gzip magic 1f 8b; whatever was read stays in the
     * pipeline. A pipe may hand them over one at a time, so read until two or end of input.
     */
    unsigned char head[2];
    size_t got = 0;
    while (got < sizeof(head)) {
        ssize_t n = read_full(f->fd, head + got, sizeof(head) - got);
        if (n < 0) {
            int e = -errno;
            scw_textfile_close(f);
            return e;
        }
        if (n == 0) {
            f->eof = true;
            break;
        }
        got += (size_t)n;
    }
    if (got == 2 && head[0] == 0x1f && head[1] == 0x8b) {
        f->gzip = true;
        f->in = malloc(IN_CHUNK);
        if (!f->in || inflateInit2(&f->z, 15 + 32) != Z_OK) {
            free(f->in);
            f->in = NULL;
            f->gzip = false;
            scw_textfile_close(f);
            return -ENOMEM;
        }
        memcpy(f->in, head, 2);
        f->z.next_in = f->in;
        f->z.avail_in = 2;
    } else {
        size_t avail;
        char *space = scw_linebuf_space(&f->lb, &avail);
        memcpy(space, head, got);
        scw_linebuf_commit(&f->lb, got);
    }
    *ret = f;
    return 0;
}

int scw_textfile_open_range(const char *path, size_t max_line, uint64_t start, uint64_t end,
                            struct scw_textfile **ret)
{
    struct scw_textfile *f;
    int rc = textfile_new(path, max_line, &f);
    if (rc < 0)
        return rc;
    f->left = end > start ? end - start : 0;
    if (lseek(f->fd, (off_t)start, SEEK_SET) < 0) {
        rc = -errno;
        scw_textfile_close(f);
        return rc;
    }
    *ret = f;
    return 0;
}

/* Fill the line buffer with more bytes. Sets eof or error. */
static void fill(struct scw_textfile *f)
{
    size_t avail;
    char *space = scw_linebuf_space(&f->lb, &avail);
    if (!f->gzip) {
        if (avail > f->left)
            avail = (size_t)f->left;
        ssize_t n = avail ? read_full(f->fd, space, avail) : 0;
        if (n < 0) {
            f->error = -errno;
        } else if (n == 0) {
            f->eof = true;
        } else {
            scw_linebuf_commit(&f->lb, (size_t)n);
            if (f->left != UINT64_MAX)
                f->left -= (uint64_t)n;
        }
        return;
    }
    f->z.next_out = (unsigned char *)space;
    f->z.avail_out = (uInt)(avail > UINT32_MAX ? UINT32_MAX : avail);
    while (f->z.avail_out == avail) {
        if (f->z.avail_in == 0) {
            ssize_t n = read_full(f->fd, f->in, IN_CHUNK);
            if (n < 0) {
                f->error = -errno;
                return;
            }
            if (n == 0) {
                if (!f->z_done)
                    f->error = -EPROTO; /* truncated compressed data */
                f->eof = true;
                return;
            }
            f->z.next_in = f->in;
            f->z.avail_in = (uInt)n;
            if (f->z_done) {
                /* another gzip member follows (concatenated .gz): start over */
                if (inflateReset(&f->z) != Z_OK) {
                    f->error = -EPROTO;
                    return;
                }
                f->z_done = false;
            }
        } else if (f->z_done) {
            if (inflateReset(&f->z) != Z_OK) {
                f->error = -EPROTO;
                return;
            }
            f->z_done = false;
        }
        int zr = inflate(&f->z, Z_NO_FLUSH);
        if (zr == Z_STREAM_END) {
            f->z_done = true;
        } else if (zr != Z_OK && !(zr == Z_BUF_ERROR && f->z.avail_in == 0)) {
            f->error = -EPROTO; /* corrupt data, or no progress possible */
            break;
        }
    }
    scw_linebuf_commit(&f->lb, avail - f->z.avail_out);
}

int scw_textfile_next(struct scw_textfile *f, const char **ret_line, size_t *ret_len,
                      bool *ret_oversized)
{
    for (;;) {
        /* After a read error the unterminated tail is not a line: it may be cut anywhere
         * (a truncated gzip stream), and a cut record could parse as a different syscall. */
        bool at_end = f->eof && !f->error;
        int rc = scw_linebuf_next(&f->lb, at_end, ret_line, ret_len, ret_oversized);
        if (rc > 0) {
            f->lineno++;
            return 1;
        }
        if (f->error)
            return f->error;
        if (f->eof)
            return 0;
        fill(f);
    }
}

uint64_t scw_textfile_lineno(const struct scw_textfile *f)
{
    return f->lineno;
}

bool scw_textfile_compressed(const struct scw_textfile *f)
{
    return f->gzip;
}

void scw_textfile_close(struct scw_textfile *f)
{
    if (!f)
        return;
    if (f->gzip)
        inflateEnd(&f->z);
    free(f->in);
    if (f->owns_fd)
        close(f->fd);
    scw_linebuf_release(&f->lb);
    free(f);
}
