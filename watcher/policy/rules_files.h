/*
 * rules_files: load the rule files a command was given (--rules A --rules B ...), in order,
 * into one rule set; with none, the shipped default rules. Shared by watch, replay and suggest.
 */
#ifndef SCW_RULES_FILES_H
#define SCW_RULES_FILES_H

#include <stddef.h>

#include "rules.h"

/*
 * The shipped rule files, in load order: default.yaml, then cve.yaml when it is installed
 * beside it. Returns how many (1 or 2); the strings are static.
 */
size_t scw_rules_shipped_files(const char *ret[2]);

/*
 * Load paths[0..n) in order (n == 0: the shipped files, scw_rules_shipped_files()). Returns 0 with
 * a new rule set, or -errno with *ret_error (malloc'd, "file:line:col: ...") and nothing allocated.
 * Warnings stay in (*ret)->warnings for the caller to print.
 */
int scw_rules_load_files(const char *const *paths, size_t n, struct scw_rules **ret,
                         char **ret_error);

#endif
