/*
 * cgroup: which workload a process belongs to, from the text of /proc/PID/cgroup.
 *
 * Pure functions, no I/O: the caller reads /proc/PID/cgroup (the live watcher, with its pid
 * cache) and hands the text here. scw_cgroup_parse_proc() picks the one path that identifies
 * the workload among the v1/v2 lines; scw_cgroup_classify() turns a path into a runtime and a
 * container id (Docker, containerd/Kubernetes, CRI-O, Podman, runc, LXC, systemd-nspawn), a
 * systemd unit for host services, or keeps it verbatim as unknown. What only the disk can
 * tell (crun or runc behind the same "/<id>", a containerd namespace other than default and
 * k8s.io, a rootless user's uid, an nspawn machine's name) is settled by scw_meta_resolve();
 * metadata (name, image, pod, profile) comes from the runtime's state on disk: see
 * runtime_meta.h.
 */
#ifndef SCW_CGROUP_H
#define SCW_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"

#define SCW_CGROUP_PATH_MAX    4096 /* longest cgroup path accepted (bytes, without the NUL) */
#define SCW_CGROUP_LINES_MAX   64   /* lines of /proc/PID/cgroup looked at */
#define SCW_CGROUP_DEPTH_MAX   64   /* path components looked at; deeper paths stay unknown */
#define SCW_CGROUP_ID_SIZE     256  /* container id / machine name, NUL included */
#define SCW_CGROUP_UNIT_SIZE   512  /* systemd unit ("user@1000.service/x.service"), NUL included */
#define SCW_CGROUP_POD_SIZE    65   /* Kubernetes pod uid, NUL included */
#define SCW_CGROUP_NS_SIZE     80   /* containerd namespace (at most 76 bytes), NUL included */
#define SCW_CGROUP_USER_SIZE   64   /* user name of a pam_cgfs session cgroup, NUL included */
#define SCW_CGROUP_UID_UNKNOWN UINT32_MAX /* rootless, the user known by name only */
#define SCW_CGROUP_KEY_SIZE    (SCW_CGROUP_PATH_MAX + 32) /* workload key, NUL included */

enum scw_runtime {
    SCW_RUNTIME_DOCKER,
    SCW_RUNTIME_CONTAINERD,
    SCW_RUNTIME_CRIO,
    SCW_RUNTIME_PODMAN,
    SCW_RUNTIME_RUNC,
    SCW_RUNTIME_CRUN, /* same cgroup shape as runc: scw_meta_resolve() tells them apart */
    SCW_RUNTIME_LXC,
    SCW_RUNTIME_NSPAWN,
    SCW_RUNTIME_SYSTEMD_UNIT, /* a host service, session or scope: named by its unit */
    SCW_RUNTIME_UNKNOWN,      /* path kept verbatim */
    SCW_RUNTIME_MAX,
    SCW_RUNTIME_INVALID = -1,
};

/* Kubernetes QoS class, from the kubepods hierarchy (guaranteed pods have no QoS level). */
enum scw_k8s_qos {
    SCW_QOS_NONE, /* not under kubepods */
    SCW_QOS_GUARANTEED,
    SCW_QOS_BURSTABLE,
    SCW_QOS_BESTEFFORT,
    SCW_QOS_MAX,
    SCW_QOS_INVALID = -1,
};

struct scw_cgroup_info {
    enum scw_runtime runtime;
    /* container id, or LXC/nspawn name; "" when the path names none (Podman's shared conmon
     * cgroup, an nspawn --keep-unit payload before scw_meta_resolve() finds its name) */
    char id[SCW_CGROUP_ID_SIZE];
    size_t path_len; /* no id: the length of the path's prefix that is the container's cgroup */
    char pod_uid[SCW_CGROUP_POD_SIZE]; /* with dashes (systemd's underscores undone); "" */
    enum scw_k8s_qos qos;
    bool monitor; /* conmon / lxc monitor / nspawn supervisor: not the workload itself */
    /* rootless Podman, runc, crun: under user@UID.service (uid from the path), or in a
     * pam_cgfs session /user/NAME/N/ (user = NAME, uid SCW_CGROUP_UID_UNKNOWN until
     * scw_meta_resolve() looks the name up) */
    bool rootless;
    uint32_t uid;
    char user[SCW_CGROUP_USER_SIZE];
    /* containerd namespace when the path says it ("/<ns>/<id>"); part of the workload's
     * identity: containerd reuses ids across namespaces. "" when unknown. */
    char runtime_ns[SCW_CGROUP_NS_SIZE];
    char unit[SCW_CGROUP_UNIT_SIZE]; /* SCW_RUNTIME_SYSTEMD_UNIT only; "" otherwise */
};

/*
 * Pick the path identifying the workload in the text of /proc/PID/cgroup (v1 "N:ctrl:/path"
 * lines, the v2 "0::/path" line, or both). Candidates in order: the v2 line, name=systemd,
 * then pids, memory, cpu, cpuacct, cpuset, blkio, devices, freezer, the rest; "/" is never a
 * candidate. The first candidate that classifies as a container wins; failing that, the first
 * candidate; failing that, "/". A " (deleted)" suffix (cgroup removed, e.g. container gone) is
 * dropped. Looks at SCW_CGROUP_LINES_MAX lines; lines that do not parse or are longer than
 * SCW_CGROUP_PATH_MAX are skipped.
 * Returns 0 and the path in ret_path (NUL-terminated), -EINVAL when no line parses,
 * -ENOBUFS when size is too small for the chosen path.
 */
int scw_cgroup_parse_proc(const char *text, size_t len, char *ret_path, size_t size);

/*
 * Classify a cgroup path (see the table in README "Attribution"). The innermost container
 * wins (Docker-in-Docker, systemd inside a container); without one, the innermost systemd
 * unit; otherwise SCW_RUNTIME_UNKNOWN. Returns 0, -EINVAL (NULL or not starting with '/'),
 * -ENAMETOOLONG (longer than SCW_CGROUP_PATH_MAX).
 */
int scw_cgroup_classify(const char *path, struct scw_cgroup_info *ret);

/* A container runtime (not a unit, not unknown). */
bool scw_runtime_is_container(enum scw_runtime rt);
/* "docker", "containerd", "cri-o", "podman", "runc", "crun", "lxc", "nspawn", "systemd",
 * "unknown"; NULL for values out of range. */
const char *scw_runtime_name(enum scw_runtime rt);
/* Inverse of scw_runtime_name(); SCW_RUNTIME_INVALID when not a name. */
enum scw_runtime scw_runtime_from_name(const char *name);
/* "guaranteed", "burstable", "besteffort"; NULL for SCW_QOS_NONE or out of range. */
const char *scw_k8s_qos_name(enum scw_k8s_qos qos);

/*
 * The workload key aggregates and caches use: "<runtime>:<id>" for containers ("docker:<id>",
 * "cri-o:<id>", "lxc:<name>"), "containerd:<namespace>/<id>" when the namespace is known,
 * "<runtime>:<path>" for a container the path names no id for ("nspawn:/payload", the path
 * up to the container's own cgroup),
 * "monitor:" before either for monitors, "unit:<unit>" for host services, "cgroup:<path>" for
 * unknown paths. Returns 0, -ENOBUFS (size too small; use SCW_CGROUP_KEY_SIZE), -EINVAL.
 */
int scw_cgroup_workload_key(const struct scw_cgroup_info *info, const char *path, char *ret,
                            size_t size);

/*
 * A new container description from the classification alone: runtime (its name), id (the
 * container id, or the unit), name (LXC/nspawn name, unit, "conmon" for monitors), cgroup
 * (path), runtime_namespace (containerd's, when known). Image, pod, namespace, profile stay
 * NULL: runtime_meta fills them. For unknown paths only cgroup is set. Free with
 * scw_container_free(). Returns 0, -ENOMEM, -EINVAL.
 */
int scw_cgroup_container_new(const struct scw_cgroup_info *info, const char *path,
                             struct scw_container **ret);

#endif
