/*
 * runtime_support: what a container runtime does with the parts of a seccomp profile that not
 * every runtime takes, by runtime and version (see runtime_support.c for the facts and where
 * they were measured). Pure functions: the caller finds the versions (scmpwatch check runs
 * `runc --version` and friends); logify and check explain the answer.
 */
#ifndef SCW_RUNTIME_SUPPORT_H
#define SCW_RUNTIME_SUPPORT_H

#include <stddef.h>

/* What a runtime does with linux.seccomp "flags" (SECCOMP_FILTER_FLAG_LOG...). */
enum scw_flags_support {
    SCW_FLAGS_ACCEPTS, /* passed to seccomp(2) */
    SCW_FLAGS_REFUSES, /* the container does not start */
    SCW_FLAGS_DROPS,   /* starts, without the flags: what they do does not happen */
    SCW_FLAGS_UNKNOWN, /* a runtime or version this table has no fact for */
    SCW_FLAGS_MAX,
    SCW_FLAGS_INVALID = -1,
};

/*
 * The support of runtime ("runc", "crun", "docker" for dockerd's own profile handling) at
 * version ("1.1.5", "1.1.5+ds1", "20.10.24+dfsg1"...). why (may be NULL) gets one sentence
 * saying what happens and how it is known.
 */
enum scw_flags_support scw_runtime_flags_support(const char *runtime, const char *version,
                                                 char *why, size_t why_size);
/* "accepts", "refuses", "drops", "unknown"; NULL out of range. */
const char *scw_flags_support_name(enum scw_flags_support s);

/*
 * The version in a runtime's --version output: the first token after "<runtime> version "
 * ("runc version 1.1.5+ds1", "crun version 1.8.1", "Docker version 20.10.24+dfsg1, build
 * 297e128"), without a trailing ','. Returns 0, or -ENOENT when the text has none.
 */
int scw_runtime_version_from(const char *runtime, const char *text, char *ret, size_t size);

#endif
