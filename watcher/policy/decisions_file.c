/*
 * decisions_file: read, change and write the decisions file (see decisions_file.h). The file
 * is checked twice on reading: by the rule loader (what suggest will think of it) and as a
 * tree (that it holds decisions only, and where each entry and its comment are).
 */
#include "decisions_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "readall.h"
#include "yaml_tree.h"

static void free_entry(struct scw_decision_entry *e)
{
    free(e->group);
    free(e->syscall);
    free(e->reason);
    free(e->by);
    free(e->at);
    free(e->comment);
}

void scw_decisions_file_free(struct scw_decisions_file *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        free_entry(&f->v[i]);
    free(f->v);
    free(f->path);
    free(f);
}

static char *dup_or_null(const char *s, bool *oom)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *oom = true;
    return d;
}

const struct scw_decision_entry *scw_decisions_file_find(const struct scw_decisions_file *f,
                                                         const char *group, const char *syscall)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->v[i].group, group) == 0 && strcmp(f->v[i].syscall, syscall) == 0)
            return &f->v[i];
    return NULL;
}

int scw_decisions_file_put(struct scw_decisions_file *f, const struct scw_decision_entry *e)
{
    bool oom = false;
    struct scw_decision_entry c = {
        .group = dup_or_null(e->group, &oom),
        .syscall = dup_or_null(e->syscall, &oom),
        .decision = e->decision,
        .reason = dup_or_null(e->reason, &oom),
        .by = dup_or_null(e->by, &oom),
        .at = dup_or_null(e->at, &oom),
        .comment = e->comment ? strndup(e->comment, SCW_DECISIONS_MAX_COMMENT) : NULL,
    };
    struct scw_decision_entry *nv =
        oom || (e->comment && !c.comment) ? NULL : realloc(f->v, (f->n + 1) * sizeof(*nv));
    if (!nv) {
        free_entry(&c);
        return -ENOMEM;
    }
    f->v = nv;
    const struct scw_decision_entry *old = scw_decisions_file_find(f, c.group, c.syscall);
    if (old) {
        size_t i = (size_t)(old - f->v);
        free_entry(&f->v[i]);
        memmove(&f->v[i], &f->v[i + 1], (f->n - i - 1) * sizeof(*f->v));
        f->n--;
    }
    f->v[f->n++] = c;
    return 0;
}

/* ---- reading ------------------------------------------------------------------------------ */

static char *errf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *errf(const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

/* The text of line `line` (1-based) of buf: start and length without the newline. */
struct lines {
    size_t *start;
    size_t n;
};

static int index_lines(const char *buf, size_t len, struct lines *ret)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += buf[i] == '\n';
    ret->start = malloc((n + 1) * sizeof(*ret->start));
    if (!ret->start)
        return -ENOMEM;
    ret->n = 0;
    ret->start[ret->n++] = 0;
    for (size_t i = 0; i < len; i++)
        if (buf[i] == '\n')
            ret->start[ret->n++] = i + 1;
    ret->start[ret->n] = len + 1;
    return 0;
}

/*
 * The comment lines right above line `line` and below line `floor` (1-based), in order,
 * without their '#' and one space, joined with '\n'; NULL when there are none.
 */
static char *comment_above(const char *buf, const struct lines *ls, unsigned line, unsigned floor,
                           bool *oom)
{
    unsigned first = line;
    while (first > floor + 1 && first >= 2) {
        size_t s = ls->start[first - 2], e = ls->start[first - 1] - 1;
        while (s < e && (buf[s] == ' ' || buf[s] == '\t'))
            s++;
        if (s >= e || buf[s] != '#')
            break;
        first--;
    }
    if (first == line)
        return NULL;
    char *out = NULL;
    size_t out_len = 0;
    FILE *m = open_memstream(&out, &out_len);
    if (!m) {
        *oom = true;
        return NULL;
    }
    for (unsigned l = first; l < line; l++) {
        size_t s = ls->start[l - 1], e = ls->start[l] - 1;
        while (s < e && (buf[s] == ' ' || buf[s] == '\t'))
            s++;
        s++; /* '#' */
        if (s < e && buf[s] == ' ')
            s++;
        while (e > s && (buf[e - 1] == '\r' || buf[e - 1] == ' '))
            e--;
        if (l > first)
            fputc('\n', m);
        fwrite(buf + s, 1, e - s, m);
    }
    if (fclose(m) != 0) {
        free(out);
        *oom = true;
        return NULL;
    }
    if (out_len > SCW_DECISIONS_MAX_COMMENT)
        out[SCW_DECISIONS_MAX_COMMENT] = '\0';
    return out;
}

static const char *scalar(const struct scw_yaml_node *map, const char *key)
{
    const struct scw_yaml_node *n = scw_yaml_map_get(map, key);
    return n && n->kind == SCW_YAML_SCALAR && !scw_yaml_is_null(n) ? n->s : NULL;
}

/* The entries of a tree the rule loader accepted, in order, with their comments. */
static int read_entries(struct scw_decisions_file *f, struct scw_yaml_ctx *y,
                        const struct scw_yaml_node *root, const char *buf, size_t len,
                        char **ret_error)
{
    for (size_t i = 0; i + 1 < root->n; i += 2) {
        const char *key = root->kids[i]->s;
        if (strcmp(key, "version") != 0 && strcmp(key, "decisions") != 0) {
            *ret_error = errf("%s:%u:%u: '%s' in a decisions file (scmpwatch decide and review "
                              "write files of decisions only; move it to another file of "
                              "rules.d)",
                              y->file, root->kids[i]->line, root->kids[i]->col, key);
            return -EINVAL;
        }
    }
    const struct scw_yaml_node *list = scw_yaml_map_get(root, "decisions");
    if (!list || scw_yaml_is_null(list))
        return 0;
    struct lines ls;
    if (index_lines(buf, len, &ls) < 0)
        return -ENOMEM;
    int rc = 0;
    unsigned floor = 0;
    for (size_t i = 0; i < list->n && rc == 0; i++) {
        const struct scw_yaml_node *m = list->kids[i];
        bool oom = false;
        struct scw_decision_entry e = {
            .group = (char *)scalar(m, "group"),
            .syscall = (char *)scalar(m, "syscall"),
            .decision = scw_decision_from_name(scalar(m, "decision")),
            .reason = (char *)scalar(m, "reason"),
            .by = (char *)scalar(m, "by"),
            .at = (char *)scalar(m, "at"),
            .comment = m->line <= ls.n ? comment_above(buf, &ls, m->line, floor, &oom) : NULL,
        };
        floor = m->line;
        rc = oom ? -ENOMEM : scw_decisions_file_put(f, &e);
        free(e.comment);
    }
    free(ls.start);
    return rc;
}

int scw_decisions_file_read(const char *path, struct scw_decisions_file **ret, char **ret_error)
{
    *ret_error = NULL;
    struct scw_decisions_file *f = calloc(1, sizeof(*f));
    if (!f || !(f->path = strdup(path))) {
        free(f);
        return -ENOMEM;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        *ret = f;
        return 0;
    }
    if (fd < 0) {
        int e = errno;
        *ret_error = errf("%s: cannot open the decisions file: %s", path, strerror(e));
        scw_decisions_file_free(f);
        return -e;
    }
    f->existed = true;
    struct stat st;
    char *buf = NULL;
    size_t len = 0;
    int rc = fstat(fd, &st) < 0 ? -errno : S_ISDIR(st.st_mode) ? -EISDIR : 0;
    if (rc == 0)
        rc = scw_read_all(fd, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0, SCW_RULES_MAX_FILE_SIZE,
                          &buf, &len);
    close(fd);
    if (rc < 0) {
        *ret_error = errf("%s: cannot read the decisions file: %s", path, strerror(-rc));
        scw_decisions_file_free(f);
        return rc;
    }
    buf[len] = '\0';
    /* what every other command will think of it: the rule loader's verdict */
    struct scw_rules *rs = scw_rules_new();
    rc = rs ? scw_rules_load_buffer(rs, path, buf, len, ret_error) : -ENOMEM;
    scw_rules_free(rs);
    struct scw_yaml_node *root = NULL;
    struct scw_yaml_ctx y = {.file = path,
                             .doc = "rule file",
                             .docs = "rule files",
                             .limits = {.max_depth = SCW_RULES_MAX_DEPTH,
                                        .max_nodes = SCW_RULES_MAX_NODES,
                                        .max_list = SCW_RULES_MAX_LIST,
                                        .max_string = SCW_RULES_MAX_STRING}};
    if (rc == 0 && (rc = scw_yaml_parse(&y, buf, len, &root)) < 0) {
        *ret_error = y.error; /* the loader parsed it already: only memory can fail here */
        y.error = NULL;
    }
    if (rc == 0)
        rc = read_entries(f, &y, root, buf, len, ret_error);
    free(y.error);
    scw_yaml_free(root);
    free(buf);
    if (rc < 0) {
        scw_decisions_file_free(f);
        return rc;
    }
    *ret = f;
    return 0;
}

/* ---- writing ------------------------------------------------------------------------------ */

static const char header[] =
    "# scmpwatch decisions: what people decided for one syscall of one profile group, written\n"
    "# by `scmpwatch decide` and `scmpwatch review` (scmpwatch-decide(1), scmpwatch-review(1)).\n"
    "# A rule file like any other (scmpwatch-rules(5), `decisions:`): a decision outranks every\n"
    "# rule and threshold, never a cve_blocks entry; a later one for the same group and syscall\n"
    "# replaces an earlier one. Edit it by hand if you like: the comment lines right above an\n"
    "# entry are kept when the file is rewritten, other comments are not.\n";

static void put_comment(FILE *m, const char *comment)
{
    const char *s = comment;
    while (s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        char *line = strndup(s, n);
        fputs("  #", m);
        if (line && *line) {
            fputc(' ', m);
            scw_yaml_put_comment_text(m, line);
        }
        fputc('\n', m);
        free(line);
        s = nl ? nl + 1 : NULL;
    }
}

static void put_field(FILE *m, const char *key, const char *value)
{
    if (!value)
        return;
    fprintf(m, "    %s: ", key);
    scw_yaml_put_quoted(m, value);
    fputc('\n', m);
}

int scw_decisions_file_render(const struct scw_decisions_file *f, char **ret, size_t *ret_len)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        return -ENOMEM;
    fputs(header, m);
    fputs("version: 1\n", m);
    fputs(f->n ? "decisions:\n" : "decisions: []\n", m);
    for (size_t i = 0; i < f->n; i++) {
        const struct scw_decision_entry *e = &f->v[i];
        if (e->comment)
            put_comment(m, e->comment);
        fputs("  - group: ", m);
        scw_yaml_put_quoted(m, e->group);
        fputc('\n', m);
        put_field(m, "syscall", e->syscall);
        const char *d = scw_decision_name(e->decision);
        fprintf(m, "    decision: %s\n", d ? d : "review");
        put_field(m, "reason", e->reason);
        put_field(m, "by", e->by);
        put_field(m, "at", e->at);
    }
    if (fclose(m) != 0) {
        free(text);
        return -ENOMEM;
    }
    *ret = text;
    *ret_len = len;
    return 0;
}

int scw_decisions_file_write(const struct scw_decisions_file *f)
{
    char *text;
    size_t len;
    int rc = scw_decisions_file_render(f, &text, &len);
    if (rc < 0)
        return rc;
    char *dir = strdup(f->path);
    char *slash = dir ? strrchr(dir, '/') : NULL;
    if (slash && slash != dir) {
        *slash = '\0';
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
            rc = -errno;
    }
    free(dir);
    if (rc == 0)
        rc = scw_atomic_write(f->path, 0644, text, len);
    free(text);
    return rc;
}
