/*
 * state: save the aggregate (see state.h), load one state file (the reading itself is
 * state_read.c's), move a corrupt one aside. The format carries raw numbers (audit arch,
 * syscall number, action code) rather than names, so a state written on one machine reads
 * the same on another whatever its libseccomp knows.
 *
 * Version 2 document, members in this order (the reader needs the first four before
 * "workloads"):
 *   {"format": "scmpwatch-state", "version": 2, "saved_at": T,
 *    "input": {totals, as the report's "input"},
 *    "nodes": [{"name": "node-a", "saved_at": T, "observed": [FROM, TO],
 *               "input": {counters, "dropped_at_bounds"}, "workloads": N}, ...],
 *    "buckets": {"origin": O, "width": W},
 *    "workloads": [{"key": ..., "node": INDEX, "container": {...}, "entries": [...]}, ...]}
 * "buckets" is the time grid (struct scw_agg_grid), written when some event has a time on it;
 * each entry then carries "buckets": [N, ...], its counts per interval of the grid, trailing
 * zeros left out (the member too when all are zero). Older writers wrote neither: their
 * entries' events have no time (a reader keeps them counted, outside every bucket), and older
 * readers skip both, so the version stays 2 and mixed fleets keep merging.
 */
#include "state.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aggregate_json.h"
#include "atomic_file.h"
#include "json.h"

/* One entry as JSON text, written directly: a snapshot of a million entries is mostly
 * numbers, and a jansson tree per entry made it take seconds in the event loop. */
static void put_entry(const struct scw_aggregate *agg, const struct scw_agg_entry *e, FILE *f)
{
    fprintf(f,
            "{\"arch\":%" PRIu32 ",\"syscall\":%" PRIu32 ",\"code\":%" PRIu32 ",\"count\":%" PRIu64
            ",\"first\":[%" PRId64 ",%" PRIu32 "],\"last\":[%" PRId64 ",%" PRIu32 "],\"pids\":[",
            e->arch, e->syscall, e->code, e->count, e->first_sec, e->first_msec, e->last_sec,
            e->last_msec);
    for (unsigned k = 0; k < e->n_pids; k++)
        fprintf(f, "%s%" PRId32, k ? "," : "", e->pids[k]);
    fprintf(f, "],\"pids_truncated\":%s,\"exes\":[", e->pids_truncated ? "true" : "false");
    for (unsigned k = 0; k < e->n_exes; k++) {
        if (k)
            fputc(',', f);
        scw_json_put_string(f, scw_aggregate_string(agg, e->exes[k]));
    }
    fprintf(f, "],\"exes_truncated\":%s", e->exes_truncated ? "true" : "false");
    unsigned n = SCW_ENTRY_BUCKETS;
    while (n && !e->buckets[n - 1])
        n--;
    for (unsigned k = 0; k < n; k++)
        fprintf(f, "%s%" PRIu32, k ? "," : ",\"buckets\":[", e->buckets[k]);
    fputs(n ? "]}" : "}", f);
}

/* The "nodes" list; a live self node is stamped with now. Also the document's saved_at. */
static json_t *nodes_json(const struct scw_aggregate *agg, int64_t now, int64_t *ret_saved_at)
{
    json_t *list = json_array();
    bool live = scw_aggregate_self_live(agg);
    int self = scw_aggregate_self(agg);
    int64_t latest = 0;
    for (size_t i = 0; i < scw_aggregate_n_nodes(agg); i++) {
        const struct scw_agg_node *n = scw_aggregate_node_at(agg, i);
        struct scw_input_stats st;
        struct scw_agg_drops d;
        int64_t from, to, saved = n->saved_at;
        scw_aggregate_node_counters(agg, i, &st, &d);
        scw_aggregate_node_observed(agg, i, &from, &to);
        if (live && (int)i == self) {
            to = now > to ? now : to;
            saved = now;
        }
        latest = saved > latest ? saved : latest;
        json_t *o = json_object();
        json_object_set_new(o, "name", scw_json_string(n->name));
        json_object_set_new(o, "saved_at", json_integer((json_int_t)saved));
        json_object_set_new(o, "observed", json_pack("[I,I]", (json_int_t)from, (json_int_t)to));
        json_object_set_new(o, "input", scw_aggregate_counters_json(&st, &d));
        json_object_set_new(o, "workloads", json_integer((json_int_t)n->workloads));
        json_array_append_new(list, o);
    }
    /* a merge keeps the time of its newest input, so merging again gives the same bytes */
    *ret_saved_at = live || !latest ? now : latest;
    return list;
}

/* The state document, written one workload at a time (compact): memory follows the
 * aggregate, not the document, even at a million entries. */
int scw_state_write(const struct scw_aggregate *agg, FILE *f)
{
    struct scw_agg_view v;
    if (scw_aggregate_view(agg, &v) < 0)
        return -ENOMEM;
    int64_t saved_at;
    json_t *nodes = nodes_json(agg, (int64_t)time(NULL), &saved_at);
    json_t *head = json_object();
    json_object_set_new(head, "format", json_string(SCW_STATE_FORMAT_NAME));
    json_object_set_new(head, "version", json_integer(SCW_STATE_VERSION));
    json_object_set_new(head, "saved_at", json_integer((json_int_t)saved_at));
    json_object_set_new(head, "input", scw_aggregate_input_json(agg));
    json_object_set_new(head, "nodes", nodes);
    const struct scw_agg_grid *grid = scw_aggregate_grid(agg);
    if (grid->width)
        json_object_set_new(head, "buckets",
                            json_pack("{s:I,s:I}", "origin", (json_int_t)grid->origin, "width",
                                      (json_int_t)grid->width));
    char *h = json_dumps(head, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(head);
    int rc = h ? 0 : -ENOMEM;
    if (h) {
        fwrite(h, 1, strlen(h) - 1, f); /* without its closing brace */
        fputs(",\"workloads\":[", f);
        free(h);
    }
    for (size_t i = 0; rc == 0 && i < v.n_workloads; i++) {
        const struct scw_workload *w = scw_aggregate_workload_at(agg, i);
        json_t *o = json_object();
        json_object_set_new(o, "key", scw_json_string(w->key));
        json_object_set_new(o, "node", json_integer(w->node));
        json_object_set_new(o, "container", scw_aggregate_container_json(w->container));
        char *wh = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        if (!wh) {
            rc = -ENOMEM;
            break;
        }
        /* {"key":...,"container":...} becomes {"key":...,"container":...,"entries":[...]} */
        fputs(i ? "," : "", f);
        fwrite(wh, 1, strlen(wh) - 1, f);
        free(wh);
        fputs(",\"entries\":[", f);
        for (size_t k = v.start[i]; k < v.start[i + 1]; k++) {
            if (k > v.start[i])
                fputc(',', f);
            put_entry(agg, scw_aggregate_entry_at(agg, v.entries[k]), f);
        }
        fputs("]}", f);
        if (ferror(f))
            rc = -EIO;
    }
    if (rc == 0)
        fputs("]}\n", f);
    scw_agg_view_release(&v);
    return rc;
}

int scw_state_save(const struct scw_aggregate *agg, const char *path)
{
    struct scw_atomic_file af;
    int rc = scw_atomic_open(&af, path, 0600);
    if (rc < 0)
        return rc;
    rc = scw_atomic_close(&af, scw_state_write(agg, af.f));
    if (rc == 0)
        rc = scw_atomic_commit(&af);
    scw_atomic_abort(&af);
    return rc;
}

/* Every node of the document: one named in agg already is merged into; else a new one. */
static int map_nodes(struct scw_aggregate *agg, const struct scw_state_info *info, const char *path,
                     int *map)
{
    for (size_t i = 0; i < info->n_nodes; i++) {
        const char *name = info->nodes[i].name;
        int n = scw_aggregate_node(agg, name);
        if (n < 0)
            return n;
        char *label = NULL;
        if (!name && asprintf(&label, "(%s)", strcmp(path, "-") == 0 ? "<stdin>" : path) < 0)
            return -ENOMEM;
        int rc = scw_aggregate_node_describe(agg, (uint32_t)n, label, path);
        free(label);
        if (rc < 0)
            return rc;
        map[i] = n;
    }
    return 0;
}

/* "path:line:col: what" for the byte at off of buf. */
static char *error_at(const char *path, const char *buf, size_t off, const char *what)
{
    unsigned line = 1, col = 1;
    for (size_t i = 0; i < off; i++, col++)
        if (buf[i] == '\n') {
            line++;
            col = 0;
        }
    char *s = NULL;
    return asprintf(&s, "%s:%u:%u: %s", path, line, col, what) < 0 ? NULL : s;
}

int scw_state_load(struct scw_aggregate *agg, const char *path, char **ret_error)
{
    struct scw_state_src src;
    *ret_error = NULL;
    int rc = scw_state_open(path, &src, ret_error);
    if (rc < 0)
        return rc;
    struct scw_state_info info;
    rc = scw_state_scan(&src, 0, false, &info, ret_error);
    if (rc == 1) {
        *ret_error = error_at(path, src.buf, 0, "the file ends too early (truncated?)");
        rc = -EINVAL;
    }
    if (rc == 0) {
        size_t end = info.end;
        while (end < src.len && (src.buf[end] == ' ' || src.buf[end] == '\t' ||
                                 src.buf[end] == '\n' || src.buf[end] == '\r'))
            end++;
        int *map = calloc(info.n_nodes ? info.n_nodes : 1, sizeof(*map));
        if (!map) {
            rc = -ENOMEM;
        } else if (end < src.len) {
            *ret_error = error_at(path, src.buf, end, "data after the end of the state document");
            rc = -EINVAL;
        }
        if (rc == 0)
            rc = map_nodes(agg, &info, path, map);
        if (rc == 0)
            rc = scw_state_merge(agg, &src, &info, map, ret_error);
        free(map);
        scw_state_info_release(&info);
    }
    scw_state_close(&src);
    return rc;
}

char *scw_state_quarantine(const char *path)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
    char *dst = NULL;
    if (asprintf(&dst, "%s.corrupt-%s", path, stamp) < 0)
        return NULL;
    if (rename(path, dst) < 0) {
        free(dst);
        return NULL;
    }
    return dst;
}
