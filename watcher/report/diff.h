/*
 * diff: a line-based unified diff of two texts (Myers' O(ND) shortest edit script), in the
 * format of GNU "diff -u" and accepted by patch(1): "---"/"+++" headers, "@@ -l,n +l,n @@"
 * hunks with context, "\ No newline at end of file" markers. Bounded: at most
 * SCW_DIFF_MAX_LINES lines per text, and past max_edits differences the changed middle is
 * written as one replacement (still a correct diff, not a minimal one). Pure: no I/O but the
 * FILE it writes to. Called by cmd_profile.c and the report stage (--format diff).
 */
#ifndef SCW_DIFF_H
#define SCW_DIFF_H

#include <stddef.h>
#include <stdio.h>

#define SCW_DIFF_MAX_LINES 2000000

struct scw_diff_opts {
    const char *label_a, *label_b; /* header names; NULL: "a" and "b" */
    unsigned context;              /* context lines around changes */
    size_t max_edits;              /* edit distance searched before falling back; 0: 2000 */
};

/*
 * Write the unified diff from a to b to out (nothing when they are equal).
 * opts NULL: labels "a"/"b", 3 lines of context. Returns 0 (equal), 1 (differences written),
 * -E2BIG (more than SCW_DIFF_MAX_LINES lines), -ENOMEM, -EIO.
 */
int scw_diff_unified(const char *a, size_t alen, const char *b, size_t blen,
                     const struct scw_diff_opts *opts, FILE *out);

#endif
