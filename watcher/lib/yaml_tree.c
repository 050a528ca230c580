/*
 * yaml_tree: libyaml's event parser turned into a bounded tree, and typed accessors over it
 * (see yaml_tree.h).
 *
 * The tree is built in one pass over the events with an explicit stack: depth, node count,
 * list length and string length are checked as the events arrive, so a hostile input costs at
 * most the bounds. Aliases, a second document, duplicate keys and non-scalar keys are refused
 * with a message at the offending position. It does not interpret scalars beyond the accessors
 * (no tags, no type resolution) and knows no schema: that is the caller's (rules_load.c).
 */
#include "yaml_tree.h"
#include "json.h"
#include "spelling.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ---- the tree ------------------------------------------------------------------------------ */

void scw_yaml_free(struct scw_yaml_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++)
        scw_yaml_free(n->kids[i]);
    free(n->kids);
    free(n->s);
    free(n);
}

const char *scw_yaml_kind_name(const struct scw_yaml_node *n)
{
    switch (n->kind) {
    case SCW_YAML_SCALAR:
        return "a scalar";
    case SCW_YAML_SEQ:
        return "a list";
    case SCW_YAML_MAP:
        return "a mapping";
    case SCW_YAML_KIND_MAX:
    case SCW_YAML_KIND_INVALID:
        break;
    }
    return "?";
}

bool scw_yaml_is_null(const struct scw_yaml_node *n)
{
    return !n || (n->kind == SCW_YAML_SCALAR && n->plain &&
                  (n->len == 0 || strcmp(n->s, "~") == 0 || strcmp(n->s, "null") == 0 ||
                   strcmp(n->s, "Null") == 0 || strcmp(n->s, "NULL") == 0));
}

const struct scw_yaml_node *scw_yaml_map_get(const struct scw_yaml_node *map, const char *key)
{
    for (size_t i = 0; i + 1 < map->n; i += 2)
        if (strcmp(map->kids[i]->s, key) == 0)
            return map->kids[i + 1];
    return NULL;
}

/* ---- errors -------------------------------------------------------------------------------- */

int scw_yaml_failv(struct scw_yaml_ctx *c, const char *file, unsigned line, unsigned col,
                   const char *fmt, va_list ap)
{
    if (c->error)
        return -EINVAL;
    char msg[1024];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t len = strlen(file) + strlen(msg) + 48;
    c->error = malloc(len);
    if (c->error)
        snprintf(c->error, len, "%s:%u:%u: %s", file, line, col, msg);
    return -EINVAL;
}

int scw_yaml_fail(struct scw_yaml_ctx *c, const struct scw_yaml_node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = scw_yaml_failv(c, c->file, n ? n->line : 1, n ? n->col : 1, fmt, ap);
    va_end(ap);
    return rc;
}

static const char *doc_name(const struct scw_yaml_ctx *c)
{
    return c->doc ? c->doc : "YAML file";
}

int scw_yaml_oom(struct scw_yaml_ctx *c)
{
    if (!c->error && asprintf(&c->error, "out of memory while loading the %s", doc_name(c)) < 0)
        c->error = NULL;
    return -ENOMEM;
}

/* "; HINT" after a refusal, or nothing. */
static const char *hint_sep(const char *hint)
{
    return hint ? "; " : "";
}

/* ---- tree building from libyaml events ----------------------------------------------------- */

static const char *event_name(yaml_event_type_t t)
{
    return t == YAML_MAPPING_START_EVENT ? "a mapping" : "a list";
}

/* Hang n under the innermost open list or mapping (or make it the root); n is freed on error. */
static int attach(struct scw_yaml_ctx *c, struct scw_yaml_node **stack, size_t depth,
                  struct scw_yaml_node **root, struct scw_yaml_node *n)
{
    if (depth == 0) {
        if (*root) {
            int rc = scw_yaml_fail(c, n, "unexpected content after the document");
            scw_yaml_free(n);
            return rc;
        }
        *root = n;
        return 0;
    }
    struct scw_yaml_node *parent = stack[depth - 1];
    size_t limit =
        parent->kind == SCW_YAML_MAP ? 2 * (size_t)c->limits.max_list : c->limits.max_list;
    if (parent->n >= limit) {
        int rc =
            scw_yaml_fail(c, n, "more than %u entries in one %s (the limit)", c->limits.max_list,
                          parent->kind == SCW_YAML_MAP ? "mapping" : "list");
        scw_yaml_free(n);
        return rc;
    }
    if (parent->kind == SCW_YAML_MAP && parent->n % 2 == 0) {
        if (n->kind != SCW_YAML_SCALAR) {
            int rc = scw_yaml_fail(c, n, "expected a plain key (found %s used as a key)",
                                   scw_yaml_kind_name(n));
            scw_yaml_free(n);
            return rc;
        }
        for (size_t i = 0; i < parent->n; i += 2)
            if (strcmp(parent->kids[i]->s, n->s) == 0) {
                int rc = scw_yaml_fail(c, n, "duplicate key '%s' (first at line %u)", n->s,
                                       parent->kids[i]->line);
                scw_yaml_free(n);
                return rc;
            }
    }
    if (parent->n == parent->cap) {
        size_t ncap = parent->cap ? parent->cap * 2 : 8;
        struct scw_yaml_node **nk = realloc(parent->kids, ncap * sizeof(*nk));
        if (!nk) {
            scw_yaml_free(n);
            return scw_yaml_oom(c);
        }
        parent->kids = nk;
        parent->cap = ncap;
    }
    parent->kids[parent->n++] = n;
    return 0;
}

/* The message for a failed yaml_parser_parse(), at the problem's position. */
static int parse_error(struct scw_yaml_ctx *c, const yaml_parser_t *parser, const char *data,
                       size_t len)
{
    yaml_mark_t m = parser->problem_mark;
    struct scw_yaml_node at = {.line = (unsigned)m.line + 1, .col = (unsigned)m.column + 1};
    const char *problem = parser->problem ? parser->problem : "invalid input";
    int rc;
    if (parser->error == YAML_READER_ERROR) {
        /* reader errors carry a byte offset, not a mark */
        size_t off = parser->problem_offset < len ? parser->problem_offset : len;
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
    if (parser->error == YAML_MEMORY_ERROR)
        rc = scw_yaml_oom(c);
    else if (parser->error == YAML_READER_ERROR)
        rc = scw_yaml_fail(c, &at, "%s (%s are UTF-8 text)", problem,
                           c->docs ? c->docs : "YAML files");
    else if (parser->context && parser->context_mark.line != m.line)
        rc = scw_yaml_fail(c, &at, "YAML syntax error: %s %s (started at line %u)", problem,
                           parser->context, (unsigned)parser->context_mark.line + 1);
    else if (parser->context)
        rc = scw_yaml_fail(c, &at, "YAML syntax error: %s %s", problem, parser->context);
    else
        rc = scw_yaml_fail(c, &at, "YAML syntax error: %s", problem);
    if (m.index < len && data[m.index] == '\t' && c->error) {
        char *e = NULL;
        if (asprintf(&e, "%s (YAML does not allow tabs for indentation)", c->error) > 0) {
            free(c->error);
            c->error = e;
        }
    }
    return rc;
}

/* A new node for a scalar, sequence-start or mapping-start event (a scalar with its value). */
static int new_node(struct scw_yaml_ctx *c, const yaml_event_t *ev, const struct scw_yaml_node *at,
                    struct scw_yaml_node **ret)
{
    struct scw_yaml_node *n = calloc(1, sizeof(*n));
    if (!n)
        return scw_yaml_oom(c);
    n->line = at->line;
    n->col = at->col;
    if (ev->type != YAML_SCALAR_EVENT) {
        n->kind = ev->type == YAML_MAPPING_START_EVENT ? SCW_YAML_MAP : SCW_YAML_SEQ;
        *ret = n;
        return 0;
    }
    n->kind = SCW_YAML_SCALAR;
    n->len = ev->data.scalar.length;
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (n->len > c->limits.max_string) {
        int rc =
            scw_yaml_fail(c, at, "string longer than %u bytes (the limit)", c->limits.max_string);
        scw_yaml_free(n);
        return rc;
    }
    n->s = malloc(n->len + 1);
    if (!n->s) {
        scw_yaml_free(n);
        return scw_yaml_oom(c);
    }
    memcpy(n->s, ev->data.scalar.value, n->len);
    n->s[n->len] = '\0';
    if (strlen(n->s) != n->len) {
        int rc = scw_yaml_fail(c, at, "string holds a NUL byte");
        scw_yaml_free(n);
        return rc;
    }
    *ret = n;
    return 0;
}

int scw_yaml_parse(struct scw_yaml_ctx *c, const char *data, size_t len, struct scw_yaml_node **ret)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return scw_yaml_oom(c);
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    struct scw_yaml_node *stack[SCW_YAML_MAX_DEPTH];
    size_t max_depth =
        c->limits.max_depth < SCW_YAML_MAX_DEPTH ? c->limits.max_depth : SCW_YAML_MAX_DEPTH;
    size_t depth = 0, nodes = 0;
    unsigned docs = 0;
    struct scw_yaml_node *root = NULL;
    int rc = 0;
    bool done = false;
    while (!done && rc == 0) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = parse_error(c, &parser, data, len);
            break;
        }
        struct scw_yaml_node at = {.line = (unsigned)ev.start_mark.line + 1,
                                   .col = (unsigned)ev.start_mark.column + 1};
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1)
                rc = scw_yaml_fail(
                    c, &at, "a %s holds one YAML document (found a second '---')%s%s", doc_name(c),
                    hint_sep(c->split_hint), c->split_hint ? c->split_hint : "");
            break;
        case YAML_ALIAS_EVENT:
            rc = scw_yaml_fail(c, &at, "YAML aliases ('*%s') are not supported in %s%s%s",
                               (const char *)ev.data.alias.anchor, c->docs ? c->docs : "YAML files",
                               hint_sep(c->alias_hint), c->alias_hint ? c->alias_hint : "");
            break;
        case YAML_SCALAR_EVENT:
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            if (++nodes > c->limits.max_nodes) {
                rc = scw_yaml_fail(c, &at, "more than %u YAML nodes in one file (the limit)",
                                   c->limits.max_nodes);
                break;
            }
            struct scw_yaml_node *n = NULL;
            if ((rc = new_node(c, &ev, &at, &n)) < 0)
                break;
            if (n->kind == SCW_YAML_SCALAR) {
                rc = attach(c, stack, depth, &root, n);
                break;
            }
            if (depth >= max_depth) {
                rc = scw_yaml_fail(c, &at, "%s nested more than %zu levels deep (the limit)",
                                   event_name(ev.type), max_depth);
                scw_yaml_free(n);
                break;
            }
            rc = attach(c, stack, depth, &root, n);
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
        scw_yaml_free(root);
        return rc;
    }
    *ret = root;
    return 0;
}

/* ---- typed accessors ------------------------------------------------------------------------ */

int scw_yaml_expect(struct scw_yaml_ctx *c, const struct scw_yaml_node *n, enum scw_yaml_kind kind,
                    const char *what)
{
    if (n->kind == kind)
        return 0;
    static const char *const names[SCW_YAML_KIND_MAX] = {"a string", "a list", "a mapping"};
    return scw_yaml_fail(c, n, "expected %s for %s (found %s)",
                         kind >= 0 && kind < SCW_YAML_KIND_MAX ? names[kind] : "?", what,
                         scw_yaml_kind_name(n));
}

int scw_yaml_check_keys(struct scw_yaml_ctx *c, const struct scw_yaml_node *map,
                        const char *const *keys, const char *what)
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
            return scw_yaml_fail(c, map->kids[i],
                                 "unknown key '%s' in %s: did you mean '%s'? (expected one of: %s)",
                                 map->kids[i]->s, what, near, list);
        return scw_yaml_fail(c, map->kids[i], "unknown key '%s' in %s (expected one of: %s)",
                             map->kids[i]->s, what, list);
    }
    return 0;
}

int scw_yaml_get_string(struct scw_yaml_ctx *c, const struct scw_yaml_node *n, const char *what,
                        char **ret)
{
    int rc = scw_yaml_expect(c, n, SCW_YAML_SCALAR, what);
    if (rc < 0)
        return rc;
    if (n->len == 0)
        return scw_yaml_fail(c, n, "empty string for %s", what);
    char *s = strdup(n->s);
    if (!s)
        return scw_yaml_oom(c);
    *ret = s;
    return 0;
}

int scw_yaml_get_uint(struct scw_yaml_ctx *c, const struct scw_yaml_node *n, const char *what,
                      uint64_t max, uint64_t *ret)
{
    if (n->kind != SCW_YAML_SCALAR || !n->plain || n->len == 0 || n->len > 20 ||
        strspn(n->s, "0123456789") != n->len)
        return scw_yaml_fail(c, n, "expected a whole number from 0 to %llu for %s",
                             (unsigned long long)max, what);
    errno = 0;
    unsigned long long v = strtoull(n->s, NULL, 10);
    if (errno || v > max)
        return scw_yaml_fail(c, n, "%s is %s, more than %llu (the limit)", what, n->s,
                             (unsigned long long)max);
    *ret = v;
    return 0;
}

int scw_yaml_get_bool(struct scw_yaml_ctx *c, const struct scw_yaml_node *n, const char *what,
                      bool *ret)
{
    if (n->kind == SCW_YAML_SCALAR && n->plain) {
        if (strcmp(n->s, "true") == 0) {
            *ret = true;
            return 0;
        }
        if (strcmp(n->s, "false") == 0) {
            *ret = false;
            return 0;
        }
    }
    return scw_yaml_fail(c, n, "expected true or false for %s", what);
}

/* ---- writing ----------------------------------------------------------------------------- */

/* How many bytes of s[0..left) to copy as they are (a printable UTF-8 character), or 0 when
 * the byte at s must be escaped. */
static size_t plain_char(const unsigned char *s, size_t left)
{
    size_t seq = scw_json_utf8_seq(s, left);
    if (seq == 0 || s[0] < 0x20 || s[0] == 0x7f)
        return 0;
    if (seq == 2 && s[0] == 0xc2 && s[1] < 0xa0)
        return 0; /* C1 controls */
    if (seq == 3 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9))
        return 0; /* line and paragraph separators */
    if (seq == 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
        return 0; /* a byte order mark */
    return seq;
}

int scw_yaml_put_quoted(FILE *out, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s);
    fputc('"', out);
    for (size_t i = 0; i < len;) {
        size_t n = plain_char(u + i, len - i);
        if (n) {
            if (u[i] == '"' || u[i] == '\\')
                fputc('\\', out);
            fwrite(u + i, 1, n, out);
            i += n;
            continue;
        }
        size_t seq = scw_json_utf8_seq(u + i, len - i);
        if (u[i] == '\n')
            fputs("\\n", out);
        else if (u[i] == '\t')
            fputs("\\t", out);
        else if (seq == 2) /* C1: U+0080..U+009F */
            fprintf(out, "\\x%02x", (unsigned)(((u[i] & 0x1f) << 6) | (u[i + 1] & 0x3f)));
        else if (seq == 3 && u[i] == 0xe2)
            fputs(u[i + 2] == 0xa8 ? "\\L" : "\\P", out);
        else if (seq == 3)
            fputs("\\uFEFF", out);
        else
            fprintf(out, "\\x%02x", u[i]);
        i += seq > 1 ? seq : 1;
    }
    fputc('"', out);
    return ferror(out) ? -EIO : 0;
}

int scw_yaml_put_comment_text(FILE *out, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        size_t n = plain_char(u + i, len - i);
        if (n) {
            fwrite(u + i, 1, n, out);
            i += n;
        } else {
            fprintf(out, "\\x%02x", u[i]);
            i++;
        }
    }
    return ferror(out) ? -EIO : 0;
}
