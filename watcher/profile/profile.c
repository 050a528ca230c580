/*
 * profile: reading Docker profiles and OCI config.json seccomp sections into a model that
 * points into the jansson document (which keeps every field, known or not, in input order),
 * checking them as runtimes would, answering queries, deriving log-only and tuned variants
 * (edits on a copy of the document, then written and read back, so a derived profile is
 * exactly what a later read of its text gives) and writing canonical JSON.
 *
 * Load errors are only what makes a document unreadable for a runtime's JSON decoder (syntax,
 * wrong types, our bounds); everything else is a finding kept with the profile. Called by
 * cmd_profile.c, by the advise/report stages (query, tune) and by tests.
 */
#include "profile.h"
#include "spelling.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "name.h"
#include "profile_impl.h"

#define MAX_ERRNO 4095
#define MAX_PATH  16 /* steps of a JSON path we build (base + entry + arg + field) */

/* ---- actions ---- */

static const struct {
    enum scw_action action;
    const char *name;
} action_names[] = {
    {SCW_ACTION_KILL_PROCESS, "SCMP_ACT_KILL_PROCESS"},
    {SCW_ACTION_KILL_THREAD, "SCMP_ACT_KILL_THREAD"},
    {SCW_ACTION_TRAP, "SCMP_ACT_TRAP"},
    {SCW_ACTION_ERRNO, "SCMP_ACT_ERRNO"},
    {SCW_ACTION_TRACE, "SCMP_ACT_TRACE"},
    {SCW_ACTION_USER_NOTIF, "SCMP_ACT_NOTIFY"},
    {SCW_ACTION_LOG, "SCMP_ACT_LOG"},
    {SCW_ACTION_ALLOW, "SCMP_ACT_ALLOW"},
};
#define N_ACTIONS (sizeof(action_names) / sizeof(action_names[0]))

const char *scw_profile_action_name(enum scw_action a)
{
    for (size_t i = 0; i < N_ACTIONS; i++)
        if (action_names[i].action == a)
            return action_names[i].name;
    return NULL;
}

enum scw_action scw_profile_action_from_name(const char *name)
{
    if (!name)
        return SCW_ACTION_INVALID;
    for (size_t i = 0; i < N_ACTIONS; i++)
        if (strcmp(name, action_names[i].name) == 0)
            return action_names[i].action;
    if (strcmp(name, "SCMP_ACT_KILL") == 0)
        return SCW_ACTION_KILL_THREAD;
    return SCW_ACTION_INVALID;
}

uint32_t scw_profile_action_code(enum scw_action a, int errno_ret)
{
    uint32_t e = errno_ret < 0 ? 1 /* EPERM, as runtimes default */ : (uint32_t)errno_ret;
    switch (a) {
    case SCW_ACTION_KILL_PROCESS:
        return SCMP_ACT_KILL_PROCESS;
    case SCW_ACTION_KILL_THREAD:
        return SCMP_ACT_KILL_THREAD;
    case SCW_ACTION_TRAP:
        return SCMP_ACT_TRAP;
    case SCW_ACTION_ERRNO:
        return SCMP_ACT_ERRNO(e);
    case SCW_ACTION_TRACE:
        return SCMP_ACT_TRACE(e);
    case SCW_ACTION_USER_NOTIF:
        return SCMP_ACT_NOTIFY;
    case SCW_ACTION_LOG:
        return SCMP_ACT_LOG;
    case SCW_ACTION_ALLOW:
        return SCMP_ACT_ALLOW;
    case SCW_ACTION_UNKNOWN:
    case SCW_ACTION_MAX:
    case SCW_ACTION_INVALID:
        break;
    }
    return SCMP_ACT_KILL_THREAD;
}

bool scw_profile_action_runs(enum scw_action a)
{
    return a == SCW_ACTION_ALLOW || a == SCW_ACTION_LOG;
}

static bool action_takes_errno(enum scw_action a)
{
    return a == SCW_ACTION_ERRNO || a == SCW_ACTION_TRACE;
}

/* errno/kill/trap: what logify --all turns into LOG */
static bool action_denies(enum scw_action a)
{
    return a == SCW_ACTION_KILL_PROCESS || a == SCW_ACTION_KILL_THREAD || a == SCW_ACTION_TRAP ||
           a == SCW_ACTION_ERRNO;
}

/* ---- diagnostics ---- */

void scw_profile_diags_init(struct scw_profile_diags *d)
{
    memset(d, 0, sizeof(*d));
}

void scw_profile_diags_free(struct scw_profile_diags *d)
{
    if (!d)
        return;
    free(d->items);
    scw_profile_diags_init(d);
}

static void diags_vadd(struct scw_profile_diags *d, enum scw_diag_level level, unsigned line,
                       unsigned column, const char *path, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));
static void diags_vadd(struct scw_profile_diags *d, enum scw_diag_level level, unsigned line,
                       unsigned column, const char *path, const char *fmt, va_list ap)
{
    if (!d)
        return;
    switch (level) {
    case SCW_DIAG_ERROR:
        d->errors++;
        break;
    case SCW_DIAG_WARNING:
        d->warnings++;
        break;
    case SCW_DIAG_NOTE:
        d->notes++;
        break;
    case SCW_DIAG_MAX:
    case SCW_DIAG_INVALID:
        return;
    }
    if (d->n >= SCW_PROFILE_MAX_DIAGS) {
        d->dropped++;
        return;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        struct scw_diag *items = realloc(d->items, cap * sizeof(*items));
        if (!items) {
            d->dropped++;
            return;
        }
        d->items = items;
        d->cap = cap;
    }
    struct scw_diag *g = &d->items[d->n++];
    g->level = level;
    g->line = line;
    g->column = column;
    snprintf(g->path, sizeof(g->path), "%s", path ? path : "");
    vsnprintf(g->message, sizeof(g->message), fmt, ap);
}

void scw_profile_diags_add(struct scw_profile_diags *d, enum scw_diag_level level, unsigned line,
                           unsigned column, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diags_vadd(d, level, line, column, path, fmt, ap);
    va_end(ap);
}

void scw_profile_diags_print(const struct scw_profile_diags *d, const char *source,
                             enum scw_diag_level min_level, FILE *out)
{
    static const char *const level_names[SCW_DIAG_MAX] = {"error", "warning", "note"};
    const char *src = !source ? "<profile>" : strcmp(source, "-") == 0 ? "<stdin>" : source;
    for (size_t i = 0; i < d->n; i++) {
        const struct scw_diag *g = &d->items[i];
        if (g->level < 0 || g->level >= SCW_DIAG_MAX || g->level > min_level)
            continue;
        if (g->line)
            fprintf(out, "%s:%u:%u: %s: %s", src, g->line, g->column, level_names[g->level],
                    g->message);
        else
            fprintf(out, "%s: %s: %s", src, level_names[g->level], g->message);
        if (g->path[0])
            fprintf(out, " [at %s]", g->path);
        fputc('\n', out);
    }
    if (d->dropped)
        fprintf(out, "%s: note: %zu more diagnostics not shown\n", src, d->dropped);
}

/* "syscalls[3].args[0].op"; keys that are not identifiers are written ["like this"]. */
static void path_format(const struct scw_jsonpath *path, size_t n, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        int w;
        if (!path[i].key) {
            w = snprintf(buf + used, size - used, "[%zu]", path[i].index);
        } else {
            bool ident = path[i].key[0] != '\0';
            for (const char *c = path[i].key; *c; c++)
                if (!isalnum((unsigned char)*c) && *c != '_')
                    ident = false;
            if (ident)
                w = snprintf(buf + used, size - used, "%s%s", used ? "." : "", path[i].key);
            else
                w = snprintf(buf + used, size - used, "[\"%s\"]", path[i].key);
        }
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static void vdiag(const struct scw_profile *p, struct scw_profile_diags *d,
                  enum scw_diag_level level, const struct scw_jsonpath *rel, size_t n,
                  const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));
static void vdiag(const struct scw_profile *p, struct scw_profile_diags *d,
                  enum scw_diag_level level, const struct scw_jsonpath *rel, size_t n,
                  const char *fmt, va_list ap)
{
    if (!d)
        return;
    struct scw_jsonpath full[MAX_PATH];
    size_t nf = 0;
    for (size_t i = 0; i < p->n_base && nf < MAX_PATH; i++)
        full[nf++] = p->base[i];
    for (size_t i = 0; i < n && nf < MAX_PATH; i++)
        full[nf++] = rel[i];
    unsigned line = 0, column = 0;
    if (p->pos)
        scw_jsonpos_find(p->pos, full, nf, &line, &column);
    char path[160];
    path_format(full, nf, path, sizeof(path));
    diags_vadd(d, level, line, column, path, fmt, ap);
}

void profile_diag(const struct scw_profile *p, struct scw_profile_diags *d,
                  enum scw_diag_level level, const struct scw_jsonpath *path, size_t n,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdiag(p, d, level, path, n, fmt, ap);
    va_end(ap);
}

/* ---- architectures ---- */

/* Docker's names for host architectures (what includes/excludes "arches" compare with). */
static const struct {
    uint32_t token;
    const char *docker;
    uint32_t main; /* the 64-bit architecture a sub-architecture runs under, 0 if none */
    bool is32;
} arch_info[] = {
    {SCMP_ARCH_X86_64, "amd64", 0, false},
    {SCMP_ARCH_X86, "x86", SCMP_ARCH_X86_64, true},
    {SCMP_ARCH_X32, "x32", SCMP_ARCH_X86_64, true},
    {SCMP_ARCH_AARCH64, "arm64", 0, false},
    {SCMP_ARCH_ARM, "arm", SCMP_ARCH_AARCH64, true},
    {SCMP_ARCH_MIPS64, "mips64", 0, false},
    {SCMP_ARCH_MIPS64N32, "mips64n32", SCMP_ARCH_MIPS64, true},
    {SCMP_ARCH_MIPS, "mips", SCMP_ARCH_MIPS64, true},
    {SCMP_ARCH_MIPSEL64, "mipsel64", 0, false},
    {SCMP_ARCH_MIPSEL64N32, "mipsel64n32", SCMP_ARCH_MIPSEL64, true},
    {SCMP_ARCH_MIPSEL, "mipsel", SCMP_ARCH_MIPSEL64, true},
    {SCMP_ARCH_PPC64LE, "ppc64le", 0, false},
    {SCMP_ARCH_PPC64, "ppc64", 0, false},
    {SCMP_ARCH_PPC, "ppc", SCMP_ARCH_PPC64, true},
    {SCMP_ARCH_S390X, "s390x", 0, false},
    {SCMP_ARCH_S390, "s390", SCMP_ARCH_S390X, true},
    {SCMP_ARCH_RISCV64, "riscv64", 0, false},
    {SCMP_ARCH_PARISC64, "parisc64", 0, false},
    {SCMP_ARCH_PARISC, "parisc", SCMP_ARCH_PARISC64, true},
};
#define N_ARCH_INFO (sizeof(arch_info) / sizeof(arch_info[0]))

/* Docker arch names seen in real profiles that never name a libseccomp arch of ours. */
static const char *const extra_docker_arches[] = {"mipsle", "mips3l64n32", "loong64"};

static int arch_index(uint32_t token)
{
    for (size_t i = 0; i < N_ARCH_INFO; i++)
        if (arch_info[i].token == token)
            return (int)i;
    return -1;
}

const char *profile_arch_name(uint32_t token)
{
    const char *n = scw_name_arch(token);
    return n ? n : "unknown";
}

bool profile_arch_is_32bit(uint32_t token)
{
    int i = arch_index(token);
    return i >= 0 && arch_info[i].is32;
}

static bool docker_arch_known(const char *name)
{
    for (size_t i = 0; i < N_ARCH_INFO; i++)
        if (strcmp(arch_info[i].docker, name) == 0)
            return true;
    for (size_t i = 0; i < sizeof(extra_docker_arches) / sizeof(extra_docker_arches[0]); i++)
        if (strcmp(extra_docker_arches[i], name) == 0)
            return true;
    return false;
}

/* "SCMP_ARCH_X86_64" (exactly, as runtimes compare) -> token; 0 if unknown. */
static uint32_t arch_from_profile_name(const char *name)
{
    if (strncmp(name, "SCMP_ARCH_", 10) != 0 || !name[10])
        return 0;
    for (const char *c = name + 10; *c; c++)
        if (!isupper((unsigned char)*c) && !isdigit((unsigned char)*c) && *c != '_')
            return 0;
    uint32_t t = scw_name_arch_token(name);
    return arch_index(t) >= 0 ? t : 0;
}

static uint32_t machine_arch(void)
{
    return seccomp_arch_native();
}

static bool token_in(const uint32_t *set, size_t n, uint32_t t)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == t)
            return true;
    return false;
}

size_t profile_effective_arches(const struct scw_profile *p, uint32_t native, uint32_t *ret,
                                size_t max)
{
    size_t n = 0;
    if (max == 0)
        return 0;
    ret[n++] = native;
    for (size_t i = 0; i < p->n_map; i++) {
        if (p->map[i].arch != native)
            continue;
        for (size_t s = 0; s < p->map[i].n_subs && n < max; s++)
            if (p->map[i].subs[s] && !token_in(ret, n, p->map[i].subs[s]))
                ret[n++] = p->map[i].subs[s];
        break; /* Docker uses the first entry for the host architecture */
    }
    for (size_t i = 0; i < p->n_arches && n < max; i++)
        if (p->arches[i] && !token_in(ret, n, p->arches[i]))
            ret[n++] = p->arches[i];
    return n;
}

int scw_profile_arches(const struct scw_profile *p, uint32_t native, uint32_t *ret_tokens,
                       size_t max)
{
    if (!p || !ret_tokens)
        return -EINVAL;
    if (!native)
        native = machine_arch();
    return (int)profile_effective_arches(p, native, ret_tokens, max);
}

int scw_profile_listed_arches(const struct scw_profile *p, uint32_t *ret_tokens, size_t max)
{
    if (!p || !ret_tokens)
        return -EINVAL;
    size_t n = 0;
    for (size_t i = 0; i < p->n_arches && n < max; i++)
        if (p->arches[i] && !token_in(ret_tokens, n, p->arches[i]))
            ret_tokens[n++] = p->arches[i];
    for (size_t i = 0; i < p->n_map && n < max; i++) {
        if (p->map[i].arch && !token_in(ret_tokens, n, p->map[i].arch))
            ret_tokens[n++] = p->map[i].arch;
        for (size_t s = 0; s < p->map[i].n_subs && n < max; s++)
            if (p->map[i].subs[s] && !token_in(ret_tokens, n, p->map[i].subs[s]))
                ret_tokens[n++] = p->map[i].subs[s];
    }
    return (int)n;
}

/* ---- hosts ---- */

const char *const scw_profile_docker_caps[] = {
    "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",
    "CAP_MKNOD",   "CAP_NET_RAW",      "CAP_SETGID",           "CAP_SETUID",
    "CAP_SETFCAP", "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
    "CAP_KILL",    "CAP_AUDIT_WRITE",
};
const size_t scw_profile_n_docker_caps =
    sizeof(scw_profile_docker_caps) / sizeof(scw_profile_docker_caps[0]);

/* "6.1.0-18-amd64" -> 6, 1 */
static bool parse_kernel(const char *s, unsigned *ret_major, unsigned *ret_minor, bool exact)
{
    unsigned v[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        if (!isdigit((unsigned char)*s))
            return false;
        unsigned long x = 0;
        while (isdigit((unsigned char)*s)) {
            x = x * 10 + (unsigned long)(*s++ - '0');
            if (x > 100000)
                return false;
        }
        v[i] = (unsigned)x;
        if (i == 0) {
            if (*s != '.')
                return false;
            s++;
        }
    }
    if (exact && *s)
        return false;
    *ret_major = v[0];
    *ret_minor = v[1];
    return true;
}

static void running_kernel(unsigned *ret_major, unsigned *ret_minor)
{
    struct utsname u;
    if (uname(&u) < 0 || !parse_kernel(u.release, ret_major, ret_minor, false)) {
        *ret_major = 0;
        *ret_minor = 0;
    }
}

void profile_host_resolve(const struct scw_profile_host *host, uint32_t native,
                          struct profile_host *h)
{
    memset(h, 0, sizeof(*h));
    h->native = native;
    int i = arch_index(native);
    h->docker_arch = i >= 0 ? arch_info[i].docker : "";
    if (host && host->no_caps) {
        h->caps = NULL;
        h->n_caps = 0;
    } else if (host && host->caps) {
        h->caps = host->caps;
        h->n_caps = host->n_caps;
    } else {
        h->caps = scw_profile_docker_caps;
        h->n_caps = scw_profile_n_docker_caps;
        h->caps_assumed = true;
    }
    if (host && (host->kernel_major || host->kernel_minor)) {
        h->kernel_major = host->kernel_major;
        h->kernel_minor = host->kernel_minor;
    } else {
        running_kernel(&h->kernel_major, &h->kernel_minor);
        h->kernel_assumed = true;
    }
}

static bool str_in(const char *const *set, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(set[i], s) == 0)
            return true;
    return false;
}

static bool kernel_at_least(const struct profile_host *h, const struct profile_cond *c)
{
    if (h->kernel_major != c->kernel_major)
        return h->kernel_major > c->kernel_major;
    return h->kernel_minor >= c->kernel_minor;
}

bool profile_entry_applies(const struct scw_profile *p, const struct profile_entry *e,
                           const struct profile_host *h, bool *ret_assumed)
{
    bool assumed = false, applies = false;
    if (p->kind == SCW_PROFILE_OCI || !e->has_cond) {
        applies = true;
        goto out;
    }
    /* the order of moby's setupSeccomp: excludes (arches, caps, kernel), then includes */
    if (e->exc.n_arches && str_in(e->exc.arches, e->exc.n_arches, h->docker_arch))
        goto out;
    if (e->exc.n_caps) {
        assumed |= h->caps_assumed;
        for (size_t i = 0; i < e->exc.n_caps; i++)
            if (str_in(h->caps, h->n_caps, e->exc.caps[i]))
                goto out;
    }
    if (e->exc.min_kernel) {
        assumed |= h->kernel_assumed;
        if (kernel_at_least(h, &e->exc))
            goto out;
    }
    if (e->inc.n_arches && !str_in(e->inc.arches, e->inc.n_arches, h->docker_arch))
        goto out;
    if (e->inc.n_caps) {
        assumed |= h->caps_assumed;
        for (size_t i = 0; i < e->inc.n_caps; i++)
            if (!str_in(h->caps, h->n_caps, e->inc.caps[i]))
                goto out;
    }
    if (e->inc.min_kernel) {
        assumed |= h->kernel_assumed;
        if (!kernel_at_least(h, &e->inc))
            goto out;
    }
    applies = true;
out:
    if (ret_assumed)
        *ret_assumed = assumed;
    return applies;
}

/* ---- loading: JSON types and bounds ---- */

struct loader {
    struct scw_profile *p;
    struct scw_profile_diags *errs; /* the caller's; may be NULL */
    struct scw_jsonpath path[MAX_PATH];
    size_t depth;
    bool failed, nomem;
    size_t total_names;
};

static void push_key(struct loader *ld, const char *key)
{
    if (ld->depth < MAX_PATH)
        ld->path[ld->depth] = (struct scw_jsonpath){.key = key};
    ld->depth++;
}

static void push_index(struct loader *ld, size_t index)
{
    if (ld->depth < MAX_PATH)
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
    vdiag(ld->p, ld->errs, SCW_DIAG_ERROR, ld->path, ld->depth < MAX_PATH ? ld->depth : MAX_PATH,
          fmt, ap);
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

/* A member, with null read as absent (Go's decoder does the same). */
static json_t *member(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_null(v) ? NULL : v;
}

static bool want_string(struct loader *ld, const json_t *obj, const char *key, const char **ret)
{
    *ret = NULL;
    json_t *v = member(obj, key);
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
    json_t *v = member(obj, key);
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
    json_t *v = member(obj, key);
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
    *ret = member(obj, key);
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
    json_t *v = member(obj, "args");
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
    if (c->min_kernel)
        c->kernel_valid = parse_kernel(c->min_kernel, &c->kernel_major, &c->kernel_minor, true);
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
    json_t *v = member(sc, "archMap");
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
        if (!good)
            goto out;
        am->arch = am->arch_name ? arch_from_profile_name(am->arch_name) : 0;
        for (size_t s = 0; s < am->n_subs; s++) {
            am->sub_names[s] = subs[s];
            am->subs[s] = arch_from_profile_name(subs[s]);
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
            p->arches[i] = arch_from_profile_name(p->arch_names[i]);
    }
    for (size_t i = 0; i < p->n_flags; i++) {
        p->flag_log |= strcmp(p->flags[i], "SECCOMP_FILTER_FLAG_LOG") == 0;
        p->flag_spec_allow |= strcmp(p->flags[i], "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0;
    }

    json_t *v = member(sc, "syscalls");
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

/* ---- load-time checks: what a runtime refuses (errors) or silently ignores (warnings) ---- */

#define K(k)                                                                                       \
    {                                                                                              \
        .key = (k)                                                                                 \
    }
#define I(i)                                                                                       \
    {                                                                                              \
        .index = (i)                                                                               \
    }
#define AT(...)                                                                                    \
    (const struct scw_jsonpath[]){__VA_ARGS__},                                                    \
        (sizeof((const struct scw_jsonpath[]){__VA_ARGS__}) / sizeof(struct scw_jsonpath))
#define AT_DOC NULL, 0

static const char *libseccomp_version(void)
{
    static char buf[32];
    const struct scmp_version *v = seccomp_version();
    snprintf(buf, sizeof(buf), "%u.%u.%u", v->major, v->minor, v->micro);
    return buf;
}

#define ACTION_LIST                                                                                \
    "SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_LOG, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, "  \
    "SCMP_ACT_KILL, SCMP_ACT_TRAP, SCMP_ACT_TRACE or SCMP_ACT_NOTIFY"

static void check_keys(struct scw_profile *p, const json_t *obj, const char *const *known,
                       size_t n_known, const char *const *docker_only, size_t n_docker,
                       const struct scw_jsonpath *at, size_t n_at, const char *what)
{
    struct scw_jsonpath path[MAX_PATH];
    if (n_at >= MAX_PATH)
        return;
    if (n_at)
        memcpy(path, at, n_at * sizeof(*at));
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)obj, key, value)
    {
        bool ok = false, docker = false;
        const char *alike = NULL;
        for (size_t i = 0; i < n_docker && p->kind == SCW_PROFILE_OCI; i++)
            docker |= strcmp(key, docker_only[i]) == 0;
        for (size_t i = 0; i < n_known && !docker; i++) {
            if (strcmp(key, known[i]) == 0)
                ok = true;
            else if (strcasecmp(key, known[i]) == 0)
                alike = known[i];
        }
        if (ok)
            continue;
        path[n_at] = (struct scw_jsonpath){.key = key};
        if (docker)
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, path, n_at + 1,
                         "'%s' is a Docker profile field; OCI runtimes ignore it here", key);
        else if (alike)
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, path, n_at + 1,
                         "unknown field '%s' in %s; did you mean '%s'? (Docker matches field "
                         "names ignoring case, other runtimes do not; scmpwatch ignores it)",
                         key, what, alike);
        else if ((alike = scw_spelling_closest(key, known, n_known)))
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, path, n_at + 1,
                         "unknown field '%s' in %s; did you mean '%s'? (runtimes ignore it)", key,
                         what, alike);
        else
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, path, n_at + 1,
                         "unknown field '%s' in %s; runtimes ignore it", key, what);
    }
}

static const char *const top_keys[] = {"defaultAction", "defaultErrnoRet", "architectures",
                                       "archMap",       "syscalls",        "flags",
                                       "listenerPath",  "listenerMetadata"};
static const char *const top_docker_only[] = {"archMap"};
static const char *const entry_keys[] = {"names", "name",    "action",   "errnoRet",
                                         "args",  "comment", "includes", "excludes"};
static const char *const entry_docker_only[] = {"name", "comment", "includes", "excludes"};
static const char *const arg_keys[] = {"index", "value", "valueTwo", "op"};
static const char *const cond_keys[] = {"caps", "arches", "minKernel"};
static const char *const map_keys[] = {"architecture", "subArchitectures"};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void check_errno(struct scw_profile *p, enum scw_action action, int64_t value,
                        const struct scw_jsonpath *at, size_t n, const char *field)
{
    if (value < 0)
        return;
    if (action != SCW_ACTION_INVALID && !action_takes_errno(action))
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, at, n,
                     "'%s' goes only with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not %s (the OCI "
                     "runtime spec requires runtimes to refuse it); remove it",
                     field, scw_profile_action_name(action));
    else if (value > MAX_ERRNO)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, at, n,
                     "'%s' %lld is not an errno value (0 to %d)", field, (long long)value,
                     MAX_ERRNO);
}

static void check_cond(struct scw_profile *p, const struct profile_cond *c, size_t e,
                       const char *key)
{
    const json_t *obj = member(json_array_get(member(p->sc, "syscalls"), e), key);
    if (!obj)
        return;
    check_keys(p, obj, cond_keys, N(cond_keys), NULL, 0, AT(K("syscalls"), I(e), K(key)),
               "a syscall entry's includes/excludes");
    if (c->min_kernel && !c->kernel_valid)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("syscalls"), I(e), K(key), K("minKernel")),
                     "minKernel '%s' is not a kernel version like \"4.8\" (Docker refuses the "
                     "profile)",
                     c->min_kernel);
    for (size_t i = 0; i < c->n_arches; i++)
        if (!docker_arch_known(c->arches[i]))
            profile_diag(p, &p->diags, SCW_DIAG_WARNING,
                         AT(K("syscalls"), I(e), K(key), K("arches"), I(i)),
                         "'%s' is not a host architecture name Docker compares with (amd64, "
                         "arm64, x86, arm, ppc64le, s390x, riscv64...); it never matches",
                         c->arches[i]);
    for (size_t i = 0; i < c->n_caps; i++)
        if (strncmp(c->caps[i], "CAP_", 4) != 0)
            profile_diag(p, &p->diags, SCW_DIAG_WARNING,
                         AT(K("syscalls"), I(e), K(key), K("caps"), I(i)),
                         "capabilities are compared by their exact name, like "
                         "\"CAP_SYS_ADMIN\"; '%s' never matches",
                         c->caps[i]);
}

static void check_entry(struct scw_profile *p, size_t i, const uint32_t *listed, size_t n_listed)
{
    const struct profile_entry *e = &p->entries[i];
    const json_t *obj = json_array_get(member(p->sc, "syscalls"), i);
    check_keys(p, obj, entry_keys, N(entry_keys), entry_docker_only, N(entry_docker_only),
               AT(K("syscalls"), I(i)), "a syscall entry");
    if (e->name_and_names)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("syscalls"), I(i), K("name")),
                     "both 'name' and 'names' are given (Docker refuses the profile); keep "
                     "'names'");
    else if (e->from_name)
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, AT(K("syscalls"), I(i), K("name")),
                     "'name' is deprecated; write \"names\": [\"%s\"]", e->names[0]);
    if (e->n_names == 0 && !e->name_and_names)
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, AT(K("syscalls"), I(i)),
                     "this entry names no syscall; it has no effect");
    for (size_t j = 0; j < e->n_names; j++) {
        const char *name = e->names[j];
        struct scw_jsonpath at[] = {K("syscalls"), I(i), K("names"), I(j)};
        size_t n_at = 4;
        if (e->from_name) {
            at[2] = (struct scw_jsonpath)K("name");
            n_at = 3;
        }
        if (!name[0])
            profile_diag(p, &p->diags, SCW_DIAG_ERROR, at, n_at,
                         "empty syscall name (runc refuses it)");
        else if (seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR)
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, at, n_at,
                         "unknown syscall '%s': libseccomp %s does not know it, so runtimes "
                         "skip it (a newer kernel's syscall, or a typo)",
                         name, libseccomp_version());
    }
    if (!e->action_name)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("syscalls"), I(i)),
                     "no 'action' (expected " ACTION_LIST ")");
    else if (e->action == SCW_ACTION_INVALID)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("syscalls"), I(i), K("action")),
                     "unknown action '%s' (expected " ACTION_LIST ")", e->action_name);
    else if (e->action == SCW_ACTION_USER_NOTIF && !p->listener_path)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("syscalls"), I(i), K("action")),
                     "SCMP_ACT_NOTIFY needs 'listenerPath' (the socket of the agent that "
                     "decides); runtimes refuse the profile without it");
    check_errno(p, e->action, e->errno_ret, AT(K("syscalls"), I(i), K("errnoRet")), "errnoRet");

    const json_t *args = member(obj, "args");
    for (size_t j = 0; j < e->n_args; j++) {
        const struct profile_arg *a = &e->args[j];
        check_keys(p, json_array_get(args, j), arg_keys, N(arg_keys), NULL, 0,
                   AT(K("syscalls"), I(i), K("args"), I(j)), "an argument filter");
        if (a->index > 5)
            profile_diag(p, &p->diags, SCW_DIAG_ERROR,
                         AT(K("syscalls"), I(i), K("args"), I(j), K("index")),
                         "argument index %llu: syscall arguments are numbered 0 to 5",
                         (unsigned long long)a->index);
        if (!a->op_name)
            profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("syscalls"), I(i), K("args"), I(j)),
                         "no 'op' (expected SCMP_CMP_EQ, SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, "
                         "SCMP_CMP_GT, SCMP_CMP_GE or SCMP_CMP_MASKED_EQ)");
        else if (a->op == _SCMP_CMP_MIN)
            profile_diag(p, &p->diags, SCW_DIAG_ERROR,
                         AT(K("syscalls"), I(i), K("args"), I(j), K("op")),
                         "unknown comparison '%s' (expected SCMP_CMP_EQ, SCMP_CMP_NE, "
                         "SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_GT, SCMP_CMP_GE or "
                         "SCMP_CMP_MASKED_EQ)",
                         a->op_name);
        else if (a->value_two && a->op != SCMP_CMP_MASKED_EQ)
            profile_diag(p, &p->diags, SCW_DIAG_WARNING,
                         AT(K("syscalls"), I(i), K("args"), I(j), K("valueTwo")),
                         "'valueTwo' is only used with SCMP_CMP_MASKED_EQ; runtimes ignore it "
                         "with %s",
                         a->op_name);
        uint64_t big = a->value > UINT32_MAX                                      ? a->value
                       : a->op == SCMP_CMP_MASKED_EQ && a->value_two > UINT32_MAX ? a->value_two
                                                                                  : 0;
        for (size_t k = 0; big && k < n_listed; k++)
            if (profile_arch_is_32bit(listed[k])) {
                profile_diag(p, &p->diags, SCW_DIAG_WARNING,
                             AT(K("syscalls"), I(i), K("args"), I(j)),
                             "%llu does not fit in 32 bits: on 32-bit architectures (here %s) "
                             "libseccomp compares only its low 32 bits",
                             (unsigned long long)big, profile_arch_name(listed[k]));
                break;
            }
    }
    if (p->kind == SCW_PROFILE_DOCKER) {
        check_cond(p, &e->inc, i, "includes");
        check_cond(p, &e->exc, i, "excludes");
    }
}

static void check_profile(struct scw_profile *p)
{
    check_keys(p, p->sc, top_keys, N(top_keys), top_docker_only, N(top_docker_only), AT_DOC,
               p->kind == SCW_PROFILE_OCI ? "linux.seccomp" : "the profile");
    if (!p->default_name || !p->default_name[0])
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT_DOC,
                     "no 'defaultAction' (what the filter does with every syscall no entry "
                     "names; e.g. SCMP_ACT_ERRNO, or SCMP_ACT_LOG for staging)");
    else if (p->default_action == SCW_ACTION_INVALID)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("defaultAction")),
                     "unknown action '%s' (expected " ACTION_LIST ")", p->default_name);
    else if (p->default_action == SCW_ACTION_USER_NOTIF)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("defaultAction")),
                     "runtimes refuse SCMP_ACT_NOTIFY as the default action");
    check_errno(p, p->default_action, p->default_errno, AT(K("defaultErrnoRet")),
                "defaultErrnoRet");

    if (p->n_arches && p->n_map)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("archMap")),
                     "both 'architectures' and 'archMap' are given (Docker refuses the "
                     "profile); keep one");
    for (size_t i = 0; i < p->n_arches; i++)
        if (!p->arches[i])
            profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("architectures"), I(i)),
                         "unknown architecture '%s' (expected a name like SCMP_ARCH_X86_64, "
                         "SCMP_ARCH_AARCH64 or SCMP_ARCH_X86 that libseccomp %s knows)",
                         p->arch_names[i], libseccomp_version());
    const json_t *map = member(p->sc, "archMap");
    for (size_t i = 0; i < p->n_map; i++) {
        const struct profile_archmap *m = &p->map[i];
        check_keys(p, json_array_get(map, i), map_keys, N(map_keys), NULL, 0,
                   AT(K("archMap"), I(i)), "an archMap entry");
        if (!m->arch_name)
            profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("archMap"), I(i)),
                         "this archMap entry has no 'architecture'");
        else if (!m->arch)
            profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("archMap"), I(i), K("architecture")),
                         "unknown architecture '%s' (expected a name like SCMP_ARCH_X86_64)",
                         m->arch_name);
        for (size_t j = 0; j < i && m->arch; j++)
            if (p->map[j].arch == m->arch) {
                profile_diag(
                    p, &p->diags, SCW_DIAG_WARNING, AT(K("archMap"), I(i), K("architecture")),
                    "'%s' already has archMap[%zu]; Docker uses the first one", m->arch_name, j);
                break;
            }
        for (size_t s = 0; s < m->n_subs; s++)
            if (!m->subs[s])
                profile_diag(p, &p->diags, SCW_DIAG_ERROR,
                             AT(K("archMap"), I(i), K("subArchitectures"), I(s)),
                             "unknown architecture '%s' (expected a name like SCMP_ARCH_X86)",
                             m->sub_names[s]);
    }
    for (size_t i = 0; i < p->n_flags; i++) {
        const char *f = p->flags[i];
        if (strcmp(f, "SECCOMP_FILTER_FLAG_TSYNC") == 0 ||
            strcmp(f, "SECCOMP_FILTER_FLAG_LOG") == 0 ||
            strcmp(f, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
            continue;
        if (strcmp(f, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 0)
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, AT(K("flags"), I(i)),
                         "runc does not know '%s' and refuses the profile (crun accepts it)", f);
        else
            profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("flags"), I(i)),
                         "unknown flag '%s' (runtimes refuse it; known: "
                         "SECCOMP_FILTER_FLAG_TSYNC, SECCOMP_FILTER_FLAG_LOG, "
                         "SECCOMP_FILTER_FLAG_SPEC_ALLOW)",
                         f);
    }
    if (p->has_listener_metadata && !p->listener_path)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("listenerMetadata")),
                     "'listenerMetadata' needs 'listenerPath'");

    uint32_t listed[SCW_PROFILE_MAX_LIST * 2];
    int n_listed = scw_profile_listed_arches(p, listed, N(listed));
    for (size_t i = 0; i < p->n_entries; i++)
        check_entry(p, i, listed, n_listed > 0 ? (size_t)n_listed : 0);
}

/* ---- load, free, accessors ---- */

static void free_model(struct scw_profile *p)
{
    for (size_t i = 0; i < p->n_entries; i++) {
        struct profile_entry *e = &p->entries[i];
        free(e->names);
        free(e->args);
        free(e->inc.caps);
        free(e->inc.arches);
        free(e->exc.caps);
        free(e->exc.arches);
    }
    free(p->entries);
    free(p->arch_names);
    free(p->arches);
    free(p->map);
    free(p->flags);
}

void scw_profile_free(struct scw_profile *p)
{
    if (!p)
        return;
    free_model(p);
    scw_profile_diags_free(&p->diags);
    scw_jsonpos_free(p->pos);
    json_decref(p->doc);
    free(p->text);
    free(p->source);
    free(p);
}

static const char *shown_source(const char *source)
{
    return !source ? "<profile>" : strcmp(source, "-") == 0 ? "<stdin>" : source;
}

int scw_profile_load(const char *source, const char *data, size_t len, struct scw_profile **ret,
                     struct scw_profile_diags *diags)
{
    if (!data || !ret)
        return -EINVAL;
    if (len > SCW_PROFILE_MAX_BYTES) {
        scw_profile_diags_add(diags, SCW_DIAG_ERROR, 0, 0, "",
                              "'%s' is %zu bytes; scmpwatch reads profiles up to %u bytes",
                              shown_source(source), len, SCW_PROFILE_MAX_BYTES);
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
    json_error_t jerr;
    json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
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
        json_t *sc = json_is_object(linux_obj) ? member(linux_obj, "seccomp") : NULL;
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
    check_profile(p);
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
                              shown_source(path), SCW_PROFILE_MAX_BYTES);
        rc = -EFBIG;
    } else if (rc < 0) {
        scw_profile_diags_add(diags, SCW_DIAG_ERROR, 0, 0, "", "cannot read '%s': %s",
                              shown_source(path), strerror(-rc));
    } else {
        rc = scw_profile_load(path, buf, len, ret, diags);
    }
    free(buf);
    return rc;
}

const char *scw_profile_source(const struct scw_profile *p)
{
    return shown_source(p ? p->source : NULL);
}

enum scw_profile_kind scw_profile_kind(const struct scw_profile *p)
{
    return p ? p->kind : SCW_PROFILE_KIND_INVALID;
}

const struct scw_profile_diags *scw_profile_diags(const struct scw_profile *p)
{
    return &p->diags;
}

bool scw_profile_ok(const struct scw_profile *p)
{
    return p && p->diags.errors == 0;
}

enum scw_action scw_profile_default_action(const struct scw_profile *p, int *ret_errno)
{
    if (ret_errno)
        *ret_errno =
            p->default_errno < 0 || p->default_errno > MAX_ERRNO ? -1 : (int)p->default_errno;
    return p->default_action;
}

bool scw_profile_log_only(const struct scw_profile *p)
{
    return p && p->default_action == SCW_ACTION_LOG;
}

size_t scw_profile_n_entries(const struct scw_profile *p)
{
    return p ? p->n_entries : 0;
}

/* ---- queries ---- */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int scw_profile_names(const struct scw_profile *p, const char ***ret)
{
    size_t total = 0;
    for (size_t i = 0; i < p->n_entries; i++)
        total += p->entries[i].n_names;
    const char **v = malloc((total ? total : 1) * sizeof(*v));
    if (!v)
        return -ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < p->n_entries; i++)
        for (size_t j = 0; j < p->entries[i].n_names; j++)
            v[n++] = p->entries[i].names[j];
    if (n)
        qsort(v, n, sizeof(*v), cmp_names);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || strcmp(v[k - 1], v[i]) != 0)
            v[k++] = v[i];
    *ret = v;
    return (int)k;
}

static int entry_errno(const struct profile_entry *e)
{
    return e->errno_ret < 0 || e->errno_ret > MAX_ERRNO ? -1 : (int)e->errno_ret;
}

static uint32_t entry_code(const struct profile_entry *e)
{
    return scw_profile_action_code(e->action, entry_errno(e));
}

uint32_t profile_entry_code(const struct profile_entry *e)
{
    return entry_code(e);
}

uint32_t profile_default_code(const struct scw_profile *p)
{
    int def_errno;
    enum scw_action def = scw_profile_default_action(p, &def_errno);
    return scw_profile_action_code(def, def_errno);
}

static bool entry_names(const struct profile_entry *e, const char *name)
{
    for (size_t i = 0; i < e->n_names; i++)
        if (strcmp(e->names[i], name) == 0)
            return true;
    return false;
}

/*
 * Whether libseccomp puts rules for name into arch's filter: a real number, or one of the
 * small negative pseudo numbers of calls multiplexed through socketcall()/ipc() (x86, s390,
 * ppc, mips...: __PNR_socket is -101), which libseccomp expands. Numbers at or below -10000
 * are its placeholders for syscalls the architecture does not have.
 */
#define PNR_ABSENT_MAX (-10000)
static bool syscall_on_arch(uint32_t arch, const char *name)
{
    int nr = seccomp_syscall_resolve_name_arch(arch, name);
    return nr != __NR_SCMP_ERROR && nr > PNR_ABSENT_MAX;
}

/* The host architecture a call on arch comes from, when the caller does not know it. */
static uint32_t derive_native(const struct scw_profile *p, uint32_t arch)
{
    for (size_t i = 0; i < p->n_map; i++)
        if (p->map[i].arch == arch)
            return arch;
    for (size_t i = 0; i < p->n_map; i++)
        if (p->map[i].arch && token_in(p->map[i].subs, p->map[i].n_subs, arch))
            return p->map[i].arch;
    int i = arch_index(arch);
    if (i >= 0 && arch_info[i].main && token_in(p->arches, p->n_arches, arch_info[i].main))
        return arch_info[i].main;
    return arch;
}

static int shown_errno(enum scw_action a, int errno_ret)
{
    if (!action_takes_errno(a))
        return -1;
    return errno_ret < 0 ? 1 : errno_ret;
}

int scw_profile_query(const struct scw_profile *p, const struct scw_profile_host *host,
                      uint32_t arch, const char *syscall, struct scw_profile_answer *ret)
{
    if (!p || !syscall || !ret || !arch || !scw_profile_ok(p))
        return -EINVAL;
    uint32_t native = host && host->native ? host->native : derive_native(p, arch);
    struct profile_host h;
    profile_host_resolve(host, native, &h);
    int def_errno;
    enum scw_action def = scw_profile_default_action(p, &def_errno);
    bool def_runs = def != SCW_ACTION_LOG && scw_profile_action_runs(def);
    struct scw_profile_answer a = {
        .match = SCW_MATCH_DEFAULT,
        .action = def,
        .errno_ret = shown_errno(def, def_errno),
        .entry = -1,
        .otherwise = SCW_ACTION_INVALID,
        .otherwise_errno = -1,
    };
    uint32_t arches[SCW_PROFILE_MAX_ARCHES];
    size_t n = profile_effective_arches(p, native, arches, SCW_PROFILE_MAX_ARCHES);
    if (!token_in(arches, n, arch)) {
        a.match = SCW_MATCH_BAD_ARCH;
        a.action = SCW_ACTION_KILL_THREAD;
        a.errno_ret = -1;
        a.verdict = SCW_VERDICT_REFUSED;
        *ret = a;
        return 0;
    }
    if (!syscall_on_arch(arch, syscall)) {
        a.match = SCW_MATCH_NO_SYSCALL;
        a.verdict = def_runs ? SCW_VERDICT_ALLOWED : SCW_VERDICT_REFUSED;
        *ret = a;
        return 0;
    }
    uint32_t dcode = scw_profile_action_code(def, def_errno);
    long cond = -1, decided = -1;
    for (size_t i = 0; i < p->n_entries && decided < 0; i++) {
        const struct profile_entry *e = &p->entries[i];
        if (!entry_names(e, syscall))
            continue;
        bool assumed;
        bool applies = profile_entry_applies(p, e, &h, &assumed);
        a.assumed |= assumed;
        if (!applies || entry_code(e) == dcode) /* runtimes skip rules equal to the default */
            continue;
        if (e->n_args == 0)
            decided = (long)i;
        else if (cond < 0)
            cond = (long)i;
    }
    if (decided >= 0) {
        const struct profile_entry *e = &p->entries[decided];
        a.match = SCW_MATCH_ENTRY;
        a.entry = decided;
        a.action = e->action;
        a.errno_ret = shown_errno(e->action, entry_errno(e));
        a.verdict = scw_profile_action_runs(e->action) ? SCW_VERDICT_ALLOWED : SCW_VERDICT_REFUSED;
    } else if (cond >= 0) {
        const struct profile_entry *e = &p->entries[cond];
        a.match = SCW_MATCH_CONDITIONAL;
        a.entry = cond;
        a.action = e->action;
        a.errno_ret = shown_errno(e->action, entry_errno(e));
        a.otherwise = def;
        a.otherwise_errno = shown_errno(def, def_errno);
        bool runs = scw_profile_action_runs(e->action);
        a.verdict = runs == def_runs ? (runs ? SCW_VERDICT_ALLOWED : SCW_VERDICT_REFUSED)
                                     : SCW_VERDICT_CONDITIONAL;
    } else {
        a.verdict = def_runs ? SCW_VERDICT_ALLOWED : SCW_VERDICT_REFUSED;
    }
    *ret = a;
    return 0;
}

/* ---- writing ---- */

static int dump_json(const json_t *v, char **ret_text, size_t *ret_len)
{
    char *s = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!s)
        return -ENOMEM;
    size_t n = strlen(s);
    char *t = malloc(n + 2);
    if (!t) {
        free(s);
        return -ENOMEM;
    }
    memcpy(t, s, n);
    free(s);
    t[n] = '\n';
    t[n + 1] = '\0';
    *ret_text = t;
    if (ret_len)
        *ret_len = n + 1;
    return 0;
}

int scw_profile_dump(const struct scw_profile *p, bool seccomp_only, char **ret_text,
                     size_t *ret_len)
{
    if (!p || !ret_text)
        return -EINVAL;
    return dump_json(seccomp_only ? p->sc : p->doc, ret_text, ret_len);
}

int scw_profile_write(const struct scw_profile *p, bool seccomp_only, FILE *out)
{
    char *text;
    size_t len;
    int rc = scw_profile_dump(p, seccomp_only, &text, &len);
    if (rc < 0)
        return rc;
    if (fwrite(text, 1, len, out) != len)
        rc = -EIO;
    free(text);
    return rc;
}

/* ---- derived profiles: edit a copy of the document, write it, read it back ---- */

static json_t *seccomp_of(json_t *doc, enum scw_profile_kind kind)
{
    if (kind == SCW_PROFILE_OCI)
        return json_object_get(json_object_get(doc, "linux"), "seccomp");
    return doc;
}

/* Keys a new top-level field goes after (so it lands near the top, not after syscalls). */
static const char *const header_keys[] = {"defaultAction", "defaultErrnoRet", "architectures",
                                          "archMap"};

/*
 * obj[key] = value (reference stolen). An existing key keeps its place; a new one goes right
 * after the last of `after` present in obj, or first when none is.
 */
static int object_put_after(json_t *obj, const char *key, json_t *value, const char *const *after,
                            size_t n_after)
{
    if (!value)
        return -ENOMEM;
    if (json_object_get(obj, key))
        return json_object_set_new(obj, key, value) < 0 ? -ENOMEM : 0;
    size_t idx = 0, pos = 0; /* insert before the member at pos */
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        idx++;
        for (size_t i = 0; i < n_after; i++)
            if (strcmp(k, after[i]) == 0)
                pos = idx;
    }
    json_t *copy = json_object();
    if (!copy) {
        json_decref(value);
        return -ENOMEM;
    }
    int rc = 0;
    idx = 0;
    if (pos == 0)
        rc |= json_object_set(copy, key, value);
    json_object_foreach(obj, k, v)
    {
        rc |= json_object_set(copy, k, v);
        if (++idx == pos)
            rc |= json_object_set(copy, key, value);
    }
    json_decref(value);
    if (rc == 0) {
        json_object_clear(obj);
        rc = json_object_update(obj, copy);
    }
    json_decref(copy);
    return rc < 0 ? -ENOMEM : 0;
}

/* Set an existing member in place, or add it after `after` keys. */
static int set_string(json_t *obj, const char *key, const char *value)
{
    return object_put_after(obj, key, json_string(value), header_keys, 0);
}

static int reload(const struct scw_profile *p, json_t *doc, struct scw_profile **ret)
{
    char *text;
    size_t len;
    int rc = dump_json(doc, &text, &len);
    json_decref(doc);
    if (rc < 0)
        return rc;
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    rc = scw_profile_load(p->source, text, len, ret, &d);
    scw_profile_diags_free(&d);
    free(text);
    return rc;
}

int scw_profile_logify(const struct scw_profile *p, bool all, struct scw_profile **ret,
                       struct scw_profile_changes *ret_changes)
{
    if (!p || !ret)
        return -EINVAL;
    struct scw_profile_changes ch = {0};
    json_t *doc = json_deep_copy(p->doc);
    if (!doc)
        return -ENOMEM;
    json_t *sc = seccomp_of(doc, p->kind);
    int rc = 0;
    if (p->default_action != SCW_ACTION_ALLOW && p->default_action != SCW_ACTION_LOG) {
        rc |= set_string(sc, "defaultAction", "SCMP_ACT_LOG");
        json_object_del(sc, "defaultErrnoRet");
        ch.default_changed = true;
    }
    bool need_flag = false;
    json_t *calls = member(sc, "syscalls");
    for (size_t i = 0; i < p->n_entries; i++) {
        const struct profile_entry *e = &p->entries[i];
        json_t *obj = json_array_get(calls, i);
        if (all && action_denies(e->action)) {
            rc |= json_object_set_new(obj, "action", json_string("SCMP_ACT_LOG"));
            json_object_del(obj, "errnoRet");
            ch.entries_changed++;
        } else if (e->action != SCW_ACTION_INVALID && !scw_profile_action_runs(e->action)) {
            need_flag = true;
        }
    }
    if (need_flag && !p->flag_log) {
        json_t *flags = member(sc, "flags");
        if (json_is_array(flags))
            rc |= json_array_append_new(flags, json_string("SECCOMP_FILTER_FLAG_LOG"));
        else
            rc |= object_put_after(sc, "flags", json_pack("[s]", "SECCOMP_FILTER_FLAG_LOG"),
                                   header_keys, N(header_keys));
        ch.log_flag_added = true;
    }
    if (rc) {
        json_decref(doc);
        return -ENOMEM;
    }
    rc = reload(p, doc, ret);
    if (rc == 0 && ret_changes)
        *ret_changes = ch;
    return rc;
}

static bool valid_syscall_name(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isalnum((unsigned char)s[n]) && s[n] != '_')
            return false;
    return n >= 1 && n <= 64;
}

/* Remove every SECCOMP_FILTER_FLAG_LOG from sc's flags (and flags itself when left empty). */
static void drop_log_flag(json_t *sc)
{
    json_t *flags = member(sc, "flags");
    for (size_t i = json_array_size(flags); i-- > 0;)
        if (json_is_string(json_array_get(flags, i)) &&
            strcmp(json_string_value(json_array_get(flags, i)), "SECCOMP_FILTER_FLAG_LOG") == 0)
            json_array_remove(flags, i);
    if (flags && json_array_size(flags) == 0)
        json_object_del(sc, "flags");
}

int scw_profile_tune(const struct scw_profile *p, const struct scw_profile_tune *t,
                     struct scw_profile **ret, struct scw_profile_changes *ret_changes,
                     struct scw_profile_diags *diags)
{
    if (!p || !t || !ret || (t->n_allow && !t->allow) || t->n_allow > SCW_PROFILE_MAX_NAMES)
        return -EINVAL;
    enum scw_action enforce = SCW_ACTION_ERRNO;
    const char *enforce_name = "SCMP_ACT_ERRNO";
    if (t->default_action) {
        enforce = scw_profile_action_from_name(t->default_action);
        enforce_name = t->default_action;
        if (enforce == SCW_ACTION_INVALID || scw_profile_action_runs(enforce) ||
            enforce == SCW_ACTION_USER_NOTIF) {
            scw_profile_diags_add(diags, SCW_DIAG_ERROR, 0, 0, "",
                                  "'%s' is not an enforcing default action (use SCMP_ACT_ERRNO, "
                                  "SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD or SCMP_ACT_TRAP)",
                                  t->default_action);
            return -EINVAL;
        }
    }
    if (t->default_errno > MAX_ERRNO || (t->default_errno >= 0 && !action_takes_errno(enforce))) {
        scw_profile_diags_add(diags, SCW_DIAG_ERROR, 0, 0, "",
                              "errno %d does not go with %s (an errno 0 to %d goes with "
                              "SCMP_ACT_ERRNO or SCMP_ACT_TRACE)",
                              t->default_errno, enforce_name, MAX_ERRNO);
        return -EINVAL;
    }
    size_t total = 0;
    for (size_t i = 0; i < p->n_entries; i++)
        total += p->entries[i].n_names;
    if (t->n_allow &&
        (p->n_entries >= SCW_PROFILE_MAX_ENTRIES || total + t->n_allow > SCW_PROFILE_MAX_NAMES)) {
        scw_profile_diags_add(diags, SCW_DIAG_ERROR, 0, 0, "",
                              "the tuned profile would have more than %d entries or %d syscall "
                              "names, more than scmpwatch reads back",
                              SCW_PROFILE_MAX_ENTRIES, SCW_PROFILE_MAX_NAMES);
        return -E2BIG;
    }
    json_t *comment = NULL;
    if (t->comment && p->kind == SCW_PROFILE_DOCKER && !(comment = json_string(t->comment))) {
        scw_profile_diags_add(diags, SCW_DIAG_ERROR, 0, 0, "",
                              "the comment is not valid UTF-8 text");
        return -EINVAL;
    }
    const char **names = t->n_allow ? malloc(t->n_allow * sizeof(*names)) : NULL;
    if (t->n_allow && !names) {
        json_decref(comment);
        return -ENOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < t->n_allow; i++) {
        if (!t->allow[i] || !valid_syscall_name(t->allow[i])) {
            scw_profile_diags_add(diags, SCW_DIAG_ERROR, 0, 0, "",
                                  "'%s' is not a syscall name (letters, digits and '_', at most "
                                  "64)",
                                  t->allow[i] ? t->allow[i] : "(null)");
            free(names);
            json_decref(comment);
            return -EINVAL;
        }
        names[n++] = t->allow[i];
    }
    if (n)
        qsort(names, n, sizeof(*names), cmp_names);

    struct scw_profile_changes ch = {0};
    bool restore = scw_profile_log_only(p);
    int def_errno;
    enum scw_action def = scw_profile_default_action(p, &def_errno);
    uint32_t dcode = restore ? scw_profile_action_code(enforce, t->default_errno)
                             : scw_profile_action_code(def, def_errno);
    json_t *doc = json_deep_copy(p->doc);
    json_t *add = json_array();
    int rc = doc && add ? 0 : -1;
    for (size_t k = 0; k < n && rc == 0; k++) {
        const char *name = names[k];
        if (k && strcmp(name, names[k - 1]) == 0)
            continue;
        long decided = -1, cond_deny = -1, host_deny = -1;
        for (size_t i = 0; i < p->n_entries && decided < 0; i++) {
            const struct profile_entry *e = &p->entries[i];
            if (e->action == SCW_ACTION_INVALID || !entry_names(e, name) || entry_code(e) == dcode)
                continue;
            if (e->n_args) {
                if (!scw_profile_action_runs(e->action) && cond_deny < 0)
                    cond_deny = (long)i;
            } else if (e->has_cond && p->kind == SCW_PROFILE_DOCKER) {
                if (!scw_profile_action_runs(e->action) && host_deny < 0)
                    host_deny = (long)i;
            } else {
                decided = (long)i;
            }
        }
        if (decided >= 0 && scw_profile_action_runs(p->entries[decided].action)) {
            ch.names_already++;
            continue;
        }
        if (decided >= 0) {
            ch.names_refused++;
            profile_diag(p, diags, SCW_DIAG_WARNING, AT(K("syscalls"), I((size_t)decided)),
                         "'%s' not added: this entry refuses it (%s) without conditions, and "
                         "libseccomp keeps the first unconditional rule of a syscall; change "
                         "this entry if '%s' should run",
                         name, p->entries[decided].action_name, name);
            continue;
        }
        if (host_deny >= 0)
            profile_diag(p, diags, SCW_DIAG_WARNING, AT(K("syscalls"), I((size_t)host_deny)),
                         "'%s' added, but on hosts this entry's includes/excludes select it "
                         "still refuses it (%s): libseccomp keeps the first unconditional rule",
                         name, p->entries[host_deny].action_name);
        if (cond_deny >= 0)
            profile_diag(p, diags, SCW_DIAG_WARNING, AT(K("syscalls"), I((size_t)cond_deny)),
                         "'%s' added: the new entry allows every call, so this entry's argument "
                         "filter (%s) no longer applies",
                         name, p->entries[cond_deny].action_name);
        rc |= json_array_append_new(add, json_string(name));
        ch.names_added++;
    }
    free(names);
    if (rc) {
        json_decref(doc);
        json_decref(add);
        json_decref(comment);
        return -ENOMEM;
    }
    json_t *sc = seccomp_of(doc, p->kind);
    if (restore) {
        rc |= set_string(sc, "defaultAction", enforce_name);
        json_object_del(sc, "defaultErrnoRet");
        if (t->default_errno >= 0) {
            static const char *const after_default[] = {"defaultAction"};
            rc |= object_put_after(sc, "defaultErrnoRet", json_integer(t->default_errno),
                                   after_default, 1);
        }
        ch.default_changed = true;
        if (p->flag_log && !t->keep_log_flag) {
            drop_log_flag(sc);
            ch.log_flag_removed = true;
        }
        for (size_t i = 0; i < p->n_entries; i++)
            if (p->entries[i].action == SCW_ACTION_LOG)
                profile_diag(p, diags, SCW_DIAG_WARNING, AT(K("syscalls"), I(i), K("action")),
                             "SCMP_ACT_LOG in the enforcing profile lets these syscalls run "
                             "(logged); if 'logify --all' turned a refusal into it, tune the "
                             "original profile instead");
    }
    if (json_array_size(add)) {
        json_t *entry = json_object();
        rc |= entry ? 0 : -1;
        rc |= json_object_set(entry, "names", add);
        rc |= json_object_set_new(entry, "action", json_string("SCMP_ACT_ALLOW"));
        if (comment)
            rc |= json_object_set(entry, "comment", comment);
        json_t *calls = member(sc, "syscalls");
        if (!calls) {
            calls = json_array();
            rc |= json_object_set_new(sc, "syscalls", calls);
        }
        rc |= json_array_append_new(calls, entry);
    }
    json_decref(add);
    json_decref(comment);
    if (rc) {
        json_decref(doc);
        return -ENOMEM;
    }
    rc = reload(p, doc, ret);
    if (rc == 0 && ret_changes)
        *ret_changes = ch;
    return rc;
}
