/*
 * runtime_meta: the roots of the runtimes' state (defaults, --runtime-root kinds) and the
 * per-container cache in front of scw_meta_read().
 *
 * Reading and parsing live in runtime_meta_read.c and runtime_meta_parse.c; this file decides
 * when to read: once per container, retried with backoff while its state was incomplete, and
 * flushed (counted) when more containers than the cache holds were seen. Used by the live
 * watcher (attribute.c) after cgroup.h's classification.
 */
#include "runtime_meta.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void scw_meta_roots_default(struct scw_meta_roots *ret)
{
    *ret = (struct scw_meta_roots){
        .docker_data = "/var/lib/docker",
        .docker_exec = "/run/docker",
        .containerd_state = "/run/containerd",
        .storage_run = "/run/containers/storage",
        .storage_graph = "/var/lib/containers/storage",
        .runc_root = "/run/runc",
        .user_run = "/run/user",
        .crun_root = "/run/crun",
        .containerd_root = "/var/lib/containerd",
        .cgroup_fs = "/sys/fs/cgroup",
        .proc = "/proc",
        .passwd = "/etc/passwd",
    };
}

/* Every root: its --runtime-root kind and where it sits in struct scw_meta_roots. */
static const struct {
    const char *kind;
    size_t offset;
} root_kinds[] = {
    {"docker", offsetof(struct scw_meta_roots, docker_data)},
    {"docker-exec", offsetof(struct scw_meta_roots, docker_exec)},
    {"containerd", offsetof(struct scw_meta_roots, containerd_state)},
    {"containerd-root", offsetof(struct scw_meta_roots, containerd_root)},
    {"storage-run", offsetof(struct scw_meta_roots, storage_run)},
    {"storage", offsetof(struct scw_meta_roots, storage_graph)},
    {"runc", offsetof(struct scw_meta_roots, runc_root)},
    {"crun", offsetof(struct scw_meta_roots, crun_root)},
    {"user-run", offsetof(struct scw_meta_roots, user_run)},
    {"cgroup", offsetof(struct scw_meta_roots, cgroup_fs)},
    {"proc", offsetof(struct scw_meta_roots, proc)},
    {"passwd", offsetof(struct scw_meta_roots, passwd)},
};
#define N_ROOTS (sizeof(root_kinds) / sizeof(root_kinds[0]))

const char *const scw_meta_root_kinds[] = {
    "docker",  "docker-exec", "containerd", "containerd-root", "storage-run",
    "storage", "runc",        "crun",       "user-run",        "cgroup",
    "proc",    "passwd",      NULL,
};

static const char **root_at(struct scw_meta_roots *roots, size_t i)
{
    return (const char **)(void *)((char *)roots + root_kinds[i].offset);
}

int scw_meta_roots_set(struct scw_meta_roots *roots, const char *kind, const char *dir)
{
    if (!roots || !kind || !dir || !dir[0])
        return -EINVAL;
    for (size_t i = 0; i < N_ROOTS; i++) {
        if (strcmp(root_kinds[i].kind, kind) == 0) {
            *root_at(roots, i) = dir;
            return 0;
        }
    }
    return -EINVAL;
}

/* ---- cache ---- */

struct slot {
    char *key;  /* the classification's key (lookup); NULL: empty */
    char *rkey; /* the resolved key (returned) */
    uint64_t hash;
    struct scw_container *c;
    struct scw_cgroup_info info; /* resolved */
    int64_t next_try;
    uint8_t tries;
    bool done;
};

struct scw_meta_cache {
    struct scw_meta_roots roots;
    char *root_copies[N_ROOTS];
    struct slot *slots;
    size_t cap; /* power of two, >= 2 * max */
    size_t n, max;
    struct scw_meta_stats stats;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 31);
}

struct scw_meta_cache *scw_meta_cache_new(const struct scw_meta_roots *roots, size_t max_entries)
{
    struct scw_meta_cache *mc = calloc(1, sizeof(*mc));
    if (!mc)
        return NULL;
    struct scw_meta_roots def;
    scw_meta_roots_default(&def);
    struct scw_meta_roots r = roots ? *roots : def;
    mc->max = max_entries ? max_entries : SCW_META_CACHE_DEFAULT;
    if (mc->max > (SIZE_MAX / sizeof(struct slot)) / 4)
        mc->max = (SIZE_MAX / sizeof(struct slot)) / 4;
    mc->cap = 16;
    while (mc->cap < mc->max * 2)
        mc->cap *= 2;
    mc->slots = calloc(mc->cap, sizeof(*mc->slots));
    bool ok = mc->slots != NULL;
    for (size_t i = 0; ok && i < N_ROOTS; i++) {
        const char *src = *root_at(&r, i);
        if (!src)
            continue;
        ok = (mc->root_copies[i] = strdup(src)) != NULL;
        *root_at(&mc->roots, i) = mc->root_copies[i];
    }
    if (!ok) {
        scw_meta_cache_free(mc);
        return NULL;
    }
    return mc;
}

static void flush(struct scw_meta_cache *mc)
{
    for (size_t i = 0; i < mc->cap; i++) {
        free(mc->slots[i].key);
        free(mc->slots[i].rkey);
        scw_container_free(mc->slots[i].c);
    }
    memset(mc->slots, 0, mc->cap * sizeof(*mc->slots));
    mc->n = 0;
}

void scw_meta_cache_free(struct scw_meta_cache *mc)
{
    if (!mc)
        return;
    if (mc->slots)
        flush(mc);
    free(mc->slots);
    for (size_t i = 0; i < N_ROOTS; i++)
        free(mc->root_copies[i]);
    free(mc);
}

/* Which metadata fields are set, as a bit mask (to see whether a retry added any). */
static unsigned fields_set(const struct scw_container *c)
{
    return (c->name ? 1u : 0) | (c->image ? 2u : 0) | (c->pod ? 4u : 0) | (c->namespace ? 8u : 0) |
           (c->k8s_container ? 16u : 0) | (c->profile ? 32u : 0) | (c->labels ? 64u : 0) |
           (c->runtime_namespace ? 128u : 0);
}

/* One (re)read of slot s's container, updating its retry state. Returns changed, or -ENOMEM. */
static int reread(struct scw_meta_cache *mc, struct slot *s, int64_t now)
{
    unsigned before = fields_set(s->c);
    int flags = scw_meta_read(&mc->roots, &s->info, s->c, &mc->stats);
    if (flags < 0)
        return flags;
    s->tries++;
    s->done = (flags & SCW_META_COMPLETE) || s->tries >= SCW_META_TRIES;
    s->next_try = now + ((int64_t)SCW_META_RETRY_SEC << (s->tries - 1));
    return fields_set(s->c) != before;
}

int scw_meta_cache_get(struct scw_meta_cache *mc, const char *cgroup_path,
                       const struct scw_cgroup_info *info, int64_t now_sec,
                       struct scw_meta_result *ret)
{
    if (!mc || !info || !ret)
        return -EINVAL;
    char key[SCW_CGROUP_KEY_SIZE];
    int rc = scw_cgroup_workload_key(info, cgroup_path, key, sizeof(key));
    if (rc < 0)
        return rc;
    uint64_t h = hash_str(key);
    size_t mask = mc->cap - 1, i = (size_t)h & mask;
    while (mc->slots[i].key) {
        struct slot *s = &mc->slots[i];
        if (s->hash == h && strcmp(s->key, key) == 0) {
            bool changed = false;
            if (!s->done && now_sec >= s->next_try) {
                rc = reread(mc, s, now_sec);
                if (rc < 0)
                    return rc;
                changed = rc > 0;
            }
            *ret = (struct scw_meta_result){s->rkey, s->c, changed};
            return 0;
        }
        i = (i + 1) & mask;
    }
    if (mc->n >= mc->max) {
        flush(mc);
        mc->stats.flushes++;
        i = (size_t)h & mask;
    }
    /* first sight: settle on disk what the path cannot tell (crun, a containerd namespace,
     * a rootless uid, an nspawn name), once: the key it gives stays the workload's */
    struct slot s = {.hash = h, .info = *info};
    char rkey[SCW_CGROUP_KEY_SIZE];
    rc = cgroup_path ? scw_meta_resolve(&mc->roots, cgroup_path, &s.info, &mc->stats) : 0;
    if (rc >= 0)
        rc = scw_cgroup_workload_key(&s.info, cgroup_path, rkey, sizeof(rkey));
    if (rc < 0)
        return rc;
    s.key = strdup(key);
    s.rkey = strdup(rkey);
    if (!s.key || !s.rkey)
        rc = -ENOMEM;
    if (rc >= 0)
        rc = scw_cgroup_container_new(&s.info, cgroup_path, &s.c);
    if (rc >= 0)
        rc = reread(mc, &s, now_sec);
    if (rc < 0) {
        free(s.key);
        free(s.rkey);
        scw_container_free(s.c);
        return rc;
    }
    mc->slots[i] = s;
    mc->n++;
    *ret = (struct scw_meta_result){mc->slots[i].rkey, mc->slots[i].c, true};
    return 0;
}

size_t scw_meta_cache_size(const struct scw_meta_cache *mc)
{
    return mc->n;
}

const struct scw_meta_stats *scw_meta_cache_stats(const struct scw_meta_cache *mc)
{
    return &mc->stats;
}
