/*
 * rules_files: which rule files make up a command's rule set, and loading them in order into
 * one set. The layers, always in this order:
 *   1. the shipped rules: default.yaml, then cve.yaml when installed beside it
 *      ($SCMPWATCH_RULES_DIR, else SCW_RULES_DIR);
 *   2. the site's rules.d: every *.yaml of /etc/scmpwatch/rules.d (--rules-d DIR, else
 *      $SCMPWATCH_RULES_D), in name order; a missing directory holds nothing;
 *   3. each --rules FILE, in the order given (--rules adds, it never replaces);
 *   4. a decisions file named by decide/review --decisions, when it exists.
 * --no-default-rules leaves out layers 1 and 2. A file met twice (the same inode, e.g.
 * --rules /usr/share/scmpwatch/rules/default.yaml) is loaded once, where it first came.
 * Shared by watch, replay, suggest, vulns, rules, decide and review.
 */
#ifndef SCW_RULES_FILES_H
#define SCW_RULES_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "rules.h"

#define SCW_RULES_D_DEFAULT "/etc/scmpwatch/rules.d"
#define SCW_DECISIONS_FILE  "50-decisions.yaml" /* in rules.d: where decisions go by default */

/*
 * The shipped rule files, in load order: default.yaml, then cve.yaml when it is installed
 * beside it. Returns how many (1 or 2); the strings are static.
 */
size_t scw_rules_shipped_files(const char *ret[2]);

/* The rules.d directory: dir when given, else $SCMPWATCH_RULES_D, else SCW_RULES_D_DEFAULT. */
const char *scw_rules_d_path(const char *dir);

/* What a command was given; zero-initialised means the shipped files and rules.d only. */
struct scw_rules_sources {
    const char *const *paths; /* --rules, in order */
    size_t n_paths;
    const char *rules_d;   /* --rules-d DIR, or NULL (see scw_rules_d_path) */
    bool no_default;       /* --no-default-rules: neither the shipped files nor rules.d */
    const char *decisions; /* loaded last when it exists, or NULL */
};

/*
 * Load the layers in order. Returns 0 with a new rule set ((*ret)->files names every file
 * loaded, in order), or -errno with *ret_error (malloc'd, "file:line:col: ..." or "DIR: ...")
 * and nothing allocated. Warnings stay in (*ret)->warnings for the caller to print.
 */
int scw_rules_load_sources(const struct scw_rules_sources *s, struct scw_rules **ret,
                           char **ret_error);

/* The same for --rules paths[0..n) with the other layers at their defaults. */
int scw_rules_load_files(const char *const *paths, size_t n, struct scw_rules **ret,
                         char **ret_error);

#endif
