/*
 * watch_sandbox: the live watcher confines itself once its sources are open and its state is
 * loaded (cmd_watch.c calls it, whatever started the watcher: systemd, a shell, a container):
 *   1. no_new_privs (PR_SET_NO_NEW_PRIVS): nothing it could exec would gain privileges;
 *   2. capabilities: every one dropped (effective, permitted, inheritable, ambient, and the
 *      bounding set where CAP_SETPCAP allows) except CAP_DAC_READ_SEARCH when it was held, the
 *      one the steady state uses (runtime state files of other users);
 *   3. its own libseccomp filter: the syscalls the steady state makes (measured: see the table
 *      in watch_sandbox.c), SCMP_ACT_KILL_PROCESS for anything else, or SCMP_ACT_LOG in log
 *      mode (an unexpected syscall then shows in the audit log, which scmpwatch itself reads).
 * It does not open anything or decide when to run; it only confines the calling process.
 */
#ifndef SCW_WATCH_SANDBOX_H
#define SCW_WATCH_SANDBOX_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum scw_sandbox_mode {
    SCW_SANDBOX_KILL, /* default: a syscall outside the list kills the watcher */
    SCW_SANDBOX_LOG,  /* --sandbox=log: allowed, and logged by the kernel (SCMP_ACT_LOG) */
    SCW_SANDBOX_OFF,  /* --no-sandbox */
    SCW_SANDBOX_MODE_MAX,
    SCW_SANDBOX_MODE_INVALID = -1,
};

/* "kill", "log", "off" <-> the mode (SCW_SANDBOX_MODE_INVALID for any other name). */
enum scw_sandbox_mode scw_watch_sandbox_mode_from_name(const char *name);
const char *scw_watch_sandbox_mode_name(enum scw_sandbox_mode mode);

/* The capabilities the steady state keeps, as a mask of (1 << CAP_*). */
uint64_t scw_watch_sandbox_kept_caps(void);

/*
 * Confine the calling process (see above). Nothing for SCW_SANDBOX_OFF. Returns 0 or -errno
 * (logged): the caller must not go on unconfined when it asked for a sandbox.
 */
int scw_watch_sandbox_apply(enum scw_sandbox_mode mode);

/* --print-sandbox: the capability set the steady state keeps and the filter of mode, as
 * libseccomp's pseudo-filter code (seccomp_export_pfc), on out. Returns 0 or -errno. */
int scw_watch_sandbox_print(enum scw_sandbox_mode mode, FILE *out);

/* The syscall names of the allow list, in table order (checks and tests); *ret_n is set. */
const char *const *scw_watch_sandbox_syscalls(size_t *ret_n);

/*
 * Debug builds only (SCW_DEBUG_SANDBOX): when $SCW_SANDBOX_SELFTEST is "execve" or "ptrace",
 * make that refused syscall now (after the sandbox): under the default mode the kernel kills
 * the watcher (SIGSYS, an audit record with code=0x80000000); under log mode it is logged and
 * fails harmlessly, and this says so. Elsewhere, and with the variable unset, nothing.
 */
void scw_watch_sandbox_selftest(void);

#endif
