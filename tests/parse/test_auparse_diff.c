/*
 * test_auparse_diff: differential test of the record parser against auparse (libauparse, the
 * audit project's own parser, linked for tests only). A corpus of auditd-format lines is
 * generated here with a fixed seed: many architectures (x32 bit included) and actions, quoted
 * and hex-encoded comm=/exe=, exe=(null), node= prefixes, ENRICHED tails, shuffled field
 * order, interleaved non-SECCOMP records. For every SECCOMP record both parsers must agree on
 * arch, syscall, pid, exe, comm and code; both must find exactly the records generated.
 *
 * auparse slows down with SECCOMP density (the records have no end-of-event marker), so the
 * corpus stays a few thousand lines with timestamps seconds apart.
 */
#include "testutil.h"

#include <auparse.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "source_file.h"

#define N_LINES     3000
#define SERIAL_BASE 1000

static uint64_t rng = 0x5eed5eed12345678ULL;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* What the generator wrote for one SECCOMP record (indexed by serial - SERIAL_BASE). */
struct truth {
    bool seccomp;
    uint32_t arch, syscall, code;
    int32_t pid;
    char comm[SCW_COMM_MAX];
    char exe[256];
};

static void hex_encode(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    for (; *s && o + 3 < cap; s++)
        o += (size_t)snprintf(out + o, cap - o, "%02X", (unsigned char)*s);
    out[o] = '\0';
}

/* An audit string value: quoted if the kernel would quote it, else upper-case hex. */
static void encode_value(const char *s, char *out, size_t cap)
{
    bool plain = true;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == '"' || *p >= 0x7f)
            plain = false;
    if (plain)
        snprintf(out, cap, "\"%s\"", s);
    else
        hex_encode(s, out, cap);
}

static const struct {
    uint32_t arch, base, bit;
} arches[] = {
    {0xc000003e, 0, 0},          /* x86_64 */
    {0xc000003e, 0, 0x40000000}, /* x32: x86_64 + the bit */
    {0x40000003, 0, 0},          /* i386 (compat) */
    {0xc00000b7, 0, 0},          /* aarch64 */
    {0x40000028, 0, 0},          /* arm */
    {0xc0000015, 0, 0},          /* ppc64le */
    {0x80000016, 0, 0},          /* s390x */
    {0xc00000f3, 0, 0},          /* riscv64 */
    {0x00000008, 4000, 0},       /* mips o32 */
    {0x80000008, 5000, 0},       /* mips64 */
    {0xa0000008, 6000, 0},       /* mips64 n32 */
};
static const uint32_t codes[] = {0x7ffc0000, 0x80000000, 0x0,        0x50000,
                                 0x30000,    0x7ff00000, 0x7fc00000, 0x12340000};
static const char *const comms[] = {"logme", "my app", "caf\xc3\xa9", "q\"uote",
                                    "nginx", "a=b",    "x",           "tab\there"};
static const char *const exes[] = {"/tmp/logme",  "/opt/my app/bin", "/usr/bin/caf\xc3\xa9",
                                   "(null)",      "/usr/sbin/nginx", "/bin/sh",
                                   "/weird\"path"};

/* Write the corpus; fill truth[]. Returns the number of SECCOMP records. */
static unsigned write_corpus(const char *path, struct truth *truth)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    unsigned n_seccomp = 0;
    for (unsigned i = 0; i < N_LINES; i++) {
        struct truth *t = &truth[i];
        uint64_t serial = SERIAL_BASE + i;
        unsigned sec = 1700000000 + i * 3, ms = rnd(1000);
        const char *node = rnd(4) == 0 ? (rnd(2) ? "node=web-01 " : "node=db.example.org ") : "";
        t->seccomp = rnd(10) < 7;
        if (!t->seccomp) {
            static const struct {
                const char *type, *body;
            } others[] = {
                {"SYSCALL", "arch=c000003e syscall=59 success=yes exit=0 a0=55d0 a1=55d1 a2=55d2 "
                            "a3=0 items=2 ppid=1 pid=77 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 "
                            "egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm=\"sh\" exe=\"/bin/sh\" "
                            "key=(null)"},
                {"PROCTITLE", "proctitle=2F62696E2F7368"},
                {"USER_LOGIN", "pid=1 uid=0 auid=0 ses=1 msg='op=login id=0 "
                               "exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=ssh "
                               "res=success'"},
                {"AVC", "apparmor=\"DENIED\" operation=\"open\" profile=\"p\" "
                        "name=\"/etc/shadow\" pid=5 comm=\"cat\""},
            };
            unsigned k = rnd(4);
            fprintf(f, "%stype=%s msg=audit(%u.%03u:%llu): %s", node, others[k].type, sec, ms,
                    (unsigned long long)serial, others[k].body);
            fputc('\n', f);
            continue;
        }
        n_seccomp++;
        unsigned a = rnd(sizeof(arches) / sizeof(arches[0]));
        t->arch = arches[a].arch;
        t->syscall = (arches[a].base + rnd(450)) | arches[a].bit;
        t->code = codes[rnd(sizeof(codes) / sizeof(codes[0]))];
        t->pid = (int32_t)(1 + rnd(4000000));
        snprintf(t->comm, sizeof(t->comm), "%s", comms[rnd(sizeof(comms) / sizeof(comms[0]))]);
        snprintf(t->exe, sizeof(t->exe), "%s", exes[rnd(sizeof(exes) / sizeof(exes[0]))]);
        char comm[160], exe[600];
        encode_value(t->comm, comm, sizeof(comm));
        if (strcmp(t->exe, "(null)") == 0)
            snprintf(exe, sizeof(exe), "(null)");
        else
            encode_value(t->exe, exe, sizeof(exe));

        char fields[12][700];
        unsigned nf = 0;
        snprintf(fields[nf++], 700, "auid=%u", rnd(2) ? 4294967295U : 1000U);
        snprintf(fields[nf++], 700, "uid=%u", rnd(1001));
        snprintf(fields[nf++], 700, "gid=%u", rnd(1001));
        snprintf(fields[nf++], 700, "ses=%u", rnd(2) ? 4294967295U : rnd(50));
        if (rnd(2))
            snprintf(fields[nf++], 700, "subj=%s",
                     rnd(2) ? "unconfined" : "system_u:system_r:container_t:s0:c1,c2");
        snprintf(fields[nf++], 700, "pid=%d", t->pid);
        snprintf(fields[nf++], 700, "comm=%s", comm);
        snprintf(fields[nf++], 700, "exe=%s", exe);
        snprintf(fields[nf++], 700, "sig=%d", t->code == 0 || t->code == 0x80000000 ? 31 : 0);
        snprintf(fields[nf++], 700, "arch=%x", t->arch);
        snprintf(fields[nf++], 700, "syscall=%u", t->syscall);
        snprintf(fields[nf++], 700, "compat=%d ip=0x7f%08x code=0x%x",
                 t->arch == 0x40000003 ? 1 : 0, rnd(0xffffffffU), t->code);
        if (rnd(5) == 0) /* fields in any order */
            for (unsigned k = nf - 1; k > 0; k--) {
                unsigned j = rnd(k + 1);
                char tmp[700];
                memcpy(tmp, fields[k], sizeof(tmp));
                memcpy(fields[k], fields[j], sizeof(tmp));
                memcpy(fields[j], tmp, sizeof(tmp));
            }
        fprintf(f, "%stype=SECCOMP msg=audit(%u.%03u:%llu):", node, sec, ms,
                (unsigned long long)serial);
        for (unsigned k = 0; k < nf; k++)
            fprintf(f, " %s", fields[k]);
        if (rnd(5) == 0) /* auditd log_format=ENRICHED */
            fprintf(f, "\x1d"
                       "AUID=\"unset\" UID=\"root\" GID=\"root\" ARCH=x86_64 SYSCALL=chmod "
                       "SIG=0");
        fputc('\n', f);
    }
    assert_int_equal(fclose(f), 0);
    return n_seccomp;
}

static uint64_t parse_num(const char *s, int base)
{
    assert_non_null(s);
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, base);
    assert_int_equal(errno, 0);
    assert_true(end != s && *end == '\0');
    return v;
}

/* The field's value as auparse gives it: raw for numbers, interpreted (decoded) for strings. */
static const char *field(auparse_state_t *au, const char *name, bool interpret)
{
    auparse_first_field(au);
    if (!auparse_find_field(au, name))
        return NULL;
    return interpret ? auparse_interpret_field(au) : auparse_get_field_str(au);
}

static void test_agree_with_auparse(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *path = scw_test_asprintf("%s/audit.log", dir);
    struct truth *truth = calloc(N_LINES, sizeof(*truth));
    assert_non_null(truth);
    unsigned n_seccomp = write_corpus(path, truth);
    assert_true(n_seccomp > N_LINES / 2);

    /* ours: every line through the same reader and parser replay uses */
    struct scw_record *ours = calloc(N_LINES, sizeof(*ours));
    bool *ours_seen = calloc(N_LINES, sizeof(*ours_seen));
    assert_non_null(ours);
    assert_non_null(ours_seen);
    struct scw_textfile *tf;
    assert_int_equal(scw_textfile_open(path, SCW_LINE_MAX, &tf), 0);
    const char *line;
    size_t len;
    bool over;
    unsigned our_count = 0, lines = 0;
    struct scw_record r;
    while (scw_textfile_next(tf, &line, &len, &over) > 0) {
        lines++;
        assert_false(over);
        enum scw_parse_result res = scw_record_parse_line(line, len, &r);
        assert_int_not_equal(res, SCW_PARSE_MALFORMED);
        if (res != SCW_PARSE_SECCOMP)
            continue;
        assert_true(r.serial >= SERIAL_BASE && r.serial < SERIAL_BASE + N_LINES);
        size_t i = r.serial - SERIAL_BASE;
        assert_false(ours_seen[i]);
        ours_seen[i] = true;
        ours[i] = r;
        our_count++;
    }
    scw_textfile_close(tf);
    assert_int_equal(lines, N_LINES);
    assert_int_equal(our_count, n_seccomp);

    /* auparse */
    auparse_state_t *au = auparse_init(AUSOURCE_FILE, path);
    assert_non_null(au);
    auparse_set_escape_mode(au, AUPARSE_ESC_RAW);
    unsigned au_count = 0, compared = 0;
    bool *au_seen = calloc(N_LINES, sizeof(*au_seen));
    assert_non_null(au_seen);
    while (auparse_next_event(au) > 0) {
        if (auparse_first_record(au) <= 0)
            continue;
        do {
            if (auparse_get_type(au) != SCW_AUDIT_SECCOMP)
                continue;
            au_count++;
            unsigned long serial = auparse_get_serial(au);
            assert_true(serial >= SERIAL_BASE && serial < SERIAL_BASE + N_LINES);
            size_t i = serial - SERIAL_BASE;
            assert_false(au_seen[i]);
            au_seen[i] = true;
            assert_true(ours_seen[i]); /* auparse found it: so did we */
            const struct scw_record *o = &ours[i];
            const struct truth *t = &truth[i];

            uint32_t arch = (uint32_t)parse_num(field(au, "arch", false), 16);
            uint32_t nr = (uint32_t)parse_num(field(au, "syscall", false), 10);
            int32_t pid = (int32_t)parse_num(field(au, "pid", false), 10);
            uint32_t code = (uint32_t)parse_num(field(au, "code", false), 16);
            const char *exe = field(au, "exe", true);
            char exe_copy[600];
            assert_non_null(exe);
            snprintf(exe_copy, sizeof(exe_copy), "%s", exe);
            const char *comm = field(au, "comm", true);
            assert_non_null(comm);
            if (o->arch != arch || o->syscall != nr || o->pid != pid || o->code != code ||
                strcmp(o->exe, exe_copy) != 0 || strcmp(o->comm, comm) != 0)
                print_error("serial %lu: ours arch=%x syscall=%u pid=%d code=%x exe='%s' "
                            "comm='%s'; auparse arch=%x syscall=%u pid=%d code=%x exe='%s' "
                            "comm='%s'\n",
                            serial, o->arch, o->syscall, o->pid, o->code, o->exe, o->comm, arch, nr,
                            pid, code, exe_copy, comm);
            assert_int_equal(o->arch, arch);
            assert_int_equal(o->syscall, nr);
            assert_int_equal(o->pid, pid);
            assert_int_equal(o->code, code);
            assert_string_equal(o->exe, exe_copy);
            assert_string_equal(o->comm, comm);
            /* and both say what was generated */
            assert_int_equal(o->arch, t->arch);
            assert_int_equal(o->syscall, t->syscall);
            assert_int_equal(o->pid, t->pid);
            assert_int_equal(o->code, t->code);
            assert_string_equal(o->exe, t->exe);
            assert_string_equal(o->comm, t->comm);
            /* the timestamp too */
            assert_int_equal(auparse_get_time(au), o->ts_sec);
            assert_int_equal(auparse_get_milli(au), o->ts_msec);
            compared++;
        } while (auparse_next_record(au) > 0);
    }
    auparse_destroy(au);
    assert_int_equal(au_count, n_seccomp);
    assert_int_equal(compared, n_seccomp);

    free(au_seen);
    free(ours_seen);
    free(ours);
    free(truth);
    scw_test_rmtree(dir);
    free(dir);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_agree_with_auparse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
