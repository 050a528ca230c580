/*
 * test_source_file: the bounded line splitter (linebuf.c) and saved-log reader (source_file.c):
 * line ends (LF, CRLF, none at the end), empty input, NUL bytes, oversized lines at and around
 * the bound with memory staying at the bound, gzip (single, concatenated members, empty,
 * truncated, corrupt, trailing garbage), stdin through a pipe, and unreadable inputs.
 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "linebuf.h"
#include "source_file.h"

/* ---- helpers ---- */

struct lines {
    char **s;
    size_t *len;
    size_t n;
    size_t oversized;
    int rc; /* what ended the read: 0 or -errno */
};

static void lines_free(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->s[i]);
    free(l->s);
    free(l->len);
    memset(l, 0, sizeof(*l));
}

static void lines_push(struct lines *l, const char *s, size_t len, bool oversized)
{
    l->s = realloc(l->s, (l->n + 1) * sizeof(*l->s));
    l->len = realloc(l->len, (l->n + 1) * sizeof(*l->len));
    assert_non_null(l->s);
    assert_non_null(l->len);
    if (oversized) {
        l->s[l->n] = NULL; /* an oversized line: position kept, no content */
        l->len[l->n] = 0;
        l->oversized++;
    } else {
        l->s[l->n] = malloc(len + 1);
        assert_non_null(l->s[l->n]);
        memcpy(l->s[l->n], s, len);
        l->s[l->n][len] = '\0';
        l->len[l->n] = len;
    }
    l->n++;
}

/* Read a whole path through scw_textfile; checks lineno along the way. */
static struct lines read_path(const char *path, size_t max_line, bool *ret_gzip)
{
    struct lines l = {0};
    struct scw_textfile *f;
    int rc = scw_textfile_open(path, max_line, &f);
    assert_int_equal(rc, 0);
    const char *line;
    size_t len;
    bool over;
    while ((rc = scw_textfile_next(f, &line, &len, &over)) > 0) {
        lines_push(&l, line, len, over);
        assert_int_equal(scw_textfile_lineno(f), l.n);
    }
    l.rc = rc;
    /* the end is sticky: asking again gives the same answer */
    assert_int_equal(scw_textfile_next(f, &line, &len, &over), rc);
    if (ret_gzip)
        *ret_gzip = scw_textfile_compressed(f);
    scw_textfile_close(f);
    return l;
}

static struct lines read_bytes(const void *data, size_t len, size_t max_line, bool *ret_gzip)
{
    char *dir = scw_test_mkdtemp();
    char *path = scw_test_asprintf("%s/input", dir);
    scw_test_write_file(path, data, len);
    struct lines l = read_path(path, max_line, ret_gzip);
    scw_test_rmtree(dir);
    free(path);
    free(dir);
    return l;
}

/* gzip-compress data into a malloc'd buffer (one member). */
static unsigned char *gzip_bytes(const void *data, size_t len, size_t *ret_len)
{
    z_stream z = {0};
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, len) + 64;
    unsigned char *out = malloc(cap);
    assert_non_null(out);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *ret_len = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

static void expect_lines(const struct lines *l, const char *const *want, size_t n)
{
    if (l->n != n)
        print_error("got %zu lines, want %zu\n", l->n, n);
    assert_int_equal(l->n, n);
    for (size_t i = 0; i < n; i++) {
        if (!want[i]) {
            assert_null(l->s[i]); /* oversized */
            continue;
        }
        assert_non_null(l->s[i]);
        assert_int_equal(l->len[i], strlen(want[i]));
        assert_string_equal(l->s[i], want[i]);
    }
}

/* ---- plain files ---- */

static void test_plain_lines(void **state)
{
    (void)state;
    static const char data[] = "one\ntwo\n\nfour\n";
    bool gz = true;
    struct lines l = read_bytes(data, sizeof(data) - 1, 1024, &gz);
    const char *want[] = {"one", "two", "", "four"};
    expect_lines(&l, want, 4);
    assert_int_equal(l.rc, 0);
    assert_false(gz);
    lines_free(&l);
}

static void test_crlf_kept_for_the_parser(void **state)
{
    (void)state;
    /* the reader splits on LF only; the record parser drops the CR (test_record "CRLF") */
    static const char data[] = "a\r\nb\r\n\r\n";
    struct lines l = read_bytes(data, sizeof(data) - 1, 1024, NULL);
    const char *want[] = {"a\r", "b\r", "\r"};
    expect_lines(&l, want, 3);
    lines_free(&l);
}

static void test_no_final_newline(void **state)
{
    (void)state;
    static const char data[] = "first\nlast without newline";
    struct lines l = read_bytes(data, sizeof(data) - 1, 1024, NULL);
    const char *want[] = {"first", "last without newline"};
    expect_lines(&l, want, 2);
    assert_int_equal(l.rc, 0);
    lines_free(&l);
}

static void test_empty_and_tiny(void **state)
{
    (void)state;
    struct lines l = read_bytes("", 0, 1024, NULL);
    assert_int_equal(l.n, 0);
    assert_int_equal(l.rc, 0);
    lines_free(&l);
    l = read_bytes("x", 1, 1024, NULL);
    const char *want1[] = {"x"};
    expect_lines(&l, want1, 1);
    lines_free(&l);
    l = read_bytes("\n", 1, 1024, NULL);
    const char *want2[] = {""};
    expect_lines(&l, want2, 1);
    lines_free(&l);
    /* the two gzip magic bytes alone are not a gzip stream that could be read */
    l = read_bytes("\x1f", 1, 1024, NULL);
    const char *want3[] = {"\x1f"};
    expect_lines(&l, want3, 1);
    lines_free(&l);
}

static void test_nul_bytes(void **state)
{
    (void)state;
    static const char data[] = "a\0b\n\0\0\n\0";
    struct lines l = read_bytes(data, sizeof(data) - 1, 1024, NULL);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.len[0], 3);
    assert_memory_equal(l.s[0], "a\0b", 3);
    assert_int_equal(l.len[1], 2);
    assert_memory_equal(l.s[1], "\0\0", 2);
    assert_int_equal(l.len[2], 1);
    assert_int_equal(l.s[2][0], '\0');
    lines_free(&l);
}

/* Lines at, just over and far over the bound; the line after an oversized one is intact. */
static void test_bound_edges(void **state)
{
    (void)state;
    const size_t max = 16;
    char data[256];
    int n = snprintf(data, sizeof(data), "%s\n%s\n%s\n%s\nshort\n%s",
                     "0123456789abcdef",                     /* 16: delivered */
                     "0123456789abcdefg",                    /* 17: oversized */
                     "0123456789abcdef0123456789abcdef0123", /* 36: oversized */
                     "ok", "0123456789abcdef0123");          /* last, no '\n', oversized */
    struct lines l = read_bytes(data, (size_t)n, max, NULL);
    const char *want[] = {"0123456789abcdef", NULL, NULL, "ok", "short", NULL};
    expect_lines(&l, want, 6);
    assert_int_equal(l.oversized, 3);
    lines_free(&l);
}

/* A 1 MiB line (and a 5 MiB one) with the default bound: counted once each, memory bounded. */
static void test_huge_line(void **state)
{
    (void)state;
    size_t big = 1 << 20, bigger = 5 << 20;
    size_t total = 6 + big + 1 + 6 + bigger + 1 + 5;
    char *data = malloc(total);
    assert_non_null(data);
    char *p = data;
    memcpy(p, "before\n", 7);
    p += 7;
    memset(p, 'A', big);
    p += big;
    *p++ = '\n';
    memcpy(p, "middle", 6);
    p += 6;
    *p++ = '\n';
    memset(p, 'B', bigger);
    p += bigger;
    memcpy(p, "\nend", 4);
    p += 4;
    total = (size_t)(p - data);
    struct lines l = read_bytes(data, total, 65536, NULL);
    const char *want[] = {"before", NULL, "middle", NULL, "end"};
    expect_lines(&l, want, 5);
    assert_int_equal(l.oversized, 2);
    lines_free(&l);

    /* the same through the gzip path */
    size_t zlen;
    unsigned char *z = gzip_bytes(data, total, &zlen);
    bool gz = false;
    l = read_bytes(z, zlen, 65536, &gz);
    assert_true(gz);
    expect_lines(&l, want, 5);
    assert_int_equal(l.rc, 0);
    lines_free(&l);
    free(z);
    free(data);
}

/* ---- gzip ---- */

static void test_gzip(void **state)
{
    (void)state;
    static const char text[] = "type=SECCOMP a\ntype=SECCOMP b\r\nlast";
    size_t zlen;
    unsigned char *z = gzip_bytes(text, sizeof(text) - 1, &zlen);
    bool gz = false;
    struct lines l = read_bytes(z, zlen, 1024, &gz);
    assert_true(gz);
    const char *want[] = {"type=SECCOMP a", "type=SECCOMP b\r", "last"};
    expect_lines(&l, want, 3);
    assert_int_equal(l.rc, 0);
    lines_free(&l);
    free(z);
}

static void test_gzip_concatenated(void **state)
{
    (void)state;
    /* "cat a.gz b.gz c.gz": a line split across members, an empty member in between */
    size_t l1, l2, l3;
    unsigned char *a = gzip_bytes("one\ntw", 6, &l1);
    unsigned char *b = gzip_bytes("", 0, &l2);
    unsigned char *c = gzip_bytes("o\nthree\n", 8, &l3);
    unsigned char *all = malloc(l1 + l2 + l3);
    assert_non_null(all);
    memcpy(all, a, l1);
    memcpy(all + l1, b, l2);
    memcpy(all + l1 + l2, c, l3);
    struct lines l = read_bytes(all, l1 + l2 + l3, 1024, NULL);
    const char *want[] = {"one", "two", "three"};
    expect_lines(&l, want, 3);
    assert_int_equal(l.rc, 0);
    lines_free(&l);
    free(a);
    free(b);
    free(c);
    free(all);
}

static void test_gzip_empty(void **state)
{
    (void)state;
    size_t zlen;
    unsigned char *z = gzip_bytes("", 0, &zlen);
    bool gz = false;
    struct lines l = read_bytes(z, zlen, 1024, &gz);
    assert_true(gz);
    assert_int_equal(l.n, 0);
    assert_int_equal(l.rc, 0);
    lines_free(&l);
    free(z);
}

/* Many lines compressed, cut at several points: the lines before the cut, then -EPROTO; the
 * partial line at the cut is never delivered. */
static void test_gzip_truncated(void **state)
{
    (void)state;
    size_t n = 20000, len = 0;
    char *text = malloc(n * 32);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, 32, "line %06zu syscall=%zu\n", i, i);
    size_t zlen;
    unsigned char *z = gzip_bytes(text, len, &zlen);
    const size_t cuts[] = {zlen - 1, zlen - 8, zlen / 2, zlen / 7, 10, 3};
    for (size_t c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++) {
        struct lines l = read_bytes(z, cuts[c], 1024, NULL);
        assert_int_equal(l.rc, -EPROTO);
        assert_true(l.n <= n);
        if (cuts[c] < zlen - 8)
            assert_true(l.n < n);
        /* every delivered line is complete and in order */
        for (size_t i = 0; i < l.n; i++) {
            char want[64];
            snprintf(want, sizeof(want), "line %06zu syscall=%zu", i, i);
            assert_string_equal(l.s[i], want);
        }
        lines_free(&l);
    }
    free(z);
    free(text);
}

static void test_gzip_corrupt(void **state)
{
    (void)state;
    size_t n = 5000, len = 0;
    char *text = malloc(n * 16);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, 16, "l%05zu\n", i);
    size_t zlen;
    unsigned char *z = gzip_bytes(text, len, &zlen);
    /* flip bytes in the middle of the deflate data */
    for (size_t i = zlen / 2; i < zlen / 2 + 16; i++)
        z[i] ^= 0x5a;
    struct lines l = read_bytes(z, zlen, 1024, NULL);
    assert_int_equal(l.rc, -EPROTO);
    /*
     * Deflate notices corruption only when a code is invalid (the CRC comes at the member's
     * end), so some garbage may come out before the error: the lines before the damage are
     * intact and in order, what follows is just more input for the record parser.
     */
    size_t good = 0;
    for (; good < l.n; good++) {
        char want[48];
        snprintf(want, sizeof(want), "l%05zu", good);
        if (strcmp(l.s[good], want) != 0)
            break;
    }
    assert_true(good > n / 4); /* the damage is in the middle */
    assert_true(good < n);
    lines_free(&l);
    free(z);
    free(text);

    /* a member followed by garbage: its lines, then -EPROTO */
    z = gzip_bytes("good\n", 5, &zlen);
    unsigned char *g = malloc(zlen + 8);
    assert_non_null(g);
    memcpy(g, z, zlen);
    memcpy(g + zlen, "garbage!", 8);
    l = read_bytes(g, zlen + 8, 1024, NULL);
    const char *want[] = {"good"};
    expect_lines(&l, want, 1);
    assert_int_equal(l.rc, -EPROTO);
    lines_free(&l);
    free(g);
    free(z);

    /* the magic and nothing else */
    l = read_bytes("\x1f\x8b", 2, 1024, NULL);
    assert_int_equal(l.n, 0);
    assert_int_equal(l.rc, -EPROTO);
    lines_free(&l);
}

/* ---- stdin and unreadable inputs ---- */

/* "-" reads standard input; the writer hands over one byte first, the rest later. */
static void test_stdin_pipe(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    int saved = dup(STDIN_FILENO);
    assert_true(saved >= 0);
    assert_int_equal(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
    close(p[0]);
    assert_int_equal(write(p[1], "t", 1), 1);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        static const char rest[] = "ype=SECCOMP x\nsecond\n";
        usleep(100 * 1000); /* let the reader take the first byte alone */
        _exit(write(p[1], rest, sizeof(rest) - 1) == sizeof(rest) - 1 ? 0 : 1);
    }
    close(p[1]);
    struct lines l = read_path("-", 1024, NULL);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(status, 0);
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);
    const char *want[] = {"type=SECCOMP x", "second"};
    expect_lines(&l, want, 2);
    assert_int_equal(l.rc, 0);
    lines_free(&l);
}

static void test_stdin_gzip(void **state)
{
    (void)state;
    size_t zlen;
    unsigned char *z = gzip_bytes("a\nb\n", 4, &zlen);
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_true(zlen < 4096); /* fits in the pipe buffer: no writer process needed */
    assert_int_equal(write(p[1], z, zlen), (ssize_t)zlen);
    close(p[1]);
    int saved = dup(STDIN_FILENO);
    assert_int_equal(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
    close(p[0]);
    bool gz = false;
    struct lines l = read_path("-", 1024, &gz);
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);
    assert_true(gz);
    const char *want[] = {"a", "b"};
    expect_lines(&l, want, 2);
    lines_free(&l);
    free(z);
}

static void test_unreadable(void **state)
{
    (void)state;
    struct scw_textfile *f = (struct scw_textfile *)0x1;
    assert_int_equal(scw_textfile_open("/nonexistent/scmpwatch/audit.log", 1024, &f), -ENOENT);
    assert_ptr_equal(f, (struct scw_textfile *)0x1); /* ret untouched on failure */
    char *dir = scw_test_mkdtemp();
    assert_int_equal(scw_textfile_open(dir, 1024, &f), -EISDIR);
    scw_test_rmtree(dir);
    free(dir);
    scw_textfile_close(NULL); /* NULL-safe */
}

/* ---- linebuf directly ---- */

/* Feed a byte stream in chunks of every size 1..7 and compare with a reference splitter. */
static void test_linebuf_chunks(void **state)
{
    (void)state;
    static const char data[] = "alpha\n\nbeta gamma delta epsilon\nzeta\nthis line is far too long "
                               "for the bound\neta\ntheta";
    const size_t max = 12;
    const char *want[] = {"alpha", "", NULL, "zeta", NULL, "eta", "theta"};
    for (size_t chunk = 1; chunk <= 7; chunk++) {
        struct scw_linebuf lb;
        assert_int_equal(scw_linebuf_init(&lb, max), 0);
        char *const buf0 = lb.buf;
        const size_t cap0 = lb.cap;
        struct lines l = {0};
        size_t off = 0, total = sizeof(data) - 1;
        for (;;) {
            const char *line;
            size_t len;
            bool over;
            bool eof = off >= total;
            int rc = scw_linebuf_next(&lb, eof, &line, &len, &over);
            if (rc > 0) {
                assert_true(over || len <= max);
                lines_push(&l, line, len, over);
                continue;
            }
            if (eof)
                break;
            size_t avail;
            char *space = scw_linebuf_space(&lb, &avail);
            assert_true(avail >= 1);
            size_t n = chunk < total - off ? chunk : total - off;
            n = n < avail ? n : avail;
            memcpy(space, data + off, n);
            scw_linebuf_commit(&lb, n);
            off += n;
        }
        expect_lines(&l, want, 7);
        /* memory: the buffer never moved nor grew */
        assert_ptr_equal(lb.buf, buf0);
        assert_int_equal(lb.cap, cap0);
        lines_free(&l);
        scw_linebuf_release(&lb);
    }
}

/* 1 MiB without a newline through a small bound: the data in the buffer never passes it. */
static void test_linebuf_memory_bound(void **state)
{
    (void)state;
    struct scw_linebuf lb;
    assert_int_equal(scw_linebuf_init(&lb, 100), 0);
    const size_t cap0 = lb.cap;
    size_t fed = 0;
    unsigned delivered = 0;
    while (fed < (1U << 20)) {
        const char *line;
        size_t len;
        bool over;
        while (scw_linebuf_next(&lb, false, &line, &len, &over) > 0)
            delivered++;
        size_t avail;
        char *space = scw_linebuf_space(&lb, &avail);
        assert_int_equal(lb.cap, cap0);
        assert_true(lb.end - lb.start <= 100);
        memset(space, 'x', avail);
        scw_linebuf_commit(&lb, avail);
        fed += avail;
    }
    assert_int_equal(delivered, 0); /* no newline yet: nothing delivered */
    const char *line;
    size_t len;
    bool over;
    assert_int_equal(scw_linebuf_next(&lb, false, &line, &len, &over), 0); /* drops the excess */
    size_t avail;
    char *space = scw_linebuf_space(&lb, &avail);
    assert_true(avail >= 4);
    memcpy(space, "\nok\n", 4);
    scw_linebuf_commit(&lb, 4);
    assert_int_equal(scw_linebuf_next(&lb, false, &line, &len, &over), 1);
    assert_true(over);
    assert_int_equal(scw_linebuf_next(&lb, false, &line, &len, &over), 1);
    assert_false(over);
    assert_int_equal(len, 2);
    assert_memory_equal(line, "ok", 2);
    assert_int_equal(scw_linebuf_next(&lb, true, &line, &len, &over), 0);
    /* clear drops a pending partial line */
    space = scw_linebuf_space(&lb, &avail);
    memcpy(space, "partial", 7);
    scw_linebuf_commit(&lb, 7);
    scw_linebuf_clear(&lb);
    assert_int_equal(scw_linebuf_next(&lb, true, &line, &len, &over), 0);
    scw_linebuf_release(&lb);
    scw_linebuf_release(&lb); /* release twice is safe (fields zeroed) */
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_lines),
        cmocka_unit_test(test_crlf_kept_for_the_parser),
        cmocka_unit_test(test_no_final_newline),
        cmocka_unit_test(test_empty_and_tiny),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_bound_edges),
        cmocka_unit_test(test_huge_line),
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_gzip_concatenated),
        cmocka_unit_test(test_gzip_empty),
        cmocka_unit_test(test_gzip_truncated),
        cmocka_unit_test(test_gzip_corrupt),
        cmocka_unit_test(test_stdin_pipe),
        cmocka_unit_test(test_stdin_gzip),
        cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_linebuf_chunks),
        cmocka_unit_test(test_linebuf_memory_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
