/*
 * linebuf: split a byte stream into bounded lines. Bytes go in through space()/commit(), lines
 * come out of next(). A line longer than the bound is skipped up to its newline and reported
 * once as oversized, so memory stays at the bound whatever the input. Used by every text
 * source (files, gzip, stdin, followed logs).
 */
#ifndef SCW_LINEBUF_H
#define SCW_LINEBUF_H

#include <stdbool.h>
#include <stddef.h>

struct scw_linebuf {
    char *buf;
    size_t cap;      /* max_line + read room */
    size_t max_line; /* longest line delivered */
    size_t start;    /* first byte of the current line */
    size_t end;      /* end of valid data */
    size_t scan;     /* where the newline search resumes */
    bool skipping;   /* inside an oversized line: drop bytes until '\n' */
};

int scw_linebuf_init(struct scw_linebuf *lb, size_t max_line);
void scw_linebuf_release(struct scw_linebuf *lb);
void scw_linebuf_clear(struct scw_linebuf *lb);

/* Room for more input (compacts the buffer first): at least 256 KiB once
 * scw_linebuf_next() has returned 0, which is when a reader asks for more. */
char *scw_linebuf_space(struct scw_linebuf *lb, size_t *ret_avail);
void scw_linebuf_commit(struct scw_linebuf *lb, size_t n);

/*
 * Next complete line (without the newline). Returns 1 and sets *ret_line and *ret_len, or 1 with
 * *ret_oversized = true (line content not delivered), or 0 when more input is needed.
 * At end of input, pass at_eof = true to get a last line that has no '\n'.
 */
int scw_linebuf_next(struct scw_linebuf *lb, bool at_eof, const char **ret_line, size_t *ret_len,
                     bool *ret_oversized);

#endif
