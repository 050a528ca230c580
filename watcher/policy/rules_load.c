/*
 * rules: loading, validation and matching of YAML rule files (see rules.h, scmpwatch-rules(5)).
 *
 * A file is read whole (bounded), turned into a small tree by libyaml's event parser (bounded
 * depth, node count, list length and string length; aliases refused, so nothing expands), then
 * each top-level section is checked and layered onto the rule set in a fixed order: groups,
 * containers, ignore, rules, defaults, cve_blocks (so a section may refer to anything another
 * defines, wherever it stands in the file). After every file all syscall lists are expanded
 * again (groups can grow in later files), with cycle detection and a depth bound. The first
 * error stops the load and is reported as "FILE:LINE:COLUMN: ...". Matching is pure.
 */
#include "rules.h"
#include "spelling.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "name.h"

#define PRE_UNIQUE_MAX (SCW_RULES_MAX_EXPANDED * 8)

/* ---- names of our enums ---------------------------------------------------------------- */

static const char *const decision_names[SCW_DECISION_MAX] = {"allow", "deny", "review", "ignore"};
static const char *const severity_names[SCW_SEVERITY_MAX] = {"unknown", "negligible", "low",
                                                             "medium",  "high",       "critical"};

const char *scw_decision_name(enum scw_decision_kind d)
{
    return d >= 0 && d < SCW_DECISION_MAX ? decision_names[d] : NULL;
}

enum scw_decision_kind scw_decision_from_name(const char *name)
{
    for (int i = 0; i < SCW_DECISION_MAX; i++)
        if (strcmp(name, decision_names[i]) == 0)
            return (enum scw_decision_kind)i;
    return SCW_DECISION_INVALID;
}

const char *scw_severity_name(enum scw_severity s)
{
    return s >= 0 && s < SCW_SEVERITY_MAX ? severity_names[s] : NULL;
}

enum scw_severity scw_severity_from_name(const char *name)
{
    for (int i = 0; i < SCW_SEVERITY_MAX; i++)
        if (strcasecmp(name, severity_names[i]) == 0)
            return (enum scw_severity)i;
    return SCW_SEVERITY_INVALID;
}

static const struct {
    const char *name;
    int value;
} errnos[] = {
    {"EPERM", EPERM},
    {"ENOENT", ENOENT},
    {"ESRCH", ESRCH},
    {"EINTR", EINTR},
    {"EIO", EIO},
    {"ENXIO", ENXIO},
    {"E2BIG", E2BIG},
    {"ENOEXEC", ENOEXEC},
    {"EBADF", EBADF},
    {"ECHILD", ECHILD},
    {"EAGAIN", EAGAIN},
    {"ENOMEM", ENOMEM},
    {"EACCES", EACCES},
    {"EFAULT", EFAULT},
    {"EBUSY", EBUSY},
    {"EEXIST", EEXIST},
    {"EXDEV", EXDEV},
    {"ENODEV", ENODEV},
    {"ENOTDIR", ENOTDIR},
    {"EISDIR", EISDIR},
    {"EINVAL", EINVAL},
    {"ENFILE", ENFILE},
    {"EMFILE", EMFILE},
    {"ENOTTY", ENOTTY},
    {"ETXTBSY", ETXTBSY},
    {"EFBIG", EFBIG},
    {"ENOSPC", ENOSPC},
    {"ESPIPE", ESPIPE},
    {"EROFS", EROFS},
    {"EMLINK", EMLINK},
    {"EPIPE", EPIPE},
    {"ENOSYS", ENOSYS},
    {"EOPNOTSUPP", EOPNOTSUPP},
    {"ENOTSUP", ENOTSUP},
    {"EAFNOSUPPORT", EAFNOSUPPORT},
};

int scw_rules_errno_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
        if (strcmp(name, errnos[i].name) == 0)
            return errnos[i].value;
    if (!*name || strlen(name) > 4)
        return -EINVAL;
    int v = 0;
    for (const char *p = name; *p; p++) {
        if (*p < '0' || *p > '9')
            return -EINVAL;
        v = v * 10 + (*p - '0');
    }
    return v >= 1 && v <= 4095 ? v : -EINVAL;
}

const char *scw_rules_errno_name(int value)
{
    for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
        if (errnos[i].value == value)
            return errnos[i].name;
    return NULL;
}

/* Enforcing default actions a tuned profile may use (libseccomp/Docker spellings). */
static const char *const enforcing_actions[] = {
    "SCMP_ACT_ERRNO",       "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
    "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
};
#define N_ENFORCING (sizeof(enforcing_actions) / sizeof(enforcing_actions[0]))

/* ---- the YAML tree ----------------------------------------------------------------------- */

enum ykind { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
    enum ykind kind;
    bool plain; /* scalar written without quotes */
    unsigned line, col;
    char *s; /* scalar value, NUL-terminated (no NUL inside: checked) */
    size_t len;
    struct ynode **kids; /* seq items; map keys and values alternating */
    size_t n, cap;
};

static void ynode_free(struct ynode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++)
        ynode_free(n->kids[i]);
    free(n->kids);
    free(n->s);
    free(n);
}

static const char *kind_name(const struct ynode *n)
{
    switch (n->kind) {
    case Y_SCALAR:
        return "a scalar";
    case Y_SEQ:
        return "a list";
    case Y_MAP:
        return "a mapping";
    }
    return "?";
}

static bool is_null(const struct ynode *n)
{
    return !n || (n->kind == Y_SCALAR && n->plain &&
                  (n->len == 0 || strcmp(n->s, "~") == 0 || strcmp(n->s, "null") == 0 ||
                   strcmp(n->s, "Null") == 0 || strcmp(n->s, "NULL") == 0));
}

static const struct ynode *map_get(const struct ynode *map, const char *key)
{
    for (size_t i = 0; i + 1 < map->n; i += 2)
        if (strcmp(map->kids[i]->s, key) == 0)
            return map->kids[i + 1];
    return NULL;
}

/* ---- loader context, errors and warnings -------------------------------------------------- */

struct loader {
    struct scw_rules *rs;
    const char *file; /* borrowed from rs->files */
    char *dir;        /* directory of the file, for relative profile paths */
    char *error;
    size_t first_new_rule;
};

__attribute__((format(printf, 5, 0))) static int
failv(struct loader *l, const char *file, unsigned line, unsigned col, const char *fmt, va_list ap)
{
    if (l->error)
        return -EINVAL;
    char msg[1024];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t len = strlen(file) + strlen(msg) + 48;
    l->error = malloc(len);
    if (l->error)
        snprintf(l->error, len, "%s:%u:%u: %s", file, line, col, msg);
    return -EINVAL;
}

__attribute__((format(printf, 3, 4))) static int fail(struct loader *l, const struct ynode *n,
                                                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = failv(l, l->file, n ? n->line : 1, n ? n->col : 1, fmt, ap);
    va_end(ap);
    return rc;
}

__attribute__((format(printf, 3, 4))) static int
fail_at(struct loader *l, const struct scw_where *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = failv(l, w->file, w->line, w->column, fmt, ap);
    va_end(ap);
    return rc;
}

__attribute__((format(printf, 3, 4))) static void warn(struct loader *l, const struct ynode *n,
                                                       const char *fmt, ...)
{
    struct scw_rules *rs = l->rs;
    if (rs->n_warnings >= SCW_RULES_MAX_WARNINGS) {
        rs->warnings_dropped++;
        return;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    char **nw = realloc(rs->warnings, (rs->n_warnings + 1) * sizeof(*nw));
    if (!nw)
        return;
    rs->warnings = nw;
    size_t len = strlen(l->file) + strlen(msg) + 48;
    char *w = malloc(len);
    if (!w)
        return;
    snprintf(w, len, "%s:%u:%u: %s", l->file, n->line, n->col, msg);
    rs->warnings[rs->n_warnings++] = w;
}

static void where_of(const struct loader *l, const struct ynode *n, struct scw_where *ret)
{
    ret->file = l->file;
    ret->line = n->line;
    ret->column = n->col;
}

/* Make room for element n of *arr (capacity: 8, then powers of two), zeroing it. */
static int grow(void *arr, size_t n, size_t elem)
{
    void **p = arr;
    if (n == 0 || (n >= 8 && (n & (n - 1)) == 0)) {
        size_t ncap = n ? n * 2 : 8;
        void *np = realloc(*p, ncap * elem);
        if (!np)
            return -ENOMEM;
        *p = np;
    }
    memset((char *)*p + n * elem, 0, elem);
    return 0;
}

static int oom(struct loader *l)
{
    if (!l->error)
        l->error = strdup("out of memory while loading the rule file");
    return -ENOMEM;
}

/* ---- tree building from libyaml events ----------------------------------------------------- */

static const char *event_name(yaml_event_type_t t)
{
    return t == YAML_MAPPING_START_EVENT ? "a mapping" : "a list";
}

static int attach(struct loader *l, struct ynode **stack, size_t depth, struct ynode **root,
                  struct ynode *n)
{
    if (depth == 0) {
        if (*root) {
            int rc = fail(l, n, "unexpected content after the document");
            ynode_free(n);
            return rc;
        }
        *root = n;
        return 0;
    }
    struct ynode *parent = stack[depth - 1];
    size_t limit = parent->kind == Y_MAP ? 2 * SCW_RULES_MAX_LIST : SCW_RULES_MAX_LIST;
    if (parent->n >= limit) {
        int rc = fail(l, n, "more than %d entries in one %s (the limit)", SCW_RULES_MAX_LIST,
                      parent->kind == Y_MAP ? "mapping" : "list");
        ynode_free(n);
        return rc;
    }
    if (parent->kind == Y_MAP && parent->n % 2 == 0) {
        if (n->kind != Y_SCALAR) {
            int rc = fail(l, n, "expected a plain key (found %s used as a key)", kind_name(n));
            ynode_free(n);
            return rc;
        }
        for (size_t i = 0; i < parent->n; i += 2)
            if (strcmp(parent->kids[i]->s, n->s) == 0) {
                int rc = fail(l, n, "duplicate key '%s' (first at line %u)", n->s,
                              parent->kids[i]->line);
                ynode_free(n);
                return rc;
            }
    }
    if (parent->n == parent->cap) {
        size_t ncap = parent->cap ? parent->cap * 2 : 8;
        struct ynode **nk = realloc(parent->kids, ncap * sizeof(*nk));
        if (!nk) {
            ynode_free(n);
            return oom(l);
        }
        parent->kids = nk;
        parent->cap = ncap;
    }
    parent->kids[parent->n++] = n;
    return 0;
}

static int build_tree(struct loader *l, const char *data, size_t len, struct ynode **ret)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return oom(l);
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    struct ynode *stack[SCW_RULES_MAX_DEPTH];
    size_t depth = 0, nodes = 0;
    unsigned docs = 0;
    struct ynode *root = NULL;
    int rc = 0;
    bool done = false;
    while (!done && rc == 0) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            yaml_mark_t m = parser.problem_mark;
            struct ynode at = {.line = (unsigned)m.line + 1, .col = (unsigned)m.column + 1};
            if (parser.error == YAML_READER_ERROR) {
                /* reader errors carry a byte offset, not a mark */
                size_t off = parser.problem_offset < len ? parser.problem_offset : len;
                at.line = 1;
                at.col = 1;
                for (size_t i = 0; i < off; i++) {
                    at.col++;
                    if (data[i] == '\n') {
                        at.line++;
                        at.col = 1;
                    }
                }
            }
            if (parser.error == YAML_MEMORY_ERROR)
                rc = oom(l);
            else if (parser.error == YAML_READER_ERROR)
                rc = fail(l, &at, "%s (rule files are UTF-8 text)",
                          parser.problem ? parser.problem : "invalid input");
            else if (parser.context && parser.context_mark.line != m.line)
                rc = fail(l, &at, "YAML syntax error: %s %s (started at line %u)",
                          parser.problem ? parser.problem : "invalid input", parser.context,
                          (unsigned)parser.context_mark.line + 1);
            else if (parser.context)
                rc = fail(l, &at, "YAML syntax error: %s %s",
                          parser.problem ? parser.problem : "invalid input", parser.context);
            else
                rc = fail(l, &at, "YAML syntax error: %s",
                          parser.problem ? parser.problem : "invalid input");
            if (m.index < len && data[m.index] == '\t' && l->error) {
                char *e = NULL;
                if (asprintf(&e, "%s (YAML does not allow tabs for indentation)", l->error) > 0) {
                    free(l->error);
                    l->error = e;
                }
            }
            break;
        }
        struct ynode at = {.line = (unsigned)ev.start_mark.line + 1,
                           .col = (unsigned)ev.start_mark.column + 1};
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1)
                rc = fail(l, &at,
                          "a rule file holds one YAML document (found a second '---'); "
                          "split it into several files");
            break;
        case YAML_ALIAS_EVENT:
            rc = fail(l, &at,
                      "YAML aliases ('*%s') are not supported in rule files; use a "
                      "group for shared syscall lists",
                      (const char *)ev.data.alias.anchor);
            break;
        case YAML_SCALAR_EVENT:
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            if (++nodes > SCW_RULES_MAX_NODES) {
                rc = fail(l, &at, "more than %d YAML nodes in one file (the limit)",
                          SCW_RULES_MAX_NODES);
                break;
            }
            struct ynode *n = calloc(1, sizeof(*n));
            if (!n) {
                rc = oom(l);
                break;
            }
            n->line = at.line;
            n->col = at.col;
            if (ev.type == YAML_SCALAR_EVENT) {
                n->kind = Y_SCALAR;
                n->len = ev.data.scalar.length;
                n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
                if (n->len > SCW_RULES_MAX_STRING) {
                    rc = fail(l, &at, "string longer than %d bytes (the limit)",
                              SCW_RULES_MAX_STRING);
                    ynode_free(n);
                    break;
                }
                n->s = malloc(n->len + 1);
                if (!n->s) {
                    ynode_free(n);
                    rc = oom(l);
                    break;
                }
                memcpy(n->s, ev.data.scalar.value, n->len);
                n->s[n->len] = '\0';
                if (strlen(n->s) != n->len) {
                    rc = fail(l, &at, "string holds a NUL byte");
                    ynode_free(n);
                    break;
                }
                rc = attach(l, stack, depth, &root, n);
                break;
            }
            n->kind = ev.type == YAML_MAPPING_START_EVENT ? Y_MAP : Y_SEQ;
            if (depth >= SCW_RULES_MAX_DEPTH) {
                rc = fail(l, &at, "%s nested more than %d levels deep (the limit)",
                          event_name(ev.type), SCW_RULES_MAX_DEPTH);
                ynode_free(n);
                break;
            }
            rc = attach(l, stack, depth, &root, n);
            if (rc == 0)
                stack[depth++] = n;
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (depth > 0)
                depth--;
            break;
        case YAML_NO_EVENT:
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (rc < 0) {
        ynode_free(root);
        return rc;
    }
    *ret = root;
    return 0;
}

/* ---- typed accessors ------------------------------------------------------------------------ */

static int expect(struct loader *l, const struct ynode *n, enum ykind kind, const char *what)
{
    if (n->kind == kind)
        return 0;
    static const char *const names[] = {"a string", "a list", "a mapping"};
    return fail(l, n, "expected %s for %s (found %s)", names[kind], what, kind_name(n));
}

static int check_keys(struct loader *l, const struct ynode *map, const char *const *keys,
                      const char *what)
{
    for (size_t i = 0; i < map->n; i += 2) {
        bool ok = false;
        for (const char *const *k = keys; *k && !ok; k++)
            ok = strcmp(map->kids[i]->s, *k) == 0;
        if (ok)
            continue;
        char list[512] = "";
        size_t off = 0;
        for (const char *const *k = keys; *k; k++) {
            int w = snprintf(list + off, sizeof(list) - off, "%s%s", k == keys ? "" : ", ", *k);
            if (w < 0 || (size_t)w >= sizeof(list) - off)
                break;
            off += (size_t)w;
        }
        const char *near = scw_spelling_closest(map->kids[i]->s, keys, 0);
        if (near)
            return fail(l, map->kids[i],
                        "unknown key '%s' in %s: did you mean '%s'? (expected one of: %s)",
                        map->kids[i]->s, what, near, list);
        return fail(l, map->kids[i], "unknown key '%s' in %s (expected one of: %s)",
                    map->kids[i]->s, what, list);
    }
    return 0;
}

static int get_string(struct loader *l, const struct ynode *n, const char *what, char **ret)
{
    int rc = expect(l, n, Y_SCALAR, what);
    if (rc < 0)
        return rc;
    if (n->len == 0)
        return fail(l, n, "empty string for %s", what);
    char *s = strdup(n->s);
    if (!s)
        return oom(l);
    *ret = s;
    return 0;
}

/* "'key' of WHAT" for messages about one field. */
static const char *field(char *buf, size_t cap, const char *key, const char *what)
{
    snprintf(buf, cap, "'%s' of %s", key, what);
    return buf;
}

static bool valid_name(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > SCW_RULES_MAX_NAME)
        return false;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
          (s[0] >= '0' && s[0] <= '9')))
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-' || *p == '.'))
            return false;
    return true;
}

static bool valid_syscall_name(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > SCW_RULES_MAX_NAME || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

static int get_name(struct loader *l, const struct ynode *n, const char *what, char **ret)
{
    int rc = expect(l, n, Y_SCALAR, what);
    if (rc < 0)
        return rc;
    if (!valid_name(n->s))
        return fail(l, n,
                    "invalid %s '%s' (expected 1 to %d letters, digits, '_', '-' or '.', "
                    "starting with a letter or digit)",
                    what, n->s, SCW_RULES_MAX_NAME);
    return get_string(l, n, what, ret);
}

static int get_uint(struct loader *l, const struct ynode *n, const char *what, uint64_t max,
                    uint64_t *ret)
{
    if (n->kind != Y_SCALAR || !n->plain || n->len == 0 || n->len > 20 ||
        strspn(n->s, "0123456789") != n->len)
        return fail(l, n, "expected a whole number from 0 to %llu for %s", (unsigned long long)max,
                    what);
    errno = 0;
    unsigned long long v = strtoull(n->s, NULL, 10);
    if (errno || v > max)
        return fail(l, n, "%s is %s, more than %llu (the limit)", what, n->s,
                    (unsigned long long)max);
    *ret = v;
    return 0;
}

static int get_bool(struct loader *l, const struct ynode *n, const char *what, bool *ret)
{
    if (n->kind == Y_SCALAR && n->plain) {
        if (strcmp(n->s, "true") == 0) {
            *ret = true;
            return 0;
        }
        if (strcmp(n->s, "false") == 0) {
            *ret = false;
            return 0;
        }
    }
    return fail(l, n, "expected true or false for %s", what);
}

/* A string or a list of strings (patterns). Appends to g. */
static int get_globs(struct loader *l, const struct ynode *n, const char *what, struct scw_globs *g)
{
    if (is_null(n))
        return 0;
    const struct ynode *const *items = (const struct ynode *const *)&n;
    size_t count = 1;
    if (n->kind == Y_SEQ) {
        items = (const struct ynode *const *)n->kids;
        count = n->n;
    } else if (n->kind != Y_SCALAR) {
        return fail(l, n, "expected a string or a list of strings for %s (found %s)", what,
                    kind_name(n));
    }
    if (count == 0)
        return 0; /* realloc(p, 0) would free p */
    if (g->n + count > SCW_RULES_MAX_LIST)
        return fail(l, n, "more than %d entries for %s (the limit)", SCW_RULES_MAX_LIST, what);
    char **nv = realloc(g->v, (g->n + count) * sizeof(*nv));
    if (!nv)
        return oom(l);
    g->v = nv;
    for (size_t i = 0; i < count; i++) {
        char *s;
        int rc = get_string(l, items[i], what, &s);
        if (rc < 0)
            return rc;
        g->v[g->n++] = s;
    }
    return 0;
}

static const struct scw_group *find_group(const struct scw_rules *rs, const char *name,
                                          size_t *ret_index)
{
    if (name[0] == '@')
        name++;
    for (size_t i = 0; i < rs->n_groups; i++)
        if (strcmp(rs->groups[i].name, name) == 0) {
            if (ret_index)
                *ret_index = i;
            return &rs->groups[i];
        }
    return NULL;
}

static bool syscall_known(const char *name)
{
    if (seccomp_syscall_resolve_name(name) >= 0)
        return true;
    uint32_t token;
    const char *arch;
    for (unsigned i = 0; scw_name_arch_at(i, &token, &arch); i++)
        if (seccomp_syscall_resolve_name_arch(token, name) >= 0)
            return true;
    return false;
}

/*
 * A list of syscall names, "@group" references and (when allow_all) "*". Group references
 * must name a known group unless check_groups is false (groups section: checked once all the
 * file's groups exist).
 */
static int get_syscalls(struct loader *l, const struct ynode *n, const char *what, bool allow_all,
                        bool check_groups, struct scw_syscall_set *set)
{
    const struct ynode *const *items = (const struct ynode *const *)&n;
    size_t count = 1;
    if (n->kind == Y_SEQ) {
        items = (const struct ynode *const *)n->kids;
        count = n->n;
    } else if (n->kind != Y_SCALAR || is_null(n)) {
        return fail(l, n, "expected a list of syscall names and \"@group\" names for %s", what);
    }
    if (count == 0)
        return 0;
    if (set->n_items + count > SCW_RULES_MAX_LIST)
        return fail(l, n, "more than %d syscalls listed for %s (the limit)", SCW_RULES_MAX_LIST,
                    what);
    struct scw_syscall_item *ni = realloc(set->items, (set->n_items + count) * sizeof(*ni));
    if (!ni)
        return oom(l);
    set->items = ni;
    for (size_t i = 0; i < count; i++) {
        const struct ynode *it = items[i];
        int rc = expect(l, it, Y_SCALAR, what);
        if (rc < 0)
            return rc;
        if (strcmp(it->s, "*") == 0) {
            if (!allow_all)
                return fail(l, it,
                            "\"*\" (every syscall) is allowed only in a rule's syscalls, "
                            "not in %s",
                            what);
            set->all = true;
            continue;
        }
        struct scw_syscall_item item = {0};
        where_of(l, it, &item.where);
        if (it->s[0] == '@') {
            if (!valid_name(it->s + 1))
                return fail(l, it, "invalid group name '%s' in %s", it->s, what);
            if (check_groups && !find_group(l->rs, it->s, &item.group))
                return fail(l, it,
                            "unknown group '%s' in %s (define it under 'groups:'; 'scmpwatch "
                            "rules list-groups' lists the known ones)",
                            it->s, what);
            item.is_group = true;
            item.name = strdup(it->s + 1);
        } else {
            if (!valid_syscall_name(it->s))
                return fail(l, it,
                            "invalid syscall name '%s' in %s (expected lower-case letters, "
                            "digits and '_', or \"@group\"; YAML needs quotes around @names)",
                            it->s, what);
            if (!syscall_known(it->s)) {
                const struct scmp_version *v = seccomp_version();
                warn(l, it,
                     "unknown syscall '%s' in %s: libseccomp %u.%u.%u knows it on no "
                     "architecture (kept as written; check the spelling)",
                     it->s, what, v ? v->major : 0, v ? v->minor : 0, v ? v->micro : 0);
            }
            item.name = strdup(it->s);
        }
        if (!item.name)
            return oom(l);
        set->items[set->n_items++] = item;
    }
    return 0;
}

static int resolve_selector(struct loader *l, const struct ynode *n, const char *what, size_t *ret)
{
    for (size_t i = 0; i < l->rs->n_selectors; i++)
        if (strcmp(l->rs->selectors[i].name, n->s) == 0) {
            *ret = i;
            return 0;
        }
    return fail(l, n, "unknown container selector '%s' in %s (define it under 'containers:')", n->s,
                what);
}

/* A list of selector names, resolved. Appends to names/idx. */
static int get_selector_refs(struct loader *l, const struct ynode *n, const char *what,
                             char ***names, size_t **idx, size_t *count)
{
    if (is_null(n))
        return 0;
    const struct ynode *const *items = (const struct ynode *const *)&n;
    size_t c = 1;
    if (n->kind == Y_SEQ) {
        items = (const struct ynode *const *)n->kids;
        c = n->n;
    } else if (n->kind != Y_SCALAR) {
        return fail(l, n, "expected a list of container selector names for %s (found %s)", what,
                    kind_name(n));
    }
    if (c == 0)
        return 0;
    if (*count + c > SCW_RULES_MAX_LIST)
        return fail(l, n, "more than %d selectors for %s (the limit)", SCW_RULES_MAX_LIST, what);
    char **nn = realloc(*names, (*count + c) * sizeof(*nn));
    if (!nn)
        return oom(l);
    *names = nn;
    size_t *ni = realloc(*idx, (*count + c) * sizeof(*ni));
    if (!ni)
        return oom(l);
    *idx = ni;
    for (size_t i = 0; i < c; i++) {
        int rc = expect(l, items[i], Y_SCALAR, what);
        if (rc < 0)
            return rc;
        size_t sel = 0;
        if ((rc = resolve_selector(l, items[i], what, &sel)) < 0)
            return rc;
        char *s = strdup(items[i]->s);
        if (!s)
            return oom(l);
        (*names)[*count] = s;
        (*idx)[*count] = sel;
        (*count)++;
    }
    return 0;
}

/* ---- sections ---------------------------------------------------------------------------- */

static int parse_groups(struct loader *l, const struct ynode *n)
{
    struct scw_rules *rs = l->rs;
    if (is_null(n))
        return 0;
    int rc = expect(l, n, Y_MAP, "'groups'");
    if (rc < 0)
        return rc;
    size_t *touched = calloc(n->n / 2 + 1, sizeof(*touched));
    size_t n_touched = 0;
    if (!touched)
        return oom(l);
    for (size_t i = 0; i + 1 < n->n && rc == 0; i += 2) {
        const struct ynode *key = n->kids[i], *val = n->kids[i + 1];
        const char *gname = key->s[0] == '@' ? key->s + 1 : key->s;
        if (!valid_name(gname)) {
            rc = fail(l, key,
                      "invalid group name '%s' (expected 1 to %d letters, digits, '_', '-' or "
                      "'.', optionally after '@')",
                      key->s, SCW_RULES_MAX_NAME);
            break;
        }
        char what[128];
        snprintf(what, sizeof(what), "group '@%s'", gname);
        size_t gi;
        struct scw_group *g = (struct scw_group *)find_group(rs, gname, &gi);
        if (!g) {
            if (rs->n_groups >= SCW_RULES_MAX_GROUPS) {
                rc = fail(l, key, "more than %d groups (the limit)", SCW_RULES_MAX_GROUPS);
                break;
            }
            if (grow(&rs->groups, rs->n_groups, sizeof(*rs->groups)) < 0) {
                rc = oom(l);
                break;
            }
            gi = rs->n_groups++;
            g = &rs->groups[gi];
            where_of(l, key, &g->where);
            if (!(g->name = strdup(gname))) {
                rc = oom(l);
                break;
            }
        }
        touched[n_touched++] = gi;
        const struct ynode *list = val;
        if (val->kind == Y_MAP) {
            static const char *const keys[] = {"description", "syscalls", NULL};
            if ((rc = check_keys(l, val, keys, what)) < 0)
                break;
            const struct ynode *d = map_get(val, "description");
            if (d) {
                free(g->description);
                g->description = NULL;
                char fw[192];
                if ((rc = get_string(l, d, field(fw, sizeof(fw), "description", what),
                                     &g->description)) < 0)
                    break;
            }
            list = map_get(val, "syscalls");
            if (!list) {
                rc = fail(l, val, "%s has no 'syscalls' list", what);
                break;
            }
        }
        if (is_null(list) || (list->kind == Y_SEQ && list->n == 0))
            continue; /* an empty group: something to append to later */
        rc = get_syscalls(l, list, what, false, false, &g->set);
    }
    /* now that every group of the file exists, check the references the file added */
    for (size_t t = 0; t < n_touched && rc == 0; t++) {
        struct scw_group *g = &rs->groups[touched[t]];
        for (size_t k = 0; k < g->set.n_items && rc == 0; k++) {
            struct scw_syscall_item *it = &g->set.items[k];
            if (it->is_group && !find_group(rs, it->name, &it->group))
                rc = fail_at(l, &it->where,
                             "unknown group '@%s' in group '@%s' (define it under 'groups:')",
                             it->name, g->name);
        }
    }
    free(touched);
    return rc;
}

static int add_selector(struct loader *l, const struct ynode *key, const struct ynode *val)
{
    struct scw_rules *rs = l->rs;
    if (!valid_name(key->s))
        return fail(l, key,
                    "invalid selector name '%s' (expected 1 to %d letters, digits, '_', '-' or "
                    "'.')",
                    key->s, SCW_RULES_MAX_NAME);
    for (size_t i = 0; i < rs->n_selectors; i++)
        if (strcmp(rs->selectors[i].name, key->s) == 0)
            return fail(l, key, "container selector '%s' is already defined at %s:%u:%u", key->s,
                        rs->selectors[i].where.file, rs->selectors[i].where.line,
                        rs->selectors[i].where.column);
    if (rs->n_selectors >= SCW_RULES_MAX_SELECTORS)
        return fail(l, key, "more than %d container selectors (the limit)",
                    SCW_RULES_MAX_SELECTORS);
    char what[128];
    snprintf(what, sizeof(what), "container selector '%s'", key->s);
    int rc = expect(l, val, Y_MAP, what);
    if (rc < 0)
        return rc;
    static const char *const keys[] = {"name", "image",     "runtime", "cgroup", "namespace",
                                       "pod",  "container", "id",      "labels", "executable",
                                       "host", "profile",   NULL};
    if ((rc = check_keys(l, val, keys, what)) < 0)
        return rc;
    if (grow(&rs->selectors, rs->n_selectors, sizeof(*rs->selectors)) < 0)
        return oom(l);
    struct scw_selector *s = &rs->selectors[rs->n_selectors++];
    s->host = -1;
    where_of(l, key, &s->where);
    if (!(s->name = strdup(key->s)))
        return oom(l);
    struct {
        const char *key;
        struct scw_globs *g;
    } fields[] = {
        {"name", &s->names},
        {"image", &s->images},
        {"runtime", &s->runtimes},
        {"cgroup", &s->cgroups},
        {"namespace", &s->namespaces},
        {"pod", &s->pods},
        {"container", &s->k8s_containers},
        {"id", &s->ids},
        {"executable", &s->executables},
    };
    bool matches_something = false;
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        const struct ynode *f = map_get(val, fields[i].key);
        if (!f)
            continue;
        char fw[192];
        snprintf(fw, sizeof(fw), "'%s' of %s", fields[i].key, what);
        if ((rc = get_globs(l, f, fw, fields[i].g)) < 0)
            return rc;
        matches_something |= fields[i].g->n > 0;
    }
    const struct ynode *labels = map_get(val, "labels");
    if (labels && !is_null(labels)) {
        char fw[192];
        snprintf(fw, sizeof(fw), "'labels' of %s", what);
        if ((rc = expect(l, labels, Y_MAP, fw)) < 0)
            return rc;
        s->labels = calloc(labels->n / 2 + 1, sizeof(*s->labels));
        if (!s->labels)
            return oom(l);
        for (size_t i = 0; i + 1 < labels->n; i += 2) {
            struct scw_label_match *m = &s->labels[s->n_labels++];
            if (labels->kids[i]->len == 0)
                return fail(l, labels->kids[i], "empty label key in %s", fw);
            if (!(m->key = strdup(labels->kids[i]->s)))
                return oom(l);
            if ((rc = get_string(l, labels->kids[i + 1], fw, &m->glob)) < 0)
                return rc;
        }
        matches_something |= s->n_labels > 0;
    }
    const struct ynode *host = map_get(val, "host");
    if (host) {
        bool b = false;
        char fw[192];
        snprintf(fw, sizeof(fw), "'host' of %s", what);
        if ((rc = get_bool(l, host, fw, &b)) < 0)
            return rc;
        s->host = b;
        matches_something = true;
    }
    const struct ynode *profile = map_get(val, "profile");
    if (profile) {
        char *p;
        char fw[192];
        if ((rc = get_string(l, profile, field(fw, sizeof(fw), "profile", what), &p)) < 0)
            return rc;
        if (p[0] == '/' || !l->dir) {
            s->profile = p;
        } else {
            size_t len = strlen(l->dir) + strlen(p) + 2;
            s->profile = malloc(len);
            if (s->profile)
                snprintf(s->profile, len, "%s/%s", l->dir, p);
            free(p);
            if (!s->profile)
                return oom(l);
        }
        if (access(s->profile, R_OK) < 0)
            warn(l, profile, "profile '%s' of %s cannot be read: %s", s->profile, what,
                 strerror(errno));
    }
    if (!matches_something)
        return fail(l, val,
                    "%s matches nothing: give at least one of name, image, runtime, cgroup, "
                    "namespace, pod, container, id, labels, executable or host",
                    what);
    return 0;
}

static int parse_containers(struct loader *l, const struct ynode *n)
{
    if (is_null(n))
        return 0;
    int rc = expect(l, n, Y_MAP, "'containers' (named selectors)");
    for (size_t i = 0; i + 1 < n->n && rc == 0; i += 2)
        rc = add_selector(l, n->kids[i], n->kids[i + 1]);
    return rc;
}

static int parse_ignore(struct loader *l, const struct ynode *n)
{
    if (is_null(n))
        return 0;
    int rc = expect(l, n, Y_MAP, "'ignore'");
    if (rc < 0)
        return rc;
    static const char *const keys[] = {"executables", "comms", "syscalls", "containers", NULL};
    if ((rc = check_keys(l, n, keys, "'ignore'")) < 0)
        return rc;
    struct scw_rules *rs = l->rs;
    const struct ynode *f;
    if ((f = map_get(n, "executables")) &&
        (rc = get_globs(l, f, "'ignore: executables'", &rs->ignore.executables)) < 0)
        return rc;
    if ((f = map_get(n, "comms")) &&
        (rc = get_globs(l, f, "'ignore: comms'", &rs->ignore.comms)) < 0)
        return rc;
    if ((f = map_get(n, "syscalls")) && !is_null(f) && !(f->kind == Y_SEQ && f->n == 0) &&
        (rc = get_syscalls(l, f, "'ignore: syscalls'", false, true, &rs->ignore.syscalls)) < 0)
        return rc;
    if ((f = map_get(n, "containers")) &&
        (rc = get_selector_refs(l, f, "'ignore: containers'", &rs->ignore.selector_names,
                                &rs->ignore.selectors, &rs->ignore.n_selectors)) < 0)
        return rc;
    return 0;
}

static int get_thresholds(struct loader *l, const struct ynode *n, const char *what,
                          struct scw_thresholds *t)
{
    int rc = expect(l, n, Y_MAP, what);
    if (rc < 0)
        return rc;
    static const char *const keys[] = {"min_events", "min_processes", NULL};
    if ((rc = check_keys(l, n, keys, what)) < 0)
        return rc;
    const struct ynode *f;
    uint64_t v;
    if ((f = map_get(n, "min_events"))) {
        char fw[224];
        if ((rc = get_uint(l, f, field(fw, sizeof(fw), "min_events", what), UINT64_MAX / 2, &v)) <
            0)
            return rc;
        t->min_events = v;
        t->has_min_events = true;
    }
    if ((f = map_get(n, "min_processes"))) {
        if (f->kind == Y_SCALAR && f->plain && strspn(f->s, "0123456789") == f->len && f->len > 0 &&
            (f->len > 20 || strtoull(f->s, NULL, 10) > SCW_RULES_MAX_PROCESSES))
            return fail(l, f,
                        "'min_processes' of %s is %s, more than %d (scmpwatch tracks up to %d "
                        "distinct processes per syscall)",
                        what, f->s, SCW_RULES_MAX_PROCESSES, SCW_RULES_MAX_PROCESSES);
        char fw[224];
        if ((rc = get_uint(l, f, field(fw, sizeof(fw), "min_processes", what),
                           SCW_RULES_MAX_PROCESSES, &v)) < 0)
            return rc;
        t->min_processes = (uint32_t)v;
        t->has_min_processes = true;
    }
    return 0;
}

static int get_decision(struct loader *l, const struct ynode *n, const char *what,
                        enum scw_decision_kind *ret)
{
    int rc = expect(l, n, Y_SCALAR, what);
    if (rc < 0)
        return rc;
    enum scw_decision_kind d = scw_decision_from_name(n->s);
    if (d == SCW_DECISION_INVALID)
        return fail(l, n,
                    "unknown decision '%s' for %s (expected one of: allow, deny, review, "
                    "ignore)",
                    n->s, what);
    *ret = d;
    return 0;
}

static int get_link(struct loader *l, const struct ynode *n, const char *what, char **ret)
{
    int rc = get_string(l, n, what, ret);
    if (rc < 0)
        return rc;
    if (strncmp(*ret, "https://", 8) != 0 && strncmp(*ret, "http://", 7) != 0) {
        free(*ret);
        *ret = NULL;
        return fail(l, n, "%s is '%s', not a web address (expected https://...)", what, n->s);
    }
    return 0;
}

static int add_rule(struct loader *l, const struct ynode *n, size_t index)
{
    struct scw_rules *rs = l->rs;
    char what[128];
    snprintf(what, sizeof(what), "rule #%zu", index + 1);
    int rc = expect(l, n, Y_MAP, what);
    if (rc < 0)
        return rc;
    const struct ynode *name = map_get(n, "name");
    if (!name)
        return fail(l, n, "%s has no 'name' (every rule needs name, syscalls, decision and reason)",
                    what);
    if ((rc = expect(l, name, Y_SCALAR, "a rule name")) < 0)
        return rc;
    if (valid_name(name->s))
        snprintf(what, sizeof(what), "rule '%s'", name->s);
    static const char *const keys[] = {"name",       "syscalls", "decision",   "reason", "link",
                                       "containers", "arches",   "thresholds", NULL};
    if ((rc = check_keys(l, n, keys, what)) < 0)
        return rc;
    if (rs->n_rules >= SCW_RULES_MAX_RULES)
        return fail(l, n, "more than %d rules (the limit)", SCW_RULES_MAX_RULES);
    if (grow(&rs->rules, rs->n_rules, sizeof(*rs->rules)) < 0)
        return oom(l);
    struct scw_rule *r = &rs->rules[rs->n_rules++];
    where_of(l, n, &r->where);
    if ((rc = get_name(l, name, "rule name", &r->name)) < 0)
        return rc;
    for (size_t i = 0; i + 1 < rs->n_rules; i++)
        if (strcmp(rs->rules[i].name, r->name) == 0)
            return fail(l, name, "rule name '%s' is already used at %s:%u:%u", r->name,
                        rs->rules[i].where.file, rs->rules[i].where.line,
                        rs->rules[i].where.column);
    static const char *const required[] = {"syscalls", "decision", "reason"};
    for (size_t i = 0; i < 3; i++)
        if (!map_get(n, required[i]))
            return fail(l, n,
                        "%s has no '%s' (every rule needs name, syscalls, decision and "
                        "reason)",
                        what, required[i]);
    const struct ynode *f = map_get(n, "syscalls");
    if (f->kind == Y_SEQ && f->n == 0)
        return fail(l, f, "empty 'syscalls' in %s (list syscalls, \"@group\" names or \"*\")",
                    what);
    if ((rc = get_syscalls(l, f, what, true, true, &r->syscalls)) < 0)
        return rc;
    if ((rc = get_decision(l, map_get(n, "decision"), what, &r->decision)) < 0)
        return rc;
    char fw[192];
    if ((rc = get_string(l, map_get(n, "reason"), field(fw, sizeof(fw), "reason", what),
                         &r->reason)) < 0)
        return rc;
    if ((f = map_get(n, "link")) &&
        (rc = get_link(l, f, field(fw, sizeof(fw), "link", what), &r->link)) < 0)
        return rc;
    if ((f = map_get(n, "containers")) &&
        (rc = get_selector_refs(l, f, what, &r->selector_names, &r->selectors, &r->n_selectors)) <
            0)
        return rc;
    if ((f = map_get(n, "arches"))) {
        struct scw_globs raw = {0};
        rc = get_globs(l, f, what, &raw);
        for (size_t i = 0; i < raw.n && rc == 0; i++) {
            uint32_t token = scw_name_arch_token(raw.v[i]);
            const struct ynode *at = f->kind == Y_SEQ ? f->kids[i] : f;
            if (!token) {
                rc = fail(l, at,
                          "unknown architecture '%s' in %s (expected x86_64, x86, x32, aarch64, "
                          "arm, ppc64le, s390x, riscv64, mips...)",
                          raw.v[i], what);
                break;
            }
            free(raw.v[i]);
            raw.v[i] = strdup(scw_name_arch(token));
            if (!raw.v[i])
                rc = oom(l);
        }
        r->arches = raw;
        if (rc < 0)
            return rc;
    }
    if ((f = map_get(n, "thresholds"))) {
        char tw[160];
        snprintf(tw, sizeof(tw), "thresholds of %s", what);
        if ((rc = get_thresholds(l, f, tw, &r->thresholds)) < 0)
            return rc;
    }
    return 0;
}

static int parse_rules(struct loader *l, const struct ynode *n)
{
    if (is_null(n))
        return 0;
    int rc = expect(l, n, Y_SEQ, "'rules'");
    for (size_t i = 0; i < n->n && rc == 0; i++)
        rc = add_rule(l, n->kids[i], i);
    return rc;
}

static int parse_defaults(struct loader *l, const struct ynode *n)
{
    if (is_null(n))
        return 0;
    int rc = expect(l, n, Y_MAP, "'defaults'");
    if (rc < 0)
        return rc;
    static const char *const keys[] = {"decision", "thresholds", "action", "errno", NULL};
    if ((rc = check_keys(l, n, keys, "'defaults'")) < 0)
        return rc;
    struct scw_rules_defaults *d = &l->rs->defaults;
    const struct ynode *f;
    if ((f = map_get(n, "decision")) &&
        (rc = get_decision(l, f, "'defaults: decision'", &d->decision)) < 0)
        return rc;
    if ((f = map_get(n, "thresholds"))) {
        struct scw_thresholds t = {0};
        if ((rc = get_thresholds(l, f, "'defaults: thresholds'", &t)) < 0)
            return rc;
        if (t.has_min_events)
            d->thresholds.min_events = t.min_events;
        if (t.has_min_processes)
            d->thresholds.min_processes = t.min_processes;
    }
    const struct ynode *act = map_get(n, "action"), *err = map_get(n, "errno");
    const char *was = d->action;
    if (act) {
        if ((rc = expect(l, act, Y_SCALAR, "'defaults: action'")) < 0)
            return rc;
        const char *found = NULL;
        for (size_t i = 0; i < N_ENFORCING && !found; i++)
            if (strcmp(act->s, enforcing_actions[i]) == 0)
                found = enforcing_actions[i];
        if (!found &&
            (strcmp(act->s, "SCMP_ACT_LOG") == 0 || strcmp(act->s, "SCMP_ACT_ALLOW") == 0 ||
             strcmp(act->s, "SCMP_ACT_TRACE") == 0 || strcmp(act->s, "SCMP_ACT_NOTIFY") == 0))
            return fail(l, act,
                        "'defaults: action' %s does not enforce (expected SCMP_ACT_ERRNO, "
                        "SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL or "
                        "SCMP_ACT_TRAP)",
                        act->s);
        if (!found)
            return fail(l, act,
                        "unknown action '%s' for 'defaults: action' (expected SCMP_ACT_ERRNO, "
                        "SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL or "
                        "SCMP_ACT_TRAP)",
                        act->s);
        d->action = found;
    }
    bool is_errno = strcmp(d->action, "SCMP_ACT_ERRNO") == 0;
    if (err) {
        if (!is_errno)
            return fail(l, err,
                        "'defaults: errno' applies only with action SCMP_ACT_ERRNO (the "
                        "action is %s)",
                        d->action);
        if ((rc = expect(l, err, Y_SCALAR, "'defaults: errno'")) < 0)
            return rc;
        int v = scw_rules_errno_from_name(err->s);
        if (v < 0)
            return fail(l, err,
                        "unknown errno '%s' for 'defaults: errno' (expected a name such as EPERM, "
                        "EACCES or ENOSYS, or a number from 1 to 4095)",
                        err->s);
        d->errno_value = v;
    } else if (!is_errno) {
        d->errno_value = 0;
    } else if (strcmp(was, "SCMP_ACT_ERRNO") != 0) {
        d->errno_value = EPERM;
    }
    return 0;
}

static bool valid_cve_id(const char *s)
{
    if (strncasecmp(s, "CVE-", 4) != 0)
        return false;
    s += 4;
    size_t year = strspn(s, "0123456789");
    if (year != 4 || s[4] != '-')
        return false;
    s += 5;
    size_t num = strspn(s, "0123456789");
    return num >= 4 && num <= 19 && s[num] == '\0';
}

static bool valid_kernel_version(const char *s)
{
    for (int part = 0; part < 3; part++) {
        size_t d = strspn(s, "0123456789");
        if (d == 0 || d > 5)
            return false;
        s += d;
        if (*s == '\0')
            return true;
        if (*s != '.' || part == 2)
            return false;
        s++;
    }
    return false;
}

/* Major and minor of a valid kernel version, as one number for comparing series. */
static unsigned long kernel_series(const char *s)
{
    char *end;
    unsigned long major = strtoul(s, &end, 10),
                  minor = *end == '.' ? strtoul(end + 1, NULL, 10) : 0;
    return major * 100000 + minor;
}

/* kernel_below: one release, or a list with at most one per stable series. */
static int get_kernel_fixes(struct loader *l, const struct ynode *f, const char *what,
                            struct scw_cve_block *b)
{
    char fw[192];
    struct scw_globs v = {0};
    int rc = get_globs(l, f, field(fw, sizeof(fw), "kernel_below", what), &v);
    b->kernel_below = v.v;
    b->n_kernel_below = v.n;
    if (rc < 0)
        return rc;
    if (v.n == 0)
        return fail(l, f,
                    "empty 'kernel_below' in %s (expected a release like \"5.16.11\" or a list "
                    "of them, one per stable series)",
                    what);
    for (size_t i = 0; i < v.n; i++) {
        const struct ynode *at = f->kind == Y_SEQ ? f->kids[i] : f;
        if (!valid_kernel_version(v.v[i]))
            return fail(l, at,
                        "invalid kernel version '%s' for 'kernel_below' in %s (expected "
                        "e.g. \"5.16.11\")",
                        v.v[i], what);
        for (size_t j = 0; j < i; j++)
            if (kernel_series(v.v[j]) == kernel_series(v.v[i]))
                return fail(l, at,
                            "'kernel_below' in %s lists two fixes for one series ('%s' and '%s'; "
                            "expected one release per major.minor)",
                            what, v.v[j], v.v[i]);
    }
    return 0;
}

static int add_cve_block(struct loader *l, const struct ynode *n, size_t index)
{
    struct scw_rules *rs = l->rs;
    char what[128];
    snprintf(what, sizeof(what), "cve block #%zu", index + 1);
    int rc = expect(l, n, Y_MAP, what);
    if (rc < 0)
        return rc;
    const struct ynode *name = map_get(n, "name");
    if (!name)
        return fail(l, n,
                    "%s has no 'name' (every cve block needs name, syscalls, reason and "
                    "link)",
                    what);
    if ((rc = expect(l, name, Y_SCALAR, "a cve block name")) < 0)
        return rc;
    if (valid_name(name->s))
        snprintf(what, sizeof(what), "cve block '%s'", name->s);
    static const char *const keys[] = {
        "name",         "cves",     "package", "severity", "kernel_below",
        "kernel_since", "syscalls", "reason",  "link",     NULL};
    if ((rc = check_keys(l, n, keys, what)) < 0)
        return rc;
    if (rs->n_cve_blocks >= SCW_RULES_MAX_CVE_BLOCKS)
        return fail(l, n, "more than %d cve blocks (the limit)", SCW_RULES_MAX_CVE_BLOCKS);
    if (grow(&rs->cve_blocks, rs->n_cve_blocks, sizeof(*rs->cve_blocks)) < 0)
        return oom(l);
    struct scw_cve_block *b = &rs->cve_blocks[rs->n_cve_blocks++];
    where_of(l, n, &b->where);
    if ((rc = get_name(l, name, "cve block name", &b->name)) < 0)
        return rc;
    for (size_t i = 0; i + 1 < rs->n_cve_blocks; i++)
        if (strcmp(rs->cve_blocks[i].name, b->name) == 0)
            return fail(l, name, "cve block name '%s' is already used at %s:%u:%u", b->name,
                        rs->cve_blocks[i].where.file, rs->cve_blocks[i].where.line,
                        rs->cve_blocks[i].where.column);
    static const char *const required[] = {"syscalls", "reason", "link"};
    for (size_t i = 0; i < 3; i++)
        if (!map_get(n, required[i]))
            return fail(l, n,
                        "%s has no '%s' (every cve block needs name, syscalls, reason and "
                        "link)",
                        what, required[i]);
    const struct ynode *cves = map_get(n, "cves"), *pkg = map_get(n, "package");
    const struct ynode *sev = map_get(n, "severity"), *f;
    if (cves && pkg)
        return fail(l, pkg, "%s has both 'cves' and 'package' (expected one of them)", what);
    if (!cves && !pkg)
        return fail(l, n, "%s needs 'cves' (a list of CVE ids) or 'package' (a package name)",
                    what);
    if (cves) {
        struct scw_globs ids = {0};
        rc = get_globs(l, cves, what, &ids);
        b->cves = ids.v;
        b->n_cves = ids.n;
        if (rc < 0)
            return rc;
        if (ids.n == 0)
            return fail(l, cves, "empty 'cves' in %s (expected CVE ids like CVE-2022-0847)", what);
        for (size_t i = 0; i < ids.n; i++) {
            if (!valid_cve_id(ids.v[i]))
                return fail(l, cves->kind == Y_SEQ ? cves->kids[i] : cves,
                            "invalid CVE id '%s' in %s (expected CVE-YYYY-NNNN)", ids.v[i], what);
            for (char *p = ids.v[i]; *p; p++)
                if (*p >= 'a' && *p <= 'z')
                    *p = (char)(*p - 'a' + 'A');
        }
        if (sev)
            return fail(l, sev, "'severity' in %s applies only with 'package'", what);
    }
    char fw[192];
    if (pkg && (rc = get_string(l, pkg, field(fw, sizeof(fw), "package", what), &b->package)) < 0)
        return rc;
    if (sev) {
        if ((rc = expect(l, sev, Y_SCALAR, "'severity'")) < 0)
            return rc;
        b->severity = scw_severity_from_name(sev->s);
        if (b->severity == SCW_SEVERITY_INVALID)
            return fail(l, sev,
                        "unknown severity '%s' in %s (expected one of: unknown, negligible, low, "
                        "medium, high, critical)",
                        sev->s, what);
    }
    if ((f = map_get(n, "kernel_below")) && (rc = get_kernel_fixes(l, f, what, b)) < 0)
        return rc;
    if ((f = map_get(n, "kernel_since"))) {
        if (!b->n_kernel_below)
            return fail(l, f, "'kernel_since' in %s applies only with 'kernel_below'", what);
        if ((rc = get_string(l, f, field(fw, sizeof(fw), "kernel_since", what), &b->kernel_since)) <
            0)
            return rc;
        if (!valid_kernel_version(b->kernel_since))
            return fail(l, f,
                        "invalid kernel version '%s' for 'kernel_since' in %s (expected "
                        "e.g. \"5.8\")",
                        b->kernel_since, what);
        for (size_t i = 0; i < b->n_kernel_below; i++)
            if (!scw_rules_kernel_older(b->kernel_since, b->kernel_below[i]))
                return fail(l, f,
                            "'kernel_since' %s in %s is not older than its fix %s (expected "
                            "the release that brought the bug)",
                            b->kernel_since, what, b->kernel_below[i]);
    }
    f = map_get(n, "syscalls");
    if (f->kind == Y_SEQ && f->n == 0)
        return fail(l, f, "empty 'syscalls' in %s", what);
    if ((rc = get_syscalls(l, f, what, false, true, &b->syscalls)) < 0)
        return rc;
    if ((rc = get_string(l, map_get(n, "reason"), field(fw, sizeof(fw), "reason", what),
                         &b->reason)) < 0)
        return rc;
    return get_link(l, map_get(n, "link"), field(fw, sizeof(fw), "link", what), &b->link);
}

static int parse_cve_blocks(struct loader *l, const struct ynode *n)
{
    if (is_null(n))
        return 0;
    int rc = expect(l, n, Y_SEQ, "'cve_blocks'");
    for (size_t i = 0; i < n->n && rc == 0; i++)
        rc = add_cve_block(l, n->kids[i], i);
    return rc;
}

/* ---- expansion of syscall lists ----------------------------------------------------------- */

struct expansion {
    struct loader *l;
    size_t path[SCW_RULES_MAX_GROUP_DEPTH + 1]; /* groups being expanded, outermost first */
    size_t depth;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void path_text(const struct expansion *x, size_t from, size_t last, char *buf, size_t cap)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = from; i <= x->depth; i++) {
        size_t gi = i < x->depth ? x->path[i] : last;
        int w = snprintf(buf + off, cap - off, "%s@%s", i == from ? "" : " -> ",
                         x->l->rs->groups[gi].name);
        if (w < 0 || (size_t)w >= cap - off)
            return;
        off += (size_t)w;
    }
}

static int expand_set(struct expansion *x, struct scw_syscall_set *set, const char *what);

static int expand_group(struct expansion *x, size_t gi, const struct scw_where *from)
{
    struct scw_group *g = &x->l->rs->groups[gi];
    if (g->state == 2)
        return 0;
    char path[512];
    if (g->state == 1) {
        size_t k = 0;
        while (k < x->depth && x->path[k] != gi)
            k++;
        path_text(x, k, gi, path, sizeof(path));
        return fail_at(x->l, from, "group '@%s' includes itself: %s", g->name, path);
    }
    if (x->depth >= SCW_RULES_MAX_GROUP_DEPTH) {
        path_text(x, 0, gi, path, sizeof(path));
        return fail_at(x->l, from, "groups nest more than %d levels deep: %s",
                       SCW_RULES_MAX_GROUP_DEPTH, path);
    }
    g->state = 1;
    x->path[x->depth++] = gi;
    char what[96];
    snprintf(what, sizeof(what), "group '@%s'", g->name);
    int rc = expand_set(x, &x->l->rs->groups[gi].set, what);
    x->depth--;
    x->l->rs->groups[gi].state = 2;
    return rc;
}

static int expand_set(struct expansion *x, struct scw_syscall_set *set, const char *what)
{
    free(set->names);
    set->names = NULL;
    set->n_names = 0;
    const char **v = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (size_t i = 0; i < set->n_items && rc == 0; i++) {
        const struct scw_syscall_item *it = &set->items[i];
        const char *const *src = (const char *const *)&it->name;
        size_t count = 1;
        if (it->is_group) {
            if ((rc = expand_group(x, it->group, &it->where)) < 0)
                break;
            const struct scw_group *g = &x->l->rs->groups[it->group];
            src = g->set.names;
            count = g->set.n_names;
        }
        if (n + count > PRE_UNIQUE_MAX) {
            rc = fail_at(x->l, &it->where, "%s expands to more than %d syscall names (the limit)",
                         what, SCW_RULES_MAX_EXPANDED);
            break;
        }
        if (n + count > cap) {
            size_t ncap = cap ? cap : 64;
            while (ncap < n + count)
                ncap *= 2;
            const char **nv = realloc(v, ncap * sizeof(*nv));
            if (!nv) {
                rc = oom(x->l);
                break;
            }
            v = nv;
            cap = ncap;
        }
        if (count)
            memcpy(v + n, src, count * sizeof(*v));
        n += count;
    }
    if (rc < 0) {
        free(v);
        return rc;
    }
    if (n)
        qsort(v, n, sizeof(*v), cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || strcmp(v[u - 1], v[i]) != 0)
            v[u++] = v[i];
    if (u > SCW_RULES_MAX_EXPANDED) {
        free(v);
        return fail_at(x->l, &set->items[0].where,
                       "%s expands to more than %d syscall names (the limit)", what,
                       SCW_RULES_MAX_EXPANDED);
    }
    set->names = v;
    set->n_names = u;
    return 0;
}

static int expand_all(struct loader *l)
{
    struct scw_rules *rs = l->rs;
    struct expansion x = {.l = l};
    for (size_t i = 0; i < rs->n_groups; i++)
        rs->groups[i].state = 0;
    for (size_t i = 0; i < rs->n_groups; i++) {
        struct scw_where w = rs->groups[i].where;
        int rc = expand_group(&x, i, &w);
        if (rc < 0)
            return rc;
    }
    char what[128];
    for (size_t i = 0; i < rs->n_rules; i++) {
        snprintf(what, sizeof(what), "rule '%s'", rs->rules[i].name);
        int rc = expand_set(&x, &rs->rules[i].syscalls, what);
        if (rc < 0)
            return rc;
    }
    for (size_t i = 0; i < rs->n_cve_blocks; i++) {
        snprintf(what, sizeof(what), "cve block '%s'", rs->cve_blocks[i].name);
        int rc = expand_set(&x, &rs->cve_blocks[i].syscalls, what);
        if (rc < 0)
            return rc;
    }
    return expand_set(&x, &rs->ignore.syscalls, "'ignore: syscalls'");
}

/* ---- loading -------------------------------------------------------------------------------- */

static int parse_file(struct loader *l, const struct ynode *root)
{
    struct ynode top = {.line = 1, .col = 1};
    if (is_null(root))
        return fail(l, &top, "empty rule file (expected a mapping that starts with 'version: 1')");
    int rc = expect(l, root, Y_MAP, "the top level of a rule file");
    if (rc < 0)
        return rc;
    const struct ynode *version = map_get(root, "version");
    if (!version)
        return fail(l, root,
                    "missing 'version: 1' at the top level (the schema version the "
                    "file is written for)");
    uint64_t v = 0;
    if (version->kind != Y_SCALAR || !version->plain || version->len == 0 || version->len > 9 ||
        strspn(version->s, "0123456789") != version->len)
        return fail(l, version, "expected 'version: 1' (a whole number, without quotes)");
    v = strtoull(version->s, NULL, 10);
    if (v != 1)
        return fail(l, version, "unsupported version %llu (this scmpwatch reads version 1)",
                    (unsigned long long)v);
    static const char *const keys[] = {"version", "groups",   "containers", "ignore",
                                       "rules",   "defaults", "cve_blocks", NULL};
    if ((rc = check_keys(l, root, keys, "the top level")) < 0)
        return rc;
    const struct ynode *f;
    if ((f = map_get(root, "groups")) && (rc = parse_groups(l, f)) < 0)
        return rc;
    if ((f = map_get(root, "containers")) && (rc = parse_containers(l, f)) < 0)
        return rc;
    if ((f = map_get(root, "ignore")) && (rc = parse_ignore(l, f)) < 0)
        return rc;
    if ((f = map_get(root, "rules")) && (rc = parse_rules(l, f)) < 0)
        return rc;
    if ((f = map_get(root, "defaults")) && (rc = parse_defaults(l, f)) < 0)
        return rc;
    if ((f = map_get(root, "cve_blocks")) && (rc = parse_cve_blocks(l, f)) < 0)
        return rc;

    /* this file's rules go before the earlier files' rules */
    struct scw_rules *rs = l->rs;
    size_t n_new = rs->n_rules - l->first_new_rule;
    if (n_new && l->first_new_rule) {
        struct scw_rule *tmp = malloc(n_new * sizeof(*tmp));
        if (!tmp)
            return oom(l);
        memcpy(tmp, rs->rules + l->first_new_rule, n_new * sizeof(*tmp));
        memmove(rs->rules + n_new, rs->rules, l->first_new_rule * sizeof(*tmp));
        memcpy(rs->rules, tmp, n_new * sizeof(*tmp));
        free(tmp);
    }
    return expand_all(l);
}

int scw_rules_load_buffer(struct scw_rules *rs, const char *name, const char *data, size_t len,
                          char **ret_error)
{
    struct loader l = {.rs = rs, .file = name, .first_new_rule = rs->n_rules};
    struct ynode at = {.line = 1, .col = 1};
    int rc;
    if (rs->n_files >= SCW_RULES_MAX_FILES) {
        rc = fail(&l, &at, "more than %d rule files (the limit)", SCW_RULES_MAX_FILES);
        goto out;
    }
    if (len > SCW_RULES_MAX_FILE_SIZE) {
        rc = fail(&l, &at, "rule file larger than %u bytes (the limit)", SCW_RULES_MAX_FILE_SIZE);
        goto out;
    }
    char **nf = realloc(rs->files, (rs->n_files + 1) * sizeof(*nf));
    if (!nf) {
        rc = oom(&l);
        goto out;
    }
    rs->files = nf;
    if (!(rs->files[rs->n_files] = strdup(name))) {
        rc = oom(&l);
        goto out;
    }
    l.file = rs->files[rs->n_files++];
    const char *slash = strrchr(name, '/');
    if (slash && !(l.dir = strndup(name, slash == name ? 1 : (size_t)(slash - name)))) {
        rc = oom(&l);
        goto out;
    }
    struct ynode *root = NULL;
    rc = build_tree(&l, data, len, &root);
    if (rc == 0)
        rc = parse_file(&l, root);
    ynode_free(root);
out:
    free(l.dir);
    if (rc < 0 && ret_error) {
        *ret_error = l.error;
        l.error = NULL;
    }
    free(l.error);
    return rc;
}

static char *path_error(const char *path, const char *what, int err)
{
    size_t len = strlen(path) + strlen(what) + 128;
    char *s = malloc(len);
    if (s)
        snprintf(s, len, "%s: %s: %s", path, what, strerror(err));
    return s;
}

int scw_rules_load(struct scw_rules *rs, const char *path, char **ret_error)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        if (ret_error)
            *ret_error = path_error(path, "cannot open the rule file", e);
        return -e;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
        int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
        close(fd);
        if (ret_error)
            *ret_error = path_error(path, "cannot read the rule file", e);
        return -e;
    }
    size_t cap = SCW_RULES_MAX_FILE_SIZE + 1, len = 0;
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size < cap)
        cap = (size_t)st.st_size + 1;
    char *buf = malloc(cap);
    int rc = 0;
    while (buf) {
        if (len == cap) {
            if (cap > SCW_RULES_MAX_FILE_SIZE)
                break;
            size_t ncap =
                cap * 2 > SCW_RULES_MAX_FILE_SIZE + 1 ? SCW_RULES_MAX_FILE_SIZE + 1 : cap * 2;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = -errno;
            break;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    if (!buf) {
        if (ret_error)
            *ret_error = path_error(path, "cannot read the rule file", ENOMEM);
        return -ENOMEM;
    }
    if (rc < 0) {
        free(buf);
        if (ret_error)
            *ret_error = path_error(path, "cannot read the rule file", -rc);
        return rc;
    }
    if (len > SCW_RULES_MAX_FILE_SIZE) {
        free(buf);
        if (ret_error) {
            size_t elen = strlen(path) + 96;
            *ret_error = malloc(elen);
            if (*ret_error)
                snprintf(*ret_error, elen, "%s: rule file larger than %u bytes (the limit)", path,
                         SCW_RULES_MAX_FILE_SIZE);
        }
        return -EFBIG;
    }
    rc = scw_rules_load_buffer(rs, path, buf, len, ret_error);
    free(buf);
    return rc;
}

/*
 * The shipped rules: $SCMPWATCH_RULES_DIR, else the installed directory, else (a binary run
 * from its build tree, not installed) the rules/ of the source tree the build came from.
 */
const char *scw_rules_default_path(void)
{
    static char path[PATH_MAX];
    const char *dir = getenv("SCMPWATCH_RULES_DIR");
    snprintf(path, sizeof(path), "%s/default.yaml", dir && *dir ? dir : SCW_RULES_DIR);
    if ((dir && *dir) || access(path, R_OK) == 0)
        return path;
#ifdef SCW_SOURCE_RULES_DIR
    char alt[PATH_MAX];
    snprintf(alt, sizeof(alt), "%s/default.yaml", SCW_SOURCE_RULES_DIR);
    if (access(alt, R_OK) == 0)
        snprintf(path, sizeof(path), "%s", alt);
#endif
    return path;
}

/* ---- lifetime -------------------------------------------------------------------------------- */

struct scw_rules *scw_rules_new(void)
{
    struct scw_rules *rs = calloc(1, sizeof(*rs));
    if (!rs)
        return NULL;
    rs->defaults.decision = SCW_DECISION_ALLOW;
    rs->defaults.thresholds.min_events = 1;
    rs->defaults.thresholds.min_processes = 1;
    rs->defaults.thresholds.has_min_events = true;
    rs->defaults.thresholds.has_min_processes = true;
    rs->defaults.action = enforcing_actions[0];
    rs->defaults.errno_value = EPERM;
    return rs;
}

static void free_globs(struct scw_globs *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->v[i]);
    free(g->v);
}

static void free_set(struct scw_syscall_set *s)
{
    for (size_t i = 0; i < s->n_items; i++)
        free(s->items[i].name);
    free(s->items);
    free(s->names);
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void scw_rules_free(struct scw_rules *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->n_groups; i++) {
        free(rs->groups[i].name);
        free(rs->groups[i].description);
        free_set(&rs->groups[i].set);
    }
    free(rs->groups);
    for (size_t i = 0; i < rs->n_selectors; i++) {
        struct scw_selector *s = &rs->selectors[i];
        free(s->name);
        struct scw_globs *all[] = {&s->names,          &s->images,     &s->runtimes,
                                   &s->cgroups,        &s->namespaces, &s->pods,
                                   &s->k8s_containers, &s->ids,        &s->executables};
        for (size_t k = 0; k < sizeof(all) / sizeof(all[0]); k++)
            free_globs(all[k]);
        for (size_t k = 0; k < s->n_labels; k++) {
            free(s->labels[k].key);
            free(s->labels[k].glob);
        }
        free(s->labels);
        free(s->profile);
    }
    free(rs->selectors);
    for (size_t i = 0; i < rs->n_rules; i++) {
        struct scw_rule *r = &rs->rules[i];
        free(r->name);
        free(r->reason);
        free(r->link);
        free_set(&r->syscalls);
        free_globs(&r->arches);
        free_strv(r->selector_names, r->n_selectors);
        free(r->selectors);
    }
    free(rs->rules);
    for (size_t i = 0; i < rs->n_cve_blocks; i++) {
        struct scw_cve_block *b = &rs->cve_blocks[i];
        free(b->name);
        free_strv(b->cves, b->n_cves);
        free(b->package);
        free_strv(b->kernel_below, b->n_kernel_below);
        free(b->kernel_since);
        free_set(&b->syscalls);
        free(b->reason);
        free(b->link);
    }
    free(rs->cve_blocks);
    free_globs(&rs->ignore.executables);
    free_globs(&rs->ignore.comms);
    free_set(&rs->ignore.syscalls);
    free_strv(rs->ignore.selector_names, rs->ignore.n_selectors);
    free(rs->ignore.selectors);
    free_strv(rs->warnings, rs->n_warnings);
    free_strv(rs->files, rs->n_files);
    free(rs);
}

/* ---- matching ------------------------------------------------------------------------------ */

static bool glob_one(const char *pattern, const char *s)
{
    return strcmp(pattern, s) == 0 || fnmatch(pattern, s, 0) == 0;
}

static bool globs_match(const struct scw_globs *g, const char *s)
{
    if (!s)
        return false;
    for (size_t i = 0; i < g->n; i++)
        if (glob_one(g->v[i], s))
            return true;
    return false;
}

/* Whether an image pattern has a tag or digest ("nginx:1.25", "x@sha256:..."). */
static bool image_has_tag(const char *p)
{
    const char *slash = strrchr(p, '/');
    return strchr(p, '@') || strchr(slash ? slash : p, ':');
}

/*
 * Image references are compared as written and without the implicit Docker Hub prefixes
 * ("docker.io/library/nginx:1.25" matches "nginx:1.25"); a pattern without a tag or digest
 * matches every tag and digest of the image.
 */
static const char *const hub_prefixes[] = {"", "docker.io/library/", "docker.io/",
                                           "index.docker.io/library/", "index.docker.io/"};
#define N_HUB_PREFIXES (sizeof(hub_prefixes) / sizeof(hub_prefixes[0]))

static bool image_match_one(const char *pattern, const char *image)
{
    const char *const *prefixes = hub_prefixes;
    for (size_t i = 1; i < N_HUB_PREFIXES; i++)
        if (strncmp(pattern, prefixes[i], strlen(prefixes[i])) == 0) {
            pattern += strlen(prefixes[i]); /* compare without the implied prefix */
            break;
        }
    bool untagged = !image_has_tag(pattern);
    for (size_t i = 0; i < N_HUB_PREFIXES; i++) {
        size_t pl = strlen(prefixes[i]);
        if (strncmp(image, prefixes[i], pl) != 0)
            continue;
        const char *rest = image + pl;
        if (glob_one(pattern, rest))
            return true;
        if (!untagged)
            continue;
        char bare[512];
        size_t len = strlen(rest);
        if (len >= sizeof(bare))
            continue;
        memcpy(bare, rest, len + 1);
        char *at = strchr(bare, '@');
        if (at)
            *at = '\0';
        char *slash = strrchr(bare, '/');
        char *colon = strchr(slash ? slash : bare, ':');
        if (colon)
            *colon = '\0';
        if (glob_one(pattern, bare))
            return true;
    }
    return false;
}

static const char *label_value(char *const *labels, const char *key)
{
    size_t kl = strlen(key);
    for (size_t i = 0; labels && labels[i]; i++)
        if (strncmp(labels[i], key, kl) == 0 && labels[i][kl] == '=')
            return labels[i] + kl + 1;
    return NULL;
}

bool scw_rules_selector_matches(const struct scw_selector *sel, const struct scw_container *c,
                                const char *const *exes, size_t n_exes)
{
    if (sel->host == 1 && c)
        return false;
    if (sel->host == 0 && !c)
        return false;
    struct {
        const struct scw_globs *g;
        const char *value;
    } fields[] = {
        {&sel->names, c ? c->name : NULL},     {&sel->runtimes, c ? c->runtime : NULL},
        {&sel->cgroups, c ? c->cgroup : NULL}, {&sel->namespaces, c ? c->namespace : NULL},
        {&sel->pods, c ? c->pod : NULL},       {&sel->k8s_containers, c ? c->k8s_container : NULL},
        {&sel->ids, c ? c->id : NULL},
    };
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (fields[i].g->n && !globs_match(fields[i].g, fields[i].value))
            return false;
    if (sel->images.n) {
        bool ok = false;
        for (size_t i = 0; c && c->image && i < sel->images.n && !ok; i++)
            ok = image_match_one(sel->images.v[i], c->image);
        if (!ok)
            return false;
    }
    for (size_t i = 0; i < sel->n_labels; i++) {
        const char *v = c ? label_value(c->labels, sel->labels[i].key) : NULL;
        if (!v || !glob_one(sel->labels[i].glob, v))
            return false;
    }
    if (sel->executables.n) {
        bool ok = false;
        for (size_t i = 0; i < n_exes && !ok; i++)
            ok = globs_match(&sel->executables, exes[i]);
        if (!ok)
            return false;
    }
    return true;
}

bool scw_syscall_set_has(const struct scw_syscall_set *set, const char *syscall)
{
    if (!syscall || !set->n_names)
        return false;
    return bsearch(&syscall, set->names, set->n_names, sizeof(*set->names), cmp_str) != NULL;
}

static bool any_selector(const struct scw_rules *rs, const size_t *idx, size_t n,
                         const struct scw_container *c, const char *const *exes, size_t n_exes)
{
    for (size_t i = 0; i < n; i++)
        if (scw_rules_selector_matches(&rs->selectors[idx[i]], c, exes, n_exes))
            return true;
    return false;
}

enum scw_decision_kind scw_rules_decide(const struct scw_rules *rs, const struct scw_container *c,
                                        const char *const *exes, size_t n_exes, const char *arch,
                                        const char *syscall, uint64_t count,
                                        uint32_t distinct_processes, struct scw_decision *ret)
{
    const struct scw_rule *hit = NULL;
    for (size_t i = 0; i < rs->n_rules && !hit; i++) {
        const struct scw_rule *r = &rs->rules[i];
        if (r->arches.n && !globs_match(&r->arches, arch))
            continue;
        if (!r->syscalls.all && !scw_syscall_set_has(&r->syscalls, syscall))
            continue;
        if (r->n_selectors && !any_selector(rs, r->selectors, r->n_selectors, c, exes, n_exes))
            continue;
        hit = r;
    }
    struct scw_decision d = {
        .decision = hit ? hit->decision : rs->defaults.decision,
        .rule = hit,
        .rule_name = hit ? hit->name : "defaults",
        .reason = hit ? hit->reason : "no rule matched: the rule file's default decision",
        .link = hit ? hit->link : NULL,
    };
    d.undemoted = d.decision;
    const struct scw_thresholds *t = &rs->defaults.thresholds;
    d.min_events =
        hit && hit->thresholds.has_min_events ? hit->thresholds.min_events : t->min_events;
    d.min_processes =
        hit && hit->thresholds.has_min_processes ? hit->thresholds.min_processes : t->min_processes;
    if (d.decision == SCW_DECISION_ALLOW) {
        if (count < d.min_events)
            snprintf(d.demoted_why, sizeof(d.demoted_why), "seen %llu time%s (minimum %llu)",
                     (unsigned long long)count, count == 1 ? "" : "s",
                     (unsigned long long)d.min_events);
        else if (distinct_processes < d.min_processes)
            snprintf(d.demoted_why, sizeof(d.demoted_why), "seen in %u process%s (minimum %u)",
                     distinct_processes, distinct_processes == 1 ? "" : "es", d.min_processes);
        if (d.demoted_why[0]) {
            d.demoted = true;
            d.decision = SCW_DECISION_REVIEW;
        }
    }
    if (ret)
        *ret = d;
    return d.decision;
}

static bool ignores(const struct scw_rules *rs, const struct scw_container *c, const char *exe,
                    const char *comm, const char *syscall, bool check_containers)
{
    if (globs_match(&rs->ignore.executables, exe) || globs_match(&rs->ignore.comms, comm) ||
        scw_syscall_set_has(&rs->ignore.syscalls, syscall))
        return true;
    if (!check_containers)
        return false;
    const char *const *exes = (const char *const *)&exe;
    return any_selector(rs, rs->ignore.selectors, rs->ignore.n_selectors, c, exes, exe ? 1 : 0);
}

bool scw_rules_ignores(const struct scw_rules *rs, const struct scw_container *c, const char *exe,
                       const char *comm, const char *syscall)
{
    return ignores(rs, c, exe, comm, syscall, true);
}

bool scw_rules_filter_record(void *ctx, const struct scw_record *r)
{
    const struct scw_rules *rs = ctx;
    struct scw_syscall_name n;
    scw_name_lookup(r->arch, r->syscall, &n);
    return ignores(rs, NULL, r->exe[0] ? r->exe : NULL, r->comm[0] ? r->comm : NULL, n.name, false);
}

const char *scw_rules_profile_for(const struct scw_rules *rs, const struct scw_container *c,
                                  const char *const *exes, size_t n_exes)
{
    for (size_t i = 0; i < rs->n_selectors; i++)
        if (rs->selectors[i].profile &&
            scw_rules_selector_matches(&rs->selectors[i], c, exes, n_exes))
            return rs->selectors[i].profile;
    return NULL;
}

const struct scw_group *scw_rules_group(const struct scw_rules *rs, const char *name)
{
    return find_group(rs, name, NULL);
}

/* Up to three numeric components of a kernel release; false if it does not start with one. */
static bool kernel_parts(const char *s, unsigned long v[3])
{
    v[0] = v[1] = v[2] = 0;
    for (int i = 0; i < 3; i++) {
        if (*s < '0' || *s > '9')
            return i > 0;
        char *end;
        v[i] = strtoul(s, &end, 10);
        s = end;
        if (*s != '.')
            return true;
        s++;
    }
    return true;
}

bool scw_rules_kernel_older(const char *release, const char *below)
{
    unsigned long a[3], b[3];
    if (!release || !below || !kernel_parts(release, a) || !kernel_parts(below, b))
        return false;
    for (int i = 0; i < 3; i++)
        if (a[i] != b[i])
            return a[i] < b[i];
    return false;
}

const char *scw_rules_kernel_missing_fix(const struct scw_cve_block *b, const char *release)
{
    unsigned long k[3];
    if (!b->n_kernel_below || !release || !kernel_parts(release, k) ||
        (b->kernel_since && scw_rules_kernel_older(release, b->kernel_since)))
        return NULL;
    const char *newest = b->kernel_below[0];
    for (size_t i = 0; i < b->n_kernel_below; i++) {
        const char *fix = b->kernel_below[i];
        if (kernel_series(fix) == k[0] * 100000 + k[1])
            return scw_rules_kernel_older(release, fix) ? fix : NULL;
        if (scw_rules_kernel_older(newest, fix))
            newest = fix;
    }
    return scw_rules_kernel_older(release, newest) ? newest : NULL;
}
