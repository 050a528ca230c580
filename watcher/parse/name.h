/*
 * name: audit architecture and syscall numbers -> names, per architecture, with libseccomp's
 * tables. Results are cached, so the hot path neither allocates nor calls libseccomp after the
 * first sight of an (arch, number) pair. Not thread-safe (scmpwatch is single-threaded).
 */
#ifndef SCW_NAME_H
#define SCW_NAME_H

#include <stdbool.h>
#include <stdint.h>

struct scw_syscall_name {
    uint32_t token;   /* libseccomp SCMP_ARCH_* token (x32 split out of x86_64), 0 if unknown */
    int nr;           /* number as libseccomp expects it for token (x32 bit kept) */
    const char *arch; /* "x86_64", "x32", "aarch64"... or "unknown" (static storage) */
    const char *name; /* syscall name, or NULL when libseccomp does not know the number */
};

/* Name for (audit arch, syscall number) as found in a record. Names stay valid until
 * scw_name_reset() (the cache holds 16384 pairs; past that, until the next lookup). */
void scw_name_lookup(uint32_t audit_arch, uint32_t syscall, struct scw_syscall_name *ret);

/* Architecture name for a libseccomp token, or NULL if not in our table. */
const char *scw_name_arch(uint32_t token);
/* libseccomp token for an architecture name ("x86_64", "SCMP_ARCH_X86_64"); 0 if unknown. */
uint32_t scw_name_arch_token(const char *name);
/* Number of a syscall by name on an architecture token, or a negative value if unknown. */
int scw_name_syscall_nr(uint32_t token, const char *name);

/* Iterate the architecture table: returns false past the end. */
bool scw_name_arch_at(unsigned idx, uint32_t *ret_token, const char **ret_name);

/* Drop this thread's cache (tests, threads that end, and long-running processes after a
 * libseccomp upgrade); names it returned are freed. */
void scw_name_reset(void);

#endif
