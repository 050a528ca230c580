/*
 * profile_write: a profile's document as text. Stable, readable JSON (2-space indent, keys in
 * the order read, UTF-8 kept, a trailing newline): loading that text and dumping it again
 * gives the same bytes. For derived profiles, the two steps after editing a copy of the
 * document: putting a new member at a stable place among its siblings, and reading the edited
 * document back from its text (so a derived profile is exactly what a later read gives).
 *
 * It decides no edit (profile_edit.c) and reads nothing itself (profile_read.c does). Called
 * by the cli's profile commands (dump), by profile_edit.c and by tests.
 */
#include "profile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "profile_impl.h"

static int dump_json(const json_t *v, char **ret_text, size_t *ret_len)
{
    char *s = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!s)
        return -ENOMEM;
    size_t n = strlen(s);
    char *t = malloc(n + 2);
    if (!t) {
        free(s);
        return -ENOMEM;
    }
    memcpy(t, s, n);
    free(s);
    t[n] = '\n';
    t[n + 1] = '\0';
    *ret_text = t;
    if (ret_len)
        *ret_len = n + 1;
    return 0;
}

int scw_profile_dump(const struct scw_profile *p, bool seccomp_only, char **ret_text,
                     size_t *ret_len)
{
    if (!p || !ret_text)
        return -EINVAL;
    return dump_json(seccomp_only ? p->sc : p->doc, ret_text, ret_len);
}

int scw_profile_write(const struct scw_profile *p, bool seccomp_only, FILE *out)
{
    char *text;
    size_t len;
    int rc = scw_profile_dump(p, seccomp_only, &text, &len);
    if (rc < 0)
        return rc;
    if (fwrite(text, 1, len, out) != len)
        rc = -EIO;
    free(text);
    return rc;
}

/* ---- derived profiles: put members in stable places, write the document, read it back ---- */

int profile_object_put_after(json_t *obj, const char *key, json_t *value, const char *const *after,
                             size_t n_after)
{
    if (!value)
        return -ENOMEM;
    if (json_object_get(obj, key))
        return json_object_set_new(obj, key, value) < 0 ? -ENOMEM : 0;
    size_t idx = 0, pos = 0; /* insert before the member at pos */
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        idx++;
        for (size_t i = 0; i < n_after; i++)
            if (strcmp(k, after[i]) == 0)
                pos = idx;
    }
    json_t *copy = json_object();
    if (!copy) {
        json_decref(value);
        return -ENOMEM;
    }
    int rc = 0;
    idx = 0;
    if (pos == 0)
        rc |= json_object_set(copy, key, value);
    json_object_foreach(obj, k, v)
    {
        rc |= json_object_set(copy, k, v);
        if (++idx == pos)
            rc |= json_object_set(copy, key, value);
    }
    json_decref(value);
    if (rc == 0) {
        json_object_clear(obj);
        rc = json_object_update(obj, copy);
    }
    json_decref(copy);
    return rc < 0 ? -ENOMEM : 0;
}

int profile_reload(const struct scw_profile *p, json_t *doc, struct scw_profile **ret)
{
    char *text;
    size_t len;
    int rc = dump_json(doc, &text, &len);
    json_decref(doc);
    if (rc < 0)
        return rc;
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    rc = scw_profile_load(p->source, text, len, ret, &d);
    scw_profile_diags_free(&d);
    free(text);
    return rc;
}
