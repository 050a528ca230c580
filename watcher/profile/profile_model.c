/*
 * profile_model: the model of a loaded profile and what it answers. Holds the SCMP_ACT_*
 * action names, the architecture table (libseccomp token, Docker's host name, the 64-bit
 * architecture a 32-bit one runs under), the host a filter is resolved for (capabilities,
 * kernel) and whether an entry's includes/excludes select it, scw_profile_free, the accessors
 * and the queries (scw_profile_names, scw_profile_query).
 *
 * It does not read JSON (profile_read.c builds the model, profile_check.c judges it), does not
 * edit or write documents (profile_edit.c, profile_write.c) and builds no filter
 * (profile_filter.c). Called by the cli's profile commands (cmd_profile.c, propose.c), by tests
 * and by the other profile*.c files through profile_impl.h.
 */
#include "profile.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "name.h"
#include "profile_impl.h"

/* ---- actions ---- */

static const struct {
    enum scw_action action;
    const char *name;
} action_names[] = {
    {SCW_ACTION_KILL_PROCESS, "SCMP_ACT_KILL_PROCESS"},
    {SCW_ACTION_KILL_THREAD, "SCMP_ACT_KILL_THREAD"},
    {SCW_ACTION_TRAP, "SCMP_ACT_TRAP"},
    {SCW_ACTION_ERRNO, "SCMP_ACT_ERRNO"},
    {SCW_ACTION_TRACE, "SCMP_ACT_TRACE"},
    {SCW_ACTION_USER_NOTIF, "SCMP_ACT_NOTIFY"},
    {SCW_ACTION_LOG, "SCMP_ACT_LOG"},
    {SCW_ACTION_ALLOW, "SCMP_ACT_ALLOW"},
};
#define N_ACTIONS (sizeof(action_names) / sizeof(action_names[0]))

const char *scw_profile_action_name(enum scw_action a)
{
    for (size_t i = 0; i < N_ACTIONS; i++)
        if (action_names[i].action == a)
            return action_names[i].name;
    return NULL;
}

enum scw_action scw_profile_action_from_name(const char *name)
{
    if (!name)
        return SCW_ACTION_INVALID;
    for (size_t i = 0; i < N_ACTIONS; i++)
        if (strcmp(name, action_names[i].name) == 0)
            return action_names[i].action;
    if (strcmp(name, "SCMP_ACT_KILL") == 0)
        return SCW_ACTION_KILL_THREAD;
    return SCW_ACTION_INVALID;
}

uint32_t scw_profile_action_code(enum scw_action a, int errno_ret)
{
    uint32_t e = errno_ret < 0 ? 1 /* EPERM, as runtimes default */ : (uint32_t)errno_ret;
    switch (a) {
    case SCW_ACTION_KILL_PROCESS:
        return SCMP_ACT_KILL_PROCESS;
    case SCW_ACTION_KILL_THREAD:
        return SCMP_ACT_KILL_THREAD;
    case SCW_ACTION_TRAP:
        return SCMP_ACT_TRAP;
    case SCW_ACTION_ERRNO:
        return SCMP_ACT_ERRNO(e);
    case SCW_ACTION_TRACE:
        return SCMP_ACT_TRACE(e);
    case SCW_ACTION_USER_NOTIF:
        return SCMP_ACT_NOTIFY;
    case SCW_ACTION_LOG:
        return SCMP_ACT_LOG;
    case SCW_ACTION_ALLOW:
        return SCMP_ACT_ALLOW;
    case SCW_ACTION_UNKNOWN:
    case SCW_ACTION_MAX:
    case SCW_ACTION_INVALID:
        break;
    }
    return SCMP_ACT_KILL_THREAD;
}

bool scw_profile_action_runs(enum scw_action a)
{
    return a == SCW_ACTION_ALLOW || a == SCW_ACTION_LOG;
}

bool profile_action_takes_errno(enum scw_action a)
{
    return a == SCW_ACTION_ERRNO || a == SCW_ACTION_TRACE;
}

/* ---- architectures ---- */

/* Docker's names for host architectures (what includes/excludes "arches" compare with). */
static const struct {
    uint32_t token;
    const char *docker;
    uint32_t main; /* the 64-bit architecture a sub-architecture runs under, 0 if none */
    bool is32;
} arch_info[] = {
    {SCMP_ARCH_X86_64, "amd64", 0, false},
    {SCMP_ARCH_X86, "x86", SCMP_ARCH_X86_64, true},
    {SCMP_ARCH_X32, "x32", SCMP_ARCH_X86_64, true},
    {SCMP_ARCH_AARCH64, "arm64", 0, false},
    {SCMP_ARCH_ARM, "arm", SCMP_ARCH_AARCH64, true},
    {SCMP_ARCH_MIPS64, "mips64", 0, false},
    {SCMP_ARCH_MIPS64N32, "mips64n32", SCMP_ARCH_MIPS64, true},
    {SCMP_ARCH_MIPS, "mips", SCMP_ARCH_MIPS64, true},
    {SCMP_ARCH_MIPSEL64, "mipsel64", 0, false},
    {SCMP_ARCH_MIPSEL64N32, "mipsel64n32", SCMP_ARCH_MIPSEL64, true},
    {SCMP_ARCH_MIPSEL, "mipsel", SCMP_ARCH_MIPSEL64, true},
    {SCMP_ARCH_PPC64LE, "ppc64le", 0, false},
    {SCMP_ARCH_PPC64, "ppc64", 0, false},
    {SCMP_ARCH_PPC, "ppc", SCMP_ARCH_PPC64, true},
    {SCMP_ARCH_S390X, "s390x", 0, false},
    {SCMP_ARCH_S390, "s390", SCMP_ARCH_S390X, true},
    {SCMP_ARCH_RISCV64, "riscv64", 0, false},
    {SCMP_ARCH_PARISC64, "parisc64", 0, false},
    {SCMP_ARCH_PARISC, "parisc", SCMP_ARCH_PARISC64, true},
};
#define N_ARCH_INFO (sizeof(arch_info) / sizeof(arch_info[0]))

/* Docker arch names seen in real profiles that never name a libseccomp arch of ours. */
static const char *const extra_docker_arches[] = {"mipsle", "mips3l64n32", "loong64"};

static int arch_index(uint32_t token)
{
    for (size_t i = 0; i < N_ARCH_INFO; i++)
        if (arch_info[i].token == token)
            return (int)i;
    return -1;
}

const char *profile_arch_name(uint32_t token)
{
    const char *n = scw_name_arch(token);
    return n ? n : "unknown";
}

bool profile_arch_is_32bit(uint32_t token)
{
    int i = arch_index(token);
    return i >= 0 && arch_info[i].is32;
}

bool profile_docker_arch_known(const char *name)
{
    for (size_t i = 0; i < N_ARCH_INFO; i++)
        if (strcmp(arch_info[i].docker, name) == 0)
            return true;
    for (size_t i = 0; i < sizeof(extra_docker_arches) / sizeof(extra_docker_arches[0]); i++)
        if (strcmp(extra_docker_arches[i], name) == 0)
            return true;
    return false;
}

uint32_t profile_arch_from_name(const char *name)
{
    if (strncmp(name, "SCMP_ARCH_", 10) != 0 || !name[10])
        return 0;
    for (const char *c = name + 10; *c; c++)
        if (!isupper((unsigned char)*c) && !isdigit((unsigned char)*c) && *c != '_')
            return 0;
    uint32_t t = scw_name_arch_token(name);
    return arch_index(t) >= 0 ? t : 0;
}

const char *profile_libseccomp_version(void)
{
    static char buf[32];
    const struct scmp_version *v = seccomp_version();
    snprintf(buf, sizeof(buf), "%u.%u.%u", v->major, v->minor, v->micro);
    return buf;
}

bool profile_arch_libseccomp_knows(const char *name)
{
    char lower[32];
    if (strncmp(name, "SCMP_ARCH_", 10) != 0 || !name[10] || strlen(name + 10) >= sizeof(lower))
        return false;
    size_t n = 0;
    for (const char *c = name + 10; *c; c++)
        lower[n++] = (char)tolower((unsigned char)*c);
    lower[n] = '\0';
    return seccomp_arch_resolve_name(lower) != 0;
}

static uint32_t machine_arch(void)
{
    return seccomp_arch_native();
}

static bool token_in(const uint32_t *set, size_t n, uint32_t t)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == t)
            return true;
    return false;
}

size_t profile_effective_arches(const struct scw_profile *p, uint32_t native, uint32_t *ret,
                                size_t max)
{
    size_t n = 0;
    if (max == 0)
        return 0;
    ret[n++] = native;
    for (size_t i = 0; i < p->n_map; i++) {
        if (p->map[i].arch != native)
            continue;
        for (size_t s = 0; s < p->map[i].n_subs && n < max; s++)
            if (p->map[i].subs[s] && !token_in(ret, n, p->map[i].subs[s]))
                ret[n++] = p->map[i].subs[s];
        break; /* Docker uses the first entry for the host architecture */
    }
    for (size_t i = 0; i < p->n_arches && n < max; i++)
        if (p->arches[i] && !token_in(ret, n, p->arches[i]))
            ret[n++] = p->arches[i];
    return n;
}

int scw_profile_arches(const struct scw_profile *p, uint32_t native, uint32_t *ret_tokens,
                       size_t max)
{
    if (!p || !ret_tokens)
        return -EINVAL;
    if (!native)
        native = machine_arch();
    return (int)profile_effective_arches(p, native, ret_tokens, max);
}

int scw_profile_listed_arches(const struct scw_profile *p, uint32_t *ret_tokens, size_t max)
{
    if (!p || !ret_tokens)
        return -EINVAL;
    size_t n = 0;
    for (size_t i = 0; i < p->n_arches && n < max; i++)
        if (p->arches[i] && !token_in(ret_tokens, n, p->arches[i]))
            ret_tokens[n++] = p->arches[i];
    for (size_t i = 0; i < p->n_map && n < max; i++) {
        if (p->map[i].arch && !token_in(ret_tokens, n, p->map[i].arch))
            ret_tokens[n++] = p->map[i].arch;
        for (size_t s = 0; s < p->map[i].n_subs && n < max; s++)
            if (p->map[i].subs[s] && !token_in(ret_tokens, n, p->map[i].subs[s]))
                ret_tokens[n++] = p->map[i].subs[s];
    }
    return (int)n;
}

/* ---- hosts ---- */

const char *const scw_profile_docker_caps[] = {
    "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",
    "CAP_MKNOD",   "CAP_NET_RAW",      "CAP_SETGID",           "CAP_SETUID",
    "CAP_SETFCAP", "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
    "CAP_KILL",    "CAP_AUDIT_WRITE",
};
const size_t scw_profile_n_docker_caps =
    sizeof(scw_profile_docker_caps) / sizeof(scw_profile_docker_caps[0]);

bool profile_parse_kernel(const char *s, unsigned *ret_major, unsigned *ret_minor, bool exact)
{
    unsigned v[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        if (!isdigit((unsigned char)*s))
            return false;
        unsigned long x = 0;
        while (isdigit((unsigned char)*s)) {
            x = x * 10 + (unsigned long)(*s++ - '0');
            if (x > 100000)
                return false;
        }
        v[i] = (unsigned)x;
        if (i == 0) {
            if (*s != '.')
                return false;
            s++;
        }
    }
    if (exact && *s)
        return false;
    *ret_major = v[0];
    *ret_minor = v[1];
    return true;
}

static void running_kernel(unsigned *ret_major, unsigned *ret_minor)
{
    struct utsname u;
    if (uname(&u) < 0 || !profile_parse_kernel(u.release, ret_major, ret_minor, false)) {
        *ret_major = 0;
        *ret_minor = 0;
    }
}

void profile_host_resolve(const struct scw_profile_host *host, uint32_t native,
                          struct profile_host *h)
{
    memset(h, 0, sizeof(*h));
    h->native = native;
    int i = arch_index(native);
    h->docker_arch = i >= 0 ? arch_info[i].docker : "";
    if (host && host->no_caps) {
        h->caps = NULL;
        h->n_caps = 0;
    } else if (host && host->caps) {
        h->caps = host->caps;
        h->n_caps = host->n_caps;
    } else {
        h->caps = scw_profile_docker_caps;
        h->n_caps = scw_profile_n_docker_caps;
        h->caps_assumed = true;
    }
    if (host && (host->kernel_major || host->kernel_minor)) {
        h->kernel_major = host->kernel_major;
        h->kernel_minor = host->kernel_minor;
    } else {
        running_kernel(&h->kernel_major, &h->kernel_minor);
        h->kernel_assumed = true;
    }
}

static bool str_in(const char *const *set, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(set[i], s) == 0)
            return true;
    return false;
}

static bool kernel_at_least(const struct profile_host *h, const struct profile_cond *c)
{
    if (h->kernel_major != c->kernel_major)
        return h->kernel_major > c->kernel_major;
    return h->kernel_minor >= c->kernel_minor;
}

bool profile_entry_applies(const struct scw_profile *p, const struct profile_entry *e,
                           const struct profile_host *h, bool *ret_assumed)
{
    bool assumed = false, applies = false;
    if (p->kind == SCW_PROFILE_OCI || !e->has_cond) {
        applies = true;
        goto out;
    }
    /* the order of moby's setupSeccomp: excludes (arches, caps, kernel), then includes */
    if (e->exc.n_arches && str_in(e->exc.arches, e->exc.n_arches, h->docker_arch))
        goto out;
    if (e->exc.n_caps) {
        assumed |= h->caps_assumed;
        for (size_t i = 0; i < e->exc.n_caps; i++)
            if (str_in(h->caps, h->n_caps, e->exc.caps[i]))
                goto out;
    }
    if (e->exc.min_kernel) {
        assumed |= h->kernel_assumed;
        if (kernel_at_least(h, &e->exc))
            goto out;
    }
    if (e->inc.n_arches && !str_in(e->inc.arches, e->inc.n_arches, h->docker_arch))
        goto out;
    if (e->inc.n_caps) {
        assumed |= h->caps_assumed;
        for (size_t i = 0; i < e->inc.n_caps; i++)
            if (!str_in(h->caps, h->n_caps, e->inc.caps[i]))
                goto out;
    }
    if (e->inc.min_kernel) {
        assumed |= h->kernel_assumed;
        if (!kernel_at_least(h, &e->inc))
            goto out;
    }
    applies = true;
out:
    if (ret_assumed)
        *ret_assumed = assumed;
    return applies;
}

/* ---- free, accessors ---- */

static void free_model(struct scw_profile *p)
{
    for (size_t i = 0; i < p->n_entries; i++) {
        struct profile_entry *e = &p->entries[i];
        free(e->names);
        free(e->args);
        free(e->inc.caps);
        free(e->inc.arches);
        free(e->exc.caps);
        free(e->exc.arches);
    }
    free(p->entries);
    free(p->arch_names);
    free(p->arches);
    free(p->map);
    free(p->flags);
}

void scw_profile_free(struct scw_profile *p)
{
    if (!p)
        return;
    free_model(p);
    scw_profile_diags_free(&p->diags);
    scw_jsonpos_free(p->pos);
    json_decref(p->doc);
    free(p->text);
    free(p->source);
    free(p);
}

const char *profile_shown_source(const char *source)
{
    return !source ? "<profile>" : strcmp(source, "-") == 0 ? "<stdin>" : source;
}

const char *scw_profile_source(const struct scw_profile *p)
{
    return profile_shown_source(p ? p->source : NULL);
}

enum scw_profile_kind scw_profile_kind(const struct scw_profile *p)
{
    return p ? p->kind : SCW_PROFILE_KIND_INVALID;
}

const struct scw_profile_diags *scw_profile_diags(const struct scw_profile *p)
{
    return &p->diags;
}

bool scw_profile_ok(const struct scw_profile *p)
{
    return p && p->diags.errors == 0;
}

enum scw_action scw_profile_default_action(const struct scw_profile *p, int *ret_errno)
{
    if (ret_errno)
        *ret_errno = p->default_errno < 0 ? -1 : (int)(p->default_errno & PROFILE_RET_DATA);
    return p->default_action;
}

bool scw_profile_log_only(const struct scw_profile *p)
{
    return p && p->default_action == SCW_ACTION_LOG;
}

size_t scw_profile_n_entries(const struct scw_profile *p)
{
    return p ? p->n_entries : 0;
}

/* ---- queries ---- */

int profile_cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int scw_profile_names(const struct scw_profile *p, const char ***ret)
{
    size_t total = 0;
    for (size_t i = 0; i < p->n_entries; i++)
        total += p->entries[i].n_names;
    const char **v = malloc((total ? total : 1) * sizeof(*v));
    if (!v)
        return -ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < p->n_entries; i++)
        for (size_t j = 0; j < p->entries[i].n_names; j++)
            v[n++] = p->entries[i].names[j];
    if (n)
        qsort(v, n, sizeof(*v), profile_cmp_names);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || strcmp(v[k - 1], v[i]) != 0)
            v[k++] = v[i];
    *ret = v;
    return (int)k;
}

/* The errno the filter gets: runtimes pass the low 16 bits of errnoRet on (runc's int16, crun's
 * and libseccomp's SCMP_ACT_ERRNO mask). */
static int entry_errno(const struct profile_entry *e)
{
    return e->errno_ret < 0 ? -1 : (int)(e->errno_ret & PROFILE_RET_DATA);
}

uint32_t profile_entry_code(const struct profile_entry *e)
{
    return scw_profile_action_code(e->action, entry_errno(e));
}

uint32_t profile_default_code(const struct scw_profile *p)
{
    int def_errno;
    enum scw_action def = scw_profile_default_action(p, &def_errno);
    return scw_profile_action_code(def, def_errno);
}

bool profile_entry_lists(const struct profile_entry *e, const char *name)
{
    for (size_t i = 0; i < e->n_names; i++)
        if (strcmp(e->names[i], name) == 0)
            return true;
    return false;
}

/*
 * Whether libseccomp puts rules for name into arch's filter: a real number, or one of the
 * small negative pseudo numbers of calls multiplexed through socketcall()/ipc() (x86, s390,
 * ppc, mips...: __PNR_socket is -101), which libseccomp expands. Numbers at or below -10000
 * are its placeholders for syscalls the architecture does not have.
 */
#define PNR_ABSENT_MAX (-10000)
static bool syscall_on_arch(uint32_t arch, const char *name)
{
    int nr = seccomp_syscall_resolve_name_arch(arch, name);
    return nr != __NR_SCMP_ERROR && nr > PNR_ABSENT_MAX;
}

/* The host architecture a call on arch comes from, when the caller does not know it. */
static uint32_t derive_native(const struct scw_profile *p, uint32_t arch)
{
    for (size_t i = 0; i < p->n_map; i++)
        if (p->map[i].arch == arch)
            return arch;
    for (size_t i = 0; i < p->n_map; i++)
        if (p->map[i].arch && token_in(p->map[i].subs, p->map[i].n_subs, arch))
            return p->map[i].arch;
    int i = arch_index(arch);
    if (i >= 0 && arch_info[i].main && token_in(p->arches, p->n_arches, arch_info[i].main))
        return arch_info[i].main;
    return arch;
}

static int shown_errno(enum scw_action a, int errno_ret)
{
    if (!profile_action_takes_errno(a))
        return -1;
    return errno_ret < 0 ? 1 : errno_ret;
}

int scw_profile_query(const struct scw_profile *p, const struct scw_profile_host *host,
                      uint32_t arch, const char *syscall, struct scw_profile_answer *ret)
{
    if (!p || !syscall || !ret || !arch || !scw_profile_ok(p))
        return -EINVAL;
    uint32_t native = host && host->native ? host->native : derive_native(p, arch);
    struct profile_host h;
    profile_host_resolve(host, native, &h);
    int def_errno;
    enum scw_action def = scw_profile_default_action(p, &def_errno);
    bool def_runs = def != SCW_ACTION_LOG && scw_profile_action_runs(def);
    struct scw_profile_answer a = {
        .match = SCW_MATCH_DEFAULT,
        .action = def,
        .errno_ret = shown_errno(def, def_errno),
        .entry = -1,
        .otherwise = SCW_ACTION_INVALID,
        .otherwise_errno = -1,
    };
    uint32_t arches[SCW_PROFILE_MAX_ARCHES];
    size_t n = profile_effective_arches(p, native, arches, SCW_PROFILE_MAX_ARCHES);
    if (!token_in(arches, n, arch)) {
        a.match = SCW_MATCH_BAD_ARCH;
        a.action = SCW_ACTION_KILL_THREAD;
        a.errno_ret = -1;
        a.verdict = SCW_VERDICT_REFUSED;
        *ret = a;
        return 0;
    }
    if (!syscall_on_arch(arch, syscall)) {
        a.match = SCW_MATCH_NO_SYSCALL;
        a.verdict = def_runs ? SCW_VERDICT_ALLOWED : SCW_VERDICT_REFUSED;
        *ret = a;
        return 0;
    }
    uint32_t dcode = scw_profile_action_code(def, def_errno);
    long cond = -1, decided = -1;
    for (size_t i = 0; i < p->n_entries && decided < 0; i++) {
        const struct profile_entry *e = &p->entries[i];
        if (!profile_entry_lists(e, syscall))
            continue;
        bool assumed;
        bool applies = profile_entry_applies(p, e, &h, &assumed);
        a.assumed |= assumed;
        if (!applies ||
            profile_entry_code(e) == dcode) /* runtimes skip rules equal to the default */
            continue;
        if (e->n_args == 0)
            decided = (long)i;
        else if (cond < 0)
            cond = (long)i;
    }
    if (decided >= 0) {
        const struct profile_entry *e = &p->entries[decided];
        a.match = SCW_MATCH_ENTRY;
        a.entry = decided;
        a.action = e->action;
        a.errno_ret = shown_errno(e->action, entry_errno(e));
        a.verdict = scw_profile_action_runs(e->action) ? SCW_VERDICT_ALLOWED : SCW_VERDICT_REFUSED;
    } else if (cond >= 0) {
        const struct profile_entry *e = &p->entries[cond];
        a.match = SCW_MATCH_CONDITIONAL;
        a.entry = cond;
        a.action = e->action;
        a.errno_ret = shown_errno(e->action, entry_errno(e));
        a.otherwise = def;
        a.otherwise_errno = shown_errno(def, def_errno);
        bool runs = scw_profile_action_runs(e->action);
        a.verdict = runs == def_runs ? (runs ? SCW_VERDICT_ALLOWED : SCW_VERDICT_REFUSED)
                                     : SCW_VERDICT_CONDITIONAL;
    } else {
        a.verdict = def_runs ? SCW_VERDICT_ALLOWED : SCW_VERDICT_REFUSED;
    }
    *ret = a;
    return 0;
}
