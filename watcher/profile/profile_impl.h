/*
 * profile_impl: the in-memory model of a loaded profile and the helpers the profile*.c files
 * share. profile_read.c builds the model, profile_check.c judges it, profile_model.c answers
 * from it, profile_edit.c derives new documents, profile_write.c writes them, profile_diag.c
 * keeps the findings and profile_filter.c builds libseccomp filters. Not an API: other modules
 * use profile.h. Strings point into the jansson document the profile owns.
 */
#ifndef SCW_PROFILE_IMPL_H
#define SCW_PROFILE_IMPL_H

#include <jansson.h>
#include <stdarg.h>

#include "jsonpos.h"
#include "profile.h"

/*
 * The largest errno libseccomp takes for SCMP_ACT_ERRNO: it refuses MAX_ERRNO (4095) and up,
 * so runc and crun do not start a container whose filter has one (measured with libseccomp
 * 2.5.4, runc 1.1.5, crun 1.8.1). Runtimes pass only the low 16 bits of errnoRet on.
 */
#define PROFILE_ERRNO_MAX 4094
#define PROFILE_RET_DATA  0xffffu /* the 16 bits of SECCOMP_RET_DATA errnoRet ends up in */
#define PROFILE_MAX_PATH  16      /* steps of a JSON path we build (base + entry + arg + field) */

struct profile_arg {
    uint64_t index;
    uint64_t value, value_two;
    enum scmp_compare op; /* _SCMP_CMP_MIN when unknown or absent */
    const char *op_name;  /* as written; NULL when absent */
};

/* includes or excludes of a Docker entry */
struct profile_cond {
    const char **caps;
    size_t n_caps;
    const char **arches; /* Docker arch names: amd64, arm64, x86... */
    size_t n_arches;
    const char *min_kernel; /* as written; NULL when absent */
    unsigned kernel_major, kernel_minor;
    bool kernel_valid;
};

struct profile_entry {
    const char **names;
    size_t n_names;
    bool from_name;      /* the deprecated single "name" */
    bool name_and_names; /* both given: Docker refuses the profile */
    const char *action_name;
    enum scw_action action;
    int64_t errno_ret; /* -1: absent */
    struct profile_arg *args;
    size_t n_args;
    bool args_split; /* an index repeats: one rule per arg, as runc does */
    struct profile_cond inc, exc;
    bool has_cond; /* includes or excludes restrict it (Docker profiles only) */
};

struct profile_archmap {
    uint32_t arch; /* 0 when unknown (to libseccomp, or to scmpwatch's table) */
    const char *arch_name;
    uint32_t subs[SCW_PROFILE_MAX_LIST];
    const char *sub_names[SCW_PROFILE_MAX_LIST];
    size_t n_subs;
};

struct scw_profile {
    char *source; /* as given; "-" for standard input */
    char *text;   /* the input text (positions of diagnostics) */
    size_t len;
    struct scw_jsonpos *pos;     /* positions in text; NULL without memory (diags unlocated) */
    struct scw_jsonpath base[2]; /* path of the seccomp object: none, or linux.seccomp */
    size_t n_base;
    json_t *doc;
    json_t *sc; /* the seccomp object: doc, or doc's linux.seccomp (borrowed) */
    enum scw_profile_kind kind;

    const char *default_name;
    enum scw_action default_action;
    int64_t default_errno; /* -1: absent */
    const char **arch_names;
    uint32_t *arches; /* architectures (0 = unknown name) */
    size_t n_arches;
    struct profile_archmap *map;
    size_t n_map;
    const char **flags;
    size_t n_flags;
    bool flag_log, flag_spec_allow;
    const char *listener_path;
    bool has_listener_metadata;
    struct profile_entry *entries;
    size_t n_entries;

    struct scw_profile_diags diags; /* load-time findings */
};

/* A host resolved for one filter: Docker arch name, caps, kernel, and what was assumed. */
struct profile_host {
    uint32_t native;
    const char *docker_arch;
    const char *const *caps;
    size_t n_caps;
    bool caps_assumed;
    unsigned kernel_major, kernel_minor;
    bool kernel_assumed;
};

/* Fill h from host (NULL: defaults) for native (already resolved, non-zero). */
void profile_host_resolve(const struct scw_profile_host *host, uint32_t native,
                          struct profile_host *h);
/* Whether entry e is part of the filter for h (includes/excludes; always for OCI). */
bool profile_entry_applies(const struct scw_profile *p, const struct profile_entry *e,
                           const struct profile_host *h, bool *ret_assumed);
/* Effective architectures for native (native first); returns the count. */
size_t profile_effective_arches(const struct scw_profile *p, uint32_t native, uint32_t *ret,
                                size_t max);
/* libseccomp action values of an entry and of the default (runtime errno defaults applied). */
uint32_t profile_entry_code(const struct profile_entry *e);
uint32_t profile_default_code(const struct scw_profile *p);
/* Add a diagnostic located at the path (relative to the seccomp object) of p's text. */
void profile_diag(const struct scw_profile *p, struct scw_profile_diags *d,
                  enum scw_diag_level level, const struct scw_jsonpath *path, size_t n,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Libseccomp architecture name ("x86_64"), or "unknown". */
const char *profile_arch_name(uint32_t token);
/* Architectures whose syscall arguments libseccomp compares as 32 bits. */
bool profile_arch_is_32bit(uint32_t token);

/* ---- profile_model.c ---- */

/* ERRNO and TRACE: the actions that carry an errno value. */
bool profile_action_takes_errno(enum scw_action a);
/* "SCMP_ARCH_X86_64" (exactly, as runtimes compare) -> token; 0 if unknown. */
uint32_t profile_arch_from_name(const char *name);
/* "2.5.4": the libseccomp this process runs with (static buffer). */
const char *profile_libseccomp_version(void);
/* Whether the local libseccomp resolves "SCMP_ARCH_X" (as crun does: the lower-case rest). */
bool profile_arch_libseccomp_knows(const char *name);
/* A host architecture name Docker compares includes/excludes "arches" with ("amd64"...). */
bool profile_docker_arch_known(const char *name);
/* "6.1.0-18-amd64" -> 6, 1; exact: nothing may follow the minor number. */
bool profile_parse_kernel(const char *s, unsigned *ret_major, unsigned *ret_minor, bool exact);
/* Whether entry e names the syscall. */
bool profile_entry_lists(const struct profile_entry *e, const char *name);
/* qsort comparison of two const char * (syscall names). */
int profile_cmp_names(const void *a, const void *b);
/* source as messages show it: "<stdin>" for "-", "<profile>" for NULL. */
const char *profile_shown_source(const char *source);

/* ---- profile_errno.c ---- */

/* An errno as containers/common reads "errno": one of its 82 names or a decimal number. */
bool profile_errno_parse(const char *s, unsigned *ret);
/* "EPERM"; "no error" for 0; "no errno name" for values without one. */
const char *profile_errno_name(unsigned value);

/* ---- profile_diag.c ---- */

/* profile_diag with a va_list. */
void profile_vdiag(const struct scw_profile *p, struct scw_profile_diags *d,
                   enum scw_diag_level level, const struct scw_jsonpath *path, size_t n,
                   const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

/* ---- profile_read.c ---- */

/* A member, with null read as absent (Go's decoder does the same). */
json_t *profile_member(const json_t *obj, const char *key);

/* ---- profile_check.c ---- */

/* The load-time checks: add to p->diags what a runtime refuses (errors) or ignores (warnings). */
void profile_check(struct scw_profile *p);

/* ---- profile_write.c ---- */

/*
 * obj[key] = value (reference stolen; NULL: -ENOMEM). An existing key keeps its place; a new
 * one goes right after the last of `after` present in obj, or first when none is.
 */
int profile_object_put_after(json_t *obj, const char *key, json_t *value, const char *const *after,
                             size_t n_after);
/* The profile read back from doc's text (doc consumed); p gives the source name. */
int profile_reload(const struct scw_profile *p, json_t *doc, struct scw_profile **ret);

/*
 * Paths relative to the seccomp object, for profile_diag: AT(K("syscalls"), I(i), K("args"))
 * is the array and its length; AT_DOC is the object itself. Short names: only profile*.c
 * include this header.
 */
#define K(k)                                                                                       \
    {                                                                                              \
        .key = (k)                                                                                 \
    }
#define I(i)                                                                                       \
    {                                                                                              \
        .index = (i)                                                                               \
    }
#define AT(...)                                                                                    \
    (const struct scw_jsonpath[]){__VA_ARGS__},                                                    \
        (sizeof((const struct scw_jsonpath[]){__VA_ARGS__}) / sizeof(struct scw_jsonpath))
#define AT_DOC NULL, 0
#define N(a)   (sizeof(a) / sizeof((a)[0]))

#endif
