/*
 * decisions_file: the file `scmpwatch decide` and `scmpwatch review` write their decisions
 * to (by default rules.d/50-decisions.yaml): a rule file holding only `version: 1` and a
 * `decisions:` list (scmpwatch-rules(5)), one entry per (profile group, syscall), each with
 * a comment above it (who, when, the evidence). Reading validates the whole file as a rule
 * file (a hand edit gone wrong is refused with file:line:column, and nothing is written);
 * entries keep their order and the comments right above them; a new decision for a group and
 * syscall replaces the old one and goes last. Writing is atomic (atomic_file.h).
 *
 * It does not decide what the entries say or gather evidence (cli/decide_session.c does);
 * the rule loader reads these files like any other. Callers: cmd_decide.c, cmd_review.c.
 */
#ifndef SCW_DECISIONS_FILE_H
#define SCW_DECISIONS_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "rules.h"

#define SCW_DECISIONS_MAX_COMMENT 4096 /* bytes of comment kept above one entry */

struct scw_decision_entry {
    char *group, *syscall;
    enum scw_decision_kind decision; /* allow, deny or ignore */
    char *reason;
    char *by, *at; /* may be NULL */
    char *comment; /* lines ('\n'-separated, without "# "), or NULL; written escaped */
};

struct scw_decisions_file {
    char *path;
    bool existed; /* the file was there when read */
    struct scw_decision_entry *v;
    size_t n;
};

/*
 * Read path (missing: an empty set that will create it). Returns 0 with *ret, or -EINVAL
 * with *ret_error "FILE:LINE:COLUMN: ..." (invalid YAML or rule file, or a section other than
 * decisions: these files hold only decisions), or -errno with "FILE: reason".
 */
int scw_decisions_file_read(const char *path, struct scw_decisions_file **ret, char **ret_error);
void scw_decisions_file_free(struct scw_decisions_file *f);

/* The entry for (group, syscall), or NULL. */
const struct scw_decision_entry *scw_decisions_file_find(const struct scw_decisions_file *f,
                                                         const char *group, const char *syscall);

/* Add e (strings copied), replacing the entry of the same group and syscall; it goes last.
 * Returns 0 or -ENOMEM. */
int scw_decisions_file_put(struct scw_decisions_file *f, const struct scw_decision_entry *e);

/* Write the file atomically (mode 0644), making its directory when missing. 0 or -errno. */
int scw_decisions_file_write(const struct scw_decisions_file *f);

/* The file as text (what scw_decisions_file_write writes), malloc'd. 0 or -ENOMEM. */
int scw_decisions_file_render(const struct scw_decisions_file *f, char **ret, size_t *ret_len);

#endif
