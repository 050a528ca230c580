/*
 * state_read: reading state documents (see state.h): the bytes of a file or a pipe, the
 * header of each document (scan), and the merge of its workloads into an aggregate.
 *
 * A document is read as a stream of values, one workload at a time, so loading needs the
 * memory of the aggregate plus one workload's JSON, not a JSON tree of the whole file (which
 * took 2 GiB for a million entries). The outer object is walked here; every value in it is
 * parsed by jansson (JSON_DISABLE_EOF_CHECK stops after the value and reports its length).
 * A scan without validation skips "workloads" byte by byte; several documents may follow one
 * another in one source (standard input given a concatenation).
 */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aggregate_json.h"
#include "readall.h"

static char *errf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *errf(const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

/* ---- the bytes ---- */

int scw_state_open(const char *path, struct scw_state_src *ret, char **ret_error)
{
    memset(ret, 0, sizeof(*ret));
    *ret_error = NULL;
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    const char *shown = is_stdin ? "<stdin>" : path;
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return -EISDIR;
    }
    if ((unsigned long)st.st_size > SCW_STATE_MAX_BYTES) {
        *ret_error = errf("%s: state file is %lld bytes, more than the %lu allowed", shown,
                          (long long)st.st_size, SCW_STATE_MAX_BYTES);
        close(fd);
        return -EINVAL;
    }
    if (!(ret->path = strdup(path))) {
        close(fd);
        return -ENOMEM;
    }
    if (S_ISREG(st.st_mode)) {
        ret->dev = st.st_dev;
        ret->ino = st.st_ino;
    }
    ret->mapped = S_ISREG(st.st_mode) && st.st_size > 0;
    if (ret->mapped) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        int e = errno;
        close(fd);
        if (m == MAP_FAILED) {
            free(ret->path);
            ret->path = NULL;
            return -e;
        }
        ret->buf = m;
        ret->len = (size_t)st.st_size;
        return 0;
    }
    int rc = scw_read_all(fd, 0, SCW_STATE_MAX_BYTES, &ret->buf, &ret->len);
    close(fd);
    if (rc == -EFBIG)
        *ret_error =
            errf("%s: state file is more than the %lu bytes allowed", shown, SCW_STATE_MAX_BYTES);
    if (rc < 0) {
        free(ret->path);
        ret->path = NULL;
    }
    return rc == -EFBIG ? -EINVAL : rc;
}

void scw_state_close(struct scw_state_src *s)
{
    if (s->mapped)
        munmap(s->buf, s->len);
    else
        free(s->buf);
    free(s->path);
    memset(s, 0, sizeof(*s));
}

/* ---- the cursor ---- */

struct cursor {
    const char *buf;
    size_t len, pos;
    const char *path;
    char **ret_error;
};

static void skip_ws(struct cursor *c)
{
    while (c->pos < c->len && (c->buf[c->pos] == ' ' || c->buf[c->pos] == '\t' ||
                               c->buf[c->pos] == '\n' || c->buf[c->pos] == '\r'))
        c->pos++;
}

/* "path:line:column: what" for the byte at off. */
static int fail_at(struct cursor *c, size_t off, const char *what)
{
    unsigned line = 1, col = 1;
    for (size_t i = 0; i < off && i < c->len; i++, col++)
        if (c->buf[i] == '\n') {
            line++;
            col = 0;
        }
    if (!*c->ret_error)
        *c->ret_error = errf("%s:%u:%u: %s", c->path, line, col, what);
    return -EINVAL;
}

/* Skip white space, then the character want (or fail naming what was expected). */
static int expect_char(struct cursor *c, char want, const char *what)
{
    skip_ws(c);
    if (c->pos >= c->len || c->buf[c->pos] != want)
        return fail_at(c, c->pos, c->pos >= c->len ? "the file ends too early (truncated?)" : what);
    c->pos++;
    return 0;
}

/* The next JSON value (after white space); NULL with the error set. */
static json_t *next_value(struct cursor *c)
{
    skip_ws(c);
    json_error_t jerr;
    json_t *v =
        json_loadb(c->buf + c->pos, c->len - c->pos,
                   JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    if (!v) {
        fail_at(c, c->pos + (size_t)(jerr.position > 0 ? jerr.position : 0), jerr.text);
        return NULL;
    }
    c->pos += (size_t)jerr.position;
    return v;
}

/* Step over one value without building it: strings (with escapes), nesting, scalars. The
 * merge parses it for real; this only has to find where it ends. */
static int skip_value(struct cursor *c)
{
    skip_ws(c);
    size_t depth = 0, start = c->pos;
    while (c->pos < c->len) {
        char ch = c->buf[c->pos];
        if (ch == '"') {
            const char *p = c->buf + c->pos + 1, *end = c->buf + c->len;
            while (p < end && *p != '"')
                p += *p == '\\' ? 2 : 1;
            if (p >= end)
                break;
            c->pos = (size_t)(p - c->buf) + 1;
            if (depth == 0)
                return 0;
        } else if (ch == '[' || ch == '{') {
            depth++;
            c->pos++;
        } else if (ch == ']' || ch == '}') {
            if (depth == 0) /* the end of what holds a scalar */
                return c->pos > start ? 0 : fail_at(c, c->pos, "expected a value");
            c->pos++;
            if (--depth == 0)
                return 0;
        } else if (depth == 0 &&
                   (ch == ',' || ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r')) {
            return c->pos > start ? 0 : fail_at(c, c->pos, "expected a value");
        } else {
            c->pos++;
        }
    }
    if (depth == 0 && c->pos > start)
        return 0;
    return fail_at(c, c->len, "the file ends too early (truncated?)");
}

/* ---- workloads ---- */

static char *str_or_null(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? strdup(s) : NULL;
}

static bool load_time(json_t *a, int64_t *sec, uint32_t *msec)
{
    if (!json_is_array(a) || json_array_size(a) != 2)
        return false;
    json_t *s = json_array_get(a, 0), *m = json_array_get(a, 1);
    if (!json_is_integer(s) || !json_is_integer(m) || json_integer_value(m) < 0 ||
        json_integer_value(m) > 999)
        return false;
    *sec = json_integer_value(s);
    *msec = (uint32_t)json_integer_value(m);
    return true;
}

/* An entry's "buckets" (absent: none) into out; NULL, or what is wrong with them. */
static const char *load_buckets(json_t *b, const struct scw_agg_grid *grid, uint64_t count,
                                uint32_t *out)
{
    if (!b)
        return NULL;
    if (!json_is_array(b))
        return "\"buckets\" must be a list of counts";
    if (json_array_size(b) > SCW_ENTRY_BUCKETS)
        return "\"buckets\" has more than 16 counts";
    size_t i;
    json_t *v;
    uint64_t sum = 0;
    json_array_foreach(b, i, v)
    {
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > UINT32_MAX)
            return "a count of \"buckets\" is not a number from 0 to 4294967295";
        out[i] = (uint32_t)json_integer_value(v);
        sum += out[i];
        if (out[i] && !grid->width)
            return "\"buckets\" holds counts, but no \"buckets\" grid comes before \"workloads\"";
        if (out[i] && grid->origin + (int64_t)i * grid->width >= SCW_GRID_TIME_LIMIT)
            return "a count of \"buckets\" lies past the grid's last time (year 36812)";
    }
    return sum > count ? "the \"buckets\" add up to more than \"count\"" : NULL;
}

/* One entry: checked (what is wrong with its buckets in *ret_why), then merged when agg is
 * not NULL. */
static int load_entry(struct scw_aggregate *agg, uint32_t wi, json_t *o, uint64_t *events,
                      const struct scw_agg_grid *grid, const char **ret_why)
{
    *ret_why = NULL;
    struct scw_agg_entry e = {.workload = wi};
    json_t *arch = json_object_get(o, "arch"), *nr = json_object_get(o, "syscall"),
           *code = json_object_get(o, "code"), *count = json_object_get(o, "count");
    if (!json_is_integer(arch) || !json_is_integer(nr) || !json_is_integer(code) ||
        !json_is_integer(count) || json_integer_value(count) < 0 || json_integer_value(arch) < 0 ||
        json_integer_value(arch) > UINT32_MAX || json_integer_value(nr) < 0 ||
        json_integer_value(nr) > UINT32_MAX || json_integer_value(code) < 0 ||
        json_integer_value(code) > UINT32_MAX)
        return -EINVAL;
    e.arch = (uint32_t)json_integer_value(arch);
    e.syscall = (uint32_t)json_integer_value(nr);
    e.code = (uint32_t)json_integer_value(code);
    e.count = (uint64_t)json_integer_value(count);
    if (!load_time(json_object_get(o, "first"), &e.first_sec, &e.first_msec) ||
        !load_time(json_object_get(o, "last"), &e.last_sec, &e.last_msec))
        return -EINVAL;
    if ((*ret_why = load_buckets(json_object_get(o, "buckets"), grid, e.count, e.buckets)))
        return -EINVAL;
    *events += e.count;
    if (!agg)
        return 0;
    json_t *pids = json_object_get(o, "pids"), *v;
    size_t i;
    json_array_foreach(pids, i, v)
    {
        if (e.n_pids < SCW_ENTRY_PIDS && json_is_integer(v))
            e.pids[e.n_pids++] = (int32_t)json_integer_value(v);
    }
    e.pids_truncated = json_is_true(json_object_get(o, "pids_truncated"));
    e.exes_truncated = json_is_true(json_object_get(o, "exes_truncated"));
    const char *exes[SCW_ENTRY_EXES];
    size_t n_exes = 0;
    json_array_foreach(json_object_get(o, "exes"), i, v)
    {
        if (n_exes < SCW_ENTRY_EXES && json_is_string(v))
            exes[n_exes++] = json_string_value(v);
    }
    int rc = scw_aggregate_merge(agg, &e, exes, n_exes, grid);
    return rc == -ENOSPC ? 0 : rc; /* a bound hit is counted, not an error */
}

/*
 * A kept profile's path as recorded ("state.json.profiles/<hash>.json"; older watchers wrote
 * it relative to their own working directory, "dir/state.json.profiles/<hash>.json"; a
 * watcher given an absolute --state writes an absolute path), made a path that works from
 * here: the copies live beside the state file, and they travel with it (kubectl cp, merge),
 * so a file in "<state>.profiles/" is looked for beside the state that was loaded, and any
 * other relative path is taken relative to the state's directory. An absolute path in a
 * "*.profiles/" folder is looked for beside the state too (where the state was collected to,
 * under whatever name), and kept as it is when no copy is there; other absolute paths and
 * stdin ("-") keep theirs.
 */
static char *kept_path(const char *state_path, char *kept)
{
    if (!kept || !state_path || strcmp(state_path, "-") == 0)
        return kept;
    const char *slash = strrchr(state_path, '/');
    size_t dir_len = slash ? (size_t)(slash - state_path) + 1 : 0; /* with its '/' */
    const char *base = slash ? slash + 1 : state_path;
    const char *file = strrchr(kept, '/');
    const char *rel = kept;
    if (kept[0] == '/') {
        /* ".../X.profiles/<file>": beside this state, "<dir><base>.profiles/<file>" */
        const char *parent = file;
        while (parent > kept && parent[-1] != '/')
            parent--;
        size_t pl = (size_t)(file - parent);
        char *here = NULL;
        if (pl <= 9 || strncmp(file - 9, ".profiles", 9) != 0 ||
            asprintf(&here, "%.*s%s.profiles%s", (int)dir_len, state_path, base, file) < 0)
            return kept;
        if (access(here, R_OK) != 0) {
            free(here);
            return kept;
        }
        free(kept);
        return here;
    }
    if (file) {
        /* the folder before the file name: "<base>.profiles"? */
        const char *parent = file;
        while (parent > kept && parent[-1] != '/')
            parent--;
        size_t pl = (size_t)(file - parent), bl = strlen(base);
        if (pl == bl + 9 && strncmp(parent, base, bl) == 0 &&
            strncmp(parent + bl, ".profiles", 9) == 0)
            rel = parent;
    }
    char *out = NULL;
    if (asprintf(&out, "%.*s%s", (int)dir_len, state_path, rel) < 0)
        return kept;
    free(kept);
    return out;
}

static void container_release(struct scw_container *ct)
{
    free(ct->runtime);
    free(ct->id);
    free(ct->runtime_namespace);
    scw_container_labels_free(ct->labels);
    free(ct->name);
    free(ct->image);
    free(ct->cgroup);
    free(ct->pod);
    free(ct->namespace);
    free(ct->pod_uid);
    free(ct->k8s_container);
    free(ct->profile);
    free(ct->profile_kept);
}

/* What a document and the merge of it share. */
struct doc {
    struct cursor c;
    const char *state_path;    /* the file as given: kept profile paths are relative to it */
    struct scw_aggregate *agg; /* NULL: checking only (scan with validate) */
    const int *node_map;       /* merge: document node -> aggregate node, -1 left out */
    struct scw_state_node_info *nodes;
    size_t n_nodes;
    long version;
    struct scw_agg_grid grid; /* "buckets" (width 0: none) */
};

/* A workload's entry k refused: "path:line:col: workload 'key' entry k: why" (at: where the
 * workload starts), or the plain message when there is no why. */
static int entry_error(struct doc *d, size_t at, const char *key, size_t k, const char *why)
{
    if (!why) {
        *d->c.ret_error = errf("%s: workload '%s' entry %zu is invalid", d->c.path, key, k);
        return -EINVAL;
    }
    char *what = errf("workload '%s' entry %zu: %s", key, k, why);
    if (!what)
        return -ENOMEM;
    fail_at(&d->c, at, what);
    free(what);
    return -EINVAL;
}

/* One workload object (at: its offset): its container, then its entries (merged when
 * d->agg). */
static int load_workload(struct doc *d, json_t *w, size_t index, size_t at)
{
    const char *path = d->c.path;
    char **ret_error = d->c.ret_error;
    const char *key = json_string_value(json_object_get(w, "key"));
    json_t *c = json_object_get(w, "container");
    json_t *entries = json_object_get(w, "entries");
    json_t *jnode = json_object_get(w, "node");
    if (!key || !json_is_array(entries)) {
        *ret_error = errf("%s: workload %zu has no key or entries", path, index);
        return -EINVAL;
    }
    size_t node = 0;
    if (jnode || d->version >= 2) {
        if (!json_is_integer(jnode) || json_integer_value(jnode) < 0 ||
            (size_t)json_integer_value(jnode) >= d->n_nodes) {
            *ret_error = errf("%s: workload '%s' names no node of the \"nodes\" list", path, key);
            return -EINVAL;
        }
        node = (size_t)json_integer_value(jnode);
    }
    size_t k;
    json_t *e;
    uint64_t events = 0;
    const char *why = NULL;
    if (!d->agg || d->node_map[node] < 0) {
        /* checked (or left out): every entry must still be valid */
        json_array_foreach(entries, k, e)
        {
            if (load_entry(NULL, 0, e, &events, &d->grid, &why) < 0)
                return entry_error(d, at, key, k, why);
        }
        d->nodes[node].workloads++;
        d->nodes[node].events += events;
        return 0;
    }
    struct scw_container ct = {0}, *cp = NULL;
    if (json_is_object(c)) {
        ct.runtime = str_or_null(c, "runtime");
        ct.id = str_or_null(c, "id");
        ct.runtime_namespace = str_or_null(c, "runtime_namespace");
        ct.labels = scw_aggregate_labels_from_json(json_object_get(c, "labels"));
        ct.name = str_or_null(c, "name");
        ct.image = str_or_null(c, "image");
        ct.cgroup = str_or_null(c, "cgroup");
        ct.pod = str_or_null(c, "pod");
        ct.namespace = str_or_null(c, "namespace");
        ct.pod_uid = str_or_null(c, "pod_uid");
        ct.k8s_container = str_or_null(c, "k8s_container");
        ct.profile = str_or_null(c, "profile_path");
        ct.profile_kept = kept_path(d->state_path, str_or_null(c, "profile_kept"));
        cp = &ct;
    }
    int wi = scw_aggregate_workload_on(d->agg, (uint32_t)d->node_map[node], key, cp);
    container_release(&ct);
    if (wi == -ENOSPC)
        return 0; /* a bound hit is counted, not an error */
    if (wi < 0)
        return wi;
    json_array_foreach(entries, k, e)
    {
        int rc = load_entry(d->agg, (uint32_t)wi, e, &events, &d->grid, &why);
        if (rc < 0)
            return rc == -EINVAL ? entry_error(d, at, key, k, why) : rc;
    }
    return 0;
}

/* "workloads": [ {...}, ... ], each checked or merged as soon as it is parsed. */
static int load_workloads(struct doc *d)
{
    struct cursor *c = &d->c;
    int rc = expect_char(c, '[', "expected '[' (\"workloads\" is a list)");
    skip_ws(c);
    if (rc == 0 && c->pos < c->len && c->buf[c->pos] == ']') {
        c->pos++;
        return 0;
    }
    for (size_t i = 0; rc == 0; i++) {
        skip_ws(c);
        if (c->pos < c->len && c->buf[c->pos] != '{')
            return fail_at(c, c->pos, "expected a workload object");
        size_t at = c->pos;
        json_t *w = next_value(c);
        if (!w)
            return -EINVAL;
        rc = load_workload(d, w, i, at);
        json_decref(w);
        skip_ws(c);
        if (rc == 0 && c->pos < c->len && c->buf[c->pos] == ']') {
            c->pos++;
            return 0;
        }
        if (rc == 0)
            rc = expect_char(c, ',', "expected ',' or ']' after a workload");
    }
    return rc;
}

/* ---- the document ---- */

static bool key_is(const char *key, const char *want)
{
    return strcmp(key, want) == 0;
}

static int64_t i64(json_t *v)
{
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

/* The "nodes" list of version 2. */
static int read_nodes(struct doc *d, json_t *v, size_t at)
{
    if (!json_is_array(v) || json_array_size(v) > SCW_AGG_MAX_NODES)
        return fail_at(&d->c, at, "\"nodes\" must be a list of at most 65536 nodes");
    d->nodes = calloc(json_array_size(v) ? json_array_size(v) : 1, sizeof(*d->nodes));
    if (!d->nodes)
        return -ENOMEM;
    d->n_nodes = json_array_size(v);
    size_t i;
    json_t *n;
    json_array_foreach(v, i, n)
    {
        struct scw_state_node_info *ni = &d->nodes[i];
        json_t *name = json_object_get(n, "name"), *obs = json_object_get(n, "observed");
        if (!json_is_object(n) || (!json_is_string(name) && !json_is_null(name)) ||
            (json_is_string(name) && !json_string_length(name)))
            return fail_at(&d->c, at, "a node of \"nodes\" has no \"name\" (a string or null)");
        for (size_t k = 0; json_is_string(name) && k < i; k++)
            if (d->nodes[k].name && strcmp(d->nodes[k].name, json_string_value(name)) == 0)
                return fail_at(&d->c, at, "a node appears twice in \"nodes\"");
        if (json_is_string(name) && !(ni->name = strdup(json_string_value(name))))
            return -ENOMEM;
        ni->saved_at = i64(json_object_get(n, "saved_at"));
        if (json_is_array(obs) && json_array_size(obs) == 2) {
            ni->observed_from = i64(json_array_get(obs, 0));
            ni->observed_to = i64(json_array_get(obs, 1));
        }
        scw_aggregate_counters_from_json(json_object_get(n, "input"), &ni->stats, &ni->drops);
    }
    return 0;
}

/* "buckets": the time grid of the entries' buckets. */
static int read_grid(struct doc *d, json_t *v, size_t at)
{
    json_t *o = json_object_get(v, "origin"), *w = json_object_get(v, "width");
    if (!json_is_object(v) || !json_is_integer(o) || !json_is_integer(w))
        return fail_at(&d->c, at, "\"buckets\" must be {\"origin\": SECONDS, \"width\": SECONDS}");
    struct scw_agg_grid g = {json_integer_value(o), json_integer_value(w)};
    if (g.width < 1 || g.width > SCW_GRID_MAX_WIDTH || (g.width & (g.width - 1)))
        return fail_at(
            &d->c, at,
            "the \"width\" of \"buckets\" must be a power of two from 1 to 2^36 seconds");
    if (g.origin < 0 || g.origin >= SCW_GRID_TIME_LIMIT)
        return fail_at(&d->c, at,
                       "the \"origin\" of \"buckets\" must be a time from 0 to 2^40 seconds");
    if (g.origin % g.width)
        return fail_at(&d->c, at,
                       "the \"origin\" of \"buckets\" must be a multiple of its \"width\"");
    d->grid = g;
    return 0;
}

/* The members of the outer object. Scan (d->agg NULL, validate false): workloads skipped. */
static int read_document(struct doc *d, bool validate, int64_t *ret_saved_at)
{
    struct cursor *c = &d->c;
    json_t *input = NULL;
    bool format = false, version = false, workloads = false, nodes = false, grid = false;
    int rc = expect_char(c, '{', "not a scmpwatch state file (expected a JSON object)");
    skip_ws(c);
    bool empty = rc == 0 && c->pos < c->len && c->buf[c->pos] == '}';
    if (empty)
        c->pos++;
    while (rc == 0 && !empty) {
        skip_ws(c);
        size_t at = c->pos;
        if (c->pos < c->len && c->buf[c->pos] != '"') {
            rc = fail_at(c, at, "expected a member name");
            break;
        }
        json_t *k = next_value(c);
        if (!k) {
            rc = -EINVAL;
            break;
        }
        char key[32];
        snprintf(key, sizeof(key), "%s", json_string_value(k));
        json_decref(k);
        if ((rc = expect_char(c, ':', "expected ':' after a member name")) < 0)
            break;
        if ((key_is(key, "format") && format) || (key_is(key, "version") && version) ||
            (key_is(key, "workloads") && workloads) || (key_is(key, "input") && input) ||
            (key_is(key, "nodes") && nodes) || (key_is(key, "buckets") && grid)) {
            char msg[64];
            snprintf(msg, sizeof(msg), "\"%s\" appears twice", key);
            rc = fail_at(c, at, msg);
            break;
        }
        if (key_is(key, "buckets") && workloads) {
            rc = fail_at(c, at, "\"buckets\" must come before \"workloads\"");
            break;
        }
        if (key_is(key, "workloads")) {
            if (!format || !version) {
                rc = fail_at(c, at,
                             "not a scmpwatch state file (\"format\" and \"version\" must come "
                             "before \"workloads\")");
                break;
            }
            if (d->version >= 2 && !nodes) {
                rc = fail_at(c, at, "\"nodes\" must come before \"workloads\"");
                break;
            }
            if (d->version < 2 && !d->nodes) {
                /* version 1: one node, unnamed; its counters are "input" (read at the end) */
                if (!(d->nodes = calloc(1, sizeof(*d->nodes))))
                    return -ENOMEM;
                d->n_nodes = 1;
            }
            workloads = true;
            rc = d->agg || validate ? load_workloads(d) : skip_value(c);
        } else {
            json_t *v = next_value(c);
            if (!v) {
                rc = -EINVAL;
                break;
            }
            if (key_is(key, "format")) {
                format = true;
                if (!json_is_string(v) || strcmp(json_string_value(v), SCW_STATE_FORMAT_NAME)) {
                    *c->ret_error = errf("%s: not a scmpwatch state file (no \"format\": \"%s\")",
                                         c->path, SCW_STATE_FORMAT_NAME);
                    rc = -EINVAL;
                }
            } else if (key_is(key, "version")) {
                version = true;
                d->version = json_is_integer(v) ? (long)json_integer_value(v) : -1;
                if (d->version > SCW_STATE_VERSION) {
                    *c->ret_error =
                        errf("%s: state file version %ld, written by a newer scmpwatch; this one "
                             "reads versions %d to %d: upgrade scmpwatch where you merge (or merge "
                             "with the newer one)",
                             c->path, d->version, SCW_STATE_VERSION_MIN, SCW_STATE_VERSION);
                    rc = -EINVAL;
                } else if (d->version < SCW_STATE_VERSION_MIN) {
                    *c->ret_error =
                        errf("%s: state file version %ld, this scmpwatch reads "
                             "versions %d to %d",
                             c->path, d->version, SCW_STATE_VERSION_MIN, SCW_STATE_VERSION);
                    rc = -EINVAL;
                }
            } else if (key_is(key, "input")) {
                input = json_incref(v);
            } else if (key_is(key, "saved_at")) {
                *ret_saved_at = i64(v);
            } else if (key_is(key, "buckets")) {
                grid = true;
                rc = read_grid(d, v, at);
            } else if (key_is(key, "nodes") && d->version >= 2) {
                nodes = true;
                if (!d->nodes)
                    rc = read_nodes(d, v, at);
            }
            json_decref(v);
        }
        if (rc < 0)
            break;
        skip_ws(c);
        if (c->pos < c->len && c->buf[c->pos] == '}') {
            c->pos++;
            break;
        }
        rc = expect_char(c, ',', "expected ',' or '}' after a member");
    }
    if (rc == 0 && (!format || !workloads)) {
        *c->ret_error = errf("%s: not a scmpwatch state file (no \"format\": \"%s\")", c->path,
                             SCW_STATE_FORMAT_NAME);
        rc = -EINVAL;
    }
    if (rc == 0 && d->version < 2 && d->n_nodes == 1) {
        struct scw_state_node_info *ni = &d->nodes[0];
        scw_aggregate_counters_from_json(input, &ni->stats, &ni->drops);
        ni->saved_at = *ret_saved_at;
    }
    json_decref(input);
    return rc;
}

static void nodes_free(struct scw_state_node_info *nodes, size_t n)
{
    for (size_t i = 0; nodes && i < n; i++)
        free(nodes[i].name);
    free(nodes);
}

int scw_state_scan(const struct scw_state_src *s, size_t offset, bool validate,
                   struct scw_state_info *ret, char **ret_error)
{
    memset(ret, 0, sizeof(*ret));
    *ret_error = NULL;
    const char *shown = strcmp(s->path, "-") == 0 ? "<stdin>" : s->path;
    struct doc d = {
        .c = {.buf = s->buf, .len = s->len, .pos = offset, .path = shown, .ret_error = ret_error}};
    skip_ws(&d.c);
    if (d.c.pos >= d.c.len)
        return 1;
    ret->start = d.c.pos;
    int64_t saved_at = 0;
    int rc = read_document(&d, validate, &saved_at);
    if (rc < 0) {
        nodes_free(d.nodes, d.n_nodes);
        if (rc == -EINVAL && !*ret_error)
            *ret_error = errf("%s: not a scmpwatch state file", shown);
        return rc;
    }
    ret->version = d.version;
    ret->saved_at = saved_at;
    ret->nodes = d.nodes;
    ret->n_nodes = d.n_nodes;
    ret->end = d.c.pos;
    return 0;
}

void scw_state_info_release(struct scw_state_info *info)
{
    nodes_free(info->nodes, info->n_nodes);
    memset(info, 0, sizeof(*info));
}

int scw_state_merge(struct scw_aggregate *agg, const struct scw_state_src *s,
                    const struct scw_state_info *info, const int *node_map, char **ret_error)
{
    *ret_error = NULL;
    const char *shown = strcmp(s->path, "-") == 0 ? "<stdin>" : s->path;
    struct scw_state_node_info *scratch =
        calloc(info->n_nodes ? info->n_nodes : 1, sizeof(*scratch));
    if (!scratch)
        return -ENOMEM;
    /* the header again (cheap); the nodes are info's, already read */
    struct doc d = {.c = {.buf = s->buf,
                          .len = s->len,
                          .pos = info->start,
                          .path = shown,
                          .ret_error = ret_error},
                    .agg = agg,
                    .node_map = node_map,
                    .nodes = scratch,
                    .n_nodes = info->n_nodes};
    d.state_path = s->path; /* kept profile paths are resolved against the file as given */
    int64_t saved_at = 0;
    int rc = read_document(&d, true, &saved_at);
    free(scratch);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < info->n_nodes; i++) {
        if (node_map[i] < 0)
            continue;
        const struct scw_state_node_info *ni = &info->nodes[i];
        scw_aggregate_node_add(agg, (uint32_t)node_map[i], &ni->stats, &ni->drops,
                               ni->observed_from, ni->observed_to, ni->saved_at);
    }
    return 0;
}
