/*
 * jsonpos: where values sit in a JSON text (line and column, byte spans), looked up by path, so
 * messages about a parsed document can say "profile.json:12:18" and an editor can change one
 * value of the text in place. jansson parses but keeps no positions;
 * this is a second, light pass over the same text. It also measures a text (values, nesting)
 * so a caller can refuse an oversized document before handing it to the parser.
 *
 * It does not parse values or report syntax errors well (leave that to jansson): on malformed
 * text it stops and says so. Called by the profile module (positions of diagnostics; byte
 * spans for profile_source.c, which edits a profile's own text).
 */
#ifndef SCW_JSONPOS_H
#define SCW_JSONPOS_H

#include <stdbool.h>
#include <stddef.h>

/* One step of a path: an object member (key != NULL) or an array element (index). */
struct scw_jsonpath {
    const char *key;
    size_t index;
};

struct scw_json_measure {
    size_t values;         /* values seen (all of them when complete) */
    unsigned depth;        /* deepest nesting seen (top-level value = 1) */
    bool complete;         /* the whole text was scanned within the bounds */
    bool too_big;          /* stopped at a bound: max_values or max_depth */
    unsigned line, column; /* where it stopped when !complete (1-based) */
};

/*
 * Scan text and count its values and nesting, stopping at max_values values or max_depth
 * levels. Never allocates. A syntax error stops the scan with complete = too_big = false.
 */
void scw_jsonpos_measure(const char *text, size_t len, size_t max_values, unsigned max_depth,
                         struct scw_json_measure *ret);

struct scw_jsonpos;

/*
 * Index the positions of every value of text (bounded as above; one small record per value).
 * The text must outlive the index. Returns 0, -EINVAL (malformed or over a bound), -ENOMEM.
 */
int scw_jsonpos_new(const char *text, size_t len, size_t max_values, unsigned max_depth,
                    struct scw_jsonpos **ret);
void scw_jsonpos_free(struct scw_jsonpos *jp);

/*
 * Line and column (1-based; columns count characters, not bytes) of the value at path. When
 * the path leads nowhere, the position of the deepest step that exists is returned and the
 * result is false; with n == 0 it is the top-level value.
 */
bool scw_jsonpos_find(const struct scw_jsonpos *jp, const struct scw_jsonpath *path, size_t n,
                      unsigned *ret_line, unsigned *ret_column);

/* Where one value sits in the text, in bytes. */
struct scw_jsonspan {
    size_t start, end;         /* the value: its first byte, just past its last */
    size_t key_start, key_end; /* its member key with the quotes; both 0 when not a member */
    size_t count;              /* members or elements of an object or array; 0 for a scalar */
    bool container;            /* an object or array */
};

/* The byte span of the value at path (n == 0: the top level). False when the path leads
 * nowhere. For a duplicated key it is the first occurrence. */
bool scw_jsonpos_span(const struct scw_jsonpos *jp, const struct scw_jsonpath *path, size_t n,
                      struct scw_jsonspan *ret);
/* The span of the index-th member or element (text order) of the object or array at path. */
bool scw_jsonpos_child(const struct scw_jsonpos *jp, const struct scw_jsonpath *path, size_t n,
                       size_t index, struct scw_jsonspan *ret);

#endif
