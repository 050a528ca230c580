/*
 * gen_corpus: deterministic generator of realistic audit and kernel-log corpora for the
 * benchmark (bench/run.sh) and for anyone who needs a big, known input.
 *
 * The same seed and options always give the same bytes. Lines are SECCOMP records (in bursts:
 * a few processes looping on a few syscalls, interleaved), multi-record events of other types
 * (SYSCALL/CWD/PATH/PROCTITLE/EXECVE, USER_*, CRED_*, AVC, SERVICE_*, BPF, NETFILTER_CFG...),
 * plain kernel and daemon messages in the kernel-log flavours, and on request malformed
 * SECCOMP lines and oversized lines. --expect writes what a correct reader must count: lines,
 * seccomp, malformed, oversized, other, and per (workload key, arch, syscall, code) counts in
 * the key and arch spelling of `scmpwatch replay --format json`.
 *
 * Not a fuzzer (tests/fuzz/ is) and not part of the scmpwatch binary; it shares no code with
 * watcher/ so that the correctness check compares two independent implementations.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LINE_CAP      8192          /* every generated line except oversized ones fits */
#define OUT_CHUNK     (1024 * 1024) /* output buffer flushed in chunks of this size */
#define OVERSIZED_MAX (16 * 1024 * 1024)
#define EPOCH_START   1700000000LL /* 2023-11-14 22:13:20 UTC: first event of every corpus */
#define BOOT_SECONDS  86400        /* "uptime" of the host at EPOCH_START (kernel-log flavours) */
#define ACTIVE_BURSTS 4            /* processes emitting SECCOMP records at the same time */
#define X32_BIT       0x40000000U

/* ---- deterministic random numbers (splitmix64) ---- */

struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0. */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability per_mille / 1000. */
static bool rng_permille(struct rng *r, uint32_t per_mille)
{
    return rng_below(r, 1000) < per_mille;
}

/* ---- output ---- */

struct out {
    FILE *f;
    char *buf;
    size_t len;
    uint64_t bytes;
    bool error;
};

static void out_flush(struct out *o)
{
    if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len)
        o->error = true;
    o->len = 0;
}

static void out_write(struct out *o, const char *s, size_t n)
{
    o->bytes += n;
    while (n > 0) {
        size_t room = OUT_CHUNK - o->len;
        size_t k = n < room ? n : room;
        memcpy(o->buf + o->len, s, k);
        o->len += k;
        s += k;
        n -= k;
        if (o->len == OUT_CHUNK)
            out_flush(o);
    }
}

/* ---- string builder for one line ---- */

struct sb {
    char buf[LINE_CAP];
    size_t len;
};

static void sb_reset(struct sb *b)
{
    b->len = 0;
    b->buf[0] = '\0';
}

__attribute__((format(printf, 2, 3))) static void sb_printf(struct sb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->buf + b->len, sizeof(b->buf) - b->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    b->len += (size_t)n;
    if (b->len >= sizeof(b->buf))
        b->len = sizeof(b->buf) - 1; /* cannot happen with our templates; stay bounded */
}

static void sb_put(struct sb *b, const char *s, size_t n)
{
    if (n > sizeof(b->buf) - 1 - b->len)
        n = sizeof(b->buf) - 1 - b->len;
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

/* Uppercase hex of bytes, as the kernel writes values holding spaces or non-ASCII bytes. */
static void sb_hex(struct sb *b, const char *s, size_t n)
{
    static const char hx[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n && b->len + 3 < sizeof(b->buf); i++) {
        unsigned char c = (unsigned char)s[i];
        b->buf[b->len++] = hx[c >> 4];
        b->buf[b->len++] = hx[c & 15];
    }
    b->buf[b->len] = '\0';
}

/* An audit string value: quoted when printable ASCII without space or quote, else hex. */
static void sb_audit_value(struct sb *b, const char *s)
{
    size_t n = strlen(s);
    bool hex = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f || c == '"')
            hex = true;
    }
    if (hex) {
        sb_hex(b, s, n);
    } else {
        sb_put(b, "\"", 1);
        sb_put(b, s, n);
        sb_put(b, "\"", 1);
    }
}

/* ---- architectures and syscalls ---- */

struct sysc {
    uint32_t nr;
    const char *name;
};

static const struct sysc sys_x86_64[] = {
    {90, "chmod"},
    {165, "mount"},
    {166, "umount2"},
    {101, "ptrace"},
    {250, "keyctl"},
    {248, "add_key"},
    {272, "unshare"},
    {308, "setns"},
    {321, "bpf"},
    {298, "perf_event_open"},
    {310, "process_vm_readv"},
    {135, "personality"},
    {323, "userfaultfd"},
    {425, "io_uring_setup"},
    {304, "open_by_handle_at"},
    {139, "sysfs"},
    {103, "syslog"},
    {161, "chroot"},
    {155, "pivot_root"},
    {163, "acct"},
    {175, "init_module"},
    {313, "finit_module"},
    {246, "kexec_load"},
    {169, "reboot"},
    {134, "uselib"},
    {237, "mbind"},
    {256, "migrate_pages"},
    {279, "move_pages"},
    {227, "clock_settime"},
    {164, "settimeofday"},
    {159, "adjtimex"},
    {110, "getppid"},
    {39, "getpid"},
    {257, "openat"},
    {59, "execve"},
    {56, "clone"},
    {435, "clone3"},
    {157, "prctl"},
    {317, "seccomp"},
    {434, "pidfd_open"},
    {428, "open_tree"},
    {429, "move_mount"},
    {430, "fsopen"},
    {433, "fspick"},
    {441, "epoll_pwait2"},
    {439, "faccessat2"},
    {436, "close_range"},
    {332, "statx"},
    {318, "getrandom"},
    {41, "socket"},
    {54, "setsockopt"},
    {16, "ioctl"},
    {72, "fcntl"},
    {10, "mprotect"},
    {200, "tkill"},
    {62, "kill"},
    {105, "setuid"},
    {117, "setresuid"},
    {126, "capset"},
    {125, "capget"},
};

static const struct sysc sys_x86[] = {
    {15, "chmod"},        {21, "mount"},
    {52, "umount2"},      {26, "ptrace"},
    {288, "keyctl"},      {286, "add_key"},
    {310, "unshare"},     {346, "setns"},
    {357, "bpf"},         {336, "perf_event_open"},
    {136, "personality"}, {64, "getppid"},
    {20, "getpid"},       {5, "open"},
    {11, "execve"},       {120, "clone"},
    {172, "prctl"},       {102, "socketcall"},
    {54, "ioctl"},        {192, "mmap2"},
    {125, "mprotect"},    {37, "kill"},
    {213, "setuid32"},    {243, "set_thread_area"},
};

static const struct sysc sys_aarch64[] = {
    {40, "mount"},       {39, "umount2"},  {117, "ptrace"},
    {219, "keyctl"},     {217, "add_key"}, {97, "unshare"},
    {268, "setns"},      {280, "bpf"},     {241, "perf_event_open"},
    {92, "personality"}, {173, "getppid"}, {172, "getpid"},
    {56, "openat"},      {221, "execve"},  {220, "clone"},
    {167, "prctl"},      {198, "socket"},  {29, "ioctl"},
    {226, "mprotect"},   {129, "kill"},    {146, "setuid"},
    {53, "fchmodat"},    {435, "clone3"},
};

enum arch_id { A_X86_64, A_X86, A_X32, A_AARCH64, A_COUNT };

static const struct {
    const char *name;     /* as `scmpwatch replay --format json` spells it */
    const char *enriched; /* as auditd's ENRICHED format spells it */
    uint32_t audit_arch;
    bool compat;
    const struct sysc *sys;
    size_t n_sys;
} arches[A_COUNT] = {
    [A_X86_64] = {"x86_64", "x86_64", 0xc000003eU, false, sys_x86_64,
                  sizeof(sys_x86_64) / sizeof(sys_x86_64[0])},
    [A_X86] = {"x86", "i386", 0x40000003U, true, sys_x86, sizeof(sys_x86) / sizeof(sys_x86[0])},
    [A_X32] = {"x32", "x86_64", 0xc000003eU, false, sys_x86_64,
               sizeof(sys_x86_64) / sizeof(sys_x86_64[0])},
    [A_AARCH64] = {"aarch64", "aarch64", 0xc00000b7U, false, sys_aarch64,
                   sizeof(sys_aarch64) / sizeof(sys_aarch64[0])},
};

/* syscall number as the record writes it */
static uint32_t logged_nr(enum arch_id a, uint32_t nr)
{
    return a == A_X32 ? nr | X32_BIT : nr;
}

/* ---- seccomp actions ---- */

static const struct {
    uint32_t code;
    int sig;
    uint32_t weight; /* per mille of bursts */
} actions[] = {
    {0x7ffc0000U, 0, 800}, /* log */
    {0x00050000U, 0, 90},  /* errno (filter loaded with SECCOMP_FILTER_FLAG_LOG) */
    {0x80000000U, 31, 50}, /* kill_process */
    {0x00000000U, 31, 20}, /* kill_thread */
    {0x00030000U, 0, 25},  /* trap */
    {0x7ff00000U, 0, 10},  /* trace */
    {0x7fc00000U, 0, 5},   /* user_notif */
};
#define N_ACTIONS (sizeof(actions) / sizeof(actions[0]))

static unsigned pick_action(struct rng *r)
{
    uint32_t x = rng_below(r, 1000), acc = 0;
    for (unsigned i = 0; i < N_ACTIONS; i++) {
        acc += actions[i].weight;
        if (x < acc)
            return i;
    }
    return 0;
}

/* ---- workloads (one executable each) ---- */

static const char *const known_exes[] = {
    "/usr/sbin/nginx",
    "/usr/bin/python3.11",
    "/usr/local/bin/node",
    "/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
    "/usr/sbin/mysqld",
    "/usr/bin/redis-server",
    "/usr/local/bin/envoy",
    "/usr/bin/dockerd",
    "/usr/bin/containerd-shim-runc-v2",
    "/usr/sbin/sshd",
    "/usr/bin/bash",
    "/bin/busybox",
    "/usr/local/bin/gunicorn",
    "/usr/bin/perl",
    "/usr/lib/postgresql/15/bin/postgres",
    "/usr/local/bin/traefik",
    "/app/server",
    "/usr/bin/curl",
    "/usr/sbin/haproxy",
    "/usr/bin/memcached",
};
#define N_KNOWN_EXES (sizeof(known_exes) / sizeof(known_exes[0]))

struct workload {
    char exe[160];
    char comm[24]; /* TASK_COMM_LEN is 16: at most 15 bytes */
    enum arch_id arch;
    uint32_t uid;
    const char *subj;
    uint32_t pool[16]; /* indexes into the arch's syscall table (or numbers in spread mode) */
    unsigned n_pool;
};

static void make_comm(struct workload *w)
{
    const char *base = strrchr(w->exe, '/');
    base = base ? base + 1 : w->exe;
    size_t n = strlen(base);
    if (n > 15)
        n = 15;
    memcpy(w->comm, base, n);
    w->comm[n] = '\0';
}

static const char *const subjects[] = {
    "unconfined",
    "docker-default (enforce)",
    "system_u:system_r:container_t:s0:c123,c456",
    "cri-containerd.apparmor.d (enforce)",
};

static struct workload *make_workloads(struct rng *r, unsigned n, unsigned pool_size, bool spread)
{
    struct workload *ws = calloc(n, sizeof(*ws));
    if (!ws)
        return NULL;
    for (unsigned i = 0; i < n; i++) {
        struct workload *w = &ws[i];
        uint32_t kind = rng_below(r, 1000);
        if (i == 7 && n > 50) {
            snprintf(w->exe, sizeof(w->exe), "(null)"); /* kernel threads, exited mm */
        } else if (i < N_KNOWN_EXES && !spread) {
            snprintf(w->exe, sizeof(w->exe), "%s", known_exes[i]);
        } else if (kind < 60) {
            /* spaces: the kernel hex-encodes exe and comm */
            snprintf(w->exe, sizeof(w->exe), "/opt/My App %u/bin/run worker", i);
        } else if (kind < 80) {
            /* non-ASCII (valid UTF-8): hex-encoded too */
            snprintf(w->exe, sizeof(w->exe), "/srv/caf\xc3\xa9-%u/bin/d\xc3\xa6mon", i);
        } else {
            snprintf(w->exe, sizeof(w->exe), "/opt/svc-%04u/bin/svc-%04u-%s", i, i,
                     (i % 3) == 0   ? "api"
                     : (i % 3) == 1 ? "worker"
                                    : "scheduler");
        }
        make_comm(w);
        uint32_t a = rng_below(r, 1000);
        w->arch = spread    ? A_X86_64
                  : a < 850 ? A_X86_64
                  : a < 920 ? A_X86
                  : a < 950 ? A_X32
                            : A_AARCH64;
        w->uid = rng_permille(r, 600) ? 0 : 1000 + rng_below(r, 100);
        w->subj = subjects[rng_below(r, sizeof(subjects) / sizeof(subjects[0]))];
        if (spread)
            continue; /* syscalls are enumerated, not pooled */
        size_t n_sys = arches[w->arch].n_sys;
        unsigned want = pool_size ? pool_size : 2 + rng_below(r, 9);
        if (want > 16)
            want = 16;
        if (want > n_sys)
            want = (unsigned)n_sys;
        while (w->n_pool < want) {
            uint32_t s = rng_below(r, (uint32_t)n_sys);
            bool dup = false;
            for (unsigned k = 0; k < w->n_pool; k++)
                dup = dup || w->pool[k] == s;
            if (!dup)
                w->pool[w->n_pool++] = s;
        }
    }
    return ws;
}

/* ---- expected counts: (workload, arch, logged nr, action) -> count ---- */

struct exp_slot {
    uint64_t key; /* 0 = empty; else workload << 40 | arch << 36 | action << 32 | nr, + 1 */
    uint64_t count;
};

struct expect {
    struct exp_slot *slots;
    size_t cap, used;
    bool oom;
};

static uint64_t mix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
}

static void expect_add(struct expect *e, uint64_t key)
{
    key += 1;
    if (e->used * 2 >= e->cap) {
        size_t ncap = e->cap ? e->cap * 2 : 4096;
        struct exp_slot *ns = calloc(ncap, sizeof(*ns));
        if (!ns) {
            e->oom = true;
            return;
        }
        for (size_t i = 0; i < e->cap; i++) {
            if (!e->slots[i].key)
                continue;
            size_t j = mix64(e->slots[i].key) & (ncap - 1);
            while (ns[j].key)
                j = (j + 1) & (ncap - 1);
            ns[j] = e->slots[i];
        }
        free(e->slots);
        e->slots = ns;
        e->cap = ncap;
    }
    size_t j = mix64(key) & (e->cap - 1);
    while (e->slots[j].key && e->slots[j].key != key)
        j = (j + 1) & (e->cap - 1);
    if (!e->slots[j].key) {
        e->slots[j].key = key;
        e->used++;
    }
    e->slots[j].count++;
}

/* ---- formats ---- */

enum fmt { F_AUDITD, F_ENRICHED, F_DMESG, F_KERN, F_KMSG, F_JOURNAL, F_MIXED, F_COUNT };
static const char *const fmt_names[F_COUNT] = {"auditd", "enriched", "dmesg", "kern",
                                               "kmsg",   "journal",  "mixed"};

struct gen {
    struct rng r;
    struct out out;
    enum fmt fmt;
    unsigned nodes;
    uint64_t t_ns;     /* log time of the current event */
    uint64_t mean_dt;  /* mean ns between events */
    uint64_t serial;   /* audit serial of the current event */
    uint64_t kmsg_seq; /* /dev/kmsg sequence number */
    enum fmt ev_fmt;   /* flavour of the current event (mixed picks one per event) */
    unsigned ev_node;  /* node of the current event, 0 = none */
    struct workload *ws;
    unsigned n_ws;
    bool spread;
    unsigned spread_syscalls;
    uint64_t spread_next;
    struct burst {
        unsigned w;
        int32_t pid;
        uint64_t ip;
        unsigned sys; /* current pool index */
        unsigned action;
        uint32_t left;
    } bursts[ACTIVE_BURSTS];
    struct expect expect;
    /* counts */
    uint64_t lines, seccomp, malformed, oversized, other;
    char host[32];
};

/* Advance log time and serial: a new event starts. Picks its flavour in mixed mode. */
static void next_event(struct gen *g)
{
    g->t_ns += g->mean_dt ? rng_next(&g->r) % (2 * g->mean_dt + 1) : 0;
    g->serial += 1 + (rng_permille(&g->r, 100) ? rng_below(&g->r, 4) : 0);
    g->ev_fmt = g->fmt == F_MIXED ? (enum fmt)rng_below(&g->r, F_MIXED) : g->fmt;
    g->ev_node = g->nodes ? 1 + rng_below(&g->r, g->nodes) : 0;
}

static void syslog_stamp(struct gen *g, struct sb *b)
{
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)(EPOCH_START + (int64_t)(g->t_ns / 1000000000ULL));
    struct tm tm;
    gmtime_r(&t, &tm);
    sb_printf(b, "%s %2d %02d:%02d:%02d %s ", mon[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min,
              tm.tm_sec, g->host);
}

static void uptime(struct gen *g, uint64_t *sec, uint64_t *usec)
{
    uint64_t up_ns = (uint64_t)BOOT_SECONDS * 1000000000ULL + g->t_ns;
    *sec = up_ns / 1000000000ULL;
    *usec = up_ns % 1000000000ULL / 1000;
}

/*
 * Write one audit record of the current event in the event's flavour. type_name/type_num:
 * "SECCOMP"/1326; body: the fields as the kernel writes them; enriched: the ENRICHED tail
 * (without the 0x1d separator) or NULL; pid: for journald's "audit[PID]:" (0 = none).
 */
static void emit_record(struct gen *g, const char *type_name, unsigned type_num, const char *body,
                        size_t body_len, const char *enriched, int32_t pid, struct sb *line)
{
    uint64_t sec = (uint64_t)EPOCH_START + g->t_ns / 1000000000ULL;
    unsigned ms = (unsigned)(g->t_ns / 1000000ULL % 1000);
    uint64_t up, us;
    sb_reset(line);
    switch (g->ev_fmt) {
    case F_AUDITD:
    case F_ENRICHED:
        if (g->ev_node)
            sb_printf(line, "node=stage-node%02u ", g->ev_node);
        sb_printf(line, "type=%s msg=audit(%llu.%03u:%llu): ", type_name, (unsigned long long)sec,
                  ms, (unsigned long long)g->serial);
        sb_put(line, body, body_len);
        if (g->ev_fmt == F_ENRICHED && enriched) {
            sb_put(line, "\x1d", 1);
            sb_put(line, enriched, strlen(enriched));
        }
        break;
    case F_DMESG:
    case F_KERN:
        uptime(g, &up, &us);
        if (g->ev_fmt == F_KERN) {
            syslog_stamp(g, line);
            sb_printf(line, "kernel: ");
        }
        sb_printf(line,
                  "[%5llu.%06llu] audit: type=%u audit(%llu.%03u:%llu): ", (unsigned long long)up,
                  (unsigned long long)us, type_num, (unsigned long long)sec, ms,
                  (unsigned long long)g->serial);
        sb_put(line, body, body_len);
        break;
    case F_KMSG:
        uptime(g, &up, &us);
        sb_printf(line, "5,%llu,%llu%06llu,-;audit: type=%u audit(%llu.%03u:%llu): ",
                  (unsigned long long)g->kmsg_seq++, (unsigned long long)up, (unsigned long long)us,
                  type_num, (unsigned long long)sec, ms, (unsigned long long)g->serial);
        sb_put(line, body, body_len);
        break;
    case F_JOURNAL:
        syslog_stamp(g, line);
        if (pid > 0)
            sb_printf(line, "audit[%d]: %s ", pid, type_name);
        else
            sb_printf(line, "audit: %s ", type_name);
        sb_put(line, body, body_len);
        break;
    case F_MIXED:
    case F_COUNT:
        break; /* next_event() never leaves these in ev_fmt */
    }
    sb_put(line, "\n", 1);
    out_write(&g->out, line->buf, line->len);
    g->lines++;
}

/* ---- SECCOMP records ---- */

static void new_burst(struct gen *g, struct burst *b)
{
    b->w = rng_below(&g->r, g->n_ws);
    /* a few workloads make most of the noise (rough Zipf): favour low indexes */
    if (rng_permille(&g->r, 600))
        b->w = rng_below(&g->r, g->n_ws < 20 ? g->n_ws : 20);
    b->pid = 300 + (int32_t)rng_below(&g->r, 4000000);
    b->ip = 0x7f0000000000ULL | (rng_next(&g->r) & 0xffffffffffULL);
    b->sys = 0;
    b->action = pick_action(&g->r);
    uint32_t k = rng_below(&g->r, 1000);
    b->left = k < 700   ? 1 + rng_below(&g->r, 20)
              : k < 950 ? 20 + rng_below(&g->r, 480)
                        : 500 + rng_below(&g->r, 20000);
}

/* The fields of a SECCOMP record, kernel order (kernel/auditsc.c audit_seccomp). */
static void seccomp_body(struct sb *b, const struct workload *w, int32_t pid, uint64_t ip,
                         enum arch_id arch, uint32_t nr, unsigned action)
{
    uint32_t auid = w->uid ? w->uid : 4294967295U;
    uint32_t ses = w->uid ? 3 : 4294967295U;
    sb_printf(b, "auid=%u uid=%u gid=%u ses=%u subj=%s pid=%d comm=", auid, w->uid, w->uid, ses,
              w->subj, pid);
    sb_audit_value(b, w->comm);
    sb_printf(b, " exe=");
    if (strcmp(w->exe, "(null)") == 0)
        sb_printf(b, "(null)");
    else
        sb_audit_value(b, w->exe);
    sb_printf(b, " sig=%d arch=%x syscall=%u compat=%d ip=0x%llx code=0x%x", actions[action].sig,
              arches[arch].audit_arch, logged_nr(arch, nr), arches[arch].compat ? 1 : 0,
              (unsigned long long)ip, actions[action].code);
}

static const char *user_name(uint32_t uid)
{
    return uid == 0 ? "root" : "app";
}

static void emit_seccomp(struct gen *g)
{
    struct sb body, tail, line;
    const struct workload *w;
    enum arch_id arch;
    uint32_t nr;
    unsigned action, wi;
    int32_t pid;
    uint64_t ip;
    const char *sname = NULL;

    next_event(g);
    if (g->spread) {
        /* every (workload, syscall) pair in turn: the memory-bound scenario */
        uint64_t k = g->spread_next++;
        wi = (unsigned)(k % g->n_ws);
        w = &g->ws[wi];
        arch = A_X86_64;
        nr = (uint32_t)(k / g->n_ws % g->spread_syscalls);
        action = 0;
        pid = 1000 + (int32_t)wi;
        ip = 0x7f0000001000ULL;
    } else {
        struct burst *b = &g->bursts[rng_below(&g->r, ACTIVE_BURSTS)];
        if (b->left == 0)
            new_burst(g, b);
        b->left--;
        w = &g->ws[b->w];
        wi = b->w;
        /* a process loops on one syscall; now and then it moves to another of its pool */
        if (rng_permille(&g->r, 150))
            b->sys = rng_below(&g->r, w->n_pool);
        arch = w->arch;
        const struct sysc *s = &arches[arch].sys[w->pool[b->sys]];
        nr = s->nr;
        sname = s->name;
        action = b->action;
        pid = b->pid;
        ip = b->ip;
    }
    sb_reset(&body);
    seccomp_body(&body, w, pid, ip, arch, nr, action);
    sb_reset(&tail);
    sb_printf(&tail, "AUID=\"%s\" UID=\"%s\" GID=\"%s\" ARCH=%s SYSCALL=%s",
              w->uid ? "app" : "unset", user_name(w->uid), user_name(w->uid), arches[arch].enriched,
              sname ? sname : "unknown-syscall");
    emit_record(g, "SECCOMP", 1326, body.buf, body.len, tail.buf, pid, &line);
    g->seccomp++;
    expect_add(&g->expect, (uint64_t)wi << 40 | (uint64_t)arch << 36 | (uint64_t)action << 32 |
                               logged_nr(arch, nr));
}

/* A SECCOMP line no reader may count: no valid arch= or syscall=. */
static void emit_malformed(struct gen *g)
{
    struct sb body, line;
    const struct workload *w = &g->ws[rng_below(&g->r, g->n_ws)];
    int32_t pid = 300 + (int32_t)rng_below(&g->r, 4000000);
    enum arch_id arch = w->arch;
    uint32_t nr = arches[arch].sys[rng_below(&g->r, (uint32_t)arches[arch].n_sys)].nr;

    next_event(g);
    sb_reset(&body);
    seccomp_body(&body, w, pid, 0x7f00deadbeefULL, arch, nr, 0);
    char *a = strstr(body.buf, " arch=");
    char *s = strstr(body.buf, " syscall=");
    switch (rng_below(&g->r, 6)) {
    case 0: /* cut before arch= (a truncated write) */
        body.len = (size_t)(a - body.buf);
        break;
    case 1: /* arch= not hex */
        a[6] = 'g';
        break;
    case 2: /* syscall= not a number */
        memcpy(s + 9, "xx", 2);
        break;
    case 3: /* syscall= missing (the key is misspelt) */
        memcpy(s + 1, "sysc4ll", 7);
        break;
    case 4: /* arch=0 */
        memcpy(a + 6, "00000000", 8);
        break;
    default: { /* binary junk after the marker: NULs, control and high bytes, no '=' */
        size_t n = 40 + rng_below(&g->r, 200);
        body.len = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)rng_below(&g->r, 256);
            if (c == '\n' || c == '=' || c == '\r')
                c = 0;
            body.buf[body.len++] = (char)c;
        }
        break;
    }
    }
    emit_record(g, "SECCOMP", 1326, body.buf, body.len, NULL, pid, &line);
    g->malformed++;
}

/* A line longer than scmpwatch's 64 KiB line bound: an EXECVE with a huge argument, or a
 * SECCOMP-looking line with a huge exe (must be counted as oversized, not as SECCOMP). */
static void emit_oversized(struct gen *g, size_t min_bytes)
{
    struct sb head;
    size_t n = min_bytes + rng_below(&g->r, (uint32_t)(min_bytes / 4 + 1));
    bool seccomp_like = rng_permille(&g->r, 500);
    next_event(g);
    sb_reset(&head);
    if (g->ev_fmt == F_AUDITD || g->ev_fmt == F_ENRICHED)
        sb_printf(&head, "type=%s msg=audit(%llu.%03u:%llu): ", seccomp_like ? "SECCOMP" : "EXECVE",
                  (unsigned long long)(EPOCH_START + g->t_ns / 1000000000ULL),
                  (unsigned)(g->t_ns / 1000000ULL % 1000), (unsigned long long)g->serial);
    else
        sb_printf(&head,
                  "kernel: audit: type=%u audit(%llu.%03u:%llu): ", seccomp_like ? 1326 : 1309,
                  (unsigned long long)(EPOCH_START + g->t_ns / 1000000000ULL),
                  (unsigned)(g->t_ns / 1000000ULL % 1000), (unsigned long long)g->serial);
    if (seccomp_like)
        sb_printf(&head, "auid=0 uid=0 gid=0 ses=1 subj=unconfined pid=4242 comm=\"x\" exe=\"/");
    else
        sb_printf(&head, "argc=3 a0=\"sh\" a1=\"-c\" a2=");
    out_write(&g->out, head.buf, head.len);
    char chunk[4096];
    static const char hx[] = "0123456789ABCDEF";
    for (size_t i = 0; i < sizeof(chunk); i++)
        chunk[i] = seccomp_like ? (char)('a' + i % 26) : hx[(i * 7 + 3) % 16];
    size_t left = n > head.len ? n - head.len : 1;
    while (left > 0) {
        size_t k = left < sizeof(chunk) ? left : sizeof(chunk);
        out_write(&g->out, chunk, k);
        left -= k;
    }
    if (seccomp_like) {
        static const char rest[] =
            "\" sig=0 arch=c000003e syscall=90 compat=0 ip=0x1 code=0x7ffc0000";
        out_write(&g->out, rest, sizeof(rest) - 1);
    }
    out_write(&g->out, "\n", 1);
    g->lines++;
    g->oversized++;
}

/* ---- other events ---- */

static const char *const paths[] = {
    "/etc/passwd",
    "/etc/shadow",
    "/var/log/app/access.log",
    "/usr/lib/x86_64-linux-gnu/libc.so.6",
    "/tmp/.X11-unix",
    "/run/containerd/containerd.sock",
    "/proc/self/status",
    "/etc/ld.so.cache",
};

static void proctitle_hex(struct sb *b, const struct workload *w, struct rng *r)
{
    /* argv joined with NULs, cut at 128 bytes and hex-encoded, as the kernel logs it */
    char argv[256];
    int n = snprintf(argv, sizeof(argv),
                     "%s%c--config%c/etc/app/config-%u.yaml%c--workers=%u%c--log-dir=/var/log/"
                     "app/instance-%u%c--listen=0.0.0.0:%u",
                     w->exe, 0, 0, rng_below(r, 100), 0, 1 + rng_below(r, 16), 0,
                     rng_below(r, 1000), 0, 1024 + rng_below(r, 60000));
    if (n < 0)
        n = 0;
    sb_hex(b, argv, (size_t)n < 128 ? (size_t)n : 128);
}

static void syscall_fields(struct sb *b, const struct workload *w, struct rng *r, int32_t pid,
                           uint32_t nr, const char *key)
{
    sb_printf(b,
              "arch=c000003e syscall=%u success=yes exit=%u a0=ffffff9c a1=7ffd%08x a2=%x a3=0 "
              "items=%u ppid=%u pid=%d auid=%u uid=%u gid=%u euid=%u suid=%u fsuid=%u egid=%u "
              "sgid=%u fsgid=%u tty=(none) ses=%u comm=",
              nr, rng_below(r, 20), rng_below(r, 0x7fffffff), rng_below(r, 0x80000), 1 + (nr == 59),
              1 + rng_below(r, 3000), pid, w->uid ? w->uid : 4294967295U, w->uid, w->uid, w->uid,
              w->uid, w->uid, w->uid, w->uid, w->uid, w->uid ? 3 : 4294967295U);
    sb_audit_value(b, w->comm);
    sb_printf(b, " exe=");
    sb_audit_value(b, w->exe);
    sb_printf(b, " subj=%s key=\"%s\"", w->subj, key);
}

static void emit_other_event(struct gen *g, uint64_t max_lines)
{
    struct sb body, tail, line;
    const struct workload *w = &g->ws[rng_below(&g->r, g->n_ws)];
    int32_t pid = 300 + (int32_t)rng_below(&g->r, 4000000);
    uint64_t start = g->lines;
#define ROOM() (g->lines - start < max_lines)
    next_event(g);

    /* Kernel-log flavours also carry plain kernel and daemon messages. */
    if ((g->ev_fmt == F_DMESG || g->ev_fmt == F_KERN || g->ev_fmt == F_KMSG ||
         g->ev_fmt == F_JOURNAL) &&
        rng_permille(&g->r, 400)) {
        static const char *const kmsgs[] = {
            "eth0: Link is Up - 10Gbps/Full - flow control off",
            "IPv6: ADDRCONF(NETDEV_CHANGE): veth3f2a1b9: link becomes ready",
            "docker0: port 2(veth3f2a1b9) entered forwarding state",
            "EXT4-fs (vda1): mounted filesystem with ordered data mode. Quota mode: none.",
            "overlayfs: upper fs does not support RENAME_WHITEOUT.",
            "kauditd_printk_skb: 12 callbacks suppressed",
            "TCP: request_sock_TCP: Possible SYN flooding on port 8080. Sending cookies.",
            "cgroup: fork rejected by pids controller in /kubepods.slice/kubepods-pod1.slice",
        };
        static const char *const daemons[] = {
            "systemd[1]: Started Session 42 of User root.",
            "sshd[2201]: Accepted publickey for root from 10.0.0.5 port 51234 ssh2",
            "containerd[812]: time=\"2023-11-14T22:13:20Z\" level=info msg=\"shim disconnected\"",
            "dockerd[790]: time=\"2023-11-14T22:13:20Z\" level=warning msg=\"cleanup warnings\"",
            "CRON[3310]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)",
            "kubelet[901]: I1114 22:13:20.123456 901 kubelet.go:2437] \"SyncLoop UPDATE\"",
        };
        const char *m = kmsgs[rng_below(&g->r, sizeof(kmsgs) / sizeof(kmsgs[0]))];
        uint64_t up, us;
        uptime(g, &up, &us);
        sb_reset(&line);
        if (g->ev_fmt == F_KMSG) {
            sb_printf(&line, "6,%llu,%llu%06llu,-;%s\n", (unsigned long long)g->kmsg_seq++,
                      (unsigned long long)up, (unsigned long long)us, m);
            if (rng_permille(&g->r, 200) && max_lines > 1) {
                /* dictionary continuation line */
                sb_printf(&line, " SUBSYSTEM=net\n");
                g->lines++;
            }
        } else if (g->ev_fmt == F_DMESG) {
            sb_printf(&line, "[%5llu.%06llu] %s\n", (unsigned long long)up, (unsigned long long)us,
                      m);
        } else {
            syslog_stamp(g, &line);
            if (rng_permille(&g->r, 500))
                sb_printf(&line, "%s\n",
                          daemons[rng_below(&g->r, sizeof(daemons) / sizeof(daemons[0]))]);
            else if (g->ev_fmt == F_KERN)
                sb_printf(&line, "kernel: [%5llu.%06llu] %s\n", (unsigned long long)up,
                          (unsigned long long)us, m);
            else
                sb_printf(&line, "kernel: %s\n", m);
        }
        out_write(&g->out, line.buf, line.len);
        g->lines++;
        return;
    }

    uint32_t kind = rng_below(&g->r, 1000);
    if (kind < 450) {
        /* a syscall event: SYSCALL [EXECVE] CWD PATH... PROCTITLE (same serial) */
        bool exec = rng_permille(&g->r, 300);
        uint32_t nr = exec ? 59 : rng_permille(&g->r, 500) ? 257 : 90;
        sb_reset(&body);
        syscall_fields(&body, w, &g->r, pid, nr, exec ? "exec" : "access");
        sb_reset(&tail);
        sb_printf(&tail,
                  "ARCH=x86_64 SYSCALL=%s AUID=\"unset\" UID=\"root\" GID=\"root\" EUID=\"root\" "
                  "SUID=\"root\" FSUID=\"root\" EGID=\"root\" SGID=\"root\" FSGID=\"root\"",
                  exec        ? "execve"
                  : nr == 257 ? "openat"
                              : "chmod");
        emit_record(g, "SYSCALL", 1300, body.buf, body.len, tail.buf, pid, &line);
        if (exec && ROOM()) {
            sb_reset(&body);
            sb_printf(&body,
                      "argc=5 a0=\"%s\" a1=\"--config\" a2=\"/etc/app/config.yaml\" "
                      "a3=\"--log-level=info\" a4=\"--pid-file=/run/app/%u.pid\"",
                      w->comm, rng_below(&g->r, 100000));
            emit_record(g, "EXECVE", 1309, body.buf, body.len, NULL, 0, &line);
        }
        if (ROOM()) {
            sb_reset(&body);
            sb_printf(&body, "cwd=\"/var/lib/docker/overlay2/%016llx%016llx/merged/srv/app\"",
                      (unsigned long long)rng_next(&g->r), (unsigned long long)rng_next(&g->r));
            emit_record(g, "CWD", 1307, body.buf, body.len, NULL, 0, &line);
        }
        unsigned items = exec ? 2 : 1 + rng_permille(&g->r, 300);
        for (unsigned i = 0; i < items && ROOM(); i++) {
            sb_reset(&body);
            sb_printf(&body,
                      "item=%u name=\"%s\" inode=%u dev=fd:01 mode=0100644 ouid=0 ogid=0 "
                      "rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 "
                      "cap_frootid=0",
                      i,
                      exec && i == 1 ? "/lib64/ld-linux-x86-64.so.2" : paths[rng_below(&g->r, 8)],
                      rng_below(&g->r, 10000000));
            sb_reset(&tail);
            sb_printf(&tail, "OUID=\"root\" OGID=\"root\"");
            emit_record(g, "PATH", 1302, body.buf, body.len, tail.buf, 0, &line);
        }
        if (ROOM()) {
            sb_reset(&body);
            sb_printf(&body, "proctitle=");
            proctitle_hex(&body, w, &g->r);
            emit_record(g, "PROCTITLE", 1327, body.buf, body.len, NULL, 0, &line);
        }
    } else if (kind < 800) {
        /* PAM and login records: one line each, own serial */
        static const struct {
            const char *name;
            unsigned num;
            const char *op;
        } pam[] = {
            {"USER_ACCT", 1101, "PAM:accounting grantors=pam_permit"},
            {"CRED_ACQ", 1103, "PAM:setcred grantors=pam_permit"},
            {"USER_START", 1105, "PAM:session_open grantors=pam_limits,pam_unix"},
            {"USER_END", 1106, "PAM:session_close grantors=pam_limits,pam_unix"},
            {"CRED_DISP", 1104, "PAM:setcred grantors=pam_permit"},
            {"USER_AUTH", 1100, "PAM:authentication grantors=pam_unix"},
            {"CRED_REFR", 1110, "PAM:setcred grantors=pam_unix"},
            {"USER_CMD", 1123, "cwd=\"/root\" cmd=73797374656D63746C20737461747573"},
        };
        unsigned i = rng_below(&g->r, sizeof(pam) / sizeof(pam[0]));
        const char *exe = i == 7                     ? "/usr/bin/sudo"
                          : rng_permille(&g->r, 500) ? "/usr/sbin/cron"
                                                     : "/usr/sbin/sshd";
        sb_reset(&body);
        sb_printf(&body,
                  "pid=%d uid=0 auid=%u ses=%u subj=unconfined msg='op=%s acct=\"root\" "
                  "exe=\"%s\" hostname=%s addr=%s terminal=%s res=success'",
                  pid, rng_permille(&g->r, 500) ? 0 : 4294967295U, 1 + rng_below(&g->r, 500),
                  pam[i].op, exe, exe[10] == 'c' ? "?" : "10.0.0.5",
                  exe[10] == 'c' ? "?" : "10.0.0.5", exe[10] == 'c' ? "cron" : "ssh");
        sb_reset(&tail);
        sb_printf(&tail, "UID=\"root\" AUID=\"root\"");
        emit_record(g, pam[i].name, pam[i].num, body.buf, body.len, tail.buf, pid, &line);
    } else if (kind < 880) {
        /* AVC + SYSCALL + PROCTITLE */
        sb_reset(&body);
        sb_printf(&body,
                  "avc:  denied  { read write } for  pid=%d comm=\"%s\" name=\"config.yaml\" "
                  "dev=\"vda1\" ino=%u scontext=system_u:system_r:container_t:s0:c123,c456 "
                  "tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0",
                  pid, "nginx", rng_below(&g->r, 10000000));
        emit_record(g, "AVC", 1400, body.buf, body.len, NULL, pid, &line);
        if (ROOM()) {
            sb_reset(&body);
            syscall_fields(&body, w, &g->r, pid, 257, "(null)");
            emit_record(g, "SYSCALL", 1300, body.buf, body.len, NULL, pid, &line);
        }
        if (ROOM()) {
            sb_reset(&body);
            sb_printf(&body, "proctitle=");
            proctitle_hex(&body, w, &g->r);
            emit_record(g, "PROCTITLE", 1327, body.buf, body.len, NULL, 0, &line);
        }
    } else if (kind < 940) {
        sb_reset(&body);
        const char *unit = rng_permille(&g->r, 500) ? "docker-3f2a1b9c.scope" : "apt-daily";
        sb_printf(&body,
                  "pid=1 uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg='unit=%s "
                  "comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? "
                  "res=success'",
                  unit);
        bool is_start = rng_permille(&g->r, 500);
        emit_record(g, is_start ? "SERVICE_START" : "SERVICE_STOP", is_start ? 1130 : 1131,
                    body.buf, body.len, NULL, 1, &line);
    } else if (kind < 970) {
        sb_reset(&body);
        sb_printf(&body, "prog-id=%u op=%s", rng_below(&g->r, 5000),
                  rng_permille(&g->r, 500) ? "LOAD" : "UNLOAD");
        emit_record(g, "BPF", 1334, body.buf, body.len, NULL, 0, &line);
    } else if (kind < 990) {
        sb_reset(&body);
        sb_printf(&body,
                  "table=filter family=2 entries=%u op=xt_replace pid=%d subj=unconfined "
                  "comm=\"iptables\"",
                  rng_below(&g->r, 200), pid);
        emit_record(g, "NETFILTER_CFG", 1325, body.buf, body.len, NULL, pid, &line);
    } else {
        sb_reset(&body);
        sb_printf(&body, "auid=4294967295 uid=0 gid=0 ses=4294967295 subj=%s pid=%d comm=", w->subj,
                  pid);
        sb_audit_value(&body, w->comm);
        sb_printf(&body, " exe=");
        sb_audit_value(&body, w->exe);
        sb_printf(&body, " sig=11 res=1");
        emit_record(g, "ANOM_ABEND", 1701, body.buf, body.len, NULL, pid, &line);
    }
#undef ROOM
}

/* ---- expected-counts file ---- */

struct exp_row {
    unsigned w, arch, action;
    uint32_t nr;
    uint64_t count;
};

static int row_cmp(const void *a, const void *b)
{
    const struct exp_row *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? -1 : 1;
    if (x->arch != y->arch)
        return x->arch < y->arch ? -1 : 1;
    if (x->nr != y->nr)
        return x->nr < y->nr ? -1 : 1;
    return x->action < y->action ? -1 : x->action > y->action;
}

static int write_expect(const struct gen *g, const char *path, const char *cmdline)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "scw_gen_corpus: cannot write '%s': %s\n", path, strerror(errno));
        return -1;
    }
    struct exp_row *rows = calloc(g->expect.used ? g->expect.used : 1, sizeof(*rows));
    if (!rows) {
        fclose(f);
        return -1;
    }
    size_t n = 0;
    for (size_t i = 0; i < g->expect.cap; i++) {
        uint64_t k = g->expect.slots[i].key;
        if (!k)
            continue;
        k -= 1;
        rows[n++] =
            (struct exp_row){(unsigned)(k >> 40), (unsigned)(k >> 36 & 15),
                             (unsigned)(k >> 32 & 15), (uint32_t)k, g->expect.slots[i].count};
    }
    qsort(rows, n, sizeof(*rows), row_cmp);
    fprintf(f, "# scw_gen_corpus expected counts: %s\n", cmdline);
    fprintf(f, "# entry<TAB>workload key<TAB>arch<TAB>nr<TAB>code<TAB>count "
               "(as scmpwatch replay --format json names them)\n");
    fprintf(f, "bytes %llu\nlines %llu\nseccomp %llu\nmalformed %llu\noversized %llu\nother %llu\n",
            (unsigned long long)g->out.bytes, (unsigned long long)g->lines,
            (unsigned long long)g->seccomp, (unsigned long long)g->malformed,
            (unsigned long long)g->oversized, (unsigned long long)g->other);
    fprintf(f, "entries %zu\n", n);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "entry\texe:%s\t%s\t%u\t0x%08x\t%llu\n", g->ws[rows[i].w].exe,
                arches[rows[i].arch].name, rows[i].nr, actions[rows[i].action].code,
                (unsigned long long)rows[i].count);
    free(rows);
    if (fclose(f) != 0) {
        fprintf(stderr, "scw_gen_corpus: cannot write '%s': %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- command line ---- */

static const char usage[] =
    "Usage: scw_gen_corpus [OPTIONS]\n"
    "Write a deterministic, realistic audit or kernel log corpus (same options and seed, same\n"
    "bytes) for the scmpwatch benchmark.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE          write the corpus to FILE (default: standard output)\n"
    "  -n, --lines N              number of lines (default 200000)\n"
    "  -b, --bytes N              stop at the first line that reaches N bytes (instead of -n;\n"
    "                             suffixes k, M, G)\n"
    "  -s, --seed N               random seed (default 1)\n"
    "  -f, --format FMT           auditd (default), enriched, dmesg, kern, kmsg, journal, mixed\n"
    "      --seccomp-share F      share of lines that are valid SECCOMP records (default 0.5)\n"
    "      --malformed-share F    share of SECCOMP-marked lines without valid arch=/syscall=\n"
    "                             (default 0)\n"
    "      --oversized-share F    share of lines longer than --oversized-bytes (default 0)\n"
    "      --oversized-bytes N    minimum length of an oversized line (default 70000; scmpwatch\n"
    "                             skips lines over 65536)\n"
    "      --rate N               events per second of log time (default 2000); ausearch and\n"
    "                             auparse slow down as this grows\n"
    "      --workloads N          distinct executables (default 200)\n"
    "      --syscalls N           syscalls per executable (default 2-10 at random; with\n"
    "                             --spread, syscall numbers 0..N-1)\n"
    "      --spread               enumerate every (executable, syscall) pair in turn instead\n"
    "                             of bursts (the memory-bound scenario)\n"
    "      --nodes N              prefix auditd lines with node=NAME, N distinct names\n"
    "                             (stage-node01, stage-node02...; default none)\n"
    "      --expect FILE          write the exact counts a correct reader must find\n"
    "  -h, --help                 show this help\n"
    "\n"
    "Exit status: 0 written; 1 an output could not be written; 2 usage error.\n";

static bool parse_count(const char *s, uint64_t max, uint64_t *ret)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || s[0] == '-')
        return false;
    uint64_t mul = 1;
    if (*end == 'k' || *end == 'K')
        mul = 1000, end++;
    else if (*end == 'M')
        mul = 1000000, end++;
    else if (*end == 'G')
        mul = 1000000000, end++;
    if (*end || v > max / mul)
        return false;
    *ret = v * mul;
    return true;
}

static bool parse_share(const char *s, double *ret)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= 0.0 && v <= 1.0))
        return false;
    *ret = v;
    return true;
}

enum {
    OPT_SECCOMP = 256,
    OPT_MALFORMED,
    OPT_OVERSIZED,
    OPT_OVERSIZED_BYTES,
    OPT_RATE,
    OPT_WORKLOADS,
    OPT_SYSCALLS,
    OPT_SPREAD,
    OPT_NODES,
    OPT_EXPECT,
};

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "scw_gen_corpus: %s%s%s%s\nTry 'scw_gen_corpus --help'.\n", msg,
            arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
    return 2;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"lines", required_argument, NULL, 'n'},
        {"bytes", required_argument, NULL, 'b'},
        {"seed", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {"seccomp-share", required_argument, NULL, OPT_SECCOMP},
        {"malformed-share", required_argument, NULL, OPT_MALFORMED},
        {"oversized-share", required_argument, NULL, OPT_OVERSIZED},
        {"oversized-bytes", required_argument, NULL, OPT_OVERSIZED_BYTES},
        {"rate", required_argument, NULL, OPT_RATE},
        {"workloads", required_argument, NULL, OPT_WORKLOADS},
        {"syscalls", required_argument, NULL, OPT_SYSCALLS},
        {"spread", no_argument, NULL, OPT_SPREAD},
        {"nodes", required_argument, NULL, OPT_NODES},
        {"expect", required_argument, NULL, OPT_EXPECT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL, *expect_path = NULL;
    uint64_t lines = 200000, bytes = 0, seed = 1, rate = 2000, workloads = 200, syscalls = 0;
    uint64_t nodes = 0, over_bytes = 70000;
    double sec_share = 0.5, mal_share = 0.0, over_share = 0.0;
    bool spread = false;
    enum fmt fmt = F_AUDITD;
    int c;
    while ((c = getopt_long(argc, argv, "o:n:b:s:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            output = optarg;
            break;
        case 'n':
            if (!parse_count(optarg, UINT64_MAX / 2, &lines) || lines == 0)
                return usage_error("--lines needs a positive number, not", optarg);
            break;
        case 'b':
            if (!parse_count(optarg, UINT64_MAX / 2, &bytes) || bytes == 0)
                return usage_error("--bytes needs a positive number, not", optarg);
            break;
        case 's':
            if (!parse_count(optarg, UINT64_MAX / 2, &seed))
                return usage_error("--seed needs a number, not", optarg);
            break;
        case 'f': {
            int i;
            for (i = 0; i < F_COUNT && strcmp(fmt_names[i], optarg) != 0; i++)
                ;
            if (i == F_COUNT)
                return usage_error("unknown --format (auditd, enriched, dmesg, kern, kmsg, "
                                   "journal, mixed):",
                                   optarg);
            fmt = (enum fmt)i;
            break;
        }
        case OPT_SECCOMP:
            if (!parse_share(optarg, &sec_share))
                return usage_error("--seccomp-share needs a number in [0, 1], not", optarg);
            break;
        case OPT_MALFORMED:
            if (!parse_share(optarg, &mal_share))
                return usage_error("--malformed-share needs a number in [0, 1], not", optarg);
            break;
        case OPT_OVERSIZED:
            if (!parse_share(optarg, &over_share))
                return usage_error("--oversized-share needs a number in [0, 1], not", optarg);
            break;
        case OPT_OVERSIZED_BYTES:
            if (!parse_count(optarg, OVERSIZED_MAX, &over_bytes) || over_bytes < 1024)
                return usage_error("--oversized-bytes needs a number in [1024, 16M], not", optarg);
            break;
        case OPT_RATE:
            if (!parse_count(optarg, 1000000000, &rate))
                return usage_error("--rate needs a number of events per second, not", optarg);
            break;
        case OPT_WORKLOADS:
            if (!parse_count(optarg, 1u << 20, &workloads) || workloads == 0)
                return usage_error("--workloads needs a number in [1, 1048576], not", optarg);
            break;
        case OPT_SYSCALLS:
            if (!parse_count(optarg, 4096, &syscalls) || syscalls == 0)
                return usage_error("--syscalls needs a number in [1, 4096], not", optarg);
            break;
        case OPT_SPREAD:
            spread = true;
            break;
        case OPT_NODES:
            if (!parse_count(optarg, 1000, &nodes))
                return usage_error("--nodes needs a number in [0, 1000], not", optarg);
            break;
        case OPT_EXPECT:
            expect_path = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            return usage_error("unknown option", NULL);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument", argv[optind]);
    if (sec_share + mal_share + over_share > 1.0)
        return usage_error("the shares add up to more than 1", NULL);

    struct gen *g = calloc(1, sizeof(*g));
    if (!g)
        return 1;
    g->r.s = seed * 0x2545f4914f6cdd1dULL + 1;
    g->fmt = fmt;
    g->nodes = (unsigned)nodes;
    g->mean_dt = rate ? 1000000000ULL / rate : 0;
    g->serial = 23000000; /* a host that has been up a while */
    g->kmsg_seq = 50000;
    g->spread = spread;
    g->spread_syscalls = syscalls ? (unsigned)syscalls : 400;
    snprintf(g->host, sizeof(g->host), "stage-%u", (unsigned)(seed % 100));
    g->n_ws = (unsigned)workloads;
    g->ws = make_workloads(&g->r, g->n_ws, spread ? 0 : (unsigned)syscalls, spread);
    g->out.buf = malloc(OUT_CHUNK);
    if (!g->ws || !g->out.buf) {
        fprintf(stderr, "scw_gen_corpus: out of memory\n");
        return 1;
    }
    for (unsigned i = 0; i < ACTIVE_BURSTS; i++)
        new_burst(g, &g->bursts[i]);
    g->out.f = output ? fopen(output, "w") : stdout;
    if (!g->out.f) {
        fprintf(stderr, "scw_gen_corpus: cannot write '%s': %s\n", output, strerror(errno));
        return 1;
    }

    /* Shares are kept exact at every point by error diffusion: a kind is due when its count
     * is below share x (lines + 1). */
    for (;;) {
        if (bytes ? g->out.bytes >= bytes : g->lines >= lines)
            break;
        double next = (double)(g->lines + 1);
        if ((double)g->malformed < mal_share * next)
            emit_malformed(g);
        else if ((double)g->oversized < over_share * next)
            emit_oversized(g, (size_t)over_bytes);
        else if ((double)g->seccomp < sec_share * next)
            emit_seccomp(g);
        else {
            uint64_t before = g->lines;
            emit_other_event(g, bytes ? UINT64_MAX : lines - g->lines);
            g->other += g->lines - before;
        }
    }
    out_flush(&g->out);
    bool werr = g->out.error || (output ? fclose(g->out.f) != 0 : fflush(g->out.f) != 0);
    if (werr) {
        fprintf(stderr, "scw_gen_corpus: cannot write '%s': %s\n", output ? output : "<stdout>",
                strerror(errno));
        return 1;
    }
    int rc = 0;
    if (g->expect.oom) {
        fprintf(stderr, "scw_gen_corpus: out of memory counting the expected entries\n");
        rc = 1;
    } else if (expect_path) {
        char cmdline[1024];
        size_t o = 0;
        for (int i = 1; i < argc && o < sizeof(cmdline) - 1; i++) {
            int n = snprintf(cmdline + o, sizeof(cmdline) - o, "%s%s", i > 1 ? " " : "", argv[i]);
            if (n < 0)
                break;
            o += (size_t)n;
        }
        if (o >= sizeof(cmdline))
            o = sizeof(cmdline) - 1;
        cmdline[o] = '\0';
        if (write_expect(g, expect_path, cmdline) < 0)
            rc = 1;
    }
    free(g->expect.slots);
    free(g->ws);
    free(g->out.buf);
    free(g);
    return rc;
}
