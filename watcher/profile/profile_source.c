/*
 * profile_source: the tuned profile as an edit of the team's own file, so that `git diff`
 * against it shows the change and nothing else. scw_profile_tune decides what changes; this
 * file compares the seccomp object of the original with the tuned one, member by member, and
 * turns each difference into a text edit at the byte spans jsonpos found: the new syscalls[]
 * elements inserted before the closing bracket, a changed member replaced in place, removed
 * members cut with their comma, new members inserted after the member they follow. What it
 * writes takes the file's style: its indent unit (tabs or N spaces, read from the existing
 * lines), its line endings, jansson's layout otherwise (one element per line, `"key": value`).
 * The spliced text is parsed again and must give the tuned document, key order included;
 * when a difference cannot be placed or that check fails, the canonical text is returned and
 * *ret_reformatted says so. Never a wrong document.
 *
 * It decides no change (profile_edit.c does) and writes no file. Called by the cli's profile
 * tune and proposal outputs, and by tests.
 */
#include "profile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "profile_impl.h"

#define MAX_MEMBERS 256 /* members of a seccomp object we edit in place (more: canonical) */

/* A growing text; nomem once an append failed (the rest are dropped). */
struct buf {
    char *s;
    size_t len, cap;
    bool nomem;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->nomem)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->nomem = true;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

/* Replace text[start, end) with text (owned). */
struct edit {
    size_t start, end;
    char *text;
    size_t len;
    size_t seq; /* insertions at one place keep the order they were made in */
};

/* An indentation: base, then level times the unit. */
struct indent {
    const char *base; /* borrowed from the text */
    size_t base_len;
    unsigned level;
};

struct splice {
    const char *text;
    size_t len;
    const char *nl;    /* "\n" or "\r\n", as the file ends its lines */
    bool compact;      /* members share lines: insert without line breaks */
    struct indent pfx; /* the seccomp object's members */
    const char *unit;  /* one level of indentation (borrowed from the text, or static) */
    size_t unit_len;
    struct edit *edits;
    size_t n, cap;
    bool nomem;
};

/* Whether text[line start, pos) is only blanks; *ret_start is where the line starts. */
static bool blank_prefix(const char *text, size_t pos, size_t *ret_start)
{
    size_t s = pos;
    while (s > 0 && text[s - 1] != '\n')
        s--;
    *ret_start = s;
    for (size_t i = s; i < pos; i++)
        if (text[i] != ' ' && text[i] != '\t')
            return false;
    return true;
}

static void put_indent(const struct splice *sp, struct buf *b, struct indent in)
{
    buf_add(b, in.base, in.base_len);
    for (unsigned i = 0; i < in.level; i++)
        buf_add(b, sp->unit, sp->unit_len);
}

static struct indent deeper(struct indent in)
{
    in.level++;
    return in;
}

static void put_dumped(struct buf *b, const json_t *v, size_t flags)
{
    char *s = json_dumps(v, flags | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
    if (!s) {
        b->nomem = true;
        return;
    }
    buf_str(b, s);
    free(s);
}

static void put_key(struct buf *b, const char *key)
{
    json_t *k = json_string(key);
    if (!k) {
        b->nomem = true;
        return;
    }
    put_dumped(b, k, 0);
    json_decref(k);
}

/* v as jansson's indented output lays it out, opened at the current column, closed at in. */
static void render(const struct splice *sp, struct buf *b, const json_t *v, struct indent in)
{
    if (sp->compact) {
        put_dumped(b, v, JSON_COMPACT);
        return;
    }
    bool obj = json_is_object(v);
    size_t n = obj ? json_object_size(v) : json_is_array(v) ? json_array_size(v) : 0;
    if (n == 0) { /* scalars, {} and [] */
        put_dumped(b, v, 0);
        return;
    }
    buf_str(b, obj ? "{" : "[");
    size_t i = 0;
    if (obj) {
        const char *k;
        const json_t *m;
        json_object_foreach((json_t *)v, k, m)
        {
            buf_str(b, i++ ? "," : "");
            buf_str(b, sp->nl);
            put_indent(sp, b, deeper(in));
            put_key(b, k);
            buf_str(b, ": ");
            render(sp, b, m, deeper(in));
        }
    } else {
        const json_t *m;
        json_array_foreach(v, i, m)
        {
            buf_str(b, i ? "," : "");
            buf_str(b, sp->nl);
            put_indent(sp, b, deeper(in));
            render(sp, b, m, deeper(in));
        }
    }
    buf_str(b, sp->nl);
    put_indent(sp, b, in);
    buf_str(b, obj ? "}" : "]");
}

/* A member of the seccomp object, starting with its line break: `NL  "key": value`. */
static void render_member(const struct splice *sp, struct buf *b, const char *key, const json_t *v)
{
    if (!sp->compact) {
        buf_str(b, sp->nl);
        put_indent(sp, b, sp->pfx);
    }
    put_key(b, key);
    buf_str(b, sp->compact ? ":" : ": ");
    render(sp, b, v, sp->pfx);
}

/* Queue an edit taking b's text (an empty b cuts). */
static void add_edit(struct splice *sp, size_t start, size_t end, struct buf *b)
{
    if (b->nomem || sp->nomem) {
        sp->nomem = true;
        free(b->s);
        return;
    }
    if (sp->n == sp->cap) {
        size_t cap = sp->cap ? sp->cap * 2 : 16;
        struct edit *ne = realloc(sp->edits, cap * sizeof(*ne));
        if (!ne) {
            sp->nomem = true;
            free(b->s);
            return;
        }
        sp->edits = ne;
        sp->cap = cap;
    }
    sp->edits[sp->n] =
        (struct edit){.start = start, .end = end, .text = b->s, .len = b->len, .seq = sp->n};
    sp->n++;
}

static int cmp_edits(const void *a, const void *b)
{
    const struct edit *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The text with the edits made: 0, 1 when two edits overlap, -ENOMEM. */
static int apply(struct splice *sp, char **ret, size_t *ret_len)
{
    if (sp->n)
        qsort(sp->edits, sp->n, sizeof(*sp->edits), cmp_edits);
    struct buf out = {0};
    size_t cur = 0;
    for (size_t i = 0; i < sp->n; i++) {
        const struct edit *e = &sp->edits[i];
        if (e->start < cur || e->end < e->start || e->end > sp->len) {
            free(out.s);
            return 1;
        }
        buf_add(&out, sp->text + cur, e->start - cur);
        buf_add(&out, e->text ? e->text : "", e->len);
        cur = e->end;
    }
    buf_add(&out, sp->text + cur, sp->len - cur);
    if (!out.s && !out.nomem)
        buf_add(&out, "", 0);
    if (out.nomem) {
        free(out.s);
        return -ENOMEM;
    }
    *ret = out.s;
    *ret_len = out.len;
    return 0;
}

/*
 * syscalls (at path, span sp_arr) grew from o to t by elements appended: insert them before
 * the closing bracket, indented like the last element. False when t is not o plus elements.
 */
static bool append_elements(struct splice *sp, const struct scw_jsonpos *pos,
                            const struct scw_jsonpath *path, size_t n_path,
                            const struct scw_jsonspan *arr, const json_t *o, const json_t *t)
{
    size_t on = json_array_size(o), tn = json_array_size(t);
    if (!json_is_array(o) || !json_is_array(t) || tn <= on || arr->count != on ||
        sp->text[arr->start] != '[')
        return false;
    for (size_t i = 0; i < on; i++)
        if (!json_equal(json_array_get(o, i), json_array_get(t, i)))
            return false;
    struct buf b = {0};
    if (on == 0) { /* `[]` (or blanks inside): the elements on lines of their own */
        for (size_t i = 0; i < tn; i++) {
            buf_str(&b, i ? "," : "");
            if (!sp->compact) {
                buf_str(&b, sp->nl);
                put_indent(sp, &b, deeper(sp->pfx));
            }
            render(sp, &b, json_array_get(t, i), deeper(sp->pfx));
        }
        if (!sp->compact) {
            buf_str(&b, sp->nl);
            put_indent(sp, &b, sp->pfx);
        }
        add_edit(sp, arr->start + 1, arr->end - 1, &b);
        return true;
    }
    struct scw_jsonspan last;
    if (!scw_jsonpos_child(pos, path, n_path, on - 1, &last))
        return false;
    size_t line;
    struct indent in = deeper(sp->pfx);
    if (!sp->compact && blank_prefix(sp->text, last.start, &line))
        in = (struct indent){.base = sp->text + line, .base_len = last.start - line};
    for (size_t i = on; i < tn; i++) {
        buf_str(&b, ",");
        if (!sp->compact) {
            buf_str(&b, sp->nl);
            put_indent(sp, &b, in);
        }
        render(sp, &b, json_array_get(t, i), in);
    }
    add_edit(sp, last.end, last.end, &b);
    return true;
}

/* The file's style: line ending, the members' indentation and the indent unit. */
static bool detect_style(struct splice *sp, const struct scw_jsonspan *obj,
                         const struct scw_jsonspan *first, const struct scw_jsonspan *calls,
                         const struct scw_jsonspan *last_call)
{
    const char *lf = memchr(sp->text, '\n', sp->len);
    sp->nl = lf && lf > sp->text && lf[-1] == '\r' ? "\r\n" : "\n";
    size_t line;
    if (!blank_prefix(sp->text, first->key_start, &line)) {
        sp->compact = true;
        return true;
    }
    sp->pfx = (struct indent){.base = sp->text + line, .base_len = first->key_start - line};
    /* The unit: a syscalls element against its key's line, else a member against the line
     * the object opens on, else a guess from the members' indentation. */
    size_t kline, eline;
    if (calls && last_call && blank_prefix(sp->text, calls->key_start, &kline) &&
        blank_prefix(sp->text, last_call->start, &eline)) {
        size_t klen = calls->key_start - kline, elen = last_call->start - eline;
        if (elen > klen && memcmp(sp->text + kline, sp->text + eline, klen) == 0) {
            sp->unit = sp->text + eline + klen;
            sp->unit_len = elen - klen;
            return true;
        }
    }
    size_t oline;
    blank_prefix(sp->text, obj->start, &oline);
    size_t olen = 0;
    while (oline + olen < obj->start &&
           (sp->text[oline + olen] == ' ' || sp->text[oline + olen] == '\t'))
        olen++;
    if (sp->pfx.base_len > olen && memcmp(sp->pfx.base, sp->text + oline, olen) == 0) {
        sp->unit = sp->pfx.base + olen;
        sp->unit_len = sp->pfx.base_len - olen;
    } else {
        sp->unit = memchr(sp->pfx.base, '\t', sp->pfx.base_len) ? "\t" : "  ";
        sp->unit_len = strlen(sp->unit);
    }
    return true;
}

struct members {
    const char *keys[MAX_MEMBERS];
    struct scw_jsonspan spans[MAX_MEMBERS];
    size_t n;
};

/* The seccomp object's members in text order, each paired with its key (false: cannot). */
static bool read_members(const struct scw_profile *p, struct scw_jsonpath *path,
                         const struct scw_jsonspan *obj, struct members *m)
{
    if (obj->count != json_object_size(p->sc) || obj->count > MAX_MEMBERS)
        return false; /* duplicate keys, or too many */
    const char *k;
    json_t *v;
    m->n = 0;
    json_object_foreach(p->sc, k, v)
    {
        struct scw_jsonspan byidx, bykey;
        path[p->n_base] = (struct scw_jsonpath){.key = k};
        if (!scw_jsonpos_child(p->pos, path, p->n_base, m->n, &byidx) ||
            !scw_jsonpos_span(p->pos, path, p->n_base + 1, &bykey) || byidx.start != bykey.start)
            return false;
        m->keys[m->n] = k;
        m->spans[m->n++] = byidx;
    }
    return true;
}

/* Whether the members both objects have come in the same order in both. */
static bool same_order(const json_t *o, const json_t *t)
{
    void *io = json_object_iter((json_t *)o), *it = json_object_iter((json_t *)t);
    for (;;) {
        while (io && !json_object_get(t, json_object_iter_key(io)))
            io = json_object_iter_next((json_t *)o, io);
        while (it && !json_object_get(o, json_object_iter_key(it)))
            it = json_object_iter_next((json_t *)t, it);
        if (!io || !it)
            return !io && !it;
        if (strcmp(json_object_iter_key(io), json_object_iter_key(it)) != 0)
            return false;
        io = json_object_iter_next((json_t *)o, io);
        it = json_object_iter_next((json_t *)t, it);
    }
}

/* Cut the runs of members t no longer has, each with its comma. False: all of them go. */
static bool cut_removed(struct splice *sp, const struct members *m, const json_t *t)
{
    for (size_t i = 0; i < m->n;) {
        if (json_object_get(t, m->keys[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < m->n && !json_object_get(t, m->keys[j + 1]))
            j++;
        struct buf none = {0};
        if (j + 1 < m->n)
            add_edit(sp, m->spans[i].key_start, m->spans[j + 1].key_start, &none);
        else if (i > 0)
            add_edit(sp, m->spans[i - 1].end, m->spans[j].end, &none);
        else
            return false;
        i = j + 1;
    }
    return true;
}

/* Insert the members only t has, after the member each follows in t. */
static bool insert_added(struct splice *sp, const struct members *m, const json_t *o,
                         const json_t *t, const struct scw_jsonspan *obj)
{
    long anchor = -1; /* index in m of the last member of t seen that o has */
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)t, k, v)
    {
        if (json_object_get(o, k)) {
            for (size_t i = 0; i < m->n; i++)
                if (strcmp(m->keys[i], k) == 0)
                    anchor = (long)i;
            continue;
        }
        struct buf b = {0};
        if (anchor >= 0) {
            buf_str(&b, ",");
            render_member(sp, &b, k, v);
            add_edit(sp, m->spans[anchor].end, m->spans[anchor].end, &b);
        } else {
            bool kept = false; /* a member of o after it, to put a comma before */
            for (size_t i = 0; i < m->n; i++)
                kept |= json_object_get(t, m->keys[i]) != NULL;
            if (!kept)
                return false;
            render_member(sp, &b, k, v);
            buf_str(&b, ",");
            add_edit(sp, obj->start + 1, obj->start + 1, &b);
        }
    }
    return true;
}

/*
 * The tuned document as edits of p's text into *ret: 0, 1 when the edits cannot be made or
 * their result is not the tuned document (the caller writes the canonical text), -ENOMEM.
 */
static int splice_tuned(const struct scw_profile *p, const struct scw_profile *tuned, char **ret,
                        size_t *ret_len)
{
    struct scw_jsonpath path[PROFILE_MAX_PATH];
    struct scw_jsonspan obj, calls, last_call;
    if (!p->pos || p->n_base + 2 > PROFILE_MAX_PATH ||
        !scw_jsonpos_span(p->pos, p->base, p->n_base, &obj) || p->text[obj.start] != '{' ||
        obj.count == 0 || json_object_size(tuned->sc) > MAX_MEMBERS)
        return 1;
    memcpy(path, p->base, p->n_base * sizeof(*path));
    struct members *m = malloc(sizeof(*m));
    if (!m)
        return -ENOMEM;
    struct splice sp = {.text = p->text, .len = p->len};
    int rc = 1;
    path[p->n_base] = (struct scw_jsonpath){.key = "syscalls"};
    bool have_calls = scw_jsonpos_span(p->pos, path, p->n_base + 1, &calls);
    bool have_last = have_calls && calls.count &&
                     scw_jsonpos_child(p->pos, path, p->n_base + 1, calls.count - 1, &last_call);
    if (!read_members(p, path, &obj, m) || !same_order(p->sc, tuned->sc) ||
        !detect_style(&sp, &obj, &m->spans[0], have_calls ? &calls : NULL,
                      have_last ? &last_call : NULL) ||
        !cut_removed(&sp, m, tuned->sc) || !insert_added(&sp, m, p->sc, tuned->sc, &obj))
        goto out;
    for (size_t i = 0; i < m->n; i++) {
        const json_t *o = json_object_get(p->sc, m->keys[i]);
        const json_t *t = json_object_get(tuned->sc, m->keys[i]);
        if (!t || json_equal(o, t))
            continue;
        path[p->n_base] = (struct scw_jsonpath){.key = m->keys[i]};
        if (strcmp(m->keys[i], "syscalls") == 0 &&
            append_elements(&sp, p->pos, path, p->n_base + 1, &m->spans[i], o, t))
            continue;
        struct buf b = {0};
        render(&sp, &b, t, sp.pfx);
        add_edit(&sp, m->spans[i].start, m->spans[i].end, &b);
    }
    rc = sp.nomem ? -ENOMEM : apply(&sp, ret, ret_len);
out:
    for (size_t i = 0; i < sp.n; i++)
        free(sp.edits[i].text);
    free(sp.edits);
    free(m);
    return rc;
}

/* Whether text is the tuned document: same values, same key order. 0, 1 (no), -ENOMEM. */
static int verify(const struct scw_profile *tuned, const char *text, size_t len)
{
    if (len > SCW_PROFILE_MAX_BYTES)
        return 1;
    json_error_t err;
    json_t *got = json_loadb(text, len, 0, &err);
    if (!got)
        return 1;
    int rc = 1;
    if (json_equal(got, tuned->doc)) {
        char *a = json_dumps(got, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        char *b = json_dumps(tuned->doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        rc = !a || !b ? -ENOMEM : strcmp(a, b) == 0 ? 0 : 1;
        free(a);
        free(b);
    }
    json_decref(got);
    return rc;
}

int scw_profile_tune_source(const struct scw_profile *p, const struct scw_profile_tune *t,
                            char **ret_text, size_t *ret_len, bool *ret_reformatted,
                            struct scw_profile_changes *ret_changes,
                            struct scw_profile_diags *diags)
{
    if (!p || !t || !ret_text)
        return -EINVAL;
    struct scw_profile *tuned = NULL;
    struct scw_profile_changes ch;
    int rc = scw_profile_tune(p, t, &tuned, &ch, diags);
    if (rc < 0)
        return rc;
    char *text = NULL;
    size_t len = 0;
    rc = splice_tuned(p, tuned, &text, &len);
    if (rc == 0) {
        rc = verify(tuned, text, len);
        if (rc != 0) {
            free(text);
            text = NULL;
        }
    }
    bool reformatted = rc == 1;
    if (reformatted)
        rc = scw_profile_dump(tuned, false, &text, &len);
    scw_profile_free(tuned);
    if (rc < 0)
        return rc;
    *ret_text = text;
    if (ret_len)
        *ret_len = len;
    if (ret_reformatted)
        *ret_reformatted = reformatted;
    if (ret_changes)
        *ret_changes = ch;
    return 0;
}

const char *scw_profile_text(const struct scw_profile *p, size_t *ret_len)
{
    if (ret_len)
        *ret_len = p ? p->len : 0;
    return p ? p->text : NULL;
}
