/*
 * review_term: keys, lines, width and wrapping for `scmpwatch review` (see review_term.h).
 */
#include "review_term.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "report.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static int term_width(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col > 400 ? 400 : ws.ws_col;
    return 80;
}

/* Keys without Enter and without echo; signals still come (ISIG stays). */
static int set_keys(struct scw_term *t)
{
    struct termios k = t->saved;
    k.c_lflag &= (tcflag_t) ~(ICANON | ECHO);
    k.c_cc[VMIN] = 1;
    k.c_cc[VTIME] = 0;
    return tcsetattr(STDIN_FILENO, TCSANOW, &k) < 0 ? -errno : 0;
}

int scw_term_open(struct scw_term *t)
{
    memset(t, 0, sizeof(*t));
    interrupted = 0;
    struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: read() returns EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &t->old_int);
    sigaction(SIGTERM, &sa, &t->old_term);
    sigaction(SIGHUP, &sa, &t->old_hup);
    t->tty_in = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &t->saved) == 0;
    if (t->tty_in) {
        int rc = set_keys(t);
        if (rc < 0) {
            scw_term_close(t);
            return rc;
        }
        t->raw = true;
    }
    t->width = term_width();
    t->color = scw_report_want_color(stdout);
    t->bold = t->color ? "\033[1m" : "";
    t->dim = t->color ? "\033[2m" : "";
    t->warn = t->color ? "\033[33m" : "";
    t->good = t->color ? "\033[32m" : "";
    t->reset = t->color ? "\033[0m" : "";
    return 0;
}

void scw_term_close(struct scw_term *t)
{
    if (t->raw)
        tcsetattr(STDIN_FILENO, TCSANOW, &t->saved);
    t->raw = false;
    sigaction(SIGINT, &t->old_int, NULL);
    sigaction(SIGTERM, &t->old_term, NULL);
    sigaction(SIGHUP, &t->old_hup, NULL);
}

/* One byte of standard input, SCW_TERM_EOF or SCW_TERM_INTERRUPTED. */
static int get_byte(void)
{
    for (;;) {
        if (interrupted)
            return SCW_TERM_INTERRUPTED;
        unsigned char c;
        ssize_t r = read(STDIN_FILENO, &c, 1);
        if (r == 1)
            return c;
        if (r == 0)
            return SCW_TERM_EOF;
        if (errno != EINTR)
            return SCW_TERM_EOF;
    }
}

/* A line into buf (at most SCW_TERM_MAX_LINE bytes kept); the byte that ended it. */
static int get_line(char *buf, size_t *len)
{
    *len = 0;
    for (;;) {
        int c = get_byte();
        if (c < 0 || c == '\n')
            return c;
        if (*len < SCW_TERM_MAX_LINE)
            buf[(*len)++] = (char)c;
    }
}

int scw_term_key(struct scw_term *t)
{
    fflush(stdout);
    if (t->tty_in) {
        for (;;) {
            int c = get_byte();
            if (c < 0 || (c != ' ' && c != '\n' && c != '\r' && c != '\t'))
                return c;
        }
    }
    char buf[SCW_TERM_MAX_LINE + 1];
    for (;;) {
        size_t len;
        int end = get_line(buf, &len);
        size_t i = 0;
        while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r'))
            i++;
        if (i < len)
            return (unsigned char)buf[i];
        if (end < 0)
            return end;
    }
}

int scw_term_line(struct scw_term *t, char **ret)
{
    *ret = NULL;
    fflush(stdout);
    if (t->raw) /* cooked and echoed while a line is typed: the terminal edits it */
        tcsetattr(STDIN_FILENO, TCSANOW, &t->saved);
    char *buf = malloc(SCW_TERM_MAX_LINE + 1);
    size_t len = 0;
    int end = buf ? get_line(buf, &len) : SCW_TERM_EOF;
    if (t->raw)
        set_keys(t);
    if (end == SCW_TERM_INTERRUPTED || (end == SCW_TERM_EOF && len == 0 && !t->tty_in)) {
        free(buf);
        return end;
    }
    while (len && (buf[len - 1] == '\r' || buf[len - 1] == ' ' || buf[len - 1] == '\t'))
        len--;
    buf[len] = '\0';
    *ret = buf;
    return 0;
}

char *scw_term_safe(const char *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        return NULL;
    scw_report_put_safe(m, s ? s : "");
    if (fclose(m) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* Columns a UTF-8 string takes (code points; the text is already terminal-safe). */
static size_t columns(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xc0) != 0x80;
    return c;
}

#define LABEL_WIDTH 15 /* "  executables: " */

void scw_term_field(const struct scw_term *t, FILE *out, const char *label, const char *text)
{
    int pad = LABEL_WIDTH - 2 - (int)strlen(label) - (label[0] ? 1 : 0);
    fprintf(out, "  %s%s%s%*s", t->dim, label, label[0] ? ":" : "", pad > 0 ? pad : 0, "");
    fputs(t->reset, out);
    size_t width = t->width > LABEL_WIDTH + 20 ? (size_t)t->width : LABEL_WIDTH + 20;
    size_t col = LABEL_WIDTH;
    bool first = true;
    const char *s = text;
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        size_t n = strcspn(s, " ");
        size_t w = columns(s, n);
        if (!first && col + 1 + w > width) {
            fprintf(out, "\n%*s", LABEL_WIDTH, "");
            col = LABEL_WIDTH;
        } else if (!first) {
            fputc(' ', out);
            col++;
        }
        /* a word longer than a line is cut where the line ends */
        while (col + w > width && w > width - LABEL_WIDTH) {
            size_t take = width - col, bytes = 0, cols = 0;
            while (cols < take && bytes < n) {
                bytes++;
                while (bytes < n && ((unsigned char)s[bytes] & 0xc0) == 0x80)
                    bytes++;
                cols++;
            }
            fwrite(s, 1, bytes, out);
            fprintf(out, "\n%*s", LABEL_WIDTH, "");
            s += bytes;
            n -= bytes;
            w -= cols;
            col = LABEL_WIDTH;
        }
        fwrite(s, 1, n, out);
        col += w;
        s += n;
        first = false;
    }
    fputc('\n', out);
}
