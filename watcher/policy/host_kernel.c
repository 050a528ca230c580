/*
 * host_kernel: the upstream version behind a distribution's kernel release name (see
 * host_kernel.h).
 */
#include "host_kernel.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#define VERSION_MAX 64

/* A version token at s: a digit, then version characters, up to VERSION_MAX; its length or 0. */
static size_t version_token(const char *s)
{
    if (!s || *s < '0' || *s > '9')
        return 0;
    size_t n = strspn(s, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.+~-_");
    return n <= VERSION_MAX && (s[n] == '\0' || s[n] == ' ' || s[n] == '\n' || s[n] == '\t') ? n
                                                                                             : 0;
}

/* Debian: "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)". */
static const char *debian_version(const char *version, size_t *len)
{
    for (const char *p = version; p && (p = strstr(p, "Debian ")); p++) {
        if ((*len = version_token(p + 7)))
            return p + 7;
    }
    return NULL;
}

/* Ubuntu: "Ubuntu 5.15.0-91.101-generic 5.15.131\n": the last of three words. */
static const char *ubuntu_version(const char *signature, size_t *len)
{
    if (!signature || strncmp(signature, "Ubuntu ", 7) != 0)
        return NULL;
    size_t n = strcspn(signature, "\n");
    while (n && (signature[n - 1] == ' ' || signature[n - 1] == '\t'))
        n--;
    size_t start = n;
    while (start && signature[start - 1] != ' ')
        start--;
    if (start <= 7 || strspn(signature + 7, " \t") >= start - 7)
        return NULL; /* "Ubuntu ABI-FLAVOUR VERSION": the ABI word is missing */
    *len = version_token(signature + start);
    return *len && *len == n - start ? signature + start : NULL;
}

const char *scw_host_kernel_from(const char *release, const char *version, const char *signature,
                                 char *buf, size_t size)
{
    size_t len = 0;
    const char *v;
    if ((v = ubuntu_version(signature, &len))) {
        snprintf(buf, size, "%.*s", (int)len, v);
        return "Ubuntu (/proc/version_signature)";
    }
    if ((v = debian_version(version, &len))) {
        snprintf(buf, size, "%.*s", (int)len, v);
        return "Debian (uname -v)";
    }
    snprintf(buf, size, "%s", release ? release : "");
    return "uname -r";
}

const char *scw_host_kernel(char *buf, size_t size)
{
    struct utsname u;
    if (uname(&u) < 0) {
        snprintf(buf, size, "%s", "");
        return "uname -r";
    }
    char sig[256];
    bool have_sig = false;
    FILE *f = fopen("/proc/version_signature", "re");
    if (f) {
        have_sig = fgets(sig, sizeof(sig), f) != NULL;
        fclose(f);
    }
    return scw_host_kernel_from(u.release, u.version, have_sig ? sig : NULL, buf, size);
}
