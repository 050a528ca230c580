/*
 * runtime_meta_bolt: BoltDB lookups over a file image (see runtime_meta_bolt.h).
 *
 * The format (bbolt, "version 2"): fixed-size pages, each with a 16-byte header (id, flags,
 * element count, overflow page count). Pages 0 and 1 are meta pages (the newer valid one
 * wins); a bucket is a B+tree of branch pages (key, child page) over leaf pages (flags, key,
 * value). A leaf element with the bucket flag holds a sub-bucket: its root page, or 0 and an
 * inline leaf page right after that header. Everything is little-endian on the machines that
 * write these files (x86_64, arm64).
 */
#include "runtime_meta_bolt.h"

#include <errno.h>
#include <string.h>

#define PAGE_HEADER  16
#define ELEMENT_SIZE 16
#define FLAG_BRANCH  0x01
#define FLAG_LEAF    0x02
#define FLAG_META    0x04
#define LEAF_BUCKET  0x01
#define BOLT_MAGIC   0xED0CDAEDu
#define BOLT_VERSION 2u

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* One page (or inline page) with the bytes its elements may point into. */
struct node {
    const uint8_t *base;
    size_t size;
    uint16_t flags, count;
};

static int node_from(const uint8_t *base, size_t size, struct node *ret)
{
    if (size < PAGE_HEADER)
        return -EBADMSG;
    ret->base = base;
    ret->size = size;
    ret->flags = le16(base + 8);
    ret->count = le16(base + 10);
    if ((size_t)ret->count * ELEMENT_SIZE > size - PAGE_HEADER)
        return -EBADMSG;
    return 0;
}

static int node_at(const struct scw_bolt *db, uint64_t pgid, struct node *ret)
{
    if (pgid < 2 || pgid >= db->len / db->page_size)
        return -EBADMSG; /* 0 and 1 are the meta pages */
    size_t off = (size_t)pgid * db->page_size;
    uint32_t overflow = le32(db->data + off + 12);
    size_t avail = db->len - off;
    size_t size = ((size_t)overflow + 1) * db->page_size;
    if (overflow >= avail / db->page_size) /* the page runs past the end */
        return -EBADMSG;
    return node_from(db->data + off, size <= avail ? size : avail, ret);
}

static int bucket_node(const struct scw_bolt *db, const struct scw_bolt_bucket *b, struct node *ret)
{
    if (b->root == 0)
        return node_from(b->inline_page, b->inline_len, ret);
    return node_at(db, b->root, ret);
}

/* Element i: its key, and for leaves its flags and value. */
struct elem {
    const uint8_t *k, *v;
    size_t kn, vn;
    uint32_t flags;
    uint64_t child; /* branch pages */
};

static int elem_at(const struct node *n, uint16_t i, struct elem *ret)
{
    size_t at = PAGE_HEADER + (size_t)i * ELEMENT_SIZE;
    const uint8_t *e = n->base + at;
    if (n->flags & FLAG_BRANCH) {
        size_t pos = le32(e), kn = le32(e + 4);
        if (pos > n->size - at || kn > n->size - at - pos)
            return -EBADMSG;
        *ret = (struct elem){.k = e + pos, .kn = kn, .child = le64(e + 8)};
        return 0;
    }
    size_t pos = le32(e + 4), kn = le32(e + 8), vn = le32(e + 12);
    if (pos > n->size - at || kn > n->size - at - pos || vn > n->size - at - pos - kn)
        return -EBADMSG;
    *ret = (struct elem){.flags = le32(e), .k = e + pos, .kn = kn, .v = e + pos + kn, .vn = vn};
    return 0;
}

static int keycmp(const uint8_t *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    if (c != 0)
        return c;
    return an < bn ? -1 : an > bn ? 1 : 0;
}

/* The leaf element holding key in bucket b. */
static int find(const struct scw_bolt *db, const struct scw_bolt_bucket *b, const char *key,
                struct elem *ret)
{
    size_t kn = strlen(key);
    struct node n;
    int rc = bucket_node(db, b, &n);
    for (int depth = 0; rc == 0 && depth < SCW_BOLT_DEPTH_MAX; depth++) {
        struct elem e;
        if (n.flags & FLAG_BRANCH) {
            if (n.count == 0)
                return -EBADMSG;
            uint64_t child = 0;
            for (uint16_t i = 0; i < n.count; i++) {
                if ((rc = elem_at(&n, i, &e)) < 0)
                    return rc;
                if (i > 0 && keycmp(e.k, e.kn, key, kn) > 0)
                    break;
                child = e.child;
            }
            rc = node_at(db, child, &n);
            continue;
        }
        if (!(n.flags & FLAG_LEAF))
            return -EBADMSG;
        for (uint16_t i = 0; i < n.count; i++) {
            if ((rc = elem_at(&n, i, &e)) < 0)
                return rc;
            if (keycmp(e.k, e.kn, key, kn) == 0) {
                *ret = e;
                return 0;
            }
        }
        return -ENOENT;
    }
    return rc < 0 ? rc : -EBADMSG;
}

static uint64_t fnv1a64(const uint8_t *p, size_t n)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* The meta page at offset off: 0 and its page size, root page and txid when valid. */
static int read_meta(const uint8_t *data, size_t len, size_t off, uint32_t *ret_psize,
                     uint64_t *ret_root, uint64_t *ret_txid)
{
    const size_t meta_len = 64, sum_at = 56; /* magic..txid, then the checksum */
    if (off > len || len - off < PAGE_HEADER + meta_len)
        return -EBADMSG;
    const uint8_t *m = data + off + PAGE_HEADER;
    if (!(le16(data + off + 8) & FLAG_META) || le32(m) != BOLT_MAGIC)
        return -EBADMSG;
    if (le32(m + 4) != BOLT_VERSION)
        return -EPROTO;
    if (fnv1a64(m, sum_at) != le64(m + sum_at))
        return -EBADMSG;
    uint32_t psize = le32(m + 8);
    if (psize < 512 || psize > (1u << 20) || (psize & (psize - 1)))
        return -EBADMSG;
    *ret_psize = psize;
    *ret_root = le64(m + 16);
    *ret_txid = le64(m + 48);
    return 0;
}

int scw_bolt_open(struct scw_bolt *db, const void *data, size_t len)
{
    const uint8_t *d = data;
    uint32_t ps0 = 0, ps1 = 0;
    uint64_t root0 = 0, root1 = 0, tx0 = 0, tx1 = 0;
    int rc0 = read_meta(d, len, 0, &ps0, &root0, &tx0);
    int rc1 = -EBADMSG;
    static const uint32_t guesses[] = {4096, 8192, 16384, 65536};
    if (rc0 == 0)
        rc1 = read_meta(d, len, ps0, &ps1, &root1, &tx1);
    for (size_t i = 0; rc0 != 0 && rc1 != 0 && i < sizeof(guesses) / sizeof(guesses[0]); i++)
        rc1 = read_meta(d, len, guesses[i], &ps1, &root1, &tx1);
    if (rc0 != 0 && rc1 != 0)
        return rc0 == -EPROTO || rc1 == -EPROTO ? -EPROTO : -EBADMSG;
    bool first = rc0 == 0 && (rc1 != 0 || tx0 >= tx1);
    if (len / (first ? ps0 : ps1) < 3) /* two meta pages and a root at least */
        return -EBADMSG;
    *db = (struct scw_bolt){
        .data = d, .len = len, .page_size = first ? ps0 : ps1, .root = first ? root0 : root1};
    return 0;
}

void scw_bolt_root(const struct scw_bolt *db, struct scw_bolt_bucket *ret)
{
    *ret = (struct scw_bolt_bucket){.root = db->root};
}

int scw_bolt_bucket(const struct scw_bolt *db, const struct scw_bolt_bucket *b, const char *name,
                    struct scw_bolt_bucket *ret)
{
    struct elem e;
    int rc = find(db, b, name, &e);
    if (rc < 0)
        return rc;
    if (!(e.flags & LEAF_BUCKET))
        return -ENOENT;
    if (e.vn < 16)
        return -EBADMSG;
    *ret = (struct scw_bolt_bucket){
        .root = le64(e.v), .inline_page = e.v + 16, .inline_len = e.vn - 16};
    return 0;
}

int scw_bolt_get(const struct scw_bolt *db, const struct scw_bolt_bucket *b, const char *key,
                 const uint8_t **ret, size_t *ret_len)
{
    struct elem e;
    int rc = find(db, b, key, &e);
    if (rc < 0)
        return rc;
    if (e.flags & LEAF_BUCKET)
        return -ENOENT;
    *ret = e.v;
    *ret_len = e.vn;
    return 0;
}

struct walk {
    const struct scw_bolt *db;
    size_t left;
    int (*fn)(void *ctx, const uint8_t *k, size_t kn, const uint8_t *v, size_t vn);
    void *ctx;
};

static int walk_node(struct walk *w, const struct node *n, int depth)
{
    if (depth >= SCW_BOLT_DEPTH_MAX)
        return -EBADMSG;
    for (uint16_t i = 0; i < n->count && w->left > 0; i++) {
        struct elem e;
        int rc = elem_at(n, i, &e);
        if (rc < 0)
            return rc;
        if (n->flags & FLAG_BRANCH) {
            struct node child;
            if ((rc = node_at(w->db, e.child, &child)) < 0 ||
                (rc = walk_node(w, &child, depth + 1)) != 0)
                return rc;
            continue;
        }
        if (!(n->flags & FLAG_LEAF))
            return -EBADMSG;
        if (e.flags & LEAF_BUCKET)
            continue;
        w->left--;
        if ((rc = w->fn(w->ctx, e.k, e.kn, e.v, e.vn)) != 0)
            return rc;
    }
    return 0;
}

int scw_bolt_foreach(const struct scw_bolt *db, const struct scw_bolt_bucket *b, size_t max,
                     int (*fn)(void *ctx, const uint8_t *k, size_t kn, const uint8_t *v, size_t vn),
                     void *ctx)
{
    struct node n;
    int rc = bucket_node(db, b, &n);
    if (rc < 0)
        return rc;
    struct walk w = {db, max, fn, ctx};
    return walk_node(&w, &n, 0);
}
