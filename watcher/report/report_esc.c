/*
 * report_esc: escaping of outsider-controlled strings per output, and workload labels. See
 * report_esc.h. A container controls its name, labels and executables: nothing it writes may
 * move the cursor, open an HTML element or end a Markdown table cell.
 */
#include "report_esc.h"

#include <string.h>

#include "json.h"

/* What stands for one byte or character that is safe as is, or NULL. */
static const char *html_entity(unsigned char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    default:
        return NULL;
    }
}

static const char *md_escape(unsigned char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '|':
        return "\\|";
    case '`':
        return "\\`";
    case '\\':
        return "\\\\";
    case '*':
        return "\\*";
    case '_':
        return "\\_";
    case '[':
        return "\\[";
    case ']':
        return "\\]";
    case '~':
        return "\\~";
    case '#':
        return "\\#";
    default:
        return NULL;
    }
}

/* Calls put(ctx, bytes, n) for each piece of the escaped form of s. */
typedef void (*put_fn)(void *ctx, const char *s, size_t n);

static void escape(enum scw_esc e, const char *s, put_fn put, void *ctx)
{
    const unsigned char *u = (const unsigned char *)(s ? s : "-");
    size_t len = strlen((const char *)u);
    for (size_t i = 0; i < len;) {
        size_t seq = scw_json_utf8_seq(u + i, len - i);
        bool c1 = seq == 2 && u[i] == 0xc2 && u[i + 1] < 0xa0;
        if (seq == 0 || c1 || u[i] < 0x20 || u[i] == 0x7f) {
            size_t n = c1 ? 2 : 1;
            for (size_t k = 0; k < n; k++) {
                char hex[8];
                /* Markdown eats one backslash: write two so "\x0a" shows */
                int h = snprintf(hex, sizeof(hex), "%s\\x%02x", e == SCW_ESC_MARKDOWN ? "\\" : "",
                                 u[i + k]);
                put(ctx, hex, (size_t)h);
            }
            i += n;
            continue;
        }
        const char *rep = NULL;
        if (seq == 1 && e == SCW_ESC_HTML)
            rep = html_entity(u[i]);
        else if (seq == 1 && e == SCW_ESC_MARKDOWN)
            rep = md_escape(u[i]);
        if (rep)
            put(ctx, rep, strlen(rep));
        else
            put(ctx, (const char *)u + i, seq);
        i += seq;
    }
}

static void put_file(void *ctx, const char *s, size_t n)
{
    fwrite(s, 1, n, ctx);
}

void scw_esc_put(FILE *out, enum scw_esc e, const char *s)
{
    escape(e, s, put_file, out);
}

struct sbuf {
    char *buf;
    size_t cap, len;
    bool full;
};

static void put_buf(void *ctx, const char *s, size_t n)
{
    struct sbuf *b = ctx;
    if (b->full || b->len + n + 1 > b->cap) {
        b->full = true; /* whole pieces only: never half a character or entity */
        return;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
}

size_t scw_esc_str(enum scw_esc e, const char *s, char *buf, size_t cap)
{
    if (cap == 0)
        return 0;
    struct sbuf b = {buf, cap, 0, false};
    escape(e, s, put_buf, &b);
    buf[b.len] = '\0';
    return b.len;
}

bool scw_esc_is_hex(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return false;
    return true;
}

void scw_esc_container_id(FILE *out, enum scw_esc e, const char *id)
{
    if (scw_esc_is_hex(id) && strlen(id) > 12)
        fprintf(out, "%.12s", id); /* hex: nothing to escape */
    else
        scw_esc_put(out, e, id);
}

void scw_esc_workload(FILE *out, enum scw_esc e, const struct scw_workload *w)
{
    const struct scw_container *c = w->container;
    if (!c) {
        scw_esc_put(out, e, strncmp(w->key, "exe:", 4) == 0 ? w->key + 4 : w->key);
        return;
    }
    scw_esc_put(out, e, c->runtime ? c->runtime : "container");
    if (c->name) {
        fputc(' ', out);
        scw_esc_put(out, e, c->name);
    }
    if (c->id) {
        fputs(c->name ? " (" : " ", out);
        scw_esc_container_id(out, e, c->id);
        if (c->name)
            fputc(')', out);
    }
    if (!c->name && !c->id) {
        fputc(' ', out);
        scw_esc_put(out, e, w->key);
    }
}
