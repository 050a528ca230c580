/*
 * profile: seccomp profiles as Docker and OCI runtimes read them (jansson). Reads a Docker
 * profile (every field: archMap or architectures, includes/excludes on caps/arches/minKernel,
 * the deprecated per-entry "name") or an OCI config.json (its linux.seccomp); answers "what
 * does this profile do with syscall S on arch A for this host"; derives the log-only variant
 * (logify) and the tuned one (tune); writes stable, 2-space indented JSON that keeps every
 * field and entry it does not change, including syscall names the local libseccomp does not
 * know. profile_filter.c builds filters from it with libseccomp (validate, tests).
 *
 * It does not decide what to allow (advise does), does not load filters into the kernel of
 * this process, and does not print (callers print the diagnostics it collects).
 *
 * Semantics mirror the runtimes: moby's profile resolution (archMap entry of the host arch,
 * includes/excludes against the host's Docker arch name, bounding capabilities and kernel)
 * and runc's rule building (unknown names skipped, rules whose action equals the default
 * skipped, args sharing an index split into one rule each), and libseccomp's merging (the
 * first unconditional rule of a syscall wins; unconditional rules beat conditional ones).
 */
#ifndef SCW_PROFILE_H
#define SCW_PROFILE_H

#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "record.h"

/* Bounds on what a profile may hold; going over one is a load error naming the bound. */
#define SCW_PROFILE_MAX_BYTES   (8u << 20) /* file size */
#define SCW_PROFILE_MAX_VALUES  1000000    /* JSON values in the document */
#define SCW_PROFILE_MAX_DEPTH   64         /* JSON nesting */
#define SCW_PROFILE_MAX_ENTRIES 4096       /* syscalls[] */
#define SCW_PROFILE_MAX_NAMES   65536      /* syscall names, all entries together */
#define SCW_PROFILE_MAX_ARGS    64         /* args[] of one entry (indexes 0..5, may repeat) */
#define SCW_PROFILE_MAX_LIST    64         /* architectures, archMap, flags, caps, arches */
#define SCW_PROFILE_MAX_DIAGS   1000       /* diagnostics kept (the rest are counted) */
#define SCW_PROFILE_MAX_ARCHES  20         /* architectures in one filter */

enum scw_profile_kind {
    SCW_PROFILE_DOCKER, /* a Docker/moby profile (seccomp=FILE) */
    SCW_PROFILE_OCI,    /* an OCI runtime config.json; the profile is its linux.seccomp */
    SCW_PROFILE_KIND_MAX,
    SCW_PROFILE_KIND_INVALID = -1,
};

/*
 * Actions are record.h's enum scw_action (SCW_ACTION_USER_NOTIF is SCMP_ACT_NOTIFY; a profile
 * never yields SCW_ACTION_UNKNOWN). These helpers speak the SCMP_ACT_* names profiles use.
 */
/* "SCMP_ACT_ERRNO"...; NULL for UNKNOWN and out-of-range values. */
const char *scw_profile_action_name(enum scw_action a);
/* SCW_ACTION_INVALID for unknown names (exact, case-sensitive, as runtimes compare);
 * "SCMP_ACT_KILL" reads as SCW_ACTION_KILL_THREAD. */
enum scw_action scw_profile_action_from_name(const char *name);
/* libseccomp's action value; errno_ret < 0 means "none given" (runtimes use EPERM). */
uint32_t scw_profile_action_code(enum scw_action a, int errno_ret);
/* Whether the syscall runs under this action (ALLOW, LOG). */
bool scw_profile_action_runs(enum scw_action a);

/* ---- diagnostics ---- */

enum scw_diag_level {
    SCW_DIAG_ERROR,   /* a runtime would refuse the profile (or we cannot read it) */
    SCW_DIAG_WARNING, /* accepted, but probably not what was meant */
    SCW_DIAG_NOTE,    /* information (e.g. the BPF size of each filter) */
    SCW_DIAG_MAX,
    SCW_DIAG_INVALID = -1,
};

struct scw_diag {
    enum scw_diag_level level;
    unsigned line, column; /* of the value in the input text (1-based); 0 when unknown */
    char path[160];        /* JSON path, e.g. "syscalls[3].args[0].op"; "" = the document */
    char message[400];
};

struct scw_profile_diags {
    struct scw_diag *items;
    size_t n, cap;
    size_t errors, warnings, notes; /* all of them, kept or not */
    size_t dropped;                 /* not kept: over SCW_PROFILE_MAX_DIAGS */
};

void scw_profile_diags_init(struct scw_profile_diags *d);
void scw_profile_diags_free(struct scw_profile_diags *d); /* frees the items, keeps d usable */
/* Add one (printf format). Never fails: past the bound or without memory it only counts. */
void scw_profile_diags_add(struct scw_profile_diags *d, enum scw_diag_level level, unsigned line,
                           unsigned column, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/*
 * Print "SOURCE:LINE:COLUMN: error: MESSAGE [at PATH]" lines (no position part when unknown),
 * warnings and notes only at or above min_level (SCW_DIAG_NOTE prints all).
 */
void scw_profile_diags_print(const struct scw_profile_diags *d, const char *source,
                             enum scw_diag_level min_level, FILE *out);
/* The same line for one diagnostic (source NULL: "<profile>", "-": "<stdin>"). */
void scw_profile_diag_print(const struct scw_diag *g, const char *source, FILE *out);

/* ---- loading ---- */

struct scw_profile;

/*
 * Read a profile from memory. source names it in messages ("-" is shown as "<stdin>").
 * Kind: OCI when the top level has "ociVersion" or linux.seccomp, else Docker.
 * On failure (syntax, wrong JSON types, bounds, no linux.seccomp in a config.json) the
 * reasons are added to diags as errors with their line/column and it returns -EINVAL
 * (-EFBIG: over SCW_PROFILE_MAX_BYTES; -ENOMEM). Semantic problems (unknown actions or
 * syscall names, conflicting fields...) do not fail the load: they are kept with the profile,
 * see scw_profile_diags() and scw_profile_ok(). diags may be NULL.
 */
int scw_profile_load(const char *source, const char *data, size_t len, struct scw_profile **ret,
                     struct scw_profile_diags *diags);
/* Same from a file ("-" = standard input); read errors return -errno and add a diag. */
int scw_profile_load_file(const char *path, struct scw_profile **ret,
                          struct scw_profile_diags *diags);
void scw_profile_free(struct scw_profile *p);

const char *scw_profile_source(const struct scw_profile *p);
enum scw_profile_kind scw_profile_kind(const struct scw_profile *p);
/* Findings of the load-time checks (errors and warnings), owned by p. */
const struct scw_profile_diags *scw_profile_diags(const struct scw_profile *p);
/* No errors: a runtime would accept it (as far as we can tell without libseccomp). */
bool scw_profile_ok(const struct scw_profile *p);

/* ---- queries ---- */

/* defaultAction; *ret_errno (if not NULL) = defaultErrnoRet or -1 when absent. */
enum scw_action scw_profile_default_action(const struct scw_profile *p, int *ret_errno);
/* defaultAction is SCMP_ACT_LOG: a log-only (staging) profile. */
bool scw_profile_log_only(const struct scw_profile *p);
/* Entries in syscalls[] (including inactive ones). */
size_t scw_profile_n_entries(const struct scw_profile *p);
/*
 * The syscall names the entries list, sorted and unique, whether active or not. *ret is a
 * malloc'd array (free() it) of pointers owned by p. Returns the count or -ENOMEM.
 */
int scw_profile_names(const struct scw_profile *p, const char ***ret);

/*
 * The host a profile is resolved for, as Docker does. Zero-initialised means: this machine's
 * architecture and running kernel, and Docker's default capability set.
 */
struct scw_profile_host {
    uint32_t native;         /* libseccomp token of the host architecture; 0: see each function */
    const char *const *caps; /* bounding set ("CAP_SYS_ADMIN"...); NULL: Docker's defaults */
    size_t n_caps;
    bool no_caps;                        /* the bounding set is empty (caps ignored) */
    unsigned kernel_major, kernel_minor; /* 0.0: the running kernel */
};

/* Docker's default capability set (the bounding set of a container without --cap-add). */
extern const char *const scw_profile_docker_caps[];
extern const size_t scw_profile_n_docker_caps;

/*
 * Architectures (libseccomp tokens) of the filter built for a host whose architecture is
 * native (0: this machine's): the native one first (runtimes always keep it), then the
 * archMap entry of native with its subArchitectures, or the architectures list. At most
 * max; returns the count (or -EINVAL when p has errors about architectures).
 */
int scw_profile_arches(const struct scw_profile *p, uint32_t native, uint32_t *ret_tokens,
                       size_t max);

/* All architectures the profile names (architectures, archMap and sub-architectures). */
int scw_profile_listed_arches(const struct scw_profile *p, uint32_t *ret_tokens, size_t max);

enum scw_profile_match {
    SCW_MATCH_DEFAULT,     /* no entry applies: the default action */
    SCW_MATCH_ENTRY,       /* an unconditional entry decides */
    SCW_MATCH_CONDITIONAL, /* entries with argument filters: action when they match, otherwise */
    SCW_MATCH_BAD_ARCH,    /* the architecture is not in the filter: the kernel kills the thread */
    SCW_MATCH_NO_SYSCALL,  /* libseccomp knows no syscall by that name on that architecture */
    SCW_MATCH_MAX,
    SCW_MATCH_INVALID = -1,
};

/* What happens to the call once the profile enforces: a log-only default counts as refusing. */
enum scw_profile_verdict {
    SCW_VERDICT_ALLOWED,     /* runs (ALLOW or an explicit LOG entry) */
    SCW_VERDICT_REFUSED,     /* errno, kill, trap, trace, notify, or the log-only default */
    SCW_VERDICT_CONDITIONAL, /* runs for some argument values only */
    SCW_VERDICT_MAX,
    SCW_VERDICT_INVALID = -1,
};

struct scw_profile_answer {
    enum scw_profile_match match;
    enum scw_profile_verdict verdict;
    enum scw_action action;    /* the entry's, the default's, KILL_THREAD for BAD_ARCH */
    int errno_ret;             /* for ERRNO/TRACE: the value (1 = EPERM when none given); else -1 */
    long entry;                /* syscalls[] index of the deciding entry (first conditional); -1 */
    enum scw_action otherwise; /* CONDITIONAL: the action when no argument filter matches */
    int otherwise_errno;
    bool assumed; /* an includes/excludes on capabilities or kernel mattered and the host
                     did not give that fact (Docker's default caps / running kernel used) */
};

/*
 * What p does with syscall (a name, as libseccomp spells it) called on arch (libseccomp
 * token) for host (NULL: defaults; host->native 0: derived from arch: the archMap entry or
 * architectures main arch that covers it, else arch itself). Argument filters are not
 * evaluated: such entries make the answer CONDITIONAL. Returns 0, or -EINVAL when p has
 * errors (a runtime would not run it) or the arguments are invalid.
 */
int scw_profile_query(const struct scw_profile *p, const struct scw_profile_host *host,
                      uint32_t arch, const char *syscall, struct scw_profile_answer *ret);

/* ---- derived profiles ---- */

/* What logify/tune changed (for the summary a command prints). */
struct scw_profile_changes {
    bool default_changed;   /* defaultAction (and defaultErrnoRet) rewritten */
    bool log_flag_added;    /* SECCOMP_FILTER_FLAG_LOG added to flags */
    bool log_flag_removed;  /* ... removed (tune of a log-only profile) */
    size_t entries_changed; /* logify --all: entries turned into SCMP_ACT_LOG */
    size_t unlogged;        /* logify: entries still refusing whose hits the kernel will not log
                               (errno, trap, trace, notify without SECCOMP_FILTER_FLAG_LOG) */
    long unlogged_entry;    /* logify: syscalls[] index of the first of them; -1 when none */
    struct scw_diag unlogged_warning; /* logify: the warning about them, located at that entry
                                         in the input; message "" when unlogged is 0 */
    size_t names_added;               /* tune: names in the new allow entry */
    size_t names_already; /* tune: already allowed by an unconditional entry, left out */
    size_t names_refused; /* tune: left out, an unconditional entry refuses them (diags) */
};

/* What logify does besides making the default SCMP_ACT_LOG (bits of its opts). */
#define SCW_PROFILE_LOGIFY_ALL      (1u << 0) /* errno/kill/trap entries become SCMP_ACT_LOG */
#define SCW_PROFILE_LOGIFY_LOG_FLAG (1u << 1) /* add SECCOMP_FILTER_FLAG_LOG when needed */

/*
 * The log-only variant for staging: defaultAction SCMP_ACT_LOG (defaultErrnoRet, and Podman's
 * defaultErrno, removed). Without SCW_PROFILE_LOGIFY_ALL entries keep their actions; with it
 * errno/kill/trap entries become SCMP_ACT_LOG (their errnoRet and errno removed) and
 * trace/notify keep theirs. The kernel logs the hits of kill entries anyway, but those of the
 * errno, trap, trace and notify entries left only with SECCOMP_FILTER_FLAG_LOG: with
 * SCW_PROFILE_LOGIFY_LOG_FLAG the flag is added when such entries remain; without it (the
 * default: runc before 1.2 refuses any flags, dockerd 20.10 drops them) no flag is written and
 * ret_changes says how many such entries stay unlogged, with a warning naming the first. An
 * existing "flags" field stays as it is (with its SECCOMP_FILTER_FLAG_LOG, if any: then
 * nothing is unlogged). A profile whose default is SCMP_ACT_ALLOW keeps it (it refuses only
 * what its entries refuse; logging every allowed call would flood the audit log). Every other
 * field stays. SCW_PROFILE_LOGIFY_ALL is 1, so a bool "all" passed as opts means the same.
 * ret_changes may be NULL. Returns 0, -EINVAL (unknown opts bits), -ENOMEM.
 */
int scw_profile_logify(const struct scw_profile *p, unsigned opts, struct scw_profile **ret,
                       struct scw_profile_changes *ret_changes);

struct scw_profile_tune {
    const char *const *allow; /* syscall names to allow ([A-Za-z0-9_], 1..64 chars) */
    size_t n_allow;
    const char *comment;        /* comment of the new entry (Docker profiles); NULL: none */
    const char *default_action; /* enforcing default for a log-only profile; NULL: ERRNO */
    int default_errno;          /* its defaultErrnoRet: 0 to 4094 (SCMP_ACT_ERRNO: libseccomp
                                   refuses more), 0 to 65535 (SCMP_ACT_TRACE); < 0: none
                                   (runtimes use EPERM) */
    bool keep_log_flag;         /* keep SECCOMP_FILTER_FLAG_LOG when restoring enforcement */
};

/*
 * The tuned profile: p plus one entry {names: sorted allow names, action: SCMP_ACT_ALLOW,
 * comment} appended to syscalls[] (no entry when no name is left). Names already allowed by
 * an unconditional entry without includes/excludes are left out; names an unconditional
 * entry without includes/excludes refuses are left out with a warning in diags (libseccomp
 * keeps the first unconditional rule, so an allow entry after it would do nothing); names a
 * conditional deny entry covers are added with a warning. When p is log-only, defaultAction
 * becomes t->default_action (+ defaultErrnoRet; Podman's defaultErrno removed) and
 * SECCOMP_FILTER_FLAG_LOG is dropped unless keep_log_flag (logify adds it only when asked, so
 * a profile logified without SCW_PROFILE_LOGIFY_LOG_FLAG has none to drop unless the original
 * had it: keep_log_flag then keeps the original's); explicit SCMP_ACT_LOG entries then let
 * calls run and are warned about. Every other field and entry stays. Returns 0, -EINVAL (bad
 * names/action, see diags), -E2BIG (the result would pass SCW_PROFILE_MAX_ENTRIES/NAMES), -ENOMEM,
 * or -EFBIG (its text would pass SCW_PROFILE_MAX_BYTES). diags and ret_changes may be NULL.
 */
int scw_profile_tune(const struct scw_profile *p, const struct scw_profile_tune *t,
                     struct scw_profile **ret, struct scw_profile_changes *ret_changes,
                     struct scw_profile_diags *diags);

/*
 * The tuned profile (scw_profile_tune: same semantics, changes and diags) as an edit of p's
 * own text, so a diff against the team's file shows only the change (profile_source.c): the
 * new entry inserted before syscalls' closing bracket, a changed defaultAction replaced in
 * place, removed members (defaultErrnoRet, flags, defaultErrno) cut with their comma, added
 * ones inserted after the member they follow; for a config.json the same in linux.seccomp.
 * What is inserted takes the file's indent unit (tabs or N spaces) and line endings, and
 * jansson's layout (one array element per line; the entry's keys names, action, comment).
 * A tune that changes nothing gives p's text byte for byte. The result is parsed again and
 * must equal the tuned document (values and key order); when it cannot be spliced or does
 * not, *ret_text is scw_profile_dump's canonical text and *ret_reformatted is true (say so).
 * *ret_text is malloc'd and NUL-terminated; ret_len, ret_reformatted, ret_changes and diags
 * may be NULL. Returns 0 or scw_profile_tune's errors.
 */
int scw_profile_tune_source(const struct scw_profile *p, const struct scw_profile_tune *t,
                            char **ret_text, size_t *ret_len, bool *ret_reformatted,
                            struct scw_profile_changes *ret_changes,
                            struct scw_profile_diags *diags);

/* ---- writing ---- */

/*
 * The document as stable, readable JSON: 2-space indent, key order as read, UTF-8 kept,
 * trailing newline. Loading that text and dumping it again gives the same bytes.
 * seccomp_only: for a config.json, only its linux.seccomp object (usable as a Docker profile).
 * Returns 0 with a malloc'd NUL-terminated text, -ENOMEM.
 */
int scw_profile_dump(const struct scw_profile *p, bool seccomp_only, char **ret_text,
                     size_t *ret_len);
int scw_profile_write(const struct scw_profile *p, bool seccomp_only, FILE *out);
/* The text p was read from, as it was (NUL-terminated; its length in *ret_len). */
const char *scw_profile_text(const struct scw_profile *p, size_t *ret_len);

/* ---- filters (profile_filter.c, libseccomp) ---- */

/*
 * Build the filter a runtime would load for host (NULL: defaults; native 0: this machine),
 * without loading it. Missing names are skipped as runtimes do. The context keeps
 * libseccomp's defaults (no_new_privs set on load; badarch kills). Returns 0, -EINVAL (p has
 * errors, or libseccomp refused a rule: see diags), -ENOMEM. diags may be NULL.
 */
int scw_profile_build(const struct scw_profile *p, const struct scw_profile_host *host,
                      struct scw_profile_diags *diags, scmp_filter_ctx *ret_ctx);

/* One filter validate built: its architectures, rules and size. */
struct scw_profile_filter_info {
    uint32_t arches[SCW_PROFILE_MAX_ARCHES];
    size_t n_arches;
    size_t rules;     /* rules added (per syscall name and arg split) */
    size_t skipped;   /* names skipped: unknown to libseccomp */
    size_t bpf_insns; /* BPF instructions of the exported program; 0 when not built */
};

struct scw_profile_validation {
    struct scw_profile_filter_info filters[SCW_PROFILE_MAX_LIST];
    size_t n_filters;
};

/*
 * Every check: the load-time findings of p, then, for each filter the profile can produce (one
 * per archMap entry whose architecture the local libseccomp knows, a note for each other; one
 * for architectures; else this machine's), the filter built with libseccomp for host (caps,
 * kernel; native comes from the filter) and exported as BPF, never loaded. libseccomp
 * refusals and programs over the kernel's 4096 instructions are errors; notes give each
 * filter's size. Returns the number of errors (>= 0) or -ENOMEM. ret_info may be NULL.
 */
int scw_profile_validate(const struct scw_profile *p, const struct scw_profile_host *host,
                         struct scw_profile_diags *diags, struct scw_profile_validation *ret_info);

#endif
