/*
 * record: one line of text (or one netlink message body) -> struct scw_record.
 *
 * Accepts every flavour of SECCOMP (type 1326) audit record listed in DESIGN.md: auditd raw,
 * node= prefixed, ENRICHED (cut at 0x1d), dmesg, kern.log/syslog, journalctl -k, /dev/kmsg and
 * journald's "audit[PID]: SECCOMP". No I/O and no allocation: the caller owns the record and
 * everything is copied into it, so nothing points into the input after the call.
 */
#ifndef SCW_RECORD_H
#define SCW_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCW_COMM_MAX 64   /* kernel TASK_COMM_LEN is 16; hex doubles it */
#define SCW_EXE_MAX  4096 /* PATH_MAX */
#define SCW_SUBJ_MAX 256
#define SCW_LINE_MAX 65536 /* longest line read; longer ones are counted as oversized */

#define SCW_AUDIT_SECCOMP 1326

/*
 * code= missing or unreadable (e.g. a line cut short by syslog), or the impossible 0xffffffff. The
 * kernel logs only the action part of the filter's return value (SECCOMP_RET_ACTION_FULL, low 16
 * bits zero), so it never writes this value itself. Its action is SCW_ACTION_UNKNOWN; reports print
 * no code.
 */
#define SCW_CODE_ABSENT 0xffffffffU

/* Seccomp return actions as they appear in code= (SECCOMP_RET_ACTION_FULL). */
enum scw_action {
    SCW_ACTION_KILL_THREAD,
    SCW_ACTION_KILL_PROCESS,
    SCW_ACTION_TRAP,
    SCW_ACTION_ERRNO,
    SCW_ACTION_USER_NOTIF,
    SCW_ACTION_TRACE,
    SCW_ACTION_LOG,
    SCW_ACTION_ALLOW,
    SCW_ACTION_UNKNOWN,
    SCW_ACTION_MAX,
    SCW_ACTION_INVALID = -1,
};

enum scw_parse_result {
    SCW_PARSE_SECCOMP,   /* a valid SECCOMP record was filled in */
    SCW_PARSE_OTHER,     /* not a SECCOMP record: skipped */
    SCW_PARSE_MALFORMED, /* claims to be SECCOMP but lacks a valid arch= or syscall= */
};

struct scw_record {
    int64_t ts_sec;   /* audit timestamp, seconds since the epoch (0 when absent) */
    uint32_t ts_msec; /* milliseconds part */
    uint64_t serial;  /* audit serial number (0 when absent) */
    uint32_t arch;    /* AUDIT_ARCH_* value, as logged */
    uint32_t syscall; /* syscall number, as logged (x32 keeps its 0x40000000 bit) */
    uint32_t code;    /* code= as logged (the action), or SCW_CODE_ABSENT */
    enum scw_action action;
    int32_t pid; /* -1 when absent */
    uint32_t uid, gid, auid, ses;
    int32_t sig;
    bool compat;
    uint64_t ip;
    char comm[SCW_COMM_MAX]; /* decoded; "" when absent */
    char exe[SCW_EXE_MAX];   /* decoded; "(null)" kept as is */
    char subj[SCW_SUBJ_MAX]; /* "" when absent */
};

/*
 * Parse one line (without its '\n'; a trailing '\r' is ignored). Returns the classification;
 * ret is filled in only for SCW_PARSE_SECCOMP (and partly for MALFORMED). Never reads past len,
 * accepts NUL bytes and any binary content.
 */
enum scw_parse_result scw_record_parse_line(const char *line, size_t len, struct scw_record *ret);

/*
 * Parse a netlink message body (the text after "audit(...): " is what the kernel sends, with
 * the type in the netlink header; the "audit(TIME:SERIAL): " prefix is included by the kernel).
 */
enum scw_parse_result scw_record_parse_body(const char *body, size_t len, struct scw_record *ret);

/*
 * Action for a code= value (exact match; anything else, SCW_CODE_ABSENT included, is
 * SCW_ACTION_UNKNOWN); names exactly as reports print them ("log", "kill_process"...).
 */
enum scw_action scw_action_from_code(uint32_t code);
const char *scw_action_name(enum scw_action a);
enum scw_action scw_action_from_name(const char *name);

/*
 * Decode an audit string value: "quoted" -> the text between the quotes, unquoted uppercase hex
 * of even length -> the bytes it encodes, anything else (e.g. "(null)") verbatim. Output is
 * NUL-terminated and truncated to cap - 1 bytes; a decoded NUL byte is copied like any other,
 * so C-string readers see the value end there. Returns the number of bytes written (without
 * the terminator), or -EINVAL when cap is 0.
 */
int scw_record_decode_value(const char *val, size_t len, char *out, size_t cap);

#endif
