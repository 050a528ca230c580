/*
 * spelling: "did you mean" for unknown keys and names in user files (rule files, profiles).
 * Pure; small inputs only (keys and names are bounded by their parsers).
 */
#ifndef SCW_SPELLING_H
#define SCW_SPELLING_H

#include <stddef.h>

/*
 * The candidate closest to word by edit distance (insertions, deletions, substitutions and
 * swaps of neighbours; case ignored), if it is close enough to be a likely typo: at most 1
 * edit for words up to 4 characters, 2 up to 8, 3 beyond. NULL when none is, or when two
 * candidates tie. candidates is NULL-terminated when n is 0.
 */
const char *scw_spelling_closest(const char *word, const char *const *candidates, size_t n);

#endif
