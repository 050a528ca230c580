/*
 * linebuf: bounded line splitting (see linebuf.h). One buffer of max_line plus read room;
 * compaction moves the partial line to the front before each read.
 */
#include "linebuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define READ_ROOM (256 * 1024)

int scw_linebuf_init(struct scw_linebuf *lb, size_t max_line)
{
    memset(lb, 0, sizeof(*lb));
    lb->max_line = max_line;
    lb->cap = max_line + READ_ROOM;
    lb->buf = malloc(lb->cap);
    return lb->buf ? 0 : -ENOMEM;
}

void scw_linebuf_release(struct scw_linebuf *lb)
{
    free(lb->buf);
    memset(lb, 0, sizeof(*lb));
}

void scw_linebuf_clear(struct scw_linebuf *lb)
{
    lb->start = lb->end = lb->scan = 0;
    lb->skipping = false;
}

char *scw_linebuf_space(struct scw_linebuf *lb, size_t *ret_avail)
{
    /* a partial line already past the bound with no newline in it: drop it now (next() would
     * have), so there is always room to read */
    if (lb->end - lb->start > lb->max_line &&
        !memchr(lb->buf + lb->scan, '\n', lb->end - lb->scan)) {
        lb->skipping = true;
        lb->start = lb->scan = lb->end;
    }
    if (lb->start > 0) {
        memmove(lb->buf, lb->buf + lb->start, lb->end - lb->start);
        lb->end -= lb->start;
        lb->scan -= lb->start;
        lb->start = 0;
    }
    *ret_avail = lb->cap - lb->end;
    return lb->buf + lb->end;
}

void scw_linebuf_commit(struct scw_linebuf *lb, size_t n)
{
    lb->end += n;
}

int scw_linebuf_next(struct scw_linebuf *lb, bool at_eof, const char **ret_line, size_t *ret_len,
                     bool *ret_oversized)
{
    for (;;) {
        char *nl = lb->scan < lb->end ? memchr(lb->buf + lb->scan, '\n', lb->end - lb->scan) : NULL;
        if (nl) {
            size_t len = (size_t)(nl - lb->buf) - lb->start;
            const char *line = lb->buf + lb->start;
            lb->start = lb->scan = (size_t)(nl - lb->buf) + 1;
            if (lb->skipping || len > lb->max_line) {
                lb->skipping = false;
                *ret_oversized = true;
                *ret_line = NULL;
                *ret_len = 0;
                return 1;
            }
            *ret_oversized = false;
            *ret_line = line;
            *ret_len = len;
            return 1;
        }
        lb->scan = lb->end;
        if (lb->end - lb->start > lb->max_line) {
            /* too long: drop what we have, remember to skip to the newline */
            lb->skipping = true;
            lb->start = lb->scan = lb->end;
            continue;
        }
        if (!at_eof || lb->start == lb->end) {
            if (at_eof && lb->skipping) {
                lb->skipping = false;
                *ret_oversized = true;
                *ret_line = NULL;
                *ret_len = 0;
                return 1;
            }
            return 0;
        }
        /* last line without a newline */
        *ret_oversized = lb->skipping;
        lb->skipping = false;
        *ret_line = *ret_oversized ? NULL : lb->buf + lb->start;
        *ret_len = *ret_oversized ? 0 : lb->end - lb->start;
        lb->start = lb->scan = lb->end;
        return 1;
    }
}
