/*
 * record: classify one line of log text and parse SECCOMP audit records into struct scw_record.
 *
 * The hot path of replay: one pass over the line, no allocation, no libc scanf. A line is
 * "other" unless it carries a SECCOMP marker (type=SECCOMP, type=1326, "audit[PID]: SECCOMP");
 * a marked line without a valid arch= and syscall= is malformed. Fields may come in any order.
 * Naming (arch/syscall numbers -> names) is not done here: see name.c.
 */
#include "record.h"

#include <errno.h>
#include <string.h>

#define ENRICHED_SEP 0x1d

static const struct {
    uint32_t code;
    enum scw_action action;
    const char *name;
} actions[] = {
    {0x00000000U, SCW_ACTION_KILL_THREAD, "kill_thread"},
    {0x80000000U, SCW_ACTION_KILL_PROCESS, "kill_process"},
    {0x00030000U, SCW_ACTION_TRAP, "trap"},
    {0x00050000U, SCW_ACTION_ERRNO, "errno"},
    {0x7fc00000U, SCW_ACTION_USER_NOTIF, "user_notif"},
    {0x7ff00000U, SCW_ACTION_TRACE, "trace"},
    {0x7ffc0000U, SCW_ACTION_LOG, "log"},
    {0x7fff0000U, SCW_ACTION_ALLOW, "allow"},
};

enum scw_action scw_action_from_code(uint32_t code)
{
    for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
        if (actions[i].code == code)
            return actions[i].action;
    return SCW_ACTION_UNKNOWN;
}

const char *scw_action_name(enum scw_action a)
{
    for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
        if (actions[i].action == a)
            return actions[i].name;
    return "unknown";
}

enum scw_action scw_action_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
        if (strcmp(actions[i].name, name) == 0)
            return actions[i].action;
    if (strcmp(name, "unknown") == 0)
        return SCW_ACTION_UNKNOWN;
    return SCW_ACTION_INVALID;
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Unsigned decimal, whole token; false on empty, junk or overflow. */
static bool parse_u64(const char *s, size_t len, uint64_t *ret)
{
    uint64_t v = 0;
    if (len == 0 || len > 20)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned char)s[i] - '0';
        if (d > 9 || v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *ret = v;
    return true;
}

/* Hex with optional 0x, whole token. */
static bool parse_hex(const char *s, size_t len, uint64_t *ret)
{
    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        len -= 2;
    }
    if (len == 0 || len > 16)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        int d = hexval((unsigned char)s[i]);
        if (d < 0)
            return false;
        v = v << 4 | (uint64_t)d;
    }
    *ret = v;
    return true;
}

static bool parse_i64(const char *s, size_t len, int64_t *ret)
{
    uint64_t v;
    bool neg = len > 0 && s[0] == '-';
    if (!parse_u64(s + neg, len - neg, &v) || v > (uint64_t)INT64_MAX)
        return false;
    *ret = neg ? -(int64_t)v : (int64_t)v;
    return true;
}

int scw_record_decode_value(const char *val, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    if (cap == 0)
        return -EINVAL;
    if (len >= 2 && val[0] == '"') {
        /* quoted: up to the closing quote (values never contain one: audit hex-encodes them) */
        const char *end = memchr(val + 1, '"', len - 1);
        size_t l = end ? (size_t)(end - val - 1) : len - 1;
        n = l < cap - 1 ? l : cap - 1;
        memcpy(out, val + 1, n);
        out[n] = '\0';
        return (int)n;
    }
    bool hex = len > 0 && len % 2 == 0;
    for (size_t i = 0; hex && i < len; i++)
        hex = hexval((unsigned char)val[i]) >= 0 && !(val[i] >= 'a' && val[i] <= 'f');
    if (!hex) {
        n = len < cap - 1 ? len : cap - 1;
        memcpy(out, val, n);
        out[n] = '\0';
        return (int)n;
    }
    for (size_t i = 0; i + 1 < len && n < cap - 1; i += 2)
        out[n++] = (char)(hexval((unsigned char)val[i]) << 4 | hexval((unsigned char)val[i + 1]));
    out[n] = '\0';
    return (int)n;
}

static void record_reset(struct scw_record *r)
{
    r->ts_sec = 0;
    r->ts_msec = 0;
    r->serial = 0;
    r->arch = 0;
    r->syscall = 0;
    r->code = SCW_CODE_ABSENT;
    r->action = SCW_ACTION_UNKNOWN;
    r->pid = -1;
    r->uid = r->gid = r->auid = r->ses = UINT32_MAX;
    r->sig = 0;
    r->compat = false;
    r->ip = 0;
    r->comm[0] = r->exe[0] = r->subj[0] = '\0';
}

/*
 * "audit(1795875804.358:2)" at p (after "audit("). Returns the position after "): " or after
 * ")" or NULL when it does not look like a timestamp.
 */
static const char *parse_stamp(const char *p, const char *end, struct scw_record *r)
{
    const char *q = p;
    while (q < end && *q >= '0' && *q <= '9')
        q++;
    uint64_t sec, ms = 0, serial;
    if (!parse_u64(p, (size_t)(q - p), &sec))
        return NULL;
    if (q < end && *q == '.') {
        const char *m = ++q;
        while (q < end && *q >= '0' && *q <= '9')
            q++;
        if (!parse_u64(m, (size_t)(q - m), &ms))
            return NULL;
        /* normalise to milliseconds whatever the precision written */
        for (size_t digits = (size_t)(q - m); digits < 3; digits++)
            ms *= 10;
        for (size_t digits = (size_t)(q - m); digits > 3; digits--)
            ms /= 10;
    }
    if (q >= end || *q != ':')
        return NULL;
    const char *s = ++q;
    while (q < end && *q >= '0' && *q <= '9')
        q++;
    if (!parse_u64(s, (size_t)(q - s), &serial) || q >= end || *q != ')')
        return NULL;
    if (sec > (uint64_t)INT64_MAX)
        return NULL;
    r->ts_sec = (int64_t)sec;
    r->ts_msec = (uint32_t)ms;
    r->serial = serial;
    q++;
    if (q < end && *q == ':')
        q++;
    return q;
}

static void copy_value(char *dst, size_t cap, const char *v, size_t vlen)
{
    if (scw_record_decode_value(v, vlen, dst, cap) < 0)
        dst[0] = '\0';
}

#define KEY_IS(k, kl, lit) ((kl) == sizeof(lit) - 1 && memcmp((k), (lit), sizeof(lit) - 1) == 0)

/* key=value fields from p to end. Returns the classification. */
static enum scw_parse_result parse_fields(const char *p, const char *end, struct scw_record *r)
{
    bool have_arch = false, have_syscall = false;
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        if (p >= end || *p == ENRICHED_SEP)
            break;
        const char *k = p;
        while (p < end && *p != '=' && *p != ' ' && *p != ENRICHED_SEP)
            p++;
        if (p >= end || *p != '=') {
            continue; /* a bare word: skip it */
        }
        size_t kl = (size_t)(p - k);
        const char *v = ++p;
        if (p < end && *p == '"') {
            const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
            p = q ? q + 1 : end;
        } else {
            while (p < end && *p != ' ' && *p != ENRICHED_SEP)
                p++;
        }
        size_t vl = (size_t)(p - v);
        uint64_t u;
        int64_t i;
        switch (kl ? k[0] : 0) {
        case 'a':
            if (KEY_IS(k, kl, "arch")) {
                if (parse_hex(v, vl, &u) && u != 0 && u <= UINT32_MAX) {
                    r->arch = (uint32_t)u;
                    have_arch = true;
                }
            } else if (KEY_IS(k, kl, "auid") && parse_u64(v, vl, &u)) {
                r->auid = (uint32_t)u;
            }
            break;
        case 'c':
            if (KEY_IS(k, kl, "code")) {
                if (parse_hex(v, vl, &u) && u < SCW_CODE_ABSENT)
                    r->code = (uint32_t)u;
            } else if (KEY_IS(k, kl, "comm")) {
                copy_value(r->comm, sizeof(r->comm), v, vl);
            } else if (KEY_IS(k, kl, "compat") && parse_u64(v, vl, &u)) {
                r->compat = u != 0;
            }
            break;
        case 'e':
            if (KEY_IS(k, kl, "exe"))
                copy_value(r->exe, sizeof(r->exe), v, vl);
            break;
        case 'g':
            if (KEY_IS(k, kl, "gid") && parse_u64(v, vl, &u))
                r->gid = (uint32_t)u;
            break;
        case 'i':
            if (KEY_IS(k, kl, "ip") && parse_hex(v, vl, &u))
                r->ip = u;
            break;
        case 'p':
            if (KEY_IS(k, kl, "pid") && parse_i64(v, vl, &i) && i >= 0 && i <= INT32_MAX)
                r->pid = (int32_t)i;
            break;
        case 's':
            if (KEY_IS(k, kl, "syscall")) {
                if (parse_i64(v, vl, &i) && i >= 0 && i <= UINT32_MAX) {
                    r->syscall = (uint32_t)i;
                    have_syscall = true;
                }
            } else if (KEY_IS(k, kl, "sig") && parse_i64(v, vl, &i) && i >= INT32_MIN &&
                       i <= INT32_MAX) {
                r->sig = (int32_t)i;
            } else if (KEY_IS(k, kl, "ses") && parse_u64(v, vl, &u)) {
                r->ses = (uint32_t)u;
            } else if (KEY_IS(k, kl, "subj")) {
                copy_value(r->subj, sizeof(r->subj), v, vl);
            }
            break;
        case 'u':
            if (KEY_IS(k, kl, "uid") && parse_u64(v, vl, &u))
                r->uid = (uint32_t)u;
            break;
        default:
            break;
        }
    }
    if (!have_arch || !have_syscall)
        return SCW_PARSE_MALFORMED;
    r->action = scw_action_from_code(r->code);
    return SCW_PARSE_SECCOMP;
}

static bool starts_with(const char *p, const char *end, const char *lit, size_t litlen)
{
    return (size_t)(end - p) >= litlen && memcmp(p, lit, litlen) == 0;
}
#define STARTS(p, end, lit) starts_with((p), (end), (lit), sizeof(lit) - 1)

/* After "type=SECCOMP " or "type=1326 ": expects "msg=audit(...): " or "audit(...): ". */
static enum scw_parse_result parse_after_type(const char *p, const char *end, struct scw_record *r)
{
    while (p < end && *p == ' ')
        p++;
    if (STARTS(p, end, "msg="))
        p += 4;
    if (STARTS(p, end, "audit(")) {
        const char *q = parse_stamp(p + 6, end, r);
        if (q)
            p = q;
    }
    return parse_fields(p, end, r);
}

/*
 * Is the `type=` value at p a SECCOMP marker? Sets *after to the byte after it. Old auditd
 * versions that have no name for 1326 write "UNKNOWN[1326]".
 */
static bool seccomp_type(const char *p, const char *end, const char **after)
{
    static const struct {
        const char *lit;
        size_t len;
    } markers[] = {{"SECCOMP", 7}, {"1326", 4}, {"UNKNOWN[1326]", 13}};
    for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++) {
        size_t l = markers[i].len;
        if (starts_with(p, end, markers[i].lit, l) && (p + l == end || p[l] == ' ')) {
            *after = p + l;
            return true;
        }
    }
    return false;
}

/* Does an audit stamp follow (after spaces): "msg=audit(" or "audit(" and a digit? */
static bool stamp_follows(const char *p, const char *end)
{
    while (p < end && *p == ' ')
        p++;
    if (STARTS(p, end, "msg="))
        p += 4;
    return STARTS(p, end, "audit(") && p + 6 < end && p[6] >= '0' && p[6] <= '9';
}

enum scw_parse_result scw_record_parse_line(const char *line, size_t len, struct scw_record *r)
{
    const char *p = line, *end = line + len, *after;
    while (end > p && (end[-1] == '\r' || end[-1] == '\n'))
        end--;

    /* auditd's own log: the line starts with the record (after an optional node= name) */
    if (STARTS(p, end, "node=")) {
        const char *sp = memchr(p, ' ', (size_t)(end - p));
        if (!sp)
            return SCW_PARSE_OTHER;
        p = sp + 1;
    }
    if (STARTS(p, end, "type=")) {
        if (!seccomp_type(p + 5, end, &after))
            return SCW_PARSE_OTHER;
        record_reset(r);
        return parse_after_type(after, end, r);
    }

    /*
     * Kernel-log flavours (dmesg, kern.log, journalctl -k, /dev/kmsg) and auditd records
     * forwarded through syslog: the record follows a prefix we do not need. In the middle of a
     * line "type=X" only counts when an audit stamp follows it, so a program that merely writes
     * "type=SECCOMP" in its own log line is not taken for a record; and the first such marker
     * decides, so text inside another record's values is never looked at.
     */
    const char *m = memmem(p, (size_t)(end - p), "type=", 5);
    while (m) {
        const char *v = m + 5;
        const char *ve = memchr(v, ' ', (size_t)(end - v));
        if (!ve)
            break;
        if ((m == p || m[-1] == ' ' || m[-1] == ';') && stamp_follows(ve, end)) {
            if (!seccomp_type(v, end, &after))
                return SCW_PARSE_OTHER;
            record_reset(r);
            return parse_after_type(after, end, r);
        }
        m = memmem(v, (size_t)(end - v), "type=", 5);
    }
    /* journald's audit reader: "... audit[2407]: SECCOMP auid=..." (no audit stamp) */
    m = memmem(p, (size_t)(end - p), "audit[", 6);
    while (m) {
        const char *q = m + 6;
        while (q < end && *q >= '0' && *q <= '9')
            q++;
        if ((m == p || m[-1] == ' ') && q > m + 6 && STARTS(q, end, "]: SECCOMP ")) {
            record_reset(r);
            return parse_fields(q + 11, end, r);
        }
        m = memmem(m + 6, (size_t)(end - m - 6), "audit[", 6);
    }
    return SCW_PARSE_OTHER;
}

enum scw_parse_result scw_record_parse_body(const char *body, size_t len, struct scw_record *r)
{
    const char *p = body, *end = body + len;
    while (end > p && (end[-1] == '\0' || end[-1] == '\n'))
        end--;
    record_reset(r);
    if (STARTS(p, end, "audit(")) {
        const char *q = parse_stamp(p + 6, end, r);
        if (q)
            p = q;
    }
    return parse_fields(p, end, r);
}
