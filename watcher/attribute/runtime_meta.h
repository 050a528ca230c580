/*
 * runtime_meta: container -> name, image, Kubernetes pod/namespace/container and the seccomp
 * profile it runs, read from the container runtime's own state files on disk (Docker's
 * config.v2.json, OCI bundle config.json files of containerd, CRI-O, Podman and runc).
 *
 * It does not talk to any daemon or API socket and never fails an event: a missing, unreadable
 * or half-written file is counted and whatever was found is used. The cache reads each
 * container once (retrying a few times, with backoff, while its state was incomplete). Used by
 * the live watcher after cgroup.h's classification.
 */
#ifndef SCW_RUNTIME_META_H
#define SCW_RUNTIME_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"
#include "cgroup.h"

#define SCW_META_FILE_MAX       (16u << 20) /* largest state file read (bytes) */
#define SCW_META_STRING_MAX     1024        /* longest name/image/label value kept (bytes) */
#define SCW_META_NAMESPACES_MAX 64          /* containerd namespaces looked at per task root */
#define SCW_META_CACHE_DEFAULT  4096        /* containers cached before the cache is flushed */
#define SCW_META_RETRY_SEC      5           /* first retry of an incomplete read; doubles */
#define SCW_META_TRIES          5           /* reads of one container at most */

/*
 * Where each runtime keeps its state. Each is the runtime's own setting (given in brackets), so
 * a non-default install is followed by changing one root; NULL turns that store off.
 */
struct scw_meta_roots {
    const char *docker_data;      /* dockerd --data-root [/var/lib/docker] */
    const char *docker_exec;      /* dockerd --exec-root [/run/docker] */
    const char *containerd_state; /* containerd "state" [/run/containerd] */
    const char *storage_run;      /* containers-storage runroot [/run/containers/storage] */
    const char *storage_graph;    /* containers-storage graphroot [/var/lib/containers/storage] */
    const char *runc_root;        /* runc --root [/run/runc] */
    const char *user_run;         /* per-user runtime dirs, rootless Podman/runc [/run/user] */
};

/* The defaults above. The strings are static. */
void scw_meta_roots_default(struct scw_meta_roots *ret);

struct scw_meta_stats {
    uint64_t reads;      /* state files read and parsed */
    uint64_t missing;    /* lookups where no state file existed (container gone, not ours) */
    uint64_t unreadable; /* files that exist but could not be read (EACCES, EIO...) */
    uint64_t bad;        /* files that are not the JSON expected (half-written, corrupt) */
    uint64_t too_big;    /* files over SCW_META_FILE_MAX */
    uint64_t flushes;    /* cache flushes (more containers than the cache holds) */
};

/* scw_meta_read() result flags */
#define SCW_META_FOUND      1 /* at least one state file gave data */
#define SCW_META_COMPLETE   2 /* every state file this runtime keeps was read: no retry */
#define SCW_META_UNCONFINED 4 /* the OCI config.json was read and has no linux.seccomp */

/*
 * Read what the runtime keeps about the container info names (containers only; monitors,
 * units and unknown paths have nothing to read and return SCW_META_COMPLETE). Fills only the
 * fields of c that are NULL: name, image, pod, namespace, k8s_container, profile (the path of
 * the OCI config.json holding linux.seccomp). stats (may be NULL) counts files.
 * Returns the SCW_META_* flags (>= 0), or -ENOMEM (c may then be partly filled).
 */
int scw_meta_read(const struct scw_meta_roots *roots, const struct scw_cgroup_info *info,
                  struct scw_container *c, struct scw_meta_stats *stats);

/*
 * The parsers behind scw_meta_read(), from memory (tests, fuzzing). Each fills only NULL fields
 * of c, ignores values longer than SCW_META_STRING_MAX or holding control characters, and
 * returns 0, -EBADMSG (not JSON, or not the expected shape; c untouched), -E2BIG (len over
 * SCW_META_FILE_MAX), -ENOMEM.
 */
/* OCI config.json: CRI/CRI-O/nerdctl annotations; profile = path when linux.seccomp is set.
 * Returns 1 instead of 0 when the config has no linux.seccomp. */
int scw_meta_parse_oci(const char *data, size_t len, const char *path, struct scw_container *c);
/* Docker config.v2.json: Name (without the leading '/'), Config.Image, Kubernetes labels. */
int scw_meta_parse_docker(const char *data, size_t len, struct scw_container *c);
/* containers-storage containers.json: names[0] and metadata's image-name of entry id.
 * -ENOENT when id is not listed. */
int scw_meta_parse_storage(const char *data, size_t len, const char *id, struct scw_container *c);
/* runc state.json: the bundle directory (config.labels "bundle=..."), absolute. Caller frees.
 * -ENOENT when there is none. */
int scw_meta_parse_runc_state(const char *data, size_t len, char **ret_bundle);

/* Cache: workload key -> container (cgroup-derived fields + metadata). */
struct scw_meta_cache;

struct scw_meta_result {
    const char *key;                       /* borrowed: scw_cgroup_workload_key() of the input */
    const struct scw_container *container; /* borrowed */
    bool changed; /* first sight, or a retry added fields: update the aggregate's copy */
};

/* roots NULL: defaults (copied); max_entries 0: SCW_META_CACHE_DEFAULT. NULL on ENOMEM. */
struct scw_meta_cache *scw_meta_cache_new(const struct scw_meta_roots *roots, size_t max_entries);
void scw_meta_cache_free(struct scw_meta_cache *mc);

/*
 * The container for a classified cgroup path. The first call for a key builds it from the
 * classification and reads the runtime state; a read that was not SCW_META_COMPLETE is retried
 * on a later call after SCW_META_RETRY_SEC, 2x, 4x... (now_sec is the caller's clock) up to
 * SCW_META_TRIES reads in all. When the cache is full it is flushed (counted). The result's
 * pointers stay valid until the next scw_meta_cache_get() or scw_meta_cache_free().
 * Returns 0, -EINVAL, -ENOMEM.
 */
int scw_meta_cache_get(struct scw_meta_cache *mc, const char *cgroup_path,
                       const struct scw_cgroup_info *info, int64_t now_sec,
                       struct scw_meta_result *ret);

size_t scw_meta_cache_size(const struct scw_meta_cache *mc);
const struct scw_meta_stats *scw_meta_cache_stats(const struct scw_meta_cache *mc);

#endif
