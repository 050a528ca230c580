/*
 * seccompprofile_yaml: the SeccompProfile document (see seccompprofile.h): its metadata.name,
 * and the document as block-style YAML: the header comment, apiVersion, kind, metadata and the
 * spec the conversion built, with each syscalls[] item under the comment lines that explain it.
 * Strings are plain only when they read back as the same string in YAML 1.1 and 1.2, else
 * double-quoted (yaml_tree.h).
 */
#include "seccompprofile.h"
#include "seccompprofile_impl.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "yaml_tree.h"

int scw_seccompprofile_name(const char *group, char *ret_name, size_t size)
{
    if (!group || !ret_name || size < SCW_SECCOMPPROFILE_NAME_MAX + 1)
        return -EINVAL;
    char base[SCW_SECCOMPPROFILE_NAME_MAX + 1];
    size_t n = 0;
    bool dash = false, cut = false;
    uint32_t hash = 2166136261u; /* FNV-1a, 32 bits, of the whole group name */
    for (const unsigned char *p = (const unsigned char *)group; *p; p++)
        hash = (hash ^ *p) * 16777619u;
    for (const unsigned char *p = (const unsigned char *)group; *p; p++) {
        unsigned char ch = *p >= 'A' && *p <= 'Z' ? (unsigned char)(*p - 'A' + 'a') : *p;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))) {
            dash = n > 0; /* a run of anything else: one '-', none at the start */
            continue;
        }
        if (n + (dash ? 2 : 1) > SCW_SECCOMPPROFILE_NAME_MAX) {
            cut = true;
            break;
        }
        if (dash)
            base[n++] = '-';
        dash = false;
        base[n++] = (char)ch;
    }
    base[n] = '\0';
    if (!cut && n > 0 && strcmp(base, group) == 0) {
        memcpy(ret_name, base, n + 1);
        return (int)n;
    }
    size_t keep = n < SCW_SECCOMPPROFILE_NAME_MAX - 9 ? n : SCW_SECCOMPPROFILE_NAME_MAX - 9;
    while (keep > 0 && base[keep - 1] == '-')
        keep--;
    if (keep)
        return snprintf(ret_name, size, "%.*s-%08x", (int)keep, base, (unsigned)hash);
    return snprintf(ret_name, size, "scmpwatch-%08x", (unsigned)hash);
}

/* Whether s can be written as a plain scalar that reads back as that string in YAML 1.1 and
 * 1.2 (no number, boolean or null look-alike, no indicator character). */
static bool plain_ok(const char *s)
{
    static const char *const words[] = {"y",   "n",    "yes",   "no",   "on",
                                        "off", "true", "false", "null", NULL};
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' || *s == '/'))
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("_./-", *p)))
            return false;
    for (size_t i = 0; words[i]; i++)
        if (strcasecmp(s, words[i]) == 0)
            return false;
    return true;
}

static int put_string(FILE *out, const char *s)
{
    if (!plain_ok(s))
        return scw_yaml_put_quoted(out, s);
    fputs(s, out);
    return 0;
}

static int put_scalar(FILE *out, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        return put_string(out, json_string_value(v));
    case JSON_INTEGER:
        fprintf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return 0;
    case JSON_REAL:
        fprintf(out, "%.17g", json_real_value(v));
        return 0;
    case JSON_TRUE:
        fputs("true", out);
        return 0;
    case JSON_FALSE:
        fputs("false", out);
        return 0;
    case JSON_NULL:
        fputs("null", out);
        return 0;
    case JSON_OBJECT:
    case JSON_ARRAY:
        break;
    }
    return -EINVAL;
}

static void put_comments(FILE *out, unsigned ind, const struct seccompprofile_lines *l)
{
    for (size_t i = 0; l && i < l->n; i++) {
        fprintf(out, "%*s# ", (int)ind, "");
        scw_yaml_put_comment_text(out, l->v[i]);
        fputc('\n', out);
    }
}

static int put_map(FILE *out, const json_t *obj, unsigned ind, bool first_inline,
                   const struct seccompprofile_doc *c);

static int put_seq(FILE *out, const json_t *arr, unsigned ind, const struct seccompprofile_doc *c)
{
    size_t i;
    json_t *v;
    int rc = 0;
    json_array_foreach(arr, i, v)
    {
        if (c && i < c->n_before)
            put_comments(out, ind, &c->before[i]);
        fprintf(out, "%*s- ", (int)ind, "");
        if (json_is_object(v) && json_object_size(v))
            rc = put_map(out, v, ind + 2, true, NULL);
        else if (json_is_object(v))
            fputs("{}\n", out);
        else if (json_is_array(v))
            rc = -EINVAL; /* a list in a list: the spec has none */
        else if ((rc = put_scalar(out, v)) == 0)
            fputc('\n', out);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* obj's members at indent ind (the first one on the current line when first_inline); c is
 * given for the spec, whose syscalls[] items get their comment lines. */
static int put_map(FILE *out, const json_t *obj, unsigned ind, bool first_inline,
                   const struct seccompprofile_doc *c)
{
    const char *key;
    json_t *v;
    bool first = true;
    int rc = 0;
    json_object_foreach((json_t *)obj, key, v)
    {
        if (!(first && first_inline))
            fprintf(out, "%*s", (int)ind, "");
        first = false;
        if ((rc = put_string(out, key)) < 0)
            return rc;
        fputc(':', out);
        bool calls = c && strcmp(key, "syscalls") == 0;
        if (json_is_array(v) && json_array_size(v)) {
            fputc('\n', out);
            rc = put_seq(out, v, ind, calls ? c : NULL);
            if (calls)
                put_comments(out, ind, &c->tail);
        } else if (json_is_object(v) && json_object_size(v)) {
            fputc('\n', out);
            rc = put_map(out, v, ind + 2, false, NULL);
        } else if (json_is_array(v) || json_is_object(v)) {
            fputs(json_is_array(v) ? " []\n" : " {}\n", out);
        } else {
            fputc(' ', out);
            if ((rc = put_scalar(out, v)) == 0)
                fputc('\n', out);
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

int seccompprofile_yaml_write(FILE *out, const struct seccompprofile_doc *d, const char *group,
                              const char *name, const char *source)
{
    fputs("# SeccompProfile of the scmpwatch profile group '", out);
    scw_yaml_put_comment_text(out, group);
    fputs("'", out);
    if (source) {
        fputs(", from ", out);
        scw_yaml_put_comment_text(out, source);
    }
    fputs(".\n# kubectl apply -f this file: the Security Profiles Operator installs it on every "
          "node and\n# names it in status.localhostProfile, for a pod's securityContext:\n"
          "#   seccompProfile: {type: Localhost, localhostProfile: <status.localhostProfile>}\n",
          out);
    if (d->target[0]) {
        fputs("# Resolved for ", out);
        scw_yaml_put_comment_text(out, d->target);
        fputs(".\n", out);
    }
    put_comments(out, 0, &d->head);
    fputs("apiVersion: " SCW_SECCOMPPROFILE_API_VERSION "\nkind: " SCW_SECCOMPPROFILE_KIND
          "\nmetadata:\n",
          out);
    fprintf(out, "  name: %s\n  annotations:\n    " SCW_SECCOMPPROFILE_GROUP_ANNOTATION ": ", name);
    int rc = scw_yaml_put_quoted(out, group);
    if (rc < 0)
        return rc;
    fputs("\nspec:\n", out);
    rc = put_map(out, d->spec, 2, false, d);
    return rc < 0 ? rc : ferror(out) ? -EIO : 0;
}
