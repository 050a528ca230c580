/*
 * profile_compare: whether a container runs what the team's profile file would give it. The
 * runtime's copy of a profile is already resolved (Docker and the CRI runtimes evaluate archMap
 * and includes/excludes for the host, the container's capabilities and the kernel); the team's
 * file is resolved here the same way and the two are compared call by call: every syscall
 * either names, on every architecture of the filter. Log-only staging is not a difference: an
 * SCMP_ACT_LOG action (default or entry) counts as the refusal it stands in for. Pure; called
 * by propose.c (stale deploys, wrong files).
 */
#ifndef SCW_PROFILE_COMPARE_H
#define SCW_PROFILE_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

#define SCW_PROFILE_COMPARE_EXAMPLES 4

struct scw_profile_difference {
    uint32_t arch;       /* libseccomp token */
    const char *syscall; /* borrowed from one of the profiles */
    enum scw_profile_verdict want, runs;
};

struct scw_profile_comparison {
    size_t n_differences; /* (architecture, syscall) pairs whose verdicts differ */
    struct scw_profile_difference examples[SCW_PROFILE_COMPARE_EXAMPLES]; /* the first ones */
    size_t n_examples;
    bool arches_differ;   /* the filters cover different architectures */
    bool default_differs; /* one default lets calls run, the other refuses */
    bool runs_log_only;   /* the running profile is log-only (staging) */
};

/* Whether the comparison found nothing: the container runs what want gives it. */
bool scw_profile_comparison_same(const struct scw_profile_comparison *c);

/*
 * Compare want (the team's file, any form) with runs (the runtime's resolved copy) for host
 * (caps, kernel; native 0: the first architecture runs lists, else this machine's). Both must
 * be free of errors (scw_profile_ok). Returns 0, -EINVAL, -ENOMEM.
 */
int scw_profile_compare(const struct scw_profile *want, const struct scw_profile *runs,
                        const struct scw_profile_host *host, struct scw_profile_comparison *ret);

/*
 * The capability bounding set an OCI config.json gives its process
 * (process.capabilities.bounding): *ret is a malloc'd array of pointers owned by p (free() the
 * array). Returns the count, -ENOENT when p has none (a Docker profile, a copy without it), or
 * -ENOMEM.
 */
int scw_profile_bounding_caps(const struct scw_profile *p, const char ***ret);

#endif
