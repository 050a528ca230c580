/*
 * json: the JSON helpers every writer shares (jansson): strings from records made valid UTF-8,
 * audit times as numbers, and one way to dump a document. No knowledge of what is written.
 */
#include "json.h"

#include <errno.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
size_t scw_json_utf8_seq(const unsigned char *s, size_t left)
{
    unsigned char c = s[0];
    size_t n;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if ((c & 0xe0) == 0xc0) {
        n = 2;
        cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        n = 3;
        cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n > left)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

json_t *scw_json_string(const char *s)
{
    if (!s)
        return json_null();
    size_t len = strlen(s);
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, seq;
    while (i < len && (seq = scw_json_utf8_seq(u + i, len - i)))
        i += seq;
    if (i == len)
        return json_stringn(s, len);
    /* rebuild with U+FFFD (3 bytes) for each invalid byte */
    char *out = malloc(len * 3 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (i = 0; i < len;) {
        seq = scw_json_utf8_seq(u + i, len - i);
        if (seq) {
            memcpy(out + o, s + i, seq);
            o += seq;
            i += seq;
        } else {
            memcpy(out + o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
        }
    }
    json_t *j = json_stringn(out, o);
    free(out);
    return j;
}

json_t *scw_json_time(int64_t sec, uint32_t msec)
{
    if (sec == 0 && msec == 0)
        return json_null();
    return json_real((double)sec + msec / 1000.0);
}

void scw_json_put_string(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s), start = 0, i = 0;
    fputc('"', out);
    while (i < len) {
        size_t seq = scw_json_utf8_seq(u + i, len - i);
        const char *esc = NULL;
        char buf[8];
        if (!seq)
            esc = "\xef\xbf\xbd";
        else if (u[i] == '"')
            esc = "\\\"";
        else if (u[i] == '\\')
            esc = "\\\\";
        else if (u[i] < 0x20 || u[i] == 0x7f) {
            snprintf(buf, sizeof(buf), "\\u%04x", u[i]);
            esc = buf;
        }
        if (!esc) {
            i += seq;
            continue;
        }
        fwrite(s + start, 1, i - start, out);
        fputs(esc, out);
        i += seq ? seq : 1;
        start = i;
    }
    fwrite(s + start, 1, len - start, out);
    fputc('"', out);
}

int scw_json_dump(json_t *doc, FILE *out)
{
    if (!doc)
        return -ENOMEM;
    /* 13 significant digits keep audit timestamps (10 + 3 decimals) exact */
    int rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_REAL_PRECISION(13) | JSON_PRESERVE_ORDER);
    if (rc == 0 && fputc('\n', out) == EOF)
        rc = -1;
    return rc < 0 ? -EIO : 0;
}
