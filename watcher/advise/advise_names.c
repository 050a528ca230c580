/*
 * advise_names: what a profile group is called. Its name is the stem of the files written for
 * it (<group>.json, <group>.diff) and the key people's decisions are kept under, so it must
 * not change while a Deployment scales: it comes from what the group is, never from how many
 * members it has. In order: the selector the members match; the profile file a selector or
 * --profile maps them to ("web.json" -> "web"); the members' owner (advise_owner); the
 * profile file's stem; "profile". Clashes: the Kubernetes namespace is added to each, then a
 * number: a selector's name stays as it is, the others in the order of the groups' smallest
 * container name, else workload key (not of their event counts, nor of random container ids).
 * Pure: no I/O. Called by advise.c.
 */
#include "advise_impl.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void sanitize_name(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    for (; s && *s && o + 1 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (o == 0 && c == '.')
            ok = false; /* no hidden files, no ".." */
        out[o++] = ok ? (char)c : '_';
    }
    out[o] = '\0';
}

/* The stem of a path's last component without ".json" ("/p/web.json" -> "web"). */
static void path_stem(const char *path, char *out, size_t cap)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char tmp[SCW_ADVISE_NAME_MAX];
    snprintf(tmp, sizeof(tmp), "%s", base);
    size_t len = strlen(tmp);
    if (len > 5 && strcmp(tmp + len - 5, ".json") == 0)
        tmp[len - 5] = '\0';
    sanitize_name(tmp, out, cap);
}

/* The value of a container label, or NULL. */
static const char *label(const struct scw_container *c, const char *key)
{
    size_t kl = strlen(key);
    for (size_t i = 0; c->labels && c->labels[i]; i++)
        if (strncmp(c->labels[i], key, kl) == 0 && c->labels[i][kl] == '=')
            return c->labels[i] + kl + 1;
    return NULL;
}

/* Kubernetes' random suffixes and hashes (rand.SafeEncodeString): no vowels, no 0 1 3. */
static bool safe_chars(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr("bcdfghjklmnpqrstvwxz2456789", s[i]) || !s[i])
            return false;
    return true;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n > 0;
}

/* The length of name without a "-SUFFIX" whose length is in [min, max] and that ok()
 * accepts; 0 when it has none. */
static size_t strip_suffix(const char *name, size_t len, size_t min, size_t max,
                           bool (*ok)(const char *, size_t))
{
    const char *dash = NULL;
    for (size_t i = len; i-- > 0;)
        if (name[i] == '-') {
            dash = name + i;
            break;
        }
    if (!dash || dash == name)
        return 0;
    size_t sl = len - (size_t)(dash - name) - 1;
    return sl >= min && sl <= max && ok(dash + 1, sl) ? (size_t)(dash - name) : 0;
}

/* The Kubernetes workload a pod belongs to, from its name and labels; into out. */
static void k8s_owner(const struct scw_container *c, char *out, size_t cap)
{
    const char *pod = c->pod;
    size_t len = strlen(pod), keep = 0;
    const char *hash = label(c, "pod-template-hash");
    const char *job = label(c, "batch.kubernetes.io/job-name");
    if (!job)
        job = label(c, "job-name");
    if (hash && hash[0]) {
        /* Deployment (ReplicaSet): "<deployment>-<hash>-<random>" */
        char mid[80];
        snprintf(mid, sizeof(mid), "-%s", hash);
        for (const char *p = strstr(pod, mid); p && !keep; p = strstr(p + 1, mid))
            if (p[strlen(mid)] == '-' || p[strlen(mid)] == '\0')
                keep = (size_t)(p - pod);
    } else if (job && job[0]) {
        /* a Job's pods; a CronJob's jobs end in the minute they were scheduled */
        size_t jl = strlen(job), k = strip_suffix(job, jl, 8, 12, digits);
        snprintf(out, cap, "%.*s", (int)(k ? k : jl), job);
        return;
    } else if (label(c, "statefulset.kubernetes.io/pod-name")) {
        keep = strip_suffix(pod, len, 1, 6, digits);
    } else if (label(c, "controller-revision-hash")) {
        keep = strip_suffix(pod, len, 5, 5, safe_chars); /* DaemonSet */
    }
    if (!keep) {
        /* labels unknown (containerd keeps the pod's elsewhere): the ReplicaSet hash in the
         * name, "<deployment>-<6..10 of them>-<5 of them>"; else a StatefulSet's ordinal */
        size_t r = strip_suffix(pod, len, 5, 5, safe_chars);
        keep = r ? strip_suffix(pod, r, 6, 10, safe_chars) : 0;
        if (!keep)
            keep = strip_suffix(pod, len, 1, 6, digits);
    }
    snprintf(out, cap, "%.*s", (int)(keep ? keep : len), pod);
}

/* "registry.example/team/api:1.4@sha256:..." -> "api". */
static void image_stem(const char *image, char *out, size_t cap)
{
    const char *base = strrchr(image, '/');
    base = base ? base + 1 : image;
    snprintf(out, cap, "%.*s", (int)strcspn(base, ":@"), base);
}

void advise_owner(const struct scw_container *c, char *out, size_t cap)
{
    char buf[256] = "";
    const char *compose = label(c, "com.docker.compose.service");
    if (c->pod && c->pod[0]) {
        k8s_owner(c, buf, sizeof(buf));
        /* the containers of one pod run their own profiles: "web-sidecar" */
        if (c->k8s_container && strcmp(c->k8s_container, buf) != 0) {
            size_t n = strlen(buf);
            snprintf(buf + n, sizeof(buf) - n, "-%s", c->k8s_container);
        }
    } else if (compose && compose[0]) {
        snprintf(buf, sizeof(buf), "%s", compose);
    } else if (c->image && c->image[0]) {
        image_stem(c->image, buf, sizeof(buf));
    } else if (c->name || c->k8s_container) {
        /* no image known: the name, without a replica number ("api-2", "api_2") */
        const char *nm = c->name ? c->name : c->k8s_container;
        size_t len = strlen(nm), keep = len;
        while (keep > 0 && nm[keep - 1] >= '0' && nm[keep - 1] <= '9')
            keep--;
        bool numbered = keep > 1 && keep < len && len - keep <= 4 &&
                        (nm[keep - 1] == '-' || nm[keep - 1] == '_');
        snprintf(buf, sizeof(buf), "%.*s", (int)(numbered ? keep - 1 : len), nm);
    } else if (c->id) {
        /* a 64-hex id (Docker, containerd, CRI-O) shortened as `docker ps` does; a runc or
         * LXC id is a name and stays whole */
        bool hex = strlen(c->id) == 64 && strspn(c->id, "0123456789abcdef") == 64;
        snprintf(buf, sizeof(buf), "%.*s", hex ? 12 : (int)(sizeof(buf) - 1), c->id);
    }
    sanitize_name(buf, out, cap);
}

/* A group's name before clashes are resolved. */
static void group_base_name(const struct scw_advice_group *g, const struct scw_aggregate *agg,
                            char *out, size_t cap)
{
    out[0] = '\0';
    const struct scw_workload *first = scw_aggregate_workload_at(agg, g->members[0]);
    const struct scw_container *c = first ? first->container : NULL;
    if (g->selector)
        sanitize_name(g->selector, out, cap);
    else if (g->source != SCW_ADVISE_SOURCE_RUNTIME && g->path)
        path_stem(g->path, out, cap); /* the profile file they are mapped to */
    else if (c)
        advise_owner(c, out, cap);
    if (!out[0] && g->path)
        path_stem(g->path, out, cap);
    if (!out[0] || strcmp(out, "config") == 0)
        snprintf(out, cap, "profile");
}

/*
 * What orders clashing names: the smallest container name of a group (names are the user's and
 * stay the same from run to run; ids are random, so ordering by the workload key would flip
 * "app" and "app-2" between two runs of the same deployment), else the smallest workload key.
 */
static const char *min_key(const struct scw_advice_group *g, const struct scw_aggregate *agg)
{
    const char *k = NULL;
    for (size_t m = 0; m < g->n_members; m++) {
        const struct scw_workload *w = scw_aggregate_workload_at(agg, g->members[m]);
        const char *key = w->container && w->container->name ? w->container->name : w->key;
        if (!k || strcmp(key, k) < 0)
            k = key;
    }
    return k ? k : "";
}

struct named {
    size_t group;
    const char *order; /* min_key */
};

static const struct scw_advice_group *sort_groups; /* qsort has no context; single-threaded */

static int cmp_named(const void *x, const void *y)
{
    const struct named *a = x, *b = y;
    int c = strcmp(sort_groups[a->group].name, sort_groups[b->group].name);
    if (!c) /* a name a selector gives is the user's own: it keeps it */
        c = (sort_groups[b->group].selector != NULL) - (sort_groups[a->group].selector != NULL);
    if (!c)
        c = strcmp(a->order, b->order);
    return c ? c : (a->group > b->group) - (a->group < b->group);
}

void advise_name_groups(struct scw_advice_group *g, size_t n, const struct scw_aggregate *agg)
{
    char(*base)[SCW_ADVISE_NAME_MAX] = calloc(n ? n : 1, sizeof(*base));
    struct named *v = calloc(n ? n : 1, sizeof(*v));
    if (!base || !v) {
        /* out of memory: still unique names, by position */
        for (size_t i = 0; i < n; i++)
            snprintf(g[i].name, sizeof(g[i].name), "profile-%zu", i + 1);
        free(base);
        free(v);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        group_base_name(&g[i], agg, base[i], SCW_ADVISE_NAME_MAX - 8);
        snprintf(g[i].name, sizeof(g[i].name), "%s", base[i]);
    }
    /* a clash: each of them with its Kubernetes namespace, when it has one */
    for (size_t i = 0; i < n; i++) {
        bool clash = false;
        for (size_t j = 0; j < n && !clash; j++)
            clash = j != i && strcmp(base[i], base[j]) == 0;
        const struct scw_workload *w = scw_aggregate_workload_at(agg, g[i].members[0]);
        const char *ns = w && w->container ? w->container->namespace : NULL;
        if (clash && ns && ns[0]) {
            char q[SCW_ADVISE_NAME_MAX * 2];
            snprintf(q, sizeof(q), "%s-%s", base[i], ns);
            sanitize_name(q, g[i].name, SCW_ADVISE_NAME_MAX - 8);
        }
    }
    /* then numbers, in the order of the smallest workload key: not of the event counts */
    for (size_t i = 0; i < n; i++)
        v[i] = (struct named){i, min_key(&g[i], agg)};
    sort_groups = g;
    qsort(v, n, sizeof(*v), cmp_named);
    sort_groups = NULL;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && strcmp(g[v[i].group].name, g[v[j].group].name) == 0)
            j++;
        char stem[SCW_ADVISE_NAME_MAX];
        snprintf(stem, sizeof(stem), "%s", g[v[i].group].name);
        for (size_t k = i + 1; k < j; k++) {
            unsigned num = (unsigned)(k - i) + 1;
            for (;; num++) {
                char cand[SCW_ADVISE_NAME_MAX];
                snprintf(cand, sizeof(cand), "%.36s-%u", stem, num);
                bool taken = false;
                for (size_t o = 0; o < n && !taken; o++)
                    taken = strcmp(g[o].name, cand) == 0;
                if (!taken) {
                    snprintf(g[v[k].group].name, sizeof(g[v[k].group].name), "%s", cand);
                    break;
                }
            }
        }
        i = j;
    }
    free(base);
    free(v);
}
