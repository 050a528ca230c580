/*
 * state: save and load the aggregate (see state.h). The format carries raw numbers (audit
 * arch, syscall number, action code) rather than names, so a state written on one machine
 * reads the same on another whatever its libseccomp knows.
 */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

static json_t *entry_state(const struct scw_aggregate *agg, const struct scw_agg_entry *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "arch", json_integer(e->arch));
    json_object_set_new(o, "syscall", json_integer(e->syscall));
    json_object_set_new(o, "code", json_integer(e->code));
    json_object_set_new(o, "count", json_integer((json_int_t)e->count));
    json_object_set_new(o, "first",
                        json_pack("[I,i]", (json_int_t)e->first_sec, (int)e->first_msec));
    json_object_set_new(o, "last", json_pack("[I,i]", (json_int_t)e->last_sec, (int)e->last_msec));
    json_t *pids = json_array();
    for (unsigned k = 0; k < e->n_pids; k++)
        json_array_append_new(pids, json_integer(e->pids[k]));
    json_object_set_new(o, "pids", pids);
    json_object_set_new(o, "pids_truncated", json_boolean(e->pids_truncated));
    json_t *exes = json_array();
    for (unsigned k = 0; k < e->n_exes; k++)
        json_array_append_new(exes, scw_json_string(scw_aggregate_string(agg, e->exes[k])));
    json_object_set_new(o, "exes", exes);
    json_object_set_new(o, "exes_truncated", json_boolean(e->exes_truncated));
    return o;
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
    json_object_set_new(head, "input", scw_report_input_json(agg));
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
        json_object_set_new(o, "container", scw_json_container(w->container));
        json_t *entries = json_array();
        for (size_t k = v.start[i]; k < v.start[i + 1]; k++)
            json_array_append_new(entries,
                                  entry_state(agg, scw_aggregate_entry_at(agg, v.entries[k])));
        json_object_set_new(o, "entries", entries);
        if (i)
            fputc(',', f);
        if (json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER) < 0)
            rc = -EIO;
        json_decref(o);
    }
    if (rc == 0)
        fputs("]}\n", f);
    scw_agg_view_release(&v);
    return rc;
}

static int fsync_dir(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -ENOMEM;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd < 0)
        return -errno;
    int rc = fsync(fd) < 0 ? -errno : 0;
    close(fd);
    return rc;
}

int scw_state_save(const struct scw_aggregate *agg, const char *path)
{
    size_t len = strlen(path);
    char *tmp = malloc(len + 16);
    if (!tmp)
        return -ENOMEM;
    snprintf(tmp, len + 16, "%s.tmpXXXXXX", path);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        int e = -errno;
        free(tmp);
        return e;
    }
    fchmod(fd, 0600);
    int rc = 0;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        rc = -errno;
        close(fd);
    } else {
        if ((rc = write_state(agg, f)) == 0 && fflush(f) != 0)
            rc = -EIO;
        if (rc == 0 && fsync(fileno(f)) < 0)
            rc = -errno;
        if (fclose(f) != 0 && rc == 0)
            rc = -EIO;
    }
    if (rc == 0 && rename(tmp, path) < 0)
        rc = -errno;
    if (rc < 0)
        unlink(tmp);
    else
        fsync_dir(path);
    free(tmp);
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

int scw_state_load(struct scw_aggregate *agg, const char *path, char **ret_error)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return -errno;
    if ((unsigned long)st.st_size > SCW_STATE_MAX_BYTES) {
        *ret_error = errf("%s: state file is %lld bytes, more than the %lu allowed", path,
                          (long long)st.st_size, SCW_STATE_MAX_BYTES);
        return -EINVAL;
    }
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        if (access(path, R_OK) < 0)
            return -errno;
        *ret_error = errf("%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
        return -EINVAL;
    }
    int rc = 0;
    const char *fmt = json_string_value(json_object_get(doc, "format"));
    json_t *wls = json_object_get(doc, "workloads");
    if (!fmt || strcmp(fmt, SCW_STATE_FORMAT_NAME) != 0 || !json_is_array(wls)) {
        *ret_error = errf("%s: not a scmpwatch state file (no \"format\": \"%s\")", path,
                          SCW_STATE_FORMAT_NAME);
        rc = -EINVAL;
        goto out;
    }
    if (u64(doc, "version") != SCW_STATE_VERSION) {
        *ret_error = errf("%s: state file version %llu, this scmpwatch reads version %d", path,
                          (unsigned long long)u64(doc, "version"), SCW_STATE_VERSION);
        rc = -EINVAL;
        goto out;
    }
    json_t *in = json_object_get(doc, "input");
    struct scw_input_stats *s = scw_aggregate_stats(agg);
    s->lines += u64(in, "lines");
    s->seccomp += u64(in, "seccomp");
    s->malformed += u64(in, "malformed");
    s->oversized += u64(in, "oversized");
    s->other += u64(in, "other");
    s->unattributed += u64(in, "unattributed");
    s->lost += u64(in, "lost");
    if (u64(in, "kernel_lost") > s->kernel_lost)
        s->kernel_lost = u64(in, "kernel_lost");
    size_t i;
    json_t *w;
    json_array_foreach(wls, i, w)
    {
        const char *key = json_string_value(json_object_get(w, "key"));
        json_t *c = json_object_get(w, "container");
        json_t *entries = json_object_get(w, "entries");
        if (!key || !json_is_array(entries)) {
            *ret_error = errf("%s: workload %zu has no key or entries", path, i);
            rc = -EINVAL;
            goto out;
        }
        struct scw_container ct = {0}, *cp = NULL;
        if (json_is_object(c)) {
            ct.runtime = str_or_null(c, "runtime");
            ct.id = str_or_null(c, "id");
            ct.name = str_or_null(c, "name");
            ct.image = str_or_null(c, "image");
            ct.cgroup = str_or_null(c, "cgroup");
            ct.pod = str_or_null(c, "pod");
            ct.namespace = str_or_null(c, "namespace");
            ct.pod_uid = str_or_null(c, "pod_uid");
            ct.k8s_container = str_or_null(c, "k8s_container");
            ct.profile = str_or_null(c, "profile_path");
            ct.profile_kept = str_or_null(c, "profile_kept");
            cp = &ct;
        }
        int wi = scw_aggregate_workload(agg, key, cp);
        free(ct.runtime);
        free(ct.id);
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
            continue;
        if (wi < 0) {
            rc = wi;
            goto out;
        }
        size_t k;
        json_t *e;
        json_array_foreach(entries, k, e)
        {
            if ((rc = load_entry(agg, (uint32_t)wi, e)) < 0) {
                *ret_error = errf("%s: workload '%s' entry %zu is invalid", path, key, k);
                goto out;
            }
        }
    }
out:
    json_decref(doc);
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
