/*
 * cgroup_names: what cgroup.c's classification is called: runtime and QoS names, the workload
 * key aggregates and caches use, and the container description built from a classification.
 * Pure string work, no I/O; see cgroup.h. Called wherever a classification is turned into a
 * workload (attribute.c, runtime_meta.c, scmpwatch attribute).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"

bool scw_runtime_is_container(enum scw_runtime rt)
{
    switch (rt) {
    case SCW_RUNTIME_DOCKER:
    case SCW_RUNTIME_CONTAINERD:
    case SCW_RUNTIME_CRIO:
    case SCW_RUNTIME_PODMAN:
    case SCW_RUNTIME_RUNC:
    case SCW_RUNTIME_CRUN:
    case SCW_RUNTIME_LXC:
    case SCW_RUNTIME_NSPAWN:
        return true;
    case SCW_RUNTIME_SYSTEMD_UNIT:
    case SCW_RUNTIME_UNKNOWN:
    case SCW_RUNTIME_MAX:
    case SCW_RUNTIME_INVALID:
        return false;
    }
    return false;
}

static const char *const runtime_names[SCW_RUNTIME_MAX] = {
    [SCW_RUNTIME_DOCKER] = "docker",
    [SCW_RUNTIME_CONTAINERD] = "containerd",
    [SCW_RUNTIME_CRIO] = "cri-o",
    [SCW_RUNTIME_PODMAN] = "podman",
    [SCW_RUNTIME_RUNC] = "runc",
    [SCW_RUNTIME_CRUN] = "crun",
    [SCW_RUNTIME_LXC] = "lxc",
    [SCW_RUNTIME_NSPAWN] = "nspawn",
    [SCW_RUNTIME_SYSTEMD_UNIT] = "systemd",
    [SCW_RUNTIME_UNKNOWN] = "unknown",
};

const char *scw_runtime_name(enum scw_runtime rt)
{
    if ((int)rt < 0 || rt >= SCW_RUNTIME_MAX)
        return NULL;
    return runtime_names[rt];
}

enum scw_runtime scw_runtime_from_name(const char *name)
{
    if (!name)
        return SCW_RUNTIME_INVALID;
    for (int i = 0; i < SCW_RUNTIME_MAX; i++)
        if (strcmp(runtime_names[i], name) == 0)
            return (enum scw_runtime)i;
    return SCW_RUNTIME_INVALID;
}

const char *scw_k8s_qos_name(enum scw_k8s_qos qos)
{
    switch (qos) {
    case SCW_QOS_GUARANTEED:
        return "guaranteed";
    case SCW_QOS_BURSTABLE:
        return "burstable";
    case SCW_QOS_BESTEFFORT:
        return "besteffort";
    case SCW_QOS_NONE:
    case SCW_QOS_MAX:
    case SCW_QOS_INVALID:
        return NULL;
    }
    return NULL;
}

/* Append s to buf at *off; false when it does not fit (NUL included). */
static bool append(char *buf, size_t size, size_t *off, const char *s)
{
    size_t n = strlen(s);
    if (*off + n + 1 > size)
        return false;
    memcpy(buf + *off, s, n + 1);
    *off += n;
    return true;
}

/* Append the first n bytes of s (all of it when shorter). */
static bool append_n(char *buf, size_t size, size_t *off, const char *s, size_t n)
{
    n = strnlen(s, n);
    if (n == 0 || *off + n + 1 > size)
        return false;
    memcpy(buf + *off, s, n);
    *off += n;
    buf[*off] = '\0';
    return true;
}

int scw_cgroup_workload_key(const struct scw_cgroup_info *info, const char *path, char *ret,
                            size_t size)
{
    if (!info || !ret || size == 0 || (int)info->runtime < 0 || info->runtime >= SCW_RUNTIME_MAX)
        return -EINVAL;
    char tmp[SCW_CGROUP_KEY_SIZE];
    size_t off = 0;
    bool ok = false;
    if (scw_runtime_is_container(info->runtime)) {
        bool with_ns = info->runtime == SCW_RUNTIME_CONTAINERD && info->runtime_ns[0];
        if (!info->id[0] && !path)
            return -EINVAL;
        ok = (!info->monitor || append(tmp, sizeof(tmp), &off, "monitor:")) &&
             append(tmp, sizeof(tmp), &off, scw_runtime_name(info->runtime)) &&
             append(tmp, sizeof(tmp), &off, ":") &&
             (!with_ns || (append(tmp, sizeof(tmp), &off, info->runtime_ns) &&
                           append(tmp, sizeof(tmp), &off, "/"))) &&
             (info->id[0] ? append(tmp, sizeof(tmp), &off, info->id)
                          : append_n(tmp, sizeof(tmp), &off, path, info->path_len));
    } else if (info->runtime == SCW_RUNTIME_SYSTEMD_UNIT) {
        ok = append(tmp, sizeof(tmp), &off, "unit:") && append(tmp, sizeof(tmp), &off, info->unit);
    } else { /* SCW_RUNTIME_UNKNOWN: the path itself */
        if (!path)
            return -EINVAL;
        ok = append(tmp, sizeof(tmp), &off, "cgroup:") && append(tmp, sizeof(tmp), &off, path);
    }
    if (!ok || off + 1 > size)
        return -ENOBUFS;
    memcpy(ret, tmp, off + 1);
    return 0;
}

static bool dup_into(char **dst, const char *s)
{
    if (!s)
        return true;
    *dst = strdup(s);
    return *dst != NULL;
}

int scw_cgroup_container_new(const struct scw_cgroup_info *info, const char *path,
                             struct scw_container **ret)
{
    if (!info || !ret || (int)info->runtime < 0 || info->runtime >= SCW_RUNTIME_MAX)
        return -EINVAL;
    struct scw_container *c = calloc(1, sizeof(*c));
    if (!c)
        return -ENOMEM;
    bool ok = dup_into(&c->cgroup, path) &&
              (!info->pod_uid[0] || dup_into(&c->pod_uid, info->pod_uid)) &&
              (!info->runtime_ns[0] || dup_into(&c->runtime_namespace, info->runtime_ns));
    const char *name = NULL;
    switch (info->runtime) {
    case SCW_RUNTIME_DOCKER:
    case SCW_RUNTIME_CONTAINERD:
    case SCW_RUNTIME_CRIO:
    case SCW_RUNTIME_PODMAN:
    case SCW_RUNTIME_RUNC:
    case SCW_RUNTIME_CRUN:
        name = info->monitor ? "conmon" : NULL;
        ok = ok && dup_into(&c->runtime, scw_runtime_name(info->runtime)) &&
             (!info->id[0] || dup_into(&c->id, info->id)) && dup_into(&c->name, name);
        break;
    case SCW_RUNTIME_LXC:
    case SCW_RUNTIME_NSPAWN:
        if (info->monitor)
            name = info->runtime == SCW_RUNTIME_LXC ? "lxc-monitor" : "nspawn-supervisor";
        else
            name = info->id[0] ? info->id : NULL;
        ok = ok && dup_into(&c->runtime, scw_runtime_name(info->runtime)) &&
             (!info->id[0] || dup_into(&c->id, info->id)) && dup_into(&c->name, name);
        break;
    case SCW_RUNTIME_SYSTEMD_UNIT:
        ok = ok && dup_into(&c->runtime, scw_runtime_name(info->runtime)) &&
             dup_into(&c->id, info->unit) && dup_into(&c->name, info->unit);
        break;
    case SCW_RUNTIME_UNKNOWN:
        break;
    case SCW_RUNTIME_MAX:
    case SCW_RUNTIME_INVALID:
        break;
    }
    if (!ok) {
        scw_container_free(c);
        return -ENOMEM;
    }
    *ret = c;
    return 0;
}
