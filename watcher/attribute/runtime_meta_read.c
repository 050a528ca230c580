/*
 * runtime_meta_read: where each runtime keeps what, and reading it (scw_meta_read,
 * scw_meta_resolve). See README "Attribution" for the table; in short:
 *   Docker      <data>/containers/<id>/config.v2.json (Name, Config.Image, Config.Labels);
 *               OCI bundle <exec>/containerd/daemon/io.containerd.runtime.v{2.task,1.linux}/
 *               moby/<id>, <containerd>/io.containerd.runtime.v2.task/moby/<id>, or via
 *               <exec>/runtime-runc/moby/<id>/state.json
 *   containerd  <containerd>/io.containerd.runtime.v{2.task,1.linux}/<namespace>/<id>/
 *               config.json; image and labels in <containerd-root>/io.containerd.metadata.v1.bolt/
 *               meta.db (v1/<namespace>/containers/<id>)
 *   Podman      <graphroot>/<driver>-containers/<id>/userdata/config.json (then the run root),
 *               names in <graphroot>/<driver>-containers/containers.json, labels in
 *               <graphroot>/libpod/bolt_state.db; rootless: the graph root in the user's home
 *               (~/.local/share/containers/storage), else <user_run>/<uid>/containers
 *   CRI-O       <runroot>/<driver>-containers/<id>/userdata/config.json (then the graph root)
 *   runc        <runc_root>/<id>/state.json -> bundle label -> <bundle>/config.json
 *   crun        <crun_root>/<id>/status -> "bundle" -> <bundle>/config.json (else crun's copy
 *               <crun_root>/<id>/config.json)
 *   nspawn      the supervisor's /proc/PID/cmdline (found through <cgroup>/.../supervisor/
 *               cgroup.procs) -> --machine, --oci-bundle -> <bundle>/config.json
 *   LXC         nothing (its config is not OCI; the name is in the cgroup)
 * Files are bounded (SCW_META_FILE_MAX), and every failure is counted, not returned: metadata
 * is a bonus on top of the cgroup attribution, never a reason to drop an event.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "readall.h"
#include "runtime_meta.h"
#include "runtime_meta_bolt.h"

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

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

enum kind {
    KIND_OCI,
    KIND_OCI_LABELS, /* annotations are the labels (plain runc, crun, nspawn) */
    KIND_DOCKER,
    KIND_STORAGE,
    KIND_RUNC_STATE,
    KIND_CRUN_STATUS,
    KIND_LIBPOD_DB,
    KIND_CONTAINERD_DB,
    KIND_TEXT, /* kept as it is in r->text (passwd, cgroup.procs, cmdline) */
};

struct reader {
    const struct scw_meta_roots *roots;
    struct scw_meta_stats *stats;
    struct scw_container *c;
    const char *id;
    const char *ns; /* containerd namespace (KIND_CONTAINERD_DB) */
    int flags;      /* SCW_META_* so far */
    int nomem;      /* -ENOMEM seen */
    char *bundle;   /* KIND_RUNC_STATE, KIND_CRUN_STATUS result */
    char *text;     /* KIND_TEXT result */
    size_t text_len;
};

static int parse_libpod_db(const char *data, size_t len, const char *id, struct scw_container *c)
{
    struct scw_bolt db;
    struct scw_bolt_bucket b, ctr, one;
    const uint8_t *v;
    size_t vn;
    int rc = scw_bolt_open(&db, data, len);
    if (rc < 0)
        return rc;
    scw_bolt_root(&db, &b);
    if ((rc = scw_bolt_bucket(&db, &b, "ctr", &ctr)) < 0 ||
        (rc = scw_bolt_bucket(&db, &ctr, id, &one)) < 0 ||
        (rc = scw_bolt_get(&db, &one, "config", &v, &vn)) < 0)
        return rc;
    return scw_meta_parse_libpod_config((const char *)v, vn, c);
}

struct label_walk {
    char **labels;
    size_t n;
};

static int add_label(void *ctx, const uint8_t *k, size_t kn, const uint8_t *v, size_t vn)
{
    struct label_walk *w = ctx;
    if (kn == 0 || kn + vn > SCW_META_STRING_MAX || memchr(k, '=', kn))
        return 0;
    for (size_t i = 0; i < kn + vn; i++) {
        unsigned char ch = i < kn ? k[i] : v[i - kn];
        if (ch < 0x20 || ch == 0x7f)
            return 0;
    }
    char *s = malloc(kn + vn + 2);
    if (!s)
        return -ENOMEM;
    memcpy(s, k, kn);
    s[kn] = '=';
    memcpy(s + kn + 1, v, vn);
    s[kn + 1 + vn] = '\0';
    w->labels[w->n++] = s;
    return 0;
}

/* containerd's meta.db: v1/<ns>/containers/<id>: "image" and the "labels" bucket. */
static int parse_containerd_db(const char *data, size_t len, const char *ns, const char *id,
                               struct scw_container *c)
{
    struct scw_bolt db;
    struct scw_bolt_bucket b, v1, nsb, ctrs, one, lb;
    int rc = scw_bolt_open(&db, data, len);
    if (rc < 0)
        return rc;
    scw_bolt_root(&db, &b);
    if ((rc = scw_bolt_bucket(&db, &b, "v1", &v1)) < 0 ||
        (rc = scw_bolt_bucket(&db, &v1, ns, &nsb)) < 0 ||
        (rc = scw_bolt_bucket(&db, &nsb, "containers", &ctrs)) < 0 ||
        (rc = scw_bolt_bucket(&db, &ctrs, id, &one)) < 0)
        return rc;
    const uint8_t *v;
    size_t vn;
    if (!c->image && scw_bolt_get(&db, &one, "image", &v, &vn) == 0 && vn > 0 &&
        vn <= SCW_META_STRING_MAX && !memchr(v, '\0', vn)) {
        bool ok = true;
        for (size_t i = 0; i < vn; i++)
            ok = ok && v[i] >= 0x20 && v[i] != 0x7f;
        if (ok && !(c->image = strndup((const char *)v, vn)))
            return -ENOMEM;
    }
    if (c->labels || scw_bolt_bucket(&db, &one, "labels", &lb) < 0)
        return 0;
    struct label_walk w = {calloc(SCW_META_LABELS_MAX + 1, sizeof(char *)), 0};
    if (!w.labels)
        return -ENOMEM;
    rc = scw_bolt_foreach(&db, &lb, SCW_META_LABELS_MAX, add_label, &w);
    if (rc == -ENOMEM || w.n == 0) {
        scw_container_labels_free(w.labels);
        return rc == -ENOMEM ? rc : 0;
    }
    c->labels = w.labels;
    return 0;
}

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
    case KIND_OCI_LABELS:
        rc = scw_meta_parse_oci_flags(data, len, path, kind == KIND_OCI_LABELS, r->c);
        if (rc == 1) {
            r->flags |= SCW_META_UNCONFINED;
            rc = 0;
        }
        break;
    case KIND_DOCKER:
        rc = scw_meta_parse_docker(data, len, r->c);
        break;
    case KIND_STORAGE:
    case KIND_LIBPOD_DB:
    case KIND_CONTAINERD_DB:
        rc = kind == KIND_STORAGE     ? scw_meta_parse_storage(data, len, r->id, r->c)
             : kind == KIND_LIBPOD_DB ? parse_libpod_db(data, len, r->id, r->c)
                                      : parse_containerd_db(data, len, r->ns, r->id, r->c);
        if (rc == -ENOENT) { /* read fine, container not listed */
            r->stats->reads++;
            free(data);
            return FOUND_MISSING;
        }
        break;
    case KIND_RUNC_STATE:
    case KIND_CRUN_STATUS:
        free(r->bundle);
        r->bundle = NULL;
        rc = kind == KIND_RUNC_STATE ? scw_meta_parse_runc_state(data, len, &r->bundle)
                                     : scw_meta_parse_crun_status(data, len, &r->bundle);
        if (rc == -ENOENT)
            rc = -EBADMSG; /* a state without its bundle is of no use */
        break;
    case KIND_TEXT:
        free(r->text);
        r->text = data;
        r->text_len = len;
        r->stats->reads++;
        return FOUND_OK;
    }
    free(data);
    if (rc == -ENOMEM) {
        r->nomem = rc;
        return FOUND_BAD;
    }
    if (rc == -EPROTO) {
        r->stats->unsupported++;
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

/* <bundle>/config.json from a runc state.json or crun status. */
static enum found read_via_state(struct reader *r, const char *state_path, enum kind kind,
                                 const char *crun_copy)
{
    enum found f = read_one(r, state_path, kind);
    if (f != FOUND_OK)
        return f;
    char path[PATH_MAX];
    f = join(path, sizeof(path), "%s/config.json", r->bundle) ? read_one(r, path, KIND_OCI_LABELS)
                                                              : FOUND_BAD;
    free(r->bundle);
    r->bundle = NULL;
    if (f == FOUND_MISSING && crun_copy) /* crun keeps its own copy of what it ran */
        f = read_one(r, crun_copy, KIND_OCI_LABELS);
    return f == FOUND_MISSING ? FOUND_BAD : f; /* state names a bundle that is not there */
}

static enum found read_runc(struct reader *r, const char *root)
{
    char path[PATH_MAX];
    if (!root || !join(path, sizeof(path), "%s/%s/state.json", root, r->id))
        return FOUND_MISSING;
    return read_via_state(r, path, KIND_RUNC_STATE, NULL);
}

static enum found read_crun(struct reader *r, const char *root)
{
    char path[PATH_MAX], copy[PATH_MAX];
    if (!root || !join(path, sizeof(path), "%s/%s/status", root, r->id) ||
        !join(copy, sizeof(copy), "%s/%s/config.json", root, r->id))
        return FOUND_MISSING;
    return read_via_state(r, path, KIND_CRUN_STATUS, copy);
}

/* A short name safe as one path component. */
static bool safe_component(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= 256 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '/' || (unsigned char)s[i] < 0x20)
            return false;
    return true;
}

/* <task_root>/<namespace>/<id>/config.json, for namespace = ns, or every namespace when NULL.
 * The namespace it was found in goes to c->runtime_namespace (when unset). */
static enum found read_task_root(struct reader *r, const char *task_root, const char *ns)
{
    char path[PATH_MAX];
    if (!task_root)
        return FOUND_MISSING;
    enum found f = FOUND_MISSING;
    if (ns) {
        f = join(path, sizeof(path), "%s/%s/%s/config.json", task_root, ns, r->id)
                ? read_one(r, path, KIND_OCI)
                : FOUND_MISSING;
    } else {
        DIR *d = opendir(task_root);
        if (!d)
            return FOUND_MISSING;
        struct dirent *e;
        unsigned seen = 0;
        while (f == FOUND_MISSING && seen < SCW_META_NAMESPACES_MAX && (e = readdir(d))) {
            if (e->d_name[0] == '.' || !safe_component(e->d_name))
                continue;
            seen++;
            if (join(path, sizeof(path), "%s/%s/%s/config.json", task_root, e->d_name, r->id) &&
                (f = read_one(r, path, KIND_OCI)) != FOUND_MISSING && !r->c->runtime_namespace &&
                !(r->c->runtime_namespace = strdup(e->d_name)))
                r->nomem = -ENOMEM;
        }
        closedir(d);
    }
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
        oci = read_via_state(r, path, KIND_RUNC_STATE, NULL);
    return cfg == FOUND_OK && oci == FOUND_OK             ? FOUND_OK
           : cfg == FOUND_MISSING && oci == FOUND_MISSING ? FOUND_MISSING
                                                          : FOUND_BAD;
}

static enum found read_containerd(struct reader *r, const struct scw_meta_roots *roots,
                                  const char *ns)
{
    char dir[PATH_MAX];
    static const char *const tasks[] = {"io.containerd.runtime.v2.task",
                                        "io.containerd.runtime.v1.linux"};
    enum found f = FOUND_MISSING;
    for (size_t i = 0; i < 2 && f == FOUND_MISSING && roots->containerd_state; i++)
        if (join(dir, sizeof(dir), "%s/%s", roots->containerd_state, tasks[i]))
            f = read_task_root(r, dir, ns);
    /* image and labels: containerd's metadata store, in the namespace the task was found in */
    r->ns = ns ? ns : r->c->runtime_namespace;
    if (f != FOUND_MISSING && r->ns && roots->containerd_root &&
        join(dir, sizeof(dir), "%s/io.containerd.metadata.v1.bolt/meta.db", roots->containerd_root))
        read_one(r, dir, KIND_CONTAINERD_DB);
    for (size_t i = 0; i < 2 && f == FOUND_MISSING && roots->docker_exec; i++)
        if (join(dir, sizeof(dir), "%s/containerd/daemon/%s", roots->docker_exec, tasks[i]))
            f = read_task_root(r, dir, ns);
    /* Kubernetes' cgroupfs layout looks the same with cri-dockerd: try Docker last. */
    if (f == FOUND_MISSING && !ns)
        f = read_docker(r, roots);
    return f;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The "<driver>-containers" folders of a containers-storage root, sorted; counts an
 * unreadable root. Returns how many (names malloc'd into out). */
static size_t storage_drivers(struct reader *r, const char *root, char **out)
{
    DIR *d = opendir(root);
    if (!d) {
        if (errno != ENOENT && errno != ENOTDIR)
            r->stats->unreadable++;
        return 0;
    }
    size_t n = 0;
    struct dirent *e;
    while (n < SCW_META_DRIVERS_MAX && (e = readdir(d))) {
        size_t l = strlen(e->d_name), k = strlen("-containers");
        if (l <= k || strcmp(e->d_name + l - k, "-containers") != 0 || !safe_component(e->d_name))
            continue;
        if (!(out[n] = strdup(e->d_name))) {
            r->nomem = -ENOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    qsort(out, n, sizeof(*out), cmp_names);
    return n;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
}

/* <root>/<driver>-containers/<id>/userdata/config.json, whatever the driver. */
static enum found read_userdata(struct reader *r, const char *root)
{
    char *drivers[SCW_META_DRIVERS_MAX];
    char path[PATH_MAX];
    enum found f = FOUND_MISSING;
    size_t n = root ? storage_drivers(r, root, drivers) : 0;
    for (size_t i = 0; i < n && f == FOUND_MISSING; i++)
        if (join(path, sizeof(path), "%s/%s/%s/userdata/config.json", root, drivers[i], r->id))
            f = read_one(r, path, KIND_OCI);
    free_names(drivers, n);
    return f;
}

/*
 * CRI-O and Podman: config.json in the userdata of the run root (CRI-O) or the graph root
 * (Podman), then names from the graph root's containers.json and labels from libpod's BoltDB.
 */
static enum found read_storage(struct reader *r, const char *runroot, const char *graphroot,
                               bool graph_first)
{
    enum found f = read_userdata(r, graph_first ? graphroot : runroot);
    if (f == FOUND_MISSING)
        f = read_userdata(r, graph_first ? runroot : graphroot);
    if (!graphroot)
        return f;
    char *drivers[SCW_META_DRIVERS_MAX];
    char path[PATH_MAX];
    if (!r->c->name || !r->c->image) {
        enum found g = FOUND_MISSING;
        size_t n = storage_drivers(r, graphroot, drivers);
        for (size_t i = 0; i < n && g == FOUND_MISSING; i++)
            if (join(path, sizeof(path), "%s/%s/containers.json", graphroot, drivers[i]))
                g = read_one(r, path, KIND_STORAGE);
        free_names(drivers, n);
    }
    if (graph_first && !r->c->labels &&
        join(path, sizeof(path), "%s/libpod/bolt_state.db", graphroot))
        read_one(r, path, KIND_LIBPOD_DB);
    return f;
}

/* A rootless user's home from the passwd file (by uid, or by name when uid is unknown). */
static char *user_home(struct reader *r, const char *name, uint32_t uid, uint32_t *ret_uid)
{
    char *home = NULL;
    uint32_t u = 0;
    if (!r->roots->passwd)
        return NULL;
    if (read_one(r, r->roots->passwd, KIND_TEXT) != FOUND_OK) {
        r->stats->no_user++;
        return NULL;
    }
    int rc =
        scw_meta_parse_passwd(r->text, r->text_len, name && name[0] ? name : NULL, uid, &u, &home);
    free(r->text);
    r->text = NULL;
    if (rc == -ENOMEM)
        r->nomem = rc;
    if (rc < 0) {
        r->stats->no_user++;
        return NULL;
    }
    if (ret_uid)
        *ret_uid = u;
    return home;
}

/* Rootless Podman: the graph root in the user's home, else the run root in user_run. */
static enum found read_podman_rootless(struct reader *r, const struct scw_cgroup_info *info)
{
    char graph[PATH_MAX], run[PATH_MAX];
    uint32_t uid = info->uid;
    char *home = user_home(r, info->user, info->uid, &uid);
    bool have_graph = false;
    if (home && !exists(home))
        r->stats->no_user++; /* the user's home vanished: the cgroup attribution stays */
    else if (home)
        have_graph = join(graph, sizeof(graph), "%s/.local/share/containers/storage", home);
    free(home);
    bool have_run = uid != SCW_CGROUP_UID_UNKNOWN && r->roots->user_run &&
                    join(run, sizeof(run), "%s/%u/containers", r->roots->user_run, uid);
    return read_storage(r, have_run ? run : NULL, have_graph ? graph : NULL, true);
}

/*
 * The command line of the nspawn supervisor next to a payload: <cgroup_fs>{/unified,/systemd,}
 * <base>/supervisor/cgroup.procs -> its pid -> <proc>/<pid>/cmdline. Returns the parsed name
 * and bundle (caller frees), or -ENOENT.
 */
static int nspawn_supervisor(struct reader *r, const char *cgroup, char **ret_name,
                             char **ret_bundle)
{
    const struct scw_meta_roots *roots = r->roots;
    if (!roots->cgroup_fs || !roots->proc || !cgroup)
        return -ENOENT;
    size_t n = strlen(cgroup), base = n;
    bool found = false;
    for (size_t i = n; i-- > 0 && !found;) {
        if (cgroup[i] != '/')
            continue;
        const char *c = cgroup + i + 1;
        size_t cl = strcspn(c, "/");
        if ((cl == 7 && memcmp(c, "payload", 7) == 0) ||
            (cl == 10 && memcmp(c, "supervisor", 10) == 0)) {
            base = i;
            found = true;
        } else if (strncmp(c, "systemd-nspawn@", 15) == 0) {
            base = i + 1 + cl;
            found = true;
        }
    }
    if (!found)
        return -ENOENT;
    static const char *const mounts[] = {"/unified", "/systemd", ""};
    char path[PATH_MAX];
    long pid = -1;
    for (size_t m = 0; m < 3 && pid < 0; m++) {
        if (!join(path, sizeof(path), "%s%s%.*s/supervisor/cgroup.procs", roots->cgroup_fs,
                  mounts[m], (int)base, cgroup) ||
            read_one(r, path, KIND_TEXT) != FOUND_OK)
            continue;
        char *end = NULL;
        long v = r->text_len ? strtol(r->text, &end, 10) : -1;
        if (end && end != r->text && v > 0 && v <= INT32_MAX)
            pid = v;
        free(r->text);
        r->text = NULL;
    }
    if (pid < 0 || !join(path, sizeof(path), "%s/%ld/cmdline", roots->proc, pid) ||
        read_one(r, path, KIND_TEXT) != FOUND_OK)
        return -ENOENT;
    int rc = scw_meta_parse_nspawn_cmdline(r->text, r->text_len, ret_name, ret_bundle);
    free(r->text);
    r->text = NULL;
    if (rc == -ENOMEM)
        r->nomem = rc;
    return rc;
}

static enum found read_nspawn(struct reader *r)
{
    char *name = NULL, *bundle = NULL;
    if (!r->roots->cgroup_fs || !r->roots->proc)
        return FOUND_OK; /* nothing to look at: complete */
    if (nspawn_supervisor(r, r->c->cgroup, &name, &bundle) < 0)
        return FOUND_MISSING;
    if (!r->c->name)
        r->c->name = name, name = NULL;
    free(name);
    r->flags |= SCW_META_FOUND;
    enum found f = FOUND_OK; /* a booted machine (no bundle): nothing more to read */
    char path[PATH_MAX];
    if (bundle && join(path, sizeof(path), "%s/config.json", bundle))
        f = read_one(r, path, KIND_OCI_LABELS);
    free(bundle);
    return f == FOUND_MISSING ? FOUND_BAD : f;
}

int scw_meta_read(const struct scw_meta_roots *roots, const struct scw_cgroup_info *info,
                  struct scw_container *c, struct scw_meta_stats *stats)
{
    struct scw_meta_stats dummy = {0};
    struct reader r = {.roots = roots, .stats = stats ? stats : &dummy, .c = c, .id = info->id};
    char buf[PATH_MAX];
    enum found f = FOUND_MISSING;
    if (info->monitor || (!info->id[0] && info->runtime != SCW_RUNTIME_NSPAWN))
        return SCW_META_COMPLETE;
    bool user_known = info->uid != SCW_CGROUP_UID_UNKNOWN;
    switch (info->runtime) {
    case SCW_RUNTIME_DOCKER:
        f = read_docker(&r, roots);
        break;
    case SCW_RUNTIME_CONTAINERD:
        f = read_containerd(&r, roots, info->runtime_ns[0] ? info->runtime_ns : NULL);
        break;
    case SCW_RUNTIME_CRIO:
        f = read_storage(&r, roots->storage_run, roots->storage_graph, false);
        break;
    case SCW_RUNTIME_PODMAN:
        f = info->rootless ? read_podman_rootless(&r, info)
                           : read_storage(&r, roots->storage_run, roots->storage_graph, true);
        break;
    case SCW_RUNTIME_RUNC:
    case SCW_RUNTIME_CRUN: {
        bool crun = info->runtime == SCW_RUNTIME_CRUN;
        const char *root = crun ? roots->crun_root : roots->runc_root;
        if (info->rootless)
            root = user_known && roots->user_run &&
                           join(buf, sizeof(buf), "%s/%u/%s", roots->user_run, info->uid,
                                crun ? "crun" : "runc")
                       ? buf
                       : NULL;
        f = crun ? read_crun(&r, root) : read_runc(&r, root);
        break;
    }
    case SCW_RUNTIME_NSPAWN:
        f = read_nspawn(&r);
        break;
    case SCW_RUNTIME_LXC:
    case SCW_RUNTIME_SYSTEMD_UNIT:
    case SCW_RUNTIME_UNKNOWN:
        return SCW_META_COMPLETE; /* nothing in JSON on disk for these */
    case SCW_RUNTIME_MAX:
    case SCW_RUNTIME_INVALID:
        return -EINVAL;
    }
    free(r.bundle);
    free(r.text);
    if (r.nomem)
        return r.nomem;
    if (f == FOUND_MISSING && !(r.flags & SCW_META_FOUND))
        r.stats->missing++;
    if (f == FOUND_OK)
        r.flags |= SCW_META_COMPLETE;
    /* ctr names a container by its id (nerdctl's name label, a CRI container name win) */
    if (info->runtime == SCW_RUNTIME_CONTAINERD && info->runtime_ns[0] &&
        (r.flags & SCW_META_FOUND) && !c->name && !(c->name = strdup(info->id)))
        return -ENOMEM;
    return r.flags;
}

/* ---- resolve: what the path alone cannot tell ---- */

/* "/<a>/<b>" with two plain components: a containerd namespace and id when its task exists. */
static void resolve_containerd(struct reader *r, const char *path, struct scw_cgroup_info *info)
{
    const char *a = path + 1, *slash = strchr(a, '/');
    if (!slash || strchr(slash + 1, '/') || !r->roots->containerd_state)
        return;
    char ns[SCW_CGROUP_NS_SIZE], id[SCW_CGROUP_ID_SIZE], dir[PATH_MAX];
    size_t an = (size_t)(slash - a), bn = strlen(slash + 1);
    if (an == 0 || an >= sizeof(ns) || bn == 0 || bn >= sizeof(id))
        return;
    memcpy(ns, a, an);
    ns[an] = '\0';
    memcpy(id, slash + 1, bn + 1);
    if (!safe_component(ns) || !safe_component(id))
        return;
    static const char *const tasks[] = {"io.containerd.runtime.v2.task",
                                        "io.containerd.runtime.v1.linux"};
    for (size_t i = 0; i < 2; i++) {
        if (!join(dir, sizeof(dir), "%s/%s/%s/%s", r->roots->containerd_state, tasks[i], ns, id) ||
            !exists(dir))
            continue;
        info->runtime = SCW_RUNTIME_CONTAINERD;
        memcpy(info->id, id, bn + 1);
        memcpy(info->runtime_ns, ns, an + 1);
        return;
    }
}

int scw_meta_resolve(const struct scw_meta_roots *roots, const char *cgroup_path,
                     struct scw_cgroup_info *info, struct scw_meta_stats *stats)
{
    if (!roots || !info || !cgroup_path || cgroup_path[0] != '/')
        return -EINVAL;
    struct scw_meta_stats dummy = {0};
    struct reader r = {.roots = roots, .stats = stats ? stats : &dummy, .id = info->id};
    char a[PATH_MAX], b[PATH_MAX];
    if (info->rootless && info->uid == SCW_CGROUP_UID_UNKNOWN && info->user[0] &&
        (info->runtime == SCW_RUNTIME_PODMAN || info->runtime == SCW_RUNTIME_RUNC)) {
        uint32_t uid;
        char *home = user_home(&r, info->user, 0, &uid);
        if (home)
            info->uid = uid;
        free(home);
    }
    bool user_known = info->uid != SCW_CGROUP_UID_UNKNOWN;
    switch (info->runtime) {
    case SCW_RUNTIME_RUNC: {
        /* crun and runc both default to "/<id>": whose state is there? */
        const char *crun = roots->crun_root, *runc = roots->runc_root;
        char cr[PATH_MAX], rr[PATH_MAX];
        if (info->rootless) {
            bool ok = user_known && roots->user_run &&
                      join(cr, sizeof(cr), "%s/%u/crun", roots->user_run, info->uid) &&
                      join(rr, sizeof(rr), "%s/%u/runc", roots->user_run, info->uid);
            crun = ok ? cr : NULL;
            runc = ok ? rr : NULL;
        }
        if (crun && join(a, sizeof(a), "%s/%s/status", crun, info->id) && exists(a) &&
            !(runc && join(b, sizeof(b), "%s/%s/state.json", runc, info->id) && exists(b)))
            info->runtime = SCW_RUNTIME_CRUN;
        break;
    }
    case SCW_RUNTIME_UNKNOWN:
        resolve_containerd(&r, cgroup_path, info);
        break;
    case SCW_RUNTIME_NSPAWN: {
        char *name = NULL, *bundle = NULL;
        if (info->id[0] || nspawn_supervisor(&r, cgroup_path, &name, &bundle) < 0)
            break;
        if (strlen(name) < sizeof(info->id) && safe_component(name))
            memcpy(info->id, name, strlen(name) + 1);
        free(name);
        free(bundle);
        break;
    }
    case SCW_RUNTIME_DOCKER:
    case SCW_RUNTIME_CONTAINERD:
    case SCW_RUNTIME_CRIO:
    case SCW_RUNTIME_PODMAN:
    case SCW_RUNTIME_CRUN:
    case SCW_RUNTIME_LXC:
    case SCW_RUNTIME_SYSTEMD_UNIT:
        break;
    case SCW_RUNTIME_MAX:
    case SCW_RUNTIME_INVALID:
        return -EINVAL;
    }
    free(r.text);
    return 0;
}
