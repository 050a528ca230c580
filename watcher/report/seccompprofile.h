/*
 * seccompprofile: one tuned seccomp profile (a Docker profile, or an OCI linux.seccomp, as
 * scw_profile_dump writes it) as the Security Profiles Operator's SeccompProfile object
 * (security-profiles-operator.x-k8s.io/v1beta1) in YAML, for `kubectl apply -f`. The operator
 * then installs it on every node and pods use it as a Localhost profile.
 *
 * The CRD is a flat OCI profile: spec.defaultAction, architectures, syscalls[{names, action,
 * errnoRet, args[{index, value, valueTwo, op}]}], flags, listenerPath, listenerMetadata. What it
 * cannot express is resolved the way Docker resolves it for one kind of node, or left out, and
 * each loss is both a YAML comment in the output and a warning for the caller:
 *   - archMap: the entry of the target architecture (architecture + subArchitectures);
 *   - includes/excludes (capabilities, architectures, minKernel): evaluated for the target by
 *     the profile module itself (scw_profile_query), the entry kept without its condition or
 *     left out;
 *   - comment: a YAML comment above the entry;
 *   - defaultErrnoRet other than EPERM, architectures and flags outside the CRD's enums,
 *     fields the CRD does not have: left out.
 * It does not read or write files and does not decide anything: callers pass the tuned
 * profile and print the warnings (scw_profile_diags_print). Called by the report stage's
 * callers (suggest --format seccompprofile) and tests/report/test_seccompprofile.c.
 */
#ifndef SCW_SECCOMPPROFILE_H
#define SCW_SECCOMPPROFILE_H

#include <jansson.h>
#include <stddef.h>

#include "profile.h"

#define SCW_SECCOMPPROFILE_API_VERSION "security-profiles-operator.x-k8s.io/v1beta1"
#define SCW_SECCOMPPROFILE_KIND        "SeccompProfile"
#define SCW_SECCOMPPROFILE_NAME_MAX    63 /* metadata.name: a DNS-1123 label */
/* metadata.annotations key holding the profile group's name as scmpwatch knows it */
#define SCW_SECCOMPPROFILE_GROUP_ANNOTATION "scmpwatch/profile-group"

struct scw_seccompprofile_opts {
    /*
     * The nodes' containers the object is for: includes/excludes and archMap are resolved
     * for them as Docker does. NULL or zeroed: this machine's architecture and kernel, and
     * the runtimes' default capabilities (Docker's set, which containerd and CRI-O also use).
     */
    const struct scw_profile_host *host;
    const char *source; /* the tuned profile's path, named in the header comment; or NULL */
};

/*
 * metadata.name for a profile group: a DNS-1123 label (1..63 of [a-z0-9-], starting and
 * ending with a letter or digit). ASCII letters are lowercased, every run of other characters
 * becomes one '-', leading and trailing '-' go. When that changed the name (or left nothing),
 * "-" and 8 hex digits of the group name's FNV-1a hash are appended (a name that is already a
 * label stays as it is; "App_1" and "app-1" do not collide), the base cut to fit 63.
 * size >= SCW_SECCOMPPROFILE_NAME_MAX + 1. Returns the length, or -EINVAL.
 */
int scw_seccompprofile_name(const char *group, char *ret_name, size_t size);

/*
 * The object's spec as JSON (what goes under "spec:"), resolved as described above. Warnings
 * go to diags (SCW_DIAG_WARNING, with the JSON path in the profile). Returns 0; -EINVAL when
 * profile is not a seccomp profile the CRD can take (not an object, no defaultAction, wrong
 * JSON types, both architectures and archMap...: the reasons are errors in diags); -E2BIG
 * over SCW_PROFILE_MAX_ENTRIES entries or SCW_PROFILE_MAX_NAMES names; -ENOMEM.
 * diags may be NULL.
 */
int scw_seccompprofile_spec(const json_t *profile, const struct scw_seccompprofile_opts *opts,
                            json_t **ret_spec, struct scw_profile_diags *diags);

/*
 * The whole YAML document for profile group `group`: a header comment (where it comes from,
 * how to use it, the target it was resolved for, every loss), apiVersion, kind, metadata
 * (name from scw_seccompprofile_name, the group in an annotation), spec. *ret_text is
 * malloc'd and NUL-terminated. Returns as scw_seccompprofile_spec (-EINVAL also for a NULL
 * group); nothing is returned on failure.
 */
int scw_seccompprofile_render(const json_t *profile, const char *group,
                              const struct scw_seccompprofile_opts *opts, char **ret_text,
                              size_t *ret_len, struct scw_profile_diags *diags);

#endif
