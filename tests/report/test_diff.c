/*
 * test_diff: the unified diff against exact expected outputs (checked with GNU diff -u where
 * the alignment is unambiguous), its edge cases (empty texts, missing final newlines, zero
 * context, the fallback past max_edits, the line bound), and random edits checked by applying
 * the diff back to the old text with an independent patcher written here.
 */
#include "testutil.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

/* Diff into a string; *ret_rc gets scw_diff_unified's result. */
static char *run_diff(const char *a, const char *b, unsigned context, size_t max_edits, int *ret_rc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    assert_non_null(mem);
    struct scw_diff_opts o = {
        .label_a = "old", .label_b = "new", .context = context, .max_edits = max_edits};
    *ret_rc = scw_diff_unified(a, strlen(a), b, strlen(b), &o, mem);
    assert_int_equal(fclose(mem), 0);
    return buf;
}

static void test_table(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        unsigned context;
        int rc;
        const char *want;
    } cases[] = {
        {"a\nb\nc\n", "a\nb\nc\n", 3, 0, ""},
        {"", "", 3, 0, ""},
        {"", "x\ny\n", 3, 1, "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+x\n+y\n"},
        {"x\ny\n", "", 3, 1, "--- old\n+++ new\n@@ -1,2 +0,0 @@\n-x\n-y\n"},
        {"a\nb\nc\n", "a\nB\nc\n", 3, 1, "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
        /* one-line ranges omit the count; an empty range names the line before */
        {"a\n", "b\n", 3, 1, "--- old\n+++ new\n@@ -1 +1 @@\n-a\n+b\n"},
        {"1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", 3, 1,
         "--- old\n+++ new\n@@ -6,3 +6,4 @@\n 6\n 7\n 8\n+9\n"},
        {"1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", 0, 1,
         "--- old\n+++ new\n@@ -8,0 +9 @@\n+9\n"},
        /* 8 lines between the changes (> 2 x 3 context): two hunks */
        {"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "X\n2\n3\n4\n5\n6\n7\n8\n9\nY\n", 3, 1,
         "--- old\n+++ new\n@@ -1,4 +1,4 @@\n-1\n+X\n 2\n 3\n 4\n@@ -7,4 +7,4 @@\n 7\n 8\n 9\n"
         "-10\n+Y\n"},
        /* 6 lines between them: one hunk */
        {"1\n2\n3\n4\n5\n6\n7\n8\n", "X\n2\n3\n4\n5\n6\n7\nY\n", 3, 1,
         "--- old\n+++ new\n@@ -1,8 +1,8 @@\n-1\n+X\n 2\n 3\n 4\n 5\n 6\n 7\n-8\n+Y\n"},
        /* missing final newlines */
        {"a\nb", "a\nb\n", 3, 1,
         "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
        {"a\nb\n", "a\nc", 3, 1,
         "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n\\ No newline at end of file\n"},
        {"a\nz", "b\nz", 3, 1,
         "--- old\n+++ new\n@@ -1,2 +1,2 @@\n-a\n+b\n z\n\\ No newline at end of file\n"},
        /* deletions come before insertions inside a change */
        {"k\na\nb\nk\n", "k\nc\nd\nk\n", 1, 1,
         "--- old\n+++ new\n@@ -1,4 +1,4 @@\n k\n-a\n-b\n+c\n+d\n k\n"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc;
        char *out = run_diff(cases[i].a, cases[i].b, cases[i].context, 0, &rc);
        if (rc != cases[i].rc || strcmp(out, cases[i].want) != 0)
            fprintf(stderr, "case %zu: rc %d\n%s", i, rc, out);
        assert_int_equal(rc, cases[i].rc);
        assert_string_equal(out, cases[i].want);
        free(out);
    }
    /* NULL options: labels a/b, 3 lines of context */
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    assert_int_equal(scw_diff_unified("1\n2\n", 4, "1\n3\n", 4, NULL, mem), 1);
    fclose(mem);
    assert_string_equal(buf, "--- a\n+++ b\n@@ -1,2 +1,2 @@\n 1\n-2\n+3\n");
    free(buf);
}

/* ---- an independent patcher: applies a unified diff to a text ---- */

struct text {
    char **lines; /* each without its newline */
    bool *nl;
    size_t n;
};

static void text_split(const char *s, struct text *t)
{
    size_t cap = 16;
    t->lines = malloc(cap * sizeof(*t->lines));
    t->nl = malloc(cap * sizeof(*t->nl));
    t->n = 0;
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (t->n == cap) {
            cap *= 2;
            t->lines = realloc(t->lines, cap * sizeof(*t->lines));
            t->nl = realloc(t->nl, cap * sizeof(*t->nl));
        }
        t->lines[t->n] = strndup(s, len);
        t->nl[t->n++] = e != NULL;
        s = e ? e + 1 : s + len;
    }
}

static void text_free(struct text *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->lines[i]);
    free(t->lines);
    free(t->nl);
}

static void out_line(char **o, size_t *olen, const char *l, bool nl)
{
    size_t n = strlen(l);
    *o = realloc(*o, *olen + n + 2);
    memcpy(*o + *olen, l, n);
    *olen += n;
    if (nl)
        (*o)[(*olen)++] = '\n';
    (*o)[*olen] = '\0';
}

/* Returns the patched text, or NULL when the diff does not fit the old text. */
static char *apply(const char *old, const char *patch)
{
    struct text a, p;
    text_split(old, &a);
    text_split(patch, &p);
    char *o = calloc(1, 1);
    size_t olen = 0, ia = 0, k = 0;
    bool ok = true;
    if (p.n >= 2) {
        ok = strncmp(p.lines[0], "--- ", 4) == 0 && strncmp(p.lines[1], "+++ ", 4) == 0;
        k = 2;
    }
    while (ok && k < p.n) {
        unsigned long as, ac = 1, bs, bc = 1;
        const char *h = p.lines[k++];
        char *end;
        ok = strncmp(h, "@@ -", 4) == 0;
        if (!ok)
            break;
        as = strtoul(h + 4, &end, 10);
        if (*end == ',')
            ac = strtoul(end + 1, &end, 10);
        ok = strncmp(end, " +", 2) == 0;
        bs = strtoul(end + 2, &end, 10);
        if (*end == ',')
            bc = strtoul(end + 1, &end, 10);
        (void)bs;
        size_t start = ac ? as - 1 : as; /* 0-based index of the first old line */
        ok &= start >= ia && start <= a.n;
        while (ok && ia < start) {
            out_line(&o, &olen, a.lines[ia], a.nl[ia]);
            ia++;
        }
        size_t seen_a = 0, seen_b = 0;
        while (ok && k < p.n && p.lines[k][0] != '@') {
            char c = p.lines[k][0];
            const char *body = p.lines[k] + 1;
            bool nl = !(k + 1 < p.n && p.lines[k + 1][0] == '\\');
            if (c == ' ' || c == '-') {
                ok = ia < a.n && strcmp(a.lines[ia], body) == 0 && a.nl[ia] == nl;
                if (ok && c == ' ')
                    out_line(&o, &olen, body, nl);
                ia++;
                seen_a++;
                seen_b += c == ' ';
            } else if (c == '+') {
                out_line(&o, &olen, body, nl);
                seen_b++;
            } else if (c != '\\') {
                ok = false;
            }
            k++;
        }
        ok &= seen_a == ac && seen_b == bc;
    }
    while (ok && ia < a.n) {
        out_line(&o, &olen, a.lines[ia], a.nl[ia]);
        ia++;
    }
    text_free(&a);
    text_free(&p);
    if (!ok) {
        free(o);
        return NULL;
    }
    return o;
}

static char *random_text(unsigned *seed, size_t max_lines, bool allow_no_nl)
{
    size_t n = (size_t)rand_r(seed) % (max_lines + 1);
    char *s = calloc(1, n * 3 + 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        s[len++] = (char)('a' + rand_r(seed) % 5);
        s[len++] = '\n';
    }
    if (allow_no_nl && len && rand_r(seed) % 5 == 0)
        s[--len] = '\0';
    return s;
}

/* b = a with a few random line edits */
static char *mutate(unsigned *seed, const char *a)
{
    size_t len = strlen(a);
    char *b = malloc(len * 2 + 64);
    size_t bl = 0;
    int edits = rand_r(seed) % 6;
    for (size_t i = 0; i <= len; i++) {
        if (edits && rand_r(seed) % 8 == 0) {
            edits--;
            int kind = rand_r(seed) % 3;
            if (kind == 0) { /* insert a line */
                b[bl++] = (char)('v' + rand_r(seed) % 4);
                b[bl++] = '\n';
            } else if (kind == 1 && i < len) { /* delete the rest of this line */
                while (i < len && a[i] != '\n')
                    i++;
                continue;
            }
        }
        if (i < len)
            b[bl++] = a[i];
    }
    b[bl] = '\0';
    return b;
}

static void test_random_apply(void **state)
{
    (void)state;
    unsigned seed = 12345;
    int differing = 0;
    for (int it = 0; it < 1500; it++) {
        char *a = random_text(&seed, 40, true);
        char *b = it % 3 ? mutate(&seed, a) : random_text(&seed, 40, true);
        unsigned context = (unsigned)(it % 4);
        size_t max_edits = it % 7 == 0 ? 3 : 0; /* sometimes force the fallback */
        int rc;
        char *d = run_diff(a, b, context, max_edits, &rc);
        assert_int_equal(rc, strcmp(a, b) != 0);
        if (rc == 0) {
            assert_string_equal(d, "");
        } else {
            differing++;
            char *got = apply(a, d);
            if (!got || strcmp(got, b) != 0)
                fprintf(stderr, "iteration %d: a=[%s] b=[%s]\n%s", it, a, b, d);
            assert_non_null(got);
            assert_string_equal(got, b);
            free(got);
        }
        free(d);
        free(a);
        free(b);
    }
    assert_true(differing > 1000);
}

static void test_minimal(void **state)
{
    (void)state;
    /* Myers finds the shortest script: one insertion in a long text is one '+' line */
    size_t n = 5000;
    size_t cap = n * 8 + 16;
    char *a = malloc(cap), *b = malloc(cap);
    size_t la = 0, lb = 0;
    for (size_t i = 0; i < n; i++) {
        la += (size_t)snprintf(a + la, cap - la, "%06zu\n", i % 97);
        lb += (size_t)snprintf(b + lb, cap - lb, "%06zu\n", i % 97);
        if (i == 2500)
            lb += (size_t)snprintf(b + lb, cap - lb, "INSERT\n");
    }
    int rc;
    char *d = run_diff(a, b, 0, 0, &rc);
    assert_int_equal(rc, 1);
    assert_string_equal(d, "--- old\n+++ new\n@@ -2501,0 +2502 @@\n+INSERT\n");
    free(d);
    /* past max_edits the changed middle is replaced wholesale, still correct */
    char *c = strdup(b);
    for (size_t i = 0; i < lb; i += 70)
        if (c[i] >= '0' && c[i] <= '9')
            c[i] = 'x';
    d = run_diff(a, c, 3, 10, &rc);
    assert_int_equal(rc, 1);
    char *got = apply(a, d);
    assert_non_null(got);
    assert_string_equal(got, c);
    free(got);
    free(d);
    free(c);
    free(a);
    free(b);
}

static void test_bound(void **state)
{
    (void)state;
    size_t n = SCW_DIFF_MAX_LINES + 1;
    char *big = malloc(n + 1);
    memset(big, '\n', n);
    big[n] = '\0';
    FILE *devnull = fopen("/dev/null", "w");
    assert_int_equal(scw_diff_unified(big, n, "x\n", 2, NULL, devnull), -E2BIG);
    assert_int_equal(scw_diff_unified(big, n - 1, big, n - 1, NULL, devnull), 0);
    fclose(devnull);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_random_apply),
        cmocka_unit_test(test_minimal),
        cmocka_unit_test(test_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
