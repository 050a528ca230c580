/*
 * rules_load: reading one rule file and layering it onto a rule set (scw_rules_load,
 * scw_rules_load_buffer; see rules.h, scmpwatch-rules(5)).
 *
 * A file is read whole (bounded) and turned into a tree by yaml_tree (bounded depth, node
 * count, list length and string length; aliases refused, so nothing expands), then each
 * top-level section is checked and layered onto the rule set in a fixed order: groups,
 * containers, ignore, rules, defaults, cve_blocks, decisions (so a section may refer to anything
 * another defines, wherever it stands in the file). After every file all syscall lists are expanded
 * again (groups can grow in later files). The first error stops the load and is reported as
 * "FILE:LINE:COLUMN: ...". This file also holds the loader's error and warning helpers and
 * the field readers the sections share (names, patterns, syscall lists, selector references).
 * The sections themselves are in rules_sections.c, rules_cve.c and rules_decisions.c, expansion in
 * rules_expand.c; matching (rules_match.c) never calls in here.
 * Callers: rules_files.c and cmd_rules.c (files); tests and fuzz targets (buffers).
 */
#include "rules.h"
#include "install_paths.h"
#include "rules_impl.h"
#include "yaml_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "name.h"

/* ---- loader errors, warnings and storage ----------------------------------------------------- */

int rules_fail(struct rules_loader *l, const struct scw_yaml_node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = scw_yaml_failv(&l->y, l->y.file, n ? n->line : 1, n ? n->col : 1, fmt, ap);
    va_end(ap);
    return rc;
}

int rules_fail_at(struct rules_loader *l, const struct scw_where *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = scw_yaml_failv(&l->y, w->file, w->line, w->column, fmt, ap);
    va_end(ap);
    return rc;
}

void rules_warn(struct rules_loader *l, const struct scw_yaml_node *n, const char *fmt, ...)
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
    size_t len = strlen(l->y.file) + strlen(msg) + 48;
    char *w = malloc(len);
    if (!w)
        return;
    snprintf(w, len, "%s:%u:%u: %s", l->y.file, n->line, n->col, msg);
    rs->warnings[rs->n_warnings++] = w;
}

void rules_warn_at(struct rules_loader *l, const struct scw_where *w, const char *fmt, ...)
{
    struct scw_yaml_node at = {.line = w->line, .col = w->column};
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    rules_warn(l, &at, "%s", msg);
}

void rules_where_of(const struct rules_loader *l, const struct scw_yaml_node *n,
                    struct scw_where *ret)
{
    ret->file = l->y.file;
    ret->line = n->line;
    ret->column = n->col;
}

int rules_grow(void *arr, size_t n, size_t elem)
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

int rules_oom(struct rules_loader *l)
{
    return scw_yaml_oom(&l->y);
}

/* ---- field readers ------------------------------------------------------------------------ */

/* "'key' of WHAT" for messages about one field. */
const char *rules_field(char *buf, size_t cap, const char *key, const char *what)
{
    snprintf(buf, cap, "'%s' of %s", key, what);
    return buf;
}

bool rules_valid_name(const char *s)
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

bool scw_rules_valid_syscall_name(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > SCW_RULES_MAX_NAME || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

int rules_get_name(struct rules_loader *l, const struct scw_yaml_node *n, const char *what,
                   char **ret)
{
    int rc = scw_yaml_expect(&l->y, n, SCW_YAML_SCALAR, what);
    if (rc < 0)
        return rc;
    if (!rules_valid_name(n->s))
        return rules_fail(l, n,
                          "invalid %s '%s' (expected 1 to %d letters, digits, '_', '-' or '.', "
                          "starting with a letter or digit)",
                          what, n->s, SCW_RULES_MAX_NAME);
    return scw_yaml_get_string(&l->y, n, what, ret);
}

/* A string or a list of strings (patterns). Appends to g. */
int rules_get_globs(struct rules_loader *l, const struct scw_yaml_node *n, const char *what,
                    struct scw_globs *g)
{
    if (scw_yaml_is_null(n))
        return 0;
    const struct scw_yaml_node *const *items = (const struct scw_yaml_node *const *)&n;
    size_t count = 1;
    if (n->kind == SCW_YAML_SEQ) {
        items = (const struct scw_yaml_node *const *)n->kids;
        count = n->n;
    } else if (n->kind != SCW_YAML_SCALAR) {
        return rules_fail(l, n, "expected a string or a list of strings for %s (found %s)", what,
                          scw_yaml_kind_name(n));
    }
    if (count == 0)
        return 0; /* realloc(p, 0) would free p */
    if (g->n + count > SCW_RULES_MAX_LIST)
        return rules_fail(l, n, "more than %d entries for %s (the limit)", SCW_RULES_MAX_LIST,
                          what);
    char **nv = realloc(g->v, (g->n + count) * sizeof(*nv));
    if (!nv)
        return rules_oom(l);
    g->v = nv;
    for (size_t i = 0; i < count; i++) {
        char *s;
        int rc = scw_yaml_get_string(&l->y, items[i], what, &s);
        if (rc < 0)
            return rc;
        g->v[g->n++] = s;
    }
    return 0;
}

bool rules_syscall_known(const char *name)
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
int rules_get_syscalls(struct rules_loader *l, const struct scw_yaml_node *n, const char *what,
                       bool allow_all, bool check_groups, struct scw_syscall_set *set)
{
    const struct scw_yaml_node *const *items = (const struct scw_yaml_node *const *)&n;
    size_t count = 1;
    if (n->kind == SCW_YAML_SEQ) {
        items = (const struct scw_yaml_node *const *)n->kids;
        count = n->n;
    } else if (n->kind != SCW_YAML_SCALAR || scw_yaml_is_null(n)) {
        return rules_fail(l, n, "expected a list of syscall names and \"@group\" names for %s",
                          what);
    }
    if (count == 0)
        return 0;
    if (set->n_items + count > SCW_RULES_MAX_LIST)
        return rules_fail(l, n, "more than %d syscalls listed for %s (the limit)",
                          SCW_RULES_MAX_LIST, what);
    struct scw_syscall_item *ni = realloc(set->items, (set->n_items + count) * sizeof(*ni));
    if (!ni)
        return rules_oom(l);
    set->items = ni;
    for (size_t i = 0; i < count; i++) {
        const struct scw_yaml_node *it = items[i];
        int rc = scw_yaml_expect(&l->y, it, SCW_YAML_SCALAR, what);
        if (rc < 0)
            return rc;
        if (strcmp(it->s, "*") == 0) {
            if (!allow_all)
                return rules_fail(l, it,
                                  "\"*\" (every syscall) is allowed only in a rule's syscalls, "
                                  "not in %s",
                                  what);
            set->all = true;
            continue;
        }
        struct scw_syscall_item item = {0};
        rules_where_of(l, it, &item.where);
        if (it->s[0] == '@') {
            if (!rules_valid_name(it->s + 1))
                return rules_fail(l, it, "invalid group name '%s' in %s", it->s, what);
            if (check_groups && !rules_find_group(l->rs, it->s, &item.group))
                return rules_fail(l, it,
                                  "unknown group '%s' in %s (define it under 'groups:'; 'scmpwatch "
                                  "rules list-groups' lists the known ones)",
                                  it->s, what);
            item.is_group = true;
            item.name = strdup(it->s + 1);
        } else {
            if (!scw_rules_valid_syscall_name(it->s))
                return rules_fail(l, it,
                                  "invalid syscall name '%s' in %s (expected lower-case letters, "
                                  "digits and '_', or \"@group\"; YAML needs quotes around @names)",
                                  it->s, what);
            if (!rules_syscall_known(it->s)) {
                const struct scmp_version *v = seccomp_version();
                rules_warn(l, it,
                           "unknown syscall '%s' in %s: libseccomp %u.%u.%u knows it on no "
                           "architecture (kept as written; check the spelling)",
                           it->s, what, v ? v->major : 0, v ? v->minor : 0, v ? v->micro : 0);
            }
            item.name = strdup(it->s);
        }
        if (!item.name)
            return rules_oom(l);
        set->items[set->n_items++] = item;
    }
    return 0;
}

static int resolve_selector(struct rules_loader *l, const struct scw_yaml_node *n, const char *what,
                            size_t *ret)
{
    for (size_t i = 0; i < l->rs->n_selectors; i++)
        if (strcmp(l->rs->selectors[i].name, n->s) == 0) {
            *ret = i;
            return 0;
        }
    return rules_fail(l, n, "unknown container selector '%s' in %s (define it under 'containers:')",
                      n->s, what);
}

/* A list of selector names, resolved. Appends to names/idx. */
int rules_get_selector_refs(struct rules_loader *l, const struct scw_yaml_node *n, const char *what,
                            char ***names, size_t **idx, size_t *count)
{
    if (scw_yaml_is_null(n))
        return 0;
    const struct scw_yaml_node *const *items = (const struct scw_yaml_node *const *)&n;
    size_t c = 1;
    if (n->kind == SCW_YAML_SEQ) {
        items = (const struct scw_yaml_node *const *)n->kids;
        c = n->n;
    } else if (n->kind != SCW_YAML_SCALAR) {
        return rules_fail(l, n, "expected a list of container selector names for %s (found %s)",
                          what, scw_yaml_kind_name(n));
    }
    if (c == 0)
        return 0;
    if (*count + c > SCW_RULES_MAX_LIST)
        return rules_fail(l, n, "more than %d selectors for %s (the limit)", SCW_RULES_MAX_LIST,
                          what);
    char **nn = realloc(*names, (*count + c) * sizeof(*nn));
    if (!nn)
        return rules_oom(l);
    *names = nn;
    size_t *ni = realloc(*idx, (*count + c) * sizeof(*ni));
    if (!ni)
        return rules_oom(l);
    *idx = ni;
    for (size_t i = 0; i < c; i++) {
        int rc = scw_yaml_expect(&l->y, items[i], SCW_YAML_SCALAR, what);
        if (rc < 0)
            return rc;
        size_t sel = 0;
        if ((rc = resolve_selector(l, items[i], what, &sel)) < 0)
            return rc;
        char *s = strdup(items[i]->s);
        if (!s)
            return rules_oom(l);
        (*names)[*count] = s;
        (*idx)[*count] = sel;
        (*count)++;
    }
    return 0;
}

int rules_get_link(struct rules_loader *l, const struct scw_yaml_node *n, const char *what,
                   char **ret)
{
    int rc = scw_yaml_get_string(&l->y, n, what, ret);
    if (rc < 0)
        return rc;
    if (strncmp(*ret, "https://", 8) != 0 && strncmp(*ret, "http://", 7) != 0) {
        free(*ret);
        *ret = NULL;
        return rules_fail(l, n, "%s is '%s', not a web address (expected https://...)", what, n->s);
    }
    return 0;
}

/* ---- loading -------------------------------------------------------------------------------- */

/*
 * `profiles: DIR`: the directory of the profile files the team keeps (in git), one per profile
 * group, named <group>.json; relative to the rule file. A later file's replaces an earlier
 * one's. A directory that cannot be read is a warning (it may be checked out later).
 */
static int parse_profiles_dir(struct rules_loader *l, const struct scw_yaml_node *n)
{
    char *p;
    int rc = scw_yaml_get_string(&l->y, n, "'profiles' (a directory of profile files)", &p);
    if (rc < 0)
        return rc;
    if (p[0] != '/' && l->dir) {
        char *full = NULL;
        if (asprintf(&full, "%s/%s", l->dir, p) < 0)
            full = NULL;
        free(p);
        if (!(p = full))
            return rules_oom(l);
    }
    struct stat st;
    if (stat(p, &st) < 0)
        rules_warn(l, n, "profiles directory '%s' cannot be read: %s", p, strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        rules_warn(l, n, "profiles '%s' is not a directory", p);
    free(l->rs->profiles_dir);
    l->rs->profiles_dir = p;
    return 0;
}

static int parse_file(struct rules_loader *l, const struct scw_yaml_node *root)
{
    struct scw_yaml_node top = {.line = 1, .col = 1};
    if (scw_yaml_is_null(root))
        return rules_fail(l, &top,
                          "empty rule file (expected a mapping that starts with 'version: 1')");
    int rc = scw_yaml_expect(&l->y, root, SCW_YAML_MAP, "the top level of a rule file");
    if (rc < 0)
        return rc;
    const struct scw_yaml_node *version = scw_yaml_map_get(root, "version");
    if (!version)
        return rules_fail(l, root,
                          "missing 'version: 1' at the top level (the schema version the "
                          "file is written for)");
    uint64_t v = 0;
    if (version->kind != SCW_YAML_SCALAR || !version->plain || version->len == 0 ||
        version->len > 9 || strspn(version->s, "0123456789") != version->len)
        return rules_fail(l, version, "expected 'version: 1' (a whole number, without quotes)");
    v = strtoull(version->s, NULL, 10);
    if (v != 1)
        return rules_fail(l, version, "unsupported version %llu (this scmpwatch reads version 1)",
                          (unsigned long long)v);
    static const char *const keys[] = {"version",  "groups",     "containers", "ignore",   "rules",
                                       "defaults", "cve_blocks", "decisions",  "profiles", NULL};
    if ((rc = scw_yaml_check_keys(&l->y, root, keys, "the top level")) < 0)
        return rc;
    const struct scw_yaml_node *f;
    if ((f = scw_yaml_map_get(root, "groups")) && (rc = rules_parse_groups(l, f)) < 0)
        return rc;
    if ((f = scw_yaml_map_get(root, "containers")) && (rc = rules_parse_containers(l, f)) < 0)
        return rc;
    if ((f = scw_yaml_map_get(root, "ignore")) && (rc = rules_parse_ignore(l, f)) < 0)
        return rc;
    if ((f = scw_yaml_map_get(root, "rules")) && (rc = rules_parse_rules(l, f)) < 0)
        return rc;
    if ((f = scw_yaml_map_get(root, "defaults")) && (rc = rules_parse_defaults(l, f)) < 0)
        return rc;
    if ((f = scw_yaml_map_get(root, "cve_blocks")) && (rc = rules_parse_cve_blocks(l, f)) < 0)
        return rc;
    if ((f = scw_yaml_map_get(root, "decisions")) && (rc = rules_parse_decisions(l, f)) < 0)
        return rc;
    if ((f = scw_yaml_map_get(root, "profiles")) && (rc = parse_profiles_dir(l, f)) < 0)
        return rc;

    /* this file's rules go before the earlier files' rules */
    struct scw_rules *rs = l->rs;
    size_t n_new = rs->n_rules - l->first_new_rule;
    if (n_new && l->first_new_rule) {
        struct scw_rule *tmp = malloc(n_new * sizeof(*tmp));
        if (!tmp)
            return rules_oom(l);
        memcpy(tmp, rs->rules + l->first_new_rule, n_new * sizeof(*tmp));
        memmove(rs->rules + n_new, rs->rules, l->first_new_rule * sizeof(*tmp));
        memcpy(rs->rules, tmp, n_new * sizeof(*tmp));
        free(tmp);
    }
    return rules_expand_all(l);
}

int scw_rules_load_buffer(struct scw_rules *rs, const char *name, const char *data, size_t len,
                          char **ret_error)
{
    struct rules_loader l = {
        .y = {.file = name,
              .doc = "rule file",
              .docs = "rule files",
              .split_hint = "split it into several files",
              .alias_hint = "use a group for shared syscall lists",
              .limits = {.max_depth = SCW_RULES_MAX_DEPTH,
                         .max_nodes = SCW_RULES_MAX_NODES,
                         .max_list = SCW_RULES_MAX_LIST,
                         .max_string = SCW_RULES_MAX_STRING}},
        .rs = rs,
        .first_new_rule = rs->n_rules,
    };
    struct scw_yaml_node at = {.line = 1, .col = 1};
    int rc;
    if (rs->n_files >= SCW_RULES_MAX_FILES) {
        rc = rules_fail(&l, &at, "more than %d rule files (the limit)", SCW_RULES_MAX_FILES);
        goto out;
    }
    if (len > SCW_RULES_MAX_FILE_SIZE) {
        rc = rules_fail(&l, &at, "rule file larger than %u bytes (the limit)",
                        SCW_RULES_MAX_FILE_SIZE);
        goto out;
    }
    char **nf = realloc(rs->files, (rs->n_files + 1) * sizeof(*nf));
    if (!nf) {
        rc = rules_oom(&l);
        goto out;
    }
    rs->files = nf;
    if (!(rs->files[rs->n_files] = strdup(name))) {
        rc = rules_oom(&l);
        goto out;
    }
    l.y.file = rs->files[rs->n_files++];
    const char *slash = strrchr(name, '/');
    if (slash && !(l.dir = strndup(name, slash == name ? 1 : (size_t)(slash - name)))) {
        rc = rules_oom(&l);
        goto out;
    }
    struct scw_yaml_node *root = NULL;
    rc = scw_yaml_parse(&l.y, data, len, &root);
    if (rc == 0)
        rc = parse_file(&l, root);
    scw_yaml_free(root);
out:
    free(l.dir);
    if (rc < 0 && ret_error) {
        *ret_error = l.y.error;
        l.y.error = NULL;
    }
    free(l.y.error);
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
 * The shipped rules: $SCMPWATCH_RULES_DIR, else where this binary's own install keeps them
 * (install_paths.c: PREFIX/share/scmpwatch/rules from the binary's place, whatever prefix
 * `cmake --install` was given; the source tree's rules/ for a binary in its build tree).
 */
const char *scw_rules_default_path(void)
{
    static char path[PATH_MAX];
    char dir[PATH_MAX];
    const char *env = getenv("SCMPWATCH_RULES_DIR");
    snprintf(path, sizeof(path), "%s/default.yaml",
             env && *env ? env : scw_install_rules_dir(NULL, dir, sizeof(dir)));
    return path;
}
