/*
 * test_runtime_meta_bolt: the BoltDB reader behind Podman's and containerd's labels: lookups
 * through branch pages, page-rooted and inline buckets, overflow pages; the meta page choice;
 * and damaged files (bad magic, version, checksum, offsets past the page, child pages past the
 * file, a branch that points at itself, random byte flips): -EBADMSG or -EPROTO, never a crash.
 */
#include "testutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bolt_writer.h"
#include "runtime_meta_bolt.h"

/* root: {"a": bucket on page 3 (branch over leaves 4, 5), "b": "plain", "c": inline bucket} */
static struct bw_db sample(void)
{
    struct bw_db db = {0};
    struct bw_elem l4[] = {{0, "k1", "v1", 2, 2}, {0, "k2", "v2", 2, 2}};
    bw_page(&db, 4, bw_leaf(l4, 2));
    char *big = malloc(3 * BW_PAGE);
    memset(big, 'x', 3 * BW_PAGE);
    struct bw_elem l5[] = {{0, "k3", big, 2, 3 * BW_PAGE}, {0, "k4", "v4", 2, 2}};
    bw_page(&db, 5, bw_leaf(l5, 2)); /* pages 5..8: overflow */
    free(big);
    bw_page(&db, 3, bw_branch((const char *const[]){"k1", "k3"}, (const uint64_t[]){4, 5}, 2));
    struct bw_elem ci[] = {{0, "x", "1", 1, 1}, {1, "sub", "", 3, 0}};
    struct bw_buf sub = bw_inline(bw_leaf(ci, 1));
    struct bw_buf a = bw_rooted(3);
    struct bw_elem top[] = {
        {1, "a", a.p, 1, a.n}, {0, "b", "plain", 1, 5}, {1, "c", sub.p, 1, sub.n}};
    bw_page(&db, 2, bw_leaf(top, 3));
    free(a.p);
    free(sub.p);
    bw_meta(&db, 2, 0);
    return db;
}

static int collect(void *ctx, const uint8_t *k, size_t kn, const uint8_t *v, size_t vn)
{
    char *out = ctx;
    (void)v;
    size_t o = strlen(out);
    snprintf(out + o, 256 - o, "%.*s:%zu ", (int)kn, (const char *)k, vn);
    return kn == 2 && k[1] == '9' ? 42 : 0;
}

static void test_lookups(void **state)
{
    (void)state;
    struct bw_db img = sample();
    struct scw_bolt db;
    struct scw_bolt_bucket root, a, c;
    const uint8_t *v;
    size_t vn;
    assert_int_equal(scw_bolt_open(&db, img.p, img.pages * BW_PAGE), 0);
    scw_bolt_root(&db, &root);
    assert_int_equal(scw_bolt_bucket(&db, &root, "a", &a), 0);
    static const char *const keys[] = {"k1", "k2", "k3", "k4"};
    static const size_t lens[] = {2, 2, 3 * BW_PAGE, 2};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(scw_bolt_get(&db, &a, keys[i], &v, &vn), 0);
        assert_int_equal(vn, lens[i]);
    }
    assert_memory_equal(v, "v4", 2);
    assert_int_equal(scw_bolt_get(&db, &a, "k0", &v, &vn), -ENOENT);
    assert_int_equal(scw_bolt_get(&db, &a, "k5", &v, &vn), -ENOENT);
    assert_int_equal(scw_bolt_get(&db, &root, "b", &v, &vn), 0);
    assert_memory_equal(v, "plain", 5);
    assert_int_equal(scw_bolt_get(&db, &root, "a", &v, &vn), -ENOENT); /* a bucket */
    assert_int_equal(scw_bolt_bucket(&db, &root, "b", &a), -ENOENT);   /* a value */
    assert_int_equal(scw_bolt_bucket(&db, &root, "c", &c), 0);         /* inline */
    assert_int_equal(scw_bolt_get(&db, &c, "x", &v, &vn), 0);
    assert_memory_equal(v, "1", 1);
    char out[256] = "";
    assert_int_equal(scw_bolt_bucket(&db, &root, "a", &a), 0);
    assert_int_equal(scw_bolt_foreach(&db, &a, 100, collect, out), 0);
    assert_string_equal(out, "k1:2 k2:2 k3:12288 k4:2 ");
    out[0] = '\0';
    assert_int_equal(scw_bolt_foreach(&db, &a, 2, collect, out), 0);
    assert_string_equal(out, "k1:2 k2:2 ");
    out[0] = '\0';
    assert_int_equal(scw_bolt_foreach(&db, &root, 100, collect, out), 0);
    assert_string_equal(out, "b:5 "); /* buckets skipped */
    free(img.p);
}

static void test_meta_pages(void **state)
{
    (void)state;
    struct bw_db img = sample();
    size_t len = img.pages * BW_PAGE;
    struct scw_bolt db;
    assert_int_equal(scw_bolt_open(&db, img.p, 100), -EBADMSG);
    /* the newer page wins; when it is broken the older one does */
    img.p[BW_PAGE + 16 + 56] ^= 1;
    assert_int_equal(scw_bolt_open(&db, img.p, len), 0);
    assert_int_equal(db.root, 2);
    img.p[16 + 56] ^= 1;
    assert_int_equal(scw_bolt_open(&db, img.p, len), -EBADMSG);
    free(img.p);
    img = sample();
    img.p[16] ^= 0xff; /* magic of page 0: page 1 is still found (at the guessed page size) */
    assert_int_equal(scw_bolt_open(&db, img.p, len), 0);
    img.p[BW_PAGE + 16] ^= 0xff;
    assert_int_equal(scw_bolt_open(&db, img.p, len), -EBADMSG);
    free(img.p);
    /* a newer format version */
    img = sample();
    for (int i = 0; i < 2; i++)
        img.p[(size_t)i * BW_PAGE + 16 + 4] = 3;
    assert_int_equal(scw_bolt_open(&db, img.p, len), -EPROTO);
    free(img.p);
}

/* Damage one place of the sample and look everything up. */
static int lookups(const uint8_t *p, size_t len)
{
    struct scw_bolt db;
    struct scw_bolt_bucket root, a, c;
    const uint8_t *v;
    size_t vn;
    char out[256] = "";
    int rc = scw_bolt_open(&db, p, len);
    if (rc < 0)
        return rc;
    scw_bolt_root(&db, &root);
    if ((rc = scw_bolt_bucket(&db, &root, "a", &a)) < 0)
        return rc;
    for (int i = 1; i <= 4; i++) {
        char k[3] = {'k', (char)('0' + i), 0};
        if ((rc = scw_bolt_get(&db, &a, k, &v, &vn)) < 0)
            return rc;
        if (v < p || v + vn > p + len)
            fail_msg("value outside the file");
    }
    if ((rc = scw_bolt_foreach(&db, &a, 100, collect, out)) < 0)
        return rc;
    if ((rc = scw_bolt_bucket(&db, &root, "c", &c)) < 0)
        return rc;
    return scw_bolt_get(&db, &c, "x", &v, &vn);
}

static void put32(uint8_t *p, uint32_t v)
{
    bw_put(p, v, 4);
}

static void test_damage(void **state)
{
    (void)state;
    struct bw_db img = sample();
    size_t len = img.pages * BW_PAGE;
    assert_int_equal(lookups(img.p, len), 0);
    uint8_t *copy = malloc(len);
    /* offsets and counts that point past their page */
    struct {
        size_t at;
        uint32_t v;
    } cases[] = {
        {3 * BW_PAGE + 10, 0xffff},          /* branch count */
        {3 * BW_PAGE + 16, 0x7fffffff},      /* branch key pos */
        {3 * BW_PAGE + 16 + 8, 999},         /* child page past the file */
        {3 * BW_PAGE + 16 + 8, 1},           /* child: a meta page */
        {3 * BW_PAGE + 16 + 8, 3},           /* child: itself (a loop) */
        {4 * BW_PAGE + 16 + 12, 0x7fffffff}, /* leaf value size */
        {4 * BW_PAGE + 16 + 4, 0xfffffff0},  /* leaf key pos */
        {5 * BW_PAGE + 12, 100},             /* overflow past the file */
        {4 * BW_PAGE + 8, 0x10},             /* a leaf that is neither branch nor leaf */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memcpy(copy, img.p, len);
        if (cases[i].at % BW_PAGE == 10 || cases[i].at % BW_PAGE == 8)
            bw_put(copy + cases[i].at, cases[i].v, 2);
        else
            put32(copy + cases[i].at, cases[i].v);
        int rc = lookups(copy, len);
        if (rc != -EBADMSG)
            print_error("case %zu: %d\n", i, rc);
        assert_int_equal(rc, -EBADMSG);
    }
    /* an inline bucket too short for its header */
    memcpy(copy, img.p, len);
    assert_int_equal(lookups(copy, len - BW_PAGE * 4), -EBADMSG); /* the file cut short */
    /* random flips anywhere: any answer but a crash or a value outside the file */
    srand(1326);
    for (int round = 0; round < 20000; round++) {
        memcpy(copy, img.p, len);
        int flips = 1 + rand() % 4;
        for (int k = 0; k < flips; k++) {
            size_t at = (size_t)rand() % (9 * BW_PAGE);
            if (at >= 2 * BW_PAGE && at < 3 * BW_PAGE && rand() % 2)
                at = 2 * BW_PAGE + (size_t)rand() % 200; /* mostly where the headers are */
            copy[at] = (uint8_t)rand();
        }
        (void)lookups(copy, len);
    }
    free(copy);
    free(img.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_meta_pages),
        cmocka_unit_test(test_damage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
