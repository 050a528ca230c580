/*
 * state: save and load the aggregate (see state.h). The format carries raw numbers (audit
 * arch, syscall number, action code) rather than names, so a state written on one machine
 * reads the same on another whatever its libseccomp knows.
 */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic_file.h"
#include "readall.h"
#include "aggregate_json.h"
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
    fprintf(f, "],\"exes_truncated\":%s}", e->exes_truncated ? "true" : "false");
}

/* The state document, written one workload at a time (compact): memory follows the
 * aggregate, not the document, even at a million entries. */
static int write_state(const struct scw_aggregate *agg, FILE *f)
{
    struct scw_agg_view v;
    if (scw_aggregate_view(agg, &v) < 0)
        return -ENOMEM;
    json_t *head = json_object();
    json_object_set_new(head, "format", json_string(SCW_STATE_FORMAT_NAME));
    json_object_set_new(head, "version", json_integer(SCW_STATE_VERSION));
    json_object_set_new(head, "saved_at", json_integer((json_int_t)time(NULL)));
    json_object_set_new(head, "input", scw_aggregate_input_json(agg));
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
    rc = scw_atomic_close(&af, write_state(agg, af.f));
    if (rc == 0)
        rc = scw_atomic_commit(&af);
    scw_atomic_abort(&af);
    return rc;
}

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

static uint64_t u64(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) && json_integer_value(v) >= 0 ? (uint64_t)json_integer_value(v) : 0;
}

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

static int load_entry(struct scw_aggregate *agg, uint32_t wi, json_t *o)
{
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
    int rc = scw_aggregate_merge(agg, &e, exes, n_exes);
    return rc == -ENOSPC ? 0 : rc; /* a bound hit is counted, not an error */
}

/* One workload object: its container, then its entries merged into agg. */
/*
 * A kept profile's path as recorded ("state.json.profiles/<hash>.json"; older watchers wrote
 * it relative to their own working directory, "dir/state.json.profiles/<hash>.json"), made a
 * path that works from here: the copies live beside the state file, so a file in
 * "<state>.profiles/" is looked for beside the state that was loaded, and any other relative
 * path is taken relative to the state's directory. Absolute paths and stdin ("-") keep theirs.
 */
static char *kept_path(const char *state_path, char *kept)
{
    if (!kept || kept[0] == '/' || !state_path || strcmp(state_path, "-") == 0)
        return kept;
    const char *slash = strrchr(state_path, '/');
    size_t dir_len = slash ? (size_t)(slash - state_path) + 1 : 0; /* with its '/' */
    const char *base = slash ? slash + 1 : state_path;
    const char *file = strrchr(kept, '/');
    const char *rel = kept;
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

static int load_workload(struct scw_aggregate *agg, json_t *w, size_t index, const char *path,
                         char **ret_error)
{
    const char *key = json_string_value(json_object_get(w, "key"));
    json_t *c = json_object_get(w, "container");
    json_t *entries = json_object_get(w, "entries");
    if (!key || !json_is_array(entries)) {
        *ret_error = errf("%s: workload %zu has no key or entries", path, index);
        return -EINVAL;
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
        ct.profile_kept = kept_path(path, str_or_null(c, "profile_kept"));
        cp = &ct;
    }
    int wi = scw_aggregate_workload(agg, key, cp);
    free(ct.runtime);
    free(ct.id);
    free(ct.runtime_namespace);
    scw_container_labels_free(ct.labels);
    free(ct.name);
    free(ct.image);
    free(ct.cgroup);
    free(ct.pod);
    free(ct.namespace);
    free(ct.pod_uid);
    free(ct.k8s_container);
    free(ct.profile);
    free(ct.profile_kept);
    if (wi == -ENOSPC)
        return 0; /* a bound hit is counted, not an error */
    if (wi < 0)
        return wi;
    size_t k;
    json_t *e;
    json_array_foreach(entries, k, e)
    {
        int rc = load_entry(agg, (uint32_t)wi, e);
        if (rc < 0) {
            if (rc == -EINVAL)
                *ret_error = errf("%s: workload '%s' entry %zu is invalid", path, key, k);
            return rc;
        }
    }
    return 0;
}

/*
 * The document is read as a stream of values, one workload at a time, so loading needs the
 * memory of the aggregate plus one workload's JSON, not a JSON tree of the whole file (which
 * took 2 GiB for a million entries). The outer object is walked here; every value in it is
 * parsed by jansson (JSON_DISABLE_EOF_CHECK stops after the value and reports its length).
 */
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

/* "workloads": [ {...}, ... ], each merged as soon as it is parsed. */
static int load_workloads(struct cursor *c, struct scw_aggregate *agg)
{
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
        json_t *w = next_value(c);
        if (!w)
            return -EINVAL;
        rc = load_workload(agg, w, i, c->path, c->ret_error);
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

static bool key_is(const char *key, const char *want)
{
    return strcmp(key, want) == 0;
}

/* The members of the outer object; workloads are merged as they come. */
static int load_document(struct cursor *c, struct scw_aggregate *agg)
{
    json_t *input = NULL;
    bool format = false, version = false, workloads = false;
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
            (key_is(key, "workloads") && workloads) || (key_is(key, "input") && input)) {
            char msg[64];
            snprintf(msg, sizeof(msg), "\"%s\" appears twice", key);
            rc = fail_at(c, at, msg);
            break;
        }
        if (key_is(key, "workloads")) {
            if (!format || !version) {
                rc = fail_at(c, at,
                             "not a scmpwatch state file (\"format\" and \"version\" must come "
                             "before \"workloads\")");
                break;
            }
            workloads = true;
            rc = load_workloads(c, agg);
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
                if (!json_is_integer(v) || json_integer_value(v) != SCW_STATE_VERSION) {
                    *c->ret_error = errf("%s: state file version %lld, this scmpwatch reads "
                                         "version %d",
                                         c->path, json_is_integer(v) ? json_integer_value(v) : -1LL,
                                         SCW_STATE_VERSION);
                    rc = -EINVAL;
                }
            } else if (key_is(key, "input")) {
                input = json_incref(v);
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
    skip_ws(c);
    if (rc == 0 && c->pos < c->len)
        rc = fail_at(c, c->pos, "data after the end of the state document");
    if (rc == 0 && (!format || !workloads)) {
        *c->ret_error = errf("%s: not a scmpwatch state file (no \"format\": \"%s\")", c->path,
                             SCW_STATE_FORMAT_NAME);
        rc = -EINVAL;
    }
    if (rc == 0) {
        struct scw_input_stats *s = scw_aggregate_stats(agg);
        s->lines += u64(input, "lines");
        s->seccomp += u64(input, "seccomp");
        s->malformed += u64(input, "malformed");
        s->oversized += u64(input, "oversized");
        s->other += u64(input, "other");
        s->unattributed += u64(input, "unattributed");
        s->lost += u64(input, "lost");
        if (u64(input, "kernel_lost") > s->kernel_lost)
            s->kernel_lost = u64(input, "kernel_lost");
    }
    json_decref(input);
    return rc;
}

/* The file's bytes: mapped when it is a regular file, else read (a pipe), within the bound. */
static int map_file(const char *path, char **ret_error, char **ret_buf, size_t *ret_len,
                    bool *ret_mapped)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    if ((unsigned long)st.st_size > SCW_STATE_MAX_BYTES) {
        *ret_error = errf("%s: state file is %lld bytes, more than the %lu allowed", path,
                          (long long)st.st_size, SCW_STATE_MAX_BYTES);
        close(fd);
        return -EINVAL;
    }
    *ret_mapped = S_ISREG(st.st_mode) && st.st_size > 0;
    if (*ret_mapped) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
        if (m == MAP_FAILED)
            return -errno;
        *ret_buf = m;
        *ret_len = (size_t)st.st_size;
        return 0;
    }
    int rc = scw_read_all(fd, 0, SCW_STATE_MAX_BYTES, ret_buf, ret_len);
    close(fd);
    if (rc == -EFBIG)
        *ret_error =
            errf("%s: state file is more than the %lu bytes allowed", path, SCW_STATE_MAX_BYTES);
    return rc == -EFBIG ? -EINVAL : rc;
}

int scw_state_load(struct scw_aggregate *agg, const char *path, char **ret_error)
{
    char *buf = NULL;
    size_t len = 0;
    bool mapped = false;
    *ret_error = NULL;
    int rc = map_file(path, ret_error, &buf, &len, &mapped);
    if (rc < 0)
        return rc;
    struct cursor c = {.buf = buf, .len = len, .path = path, .ret_error = ret_error};
    rc = load_document(&c, agg);
    if (mapped)
        munmap(buf, len);
    else
        free(buf);
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
