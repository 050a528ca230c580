/*
 * profile_read: a Docker profile or an OCI config.json (its linux.seccomp) into the model of
 * profile_impl.h. Measures the document against our bounds, decodes it with jansson (duplicate
 * keys refused), tells the two kinds apart, checks every field's JSON type, and fills the
 * model with pointers into the document (which keeps every field, known or not, in input
 * order); then runs profile_check.c's checks.
 *
 * Load errors are only what makes a document unreadable for a runtime's JSON decoder
 * (syntax, wrong types: Go's decoder refuses them too) and our bounds; duplicate keys are a
 * warning (runtimes read them, differently). It does not judge values (unknown actions, names,
 * flags: profile_check.c) and answers no query (profile_model.c). Called by the cli's profile
 * commands, by profile_write.c (derived profiles are read back from their text) and by tests
 * and the profile fuzzer.
 */
#include "profile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "profile_impl.h"

struct loader {
    struct scw_profile *p;
    struct scw_profile_diags *errs; /* the caller's; may be NULL */
    struct scw_jsonpath path[PROFILE_MAX_PATH];
    size_t depth;
    bool failed, nomem;
    size_t total_names;
};

static void push_key(struct loader *ld, const char *key)
{
    if (ld->depth < PROFILE_MAX_PATH)
        ld->path[ld->depth] = (struct scw_jsonpath){.key = key};
    ld->depth++;
}

static void push_index(struct loader *ld, size_t index)
{
    if (ld->depth < PROFILE_MAX_PATH)
        ld->path[ld->depth] = (struct scw_jsonpath){.index = index};
    ld->depth++;
}

static void pop(struct loader *ld)
{
    ld->depth--;
}

static void lerr(struct loader *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lerr(struct loader *ld, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    profile_vdiag(ld->p, ld->errs, SCW_DIAG_ERROR, ld->path,
                  ld->depth < PROFILE_MAX_PATH ? ld->depth : PROFILE_MAX_PATH, fmt, ap);
    va_end(ap);
    ld->failed = true;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return json_integer_value(v) < 0 ? "a negative number" : "an integer";
    case JSON_REAL:
        return "a fractional number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "something else";
}

json_t *profile_member(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_null(v) ? NULL : v;
}

static bool want_string(struct loader *ld, const json_t *obj, const char *key, const char **ret)
{
    *ret = NULL;
    json_t *v = profile_member(obj, key);
    if (!v)
        return true;
    if (!json_is_string(v)) {
        push_key(ld, key);
        lerr(ld, "'%s' must be a string, not %s", key, type_name(v));
        pop(ld);
        return false;
    }
    *ret = json_string_value(v);
    return true;
}

/* A non-negative integer member; *ret = -1 when absent. */
static bool want_uint(struct loader *ld, const json_t *obj, const char *key, int64_t *ret)
{
    *ret = -1;
    json_t *v = profile_member(obj, key);
    if (!v)
        return true;
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        push_key(ld, key);
        lerr(ld, "'%s' must be a non-negative integer, not %s", key, type_name(v));
        pop(ld);
        return false;
    }
    *ret = json_integer_value(v);
    return true;
}

/*
 * v (at key) must be an array of `of` ("objects", "strings") with at most max `items`: says
 * which rule it breaks, at the current location, and returns false otherwise.
 */
static bool check_array(struct loader *ld, const json_t *v, const char *key, const char *of,
                        size_t max, const char *items)
{
    if (!json_is_array(v)) {
        lerr(ld, "'%s' must be an array of %s, not %s", key, of, type_name(v));
        return false;
    }
    if (json_array_size(v) > max) {
        lerr(ld, "'%s' has %zu %s; scmpwatch reads at most %zu", key, json_array_size(v), items,
             max);
        return false;
    }
    return true;
}

static bool want_strings(struct loader *ld, const json_t *obj, const char *key, size_t max,
                         const char ***ret, size_t *ret_n)
{
    *ret = NULL;
    *ret_n = 0;
    json_t *v = profile_member(obj, key);
    if (!v)
        return true;
    push_key(ld, key);
    bool ok = false;
    const char **arr = NULL;
    size_t n = json_array_size(v);
    if (!check_array(ld, v, key, "strings", max, "items"))
        goto out;
    if (n && !(arr = calloc(n, sizeof(*arr)))) {
        ld->nomem = ld->failed = true;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_array_get(v, i);
        if (!json_is_string(s)) {
            push_index(ld, i);
            lerr(ld, "'%s' must hold strings, not %s", key, type_name(s));
            pop(ld);
            goto out;
        }
        arr[i] = json_string_value(s);
    }
    *ret = arr;
    *ret_n = n;
    arr = NULL;
    ok = true;
out:
    free(arr);
    pop(ld);
    return ok;
}

/* An object member (absent/null: NULL, true). */
static bool want_object(struct loader *ld, const json_t *obj, const char *key, json_t **ret)
{
    *ret = profile_member(obj, key);
    if (*ret && !json_is_object(*ret)) {
        push_key(ld, key);
        lerr(ld, "'%s' must be an object, not %s", key, type_name(*ret));
        pop(ld);
        *ret = NULL;
        return false;
    }
    return true;
}

static const struct {
    const char *name;
    enum scmp_compare op;
} ops[] = {
    {"SCMP_CMP_NE", SCMP_CMP_NE},
    {"SCMP_CMP_LT", SCMP_CMP_LT},
    {"SCMP_CMP_LE", SCMP_CMP_LE},
    {"SCMP_CMP_EQ", SCMP_CMP_EQ},
    {"SCMP_CMP_GE", SCMP_CMP_GE},
    {"SCMP_CMP_GT", SCMP_CMP_GT},
    {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
};

static enum scmp_compare op_from_name(const char *name)
{
    for (size_t i = 0; name && i < sizeof(ops) / sizeof(ops[0]); i++)
        if (strcmp(ops[i].name, name) == 0)
            return ops[i].op;
    return _SCMP_CMP_MIN;
}

static bool load_args(struct loader *ld, const json_t *obj, struct profile_entry *e)
{
    json_t *v = profile_member(obj, "args");
    if (!v)
        return true;
    push_key(ld, "args");
    bool ok = false;
    size_t n = json_array_size(v);
    if (!check_array(ld, v, "args", "objects", SCW_PROFILE_MAX_ARGS, "items"))
        goto out;
    if (n && !(e->args = calloc(n, sizeof(*e->args)))) {
        ld->nomem = ld->failed = true;
        goto out;
    }
    unsigned seen = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *a = json_array_get(v, i);
        struct profile_arg *arg = &e->args[i];
        push_index(ld, i);
        if (!json_is_object(a)) {
            lerr(ld, "each of 'args' must be an object, not %s", type_name(a));
            pop(ld);
            goto out;
        }
        int64_t index, value, value_two;
        bool good = want_uint(ld, a, "index", &index);
        good &= want_uint(ld, a, "value", &value);
        good &= want_uint(ld, a, "valueTwo", &value_two);
        good &= want_string(ld, a, "op", &arg->op_name);
        pop(ld);
        if (!good)
            goto out;
        arg->index = index < 0 ? 0 : (uint64_t)index;
        arg->value = value < 0 ? 0 : (uint64_t)value;
        arg->value_two = value_two < 0 ? 0 : (uint64_t)value_two;
        arg->op = op_from_name(arg->op_name);
        if (arg->index < 6) {
            if (seen & (1u << arg->index))
                e->args_split = true;
            seen |= 1u << arg->index;
        }
        e->n_args = i + 1;
    }
    ok = true;
out:
    pop(ld);
    return ok;
}

static bool load_cond(struct loader *ld, const json_t *obj, const char *key, struct profile_cond *c,
                      bool *has_cond)
{
    json_t *v;
    if (!want_object(ld, obj, key, &v))
        return false;
    if (!v)
        return true;
    push_key(ld, key);
    bool ok = want_strings(ld, v, "caps", SCW_PROFILE_MAX_LIST, &c->caps, &c->n_caps);
    ok &= want_strings(ld, v, "arches", SCW_PROFILE_MAX_LIST, &c->arches, &c->n_arches);
    ok &= want_string(ld, v, "minKernel", &c->min_kernel);
    pop(ld);
    /* moby: "" reads as 0.0 (every kernel meets it); else "A.B", each 0 to 255, not 0.0 */
    if (c->min_kernel && !c->min_kernel[0])
        c->kernel_valid = true;
    else if (c->min_kernel)
        c->kernel_valid =
            profile_parse_kernel(c->min_kernel, &c->kernel_major, &c->kernel_minor, true) &&
            c->kernel_major <= 255 && c->kernel_minor <= 255 &&
            (c->kernel_major || c->kernel_minor);
    if (c->n_caps || c->n_arches || c->min_kernel)
        *has_cond = true;
    return ok;
}

static bool load_entry(struct loader *ld, const json_t *obj, struct profile_entry *e)
{
    e->errno_ret = -1;
    e->action = SCW_ACTION_INVALID;
    if (!json_is_object(obj)) {
        lerr(ld, "each of 'syscalls' must be an object, not %s", type_name(obj));
        return false;
    }
    const char *name;
    bool ok = want_strings(ld, obj, "names", SCW_PROFILE_MAX_NAMES, &e->names, &e->n_names);
    ok &= want_string(ld, obj, "name", &name);
    ok &= want_string(ld, obj, "action", &e->action_name);
    ok &= want_uint(ld, obj, "errnoRet", &e->errno_ret);
    ok &= load_args(ld, obj, e);
    if (ld->p->kind == SCW_PROFILE_DOCKER) {
        const char *comment;
        ok &= want_string(ld, obj, "comment", &comment);
        ok &= load_cond(ld, obj, "includes", &e->inc, &e->has_cond);
        ok &= load_cond(ld, obj, "excludes", &e->exc, &e->has_cond);
        if (name && e->n_names) {
            e->name_and_names = true;
        } else if (name) {
            if (!(e->names = malloc(sizeof(*e->names)))) {
                ld->nomem = ld->failed = true;
                return false;
            }
            e->names[0] = name;
            e->n_names = 1;
            e->from_name = true;
        }
    }
    e->action = scw_profile_action_from_name(e->action_name);
    ld->total_names += e->n_names;
    if (ld->total_names > SCW_PROFILE_MAX_NAMES) {
        push_key(ld, "names");
        lerr(ld, "the profile lists more than %d syscall names; scmpwatch reads at most that",
             SCW_PROFILE_MAX_NAMES);
        pop(ld);
        return false;
    }
    return ok;
}

static bool load_archmap(struct loader *ld, const json_t *sc)
{
    json_t *v = profile_member(sc, "archMap");
    if (!v)
        return true;
    push_key(ld, "archMap");
    bool ok = false;
    size_t n = json_array_size(v);
    if (!check_array(ld, v, "archMap", "objects", SCW_PROFILE_MAX_LIST, "items"))
        goto out;
    struct scw_profile *p = ld->p;
    if (n && !(p->map = calloc(n, sizeof(*p->map)))) {
        ld->nomem = ld->failed = true;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *m = json_array_get(v, i);
        struct profile_archmap *am = &p->map[i];
        push_index(ld, i);
        if (!json_is_object(m)) {
            lerr(ld, "each of 'archMap' must be an object, not %s", type_name(m));
            pop(ld);
            goto out;
        }
        const char **subs;
        bool good = want_string(ld, m, "architecture", &am->arch_name);
        good &= want_strings(ld, m, "subArchitectures", SCW_PROFILE_MAX_LIST, &subs, &am->n_subs);
        pop(ld);
        if (!good) {
            free(subs); /* the list may have loaded when "architecture" did not */
            goto out;
        }
        am->arch = am->arch_name ? profile_arch_from_name(am->arch_name) : 0;
        for (size_t s = 0; s < am->n_subs; s++) {
            am->sub_names[s] = subs[s];
            am->subs[s] = profile_arch_from_name(subs[s]);
        }
        free(subs);
        p->n_map = i + 1;
    }
    ok = true;
out:
    pop(ld);
    return ok;
}

static bool load_seccomp(struct loader *ld)
{
    struct scw_profile *p = ld->p;
    const json_t *sc = p->sc;
    const char *metadata;
    bool ok = want_string(ld, sc, "defaultAction", &p->default_name);
    ok &= want_uint(ld, sc, "defaultErrnoRet", &p->default_errno);
    ok &= want_strings(ld, sc, "architectures", SCW_PROFILE_MAX_LIST, &p->arch_names, &p->n_arches);
    ok &= want_strings(ld, sc, "flags", SCW_PROFILE_MAX_LIST, &p->flags, &p->n_flags);
    ok &= want_string(ld, sc, "listenerPath", &p->listener_path);
    ok &= want_string(ld, sc, "listenerMetadata", &metadata);
    p->has_listener_metadata = metadata != NULL;
    if (p->kind == SCW_PROFILE_DOCKER)
        ok &= load_archmap(ld, sc);
    p->default_action = scw_profile_action_from_name(p->default_name);
    if (p->n_arches) {
        if (!(p->arches = calloc(p->n_arches, sizeof(*p->arches)))) {
            ld->nomem = ld->failed = true;
            return false;
        }
        for (size_t i = 0; i < p->n_arches; i++)
            p->arches[i] = profile_arch_from_name(p->arch_names[i]);
    }
    for (size_t i = 0; i < p->n_flags; i++) {
        p->flag_log |= strcmp(p->flags[i], "SECCOMP_FILTER_FLAG_LOG") == 0;
        p->flag_spec_allow |= strcmp(p->flags[i], "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0;
    }

    json_t *v = profile_member(sc, "syscalls");
    if (!v)
        return ok;
    push_key(ld, "syscalls");
    size_t n = json_array_size(v);
    if (!check_array(ld, v, "syscalls", "objects", SCW_PROFILE_MAX_ENTRIES, "entries")) {
        ok = false;
    } else if (n && !(p->entries = calloc(n, sizeof(*p->entries)))) {
        ld->nomem = ld->failed = true;
        ok = false;
    } else {
        for (size_t i = 0; i < n && !ld->nomem; i++) {
            push_index(ld, i);
            p->n_entries = i + 1;
            ok &= load_entry(ld, json_array_get(v, i), &p->entries[i]);
            pop(ld);
        }
    }
    pop(ld);
    return ok;
}

int scw_profile_load(const char *source, const char *data, size_t len, struct scw_profile **ret,
                     struct scw_profile_diags *diags)
{
    if (!data || !ret)
        return -EINVAL;
    if (len > SCW_PROFILE_MAX_BYTES) {
        scw_profile_diags_add(diags, SCW_DIAG_ERROR, 0, 0, "",
                              "'%s' is %zu bytes; scmpwatch reads profiles up to %u bytes",
                              profile_shown_source(source), len, SCW_PROFILE_MAX_BYTES);
        return -EFBIG;
    }
    struct scw_json_measure m;
    scw_jsonpos_measure(data, len, SCW_PROFILE_MAX_VALUES, SCW_PROFILE_MAX_DEPTH, &m);
    if (m.too_big) {
        scw_profile_diags_add(diags, SCW_DIAG_ERROR, m.line, m.column, "",
                              "the document is too large: more than %d values or nested deeper "
                              "than %d levels",
                              SCW_PROFILE_MAX_VALUES, SCW_PROFILE_MAX_DEPTH);
        return -EINVAL;
    }
    /* Duplicate keys: Go's decoder (Docker, Podman, runc) keeps the last value, crun the first;
     * jansson keeps the last. Found with a strict parse first, then read without it. */
    json_error_t jerr, dup = {.line = 0};
    json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc && json_error_code(&jerr) == json_error_duplicate_key) {
        dup = jerr;
        doc = json_loadb(data, len, 0, &jerr);
    }
    if (!doc) {
        bool overflow = json_error_code(&jerr) == json_error_numeric_overflow;
        scw_profile_diags_add(
            diags, SCW_DIAG_ERROR, jerr.line > 0 ? (unsigned)jerr.line : 0,
            jerr.column > 0 ? (unsigned)jerr.column : 0, "", "invalid JSON: %s%s", jerr.text,
            overflow ? " (scmpwatch reads integers up to 9223372036854775807)" : "");
        return -EINVAL;
    }
    if (!json_is_object(doc)) {
        scw_profile_diags_add(diags, SCW_DIAG_ERROR, 1, 1, "",
                              "the document is %s, not an object (a seccomp profile or an OCI "
                              "config.json)",
                              type_name(doc));
        json_decref(doc);
        return -EINVAL;
    }
    struct scw_profile *p = calloc(1, sizeof(*p));
    if (!p || !(p->text = malloc(len + 1)) || !(p->source = strdup(source ? source : "-"))) {
        json_decref(doc);
        scw_profile_free(p);
        return -ENOMEM;
    }
    memcpy(p->text, data, len);
    p->text[len] = '\0';
    p->len = len;
    p->doc = doc;
    p->default_errno = -1;
    if (scw_jsonpos_new(p->text, len, SCW_PROFILE_MAX_VALUES, SCW_PROFILE_MAX_DEPTH, &p->pos) < 0)
        p->pos = NULL; /* positions are a courtesy: messages go without them */

    struct loader ld = {.p = p, .errs = diags};
    json_t *linux_obj = json_object_get(doc, "linux");
    if (json_object_get(doc, "ociVersion") ||
        (json_is_object(linux_obj) && json_object_get(linux_obj, "seccomp"))) {
        p->kind = SCW_PROFILE_OCI;
        json_t *sc = json_is_object(linux_obj) ? profile_member(linux_obj, "seccomp") : NULL;
        if (!sc) {
            push_key(&ld, "linux");
            lerr(&ld, "this config.json has no linux.seccomp: the container runs without a "
                      "seccomp filter, there is no profile to read");
            goto fail;
        }
        p->base[0] = (struct scw_jsonpath){.key = "linux"};
        p->base[1] = (struct scw_jsonpath){.key = "seccomp"};
        p->n_base = 2;
        if (!json_is_object(sc)) {
            lerr(&ld, "linux.seccomp must be an object, not %s", type_name(sc));
            goto fail;
        }
        p->sc = sc;
    } else {
        p->kind = SCW_PROFILE_DOCKER;
        p->sc = doc;
    }
    if (!load_seccomp(&ld) || ld.failed)
        goto fail;
    if (dup.line > 0)
        scw_profile_diags_add(&p->diags, SCW_DIAG_WARNING, (unsigned)dup.line,
                              dup.column > 0 ? (unsigned)dup.column : 0, "",
                              "%s: Docker, Podman and runc use the last value, crun the first; "
                              "scmpwatch reads and writes the last (the first duplicate found; "
                              "remove it)",
                              dup.text);
    profile_check(p);
    *ret = p;
    return 0;
fail:;
    bool nomem = ld.nomem;
    scw_profile_free(p);
    return nomem ? -ENOMEM : -EINVAL;
}

int scw_profile_load_file(const char *path, struct scw_profile **ret,
                          struct scw_profile_diags *diags)
{
    if (!path || !ret)
        return -EINVAL;
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        int e = errno;
        scw_profile_diags_add(diags, SCW_DIAG_ERROR, 0, 0, "", "cannot open '%s': %s", path,
                              strerror(e));
        return -e;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    int rc = 0;
    while (buf) {
        if (len == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                rc = -ENOMEM;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (len > SCW_PROFILE_MAX_BYTES) {
            rc = -EFBIG;
            break;
        }
        if (n == 0) {
            if (ferror(f))
                rc = -EIO;
            break;
        }
    }
    if (!buf)
        rc = -ENOMEM;
    if (!is_stdin)
        fclose(f);
    if (rc == -EFBIG || (rc == 0 && len > SCW_PROFILE_MAX_BYTES)) {
        scw_profile_diags_add(diags, SCW_DIAG_ERROR, 0, 0, "",
                              "'%s' is larger than %u bytes, the most scmpwatch reads",
                              profile_shown_source(path), SCW_PROFILE_MAX_BYTES);
        rc = -EFBIG;
    } else if (rc < 0) {
        scw_profile_diags_add(diags, SCW_DIAG_ERROR, 0, 0, "", "cannot read '%s': %s",
                              profile_shown_source(path), strerror(-rc));
    } else {
        rc = scw_profile_load(path, buf, len, ret, diags);
    }
    free(buf);
    return rc;
}
