/*
 * rules_impl: what the rules_*.c files share and nobody else sees: the loader context of one
 * file, its error and warning helpers, the field readers every section uses, and the steps
 * of a load (sections, expansion). The public interface is rules.h.
 *
 * Who defines what:
 *   rules_load.c      loader plumbing, field readers, a file's top level, scw_rules_load*
 *   rules_sections.c  groups, containers, ignore, rules and defaults sections
 *   rules_cve.c       cve_blocks section, kernel release ordering
 *   rules_decisions.c decisions section (human decisions), their lookup
 *   rules_expand.c    group lookup, expansion of syscall lists
 *   rules_set.c       enum names, errno names, enforcing actions, scw_rules_new/free
 *   rules_match.c     decide, ignore, selector and profile matching
 */
#ifndef SCW_RULES_IMPL_H
#define SCW_RULES_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "rules.h"
#include "yaml_tree.h"

_Static_assert(SCW_RULES_MAX_DEPTH <= SCW_YAML_MAX_DEPTH, "YAML depth bound above yaml_tree's");

/* Loading one file into a rule set. */
struct rules_loader {
    struct scw_yaml_ctx y; /* y.file: the file's name, borrowed from rs->files; y.error */
    struct scw_rules *rs;
    char *dir; /* directory of the file, for relative profile paths */
    size_t first_new_rule;
};

/* ---- rules_load.c: errors, warnings, storage --------------------------------------------- */

/* Errors at a node of the file (NULL: its start) or at a recorded position; return -EINVAL. */
__attribute__((format(printf, 3, 4))) int
rules_fail(struct rules_loader *l, const struct scw_yaml_node *n, const char *fmt, ...);
__attribute__((format(printf, 3, 4))) int
rules_fail_at(struct rules_loader *l, const struct scw_where *w, const char *fmt, ...);
/* A warning at a node, kept in rs->warnings (past SCW_RULES_MAX_WARNINGS: counted). */
__attribute__((format(printf, 3, 4))) void
rules_warn(struct rules_loader *l, const struct scw_yaml_node *n, const char *fmt, ...);
/* The same at a recorded position. */
__attribute__((format(printf, 3, 4))) void
rules_warn_at(struct rules_loader *l, const struct scw_where *w, const char *fmt, ...);
int rules_oom(struct rules_loader *l); /* -ENOMEM */
void rules_where_of(const struct rules_loader *l, const struct scw_yaml_node *n,
                    struct scw_where *ret);
/* Make room for element n of *arr (capacity: 8, then powers of two), zeroing it. */
int rules_grow(void *arr, size_t n, size_t elem);

/* ---- rules_load.c: field readers ----------------------------------------------------------- */

/* "'key' of WHAT" for messages about one field (written to buf). */
const char *rules_field(char *buf, size_t cap, const char *key, const char *what);
/* A name of a rule, group, selector or block: 1..SCW_RULES_MAX_NAME of [A-Za-z0-9_.-]. */
bool rules_valid_name(const char *s);
int rules_get_name(struct rules_loader *l, const struct scw_yaml_node *n, const char *what,
                   char **ret);
/* A string or a list of strings (patterns). Appends to g. */
int rules_get_globs(struct rules_loader *l, const struct scw_yaml_node *n, const char *what,
                    struct scw_globs *g);
/*
 * A list of syscall names, "@group" references and (when allow_all) "*". Appends to set.
 * Group references must name a known group unless check_groups is false.
 */
int rules_get_syscalls(struct rules_loader *l, const struct scw_yaml_node *n, const char *what,
                       bool allow_all, bool check_groups, struct scw_syscall_set *set);
/* Whether libseccomp knows a syscall name on some architecture. */
bool rules_syscall_known(const char *name);
/* A web address (http:// or https://). */
int rules_get_link(struct rules_loader *l, const struct scw_yaml_node *n, const char *what,
                   char **ret);
/* A list of container selector names, resolved. Appends to names/idx. */
int rules_get_selector_refs(struct rules_loader *l, const struct scw_yaml_node *n, const char *what,
                            char ***names, size_t **idx, size_t *count);

/* ---- the sections (rules_sections.c, rules_cve.c) ------------------------------------------ */

int rules_parse_groups(struct rules_loader *l, const struct scw_yaml_node *n);
int rules_parse_containers(struct rules_loader *l, const struct scw_yaml_node *n);
int rules_parse_ignore(struct rules_loader *l, const struct scw_yaml_node *n);
int rules_parse_rules(struct rules_loader *l, const struct scw_yaml_node *n);
int rules_parse_defaults(struct rules_loader *l, const struct scw_yaml_node *n);
int rules_parse_cve_blocks(struct rules_loader *l, const struct scw_yaml_node *n);
int rules_parse_decisions(struct rules_loader *l, const struct scw_yaml_node *n);

/* ---- rules_expand.c ----------------------------------------------------------------------- */

/* A group by name ("x" or "@x"), with its index; NULL if none. */
const struct scw_group *rules_find_group(const struct scw_rules *rs, const char *name,
                                         size_t *ret_index);
/* Expand every syscall list of the rule set again (after each file). */
int rules_expand_all(struct rules_loader *l);

/* ---- rules_set.c ---------------------------------------------------------------------------- */

/* The static spelling of an enforcing default action ("SCMP_ACT_ERRNO"...), or NULL. */
const char *rules_enforcing_action(const char *name);

#endif
