/*
 * jsonpos: one recursive-descent pass over a JSON text, bounded in depth (so in recursion) and
 * in values, recording for each value its line, column, byte span, member key span and the end
 * of its subtree (pre-order). Lookups walk siblings through those ends. Keys are compared after
 * decoding their escapes, so "\u0061ction" is found as "action".
 */
#include "jsonpos.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { NODE_SCALAR, NODE_OBJECT, NODE_ARRAY };

struct node {
    uint32_t line, column;
    uint32_t start, stop; /* byte span of the value: first byte, just past its last */
    uint32_t end;         /* index just past this value's subtree */
    uint32_t key_off;     /* member key span (inside the quotes); key_len 0 and no key otherwise */
    uint32_t key_len;
    uint8_t type;
    uint8_t has_key;
};

struct scw_jsonpos {
    const char *text;
    struct node *nodes;
    size_t n;
};

struct scanner {
    const char *s;
    size_t len, pos;
    unsigned line, column;
    unsigned depth, max_depth, deepest;
    size_t values, max_values;
    bool failed, too_big;
    struct node *nodes; /* NULL when only measuring */
    size_t n_nodes;
};

static void advance(struct scanner *sc)
{
    unsigned char c = (unsigned char)sc->s[sc->pos++];
    if (c == '\n') {
        sc->line++;
        sc->column = 1;
    } else if ((c & 0xC0) != 0x80) {
        sc->column++;
    }
}

static void skip_ws(struct scanner *sc)
{
    while (sc->pos < sc->len) {
        char c = sc->s[sc->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return;
        advance(sc);
    }
}

static bool peek(const struct scanner *sc, char c)
{
    return sc->pos < sc->len && sc->s[sc->pos] == c;
}

/* At an opening quote: skip the string; *ret_off and *ret_len get the span inside the quotes. */
static bool scan_string(struct scanner *sc, size_t *ret_off, size_t *ret_len)
{
    advance(sc); /* " */
    size_t start = sc->pos;
    while (sc->pos < sc->len) {
        unsigned char c = (unsigned char)sc->s[sc->pos];
        if (c == '"') {
            *ret_off = start;
            *ret_len = sc->pos - start;
            advance(sc);
            return true;
        }
        if (c < 0x20)
            return false;
        if (c == '\\') {
            advance(sc);
            if (sc->pos >= sc->len)
                return false;
        }
        advance(sc);
    }
    return false;
}

static bool scan_scalar(struct scanner *sc)
{
    size_t start = sc->pos;
    while (sc->pos < sc->len) {
        char c = sc->s[sc->pos];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' || c == '+' ||
              c == '.' || c == 'E'))
            break;
        advance(sc);
    }
    return sc->pos > start;
}

static bool scan_value(struct scanner *sc, bool has_key, size_t key_off, size_t key_len);

static bool scan_members(struct scanner *sc, bool object)
{
    char close = object ? '}' : ']';
    skip_ws(sc);
    if (peek(sc, close)) {
        advance(sc);
        return true;
    }
    for (;;) {
        size_t key_off = 0, key_len = 0;
        if (object) {
            if (!peek(sc, '"') || !scan_string(sc, &key_off, &key_len))
                return false;
            skip_ws(sc);
            if (!peek(sc, ':'))
                return false;
            advance(sc);
            skip_ws(sc);
        }
        if (!scan_value(sc, object, key_off, key_len))
            return false;
        skip_ws(sc);
        if (peek(sc, ',')) {
            advance(sc);
            skip_ws(sc);
            continue;
        }
        if (peek(sc, close)) {
            advance(sc);
            return true;
        }
        return false;
    }
}

static bool scan_value(struct scanner *sc, bool has_key, size_t key_off, size_t key_len)
{
    if (sc->pos >= sc->len)
        return false;
    if (sc->values >= sc->max_values) {
        sc->too_big = true;
        return false;
    }
    size_t self = sc->values++;
    char c = sc->s[sc->pos];
    struct node *nd = NULL;
    if (sc->nodes) {
        nd = &sc->nodes[self];
        nd->line = sc->line;
        nd->column = sc->column;
        nd->start = (uint32_t)sc->pos;
        nd->has_key = has_key;
        nd->key_off = (uint32_t)key_off;
        nd->key_len = (uint32_t)key_len;
        nd->type = c == '{' ? NODE_OBJECT : c == '[' ? NODE_ARRAY : NODE_SCALAR;
    }
    bool ok;
    if (c == '{' || c == '[') {
        if (sc->depth >= sc->max_depth) {
            sc->too_big = true;
            return false;
        }
        sc->depth++;
        if (sc->depth > sc->deepest)
            sc->deepest = sc->depth;
        advance(sc);
        ok = scan_members(sc, c == '{');
        sc->depth--;
    } else if (c == '"') {
        size_t off, len;
        ok = scan_string(sc, &off, &len);
    } else {
        ok = scan_scalar(sc);
    }
    if (nd) {
        nd->end = (uint32_t)sc->values;
        nd->stop = (uint32_t)sc->pos;
    }
    return ok;
}

static void scan(struct scanner *sc)
{
    if (sc->max_depth == 0)
        sc->max_depth = 1;
    sc->line = 1;
    sc->column = 1;
    skip_ws(sc);
    bool ok = scan_value(sc, false, 0, 0);
    if (ok) {
        skip_ws(sc);
        ok = sc->pos == sc->len;
    }
    sc->failed = !ok;
}

void scw_jsonpos_measure(const char *text, size_t len, size_t max_values, unsigned max_depth,
                         struct scw_json_measure *ret)
{
    struct scanner sc = {.s = text, .len = len, .max_values = max_values, .max_depth = max_depth};
    scan(&sc);
    *ret = (struct scw_json_measure){
        .values = sc.values,
        .depth = sc.deepest,
        .complete = !sc.failed,
        .too_big = sc.too_big,
        .line = sc.line,
        .column = sc.column,
    };
}

int scw_jsonpos_new(const char *text, size_t len, size_t max_values, unsigned max_depth,
                    struct scw_jsonpos **ret)
{
    if (max_values > UINT32_MAX - 1 || len > UINT32_MAX)
        return -EINVAL;
    struct scw_json_measure m;
    scw_jsonpos_measure(text, len, max_values, max_depth, &m);
    if (!m.complete)
        return -EINVAL;
    struct scw_jsonpos *jp = calloc(1, sizeof(*jp));
    if (!jp)
        return -ENOMEM;
    jp->nodes = calloc(m.values ? m.values : 1, sizeof(*jp->nodes));
    if (!jp->nodes) {
        free(jp);
        return -ENOMEM;
    }
    struct scanner sc = {
        .s = text, .len = len, .max_values = m.values, .max_depth = max_depth, .nodes = jp->nodes};
    scan(&sc);
    if (sc.failed) { /* cannot happen: same text, same bounds */
        scw_jsonpos_free(jp);
        return -EINVAL;
    }
    jp->text = text;
    jp->n = sc.values;
    *ret = jp;
    return 0;
}

void scw_jsonpos_free(struct scw_jsonpos *jp)
{
    if (!jp)
        return;
    free(jp->nodes);
    free(jp);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool read_u4(const char *p, size_t left, uint32_t *ret)
{
    if (left < 4)
        return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(p[i]);
        if (h < 0)
            return false;
        v = v << 4 | (uint32_t)h;
    }
    *ret = v;
    return true;
}

static size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Whether the raw (still escaped) key text equals key. */
static bool key_equal(const char *raw, size_t len, const char *key)
{
    size_t klen = strlen(key), k = 0;
    for (size_t i = 0; i < len;) {
        char buf[4];
        size_t n;
        if (raw[i] != '\\') {
            buf[0] = raw[i++];
            n = 1;
        } else {
            if (i + 1 >= len)
                return false;
            char e = raw[i + 1];
            i += 2;
            switch (e) {
            case 'b':
                buf[0] = '\b';
                n = 1;
                break;
            case 'f':
                buf[0] = '\f';
                n = 1;
                break;
            case 'n':
                buf[0] = '\n';
                n = 1;
                break;
            case 'r':
                buf[0] = '\r';
                n = 1;
                break;
            case 't':
                buf[0] = '\t';
                n = 1;
                break;
            case 'u': {
                uint32_t cp, lo;
                if (!read_u4(raw + i, len - i, &cp))
                    return false;
                i += 4;
                if (cp >= 0xD800 && cp < 0xDC00 && i + 6 <= len && raw[i] == '\\' &&
                    raw[i + 1] == 'u' && read_u4(raw + i + 2, len - i - 2, &lo) && lo >= 0xDC00 &&
                    lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
                n = utf8_encode(cp, buf);
                break;
            }
            default: /* \" \\ \/ */
                buf[0] = e;
                n = 1;
                break;
            }
        }
        if (k + n > klen || memcmp(key + k, buf, n) != 0)
            return false;
        k += n;
    }
    return k == klen;
}

/* The node at path, into *ret: true when found, else the deepest step that exists. */
static bool locate(const struct scw_jsonpos *jp, const struct scw_jsonpath *path, size_t n,
                   size_t *ret)
{
    size_t cur = 0;
    bool found = true;
    for (size_t i = 0; i < n; i++) {
        const struct node *nd = &jp->nodes[cur];
        size_t child = cur + 1, hit = SIZE_MAX;
        if (path[i].key && nd->type == NODE_OBJECT) {
            for (; child < nd->end; child = jp->nodes[child].end)
                if (key_equal(jp->text + jp->nodes[child].key_off, jp->nodes[child].key_len,
                              path[i].key)) {
                    hit = child;
                    break;
                }
        } else if (!path[i].key && nd->type == NODE_ARRAY) {
            size_t k = 0;
            for (; child < nd->end; child = jp->nodes[child].end, k++)
                if (k == path[i].index) {
                    hit = child;
                    break;
                }
        }
        if (hit == SIZE_MAX) {
            found = false;
            break;
        }
        cur = hit;
    }
    *ret = cur;
    return found;
}

bool scw_jsonpos_find(const struct scw_jsonpos *jp, const struct scw_jsonpath *path, size_t n,
                      unsigned *ret_line, unsigned *ret_column)
{
    if (!jp || jp->n == 0)
        return false;
    size_t cur;
    bool found = locate(jp, path, n, &cur);
    *ret_line = jp->nodes[cur].line;
    *ret_column = jp->nodes[cur].column;
    return found;
}

static void fill_span(const struct scw_jsonpos *jp, size_t i, struct scw_jsonspan *ret)
{
    const struct node *nd = &jp->nodes[i];
    size_t count = 0;
    if (nd->type != NODE_SCALAR)
        for (size_t c = i + 1; c < nd->end; c = jp->nodes[c].end)
            count++;
    *ret = (struct scw_jsonspan){
        .start = nd->start,
        .end = nd->stop,
        .key_start = nd->has_key ? nd->key_off - 1 : 0,
        .key_end = nd->has_key ? nd->key_off + nd->key_len + 1 : 0,
        .count = count,
        .container = nd->type != NODE_SCALAR,
    };
}

bool scw_jsonpos_span(const struct scw_jsonpos *jp, const struct scw_jsonpath *path, size_t n,
                      struct scw_jsonspan *ret)
{
    size_t cur;
    if (!jp || jp->n == 0 || !locate(jp, path, n, &cur))
        return false;
    fill_span(jp, cur, ret);
    return true;
}

bool scw_jsonpos_child(const struct scw_jsonpos *jp, const struct scw_jsonpath *path, size_t n,
                       size_t index, struct scw_jsonspan *ret)
{
    size_t cur;
    if (!jp || jp->n == 0 || !locate(jp, path, n, &cur) || jp->nodes[cur].type == NODE_SCALAR)
        return false;
    size_t k = 0;
    for (size_t c = cur + 1; c < jp->nodes[cur].end; c = jp->nodes[c].end, k++)
        if (k == index) {
            fill_span(jp, c, ret);
            return true;
        }
    return false;
}
