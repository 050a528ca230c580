/*
 * yaml_tree: a bounded YAML document read into a small tree of scalars, lists and mappings,
 * and typed accessors that check a node and report "FILE:LINE:COLUMN: ..." when it is not what
 * the caller expected.
 *
 * It knows nothing of what a document means: the caller names the kind of input for messages
 * ("rule file"), sets the bounds, and walks the tree. It refuses aliases (nothing expands),
 * several documents, duplicate keys, non-scalar keys, NUL bytes in strings and anything past a
 * bound. Writing YAML is the caller's, but for the two pieces that need care: a string as a
 * double-quoted scalar and text as a comment, both unable to break out of their place.
 * Callers: the rule loader (policy/rules_*.c), the decisions file (policy/decisions_file.c).
 */
#ifndef SCW_YAML_TREE_H
#define SCW_YAML_TREE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SCW_YAML_MAX_DEPTH 64 /* highest nesting a caller may allow (limits.max_depth) */

enum scw_yaml_kind {
    SCW_YAML_SCALAR,
    SCW_YAML_SEQ,
    SCW_YAML_MAP,
    SCW_YAML_KIND_MAX,
    SCW_YAML_KIND_INVALID = -1,
};

struct scw_yaml_node {
    enum scw_yaml_kind kind;
    bool plain; /* scalar written without quotes */
    unsigned line, col;
    char *s; /* scalar value, NUL-terminated (no NUL inside: checked); NULL for lists and maps */
    size_t len;
    struct scw_yaml_node **kids; /* list items; mapping keys (scalars) and values alternating */
    size_t n, cap;
};

struct scw_yaml_limits {
    unsigned max_depth;  /* nesting of lists and mappings, at most SCW_YAML_MAX_DEPTH */
    unsigned max_nodes;  /* nodes in the document */
    unsigned max_list;   /* entries in one list, key-value pairs in one mapping */
    unsigned max_string; /* bytes in one scalar */
};

/*
 * What is being read and where its first error goes. The caller fills in everything but
 * error; every failing function below sets error once (the first failure wins) and returns
 * a negative errno. The caller frees error.
 */
struct scw_yaml_ctx {
    const char *file; /* borrowed: names the input in messages */
    const char *doc;  /* the kind of input, for messages: "rule file" */
    const char *docs; /* its plural: "rule files" */
    /* appended to the refusal of a second document or of an alias, or NULL */
    const char *split_hint; /* "split it into several files" */
    const char *alias_hint; /* "use a group for shared syscall lists" */
    struct scw_yaml_limits limits;
    char *error; /* "FILE:LINE:COLUMN: what was expected" (malloc'd), or NULL */
};

/*
 * Parse data[0..len) into *ret (NULL for an empty document). Returns 0, or -EINVAL (syntax
 * error, a bound, an alias...) / -ENOMEM with c->error set. Free the tree with scw_yaml_free.
 */
int scw_yaml_parse(struct scw_yaml_ctx *c, const char *data, size_t len,
                   struct scw_yaml_node **ret);
void scw_yaml_free(struct scw_yaml_node *n); /* NULL-safe */

const char *scw_yaml_kind_name(const struct scw_yaml_node *n); /* "a scalar", "a list"... */
/* Absent, or a plain empty, "~" or "null" scalar. */
bool scw_yaml_is_null(const struct scw_yaml_node *n);
/* The value of key in a mapping, or NULL. */
const struct scw_yaml_node *scw_yaml_map_get(const struct scw_yaml_node *map, const char *key);

/*
 * Record an error at a node (NULL: line 1, column 1) or at a position of any file, and
 * return -EINVAL. When c->error is already set, nothing changes.
 */
__attribute__((format(printf, 3, 4))) int
scw_yaml_fail(struct scw_yaml_ctx *c, const struct scw_yaml_node *n, const char *fmt, ...);
__attribute__((format(printf, 5, 0))) int scw_yaml_failv(struct scw_yaml_ctx *c, const char *file,
                                                         unsigned line, unsigned col,
                                                         const char *fmt, va_list ap);
/* "out of memory while loading the DOC" (unless an error is set); returns -ENOMEM. */
int scw_yaml_oom(struct scw_yaml_ctx *c);

/*
 * Typed accessors: each checks a node and fails with a message naming what (the field, as
 * the user knows it: "'reason' of rule 'x'"). Strings are copied (malloc'd, not empty).
 */
int scw_yaml_expect(struct scw_yaml_ctx *c, const struct scw_yaml_node *n, enum scw_yaml_kind kind,
                    const char *what);
/* Every key of map is in keys (NULL-terminated); else "unknown key ... did you mean". */
int scw_yaml_check_keys(struct scw_yaml_ctx *c, const struct scw_yaml_node *map,
                        const char *const *keys, const char *what);
int scw_yaml_get_string(struct scw_yaml_ctx *c, const struct scw_yaml_node *n, const char *what,
                        char **ret);
/* A plain whole number from 0 to max. */
int scw_yaml_get_uint(struct scw_yaml_ctx *c, const struct scw_yaml_node *n, const char *what,
                      uint64_t max, uint64_t *ret);
/* A plain true or false. */
int scw_yaml_get_bool(struct scw_yaml_ctx *c, const struct scw_yaml_node *n, const char *what,
                      bool *ret);

/*
 * Write s as a double-quoted YAML scalar that reads back as s: '"' and '\\' escaped, control
 * characters (C0, DEL, C1), U+2028/U+2029 and bytes that are not UTF-8 written as escapes (an
 * invalid byte 0xNN reads back as U+00NN: YAML text is Unicode). Returns 0 or -EIO.
 */
int scw_yaml_put_quoted(FILE *out, const char *s);
/* Write s inside a comment: control characters and invalid bytes as \xNN, so it stays one
 * line of printable text. Returns 0 or -EIO. */
int scw_yaml_put_comment_text(FILE *out, const char *s);

#endif
