/*
 * bolt_writer: just enough of a BoltDB (bbolt) writer for the tests of runtime_meta_bolt and
 * runtime_meta: leaf and branch pages, overflow pages, buckets inline or on pages of their
 * own, and the two meta pages with their checksum, laid out as bbolt lays them out. Test code
 * only (static functions, included by the test files that need it).
 */
#ifndef SCW_TEST_BOLT_WRITER_H
#define SCW_TEST_BOLT_WRITER_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BW_PAGE 4096u

struct bw_elem {
    uint32_t flags; /* 1: the value is a bucket */
    const void *k, *v;
    size_t kn, vn;
};

struct bw_buf {
    uint8_t *p;
    size_t n;
};

static inline void bw_put(uint8_t *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A leaf page (header + elements + keys/values), as bytes (for a page or an inline bucket). */
static inline struct bw_buf bw_leaf(const struct bw_elem *e, size_t n)
{
    size_t data = 16 + n * 16, total = data;
    for (size_t i = 0; i < n; i++)
        total += e[i].kn + e[i].vn;
    struct bw_buf b = {calloc(1, total), total};
    bw_put(b.p + 8, 0x02, 2);
    bw_put(b.p + 10, n, 2);
    size_t at = data;
    for (size_t i = 0; i < n; i++) {
        uint8_t *el = b.p + 16 + i * 16;
        bw_put(el, e[i].flags, 4);
        bw_put(el + 4, at - (16 + i * 16), 4);
        bw_put(el + 8, e[i].kn, 4);
        bw_put(el + 12, e[i].vn, 4);
        memcpy(b.p + at, e[i].k, e[i].kn);
        memcpy(b.p + at + e[i].kn, e[i].v, e[i].vn);
        at += e[i].kn + e[i].vn;
    }
    return b;
}

/* A branch page: keys[i] -> pages[i]. */
static inline struct bw_buf bw_branch(const char *const *keys, const uint64_t *pages, size_t n)
{
    size_t data = 16 + n * 16, total = data;
    for (size_t i = 0; i < n; i++)
        total += strlen(keys[i]);
    struct bw_buf b = {calloc(1, total), total};
    bw_put(b.p + 8, 0x01, 2);
    bw_put(b.p + 10, n, 2);
    size_t at = data;
    for (size_t i = 0; i < n; i++) {
        uint8_t *el = b.p + 16 + i * 16;
        bw_put(el, at - (16 + i * 16), 4);
        bw_put(el + 4, strlen(keys[i]), 4);
        bw_put(el + 8, pages[i], 8);
        memcpy(b.p + at, keys[i], strlen(keys[i]));
        at += strlen(keys[i]);
    }
    return b;
}

/* The value of an inline bucket holding page (freed). */
static inline struct bw_buf bw_inline(struct bw_buf page)
{
    struct bw_buf b = {calloc(1, 16 + page.n), 16 + page.n};
    memcpy(b.p + 16, page.p, page.n);
    free(page.p);
    return b;
}

/* The value of a bucket rooted at page pgid. */
static inline struct bw_buf bw_rooted(uint64_t pgid)
{
    struct bw_buf b = {calloc(1, 16), 16};
    bw_put(b.p, pgid, 8);
    return b;
}

struct bw_db {
    uint8_t *p;
    size_t pages;
};

/* Page pgid (>= 2) set to bytes (freed), with overflow pages when longer than a page. */
static inline void bw_page(struct bw_db *db, uint64_t pgid, struct bw_buf bytes)
{
    size_t span = (bytes.n + BW_PAGE - 1) / BW_PAGE;
    if (pgid + span > db->pages) {
        db->p = realloc(db->p, (pgid + span) * BW_PAGE);
        memset(db->p + db->pages * BW_PAGE, 0, (pgid + span - db->pages) * BW_PAGE);
        db->pages = pgid + span;
    }
    uint8_t *pg = db->p + pgid * BW_PAGE;
    memcpy(pg, bytes.p, bytes.n);
    bw_put(pg, pgid, 8);
    bw_put(pg + 12, span - 1, 4);
    free(bytes.p);
}

/* Meta pages 0 and 1 (txids 1 and 2; broken_second: page 1 fails its checksum). */
static inline void bw_meta(struct bw_db *db, uint64_t root, int broken_second)
{
    if (db->pages < 2) {
        db->p = realloc(db->p, 2 * BW_PAGE);
        memset(db->p + db->pages * BW_PAGE, 0, (2 - db->pages) * BW_PAGE);
        db->pages = 2;
    }
    for (int i = 0; i < 2; i++) {
        uint8_t *pg = db->p + (size_t)i * BW_PAGE, *m = pg + 16;
        memset(pg, 0, BW_PAGE);
        bw_put(pg, (uint64_t)i, 8);
        bw_put(pg + 8, 0x04, 2);
        bw_put(m, 0xED0CDAEDu, 4);
        bw_put(m + 4, 2, 4);
        bw_put(m + 8, BW_PAGE, 4);
        bw_put(m + 16, root, 8);
        bw_put(m + 32, 0, 8);               /* freelist */
        bw_put(m + 40, db->pages, 8);       /* high water mark */
        bw_put(m + 48, (uint64_t)i + 1, 8); /* txid */
        uint64_t h = 14695981039346656037ULL;
        for (int k = 0; k < 56; k++) {
            h ^= m[k];
            h *= 1099511628211ULL;
        }
        bw_put(m + 56, h + (i == 1 && broken_second), 8);
    }
}

#endif
