/*
 * image_ref: container image references: their canonical form and when two of them name the
 * same image (the rule is in image_ref.h). Pure string work: no I/O, no allocation but the
 * returned copy. It does not read scanner reports or know about vulnerabilities (vulns*.c).
 * Callers: vulns.c and vulns_read.c (report names, IMAGE=PATH, a workload's image);
 * test_vulns and fuzz_vulns.
 */
#include "image_ref.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_lower_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool all_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_lower_hex(s[i]))
            return false;
    return true;
}

/* "algo:hex" with a lower-case algorithm and at least 32 hex digits. */
static bool valid_digest(const char *s, size_t n)
{
    const char *colon = memchr(s, ':', n);
    if (!colon || colon == s)
        return false;
    for (const char *p = s; p < colon; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '+' || *p == '.' ||
              *p == '_' || *p == '-'))
            return false;
    size_t hex = n - (size_t)(colon + 1 - s);
    return hex >= 32 && all_hex(colon + 1, hex);
}

static bool valid_tag(const char *s, size_t n)
{
    if (n == 0 || n > 128 || s[0] == '.' || s[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '.' || s[i] == '-'))
            return false;
    return true;
}

/* A registry host: letters, digits, '.', '-' and an optional ":port". */
static bool valid_domain(const char *s, size_t n)
{
    const char *colon = memchr(s, ':', n);
    size_t host = colon ? (size_t)(colon - s) : n;
    if (host == 0)
        return false;
    for (size_t i = 0; i < host; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '-'))
            return false;
    if (colon) {
        size_t port = n - host - 1;
        if (port == 0 || port > 5 || strspn(colon + 1, "0123456789") < port)
            return false;
    }
    return true;
}

/* Repository path components: lower-case letters, digits and the separators . _ - inside. */
static bool valid_path(const char *s, size_t n)
{
    size_t comp = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '/') {
            if (comp == 0 ||
                !((s[i - 1] >= 'a' && s[i - 1] <= 'z') || (s[i - 1] >= '0' && s[i - 1] <= '9')))
                return false;
            comp = 0;
            continue;
        }
        char c = s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (comp == 0 || (c != '.' && c != '_' && c != '-')))
            return false;
        comp++;
    }
    return true;
}

/* Canonical form into buf (see vulns.h); -EINVAL if ref is not a reference or buf too small. */
/* Canonical form into buf (see image_ref.h); -EINVAL if ref is not a reference or buf too small. */
int scw_image_ref_canon_into(const char *ref, char *buf, size_t size)
{
    size_t len = ref ? strlen(ref) : 0;
    if (len == 0 || len > SCW_IMAGE_REF_MAX)
        return -EINVAL;
    /* an image id alone: 64 hex digits, or algo:hex */
    if (len == 64 && all_hex(ref, len)) {
        int n = snprintf(buf, size, "sha256:%s", ref);
        for (char *p = buf + 7; *p; p++)
            if (*p >= 'A' && *p <= 'F')
                *p = (char)(*p - 'A' + 'a');
        return n > 0 && (size_t)n < size ? 0 : -EINVAL;
    }
    if (!strchr(ref, '/') && !strchr(ref, '@') && valid_digest(ref, len) &&
        (strncmp(ref, "sha256:", 7) == 0 || strncmp(ref, "sha512:", 7) == 0)) {
        if (len + 1 > size)
            return -EINVAL;
        for (size_t i = 0; i <= len; i++)
            buf[i] = (ref[i] >= 'A' && ref[i] <= 'F') ? (char)(ref[i] - 'A' + 'a') : ref[i];
        return 0;
    }
    const char *at = strchr(ref, '@');
    size_t name_len = at ? (size_t)(at - ref) : len;
    if (name_len == 0 || (at && !valid_digest(at + 1, len - name_len - 1)))
        return -EINVAL;
    /* the tag is after the last ':' that follows the last '/' */
    const char *slash = memrchr(ref, '/', name_len);
    const char *colon = memrchr(ref, ':', name_len);
    const char *tag = NULL;
    size_t tag_len = 0;
    if (colon && (!slash || colon > slash)) {
        tag = colon + 1;
        tag_len = name_len - (size_t)(tag - ref);
        name_len = (size_t)(colon - ref);
        if (!valid_tag(tag, tag_len))
            return -EINVAL;
    }
    const char *domain = "docker.io", *path = ref;
    size_t domain_len = 9, path_len = name_len;
    const char *first = memchr(ref, '/', name_len);
    if (first) {
        size_t fl = (size_t)(first - ref);
        bool is_domain = memchr(ref, '.', fl) || memchr(ref, ':', fl) ||
                         (fl == 9 && strncasecmp(ref, "localhost", 9) == 0);
        if (is_domain) {
            if (!valid_domain(ref, fl))
                return -EINVAL;
            /* registry hosts compare case-insensitively: "Docker.IO" is Docker Hub, and
             * the "library/" rule below must see it as such or canonical(x) would change
             * again when made canonical twice (fuzz_vulns, "doCker.io/argi22") */
            bool hub = (fl == 15 && strncasecmp(ref, "index.docker.io", 15) == 0) ||
                       (fl == 9 && strncasecmp(ref, "docker.io", 9) == 0);
            if (!hub) {
                domain = ref;
                domain_len = fl;
            }
            path = first + 1;
            path_len = name_len - fl - 1;
        }
    }
    if (!valid_path(path, path_len))
        return -EINVAL;
    bool library =
        domain_len == 9 && strncmp(domain, "docker.io", 9) == 0 && !memchr(path, '/', path_len);
    int n = snprintf(buf, size, "%.*s/%s%.*s%s%.*s%s%s", (int)domain_len, domain,
                     library ? "library/" : "", (int)path_len, path, tag || !at ? ":" : "",
                     (int)tag_len, tag ? tag : "", !tag && !at ? "latest" : "", at ? at : "");
    if (n < 0 || (size_t)n >= size || (size_t)n > SCW_IMAGE_REF_MAX)
        return -EINVAL; /* the canonical form is bounded too, so it is its own canonical form */
    for (size_t i = 0; i < domain_len; i++)
        if (buf[i] >= 'A' && buf[i] <= 'Z')
            buf[i] = (char)(buf[i] - 'A' + 'a');
    char *d = strchr(buf, '@');
    for (; d && *d; d++)
        if (*d >= 'A' && *d <= 'F')
            *d = (char)(*d - 'A' + 'a');
    return 0;
}

int scw_image_ref_canonical(const char *ref, char **ret)
{
    char buf[SCW_IMAGE_REF_CANON_SIZE];
    int rc = scw_image_ref_canon_into(ref, buf, sizeof(buf));
    if (rc < 0)
        return rc;
    char *s = strdup(buf);
    if (!s)
        return -ENOMEM;
    *ret = s;
    return 0;
}

/* Parts of a canonical reference: name (with no tag), tag, digest; lengths 0 when absent. */
struct ref_parts {
    const char *name, *tag, *digest;
    size_t name_len, tag_len;
};

static void split_canon(const char *c, struct ref_parts *p)
{
    memset(p, 0, sizeof(*p));
    if (!strchr(c, '/')) { /* an image id */
        p->digest = c;
        return;
    }
    const char *at = strchr(c, '@');
    size_t nl = at ? (size_t)(at - c) : strlen(c);
    p->digest = at ? at + 1 : NULL;
    const char *slash = memrchr(c, '/', nl);
    const char *colon = memrchr(c, ':', nl);
    p->name = c;
    p->name_len = nl;
    if (colon && colon > slash) {
        p->tag = colon + 1;
        p->tag_len = nl - (size_t)(colon + 1 - c);
        p->name_len = (size_t)(colon - c);
    }
}

bool scw_image_ref_canon_match(const char *a, const char *b)
{
    struct ref_parts x, y;
    split_canon(a, &x);
    split_canon(b, &y);
    if (x.digest && y.digest)
        return strcmp(x.digest, y.digest) == 0;
    if (!x.tag || !y.tag)
        return false;
    return x.name_len == y.name_len && memcmp(x.name, y.name, x.name_len) == 0 &&
           x.tag_len == y.tag_len && memcmp(x.tag, y.tag, x.tag_len) == 0;
}

bool scw_image_ref_match(const char *a, const char *b)
{
    char ca[SCW_IMAGE_REF_CANON_SIZE], cb[SCW_IMAGE_REF_CANON_SIZE];
    return scw_image_ref_canon_into(a, ca, sizeof(ca)) == 0 &&
           scw_image_ref_canon_into(b, cb, sizeof(cb)) == 0 && scw_image_ref_canon_match(ca, cb);
}
