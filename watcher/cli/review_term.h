/*
 * review_term: the plain terminal under `scmpwatch review` (no curses): one key at a time
 * when standard input is a terminal (non-canonical, no echo; lines for typed reasons), one
 * line per answer when it is not (scripts, tests); the output width (the terminal's, 80 when
 * standard output is not one); colour only on a terminal without NO_COLOR; text from records
 * made terminal-safe and wrapped. SIGINT, SIGTERM and SIGHUP only set a flag, so the terminal
 * is always restored. Caller: cmd_review.c.
 */
#ifndef SCW_REVIEW_TERM_H
#define SCW_REVIEW_TERM_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <termios.h>

#define SCW_TERM_EOF         (-1) /* the input ended */
#define SCW_TERM_INTERRUPTED (-2) /* SIGINT, SIGTERM or SIGHUP */
#define SCW_TERM_MAX_LINE    4096 /* bytes kept of a typed line */

struct scw_term {
    bool tty_in; /* standard input is a terminal: keys, not lines */
    bool raw;    /* its settings are changed (restored by scw_term_close) */
    bool color;  /* escape sequences for emphasis */
    int width;   /* columns to wrap at */
    const char *bold, *dim, *warn, *good, *reset; /* "" without colour */
    struct termios saved;
    struct sigaction old_int, old_term, old_hup;
};

/* Set up (signals, the terminal's mode, width, colour). 0, or -errno (nothing to undo). */
int scw_term_open(struct scw_term *t);
/* Restore the terminal's settings and the signal handlers. */
void scw_term_close(struct scw_term *t);

/* The next key (a byte, whitespace skipped), SCW_TERM_EOF or SCW_TERM_INTERRUPTED. Without a
 * terminal, the first non-blank character of the next line. */
int scw_term_key(struct scw_term *t);
/* A typed line (echoed, editable on a terminal), without its newline: 0 with *ret (malloc'd,
 * maybe ""), SCW_TERM_EOF (*ret NULL) or SCW_TERM_INTERRUPTED. */
int scw_term_line(struct scw_term *t, char **ret);

/* s with control bytes and invalid UTF-8 as \xNN (malloc'd; NULL on ENOMEM). */
char *scw_term_safe(const char *s);
/*
 * "  label:      text", the text (already safe) wrapped at the width with continuation lines
 * under its first column. label may be "" (a continuation paragraph).
 */
void scw_term_field(const struct scw_term *t, FILE *out, const char *label, const char *text);

#endif
