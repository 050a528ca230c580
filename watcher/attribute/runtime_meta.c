/*
 * runtime_meta: container metadata from the runtimes' state files, and the per-container cache.
 *
 * Where each runtime keeps what (see README "Attribution" and DESIGN.md):
 *   Docker      <data>/containers/<id>/config.v2.json (Name, Config.Image, Config.Labels);
 *               OCI bundle
 * <exec>/containerd/daemon/io.containerd.runtime.v{2.task,1.linux}/moby/<id>,
 *               <containerd>/io.containerd.runtime.v2.task/moby/<id>, or via
 *               <exec>/runtime-runc/moby/<id>/state.json
 *   containerd  <containerd>/io.containerd.runtime.v{2.task,1.linux}/<namespace>/<id>/config.json
 *   CRI-O       <runroot>/<driver>-containers/<id>/userdata/config.json
 *   Podman      same (rootless: <user_run>/<uid>/containers/...), name and image from
 *               <graphroot>/<driver>-containers/containers.json
 *   runc        <runc_root>/<id>/state.json -> bundle label -> <bundle>/config.json
 * Files are bounded (SCW_META_FILE_MAX), parsed with jansson, and every failure is counted, not
 * returned: metadata is a bonus on top of the cgroup attribution, never a reason to drop an event.
 */
#include "runtime_meta.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "readall.h"

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
    };
}

/* ---- parsers (memory in, NULL fields of c filled) ---- */

static bool good_string(const char *s, size_t n)
{
    if (n == 0 || n > SCW_META_STRING_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f)
            return false;
    }
    return true;
}

/* Set *dst from a JSON string when *dst is unset and the value is acceptable. */
static int set_field(char **dst, const json_t *v, size_t skip_prefix_slash)
{
    if (*dst || !json_is_string(v))
        return 0;
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (skip_prefix_slash && n > 0 && s[0] == '/') {
        s++;
        n--;
    }
    if (!good_string(s, n))
        return 0;
    *dst = strndup(s, n);
    return *dst ? 0 : -ENOMEM;
}

/* Set *dst from the first of keys in obj with an acceptable value. */
static int set_first(char **dst, const json_t *obj, const char *const *keys)
{
    for (; *keys && !*dst; keys++) {
        int rc = set_field(dst, json_object_get(obj, *keys), 0);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The document, when it parses and its top level is of type want; else NULL and *ret_err. */
static json_t *load(const char *data, size_t len, json_type want, int *ret_err)
{
    if (len > SCW_META_FILE_MAX) {
        *ret_err = -E2BIG;
        return NULL;
    }
    json_error_t jerr;
    json_t *root = json_loadb(data, len, 0, &jerr);
    if (root && json_typeof(root) != want) {
        json_decref(root);
        root = NULL;
    }
    if (!root)
        *ret_err = -EBADMSG;
    return root;
}

/* Kubernetes fields from CRI annotations (OCI) or Docker labels (cri-dockerd). */
static int set_k8s(const json_t *kv, struct scw_container *c)
{
    static const char *const pod[] = {"io.kubernetes.cri.sandbox-name", "io.kubernetes.pod.name",
                                      NULL};
    static const char *const ns[] = {"io.kubernetes.cri.sandbox-namespace",
                                     "io.kubernetes.pod.namespace", NULL};
    static const char *const ctr[] = {"io.kubernetes.cri.container-name",
                                      "io.kubernetes.container.name", NULL};
    static const char *const image[] = {"io.kubernetes.cri.image-name",
                                        "io.kubernetes.cri-o.ImageName", NULL};
    static const char *const name[] = {"nerdctl/name", NULL};
    int rc = 0;
    if (!json_is_object(kv))
        return 0;
    if ((rc = set_first(&c->pod, kv, pod)) < 0 || (rc = set_first(&c->namespace, kv, ns)) < 0 ||
        (rc = set_first(&c->k8s_container, kv, ctr)) < 0 ||
        (rc = set_first(&c->image, kv, image)) < 0 || (rc = set_first(&c->name, kv, name)) < 0)
        return rc;
    return 0;
}

int scw_meta_parse_oci(const char *data, size_t len, const char *path, struct scw_container *c)
{
    int rc = 0;
    json_t *root = load(data, len, JSON_OBJECT, &rc);
    if (!root)
        return rc;
    rc = set_k8s(json_object_get(root, "annotations"), c);
    /* a Kubernetes container is best known by its container name */
    if (rc == 0 && !c->name && c->k8s_container && !(c->name = strdup(c->k8s_container)))
        rc = -ENOMEM;
    bool seccomp = json_is_object(json_object_get(json_object_get(root, "linux"), "seccomp"));
    if (rc == 0 && seccomp && path && !c->profile && !(c->profile = strdup(path)))
        rc = -ENOMEM;
    json_decref(root);
    if (rc < 0)
        return rc;
    return seccomp ? 0 : 1;
}

int scw_meta_parse_docker(const char *data, size_t len, struct scw_container *c)
{
    int rc = 0;
    json_t *root = load(data, len, JSON_OBJECT, &rc);
    if (!root)
        return rc;
    json_t *config = json_object_get(root, "Config");
    if (config && !json_is_object(config)) {
        json_decref(root);
        return -EBADMSG;
    }
    if ((rc = set_field(&c->name, json_object_get(root, "Name"), 1)) == 0 &&
        (rc = set_field(&c->image, json_object_get(config, "Image"), 0)) == 0)
        rc = set_k8s(json_object_get(config, "Labels"), c);
    json_decref(root);
    return rc;
}

int scw_meta_parse_storage(const char *data, size_t len, const char *id, struct scw_container *c)
{
    int rc = 0;
    json_t *root = load(data, len, JSON_ARRAY, &rc);
    if (!root)
        return rc;
    if (!id) {
        json_decref(root);
        return -EBADMSG;
    }
    rc = -ENOENT;
    size_t i;
    json_t *e;
    json_array_foreach(root, i, e)
    {
        json_t *eid = json_object_get(e, "id");
        if (!json_is_string(eid) || strcmp(json_string_value(eid), id) != 0)
            continue;
        rc = set_field(&c->name, json_array_get(json_object_get(e, "names"), 0), 0);
        /* "metadata" is itself JSON, in a string: {"image-name": ..., "name": ...} */
        json_t *md = json_object_get(e, "metadata");
        if (rc == 0 && json_is_string(md)) {
            json_error_t jerr;
            json_t *m = json_loadb(json_string_value(md), json_string_length(md), 0, &jerr);
            rc = set_field(&c->image, json_object_get(m, "image-name"), 0);
            if (rc == 0)
                rc = set_field(&c->name, json_object_get(m, "name"), 0);
            json_decref(m);
        }
        break;
    }
    json_decref(root);
    return rc;
}

int scw_meta_parse_runc_state(const char *data, size_t len, char **ret_bundle)
{
    int rc = 0;
    json_t *root = load(data, len, JSON_OBJECT, &rc);
    if (!root)
        return rc;
    rc = -ENOENT;
    size_t i;
    json_t *label;
    json_array_foreach(json_object_get(json_object_get(root, "config"), "labels"), i, label)
    {
        const char *s = json_string_value(label);
        size_t n = json_string_length(label);
        const size_t k = strlen("bundle=");
        if (!s || n <= k || memcmp(s, "bundle=", k) != 0)
            continue;
        if (s[k] != '/' || n - k >= PATH_MAX - 32 || !good_string(s + k, n - k)) {
            rc = -EBADMSG;
            break;
        }
        char *b = strndup(s + k, n - k);
        rc = b ? 0 : -ENOMEM;
        if (b)
            *ret_bundle = b;
        break;
    }
    json_decref(root);
    return rc;
}

/* ---- files ---- */

enum found {
    FOUND_MISSING, /* no such file */
    FOUND_OK,      /* read and parsed */
    FOUND_BAD,     /* exists, but could not be read or parsed (counted) */
};

static bool join(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool join(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n > 0 && (size_t)n < size;
}

/* Read a whole regular file of at most SCW_META_FILE_MAX bytes. 0, -ENOENT, -EFBIG, -errno. */
static int read_file(const char *path, char **ret, size_t *ret_len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return errno == ENOTDIR ? -ENOENT : -errno;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return -EINVAL;
    }
    if (st.st_size > (off_t)SCW_META_FILE_MAX) {
        close(fd);
        return -EFBIG;
    }
    int rc = scw_read_all(fd, (size_t)st.st_size, SCW_META_FILE_MAX, ret, ret_len);
    close(fd);
    return rc;
}

enum kind { KIND_OCI, KIND_DOCKER, KIND_STORAGE, KIND_RUNC_STATE };

struct reader {
    struct scw_meta_stats *stats;
    struct scw_container *c;
    const char *id;
    int flags;    /* SCW_META_* so far */
    int nomem;    /* -ENOMEM seen */
    char *bundle; /* KIND_RUNC_STATE result */
};

static enum found read_one(struct reader *r, const char *path, enum kind kind)
{
    char *data = NULL;
    size_t len = 0;
    int rc = read_file(path, &data, &len);
    if (rc == -ENOENT)
        return FOUND_MISSING;
    if (rc == -ENOMEM) {
        r->nomem = rc;
        return FOUND_BAD;
    }
    if (rc < 0) {
        if (rc == -EFBIG)
            r->stats->too_big++;
        else
            r->stats->unreadable++;
        return FOUND_BAD;
    }
    switch (kind) {
    case KIND_OCI:
        rc = scw_meta_parse_oci(data, len, path, r->c);
        if (rc == 1) {
            r->flags |= SCW_META_UNCONFINED;
            rc = 0;
        }
        break;
    case KIND_DOCKER:
        rc = scw_meta_parse_docker(data, len, r->c);
        break;
    case KIND_STORAGE:
        rc = scw_meta_parse_storage(data, len, r->id, r->c);
        if (rc == -ENOENT) { /* read fine, container not listed */
            r->stats->reads++;
            free(data);
            return FOUND_MISSING;
        }
        break;
    case KIND_RUNC_STATE:
        free(r->bundle);
        r->bundle = NULL;
        rc = scw_meta_parse_runc_state(data, len, &r->bundle);
        if (rc == -ENOENT)
            rc = -EBADMSG; /* a state.json without its bundle is of no use */
        break;
    }
    free(data);
    if (rc == -ENOMEM) {
        r->nomem = rc;
        return FOUND_BAD;
    }
    if (rc < 0) {
        r->stats->bad++;
        return FOUND_BAD;
    }
    r->stats->reads++;
    r->flags |= SCW_META_FOUND;
    return FOUND_OK;
}

/* <bundle>/config.json from a runc state.json. */
static enum found read_via_runc_state(struct reader *r, const char *state_path)
{
    enum found f = read_one(r, state_path, KIND_RUNC_STATE);
    if (f != FOUND_OK)
        return f;
    char path[PATH_MAX];
    f = join(path, sizeof(path), "%s/config.json", r->bundle) ? read_one(r, path, KIND_OCI)
                                                              : FOUND_BAD;
    free(r->bundle);
    r->bundle = NULL;
    return f == FOUND_MISSING ? FOUND_BAD : f; /* state names a bundle that is not there */
}

/* <task_root>/<namespace>/<id>/config.json, for namespace = ns, or every namespace when NULL. */
static enum found read_task_root(struct reader *r, const char *task_root, const char *ns)
{
    char path[PATH_MAX];
    if (!task_root)
        return FOUND_MISSING;
    if (ns)
        return join(path, sizeof(path), "%s/%s/%s/config.json", task_root, ns, r->id)
                   ? read_one(r, path, KIND_OCI)
                   : FOUND_MISSING;
    DIR *d = opendir(task_root);
    if (!d)
        return FOUND_MISSING;
    enum found f = FOUND_MISSING;
    struct dirent *e;
    unsigned seen = 0;
    while (f == FOUND_MISSING && seen < SCW_META_NAMESPACES_MAX && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        seen++;
        if (join(path, sizeof(path), "%s/%s/%s/config.json", task_root, e->d_name, r->id))
            f = read_one(r, path, KIND_OCI);
    }
    closedir(d);
    return f;
}

static enum found read_docker(struct reader *r, const struct scw_meta_roots *roots)
{
    char path[PATH_MAX], dir[PATH_MAX];
    enum found cfg = FOUND_MISSING, oci = FOUND_MISSING;
    if (roots->docker_data &&
        join(path, sizeof(path), "%s/containers/%s/config.v2.json", roots->docker_data, r->id))
        cfg = read_one(r, path, KIND_DOCKER);
    static const char *const daemon_tasks[] = {"io.containerd.runtime.v2.task",
                                               "io.containerd.runtime.v1.linux"};
    for (size_t i = 0; i < 2 && oci == FOUND_MISSING && roots->docker_exec; i++)
        if (join(dir, sizeof(dir), "%s/containerd/daemon/%s", roots->docker_exec, daemon_tasks[i]))
            oci = read_task_root(r, dir, "moby");
    if (oci == FOUND_MISSING && roots->containerd_state &&
        join(dir, sizeof(dir), "%s/io.containerd.runtime.v2.task", roots->containerd_state))
        oci = read_task_root(r, dir, "moby");
    if (oci == FOUND_MISSING && roots->docker_exec &&
        join(path, sizeof(path), "%s/runtime-runc/moby/%s/state.json", roots->docker_exec, r->id))
        oci = read_via_runc_state(r, path);
    return cfg == FOUND_OK && oci == FOUND_OK             ? FOUND_OK
           : cfg == FOUND_MISSING && oci == FOUND_MISSING ? FOUND_MISSING
                                                          : FOUND_BAD;
}

static enum found read_containerd(struct reader *r, const struct scw_meta_roots *roots)
{
    char dir[PATH_MAX];
    static const char *const tasks[] = {"io.containerd.runtime.v2.task",
                                        "io.containerd.runtime.v1.linux"};
    enum found f = FOUND_MISSING;
    for (size_t i = 0; i < 2 && f == FOUND_MISSING && roots->containerd_state; i++)
        if (join(dir, sizeof(dir), "%s/%s", roots->containerd_state, tasks[i]))
            f = read_task_root(r, dir, NULL);
    for (size_t i = 0; i < 2 && f == FOUND_MISSING && roots->docker_exec; i++)
        if (join(dir, sizeof(dir), "%s/containerd/daemon/%s", roots->docker_exec, tasks[i]))
            f = read_task_root(r, dir, NULL);
    /* Kubernetes' cgroupfs layout looks the same with cri-dockerd: try Docker last. */
    if (f == FOUND_MISSING)
        f = read_docker(r, roots);
    return f;
}

static const char *const storage_drivers[] = {"overlay", "vfs", "btrfs", "zfs"};

/* CRI-O and Podman: <runroot>/<driver>-containers/<id>/userdata/config.json [+ graphroot]. */
static enum found read_storage(struct reader *r, const char *runroot, const char *graphroot)
{
    char path[PATH_MAX];
    enum found f = FOUND_MISSING;
    for (size_t i = 0; i < 4 && f == FOUND_MISSING && runroot; i++)
        if (join(path, sizeof(path), "%s/%s-containers/%s/userdata/config.json", runroot,
                 storage_drivers[i], r->id))
            f = read_one(r, path, KIND_OCI);
    if (graphroot && (!r->c->name || !r->c->image)) {
        enum found g = FOUND_MISSING;
        for (size_t i = 0; i < 4 && g == FOUND_MISSING; i++)
            if (join(path, sizeof(path), "%s/%s-containers/containers.json", graphroot,
                     storage_drivers[i]))
                g = read_one(r, path, KIND_STORAGE);
    }
    return f;
}

int scw_meta_read(const struct scw_meta_roots *roots, const struct scw_cgroup_info *info,
                  struct scw_container *c, struct scw_meta_stats *stats)
{
    struct scw_meta_stats dummy = {0};
    struct reader r = {.stats = stats ? stats : &dummy, .c = c, .id = info->id};
    char buf[PATH_MAX], buf2[PATH_MAX];
    enum found f = FOUND_MISSING;
    if (info->monitor || !info->id[0])
        return SCW_META_COMPLETE;
    switch (info->runtime) {
    case SCW_RUNTIME_DOCKER:
        f = read_docker(&r, roots);
        break;
    case SCW_RUNTIME_CONTAINERD:
        f = read_containerd(&r, roots);
        break;
    case SCW_RUNTIME_CRIO:
        f = read_storage(&r, roots->storage_run, roots->storage_graph);
        break;
    case SCW_RUNTIME_PODMAN:
        if (!info->rootless)
            f = read_storage(&r, roots->storage_run, roots->storage_graph);
        else if (roots->user_run &&
                 join(buf, sizeof(buf), "%s/%u/containers", roots->user_run, info->uid))
            f = read_storage(&r, buf, NULL);
        break;
    case SCW_RUNTIME_RUNC:
        if (!info->rootless && roots->runc_root &&
            join(buf, sizeof(buf), "%s/%s/state.json", roots->runc_root, info->id))
            f = read_via_runc_state(&r, buf);
        else if (info->rootless && roots->user_run &&
                 join(buf2, sizeof(buf2), "%s/%u/runc/%s/state.json", roots->user_run, info->uid,
                      info->id))
            f = read_via_runc_state(&r, buf2);
        break;
    case SCW_RUNTIME_LXC:
    case SCW_RUNTIME_NSPAWN:
    case SCW_RUNTIME_SYSTEMD_UNIT:
    case SCW_RUNTIME_UNKNOWN:
        return SCW_META_COMPLETE; /* nothing in JSON on disk for these */
    case SCW_RUNTIME_MAX:
    case SCW_RUNTIME_INVALID:
        return -EINVAL;
    }
    free(r.bundle);
    if (r.nomem)
        return r.nomem;
    if (f == FOUND_MISSING && !(r.flags & SCW_META_FOUND))
        r.stats->missing++;
    if (f == FOUND_OK)
        r.flags |= SCW_META_COMPLETE;
    return r.flags;
}

/* ---- cache ---- */

struct slot {
    char *key; /* NULL: empty */
    uint64_t hash;
    struct scw_container *c;
    int64_t next_try;
    uint8_t tries;
    bool done;
};

struct scw_meta_cache {
    struct scw_meta_roots roots;
    char *root_copies[7];
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

static bool copy_root(struct scw_meta_cache *mc, size_t i, const char *src, const char **dst)
{
    if (!src)
        return true;
    mc->root_copies[i] = strdup(src);
    *dst = mc->root_copies[i];
    return mc->root_copies[i] != NULL;
}

struct scw_meta_cache *scw_meta_cache_new(const struct scw_meta_roots *roots, size_t max_entries)
{
    struct scw_meta_cache *mc = calloc(1, sizeof(*mc));
    if (!mc)
        return NULL;
    struct scw_meta_roots def;
    scw_meta_roots_default(&def);
    const struct scw_meta_roots *r = roots ? roots : &def;
    mc->max = max_entries ? max_entries : SCW_META_CACHE_DEFAULT;
    if (mc->max > (SIZE_MAX / sizeof(struct slot)) / 4)
        mc->max = (SIZE_MAX / sizeof(struct slot)) / 4;
    mc->cap = 16;
    while (mc->cap < mc->max * 2)
        mc->cap *= 2;
    mc->slots = calloc(mc->cap, sizeof(*mc->slots));
    struct scw_meta_roots *o = &mc->roots;
    if (!mc->slots || !copy_root(mc, 0, r->docker_data, &o->docker_data) ||
        !copy_root(mc, 1, r->docker_exec, &o->docker_exec) ||
        !copy_root(mc, 2, r->containerd_state, &o->containerd_state) ||
        !copy_root(mc, 3, r->storage_run, &o->storage_run) ||
        !copy_root(mc, 4, r->storage_graph, &o->storage_graph) ||
        !copy_root(mc, 5, r->runc_root, &o->runc_root) ||
        !copy_root(mc, 6, r->user_run, &o->user_run)) {
        scw_meta_cache_free(mc);
        return NULL;
    }
    return mc;
}

static void flush(struct scw_meta_cache *mc)
{
    for (size_t i = 0; i < mc->cap; i++) {
        free(mc->slots[i].key);
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
    for (size_t i = 0; i < 7; i++)
        free(mc->root_copies[i]);
    free(mc);
}

/* Which metadata fields are set, as a bit mask (to see whether a retry added any). */
static unsigned fields_set(const struct scw_container *c)
{
    return (c->name ? 1u : 0) | (c->image ? 2u : 0) | (c->pod ? 4u : 0) | (c->namespace ? 8u : 0) |
           (c->k8s_container ? 16u : 0) | (c->profile ? 32u : 0);
}

/* One (re)read of slot s's container, updating its retry state. Returns changed, or -ENOMEM. */
static int reread(struct scw_meta_cache *mc, struct slot *s, const struct scw_cgroup_info *info,
                  int64_t now)
{
    unsigned before = fields_set(s->c);
    int flags = scw_meta_read(&mc->roots, info, s->c, &mc->stats);
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
                rc = reread(mc, s, info, now_sec);
                if (rc < 0)
                    return rc;
                changed = rc > 0;
            }
            *ret = (struct scw_meta_result){s->key, s->c, changed};
            return 0;
        }
        i = (i + 1) & mask;
    }
    if (mc->n >= mc->max) {
        flush(mc);
        mc->stats.flushes++;
        i = (size_t)h & mask;
    }
    struct slot s = {.hash = h};
    s.key = strdup(key);
    if (!s.key)
        return -ENOMEM;
    rc = scw_cgroup_container_new(info, cgroup_path, &s.c);
    if (rc >= 0)
        rc = reread(mc, &s, info, now_sec);
    if (rc < 0) {
        free(s.key);
        scw_container_free(s.c);
        return rc;
    }
    mc->slots[i] = s;
    mc->n++;
    *ret = (struct scw_meta_result){mc->slots[i].key, mc->slots[i].c, true};
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
