/*
 * runtime_meta: container -> name, image, labels, Kubernetes pod/namespace/container and the
 * seccomp profile it runs, read from the container runtime's own state files on disk (Docker's
 * config.v2.json, OCI bundle config.json files of containerd, CRI-O, Podman, runc and crun,
 * containers-storage's containers.json, the BoltDB files of Podman and containerd, the
 * command line of an nspawn supervisor).
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
#define SCW_META_LABELS_MAX     64          /* labels kept per container */
#define SCW_META_DRIVERS_MAX    16          /* "<driver>-containers" folders looked at */

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
    const char *crun_root;        /* crun --root [/run/crun] */
    const char *containerd_root;  /* containerd "root", its meta.db [/var/lib/containerd] */
    const char *cgroup_fs;        /* where cgroup file systems are mounted [/sys/fs/cgroup] */
    const char *proc;             /* the proc file system [/proc] */
    const char *passwd;           /* users' uid and home, rootless Podman [/etc/passwd] */
};

/* The defaults above. The strings are static. */
void scw_meta_roots_default(struct scw_meta_roots *ret);

/*
 * Set one root by the name users give it (--runtime-root KIND=DIR): docker, docker-exec,
 * containerd, containerd-root, storage-run, storage, runc, crun, user-run, cgroup, proc,
 * passwd. dir is borrowed. Returns 0, -EINVAL (unknown kind). scw_meta_root_kinds is that list,
 * NULL-terminated, in that order, for help texts.
 */
int scw_meta_roots_set(struct scw_meta_roots *roots, const char *kind, const char *dir);
extern const char *const scw_meta_root_kinds[];

struct scw_meta_stats {
    uint64_t reads;       /* state files read and parsed */
    uint64_t missing;     /* lookups where no state file existed (container gone, not ours) */
    uint64_t unreadable;  /* files that exist but could not be read (EACCES, EIO...) */
    uint64_t bad;         /* files that are not the JSON expected (half-written, corrupt) */
    uint64_t too_big;     /* files over SCW_META_FILE_MAX */
    uint64_t flushes;     /* cache flushes (more containers than the cache holds) */
    uint64_t unsupported; /* files in a format version not known (OCI ociVersion 2.x...) */
    uint64_t no_user;     /* rootless containers whose user or home directory is not there */
};

/* scw_meta_read() result flags */
#define SCW_META_FOUND      1 /* at least one state file gave data */
#define SCW_META_COMPLETE   2 /* every state file this runtime keeps was read: no retry */
#define SCW_META_UNCONFINED 4 /* the OCI config.json was read and has no linux.seccomp */

/*
 * Settle what the cgroup path alone cannot tell, from the runtimes' state on disk; call it
 * between scw_cgroup_classify() and scw_cgroup_workload_key(), since it changes the key:
 *   runc -> crun       "/<id>" with <crun>/<id>/status and no <runc>/<id>/state.json
 *   unknown -> containerd  "/<ns>/<id>" with <containerd>/io.containerd.runtime.v2.task/<ns>/<id>
 *   rootless by name   "/user/NAME/N/<id>": NAME's uid from the passwd file
 *   nspawn --keep-unit "/payload", "/supervisor": the machine name from the supervisor's
 *                      command line (-M/--machine, else the directory or bundle's name)
 * Anything else is left as it is. A lookup that fails leaves info as it was (counted in
 * stats, which may be NULL). Returns 0, -EINVAL.
 */
int scw_meta_resolve(const struct scw_meta_roots *roots, const char *cgroup_path,
                     struct scw_cgroup_info *info, struct scw_meta_stats *stats);

/*
 * Read what the runtime keeps about the container info names (containers only; monitors,
 * units and unknown paths have nothing to read and return SCW_META_COMPLETE). Fills only the
 * fields of c that are NULL: name, image, labels, pod, namespace, k8s_container,
 * runtime_namespace, profile (the path of the OCI config.json holding linux.seccomp). c->cgroup
 * is the path (nspawn finds its supervisor from it). stats (may be NULL) counts files.
 * Returns the SCW_META_* flags (>= 0), or -ENOMEM (c may then be partly filled).
 */
int scw_meta_read(const struct scw_meta_roots *roots, const struct scw_cgroup_info *info,
                  struct scw_container *c, struct scw_meta_stats *stats);

/*
 * The parsers behind scw_meta_read(), from memory (tests, fuzzing). Each fills only NULL fields
 * of c, ignores values longer than SCW_META_STRING_MAX or holding control characters, keeps
 * at most SCW_META_LABELS_MAX labels, and returns 0, -EBADMSG (not JSON, or not the expected
 * shape; c untouched), -E2BIG (len over SCW_META_FILE_MAX), -ENOMEM.
 */
/* OCI config.json: CRI, CRI-O (io.kubernetes.cri-o.*: Metadata, Name, SandboxName, Labels,
 * ImageName...) and nerdctl annotations; profile = path when linux.seccomp is set. With
 * SCW_META_OCI_LABELS the annotations are the container's labels (plain runc/crun keep no
 * others). Returns 1 instead of 0 when the config has no linux.seccomp, -EPROTO when its
 * ociVersion is not 1.x (c untouched). */
#define SCW_META_OCI_LABELS 1
int scw_meta_parse_oci(const char *data, size_t len, const char *path, struct scw_container *c);
int scw_meta_parse_oci_flags(const char *data, size_t len, const char *path, int flags,
                             struct scw_container *c);
/* Docker config.v2.json: Name (without the leading '/'), Config.Image, Config.Labels (the
 * labels, and Kubernetes fields from cri-dockerd's). */
int scw_meta_parse_docker(const char *data, size_t len, struct scw_container *c);
/* crun's <root>/<id>/status: the bundle directory, absolute. Caller frees. -ENOENT: none. */
int scw_meta_parse_crun_status(const char *data, size_t len, char **ret_bundle);
/* Podman's container config (the "config" value in libpod's BoltDB): labels, name. */
int scw_meta_parse_libpod_config(const char *data, size_t len, struct scw_container *c);
/*
 * A passwd(5) file: the entry of user name (or, name NULL, of uid): its uid and home (caller
 * frees). Returns 0, -ENOENT (not listed), -ENOMEM. Lines over 4 KiB and malformed lines are
 * skipped.
 */
int scw_meta_parse_passwd(const char *data, size_t len, const char *name, uint32_t uid,
                          uint32_t *ret_uid, char **ret_home);
/*
 * A systemd-nspawn command line (/proc/PID/cmdline: NUL-separated): the machine name
 * (-M/--machine, else the last component of -D/--directory, -i/--image or --oci-bundle) and the
 * --oci-bundle directory (NULL when none). Caller frees both. Returns 0, -ENOENT (not
 * systemd-nspawn, or no name), -ENOMEM.
 */
int scw_meta_parse_nspawn_cmdline(const char *data, size_t len, char **ret_name, char **ret_bundle);
/* containers-storage containers.json: names[0] and metadata's image-name of entry id.
 * -ENOENT when id is not listed. */
int scw_meta_parse_storage(const char *data, size_t len, const char *id, struct scw_container *c);
/* runc state.json: the bundle directory (config.labels "bundle=..."), absolute. Caller frees.
 * -ENOENT when there is none. */
int scw_meta_parse_runc_state(const char *data, size_t len, char **ret_bundle);

/* Cache: workload key -> container (cgroup-derived fields + metadata). */
struct scw_meta_cache;

struct scw_meta_result {
    /* borrowed: scw_cgroup_workload_key() of the input after scw_meta_resolve() */
    const char *key;
    const struct scw_container *container; /* borrowed */
    bool changed; /* first sight, or a retry added fields: update the aggregate's copy */
};

/* roots NULL: defaults (copied); max_entries 0: SCW_META_CACHE_DEFAULT. NULL on ENOMEM. */
struct scw_meta_cache *scw_meta_cache_new(const struct scw_meta_roots *roots, size_t max_entries);
void scw_meta_cache_free(struct scw_meta_cache *mc);

/*
 * The container for a classified cgroup path. The first call for a key resolves it
 * (scw_meta_resolve(), once: the key it gives stays), builds it from the classification and
 * reads the runtime state; a read that was not SCW_META_COMPLETE is retried
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
