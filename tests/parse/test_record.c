/*
 * test_record: table-driven tests of the record parser (record.c). Every record format of
 * DESIGN.md, tricky field encodings, every action code, malformed and non-record lines, NUL
 * bytes and garbage: input -> classification and every field. Naming is tested in test_name.
 */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

/* The tables below start from a base expectation and override the fields a case changes. */
#pragma GCC diagnostic ignored "-Woverride-init"

/* A literal with its exact length (so NUL bytes inside count). */
#define IN(s) s, sizeof(s) - 1

/* The body of the DESIGN.md example record, and what it parses to. */
#define BODY                                                                                       \
    "auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined pid=2407 comm=\"logme\" "          \
    "exe=\"/tmp/logme\" sig=0 arch=c000003e syscall=90 compat=0 ip=0x7f4192faed57 code=0x7ffc0000"
#define STAMP "audit(1795875804.358:2): "

struct expect {
    int64_t ts_sec;
    uint32_t ts_msec;
    uint64_t serial;
    uint32_t arch, syscall, code;
    enum scw_action action;
    int32_t pid;
    uint32_t uid, gid, auid, ses;
    int32_t sig;
    bool compat;
    uint64_t ip;
    const char *comm, *exe, *subj;
};

/* The example record with its stamp. */
#define EXPECT_BASE                                                                                \
    .ts_sec = 1795875804, .ts_msec = 358, .serial = 2, .arch = 0xc000003e, .syscall = 90,          \
    .code = 0x7ffc0000, .action = SCW_ACTION_LOG, .pid = 2407, .uid = 0, .gid = 0,                 \
    .auid = 4294967295U, .ses = 4294967295U, .sig = 0, .compat = false, .ip = 0x7f4192faed57,      \
    .comm = "logme", .exe = "/tmp/logme", .subj = "unconfined"

/* The same without a stamp (journald's audit reader writes none). */
#define EXPECT_NOSTAMP EXPECT_BASE, .ts_sec = 0, .ts_msec = 0, .serial = 0

struct line_case {
    const char *name;
    const char *in;
    size_t len;
    enum scw_parse_result result;
    struct expect want; /* checked for SCW_PARSE_SECCOMP only */
};

static const struct line_case line_cases[] = {
    /* ---- every format ---- */
    {"auditd raw", IN("type=SECCOMP msg=" STAMP BODY), SCW_PARSE_SECCOMP, {EXPECT_BASE}},
    {"auditd node=",
     IN("node=host1 type=SECCOMP msg=" STAMP BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"auditd node= fqdn",
     IN("node=web-01.example.org type=SECCOMP msg=" STAMP BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"auditd ENRICHED cut at 0x1d",
     IN("type=SECCOMP msg=" STAMP BODY "\x1d"
        "AUID=\"unset\" UID=\"root\" GID=\"root\" ARCH=x86_64 SYSCALL=chmod arch=b7 syscall=1"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"auditd ENRICHED with node=",
     IN("node=h type=SECCOMP msg=" STAMP BODY "\x1d"
        "AUID=\"unset\" UID=\"root\" GID=\"root\" ARCH=x86_64 SYSCALL=chmod"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"auditd old UNKNOWN[1326]",
     IN("type=UNKNOWN[1326] msg=" STAMP BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"auditd type=1326", IN("type=1326 msg=" STAMP BODY), SCW_PARSE_SECCOMP, {EXPECT_BASE}},
    {"dmesg", IN("[  122.854464] audit: type=1326 " STAMP BODY), SCW_PARSE_SECCOMP, {EXPECT_BASE}},
    {"dmesg -T",
     IN("[Thu Nov 28 14:22:16 2024] audit: type=1326 " STAMP BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"kern.log",
     IN("Nov 28 14:22:16 host kernel: [  122.854464] audit: type=1326 " STAMP BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"syslog RFC 5424 time",
     IN("2024-11-28T14:22:16.854464+00:00 host kernel: audit: type=1326 " STAMP BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"journalctl -k",
     IN("Nov 28 14:22:16 host kernel: audit: type=1326 " STAMP BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"/dev/kmsg",
     IN("5,1234,122854464,-;audit: type=1326 " STAMP BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"/dev/kmsg with caller id",
     IN("5,1234,122854464,-,caller=T2407;audit: type=1326 " STAMP BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"journald audit reader",
     IN("Nov 28 14:22:16 host audit[2407]: SECCOMP " BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_NOSTAMP}},
    {"journald audit reader, short-iso",
     IN("2024-11-28T14:22:16+0000 host audit[2407]: SECCOMP " BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_NOSTAMP}},
    /* syslog tags other than kernel: and audit[PID]: (forwarders, relays) */
    {"syslog with a program's own tag",
     IN("Nov 28 14:22:16 host INFO myapp[4844]: SECCOMP " BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_NOSTAMP}},
    {"syslog with audit: and no pid",
     IN("Nov 28 14:22:16 host audit: SECCOMP " BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_NOSTAMP}},
    /* ENRICHED copies that lost their 0x1d: the action is the hex digits before the KEY= */
    {"ENRICHED pasted without 0x1d",
     IN("type=SECCOMP msg=" STAMP BODY "AUID=\"unset\" UID=\"root\" GID=\"root\" ARCH=x86_64 "
        "SYSCALL=chmod"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"ENRICHED pasted without 0x1d, kill_thread (code=0x0)",
     IN("type=SECCOMP msg=" STAMP "auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined "
        "pid=2407 comm=\"logme\" exe=\"/tmp/logme\" sig=31 arch=c000003e syscall=90 compat=0 "
        "ip=0x7f4192faed57 code=0x0AUID=\"unset\" UID=\"root\""),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .sig = 31, .code = 0, .action = SCW_ACTION_KILL_THREAD}},
    {"ENRICHED pasted without 0x1d, fields out of order",
     IN("type=SECCOMP msg=" STAMP "pid=2407 auid=4294967295 uid=0 gid=0 ses=4294967295 "
        "subj=unconfined comm=\"logme\" exe=\"/tmp/logme\" sig=0 arch=c000003e syscall=90 "
        "compat=0 ip=0x7f4192faed57 code=0x50000AUID=\"unset\" ARCH=aarch64 SYSCALL=open"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .code = 0x50000, .action = SCW_ACTION_ERRNO}},
    {"code glued to something that is no enrichment",
     IN("type=SECCOMP msg=" STAMP "auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined "
        "pid=2407 comm=\"logme\" exe=\"/tmp/logme\" sig=0 arch=c000003e syscall=90 compat=0 "
        "ip=0x7f4192faed57 code=0x7ffc0000zz"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .code = SCW_CODE_ABSENT, .action = SCW_ACTION_UNKNOWN}},
    {"auditd via syslog (audisp-syslog)",
     IN("Nov 28 14:22:16 host audisp-syslog: type=SECCOMP msg=" STAMP BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"auditd via syslog with node=",
     IN("Nov 28 14:22:16 host audispd: node=h1 type=SECCOMP msg=" STAMP BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},

    /* ---- line ends, spacing, order ---- */
    {"CRLF", IN("type=SECCOMP msg=" STAMP BODY "\r"), SCW_PARSE_SECCOMP, {EXPECT_BASE}},
    {"CRLF kernel log",
     IN("[  122.854464] audit: type=1326 " STAMP BODY "\r\n"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"double spaces",
     IN("type=SECCOMP  msg=" STAMP " auid=4294967295  uid=0 gid=0 ses=4294967295 subj=unconfined "
        "pid=2407  comm=\"logme\" exe=\"/tmp/logme\" sig=0 arch=c000003e syscall=90 compat=0 "
        "ip=0x7f4192faed57 code=0x7ffc0000  "),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"fields reversed",
     IN("type=SECCOMP msg=" STAMP "code=0x7ffc0000 ip=0x7f4192faed57 compat=0 syscall=90 "
        "arch=c000003e sig=0 exe=\"/tmp/logme\" comm=\"logme\" pid=2407 subj=unconfined "
        "ses=4294967295 gid=0 uid=0 auid=4294967295"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"unknown fields and bare words ignored",
     IN("type=SECCOMP msg=" STAMP "newfield=1 bare " BODY " extra=\"x y\" lone="),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"arch=0x prefix and uppercase accepted",
     IN("type=SECCOMP msg=" STAMP "arch=0xC000003E syscall=90"),
     SCW_PARSE_SECCOMP,
     {.ts_sec = 1795875804,
      .ts_msec = 358,
      .serial = 2,
      .arch = 0xc000003e,
      .syscall = 90,
      .code = SCW_CODE_ABSENT,
      .action = SCW_ACTION_UNKNOWN,
      .pid = -1,
      .uid = UINT32_MAX,
      .gid = UINT32_MAX,
      .auid = UINT32_MAX,
      .ses = UINT32_MAX,
      .comm = "",
      .exe = "",
      .subj = ""}},

    /* ---- stamps ---- */
    {"stamp without msec",
     IN("type=SECCOMP msg=audit(1795875804:77): " BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .ts_msec = 0, .serial = 77}},
    {"stamp with microseconds",
     IN("type=SECCOMP msg=audit(1795875804.358999:2): " BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"stamp with one digit",
     IN("type=SECCOMP msg=audit(1795875804.3:2): " BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .ts_msec = 300}},
    {"stamp broken, fields still read",
     IN("type=SECCOMP msg=audit(17958x:2): " BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_NOSTAMP}},
    {"big serial",
     IN("type=SECCOMP msg=audit(1795875804.358:18446744073709551615): " BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .serial = UINT64_MAX}},

    /* ---- comm= / exe= / subj= encodings ---- */
    {"hex comm and exe",
     IN("type=SECCOMP msg=" STAMP "pid=1 comm=6D7920617070 exe=2F6F70742F6D7920617070 "
        "arch=c000003e syscall=90 code=0x7ffc0000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = 1, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0, .comm = "my app", .exe = "/opt/my app", .subj = ""}},
    {"hex exe with quote and UTF-8",
     IN("type=SECCOMP msg=" STAMP "comm=2271 exe=2F746D702FC3BC arch=c000003e syscall=90 "
        "code=0x7ffc0000 pid=5"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = 5, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0, .comm = "\"q", .exe = "/tmp/\xc3\xbc", .subj = ""}},
    {"hex comm with control byte",
     IN("type=SECCOMP msg=" STAMP "comm=610962 exe=\"/x\" arch=c000003e syscall=90 "
        "code=0x7ffc0000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = -1, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0, .comm = "a\tb", .exe = "/x", .subj = ""}},
    {"exe=(null)",
     IN("type=SECCOMP msg=" STAMP "auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined "
        "pid=2407 comm=\"logme\" exe=(null) sig=0 arch=c000003e syscall=90 compat=0 "
        "ip=0x7f4192faed57 code=0x7ffc0000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .exe = "(null)"}},
    {"no subj=",
     IN("type=SECCOMP msg=" STAMP "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=2407 "
        "comm=\"logme\" exe=\"/tmp/logme\" sig=0 arch=c000003e syscall=90 compat=0 "
        "ip=0x7f4192faed57 code=0x7ffc0000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .subj = ""}},
    {"AppArmor subj= with its mode",
     IN("type=SECCOMP msg=" STAMP "auid=4294967295 uid=0 gid=0 ses=4294967295 "
        "subj=docker-default (enforce) pid=2407 comm=\"logme\" exe=\"/tmp/logme\" sig=0 "
        "arch=c000003e syscall=90 compat=0 ip=0x7f4192faed57 code=0x7ffc0000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .subj = "docker-default (enforce)"}},
    {"SELinux subj=",
     IN("type=SECCOMP msg=" STAMP "auid=4294967295 uid=0 gid=0 ses=4294967295 "
        "subj=system_u:system_r:container_t:s0:c12,c34 pid=2407 comm=\"logme\" "
        "exe=\"/tmp/logme\" sig=0 arch=c000003e syscall=90 compat=0 ip=0x7f4192faed57 "
        "code=0x7ffc0000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .subj = "system_u:system_r:container_t:s0:c12,c34"}},
    {"comm with = inside quotes",
     IN("type=SECCOMP msg=" STAMP "comm=\"a=b\" exe=\"/x=y\" arch=c000003e syscall=90 "
        "code=0x7ffc0000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = -1, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0, .comm = "a=b", .exe = "/x=y", .subj = ""}},
    {"lowercase hex is not hex-encoding",
     IN("type=SECCOMP msg=" STAMP "comm=abcd exe=(null) arch=c000003e syscall=90 "
        "code=0x7ffc0000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = -1, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0, .comm = "abcd", .exe = "(null)", .subj = ""}},
    {"odd-length hex kept verbatim",
     IN("type=SECCOMP msg=" STAMP "comm=ABC exe=\"/x\" arch=c000003e syscall=90 "
        "code=0x7ffc0000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = -1, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0, .comm = "ABC", .exe = "/x", .subj = ""}},
    {"unterminated quote at end",
     IN("type=SECCOMP msg=" STAMP "arch=c000003e syscall=90 code=0x7ffc0000 comm=\"abc"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = -1, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0, .comm = "abc", .exe = "", .subj = ""}},
    {"comm truncated to the buffer",
     IN("type=SECCOMP msg=" STAMP "comm=\"0123456789012345678901234567890123456789012345678901"
        "234567890123456789\" arch=c000003e syscall=90 code=0x7ffc0000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = -1, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0,
      .comm = "012345678901234567890123456789012345678901234567890123456789012", .exe = "",
      .subj = ""}},
    {"NUL inside comm ends it",
     IN("type=SECCOMP msg=" STAMP "comm=\"lo\0gme\" exe=\"/tmp/logme\" arch=c000003e syscall=90 "
        "code=0x7ffc0000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = -1, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0, .comm = "lo", .subj = ""}},
    {"NUL between fields",
     IN("type=SECCOMP msg=" STAMP "pid=2407\0 comm=\"logme\" \0\0 arch=c000003e syscall=90 "
        "code=0x7ffc0000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = -1, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0, .exe = "", .subj = ""}},

    /* ---- every action ---- */
    {"code log", IN("type=SECCOMP msg=" STAMP BODY), SCW_PARSE_SECCOMP, {EXPECT_BASE}},
    {"code kill_process",
     IN("type=SECCOMP msg=" STAMP "auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined "
        "pid=2407 comm=\"logme\" exe=\"/tmp/logme\" sig=31 arch=c000003e syscall=90 compat=0 "
        "ip=0x7f4192faed57 code=0x80000000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .sig = 31, .code = 0x80000000, .action = SCW_ACTION_KILL_PROCESS}},
    {"code kill_thread",
     IN("type=SECCOMP msg=" STAMP "auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined "
        "pid=2407 comm=\"logme\" exe=\"/tmp/logme\" sig=31 arch=c000003e syscall=90 compat=0 "
        "ip=0x7f4192faed57 code=0x0"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .sig = 31, .code = 0, .action = SCW_ACTION_KILL_THREAD}},
    {"code errno",
     IN("type=SECCOMP msg=" STAMP "arch=c000003e syscall=90 code=0x50000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = -1, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0, .comm = "", .exe = "", .subj = "", .code = 0x50000,
      .action = SCW_ACTION_ERRNO}},
    {"code trap",
     IN("type=SECCOMP msg=" STAMP "arch=c000003e syscall=90 code=0x30000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = -1, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0, .comm = "", .exe = "", .subj = "", .code = 0x30000,
      .action = SCW_ACTION_TRAP}},
    {"code trace",
     IN("type=SECCOMP msg=" STAMP "arch=c000003e syscall=90 code=0x7ff00000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = -1, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0, .comm = "", .exe = "", .subj = "", .code = 0x7ff00000,
      .action = SCW_ACTION_TRACE}},
    {"code user_notif",
     IN("type=SECCOMP msg=" STAMP "arch=c000003e syscall=90 code=0x7fc00000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = -1, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0, .comm = "", .exe = "", .subj = "", .code = 0x7fc00000,
      .action = SCW_ACTION_USER_NOTIF}},
    {"code unknown, raw kept",
     IN("type=SECCOMP msg=" STAMP "arch=c000003e syscall=90 code=0x12340000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = -1, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0, .comm = "", .exe = "", .subj = "", .code = 0x12340000,
      .action = SCW_ACTION_UNKNOWN}},
    {"code with data bits is unknown",
     IN("type=SECCOMP msg=" STAMP "arch=c000003e syscall=90 code=0x50001"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = -1, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0, .comm = "", .exe = "", .subj = "", .code = 0x50001,
      .action = SCW_ACTION_UNKNOWN}},
    {"code missing (line cut after syscall=)",
     IN("Nov 28 14:22:16 host kernel: audit: type=1326 " STAMP "auid=4294967295 uid=0 gid=0 "
        "ses=4294967295 subj=unconfined pid=2407 comm=\"logme\" exe=\"/tmp/logme\" sig=0 "
        "arch=c000003e syscall=90 compat=0 ip=0x7f4192faed57"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .code = SCW_CODE_ABSENT, .action = SCW_ACTION_UNKNOWN}},
    {"code not hex",
     IN("type=SECCOMP msg=" STAMP "arch=c000003e syscall=90 code=log"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = -1, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0, .comm = "", .exe = "", .subj = "", .code = SCW_CODE_ABSENT,
      .action = SCW_ACTION_UNKNOWN}},

    /* ---- architectures as logged ---- */
    {"x32 keeps its bit",
     IN("type=SECCOMP msg=" STAMP "arch=c000003e syscall=1073742081 code=0x7ffc0000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = -1, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0, .comm = "", .exe = "", .subj = "", .syscall = 0x40000101}},
    {"x86 compat",
     IN("type=SECCOMP msg=" STAMP "auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined "
        "pid=2407 comm=\"logme\" exe=\"/tmp/logme\" sig=0 arch=40000003 syscall=295 compat=1 "
        "ip=0xf7f1c549 code=0x7ffc0000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .arch = 0x40000003, .syscall = 295, .compat = true, .ip = 0xf7f1c549}},
    {"aarch64",
     IN("type=SECCOMP msg=" STAMP "auid=1000 uid=1000 gid=1000 ses=3 subj=unconfined pid=99 "
        "comm=\"app\" exe=\"/usr/bin/app\" sig=0 arch=c00000b7 syscall=56 compat=0 "
        "ip=0xffff8a0b1c2d code=0x50000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .auid = 1000, .uid = 1000, .gid = 1000, .ses = 3, .pid = 99, .comm = "app",
      .exe = "/usr/bin/app", .arch = 0xc00000b7, .syscall = 56, .ip = 0xffff8a0b1c2d,
      .code = 0x50000, .action = SCW_ACTION_ERRNO}},
    {"unknown arch value is still a record",
     IN("type=SECCOMP msg=" STAMP "arch=12345678 syscall=7 code=0x7ffc0000"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE, .pid = -1, .uid = UINT32_MAX, .gid = UINT32_MAX, .auid = UINT32_MAX,
      .ses = UINT32_MAX, .ip = 0, .comm = "", .exe = "", .subj = "", .arch = 0x12345678,
      .syscall = 7}},

    /* ---- malformed: claims SECCOMP, lacks a valid arch= or syscall= ---- */
    {"no arch", IN("type=SECCOMP msg=" STAMP "pid=1 syscall=90 code=0x7ffc0000"),
     SCW_PARSE_MALFORMED},
    {"no syscall", IN("type=SECCOMP msg=" STAMP "pid=1 arch=c000003e code=0x7ffc0000"),
     SCW_PARSE_MALFORMED},
    {"arch not hex", IN("type=SECCOMP msg=" STAMP "arch=x86_64 syscall=90"), SCW_PARSE_MALFORMED},
    {"arch zero", IN("type=SECCOMP msg=" STAMP "arch=0 syscall=90"), SCW_PARSE_MALFORMED},
    {"arch too wide", IN("type=SECCOMP msg=" STAMP "arch=1c000003e syscall=90"),
     SCW_PARSE_MALFORMED},
    {"arch empty", IN("type=SECCOMP msg=" STAMP "arch= syscall=90"), SCW_PARSE_MALFORMED},
    {"syscall named (ausearch -i)",
     IN("type=SECCOMP msg=audit(11/28/2026 14:22:16.358:2) : arch=x86_64 syscall=chmod"),
     SCW_PARSE_MALFORMED},
    {"syscall negative", IN("type=SECCOMP msg=" STAMP "arch=c000003e syscall=-1"),
     SCW_PARSE_MALFORMED},
    {"syscall too big", IN("type=SECCOMP msg=" STAMP "arch=c000003e syscall=4294967296"),
     SCW_PARSE_MALFORMED},
    {"syscall with junk", IN("type=SECCOMP msg=" STAMP "arch=c000003e syscall=90x"),
     SCW_PARSE_MALFORMED},
    {"syscall hex", IN("type=SECCOMP msg=" STAMP "arch=c000003e syscall=0x5a"),
     SCW_PARSE_MALFORMED},
    {"bare type=SECCOMP", IN("type=SECCOMP"), SCW_PARSE_MALFORMED},
    {"type=SECCOMP stamp only", IN("type=SECCOMP msg=" STAMP), SCW_PARSE_MALFORMED},
    {"kernel log cut short", IN("[  122.854464] audit: type=1326 " STAMP "auid=4294967295 uid=0"),
     SCW_PARSE_MALFORMED},
    {"kernel log stamp cut", IN("[  122.854464] audit: type=1326 audit(17958"),
     SCW_PARSE_MALFORMED},
    {"journald without fields", IN("Nov 28 14:22:16 host audit[2407]: SECCOMP "),
     SCW_PARSE_MALFORMED},
    {"ENRICHED: arch only after 0x1d",
     IN("type=SECCOMP msg=" STAMP "pid=1 code=0x7ffc0000\x1d"
        "arch=c000003e syscall=90"),
     SCW_PARSE_MALFORMED},
    {"NUL inside arch", IN("type=SECCOMP msg=" STAMP "arch=c000\0003e syscall=90"),
     SCW_PARSE_MALFORMED},

    /* ---- other: not SECCOMP records ---- */
    {"empty", IN(""), SCW_PARSE_OTHER},
    {"CR only", IN("\r"), SCW_PARSE_OTHER},
    {"auditd SYSCALL",
     IN("type=SYSCALL msg=" STAMP "arch=c000003e syscall=90 success=yes exit=0 pid=2407 "
        "comm=\"logme\" exe=\"/tmp/logme\" key=(null)"),
     SCW_PARSE_OTHER},
    {"auditd SECCOMPX", IN("type=SECCOMPX msg=" STAMP BODY), SCW_PARSE_OTHER},
    {"auditd 13260", IN("type=13260 msg=" STAMP BODY), SCW_PARSE_OTHER},
    {"auditd SYSCALL with node=", IN("node=h type=SYSCALL msg=" STAMP "arch=c000003e syscall=1"),
     SCW_PARSE_OTHER},
    {"node= alone", IN("node=host1"), SCW_PARSE_OTHER},
    {"kernel SYSCALL record",
     IN("[  122.854464] audit: type=1300 " STAMP "arch=c000003e syscall=90 success=yes"),
     SCW_PARSE_OTHER},
    {"kernel SYSCALL whose comm holds a SECCOMP marker",
     IN("Nov 28 14:22:16 host kernel: audit: type=1300 " STAMP "arch=c000003e syscall=90 "
        "comm=x type=1326 audit(1795875804.358:2): arch=c000003e syscall=1"),
     SCW_PARSE_OTHER},
    {"SECCOMP word in an application log",
     IN("Nov 28 14:22:16 host myapp[12]: saw type=SECCOMP events arch=c000003e syscall=1"),
     SCW_PARSE_OTHER},
    {"type=1326 at the end of an application line",
     IN("Nov 28 14:22:16 host myapp[12]: filtering type=1326"), SCW_PARSE_OTHER},
    /* " SECCOMP " and audit fields after any tag: a record, or a malformed one, never other */
    {"SECCOMP after another tag, no syscall",
     IN("Nov 28 14:22:16 host myapp[12]: SECCOMP arch=c000003e"), SCW_PARSE_MALFORMED},
    {"SECCOMP after another tag, without fields", IN("Nov 28 14:22:16 host myapp[12]: SECCOMP on"),
     SCW_PARSE_OTHER},
    {"SECCOMP word in prose", IN("Nov 28 14:22:16 host app: SECCOMP mode is 2, see arch= docs"),
     SCW_PARSE_MALFORMED},
    {"SECCOMP glued to a word", IN("Nov 28 14:22:16 host app: xSECCOMP " BODY), SCW_PARSE_OTHER},
    {"audit: tag without fields", IN("Nov 28 14:22:16 host audit: SECCOMP "), SCW_PARSE_MALFORMED},
    {"audit[] without a pid, fields",
     IN("Nov 28 14:22:16 host audit[]: SECCOMP " BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_NOSTAMP}},
    {"journald-looking word glued to another",
     IN("host xaudit[12]: SECCOMP " BODY),
     SCW_PARSE_SECCOMP,
     {EXPECT_NOSTAMP}},
    {"journald-looking word glued, no fields", IN("host xaudit[12]: SECCOMP "), SCW_PARSE_OTHER},
    {"journald audit reader, other type",
     IN("Nov 28 14:22:16 host audit[2407]: AVC apparmor=\"DENIED\""), SCW_PARSE_OTHER},
    {"kauditd suppression line", IN("[  125.000001] kauditd_printk_skb: 12 callbacks suppressed"),
     SCW_PARSE_OTHER},
    {"glued type= word", IN("[ 1.0] audit: xtype=1326 " STAMP BODY), SCW_PARSE_OTHER},
    {"binary garbage", IN("\x01\x02\xff\xfe\x80type\x00=\x1d\x1f\x8b"), SCW_PARSE_OTHER},
    {"NUL bytes only", IN("\0\0\0\0"), SCW_PARSE_OTHER},
    {"NUL before the marker breaks the record type", IN("type=SEC\0COMP msg=" STAMP BODY),
     SCW_PARSE_OTHER},
    {"ENRICHED SYSCALL", IN("type=SYSCALL msg=" STAMP "arch=c000003e\x1dSYSCALL=chmod"),
     SCW_PARSE_OTHER},
};

static void check_record(const char *name, const struct scw_record *r, const struct expect *w)
{
    /* print the case name on failure: cmocka's messages carry only the values */
    if (r->ts_sec != w->ts_sec || r->ts_msec != w->ts_msec || r->serial != w->serial ||
        r->arch != w->arch || r->syscall != w->syscall || r->code != w->code ||
        r->action != w->action || r->pid != w->pid || r->uid != w->uid || r->gid != w->gid ||
        r->auid != w->auid || r->ses != w->ses || r->sig != w->sig || r->compat != w->compat ||
        r->ip != w->ip || strcmp(r->comm, w->comm) != 0 || strcmp(r->exe, w->exe) != 0 ||
        strcmp(r->subj, w->subj) != 0)
        print_error("case '%s':\n", name);
    assert_int_equal(r->ts_sec, w->ts_sec);
    assert_int_equal(r->ts_msec, w->ts_msec);
    assert_int_equal(r->serial, w->serial);
    assert_int_equal(r->arch, w->arch);
    assert_int_equal(r->syscall, w->syscall);
    assert_int_equal(r->code, w->code);
    assert_int_equal(r->action, w->action);
    assert_int_equal(r->pid, w->pid);
    assert_int_equal(r->uid, w->uid);
    assert_int_equal(r->gid, w->gid);
    assert_int_equal(r->auid, w->auid);
    assert_int_equal(r->ses, w->ses);
    assert_int_equal(r->sig, w->sig);
    assert_int_equal(r->compat, w->compat);
    assert_int_equal(r->ip, w->ip);
    assert_string_equal(r->comm, w->comm);
    assert_string_equal(r->exe, w->exe);
    assert_string_equal(r->subj, w->subj);
}

/* Parse from a heap copy of exactly len bytes, so ASan catches any read past the end. */
static enum scw_parse_result parse_exact(const char *in, size_t len, struct scw_record *r)
{
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, in, len);
    enum scw_parse_result res = scw_record_parse_line(copy, len, r);
    free(copy);
    return res;
}

static void test_line_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(line_cases) / sizeof(line_cases[0]); i++) {
        const struct line_case *c = &line_cases[i];
        struct scw_record r;
        memset(&r, 0xa5, sizeof(r)); /* stale garbage must not leak into the result */
        enum scw_parse_result res = parse_exact(c->in, c->len, &r);
        if (res != c->result)
            print_error("case '%s': result %d, want %d\n", c->name, res, c->result);
        assert_int_equal(res, c->result);
        if (res == SCW_PARSE_SECCOMP)
            check_record(c->name, &r, &c->want);
    }
}

/* The same record must parse identically whichever prefix carries it. */
static void test_every_prefix_same_record(void **state)
{
    (void)state;
    static const char *const prefixes[] = {
        "type=SECCOMP msg=",
        "node=n type=SECCOMP msg=",
        "[  122.854464] audit: type=1326 ",
        "Nov 28 14:22:16 host kernel: [  122.854464] audit: type=1326 ",
        "Nov 28 14:22:16 host kernel: audit: type=1326 ",
        "5,1234,122854464,-;audit: type=1326 ",
    };
    struct scw_record ref;
    memset(&ref, 0, sizeof(ref)); /* padding too: the records are compared as memory */
    assert_int_equal(scw_record_parse_line(IN("type=SECCOMP msg=" STAMP BODY), &ref),
                     SCW_PARSE_SECCOMP);
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        char *line = scw_test_asprintf("%s%s%s", prefixes[i], STAMP, BODY);
        struct scw_record r;
        memset(&r, 0, sizeof(r));
        assert_int_equal(scw_record_parse_line(line, strlen(line), &r), SCW_PARSE_SECCOMP);
        assert_memory_equal(&r, &ref, offsetof(struct scw_record, comm));
        assert_string_equal(r.comm, ref.comm);
        assert_string_equal(r.exe, ref.exe);
        assert_string_equal(r.subj, ref.subj);
        free(line);
    }
}

/* Parsing a record never depends on what the buffer held before (records are reused). */
static void test_reuse_resets_fields(void **state)
{
    (void)state;
    struct scw_record r;
    assert_int_equal(scw_record_parse_line(IN("type=SECCOMP msg=" STAMP BODY), &r),
                     SCW_PARSE_SECCOMP);
    assert_int_equal(
        scw_record_parse_line(IN("type=SECCOMP msg=audit(5.001:9): arch=c00000b7 syscall=1"), &r),
        SCW_PARSE_SECCOMP);
    assert_int_equal(r.ts_sec, 5);
    assert_int_equal(r.ts_msec, 1);
    assert_int_equal(r.serial, 9);
    assert_int_equal(r.pid, -1);
    assert_int_equal(r.code, SCW_CODE_ABSENT);
    assert_int_equal(r.action, SCW_ACTION_UNKNOWN);
    assert_int_equal(r.uid, UINT32_MAX);
    assert_string_equal(r.comm, "");
    assert_string_equal(r.exe, "");
    assert_string_equal(r.subj, "");
}

/* A very long exe is truncated to the buffer, never overflowing it. */
static void test_long_exe(void **state)
{
    (void)state;
    size_t n = 3 * SCW_EXE_MAX;
    char *path = malloc(n + 1);
    assert_non_null(path);
    memset(path, 'a', n);
    path[0] = '/';
    path[n] = '\0';
    char *line =
        scw_test_asprintf("type=SECCOMP msg=" STAMP "exe=\"%s\" arch=c000003e syscall=1", path);
    struct scw_record r;
    assert_int_equal(parse_exact(line, strlen(line), &r), SCW_PARSE_SECCOMP);
    assert_int_equal(strlen(r.exe), SCW_EXE_MAX - 1);
    assert_memory_equal(r.exe, path, SCW_EXE_MAX - 1);
    assert_int_equal(r.syscall, 1);
    free(line);
    free(path);
}

/* Every proper prefix of a record: never a crash, never reads past len (ASan), and a prefix
 * that still has arch= and syscall= complete is a record, anything shorter is malformed. */
static void test_every_truncation(void **state)
{
    (void)state;
    static const char line[] = "type=SECCOMP msg=" STAMP "pid=7 arch=c000003e syscall=90 "
                               "code=0x7ffc0000";
    size_t full = sizeof(line) - 1;
    size_t need = (size_t)(strstr(line, "syscall=90") - line) + strlen("syscall=9");
    for (size_t len = 0; len <= full; len++) {
        struct scw_record r;
        enum scw_parse_result res = parse_exact(line, len, &r);
        if (len < strlen("type=SECCOMP"))
            assert_int_equal(res, SCW_PARSE_OTHER);
        else if (len < need)
            assert_int_equal(res, SCW_PARSE_MALFORMED);
        else
            assert_int_equal(res, SCW_PARSE_SECCOMP);
    }
}

/*
 * The parser has a fast path for the kernel's own field order and a general one for anything
 * else: both must give the same record. A leading unknown field sends a line down the general
 * path, so each line is parsed as written and with "zz=1 " in front; and again cut at every
 * length.
 */
static void test_fast_and_general_paths_agree(void **state)
{
    (void)state;
    static const char *const auids[] = {"4294967295", "0", "1000", "99999999999", "007"};
    static const char *const subjs[] = {"", "subj=unconfined ", "subj=a=b ", "subj= "};
    static const char *const pids[] = {"2407", "2147483647", "2147483648", "0", "-1", "12x"};
    static const char *const comms[] = {"\"logme\"", "6D7920617070", "\"\"",
                                        "(null)",    "\"a b\"",      "\"unterminated"};
    static const char *const exes[] = {"\"/tmp/logme\"", "(null)", "2F6F70742F6D7920617070",
                                       "\"/x\"y"};
    static const char *const sigs[] = {"0", "31", "-5", "-2147483648", "2147483648"};
    static const char *const arches[] = {"c000003e", "0", "0xc000003e", "1c000003e", "C00000B7"};
    static const char *const syscalls[] = {"90", "4294967295", "4294967296", "1073742081"};
    static const char *const ips[] = {"0x7f4192faed57", "0xffffffffffffffff", "7f", "0x"};
    static const char *const codes[] = {"0x7ffc0000",
                                        "0xffffffff",
                                        "0x12340000",
                                        "0x0",
                                        "log",
                                        ("0x7ffc0000\x1d"
                                         "AUID=\"unset\" ARCH=x86_64"),
                                        "0x7ffc0000 extra=1"};
    unsigned seed = 12345, lines = 0;
    for (int n = 0; n < 4000; n++) {
#define PICK(a)                                                                                    \
    a[(seed = seed * 1103515245 + 12345, seed >> 16 & 0x7fff) % (sizeof(a) / sizeof(a[0]))]
        const char *v_auid = PICK(auids);
        const char *v_gid = PICK(auids);
        const char *v_subj = PICK(subjs);
        const char *v_pid = PICK(pids);
        const char *v_comm = PICK(comms);
        const char *v_exe = PICK(exes);
        const char *v_sig = PICK(sigs);
        const char *v_arch = PICK(arches);
        const char *v_sys = PICK(syscalls);
        const char *v_ip = PICK(ips);
        const char *v_code = PICK(codes);
#undef PICK
        char *body = scw_test_asprintf(
            "auid=%s uid=0 gid=%s ses=4294967295 %spid=%s comm=%s exe=%s sig=%s arch=%s "
            "syscall=%s compat=%s ip=%s code=%s",
            v_auid, v_gid, v_subj, v_pid, v_comm, v_exe, v_sig, v_arch, v_sys, n % 7 ? "0" : "1",
            v_ip, v_code);
        size_t blen = strlen(body);
        for (size_t cut = (n % 50 == 0 ? 0 : blen); cut <= blen; cut++) {
            char *fast = scw_test_asprintf("type=SECCOMP msg=audit(1.5:7): %.*s", (int)cut, body);
            char *slow =
                scw_test_asprintf("type=SECCOMP msg=audit(1.5:7): zz=1 %.*s", (int)cut, body);
            struct scw_record a, b;
            memset(&a, 0x11, sizeof(a));
            memset(&b, 0x22, sizeof(b));
            enum scw_parse_result ra = parse_exact(fast, strlen(fast), &a);
            enum scw_parse_result rb = parse_exact(slow, strlen(slow), &b);
            if (ra != rb)
                print_error("'%s': %d vs '%s': %d\n", fast, ra, slow, rb);
            assert_int_equal(ra, rb);
            if (ra == SCW_PARSE_SECCOMP) {
                struct expect w = {
                    .ts_sec = b.ts_sec,
                    .ts_msec = b.ts_msec,
                    .serial = b.serial,
                    .arch = b.arch,
                    .syscall = b.syscall,
                    .code = b.code,
                    .action = b.action,
                    .pid = b.pid,
                    .uid = b.uid,
                    .gid = b.gid,
                    .auid = b.auid,
                    .ses = b.ses,
                    .sig = b.sig,
                    .compat = b.compat,
                    .ip = b.ip,
                    .comm = b.comm,
                    .exe = b.exe,
                    .subj = b.subj,
                };
                check_record(fast, &a, &w);
            }
            free(fast);
            free(slow);
            lines++;
        }
        free(body);
    }
    assert_true(lines > 4000);
}

struct body_case {
    const char *name;
    const char *in;
    size_t len;
    enum scw_parse_result result;
    struct expect want;
};

static const struct body_case body_cases[] = {
    {"netlink body", IN(STAMP BODY), SCW_PARSE_SECCOMP, {EXPECT_BASE}},
    {"netlink body with NUL and newline",
     IN(STAMP BODY "\n\0\0"),
     SCW_PARSE_SECCOMP,
     {EXPECT_BASE}},
    {"body without stamp", IN(BODY), SCW_PARSE_SECCOMP, {EXPECT_NOSTAMP}},
    {"body x32",
     IN("audit(1.5:3): pid=4 comm=41 exe=(null) arch=c000003e syscall=1073742081 code=0x0"),
     SCW_PARSE_SECCOMP,
     {.ts_sec = 1,
      .ts_msec = 500,
      .serial = 3,
      .arch = 0xc000003e,
      .syscall = 0x40000101,
      .code = 0,
      .action = SCW_ACTION_KILL_THREAD,
      .pid = 4,
      .uid = UINT32_MAX,
      .gid = UINT32_MAX,
      .auid = UINT32_MAX,
      .ses = UINT32_MAX,
      .comm = "A",
      .exe = "(null)",
      .subj = ""}},
    {"body missing syscall", IN(STAMP "arch=c000003e code=0x7ffc0000"), SCW_PARSE_MALFORMED},
    {"empty body", IN(""), SCW_PARSE_MALFORMED},
};

static void test_body_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(body_cases) / sizeof(body_cases[0]); i++) {
        const struct body_case *c = &body_cases[i];
        struct scw_record r;
        memset(&r, 0x5a, sizeof(r));
        char *copy = malloc(c->len ? c->len : 1);
        assert_non_null(copy);
        memcpy(copy, c->in, c->len);
        enum scw_parse_result res = scw_record_parse_body(copy, c->len, &r);
        free(copy);
        if (res != c->result)
            print_error("case '%s': result %d, want %d\n", c->name, res, c->result);
        assert_int_equal(res, c->result);
        if (res == SCW_PARSE_SECCOMP)
            check_record(c->name, &r, &c->want);
    }
}

static const struct {
    const char *in;
    size_t cap;
    int ret;
    const char *out;
} decode_cases[] = {
    {"\"quoted\"", 64, 6, "quoted"},
    {"\"\"", 64, 0, ""},
    {"\"unterminated", 64, 12, "unterminated"},
    {"6D7920617070", 64, 6, "my app"},
    {"2F62696E2F7368", 64, 7, "/bin/sh"},
    {"(null)", 64, 6, "(null)"},
    {"ABC", 64, 3, "ABC"},         /* odd length: not hex */
    {"6d79", 64, 4, "6d79"},       /* lowercase: the kernel writes uppercase hex */
    {"6D7G", 64, 4, "6D7G"},       /* not hex digits */
    {"6D7920617070", 4, 3, "my "}, /* truncated to cap - 1 */
    {"\"quoted\"", 3, 2, "qu"},    /* truncated to cap - 1 */
    {"verbatim", 1, 0, ""},        /* only the terminator fits */
    {"", 8, 0, ""},                /* empty */
    {"\"", 8, 1, "\""},            /* a lone quote is kept */
    {"41004243", 8, 4, "A"},       /* NUL byte decoded: C string ends there */
};

static void test_decode_value(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(decode_cases) / sizeof(decode_cases[0]); i++) {
        char out[80];
        memset(out, 'X', sizeof(out));
        int rc = scw_record_decode_value(decode_cases[i].in, strlen(decode_cases[i].in), out,
                                         decode_cases[i].cap);
        if (rc != decode_cases[i].ret)
            print_error("decode '%s': %d, want %d\n", decode_cases[i].in, rc, decode_cases[i].ret);
        assert_int_equal(rc, decode_cases[i].ret);
        assert_string_equal(out, decode_cases[i].out);
        assert_int_equal(out[rc], '\0');
        assert_int_equal(out[decode_cases[i].cap], 'X'); /* nothing written past cap */
    }
    char out[4];
    assert_int_equal(scw_record_decode_value("ab", 2, out, 0), -EINVAL);
}

static void test_actions(void **state)
{
    (void)state;
    static const struct {
        uint32_t code;
        enum scw_action action;
        const char *name;
    } cases[] = {
        {0x7ffc0000U, SCW_ACTION_LOG, "log"},
        {0x80000000U, SCW_ACTION_KILL_PROCESS, "kill_process"},
        {0x00000000U, SCW_ACTION_KILL_THREAD, "kill_thread"},
        {0x00050000U, SCW_ACTION_ERRNO, "errno"},
        {0x00030000U, SCW_ACTION_TRAP, "trap"},
        {0x7ff00000U, SCW_ACTION_TRACE, "trace"},
        {0x7fc00000U, SCW_ACTION_USER_NOTIF, "user_notif"},
        {0x7fff0000U, SCW_ACTION_ALLOW, "allow"},
        {0x12340000U, SCW_ACTION_UNKNOWN, "unknown"},
        {0x00050001U, SCW_ACTION_UNKNOWN, "unknown"},
        {SCW_CODE_ABSENT, SCW_ACTION_UNKNOWN, "unknown"},
    };
    bool seen[SCW_ACTION_MAX] = {false};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(scw_action_from_code(cases[i].code), cases[i].action);
        assert_string_equal(scw_action_name(cases[i].action), cases[i].name);
        assert_int_equal(scw_action_from_name(cases[i].name), cases[i].action);
        seen[cases[i].action] = true;
    }
    for (int a = 0; a < SCW_ACTION_MAX; a++)
        assert_true(seen[a]); /* the table above covers the whole enum */
    assert_int_equal(scw_action_from_name("LOG"), SCW_ACTION_INVALID);
    assert_int_equal(scw_action_from_name(""), SCW_ACTION_INVALID);
    assert_int_equal(scw_action_from_name("kill"), SCW_ACTION_INVALID);
    assert_string_equal(scw_action_name(SCW_ACTION_INVALID), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_table),
        cmocka_unit_test(test_every_prefix_same_record),
        cmocka_unit_test(test_reuse_resets_fields),
        cmocka_unit_test(test_long_exe),
        cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_fast_and_general_paths_agree),
        cmocka_unit_test(test_body_table),
        cmocka_unit_test(test_decode_value),
        cmocka_unit_test(test_actions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
