/*
 * runtime_support: facts about which runtime takes which seccomp profile feature (see
 * runtime_support.h). Each entry says where the fact comes from; versions compare numerically
 * on their leading X.Y.Z, distribution suffixes ("+ds1", "+dfsg1") ignored. Called by
 * cmd_check (what the host's runtimes do) and cmd_profile (logify's warning).
 */
#include "runtime_support.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const support_names[SCW_FLAGS_MAX] = {"accepts", "refuses", "drops", "unknown"};

const char *scw_flags_support_name(enum scw_flags_support s)
{
    return s >= 0 && s < SCW_FLAGS_MAX ? support_names[s] : NULL;
}

/* The leading X[.Y[.Z]] of a version, as three numbers; false when it starts with no digit. */
static bool parse_version(const char *v, unsigned ret[3])
{
    ret[0] = ret[1] = ret[2] = 0;
    if (!v || !(*v >= '0' && *v <= '9'))
        return false;
    for (int i = 0; i < 3; i++) {
        char *end;
        unsigned long n = strtoul(v, &end, 10);
        if (end == v || n > 1000000)
            return false;
        ret[i] = (unsigned)n;
        if (*end != '.' || !(end[1] >= '0' && end[1] <= '9'))
            break;
        v = end + 1;
    }
    return true;
}

static int version_cmp(const unsigned a[3], const unsigned b[3])
{
    for (int i = 0; i < 3; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

/*
 * The facts, oldest first per runtime: from version `since` on, `support`.
 *  - runc before 1.2.0 returns "seccomp flags are not yet supported by runc" from its spec
 *    conversion (seen here with Debian 12's runc 1.1.5 under Podman; runc 1.1.14 the same in
 *    public reports); 1.2.0 brought flags support.
 *  - crun passes flags to seccomp(2) (crun 1.8 in Debian 12).
 *  - dockerd 20.10 has no flags in its profile format: it starts the container without them
 *    (measured here: Docker 20.10.24, the container's config.json has no "flags").
 */
static const struct {
    const char *runtime, *since;
    enum scw_flags_support support;
    const char *why;
} facts[] = {
    {"runc", "0", SCW_FLAGS_REFUSES,
     "runc before 1.2.0 refuses linux.seccomp flags (\"seccomp flags are not yet supported by "
     "runc\"): the container does not start"},
    {"runc", "1.2.0", SCW_FLAGS_ACCEPTS, "runc 1.2.0 and later pass linux.seccomp flags on"},
    {"crun", "0", SCW_FLAGS_ACCEPTS, "crun passes linux.seccomp flags on"},
    {"docker", "0", SCW_FLAGS_DROPS,
     "dockerd 20.10 has no \"flags\" in its profile format and starts the container without "
     "them (measured with 20.10.24): explicit refusals are not logged"},
    {"docker", "21", SCW_FLAGS_UNKNOWN,
     "no measurement for this dockerd: run a logified profile and look for \"flags\" in the "
     "container's config.json"},
};

enum scw_flags_support scw_runtime_flags_support(const char *runtime, const char *version,
                                                 char *why, size_t why_size)
{
    unsigned v[3], since[3];
    int best = -1;
    bool known_version = parse_version(version, v);
    for (size_t i = 0; runtime && i < sizeof(facts) / sizeof(facts[0]); i++) {
        if (strcasecmp(facts[i].runtime, runtime) != 0 || !parse_version(facts[i].since, since))
            continue;
        if (!known_version || version_cmp(v, since) >= 0)
            best = (int)i;
        if (!known_version)
            break; /* no version: only the runtime's first fact is safe to name */
    }
    if (best < 0 || !known_version) {
        if (why)
            snprintf(why, why_size, "no fact for %s %s", runtime ? runtime : "(none)",
                     version && *version ? version : "(version unknown)");
        return SCW_FLAGS_UNKNOWN;
    }
    if (why)
        snprintf(why, why_size, "%s", facts[best].why);
    return facts[best].support;
}

int scw_runtime_version_from(const char *runtime, const char *text, char *ret, size_t size)
{
    size_t rl = strlen(runtime);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncasecmp(p, runtime, rl) != 0 || strncmp(p + rl, " version ", 9) != 0)
            continue;
        const char *v = p + rl + 9;
        size_t n = strcspn(v, " ,\n\t");
        if (n == 0 || n >= size)
            return -ENOENT;
        memcpy(ret, v, n);
        ret[n] = '\0';
        return 0;
    }
    return -ENOENT;
}
