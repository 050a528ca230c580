/*
 * record: classify one line of log text and parse SECCOMP audit records into struct scw_record.
 *
 * The hot path of replay: no allocation, no libc scanf. A line is "other" unless it carries a
 * SECCOMP marker (type=SECCOMP, type=1326, type=UNKNOWN[1326] at the start or, mid-line, before
 * an audit stamp; " SECCOMP " followed by audit fields after any syslog tag); a marked line
 * without a valid arch= and syscall= is malformed. Fields may come in any order: a fast path reads
 * the kernel's own order, and anything else goes to the general parser, with the same result. No
 * I/O; naming (arch/syscall numbers -> names) is in name.c. Called by ingest.c (lines) and the
 * netlink source (bodies).
 */
#include "record.h"

#include <errno.h>
#include <string.h>

#include "record_scan.h"

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

/* Every field parse_fields() may set, to its "absent" value. */
static void fields_reset(struct scw_record *r)
{
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

static void record_reset(struct scw_record *r)
{
    r->ts_sec = 0;
    r->ts_msec = 0;
    r->serial = 0;
    fields_reset(r);
}

/* A quoted value already delimited ("..." with both quotes): copy the inside, truncated. */
INLINE void copy_quoted(char *dst, size_t cap, const char *v, size_t vlen)
{
    size_t n = vlen - 2 < cap - 1 ? vlen - 2 : cap - 1;
    memcpy(dst, v + 1, n);
    dst[n] = '\0';
}

static void copy_value(char *dst, size_t cap, const char *v, size_t vlen)
{
    if (scw_record_decode_value(v, vlen, dst, cap) < 0)
        dst[0] = '\0';
}

/*
 * "audit(1795875804.358:2)" at p (after "audit("). Returns the position after "): " or after
 * ")" or NULL when it does not look like a timestamp.
 */
static const char *parse_stamp(const char *p, const char *end, struct scw_record *r)
{
    uint64_t sec, ms = 0, serial;
    size_t digits;
    if (!scan_dec(&p, end, &sec, &digits) || sec > (uint64_t)INT64_MAX)
        return NULL;
    if (p < end && *p == '.') {
        p++;
        if (!scan_dec(&p, end, &ms, &digits))
            return NULL;
        /* normalise to milliseconds whatever the precision written */
        for (; digits < 3; digits++)
            ms *= 10;
        for (; digits > 3; digits--)
            ms /= 10;
    }
    if (p >= end || *p != ':')
        return NULL;
    p++;
    if (!scan_dec(&p, end, &serial, &digits) || p >= end || *p != ')')
        return NULL;
    r->ts_sec = (int64_t)sec;
    r->ts_msec = (uint32_t)ms;
    r->serial = serial;
    p++;
    if (p < end && *p == ':')
        p++;
    return p;
}

static bool parse_kernel_order(const char *p, const char *end, struct scw_record *r)
{
    uint64_t u;
    const char *v;
    size_t vl;
    while (p < end && *p == ' ')
        p++;
    if (!TAKE("auid=") || !take_dec(&p, end, 10, &u))
        return false;
    r->auid = (uint32_t)u;
    if (!TAKE(" uid=") || !take_dec(&p, end, 10, &u))
        return false;
    r->uid = (uint32_t)u;
    if (!TAKE(" gid=") || !take_dec(&p, end, 10, &u))
        return false;
    r->gid = (uint32_t)u;
    if (!TAKE(" ses=") || !take_dec(&p, end, 10, &u))
        return false;
    r->ses = (uint32_t)u;
    if (TAKE(" subj=")) {
        v = p;
        p = scan_value(p, end);
        /* AppArmor labels carry their mode after a space: "docker-default (enforce)" */
        if (end - p > 2 && p[0] == ' ' && p[1] == '(') {
            const char *q = memchr(p + 2, ')', (size_t)(end - p - 2));
            if (q && q - p < 32)
                p = q + 1;
        }
        copy_value(r->subj, sizeof(r->subj), v, (size_t)(p - v));
    }
    if (!TAKE(" pid=") || !take_dec(&p, end, 10, &u) || u > INT32_MAX)
        return false;
    r->pid = (int32_t)u;
    if (!TAKE(" comm=") || !take_str(&p, end, &v, &vl))
        return false;
    if (vl >= 2 && v[0] == '"')
        copy_quoted(r->comm, sizeof(r->comm), v, vl);
    else
        copy_value(r->comm, sizeof(r->comm), v, vl);
    if (!TAKE(" exe=") || !take_str(&p, end, &v, &vl))
        return false;
    if (vl >= 2 && v[0] == '"')
        copy_quoted(r->exe, sizeof(r->exe), v, vl);
    else
        copy_value(r->exe, sizeof(r->exe), v, vl);
    if (!TAKE(" sig="))
        return false;
    bool neg = TAKE("-");
    if (!take_dec(&p, end, 10, &u) || u > (neg ? (uint64_t)INT32_MAX + 1 : INT32_MAX))
        return false;
    r->sig = neg ? (int32_t)(-(int64_t)u) : (int32_t)u;
    if (!TAKE(" arch=") || !take_hex(&p, end, 8, &u) || u == 0)
        return false;
    r->arch = (uint32_t)u;
    if (!TAKE(" syscall=") || !take_dec(&p, end, 10, &u) || u > UINT32_MAX)
        return false;
    r->syscall = (uint32_t)u;
    if (!TAKE(" compat=") || !take_dec(&p, end, 10, &u))
        return false;
    r->compat = u != 0;
    if (!TAKE(" ip=0x") || !take_hex(&p, end, 16, &u))
        return false;
    r->ip = u;
    if (!TAKE(" code=0x") || !take_code(&p, end, &u))
        return false;
    r->code = (uint32_t)u;
    if (p != end && *p != ENRICHED_SEP)
        return false;
    r->action = scw_action_from_code(r->code);
    return true;
}

/* key=value fields from p to end. Returns the classification. */
static enum scw_parse_result parse_fields(const char *p, const char *end, struct scw_record *r)
{
    if (parse_kernel_order(p, end, r))
        return SCW_PARSE_SECCOMP;
    fields_reset(r); /* the fast path may have set some: start over */
    bool have_arch = false, have_syscall = false;
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        if (p >= end || *p == ENRICHED_SEP)
            break;
        const char *k = p;
        p = scan_key(p, end);
        if (p >= end || *p != '=') {
            continue; /* a bare word: skip it */
        }
        size_t kl = (size_t)(p - k);
        const char *v = ++p;
        if (p < end && *p == '"') {
            const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
            p = q ? q + 1 : end;
        } else {
            p = scan_value(p, end);
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
                const char *c = v + 2;
                if (parse_hex(v, vl, &u) && u < SCW_CODE_ABSENT) {
                    r->code = (uint32_t)u;
                } else if (vl > 2 && v[0] == '0' && v[1] == 'x' && take_code(&c, end, &u)) {
                    r->code = (uint32_t)u; /* enrichment glued on: the record ends here */
                    p = end;
                }
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
        if (p >= end || *p != markers[i].lit[0])
            continue;
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

/*
 * The next "type=" from p: found through its '=' (memchr is much cheaper than memmem per line,
 * and in a log line's prefix the first '=' is nearly always that of "type=").
 */
static const char *find_type(const char *p, const char *end)
{
    const char *q = p + 4;
    while (q < end && (q = memchr(q, '=', (size_t)(end - q)))) {
        if (q[-4] == 't' && q[-3] == 'y' && q[-2] == 'p' && q[-1] == 'e')
            return q - 4;
        q++;
    }
    return NULL;
}

/* Does the word that ends at m read "audit:" or "audit[PID]:" (journald's audit reader)? */
static bool audit_tag_before(const char *line, const char *m)
{
    if (m - line < 6 || m[-1] != ':')
        return false;
    const char *q = m - 1;
    if (q[-1] == ']') {
        const char *d = q - 1;
        while (d > line && d[-1] >= '0' && d[-1] <= '9')
            d--;
        if (d == q - 1 || d == line || d[-1] != '[')
            return false;
        q = d - 1;
    }
    return q - line >= 5 && memcmp(q - 5, "audit", 5) == 0 && (q - 5 == line || q[-6] == ' ');
}

/* Does an audit field key arch= or syscall= start a word between p and end? */
static bool has_audit_fields(const char *p, const char *end)
{
    static const char *const keys[] = {"arch=", "syscall="};
    for (size_t i = 0; i < 2; i++) {
        size_t kl = strlen(keys[i]);
        for (const char *k = p; k < end && (k = memmem(k, (size_t)(end - k), keys[i], kl)); k += kl)
            if (k == p || k[-1] == ' ')
                return true;
    }
    return false;
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
    const char *m = find_type(p, end);
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
        m = find_type(v, end);
    }
    /*
     * A record without its type= and stamp, after a syslog tag: journald's audit reader
     * ("... audit[2407]: SECCOMP auid=..."), "audit: SECCOMP ...", or a forwarder's own tag
     * ("... INFO myapp[4844]: SECCOMP ..."). " SECCOMP " followed by audit fields (arch= or
     * syscall=) is a record, or a malformed one; never other.
     */
    m = memmem(p, (size_t)(end - p), " SECCOMP ", 9);
    while (m) {
        const char *q = m + 9;
        if (audit_tag_before(p, m) || has_audit_fields(q, end)) {
            record_reset(r);
            return parse_fields(q, end, r);
        }
        m = memmem(q - 1, (size_t)(end - q + 1), " SECCOMP ", 9);
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
