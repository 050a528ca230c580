/*
 * runtime_meta_bolt: read-only lookups in a BoltDB (bbolt) file held in memory: the state
 * store of Podman 4 (libpod's bolt_state.db: container labels) and containerd (meta.db: a
 * container's image and labels), which keep there what their JSON files do not.
 *
 * Pure functions over bytes, no I/O, no allocation: every offset, count and page number comes
 * from the file and is checked against its length before use, a tree deeper than
 * SCW_BOLT_DEPTH_MAX is refused, so a damaged or hostile file gives -EBADMSG, never a crash.
 * Called by runtime_meta_read.c; fuzzed through scw_bolt_* by tests.
 */
#ifndef SCW_RUNTIME_META_BOLT_H
#define SCW_RUNTIME_META_BOLT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCW_BOLT_DEPTH_MAX 32 /* branch levels followed from a bucket's root */

struct scw_bolt {
    const uint8_t *data; /* borrowed: the whole file */
    size_t len;
    uint32_t page_size;
    uint64_t root; /* root bucket's page */
};

/* A bucket: a root page in the file, or (root 0) an inline page inside its parent's value. */
struct scw_bolt_bucket {
    uint64_t root;
    const uint8_t *inline_page; /* borrowed */
    size_t inline_len;
};

/* Open the newest valid meta page (magic, version 2, checksum). 0, -EBADMSG, -EPROTO. */
int scw_bolt_open(struct scw_bolt *db, const void *data, size_t len);

/* The root bucket (the top-level buckets are its keys). */
void scw_bolt_root(const struct scw_bolt *db, struct scw_bolt_bucket *ret);

/* The sub-bucket name of b. 0, -ENOENT (no such key, or a plain value), -EBADMSG. */
int scw_bolt_bucket(const struct scw_bolt *db, const struct scw_bolt_bucket *b, const char *name,
                    struct scw_bolt_bucket *ret);

/* The value of key in b (pointing into the file). 0, -ENOENT (none, or a bucket), -EBADMSG. */
int scw_bolt_get(const struct scw_bolt *db, const struct scw_bolt_bucket *b, const char *key,
                 const uint8_t **ret, size_t *ret_len);

/*
 * Every plain key/value of b in key order (sub-buckets skipped), at most max of them; fn
 * returning non-zero stops the walk and is returned. 0 when all were seen, -EBADMSG.
 */
int scw_bolt_foreach(const struct scw_bolt *db, const struct scw_bolt_bucket *b, size_t max,
                     int (*fn)(void *ctx, const uint8_t *k, size_t kn, const uint8_t *v, size_t vn),
                     void *ctx);

#endif
