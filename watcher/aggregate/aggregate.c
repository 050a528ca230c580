/*
 * aggregate: the counting table behind every report and state file.
 *
 * Three bounded tables: interned strings (executables), workloads (by key) and entries (by
 * workload, arch, syscall, code). Lookups are open-addressing hash probes over index arrays;
 * storage arrays grow by doubling, so a warm (workload, syscall) costs a hash and a compare.
 * Sorting for reports happens once, in scw_aggregate_view(). No I/O here. A workload is found
 * by (node, key); the node table itself is aggregate_node.c's, the time grid of the entries'
 * buckets aggregate_time.c's.
 */
#include "aggregate.h"
#include "aggregate_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Word-at-a-time multiplicative hash: one multiply per 8 bytes instead of one per byte. */
static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ len;
    uint64_t w;
    for (; len >= 8; s += 8, len -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    if (len) {
        w = 0;
        memcpy(&w, s, len);
        h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
    }
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    return h ^ (h >> 32);
}

static uint64_t hash_entry(uint32_t w, uint32_t arch, uint32_t nr, uint32_t code)
{
    uint64_t h = ((uint64_t)w << 32 | arch) * 0x9e3779b97f4a7c15ULL;
    h ^= ((uint64_t)nr << 32 | code) + 0x7f4a7c15ULL + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 33);
}

static char *xstrdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

struct scw_container *scw_container_dup(const struct scw_container *c)
{
    if (!c)
        return NULL;
    struct scw_container *d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    d->runtime = xstrdup(c->runtime);
    d->id = xstrdup(c->id);
    d->runtime_namespace = xstrdup(c->runtime_namespace);
    d->name = xstrdup(c->name);
    d->image = xstrdup(c->image);
    d->cgroup = xstrdup(c->cgroup);
    d->pod = xstrdup(c->pod);
    d->namespace = xstrdup(c->namespace);
    d->pod_uid = xstrdup(c->pod_uid);
    d->k8s_container = xstrdup(c->k8s_container);
    d->profile = xstrdup(c->profile);
    d->profile_kept = xstrdup(c->profile_kept);
    if (c->labels) {
        size_t n = 0;
        while (c->labels[n])
            n++;
        d->labels = calloc(n + 1, sizeof(*d->labels));
        for (size_t i = 0; d->labels && i < n; i++)
            d->labels[i] = xstrdup(c->labels[i]);
    }
    return d;
}

void scw_container_free(struct scw_container *c)
{
    if (!c)
        return;
    free(c->runtime);
    free(c->id);
    free(c->runtime_namespace);
    free(c->name);
    free(c->image);
    free(c->cgroup);
    free(c->pod);
    free(c->namespace);
    free(c->pod_uid);
    free(c->k8s_container);
    free(c->profile);
    free(c->profile_kept);
    scw_container_labels_free(c->labels);
    free(c);
}

void scw_container_labels_free(char **labels)
{
    for (size_t i = 0; labels && labels[i]; i++)
        free(labels[i]);
    free(labels);
}

const struct scw_agg_limits *scw_aggregate_limits(const struct scw_aggregate *agg)
{
    return &agg->limits;
}

struct scw_aggregate *scw_aggregate_new(const struct scw_agg_limits *limits)
{
    struct scw_aggregate *agg = calloc(1, sizeof(*agg));
    if (!agg)
        return NULL;
    agg->limits.max_workloads = 10000;
    agg->limits.max_entries = 1000000;
    agg->limits.max_strings = 65536;
    agg->self = -1;
    if (limits) {
        if (limits->max_workloads)
            agg->limits.max_workloads = limits->max_workloads;
        if (limits->max_entries)
            agg->limits.max_entries = limits->max_entries;
        if (limits->max_strings)
            agg->limits.max_strings = limits->max_strings;
    }
    return agg;
}

void scw_aggregate_free(struct scw_aggregate *agg)
{
    if (!agg)
        return;
    for (size_t i = 0; i < agg->n_strings; i++)
        free(agg->strings[i]);
    free(agg->strings);
    free(agg->string_index.slots);
    for (size_t i = 0; i < agg->n_workloads; i++) {
        free(agg->workloads[i].key);
        scw_container_free(agg->workloads[i].container);
    }
    free(agg->workloads);
    free(agg->workload_index.slots);
    free(agg->entries);
    free(agg->entry_index.slots);
    aggregate_nodes_free(agg);
    free(agg);
}

struct scw_input_stats *scw_aggregate_stats(struct scw_aggregate *agg)
{
    return &agg->stats;
}

const struct scw_agg_drops *scw_aggregate_drops(const struct scw_aggregate *agg)
{
    return &agg->drops;
}

/* Grow a storage array to hold at least n + 1 elements. */
static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 64;
    void *p = realloc(*arr, ncap * elem);
    if (!p)
        return -ENOMEM;
    *arr = p;
    *cap = ncap;
    return 0;
}

/* Rebuild an index at twice the size when it would pass half full. hashf(agg, i) hashes
 * element i. */
typedef uint64_t (*elem_hash_fn)(const struct scw_aggregate *agg, size_t i);

static int index_reserve(const struct scw_aggregate *agg, struct index *ix, size_t n,
                         elem_hash_fn hashf)
{
    if (ix->cap && (n + 1) * 2 <= ix->cap)
        return 0;
    size_t ncap = ix->cap ? ix->cap * 2 : 256;
    while ((n + 1) * 2 > ncap)
        ncap *= 2;
    uint32_t *slots = calloc(ncap, sizeof(*slots));
    if (!slots)
        return -ENOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t s = hashf(agg, i) & (ncap - 1);
        while (slots[s])
            s = (s + 1) & (ncap - 1);
        slots[s] = (uint32_t)i + 1;
    }
    free(ix->slots);
    ix->slots = slots;
    ix->cap = ncap;
    return 0;
}

static uint64_t string_hash_at(const struct scw_aggregate *agg, size_t i)
{
    return hash_bytes(agg->strings[i], strlen(agg->strings[i]));
}

static uint64_t workload_hash(uint32_t node, const char *key, size_t len)
{
    return hash_bytes(key, len) ^ ((uint64_t)node * 0x9e3779b97f4a7c15ULL);
}

static uint64_t workload_hash_at(const struct scw_aggregate *agg, size_t i)
{
    const struct scw_workload *w = &agg->workloads[i];
    return workload_hash(w->node, w->key, strlen(w->key));
}

static uint64_t entry_hash_at(const struct scw_aggregate *agg, size_t i)
{
    const struct scw_agg_entry *e = &agg->entries[i];
    return hash_entry(e->workload, e->arch, e->syscall, e->code);
}

/* Intern s; a drop (the table is full) is counted for node (UINT32_MAX: the totals only). */
static uint32_t intern_on(struct scw_aggregate *agg, uint32_t node, const char *s, size_t len)
{
    uint64_t h = hash_bytes(s, len);
    if (agg->string_index.cap) {
        size_t i = h & (agg->string_index.cap - 1);
        uint32_t v;
        while ((v = agg->string_index.slots[i])) {
            const char *t = agg->strings[v - 1];
            if (strncmp(t, s, len) == 0 && t[len] == '\0')
                return v;
            i = (i + 1) & (agg->string_index.cap - 1);
        }
    }
    if (agg->n_strings >= agg->limits.max_strings ||
        index_reserve(agg, &agg->string_index, agg->n_strings, string_hash_at) < 0 ||
        grow((void **)&agg->strings, &agg->cap_strings, agg->n_strings, sizeof(char *)) < 0) {
        aggregate_drop(agg, node, AGG_DROP_STRINGS, 1);
        return 0;
    }
    char *copy = strndup(s, len);
    if (!copy) {
        aggregate_drop(agg, node, AGG_DROP_STRINGS, 1);
        return 0;
    }
    agg->strings[agg->n_strings] = copy;
    size_t i = h & (agg->string_index.cap - 1);
    while (agg->string_index.slots[i])
        i = (i + 1) & (agg->string_index.cap - 1);
    agg->string_index.slots[i] = (uint32_t)++agg->n_strings;
    return (uint32_t)agg->n_strings;
}

uint32_t scw_aggregate_intern(struct scw_aggregate *agg, const char *s, size_t len)
{
    return intern_on(agg, agg->self >= 0 ? (uint32_t)agg->self : UINT32_MAX, s, len);
}

const char *scw_aggregate_string(const struct scw_aggregate *agg, uint32_t id)
{
    return id >= 1 && id <= agg->n_strings ? agg->strings[id - 1] : NULL;
}

int scw_aggregate_workload_on(struct scw_aggregate *agg, uint32_t node, const char *key,
                              const struct scw_container *container)
{
    if (node >= agg->n_nodes)
        return -EINVAL;
    size_t len = strlen(key);
    uint64_t h = workload_hash(node, key, len);
    if (agg->workload_index.cap) {
        size_t i = h & (agg->workload_index.cap - 1);
        uint32_t v;
        while ((v = agg->workload_index.slots[i])) {
            const struct scw_workload *w = &agg->workloads[v - 1];
            if (w->node == node && strcmp(w->key, key) == 0)
                return (int)(v - 1);
            i = (i + 1) & (agg->workload_index.cap - 1);
        }
    }
    if (agg->n_workloads >= agg->limits.max_workloads) {
        aggregate_drop(agg, node, AGG_DROP_WORKLOADS, 1);
        return -ENOSPC;
    }
    if (index_reserve(agg, &agg->workload_index, agg->n_workloads, workload_hash_at) < 0 ||
        grow((void **)&agg->workloads, &agg->cap_workloads, agg->n_workloads,
             sizeof(struct scw_workload)) < 0)
        return -ENOMEM;
    struct scw_workload *w = &agg->workloads[agg->n_workloads];
    memset(w, 0, sizeof(*w));
    w->node = node;
    w->key = strdup(key);
    if (!w->key)
        return -ENOMEM;
    if (container && !(w->container = scw_container_dup(container))) {
        free(w->key);
        return -ENOMEM;
    }
    size_t i = h & (agg->workload_index.cap - 1);
    while (agg->workload_index.slots[i])
        i = (i + 1) & (agg->workload_index.cap - 1);
    agg->workload_index.slots[i] = (uint32_t)++agg->n_workloads;
    agg->nodes[node].workloads++;
    return (int)(agg->n_workloads - 1);
}

int scw_aggregate_workload(struct scw_aggregate *agg, const char *key,
                           const struct scw_container *container)
{
    int self = agg->self >= 0 ? agg->self : aggregate_self_node(agg);
    if (self < 0)
        return self;
    return scw_aggregate_workload_on(agg, (uint32_t)self, key, container);
}

int scw_aggregate_set_container(struct scw_aggregate *agg, uint32_t workload,
                                const struct scw_container *container)
{
    if (workload >= agg->n_workloads)
        return -EINVAL;
    struct scw_container *c = scw_container_dup(container);
    if (container && !c)
        return -ENOMEM;
    scw_container_free(agg->workloads[workload].container);
    agg->workloads[workload].container = c;
    return 0;
}

static int find_or_add_entry(struct scw_aggregate *agg, uint32_t w, uint32_t arch, uint32_t nr,
                             uint32_t code, struct scw_agg_entry **ret)
{
    uint64_t h = hash_entry(w, arch, nr, code);
    if (agg->entry_index.cap) {
        size_t i = h & (agg->entry_index.cap - 1);
        uint32_t v;
        while ((v = agg->entry_index.slots[i])) {
            struct scw_agg_entry *e = &agg->entries[v - 1];
            if (e->workload == w && e->arch == arch && e->syscall == nr && e->code == code) {
                *ret = e;
                return 0;
            }
            i = (i + 1) & (agg->entry_index.cap - 1);
        }
    }
    if (agg->n_entries >= agg->limits.max_entries) {
        aggregate_drop(agg, agg->workloads[w].node, AGG_DROP_ENTRIES, 1);
        return -ENOSPC;
    }
    if (index_reserve(agg, &agg->entry_index, agg->n_entries, entry_hash_at) < 0 ||
        grow((void **)&agg->entries, &agg->cap_entries, agg->n_entries,
             sizeof(struct scw_agg_entry)) < 0)
        return -ENOMEM;
    struct scw_agg_entry *e = &agg->entries[agg->n_entries];
    memset(e, 0, sizeof(*e));
    e->workload = w;
    e->arch = arch;
    e->syscall = nr;
    e->code = code;
    size_t i = h & (agg->entry_index.cap - 1);
    while (agg->entry_index.slots[i])
        i = (i + 1) & (agg->entry_index.cap - 1);
    agg->entry_index.slots[i] = (uint32_t)++agg->n_entries;
    *ret = e;
    return 1;
}

static bool time_before(int64_t s1, uint32_t m1, int64_t s2, uint32_t m2)
{
    return s1 < s2 || (s1 == s2 && m1 < m2);
}

/* Widen [first, last] with a time; times of 0 (unknown) are ignored. */
static void widen(int64_t *fs, uint32_t *fm, int64_t *ls, uint32_t *lm, int64_t s, uint32_t m)
{
    if (s == 0 && m == 0)
        return;
    if (*fs == 0 || time_before(s, m, *fs, *fm)) {
        *fs = s;
        *fm = m;
    }
    if (time_before(*ls, *lm, s, m)) {
        *ls = s;
        *lm = m;
    }
}

/* Widen a node's span of records with a workload's (seconds; 0 unknown). */
static void node_span(struct scw_aggregate *agg, const struct scw_workload *w)
{
    struct scw_agg_node *n = &agg->nodes[w->node];
    if (w->first_sec && (!n->first_sec || w->first_sec < n->first_sec))
        n->first_sec = w->first_sec;
    if (w->last_sec > n->last_sec)
        n->last_sec = w->last_sec;
}

/* Add id to a small set; returns false when the set is full and id is not in it. */
static bool set_add(uint32_t *set, uint8_t *n, unsigned cap, uint32_t id)
{
    for (unsigned i = 0; i < *n; i++)
        if (set[i] == id)
            return true;
    if (*n >= cap)
        return false;
    set[(*n)++] = id;
    return true;
}

static void entry_add_pid(struct scw_agg_entry *e, int32_t pid)
{
    if (pid < 0)
        return;
    for (unsigned i = 0; i < e->n_pids; i++)
        if (e->pids[i] == pid)
            return;
    if (e->n_pids < SCW_ENTRY_PIDS)
        e->pids[e->n_pids++] = pid;
    else
        e->pids_truncated = true;
}

static void entry_add_exe(struct scw_aggregate *agg, struct scw_agg_entry *e, uint32_t id)
{
    struct scw_workload *w = &agg->workloads[e->workload];
    if (!id)
        return;
    if (!set_add(e->exes, &e->n_exes, SCW_ENTRY_EXES, id))
        e->exes_truncated = true;
    if (!set_add(w->exes, &w->n_exes, SCW_WORKLOAD_EXES, id))
        w->exes_truncated = true;
}

int scw_aggregate_add(struct scw_aggregate *agg, uint32_t workload, const struct scw_record *r)
{
    struct scw_agg_entry *e;
    if (workload >= agg->n_workloads)
        return -EINVAL;
    int rc = find_or_add_entry(agg, workload, r->arch, r->syscall, r->code, &e);
    if (rc < 0)
        return rc;
    struct scw_workload *w = &agg->workloads[workload];
    e->count++;
    w->events++;
    widen(&e->first_sec, &e->first_msec, &e->last_sec, &e->last_msec, r->ts_sec, r->ts_msec);
    widen(&w->first_sec, &w->first_msec, &w->last_sec, &w->last_msec, r->ts_sec, r->ts_msec);
    aggregate_time_add(agg, e, r->ts_sec, r->ts_msec);
    node_span(agg, w);
    entry_add_pid(e, r->pid);
    if (!r->exe[0] || (e->exes_truncated && w->exes_truncated))
        return 0;
    /* usually the entry already holds this executable: find it without hashing */
    for (unsigned i = 0; i < e->n_exes; i++)
        if (strcmp(agg->strings[e->exes[i] - 1], r->exe) == 0) {
            if (!set_add(w->exes, &w->n_exes, SCW_WORKLOAD_EXES, e->exes[i]))
                w->exes_truncated = true;
            return 0;
        }
    {
        /* records come in bursts from one process: try the last executable first */
        uint32_t id = agg->last_exe;
        if (!id || strcmp(agg->strings[id - 1], r->exe) != 0)
            id = agg->last_exe = intern_on(agg, w->node, r->exe, strlen(r->exe));
        entry_add_exe(agg, e, id);
    }
    return 0;
}

int scw_aggregate_merge(struct scw_aggregate *agg, const struct scw_agg_entry *in,
                        const char *const *exes, size_t n_exes, const struct scw_agg_grid *grid)
{
    struct scw_agg_entry *e;
    if (in->workload >= agg->n_workloads || aggregate_time_check(in->buckets, grid, in->count) < 0)
        return -EINVAL;
    int rc = find_or_add_entry(agg, in->workload, in->arch, in->syscall, in->code, &e);
    if (rc < 0)
        return rc;
    struct scw_workload *w = &agg->workloads[in->workload];
    e->count += in->count;
    w->events += in->count;
    widen(&e->first_sec, &e->first_msec, &e->last_sec, &e->last_msec, in->first_sec,
          in->first_msec);
    widen(&e->first_sec, &e->first_msec, &e->last_sec, &e->last_msec, in->last_sec, in->last_msec);
    widen(&w->first_sec, &w->first_msec, &w->last_sec, &w->last_msec, e->first_sec, e->first_msec);
    widen(&w->first_sec, &w->first_msec, &w->last_sec, &w->last_msec, e->last_sec, e->last_msec);
    aggregate_time_merge(agg, e, in->buckets, grid);
    node_span(agg, w);
    for (unsigned i = 0; i < in->n_pids && i < SCW_ENTRY_PIDS; i++)
        entry_add_pid(e, in->pids[i]);
    e->pids_truncated |= in->pids_truncated;
    for (size_t i = 0; i < n_exes; i++)
        entry_add_exe(agg, e, intern_on(agg, w->node, exes[i], strlen(exes[i])));
    e->exes_truncated |= in->exes_truncated;
    return 0;
}

/* "WHERE:LINE" with LINE moved by offset (malformed-line locations of a later part of a file). */
static void shift_where(char *dst, size_t size, const char *src, uint64_t offset)
{
    const char *colon = strrchr(src, ':');
    char *end;
    unsigned long long line = colon ? strtoull(colon + 1, &end, 10) : 0;
    if (!colon || colon[1] < '0' || colon[1] > '9' || *end)
        snprintf(dst, size, "%s", src);
    else
        snprintf(dst, size, "%.*s:%llu", (int)(colon - src), src, line + offset);
}

/* src's executables (string ids of src) added to a set of agg's, in order, within cap. */
static void absorb_exes(struct scw_aggregate *agg, uint32_t node, const struct scw_aggregate *src,
                        const uint32_t *ids, unsigned n, bool truncated, uint32_t *set,
                        uint8_t *set_n, unsigned cap, bool *set_truncated)
{
    for (unsigned k = 0; k < n; k++) {
        const char *x = src->strings[ids[k] - 1];
        uint32_t id = intern_on(agg, node, x, strlen(x));
        if (id && !set_add(set, set_n, cap, id))
            *set_truncated = true;
    }
    *set_truncated |= truncated;
}

int scw_aggregate_absorb(struct scw_aggregate *agg, const struct scw_aggregate *src,
                         uint64_t line_offset)
{
    int *map = calloc(src->n_workloads ? src->n_workloads : 1, sizeof(*map));
    if (!map)
        return -ENOMEM;
    int rc = 0;
    /* workloads first, in src's order, with their executables in the order src saw them */
    for (size_t i = 0; i < src->n_workloads && rc == 0; i++) {
        const struct scw_workload *sw = &src->workloads[i];
        map[i] = scw_aggregate_workload(agg, sw->key, sw->container);
        if (map[i] == -ENOSPC) {
            /* scw_aggregate_workload counted one event; all of the workload's are dropped */
            if (sw->events > 1)
                aggregate_drop(agg, (uint32_t)agg->self, AGG_DROP_WORKLOADS, sw->events - 1);
            continue;
        }
        if (map[i] < 0) {
            rc = map[i];
            break;
        }
        struct scw_workload *w = &agg->workloads[map[i]];
        absorb_exes(agg, w->node, src, sw->exes, sw->n_exes, sw->exes_truncated, w->exes,
                    &w->n_exes, SCW_WORKLOAD_EXES, &w->exes_truncated);
    }
    /* then entries, in src's order: what src counted, as if counted here */
    for (size_t i = 0; i < src->n_entries && rc == 0; i++) {
        const struct scw_agg_entry *in = &src->entries[i];
        if (map[in->workload] < 0)
            continue;
        struct scw_agg_entry *e;
        int r = find_or_add_entry(agg, (uint32_t)map[in->workload], in->arch, in->syscall, in->code,
                                  &e);
        if (r == -ENOSPC) {
            if (in->count > 1) /* find_or_add_entry counted one */
                aggregate_drop(agg, agg->workloads[map[in->workload]].node, AGG_DROP_ENTRIES,
                               in->count - 1);
            continue;
        }
        if (r < 0) {
            rc = r;
            break;
        }
        struct scw_workload *w = &agg->workloads[map[in->workload]];
        e->count += in->count;
        w->events += in->count;
        widen(&e->first_sec, &e->first_msec, &e->last_sec, &e->last_msec, in->first_sec,
              in->first_msec);
        widen(&e->first_sec, &e->first_msec, &e->last_sec, &e->last_msec, in->last_sec,
              in->last_msec);
        widen(&w->first_sec, &w->first_msec, &w->last_sec, &w->last_msec, in->first_sec,
              in->first_msec);
        widen(&w->first_sec, &w->first_msec, &w->last_sec, &w->last_msec, in->last_sec,
              in->last_msec);
        aggregate_time_merge(agg, e, in->buckets, &src->grid);
        node_span(agg, w);
        for (unsigned k = 0; k < in->n_pids; k++)
            entry_add_pid(e, in->pids[k]);
        e->pids_truncated |= in->pids_truncated;
        absorb_exes(agg, w->node, src, in->exes, in->n_exes, in->exes_truncated, e->exes,
                    &e->n_exes, SCW_ENTRY_EXES, &e->exes_truncated);
    }
    free(map);
    if (rc < 0)
        return rc;
    struct scw_input_stats *st = &agg->stats;
    const struct scw_input_stats *ss = &src->stats;
    for (unsigned k = 0; k < ss->malformed_kept && st->malformed_kept < SCW_MALFORMED_KEEP; k++)
        shift_where(st->malformed_where[st->malformed_kept++], sizeof(st->malformed_where[0]),
                    ss->malformed_where[k], line_offset);
    st->lines += ss->lines;
    st->seccomp += ss->seccomp;
    st->malformed += ss->malformed;
    st->oversized += ss->oversized;
    st->other += ss->other;
    st->unattributed += ss->unattributed;
    st->lost += ss->lost;
    st->read_errors += ss->read_errors;
    if (ss->kernel_lost > st->kernel_lost)
        st->kernel_lost = ss->kernel_lost;
    /* src's drops are its self node's: they become agg's (made if src dropped everything) */
    int self = agg->self >= 0 ? agg->self : aggregate_self_node(agg);
    if (self < 0)
        return self;
    aggregate_drop(agg, (uint32_t)self, AGG_DROP_WORKLOADS, src->drops.workloads);
    aggregate_drop(agg, (uint32_t)self, AGG_DROP_ENTRIES, src->drops.entries);
    aggregate_drop(agg, (uint32_t)self, AGG_DROP_STRINGS, src->drops.strings);
    return 0;
}

size_t scw_aggregate_n_workloads(const struct scw_aggregate *agg)
{
    return agg->n_workloads;
}

const struct scw_workload *scw_aggregate_workload_at(const struct scw_aggregate *agg, size_t i)
{
    return i < agg->n_workloads ? &agg->workloads[i] : NULL;
}

size_t scw_aggregate_n_entries(const struct scw_aggregate *agg)
{
    return agg->n_entries;
}

const struct scw_agg_entry *scw_aggregate_entry_at(const struct scw_aggregate *agg, size_t i)
{
    return i < agg->n_entries ? &agg->entries[i] : NULL;
}

/* qsort has no context argument: the view is built single-threaded, so a file-local pointer
 * is enough. */
static const struct scw_aggregate *sort_agg;

static int cmp_u64_desc(uint64_t a, uint64_t b)
{
    return a < b ? 1 : a > b ? -1 : 0;
}

static int cmp_workload(const void *a, const void *b)
{
    const struct scw_workload *x = &sort_agg->workloads[*(const uint32_t *)a];
    const struct scw_workload *y = &sort_agg->workloads[*(const uint32_t *)b];
    int c = cmp_u64_desc(x->events, y->events);
    return c ? c : strcmp(x->key, y->key);
}

static int cmp_entry(const void *a, const void *b)
{
    const struct scw_agg_entry *x = &sort_agg->entries[*(const uint32_t *)a];
    const struct scw_agg_entry *y = &sort_agg->entries[*(const uint32_t *)b];
    if (x->workload != y->workload)
        return x->workload < y->workload ? -1 : 1;
    int c = cmp_u64_desc(x->count, y->count);
    if (c)
        return c;
    if (x->arch != y->arch)
        return x->arch < y->arch ? -1 : 1;
    if (x->syscall != y->syscall)
        return x->syscall < y->syscall ? -1 : 1;
    return x->code < y->code ? -1 : x->code > y->code;
}

int scw_aggregate_view(const struct scw_aggregate *agg, struct scw_agg_view *ret)
{
    struct scw_agg_view v = {0};
    v.n_workloads = agg->n_workloads;
    v.workloads = malloc((agg->n_workloads + 1) * sizeof(*v.workloads));
    v.entries = malloc((agg->n_entries + 1) * sizeof(*v.entries));
    v.start = calloc(agg->n_workloads + 1, sizeof(*v.start));
    if (!v.workloads || !v.entries || !v.start) {
        scw_agg_view_release(&v);
        return -ENOMEM;
    }
    for (size_t i = 0; i < agg->n_workloads; i++)
        v.workloads[i] = (uint32_t)i;
    for (size_t i = 0; i < agg->n_entries; i++)
        v.entries[i] = (uint32_t)i;
    sort_agg = agg;
    qsort(v.workloads, agg->n_workloads, sizeof(*v.workloads), cmp_workload);
    qsort(v.entries, agg->n_entries, sizeof(*v.entries), cmp_entry);
    sort_agg = NULL;
    /* entries are grouped by workload index: start[w] is the first of group w */
    size_t e = 0;
    for (size_t w = 0; w < agg->n_workloads; w++) {
        v.start[w] = e;
        while (e < agg->n_entries && agg->entries[v.entries[e]].workload == w)
            e++;
    }
    v.start[agg->n_workloads] = e;
    *ret = v;
    return 0;
}

void scw_agg_view_release(struct scw_agg_view *v)
{
    free(v->workloads);
    free(v->entries);
    free(v->start);
    memset(v, 0, sizeof(*v));
}
