/*
 * testutil: small helpers shared by the cmocka tests: temporary directories, whole-file
 * reads and writes, running the scmpwatch binary and capturing its output. Each test file
 * keeps its own domain helpers; only generic plumbing lives here.
 */
#ifndef SCW_TESTUTIL_H
#define SCW_TESTUTIL_H

#include <setjmp.h> /* cmocka needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

/* A fresh directory under $TMPDIR (or /tmp), removed by scw_test_rmtree. Caller frees. */
char *scw_test_mkdtemp(void);
void scw_test_rmtree(const char *path);

/* Read a whole file (NUL-terminated, length in *ret_len if not NULL); NULL on error. */
char *scw_test_read_file(const char *path, size_t *ret_len);
/* Write data to path (created or truncated); asserts on failure. */
void scw_test_write_file(const char *path, const void *data, size_t len);
/* printf into a malloc'd string; asserts on failure. */
char *scw_test_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Run a shell command line; capture stdout (and stderr, separately) as malloc'd strings.
 * Returns the exit status (or 128+signal). ret_out/ret_err may be NULL.
 */
int scw_test_run(const char *cmdline, char **ret_out, char **ret_err);

/* Path of the scmpwatch binary under test (SCMPWATCH env var, else the build's). */
const char *scw_test_binary(void);

/*
 * Real kernel records for live tests. scw_test_audit_open() joins the audit multicast group
 * (16 MiB buffer); -errno when it cannot. scw_test_audit_skip() returns 77 (with the reason on
 * stderr) when the group is out of reach (not root, no audit), else 0.
 * scw_test_audit_capture() writes the SECCOMP records of pid to out as auditd writes them
 * ("type=SECCOMP msg=audit(...): ..."), each followed by the line `after` when not NULL, until
 * `want` arrived (at most 20 s) and then `settle_s` seconds more; returns how many it wrote.
 * Other tests run in parallel: only pid's records are kept.
 */
int scw_test_audit_open(void);
int scw_test_audit_skip(void);
int scw_test_audit_capture(int fd, int pid, int want, int settle_s, const char *after, FILE *out);

/* Whether we run as root with the given facility (for live tests that must skip, exit 77). */
int scw_test_is_root(void);

#endif
