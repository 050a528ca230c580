/*
 * fleet: merging the states of many nodes (see fleet.h). Three passes: the arguments become
 * files (directories listed in name order); every document of every file is scanned and
 * checked whole (state_scan, with validation); then each node is taken from one document
 * only and the documents are merged in order. Last, containers claimed by several nodes with
 * different profiles are reported.
 */
#include "fleet.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "state.h"

/* One document of one file. */
struct fdoc {
    size_t file; /* index into files[] */
    struct scw_state_info info;
    bool *take; /* per node of the document */
};

struct fleet {
    const char *cmd;
    char **files; /* paths as given or found */
    size_t n_files;
    struct scw_state_src stdin_src; /* kept: standard input cannot be read twice */
    bool have_stdin;
    struct fdoc *docs;
    size_t n_docs;
    struct scw_fleet_result res;
};

static const char *shown(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

static int add_file(struct fleet *f, const char *path)
{
    if (f->n_files >= SCW_FLEET_MAX_INPUTS) {
        scw_log_errx("%s: more than %d state files; merge them in steps (scmpwatch merge)", f->cmd,
                     SCW_FLEET_MAX_INPUTS);
        f->res.failed++;
        return 0;
    }
    char **v = realloc(f->files, (f->n_files + 1) * sizeof(*v));
    if (!v)
        return -ENOMEM;
    f->files = v;
    if (!(f->files[f->n_files] = strdup(path)))
        return -ENOMEM;
    f->n_files++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular, not hidden *.json file of a directory, in name order. */
static int add_dir(struct fleet *f, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        scw_log_err(-errno, "%s: cannot read the directory '%s'", f->cmd, dir);
        f->res.failed++;
        return 0;
    }
    char **names = NULL;
    size_t n = 0;
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len <= 5 || strcmp(de->d_name + len - 5, ".json") != 0)
            continue;
        char *p = NULL;
        struct stat st;
        const char *sep = dir[strlen(dir) - 1] == '/' ? "" : "/";
        if (asprintf(&p, "%s%s%s", dir, sep, de->d_name) < 0) {
            rc = -ENOMEM;
            break;
        }
        if (stat(p, &st) < 0 || !S_ISREG(st.st_mode)) {
            free(p);
            continue;
        }
        char **v = realloc(names, (n + 1) * sizeof(*v));
        if (!v) {
            free(p);
            rc = -ENOMEM;
            break;
        }
        names = v;
        names[n++] = p;
    }
    closedir(d);
    if (rc == 0 && n == 0) {
        scw_log_errx("%s: no state file (*.json) in the directory '%s'", f->cmd, dir);
        f->res.failed++;
    }
    qsort(names, n, sizeof(*names), cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0)
            rc = add_file(f, names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

static int expand(struct fleet *f, const char *const *args, size_t n)
{
    bool stdin_seen = false;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        int rc = 0;
        if (strcmp(args[i], "-") == 0) {
            if (stdin_seen) {
                scw_log_warnx("%s: standard input given twice: read once", f->cmd);
                f->res.duplicates++;
                continue;
            }
            stdin_seen = true;
            rc = add_file(f, "-");
        } else if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            rc = add_dir(f, args[i]);
        } else {
            rc = add_file(f, args[i]);
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Open a file (standard input: the copy kept since the scan). */
static int open_src(struct fleet *f, size_t fi, struct scw_state_src *ret, bool *ret_borrowed)
{
    *ret_borrowed = false;
    if (strcmp(f->files[fi], "-") == 0 && f->have_stdin) {
        *ret = f->stdin_src;
        *ret_borrowed = true;
        return 0;
    }
    char *err = NULL;
    int rc = scw_state_open(f->files[fi], ret, &err);
    if (rc < 0) {
        if (err)
            scw_log_errx("%s: %s; left out, the other states are merged", f->cmd, err);
        else
            scw_log_err(rc,
                        "%s: cannot read the state file '%s'; left out, the other states "
                        "are merged",
                        f->cmd, shown(f->files[fi]));
    }
    free(err);
    return rc;
}

static int add_doc(struct fleet *f, size_t fi, struct scw_state_info *info)
{
    struct fdoc *v = realloc(f->docs, (f->n_docs + 1) * sizeof(*v));
    if (!v)
        return -ENOMEM;
    f->docs = v;
    bool *take = calloc(info->n_nodes ? info->n_nodes : 1, sizeof(*take));
    if (!take)
        return -ENOMEM;
    for (size_t i = 0; i < info->n_nodes; i++)
        take[i] = true;
    f->docs[f->n_docs++] = (struct fdoc){.file = fi, .info = *info, .take = take};
    memset(info, 0, sizeof(*info));
    return 0;
}

/* Scan every document of every file; a file that is the same as an earlier one is skipped. */
static int scan_all(struct fleet *f)
{
    dev_t *devs = calloc(f->n_files ? f->n_files : 1, sizeof(*devs));
    ino_t *inos = calloc(f->n_files ? f->n_files : 1, sizeof(*inos));
    int rc = devs && inos ? 0 : -ENOMEM;
    for (size_t fi = 0; rc == 0 && fi < f->n_files; fi++) {
        struct scw_state_src src;
        bool borrowed;
        if (open_src(f, fi, &src, &borrowed) < 0) {
            f->res.failed++;
            continue;
        }
        devs[fi] = src.dev;
        inos[fi] = src.ino;
        size_t same = fi;
        for (size_t k = 0; src.ino && k < fi; k++)
            if (devs[k] == src.dev && inos[k] == src.ino)
                same = k;
        if (same != fi) {
            scw_log_warnx("%s: '%s' is the same state file as '%s': counted once", f->cmd,
                          f->files[fi], f->files[same]);
            f->res.duplicates++;
            scw_state_close(&src);
            continue;
        }
        f->res.files++;
        size_t off = 0;
        for (;;) {
            struct scw_state_info info;
            char *err = NULL;
            int r = scw_state_scan(&src, off, true, &info, &err);
            if (r == 1)
                break;
            if (r < 0) {
                if (r == -ENOMEM)
                    rc = r;
                else
                    scw_log_errx("%s: %s; left out, the other states are merged", f->cmd,
                                 err ? err : shown(f->files[fi]));
                free(err);
                f->res.failed++;
                break;
            }
            off = info.end;
            if ((rc = add_doc(f, fi, &info)) < 0) {
                scw_state_info_release(&info);
                break;
            }
        }
        if (strcmp(f->files[fi], "-") == 0) {
            f->stdin_src = src; /* kept for the merge */
            f->have_stdin = true;
        } else {
            scw_state_close(&src); /* mapped again for the merge: memory stays one file's */
        }
    }
    free(devs);
    free(inos);
    return rc;
}

static bool same_info(const struct scw_state_node_info *a, const struct scw_state_node_info *b)
{
    return a->saved_at == b->saved_at && a->observed_from == b->observed_from &&
           a->observed_to == b->observed_to && a->workloads == b->workloads &&
           a->events == b->events && a->stats.lines == b->stats.lines &&
           a->stats.seccomp == b->stats.seccomp && a->stats.lost == b->stats.lost;
}

/* Whether a's snapshot is the later one: observed longer, then saved later. */
static bool newer(const struct scw_state_node_info *a, const struct scw_state_node_info *b)
{
    if (a->observed_to != b->observed_to)
        return a->observed_to > b->observed_to;
    if (a->saved_at != b->saved_at)
        return a->saved_at > b->saved_at;
    return a->events > b->events;
}

/* One node in several documents: keep one. Unnamed ones are the same only when identical. */
static void dedup_nodes(struct fleet *f)
{
    for (size_t d = 0; d < f->n_docs; d++) {
        struct fdoc *fd = &f->docs[d];
        for (size_t i = 0; i < fd->info.n_nodes; i++) {
            if (!fd->take[i])
                continue;
            const struct scw_state_node_info *a = &fd->info.nodes[i];
            for (size_t e = d + 1; e < f->n_docs; e++) {
                struct fdoc *fe = &f->docs[e];
                for (size_t j = 0; j < fe->info.n_nodes && fd->take[i]; j++) {
                    const struct scw_state_node_info *b = &fe->info.nodes[j];
                    if (!fe->take[j])
                        continue;
                    bool same_name = a->name && b->name && strcmp(a->name, b->name) == 0;
                    bool identical = same_info(a, b);
                    if (!same_name && !(identical && !a->name && !b->name))
                        continue;
                    const char *fa = shown(f->files[fd->file]), *fb = shown(f->files[fe->file]);
                    const char *label = a->name ? a->name : "(unnamed)";
                    f->res.duplicates++;
                    if (identical) {
                        scw_log_warnx("%s: node '%s' is in '%s' and again, the same, in '%s' "
                                      "(the same state given twice?): counted once",
                                      f->cmd, label, fa, fb);
                        fe->take[j] = false;
                    } else if (newer(b, a)) {
                        scw_log_warnx("%s: node '%s' is in '%s' and in '%s': counted once, "
                                      "from '%s' (the later snapshot holds the earlier)",
                                      f->cmd, label, fa, fb, fb);
                        fd->take[i] = false;
                    } else {
                        scw_log_warnx("%s: node '%s' is in '%s' and in '%s': counted once, "
                                      "from '%s' (the later snapshot holds the earlier)",
                                      f->cmd, label, fa, fb, fa);
                        fe->take[j] = false;
                    }
                }
            }
        }
    }
}

static int merge_doc(struct fleet *f, struct scw_aggregate *agg, struct fdoc *fd)
{
    size_t n = fd->info.n_nodes;
    int *map = calloc(n ? n : 1, sizeof(*map));
    if (!map)
        return -ENOMEM;
    const char *path = f->files[fd->file];
    int rc = 0;
    size_t taken = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        map[i] = -1;
        if (!fd->take[i])
            continue;
        const char *name = fd->info.nodes[i].name;
        int ni = scw_aggregate_node(agg, name);
        if (ni < 0) {
            rc = ni;
            break;
        }
        char *label = NULL;
        if (!name && asprintf(&label, "(%s)", shown(path)) < 0) {
            rc = -ENOMEM;
            break;
        }
        rc = scw_aggregate_node_describe(agg, (uint32_t)ni, label, path);
        free(label);
        map[i] = ni;
        taken++;
    }
    if (rc == 0 && taken) {
        struct scw_state_src src;
        bool borrowed;
        if (open_src(f, fd->file, &src, &borrowed) < 0) {
            f->res.failed++;
        } else {
            char *err = NULL;
            rc = scw_state_merge(agg, &src, &fd->info, map, &err);
            if (rc == -EINVAL) {
                /* checked whole by the scan: only a file changed since can get here */
                scw_log_errx("%s: %s (did it change while being read?)", f->cmd,
                             err ? err : shown(path));
                f->res.failed++;
                rc = 0;
            } else if (rc == 0) {
                f->res.documents++;
                f->res.nodes += (unsigned)taken;
            }
            free(err);
            if (!borrowed)
                scw_state_close(&src);
        }
    }
    free(map);
    return rc;
}

/* ---- containers claimed by several nodes ---- */

static const struct scw_aggregate *sort_agg; /* qsort has no context; single-threaded */

static int cmp_str_null(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) : (a != NULL) - (b != NULL);
}

static int cmp_container(const void *x, const void *y)
{
    const struct scw_workload *a = scw_aggregate_workload_at(sort_agg, *(const uint32_t *)x);
    const struct scw_workload *b = scw_aggregate_workload_at(sort_agg, *(const uint32_t *)y);
    int c = cmp_str_null(a->container->runtime, b->container->runtime);
    if (!c)
        c = cmp_str_null(a->container->runtime_namespace, b->container->runtime_namespace);
    if (!c)
        c = cmp_str_null(a->container->id, b->container->id);
    return c ? c : (a->node > b->node) - (a->node < b->node);
}

/* What a profile is, for comparing: the kept copy's name (it is the content's hash), else
 * the runtime's path. */
static const char *profile_identity(const struct scw_container *c)
{
    if (c->profile_kept) {
        const char *slash = strrchr(c->profile_kept, '/');
        return slash ? slash + 1 : c->profile_kept;
    }
    return c->profile;
}

static int report_conflicts(struct fleet *f, const struct scw_aggregate *agg)
{
    size_t nw = scw_aggregate_n_workloads(agg), n = 0;
    uint32_t *v = malloc((nw ? nw : 1) * sizeof(*v));
    if (!v)
        return -ENOMEM;
    for (size_t i = 0; i < nw; i++) {
        const struct scw_workload *w = scw_aggregate_workload_at(agg, i);
        if (w->container && w->container->id)
            v[n++] = (uint32_t)i;
    }
    sort_agg = agg;
    qsort(v, n, sizeof(*v), cmp_container);
    sort_agg = NULL;
    for (size_t i = 0; i < n;) {
        const struct scw_workload *a = scw_aggregate_workload_at(agg, v[i]);
        size_t j = i + 1;
        bool differ = false;
        for (; j < n; j++) {
            const struct scw_workload *b = scw_aggregate_workload_at(agg, v[j]);
            if (cmp_str_null(a->container->runtime, b->container->runtime) ||
                cmp_str_null(a->container->runtime_namespace, b->container->runtime_namespace) ||
                cmp_str_null(a->container->id, b->container->id))
                break;
            differ |= cmp_str_null(profile_identity(a->container), profile_identity(b->container));
        }
        if (differ) {
            f->res.conflicts++;
            for (size_t k = i; k < j; k++) {
                const struct scw_workload *w = scw_aggregate_workload_at(agg, v[k]);
                const struct scw_agg_node *nd = scw_aggregate_node_at(agg, w->node);
                const char *prof =
                    w->container->profile_kept ? w->container->profile_kept : w->container->profile;
                scw_log_warnx("%s: container '%s' is claimed by node '%s' (state '%s') with the "
                              "profile '%s'%s",
                              f->cmd, w->key, nd->label, nd->source ? shown(nd->source) : "-",
                              prof ? prof : "(none known)",
                              k + 1 == j ? "; both kept, as workloads of their nodes (one "
                                           "container seen by two watchers under two --node "
                                           "names?)"
                                         : "");
            }
        }
        i = j;
    }
    free(v);
    return 0;
}

int scw_fleet_load(struct scw_aggregate *agg, const char *cmd, const char *const *args, size_t n,
                   struct scw_fleet_result *ret)
{
    struct fleet f = {.cmd = cmd};
    int rc = expand(&f, args, n);
    if (rc == 0)
        rc = scan_all(&f);
    if (rc == 0)
        dedup_nodes(&f);
    long versions = 0; /* bit per version seen */
    for (size_t d = 0; rc == 0 && d < f.n_docs; d++) {
        versions |= 1L << (f.docs[d].info.version & 31);
        rc = merge_doc(&f, agg, &f.docs[d]);
    }
    if (rc == 0 && (versions & (versions - 1)))
        scw_log_info("%s: states of several versions merged (version 1 records no node)", cmd);
    if (rc == 0)
        rc = report_conflicts(&f, agg);
    if (rc == -ENOMEM)
        scw_log_errx("%s: out of memory merging the states", cmd);
    for (size_t d = 0; d < f.n_docs; d++) {
        scw_state_info_release(&f.docs[d].info);
        free(f.docs[d].take);
    }
    free(f.docs);
    for (size_t i = 0; i < f.n_files; i++)
        free(f.files[i]);
    free(f.files);
    if (f.have_stdin)
        scw_state_close(&f.stdin_src);
    *ret = f.res;
    return rc;
}
