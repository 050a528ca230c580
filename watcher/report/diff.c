/*
 * diff: lines are split and hashed, the common head and tail are set aside (profile edits are
 * local, so the middle is small), Myers' greedy forward search finds the shortest edit script
 * of the middle keeping each round's V row for the walk back, and the script is written as GNU
 * unified hunks (deletions before insertions inside a change). Memory for the rows is about
 * max_edits^2 / 2 ints at worst, hence the bound.
 */
#include "diff.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_EDITS 2000

struct line {
    const char *s;
    size_t len; /* without the newline */
    bool newline;
    uint64_t hash;
};

enum { OP_EQUAL, OP_DELETE, OP_INSERT };

static uint64_t hash_bytes(const char *s, size_t n, bool newline)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h ^ newline;
}

static int split(const char *t, size_t len, struct line **ret, size_t *ret_n)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += t[i] == '\n';
    if (len && t[len - 1] != '\n')
        n++;
    if (n > SCW_DIFF_MAX_LINES)
        return -E2BIG;
    struct line *v = calloc(n ? n : 1, sizeof(*v));
    if (!v)
        return -ENOMEM;
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= len && k < n; i++) {
        if (i == len || t[i] == '\n') {
            if (i == len && i == start)
                break;
            v[k].s = t + start;
            v[k].len = i - start;
            v[k].newline = i < len;
            v[k].hash = hash_bytes(v[k].s, v[k].len, v[k].newline);
            k++;
            start = i + 1;
        }
    }
    *ret = v;
    *ret_n = k;
    return 0;
}

static bool same(const struct line *x, const struct line *y)
{
    return x->hash == y->hash && x->len == y->len && x->newline == y->newline &&
           memcmp(x->s, y->s, x->len) == 0;
}

/*
 * Shortest edit script of a[0..n) -> b[0..m), appended to ops (room for n + m). Falls back to
 * "delete all, insert all" past max_d. Returns the number of ops, or -ENOMEM.
 */
static long myers(const struct line *a, size_t n, const struct line *b, size_t m, size_t max_d,
                  unsigned char *ops)
{
    size_t limit = n + m < max_d ? n + m : max_d;
    size_t width = 2 * limit + 3, off = limit + 1;
    int32_t *v = calloc(width, sizeof(*v));
    int32_t **trace = calloc(limit + 1, sizeof(*trace));
    long found = -1, result = -ENOMEM;
    if (!v || !trace)
        goto out;
    for (size_t d = 0; d <= limit && found < 0; d++) {
        long dd = (long)d;
        for (long k = -dd; k <= dd; k += 2) {
            long x;
            if (k == -dd || (k != dd && v[off + k - 1] < v[off + k + 1]))
                x = v[off + k + 1];
            else
                x = v[off + k - 1] + 1;
            long y = x - k;
            while ((size_t)x < n && y >= 0 && (size_t)y < m && same(&a[x], &b[y])) {
                x++;
                y++;
            }
            v[off + k] = (int32_t)x;
            if ((size_t)x >= n && y >= 0 && (size_t)y >= m) {
                found = dd;
                break;
            }
        }
        trace[d] = malloc((2 * d + 1) * sizeof(**trace));
        if (!trace[d])
            goto out;
        memcpy(trace[d], v + off - d, (2 * d + 1) * sizeof(**trace));
    }
    long nops = 0;
    if (found < 0) {
        for (size_t i = 0; i < n; i++)
            ops[nops++] = OP_DELETE;
        for (size_t j = 0; j < m; j++)
            ops[nops++] = OP_INSERT;
        result = nops;
        goto out;
    }
    /* walk back from (n, m), writing ops from the end */
    long total = ((long)(n + m) + found) / 2; /* equal = (n + m - d) / 2, changes = d */
    long pos = total;
    long x = (long)n, y = (long)m;
    for (long d = found; d >= 0; d--) {
        long k = x - y;
        if (d == 0) {
            while (x > 0 && y > 0) {
                ops[--pos] = OP_EQUAL;
                x--;
                y--;
            }
            break;
        }
        const int32_t *prev = trace[d - 1]; /* index k + (d - 1) */
        long pk;
        if (k == -d || (k != d && prev[k - 1 + d - 1] < prev[k + 1 + d - 1]))
            pk = k + 1;
        else
            pk = k - 1;
        long px = prev[pk + d - 1], py = px - pk;
        long sx = pk == k + 1 ? px : px + 1; /* where the move lands, then the snake */
        while (x > sx) {
            ops[--pos] = OP_EQUAL;
            x--;
            y--;
        }
        ops[--pos] = pk == k + 1 ? OP_INSERT : OP_DELETE;
        x = px;
        y = py;
    }
    result = total;
out:
    if (trace)
        for (size_t d = 0; d <= limit; d++)
            free(trace[d]);
    free(trace);
    free(v);
    return result;
}

/* Put deletions before insertions inside every run of changes (GNU diff's order). */
static void order_changes(unsigned char *ops, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (ops[i] == OP_EQUAL) {
            i++;
            continue;
        }
        size_t j = i, dels = 0;
        while (j < n && ops[j] != OP_EQUAL)
            dels += ops[j++] == OP_DELETE;
        for (size_t k = i; k < j; k++)
            ops[k] = k - i < dels ? OP_DELETE : OP_INSERT;
        i = j;
    }
}

static void put_range(FILE *out, size_t start, size_t count)
{
    /* GNU: an empty range names the line before it; a one-line range omits the count */
    if (count == 0)
        fprintf(out, "%zu,0", start);
    else if (count == 1)
        fprintf(out, "%zu", start + 1);
    else
        fprintf(out, "%zu,%zu", start + 1, count);
}

static void put_line(FILE *out, char mark, const struct line *l)
{
    fputc(mark, out);
    fwrite(l->s, 1, l->len, out);
    fputc('\n', out);
    if (!l->newline)
        fputs("\\ No newline at end of file\n", out);
}

static void write_hunks(const unsigned char *ops, size_t nops, const struct line *a,
                        const struct line *b, size_t context, FILE *out)
{
    /* ia[t], ib[t]: line indexes before op t, computed on the fly */
    size_t t = 0, ia = 0, ib = 0;
    while (t < nops) {
        size_t c = t, ca = ia, cb = ib;
        while (c < nops && ops[c] == OP_EQUAL) {
            c++;
            ca++;
            cb++;
        }
        if (c == nops)
            break;
        /* hunk start: up to `context` equal lines before the first change */
        size_t lead = c - t < context ? c - t : context;
        size_t s = c - lead, sa = ca - lead, sb = cb - lead;
        /* extend over changes separated by at most 2 * context equal lines */
        size_t e = c;
        for (;;) {
            while (e < nops && ops[e] != OP_EQUAL)
                e++;
            size_t g = e;
            while (g < nops && ops[g] == OP_EQUAL)
                g++;
            if (g < nops && g - e <= 2 * context) {
                e = g;
                continue;
            }
            e += g - e < context ? g - e : context;
            break;
        }
        size_t na = 0, nb = 0;
        for (size_t k = s; k < e; k++) {
            na += ops[k] != OP_INSERT;
            nb += ops[k] != OP_DELETE;
        }
        fputs("@@ -", out);
        put_range(out, sa, na);
        fputs(" +", out);
        put_range(out, sb, nb);
        fputs(" @@\n", out);
        size_t xa = sa, xb = sb;
        for (size_t k = s; k < e; k++) {
            switch (ops[k]) {
            case OP_EQUAL:
                put_line(out, ' ', &a[xa++]);
                xb++;
                break;
            case OP_DELETE:
                put_line(out, '-', &a[xa++]);
                break;
            case OP_INSERT:
                put_line(out, '+', &b[xb++]);
                break;
            }
        }
        t = e;
        ia = xa;
        ib = xb;
    }
}

int scw_diff_unified(const char *a, size_t alen, const char *b, size_t blen,
                     const struct scw_diff_opts *opts, FILE *out)
{
    struct scw_diff_opts o = {.context = 3};
    if (opts)
        o = *opts;
    if (!o.max_edits)
        o.max_edits = DEFAULT_MAX_EDITS;
    struct line *la = NULL, *lb = NULL;
    size_t na = 0, nb = 0;
    unsigned char *ops = NULL;
    int rc = split(a, alen, &la, &na);
    if (rc == 0)
        rc = split(b, blen, &lb, &nb);
    if (rc < 0)
        goto out;
    size_t pre = 0, suf = 0;
    while (pre < na && pre < nb && same(&la[pre], &lb[pre]))
        pre++;
    while (suf < na - pre && suf < nb - pre && same(&la[na - 1 - suf], &lb[nb - 1 - suf]))
        suf++;
    if (pre == na && pre == nb) {
        rc = 0;
        goto out;
    }
    ops = malloc(na + nb + 1);
    if (!ops) {
        rc = -ENOMEM;
        goto out;
    }
    memset(ops, OP_EQUAL, pre);
    long mid = myers(la + pre, na - pre - suf, lb + pre, nb - pre - suf, o.max_edits, ops + pre);
    if (mid < 0) {
        rc = (int)mid;
        goto out;
    }
    size_t nops = pre + (size_t)mid;
    memset(ops + nops, OP_EQUAL, suf);
    nops += suf;
    order_changes(ops, nops);
    fprintf(out, "--- %s\n+++ %s\n", o.label_a ? o.label_a : "a", o.label_b ? o.label_b : "b");
    write_hunks(ops, nops, la, lb, o.context, out);
    rc = ferror(out) ? -EIO : 1;
out:
    free(ops);
    free(la);
    free(lb);
    return rc;
}
