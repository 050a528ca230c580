/*
 * attribute: pid cache and cgroup -> workload resolution (see attribute.h).
 *
 * Two bounded tables: pids (open addressing on the pid, rebuilt when exited entries are
 * evicted) and cgroup paths already classified (path -> workload index), so a new pid in a
 * known container costs one /proc read and a string hash, and a known pid costs a probe.
 */
#include "attribute.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "log.h"
#include "runtime_meta.h"

#define W_UNATTRIBUTED (-2) /* pid known, no cgroup: group by executable */
#define W_PENDING      (-1) /* path known, no event yet: the workload is made at first event */

enum pid_state { P_EMPTY, P_ALIVE, P_EXITED };

struct pident {
    int32_t pid;
    int32_t path; /* index into the path table, or W_UNATTRIBUTED */
    uint32_t exited_at;
    uint8_t state;
};

struct pathent {
    char *path;
    int32_t workload; /* aggregate index, or W_PENDING, or W_UNATTRIBUTED */
    bool container;   /* a container's own cgroup (not a host unit, monitor, unknown path) */
};

struct scw_attr {
    struct scw_attr_opts opts;
    struct scw_aggregate *agg; /* borrowed */
    struct scw_meta_cache *meta;
    struct pident *pids;
    size_t pid_cap, pid_used;
    struct pathent *paths;
    size_t path_cap, path_used;
    uint64_t last_sweep;
    bool have_proc_events;
    struct scw_attr_stats st;
    char buf[8192];
    char path[SCW_CGROUP_PATH_MAX + 1];
    char key[SCW_CGROUP_KEY_SIZE];
    char exe_key[SCW_EXE_MAX + 8];
};

static uint64_t now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec;
}

static size_t pow2_at_least(size_t n)
{
    size_t c = 1024;
    while (c < n)
        c *= 2;
    return c;
}

int scw_attr_new(const struct scw_attr_opts *opts, struct scw_attr **ret)
{
    struct scw_attr *a = calloc(1, sizeof(*a));
    if (!a)
        return -ENOMEM;
    if (opts)
        a->opts = *opts;
    if (!a->opts.proc_root)
        a->opts.proc_root = "/proc";
    if (!a->opts.max_pids)
        a->opts.max_pids = 262144;
    if (!a->opts.exited_ttl_sec)
        a->opts.exited_ttl_sec = 30;
    a->pid_cap = pow2_at_least((size_t)a->opts.max_pids * 2);
    a->pids = calloc(a->pid_cap, sizeof(*a->pids));
    a->path_cap = 8192;
    a->paths = calloc(a->path_cap, sizeof(*a->paths));
    a->meta = scw_meta_cache_new(a->opts.meta_roots, 0);
    if (!a->pids || !a->paths || !a->meta) {
        scw_attr_free(a);
        return -ENOMEM;
    }
    *ret = a;
    return 0;
}

void scw_attr_free(struct scw_attr *a)
{
    if (!a)
        return;
    for (size_t i = 0; a->paths && i < a->path_cap; i++)
        free(a->paths[i].path);
    free(a->paths);
    free(a->pids);
    scw_meta_cache_free(a->meta);
    free(a);
}

void scw_attr_set_aggregate(struct scw_attr *a, struct scw_aggregate *agg)
{
    if (a->agg != agg) /* workload indexes belong to one aggregate */
        for (size_t i = 0; i < a->path_cap; i++)
            if (a->paths[i].path)
                a->paths[i].workload = W_PENDING;
    a->agg = agg;
}

/* ---- pid table ---- */

static size_t pid_slot(const struct scw_attr *a, int32_t pid)
{
    return ((uint32_t)pid * 2654435761U) & (a->pid_cap - 1);
}

static struct pident *pid_find(struct scw_attr *a, int32_t pid)
{
    for (size_t i = pid_slot(a, pid);; i = (i + 1) & (a->pid_cap - 1)) {
        if (a->pids[i].state == P_EMPTY)
            return NULL;
        if (a->pids[i].pid == pid)
            return &a->pids[i];
    }
}

static void pid_set(struct scw_attr *a, int32_t pid, int32_t path)
{
    struct pident *e = pid_find(a, pid);
    if (!e) {
        if (a->pid_used >= a->opts.max_pids) {
            a->st.cache_full++;
            return;
        }
        size_t i = pid_slot(a, pid);
        while (a->pids[i].state != P_EMPTY)
            i = (i + 1) & (a->pid_cap - 1);
        e = &a->pids[i];
        a->pid_used++;
    }
    e->pid = pid;
    e->path = path;
    e->state = P_ALIVE;
    e->exited_at = 0;
}

/* Remove slot i, shifting later members of its probe chain back (no tombstones, no
 * allocation: the table's pages stay as they are, so RSS does not grow with sweeps). */
static void pid_delete_at(struct scw_attr *a, size_t i)
{
    size_t mask = a->pid_cap - 1, j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (a->pids[j].state == P_EMPTY)
            break;
        size_t home = pid_slot(a, a->pids[j].pid);
        /* an entry whose home lies cyclically in (i, j] must stay where it is */
        bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (stays)
            continue;
        a->pids[i] = a->pids[j];
        i = j;
    }
    a->pids[i].state = P_EMPTY;
    a->pid_used--;
}

/* Drop exited entries past their ttl (and, without the proc connector, notice exits). */
static void pid_sweep(struct scw_attr *a, uint64_t now)
{
    for (size_t i = 0; i < a->pid_cap;) {
        struct pident *e = &a->pids[i];
        if (e->state == P_EMPTY) {
            i++;
            continue;
        }
        if (!a->have_proc_events && e->state == P_ALIVE && kill(e->pid, 0) < 0 && errno == ESRCH) {
            e->state = P_EXITED;
            e->exited_at = (uint32_t)now;
        }
        if (e->state == P_EXITED && now - e->exited_at >= a->opts.exited_ttl_sec) {
            pid_delete_at(a, i); /* slot i now holds a shifted entry (or is empty): look again */
            a->st.evicted++;
            continue;
        }
        i++;
    }
}

/* ---- cgroup path -> workload ---- */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* The path table slot of a cgroup path (added if new), or W_UNATTRIBUTED when the table is
 * full (the caller then reads /proc again next time). */
static int32_t path_index(struct scw_attr *a, const char *path)
{
    size_t i = hash_str(path) & (a->path_cap - 1);
    for (; a->paths[i].path; i = (i + 1) & (a->path_cap - 1))
        if (strcmp(a->paths[i].path, path) == 0)
            return (int32_t)i;
    if (a->path_used * 2 >= a->path_cap)
        return W_UNATTRIBUTED;
    char *copy = strdup(path);
    if (!copy)
        return W_UNATTRIBUTED;
    struct scw_cgroup_info info;
    a->paths[i].path = copy;
    a->paths[i].workload = W_PENDING;
    a->paths[i].container = scw_cgroup_classify(path, &info) >= 0 && !info.monitor &&
                            scw_runtime_is_container(info.runtime);
    a->path_used++;
    return (int32_t)i;
}

/* Classify a path and find or make its workload (metadata read once per container). */
static int32_t make_workload(struct scw_attr *a, const char *path)
{
    struct scw_cgroup_info info;
    struct scw_meta_result mr;
    if (strcmp(path, "/") == 0 || scw_cgroup_classify(path, &info) < 0)
        return W_UNATTRIBUTED; /* the root cgroup says nothing about the workload */
    if (scw_meta_cache_get(a->meta, path, &info, (int64_t)now_sec(), &mr) < 0)
        return W_UNATTRIBUTED;
    int w = scw_aggregate_workload(a->agg, mr.key, mr.container);
    if (w < 0)
        return W_UNATTRIBUTED;
    if (mr.changed)
        scw_aggregate_set_container(a->agg, (uint32_t)w, mr.container);
    return w;
}

/* The workload of a path table slot, made at its first event. */
static int32_t slot_workload(struct scw_attr *a, int32_t slot)
{
    if (slot < 0)
        return W_UNATTRIBUTED;
    struct pathent *p = &a->paths[slot];
    if (p->workload == W_PENDING)
        p->workload = make_workload(a, p->path);
    return p->workload;
}

/* Read /proc/PID/cgroup. Returns the path slot, W_UNATTRIBUTED (no slot: see ret_path...), or
 * -ESRCH when the process is gone. */
static int32_t read_pid(struct scw_attr *a, int32_t pid)
{
    char file[64];
    snprintf(file, sizeof(file), "%s/%d/cgroup", a->opts.proc_root, (int)pid);
    a->st.proc_reads++;
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        a->st.proc_failures++;
        return -ESRCH;
    }
    ssize_t n = read(fd, a->buf, sizeof(a->buf) - 1);
    close(fd);
    if (n <= 0) {
        a->st.proc_failures++;
        return -ESRCH;
    }
    a->buf[n] = '\0';
    if (scw_cgroup_parse_proc(a->buf, (size_t)n, a->path, sizeof(a->path)) < 0)
        return W_UNATTRIBUTED;
    return path_index(a, a->path);
}

static int resolve_unattributed(struct scw_attr *a, const struct scw_record *r)
{
    scw_aggregate_stats(a->agg)->unattributed++;
    a->st.unattributed++;
    const char *name = r->exe[0] ? r->exe : r->comm[0] ? r->comm : "unknown";
    size_t n = strlen(name);
    memcpy(a->exe_key, "exe:", 4);
    memcpy(a->exe_key + 4, name, n + 1);
    return scw_aggregate_workload(a->agg, a->exe_key, NULL);
}

int scw_attr_resolve(void *ctx, struct scw_aggregate *agg, const struct scw_record *r)
{
    struct scw_attr *a = ctx;
    scw_attr_set_aggregate(a, agg);
    if (r->pid <= 0)
        return resolve_unattributed(a, r);
    struct pident *e = pid_find(a, r->pid);
    int32_t slot;
    if (e) {
        a->st.hits++;
        slot = e->path;
    } else {
        slot = read_pid(a, r->pid);
        if (slot == -ESRCH) {
            slot = W_UNATTRIBUTED; /* gone before we looked, and no fork seen: remember */
            pid_set(a, r->pid, slot);
        } else if (slot >= 0) {
            pid_set(a, r->pid, slot);
        } else {
            /* path table full: the path is in a->path; resolve without caching */
            int32_t w = make_workload(a, a->path);
            return w >= 0 ? w : resolve_unattributed(a, r);
        }
    }
    int32_t w = slot_workload(a, slot);
    return w >= 0 ? w : resolve_unattributed(a, r);
}

void scw_attr_proc_event(void *ctx, const struct scw_proc_event *ev)
{
    struct scw_attr *a = ctx;
    a->have_proc_events = true;
    switch (ev->kind) {
    case SCW_PROC_FORK: {
        if (ev->pid != ev->tid)
            return; /* a new thread of an existing process */
        struct pident *parent = pid_find(a, ev->parent_pid);
        int32_t slot;
        if (parent && parent->path >= 0 && a->paths[parent->path].container) {
            slot = parent->path; /* a container's processes stay in it: inherit, no read */
        } else {
            /* A host process's child may be a runtime's (runc's init stages), moved into a
             * container's cgroup between fork and exec: look while it lives, or it would keep
             * the runtime's cgroup if it exits before its exec is handled. */
            slot = read_pid(a, ev->pid);
            if (slot == -ESRCH)
                slot = parent ? parent->path : read_pid(a, ev->parent_pid);
        }
        if (slot < 0)
            return; /* unknown: looked up at its first record */
        a->st.via_fork++;
        pid_set(a, ev->pid, slot);
        break;
    }
    case SCW_PROC_EXEC: {
        a->st.exec_reads++;
        int32_t slot = read_pid(a, ev->pid);
        if (slot >= 0)
            pid_set(a, ev->pid, slot);
        break;
    }
    case SCW_PROC_EXIT: {
        if (ev->pid != ev->tid)
            return; /* a thread exited, the process lives on */
        struct pident *e = pid_find(a, ev->pid);
        if (e) {
            e->state = P_EXITED;
            e->exited_at = (uint32_t)now_sec();
        }
        break;
    }
    case SCW_PROC_EVENT_MAX:
    case SCW_PROC_EVENT_INVALID:
        break;
    }
}

void scw_attr_tick(struct scw_attr *a, uint64_t now)
{
    if (now - a->last_sweep >= 5) {
        a->last_sweep = now;
        pid_sweep(a, now);
    }
    if (!a->agg)
        return;
    /* containers whose runtime state was not on disk yet at first sight: the meta cache
     * retries with backoff; ask it again for workloads still missing their image */
    size_t n = scw_aggregate_n_workloads(a->agg);
    for (size_t i = 0; i < n; i++) {
        const struct scw_workload *w = scw_aggregate_workload_at(a->agg, i);
        const struct scw_container *c = w->container;
        if (!c || c->image || !c->cgroup || !c->runtime ||
            !scw_runtime_is_container(scw_runtime_from_name(c->runtime)))
            continue;
        struct scw_cgroup_info info;
        struct scw_meta_result mr;
        if (scw_cgroup_classify(c->cgroup, &info) < 0 || info.monitor ||
            scw_meta_cache_get(a->meta, c->cgroup, &info, (int64_t)now, &mr) < 0)
            continue;
        if (mr.changed)
            scw_aggregate_set_container(a->agg, (uint32_t)i, mr.container);
    }
}

void scw_attr_stats(const struct scw_attr *a, struct scw_attr_stats *ret)
{
    *ret = a->st;
    ret->pids = a->pid_used;
}

const struct scw_meta_stats *scw_attr_meta_stats(const struct scw_attr *a)
{
    return scw_meta_cache_stats(a->meta);
}
