/*
 * seccompprofile: a tuned profile as the Security Profiles Operator's SeccompProfile (see
 * seccompprofile.h). One pass over the profile's JSON builds the spec and the comment lines
 * that say what changed on the way; a small block-style YAML writer prints both.
 *
 * includes/excludes are not evaluated here: each condition is put into a one-entry probe
 * profile and scw_profile_query answers whether its entry applies to the target, so moby's
 * rules (excludes before includes, capabilities, Docker arch names, minKernel) live only in
 * the profile module. The CRD's enums below are those of the operator's v1beta1 (and v1) API
 * as of v1.0.0 (api/seccompprofile/v1beta1/seccompprofile_types.go).
 */
#include "seccompprofile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>

#include "name.h"
#include "seccompprofile_impl.h"

static const char *const crd_actions[] = {
    "SCMP_ACT_KILL",        "SCMP_ACT_KILL_PROCESS",
    "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
    "SCMP_ACT_ERRNO",       "SCMP_ACT_TRACE",
    "SCMP_ACT_ALLOW",       "SCMP_ACT_LOG",
    "SCMP_ACT_NOTIFY",      NULL,
};
static const char *const crd_arches[] = {
    "SCMP_ARCH_NATIVE",   "SCMP_ARCH_X86",      "SCMP_ARCH_X86_64",
    "SCMP_ARCH_X32",      "SCMP_ARCH_ARM",      "SCMP_ARCH_AARCH64",
    "SCMP_ARCH_MIPS",     "SCMP_ARCH_MIPS64",   "SCMP_ARCH_MIPS64N32",
    "SCMP_ARCH_MIPSEL",   "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
    "SCMP_ARCH_PPC",      "SCMP_ARCH_PPC64",    "SCMP_ARCH_PPC64LE",
    "SCMP_ARCH_S390",     "SCMP_ARCH_S390X",    "SCMP_ARCH_PARISC",
    "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",  NULL,
};
static const char *const crd_flags[] = {
    "SECCOMP_FILTER_FLAG_TSYNC",
    "SECCOMP_FILTER_FLAG_LOG",
    "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
    "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    NULL,
};
static const char *const crd_ops[] = {
    "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",        "SCMP_CMP_EQ",
    "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ", NULL,
};
#define CRD_MAX_ARGS     6                                      /* syscalls[].args: maxItems */
#define CRD_LISTENER_DIR "/var/run/security-profiles-operator/" /* listenerPath's pattern */

static const char *const top_keys[] = {
    "defaultAction", "defaultErrnoRet", "architectures",    "archMap", "syscalls",
    "flags",         "listenerPath",    "listenerMetadata", NULL,
};
static const char *const entry_keys[] = {
    "names", "name", "action", "errnoRet", "args", "comment", "includes", "excludes", NULL,
};
static const char *const arg_keys[] = {"index", "value", "valueTwo", "op", NULL};

static bool in_set(const char *const *set, const char *s)
{
    for (; *set; set++)
        if (strcmp(*set, s) == 0)
            return true;
    return false;
}

/* A member, with null read as absent (as Go's decoder and the profile module do). */
static json_t *member(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_null(v) ? NULL : v;
}

/* ---- comment lines ---- */

#define lines seccompprofile_lines

__attribute__((format(printf, 2, 0))) static int lines_vadd(struct lines *l, const char *fmt,
                                                            va_list ap)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **v = realloc(l->v, cap * sizeof(*v));
        if (!v)
            return -ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    char *s;
    if (vasprintf(&s, fmt, ap) < 0)
        return -ENOMEM;
    l->v[l->n++] = s;
    return 0;
}

void seccompprofile_lines_free(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    *l = (struct lines){0};
}

/* ---- the conversion ---- */

struct conv {
    struct scw_profile_diags *diags; /* borrowed; may be NULL */
    struct scw_profile_host host;    /* the target, native resolved */
    bool kernel_given;
    const char *base; /* "" or "linux.seccomp.": paths in messages */
    struct seccompprofile_doc d;
    struct lines pending; /* lines for the next syscalls[] item kept */
    bool resolved;        /* archMap or a condition was resolved for the target */
    size_t comments;      /* entries whose comment became a YAML comment */
    size_t cond_kept, cond_left;
    bool cond_assumed; /* a condition depended on the assumed capabilities or kernel */
    char left_ids[200];
    int oom; /* -ENOMEM once a comment line could not be kept */
};

__attribute__((format(printf, 3, 4))) static void add_line(struct conv *c, struct lines *l,
                                                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (lines_vadd(l, fmt, ap) < 0)
        c->oom = -ENOMEM;
    va_end(ap);
}

/* Tell the caller: a warning (a loss, also a header line) or an error; returns -EINVAL. */
__attribute__((format(printf, 4, 0))) static int
vtell(struct conv *c, enum scw_diag_level level, const char *path, const char *fmt, va_list ap)
{
    char msg[400], where[160];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    snprintf(where, sizeof(where), "%s%s", path[0] ? c->base : "", path);
    if (c->diags)
        scw_profile_diags_add(c->diags, level, 0, 0, where, "%s", msg);
    if (level == SCW_DIAG_WARNING)
        add_line(c, &c->d.head, "warning: %s%s%s%s", msg, where[0] ? " [at " : "", where,
                 where[0] ? "]" : "");
    return -EINVAL;
}

__attribute__((format(printf, 3, 4))) static void warn(struct conv *c, const char *path,
                                                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vtell(c, SCW_DIAG_WARNING, path, fmt, ap);
    va_end(ap);
}

/* Not a profile the CRD can take. */
__attribute__((format(printf, 3, 4))) static int fail(struct conv *c, const char *path,
                                                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vtell(c, SCW_DIAG_ERROR, path, fmt, ap);
    va_end(ap);
    return rc;
}

static int put(json_t *obj, const char *key, json_t *v)
{
    return v && json_object_set_new(obj, key, v) == 0 ? 0 : -ENOMEM;
}

static int append(json_t *arr, json_t *v)
{
    return v && json_array_append_new(arr, v) == 0 ? 0 : -ENOMEM;
}

/* "x86_64, the runtimes' default capabilities, kernel 6.1 (this machine's)", into d.target */
static void describe_target(struct conv *c)
{
    const struct scw_profile_host *h = &c->host;
    FILE *f = fmemopen(c->d.target, sizeof(c->d.target) - 1, "w");
    if (!f)
        return;
    const char *arch = scw_name_arch(h->native);
    fprintf(f, "%s, %s", arch ? arch : "an unknown architecture",
            h->no_caps ? "no capabilities"
            : h->caps  ? "capabilities"
                       : "the runtimes' default capabilities");
    for (size_t i = 0; h->caps && !h->no_caps && i < h->n_caps; i++)
        fprintf(f, "%s%s", i ? ", " : " ", h->caps[i]);
    fprintf(f, ", kernel %u.%u%s", h->kernel_major, h->kernel_minor,
            c->kernel_given ? "" : " (this machine's)");
    fclose(f);
}

static int convert_default(struct conv *c, const json_t *sc)
{
    json_t *da = member(sc, "defaultAction");
    if (!json_is_string(da))
        return fail(c, "defaultAction", da ? "not a string" : "missing: the CRD requires it");
    const char *action = json_string_value(da);
    if (!in_set(crd_actions, action))
        warn(c, "defaultAction", "'%s' is not one of the CRD's actions: the API server refuses it",
             action);
    int rc = put(c->d.spec, "defaultAction", json_string(action));
    json_t *de = member(sc, "defaultErrnoRet");
    if (rc < 0 || !de)
        return rc;
    if (!json_is_integer(de) || json_integer_value(de) < 0)
        return fail(c, "defaultErrnoRet", "not a whole number >= 0");
    json_int_t e = json_integer_value(de);
    bool takes = strcmp(action, "SCMP_ACT_ERRNO") == 0 || strcmp(action, "SCMP_ACT_TRACE") == 0;
    if (takes && e != 1)
        warn(c, "defaultErrnoRet",
             "defaultErrnoRet %" JSON_INTEGER_FORMAT " left out: the CRD has no such field, so "
             "refused calls get EPERM (1) instead",
             e);
    else
        add_line(c, &c->d.head,
                 "defaultErrnoRet %" JSON_INTEGER_FORMAT " left out: the CRD has no such field, "
                 "and %s",
                 e, takes ? "EPERM is what runtimes return without it" : "the action takes none");
    return 0;
}

/* The strings of arr (path names it) appended to list, each once. */
static int add_strings(struct conv *c, json_t *list, const json_t *arr, const char *path)
{
    size_t i, k;
    json_t *v, *have;
    if (arr && !json_is_array(arr))
        return fail(c, path, "not a list");
    json_array_foreach(arr, i, v)
    {
        if (!json_is_string(v))
            return fail(c, path, "item %zu is not a string", i);
        bool dup = false;
        json_array_foreach(list, k, have) dup |= json_equal(have, v);
        if (!dup && json_array_append(list, v) < 0)
            return -ENOMEM;
    }
    return 0;
}

/* spec[key] = the strings of list that the CRD's enum set has; the others are warned about. */
static int put_enum(struct conv *c, const char *key, json_t *list, const char *const *set,
                    const char *path)
{
    json_t *keep = json_array();
    size_t i;
    json_t *v;
    int rc = keep ? 0 : -ENOMEM;
    json_array_foreach(list, i, v)
    {
        if (rc < 0)
            break;
        if (!in_set(set, json_string_value(v)))
            warn(c, path, "%s left out: not one of the CRD's %s", json_string_value(v), key);
        else if (json_array_append(keep, v) < 0)
            rc = -ENOMEM;
    }
    if (rc == 0 && json_array_size(keep))
        rc = json_object_set(c->d.spec, key, keep) == 0 ? 0 : -ENOMEM;
    json_decref(keep);
    return rc;
}

static int convert_arches(struct conv *c, const json_t *sc)
{
    json_t *ar = member(sc, "architectures"), *am = member(sc, "archMap");
    if (am && !json_is_array(am))
        return fail(c, "archMap", "not a list");
    if (json_array_size(ar) && json_array_size(am))
        return fail(c, "archMap", "both architectures and archMap: Docker refuses the profile");
    json_t *names = json_array(); /* the architectures wanted, as written */
    if (!names)
        return -ENOMEM;
    int rc = add_strings(c, names, ar, "architectures");
    char others[200] = "";
    bool found = false;
    size_t i;
    json_t *v;
    json_array_foreach(am, i, v)
    {
        json_t *a = member(v, "architecture"), *subs = member(v, "subArchitectures");
        if (rc < 0)
            break;
        if (!json_is_object(v) || !json_is_string(a)) {
            rc = fail(c, "archMap", "entry %zu is not {architecture, subArchitectures}", i);
        } else if (found || scw_name_arch_token(json_string_value(a)) != c->host.native) {
            size_t n = strlen(others);
            snprintf(others + n, sizeof(others) - n, "%s%s", n ? ", " : "", json_string_value(a));
        } else {
            found = true; /* Docker takes the first entry of the host's architecture */
            json_t *one = json_pack("[O]", a);
            rc = one ? add_strings(c, names, one, "archMap") : -ENOMEM;
            json_decref(one);
            if (rc == 0)
                rc = add_strings(c, names, subs, "archMap");
        }
    }
    const char *arch = scw_name_arch(c->host.native);
    if (rc == 0 && json_array_size(am)) {
        c->resolved = true;
        if (!found)
            warn(c, "archMap",
                 "no entry for %s: architectures left out (the node's native one only, as "
                 "Docker does)",
                 arch ? arch : "this architecture");
        else if (others[0])
            warn(c, "archMap",
                 "resolved for %s as Docker does; the entries for %s are left out: a "
                 "SeccompProfile has one list of architectures for every node",
                 arch ? arch : "this architecture", others);
        else
            add_line(c, &c->d.head, "archMap: its one entry became architectures");
    }
    if (rc == 0)
        rc = put_enum(c, "architectures", names, crd_arches, ar ? "architectures" : "archMap");
    json_decref(names);
    return rc;
}

/* Whether the includes/excludes of an entry hold for the target: 1, 0, or < 0. */
static int condition_holds(struct conv *c, const char *path, json_t *inc, json_t *exc,
                           bool *ret_assumed)
{
    json_t *entry = json_pack("{s:[s], s:s}", "names", "getpid", "action", "SCMP_ACT_ALLOW");
    json_t *probe =
        entry ? json_pack("{s:s, s:[O]}", "defaultAction", "SCMP_ACT_ERRNO", "syscalls", entry)
              : NULL;
    json_decref(entry);
    entry = probe ? json_array_get(json_object_get(probe, "syscalls"), 0) : NULL;
    if (!entry || (inc && json_object_set(entry, "includes", inc) < 0) ||
        (exc && json_object_set(entry, "excludes", exc) < 0)) {
        json_decref(probe);
        return -ENOMEM;
    }
    char *text = json_dumps(probe, JSON_COMPACT);
    json_decref(probe);
    if (!text)
        return -ENOMEM;
    struct scw_profile_diags pd;
    scw_profile_diags_init(&pd);
    struct scw_profile *p = NULL;
    int rc = scw_profile_load("conditions", text, strlen(text), &p, &pd);
    free(text);
    const struct scw_profile_diags *why = rc < 0 ? &pd : p ? scw_profile_diags(p) : NULL;
    struct scw_profile_answer a;
    bool ok = rc == 0 && scw_profile_ok(p);
    if (ok && (rc = scw_profile_query(p, &c->host, c->host.native, "getpid", &a)) < 0)
        ok = false;
    if (ok && a.match != SCW_MATCH_ENTRY && a.match != SCW_MATCH_DEFAULT)
        ok = false;
    if (ok) {
        *ret_assumed = a.assumed;
        rc = a.match == SCW_MATCH_ENTRY;
    } else if (rc != -ENOMEM) {
        const char *msg = "not understood";
        for (size_t i = 0; why && i < why->n; i++)
            if (why->items[i].level == SCW_DIAG_ERROR) {
                msg = why->items[i].message;
                break;
            }
        rc = fail(c, path, "its includes/excludes cannot be evaluated: %s", msg);
    }
    scw_profile_free(p);
    scw_profile_diags_free(&pd);
    return rc;
}

struct name_at {
    const char *s;
    size_t i;
};

static int cmp_name_at(const void *a, const void *b)
{
    const struct name_at *x = a, *y = b;
    int d = strcmp(x->s, y->s);
    return d ? d : (x->i > y->i) - (x->i < y->i);
}

/* names (or the deprecated name) without repeats, in their order; *ret_dups counts repeats. */
static int entry_names(struct conv *c, const json_t *e, const char *path, size_t *total,
                       json_t **ret, size_t *ret_dups)
{
    json_t *names = member(e, "names"), *name = member(e, "name");
    if (names && name)
        return fail(c, path, "both name and names: Docker refuses the entry");
    if ((names && !json_is_array(names)) || (name && !json_is_string(name)))
        return fail(c, path, "%s is not %s", names ? "names" : "name",
                    names ? "a list" : "a string");
    size_t n = name ? 1 : json_array_size(names);
    if ((*total += n) > SCW_PROFILE_MAX_NAMES) {
        fail(c, path, "more than %d syscall names in the profile", SCW_PROFILE_MAX_NAMES);
        return -E2BIG;
    }
    struct name_at *v = calloc(n ? n : 1, sizeof(*v));
    bool *dup = calloc(n ? n : 1, sizeof(*dup));
    json_t *out = json_array();
    int rc = v && dup && out ? 0 : -ENOMEM;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        json_t *s = name ? name : json_array_get(names, i);
        if (!json_is_string(s))
            rc = fail(c, path, "names[%zu] is not a string", i);
        else
            v[i] = (struct name_at){json_string_value(s), i};
    }
    size_t dups = 0;
    if (rc == 0) {
        /* sorted by name, then position: a name equal to the one before it is a repeat */
        qsort(v, n, sizeof(*v), cmp_name_at);
        for (size_t k = 1; k < n; k++)
            if (strcmp(v[k].s, v[k - 1].s) == 0) {
                dup[v[k].i] = true;
                dups++;
            }
        for (size_t i = 0; rc == 0 && i < n; i++)
            if (!dup[i])
                rc = append(out,
                            json_string(json_string_value(name ? name : json_array_get(names, i))));
    }
    free(v);
    free(dup);
    if (rc < 0) {
        json_decref(out);
        return rc;
    }
    *ret = out;
    *ret_dups = dups;
    return 0;
}

static int convert_args(struct conv *c, const json_t *args, const char *path, json_t *out_entry)
{
    if (!json_is_array(args))
        return fail(c, path, "args is not a list");
    if (json_array_size(args) > CRD_MAX_ARGS)
        warn(c, path, "%zu args: the CRD takes at most %d, the API server refuses the entry",
             json_array_size(args), CRD_MAX_ARGS);
    json_t *list = json_array();
    int rc = list ? 0 : -ENOMEM;
    size_t i;
    json_t *a;
    json_array_foreach(args, i, a)
    {
        char ap[96];
        snprintf(ap, sizeof(ap), "%s.args[%zu]", path, i);
        if (!json_is_object(a)) {
            rc = fail(c, ap, "not an object");
            break;
        }
        const char *key;
        json_t *v;
        json_object_foreach(a, key, v) if (!in_set(arg_keys, key) && !json_is_null(v))
            warn(c, ap, "'%s' left out: the CRD has no such field", key);
        json_t *index = member(a, "index"), *op = member(a, "op");
        json_t *value = member(a, "value"), *two = member(a, "valueTwo");
        if (!json_is_integer(index) || json_integer_value(index) < 0 ||
            json_integer_value(index) > INT32_MAX) {
            rc = fail(c, ap, "index is %s", index ? "not a whole number >= 0" : "missing");
            break;
        }
        if ((value && (!json_is_integer(value) || json_integer_value(value) < 0)) ||
            (two && (!json_is_integer(two) || json_integer_value(two) < 0))) {
            rc = fail(c, ap, "value and valueTwo must be whole numbers >= 0");
            break;
        }
        if (!json_is_string(op)) {
            rc = fail(c, ap, "op is %s", op ? "not a string" : "missing");
            break;
        }
        if (!in_set(crd_ops, json_string_value(op)))
            warn(c, ap, "op '%s' is not one of the CRD's: the API server refuses it",
                 json_string_value(op));
        json_t *o = json_object();
        rc = o ? put(o, "index", json_integer(json_integer_value(index))) : -ENOMEM;
        if (rc == 0 && value)
            rc = put(o, "value", json_integer(json_integer_value(value)));
        if (rc == 0 && two)
            rc = put(o, "valueTwo", json_integer(json_integer_value(two)));
        if (rc == 0)
            rc = put(o, "op", json_string(json_string_value(op)));
        if (rc == 0)
            rc = append(list, o);
        else
            json_decref(o);
        if (rc < 0)
            break;
    }
    if (rc == 0 && json_array_size(list))
        rc = json_object_set(out_entry, "args", list) == 0 ? 0 : -ENOMEM;
    json_decref(list);
    return rc;
}

/* "(SCMP_ACT_ALLOW: bpf, clone, clone3 and 17 more)" */
static void describe_entry(const json_t *names, const char *action, char *buf, size_t size)
{
    size_t used = (size_t)snprintf(buf, size, "(%s:", action);
    size_t i;
    json_t *v;
    json_array_foreach(names, i, v)
    {
        if (i == 3) {
            snprintf(buf + used, size - used, " and %zu more", json_array_size(names) - 3);
            break;
        }
        int w = snprintf(buf + used, size - used, "%s %s", i ? "," : "", json_string_value(v));
        if (w < 0 || used + (size_t)w >= size)
            break;
        used += (size_t)w;
    }
    used = strlen(buf);
    snprintf(buf + used, size - used, ")");
}

/* One entry of syscalls[]: kept (appended to list, its comment lines in c->d.before) or not. */
static int convert_entry(struct conv *c, const json_t *e, size_t idx, size_t *total, json_t *list)
{
    char path[48];
    snprintf(path, sizeof(path), "syscalls[%zu]", idx);
    if (!json_is_object(e))
        return fail(c, path, "not an object");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)e, key, v) if (!in_set(entry_keys, key) && !json_is_null(v))
        warn(c, path, "'%s' left out: the CRD has no such field", key);
    json_t *action = member(e, "action"), *errno_ret = member(e, "errnoRet");
    if (!json_is_string(action))
        return fail(c, path, "action is %s", action ? "not a string" : "missing");
    if (!in_set(crd_actions, json_string_value(action)))
        warn(c, path, "action '%s' is not one of the CRD's: the API server refuses it",
             json_string_value(action));
    if (errno_ret && (!json_is_integer(errno_ret) || json_integer_value(errno_ret) < 0 ||
                      json_integer_value(errno_ret) > INT32_MAX))
        return fail(c, path, "errnoRet is not a whole number from 0 to %d", INT32_MAX);
    json_t *comment = member(e, "comment"), *inc = member(e, "includes");
    json_t *exc = member(e, "excludes");
    if ((comment && !json_is_string(comment)) || (inc && !json_is_object(inc)) ||
        (exc && !json_is_object(exc)))
        return fail(c, path, "comment, includes or excludes of the wrong JSON type");

    json_t *names = NULL, *out = NULL;
    size_t dups = 0;
    int rc = entry_names(c, e, path, total, &names, &dups);
    if (rc < 0)
        return rc;
    char what[160];
    describe_entry(names, json_string_value(action), what, sizeof(what));
    struct lines own = {0};
    bool keep = json_array_size(names) > 0;
    if (!keep)
        add_line(c, &c->pending, "%s %s left out: no syscall names (the CRD needs one)", path,
                 what);
    if (keep && (json_object_size(inc) || json_object_size(exc))) {
        bool assumed = false;
        if ((rc = condition_holds(c, path, inc, exc, &assumed)) < 0)
            goto out;
        keep = rc == 1;
        c->resolved = true;
        c->cond_assumed |= assumed;
        char *ci = json_object_size(inc) ? json_dumps(inc, JSON_COMPACT) : NULL;
        char *ce = json_object_size(exc) ? json_dumps(exc, JSON_COMPACT) : NULL, *cond = NULL;
        if (asprintf(&cond, "%s%s%s%s%s", ci ? "includes " : "", ci ? ci : "",
                     ci && ce ? " and " : "", ce ? "excludes " : "", ce ? ce : "") < 0)
            cond = NULL;
        free(ci);
        free(ce);
        if (!cond) {
            rc = -ENOMEM;
            goto out;
        }
        if (keep) {
            c->cond_kept++;
            add_line(c, &own, "%s %s: holds for this target, kept without it", path, cond);
        } else {
            c->cond_left++;
            size_t n = strlen(c->left_ids);
            snprintf(c->left_ids + n, sizeof(c->left_ids) - n, "%s[%zu]", n ? ", " : "", idx);
            add_line(c, &c->pending, "%s %s left out: %s does not hold for this target", path, what,
                     cond);
        }
        free(cond);
    }
    if (!keep)
        goto out;
    if (comment) {
        c->comments++;
        add_line(c, &own, "%s", json_string_value(comment));
    }
    if (dups)
        add_line(c, &own, "%s: %zu repeated name%s dropped", path, dups, dups == 1 ? "" : "s");
    out = json_object();
    rc = out ? put(out, "action", json_string(json_string_value(action))) : -ENOMEM;
    if (rc == 0 && errno_ret)
        rc = put(out, "errnoRet", json_integer(json_integer_value(errno_ret)));
    if (rc == 0 && member(e, "args"))
        rc = convert_args(c, member(e, "args"), path, out);
    if (rc == 0)
        rc = json_object_set(out, "names", names) == 0 ? 0 : -ENOMEM;
    if (rc == 0) {
        /* the lines of entries left out since the last kept one, then its own */
        struct lines *b = &c->d.before[c->d.n_before++];
        *b = c->pending;
        c->pending = (struct lines){0};
        for (size_t i = 0; i < own.n && rc == 0; i++)
            add_line(c, b, "%s", own.v[i]);
        rc = append(list, out);
        out = NULL;
    }
out:
    seccompprofile_lines_free(&own);
    json_decref(out);
    json_decref(names);
    return rc < 0 ? rc : 0;
}

static int convert_syscalls(struct conv *c, const json_t *sc)
{
    json_t *calls = member(sc, "syscalls");
    if (!calls)
        return 0;
    if (!json_is_array(calls))
        return fail(c, "syscalls", "not a list");
    if (json_array_size(calls) > SCW_PROFILE_MAX_ENTRIES) {
        fail(c, "syscalls", "more than %d entries", SCW_PROFILE_MAX_ENTRIES);
        return -E2BIG;
    }
    json_t *list = json_array();
    c->d.before = calloc(json_array_size(calls) + 1, sizeof(*c->d.before));
    if (!list || !c->d.before) {
        json_decref(list);
        return -ENOMEM;
    }
    size_t total = 0, i;
    json_t *e;
    int rc = 0;
    json_array_foreach(calls, i, e) if ((rc = convert_entry(c, e, i, &total, list)) < 0) break;
    if (rc == 0 && json_array_size(list))
        rc = json_object_set(c->d.spec, "syscalls", list) == 0 ? 0 : -ENOMEM;
    json_decref(list);
    if (rc < 0)
        return rc;
    /* lines of entries left out after the last kept one */
    struct lines *to = c->d.n_before ? &c->d.tail : &c->d.head;
    for (size_t k = 0; k < c->pending.n; k++)
        add_line(c, to, "%s", c->pending.v[k]);
    seccompprofile_lines_free(&c->pending);
    if (c->comments)
        warn(c, "syscalls",
             "%zu comment%s kept as YAML comments only: the CRD has no comment field", c->comments,
             c->comments == 1 ? "" : "s");
    if (c->cond_kept + c->cond_left) {
        size_t n = c->cond_kept + c->cond_left;
        warn(c, "syscalls",
             "includes/excludes of %zu entr%s resolved for this target as Docker does (%zu kept "
             "without their condition, %zu left out%s%s)%s: the CRD has no conditions, so other "
             "targets need their own object",
             n, n == 1 ? "y" : "ies", c->cond_kept, c->cond_left, c->cond_left ? ": " : "",
             c->left_ids, c->cond_assumed ? " with assumed capabilities or kernel" : "");
    }
    return 0;
}

static int convert_rest(struct conv *c, const json_t *sc)
{
    json_t *lp = member(sc, "listenerPath"), *lm = member(sc, "listenerMetadata");
    json_t *flags = member(sc, "flags");
    if ((lp && !json_is_string(lp)) || (lm && !json_is_string(lm)))
        return fail(c, lp && !json_is_string(lp) ? "listenerPath" : "listenerMetadata",
                    "not a string");
    int rc = 0;
    if (lp) {
        const char *s = json_string_value(lp), *rest = s + strlen(CRD_LISTENER_DIR);
        bool ok = strncmp(s, CRD_LISTENER_DIR, strlen(CRD_LISTENER_DIR)) == 0 && *rest;
        for (; ok && *rest; rest++)
            ok = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.",
                        *rest) != NULL;
        if (!ok)
            warn(c, "listenerPath",
                 "the CRD takes only a socket directly in " CRD_LISTENER_DIR
                 ": the API server refuses '%s'",
                 s);
        rc = put(c->d.spec, "listenerPath", json_string(s));
    }
    if (rc == 0 && lm)
        rc = put(c->d.spec, "listenerMetadata", json_string(json_string_value(lm)));
    json_t *list = rc == 0 && flags ? json_array() : NULL;
    if (rc < 0 || !flags || !list)
        return rc < 0 || !flags ? rc : -ENOMEM;
    rc = add_strings(c, list, flags, "flags");
    if (rc == 0)
        rc = put_enum(c, "flags", list, crd_flags, "flags");
    json_decref(list);
    return rc;
}

static void conv_free(struct conv *c)
{
    json_decref(c->d.spec);
    seccompprofile_lines_free(&c->d.head);
    seccompprofile_lines_free(&c->pending);
    seccompprofile_lines_free(&c->d.tail);
    for (size_t i = 0; i < c->d.n_before; i++)
        seccompprofile_lines_free(&c->d.before[i]);
    free(c->d.before);
}

static int convert(const json_t *profile, const struct scw_seccompprofile_opts *opts,
                   struct scw_profile_diags *diags, struct conv *c)
{
    *c = (struct conv){.diags = diags, .base = ""};
    if (opts && opts->host)
        c->host = *opts->host;
    if (!c->host.native)
        c->host.native = seccomp_arch_native();
    c->kernel_given = c->host.kernel_major || c->host.kernel_minor;
    struct utsname u;
    if (!c->kernel_given && uname(&u) == 0 &&
        sscanf(u.release, "%u.%u", &c->host.kernel_major, &c->host.kernel_minor) != 2)
        c->host.kernel_major = c->host.kernel_minor = 0;
    if (!(c->d.spec = json_object()))
        return -ENOMEM;
    if (!json_is_object(profile))
        return fail(c, "", "the profile is not a JSON object");
    const json_t *sc = profile;
    json_t *lin = member(profile, "linux");
    if (member(profile, "ociVersion") || (json_is_object(lin) && member(lin, "seccomp"))) {
        sc = json_is_object(lin) ? member(lin, "seccomp") : NULL;
        if (!json_is_object(sc))
            return fail(c, "linux.seccomp", "an OCI config.json without a linux.seccomp object");
        c->base = "linux.seccomp.";
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)sc, key, v) if (!in_set(top_keys, key) && !json_is_null(v))
        warn(c, key, "'%s' left out: the CRD has no such field", key);
    int rc = convert_default(c, sc);
    if (rc == 0)
        rc = convert_arches(c, sc);
    if (rc == 0)
        rc = convert_syscalls(c, sc);
    if (rc == 0)
        rc = convert_rest(c, sc);
    if (rc == 0 && c->resolved)
        describe_target(c);
    return rc < 0 ? rc : c->oom;
}

int scw_seccompprofile_spec(const json_t *profile, const struct scw_seccompprofile_opts *opts,
                            json_t **ret_spec, struct scw_profile_diags *diags)
{
    struct conv c;
    int rc = convert(profile, opts, diags, &c);
    if (rc == 0) {
        *ret_spec = c.d.spec;
        c.d.spec = NULL;
    }
    conv_free(&c);
    return rc;
}

int scw_seccompprofile_render(const json_t *profile, const char *group,
                              const struct scw_seccompprofile_opts *opts, char **ret_text,
                              size_t *ret_len, struct scw_profile_diags *diags)
{
    char name[SCW_SECCOMPPROFILE_NAME_MAX + 1];
    if (!ret_text || scw_seccompprofile_name(group, name, sizeof(name)) < 0)
        return -EINVAL;
    struct conv c;
    int rc = convert(profile, opts, diags, &c);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = rc == 0 ? open_memstream(&text, &len) : NULL;
    if (rc == 0 && !mem)
        rc = -ENOMEM;
    if (rc == 0)
        rc = seccompprofile_yaml_write(mem, &c.d, group, name, opts ? opts->source : NULL);
    if (mem && (fclose(mem) != 0 || (rc == 0 && !text)) && rc == 0)
        rc = -ENOMEM;
    conv_free(&c);
    if (rc < 0) {
        free(text);
        return rc;
    }
    *ret_text = text;
    if (ret_len)
        *ret_len = len;
    return 0;
}
