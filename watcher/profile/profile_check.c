/*
 * profile_check: the load-time checks, on a model profile_read.c has built, judged by what the
 * runtimes do with a profile (Docker/moby's profile code, Podman's containers/common, runc,
 * crun; measured with Docker 20.10.24, runc 1.1.5, crun 1.8.1 and libseccomp 2.5.4 where a
 * message says "measured", read from their sources otherwise).
 *
 * Errors are what every one of them refuses, so no container starts: no or an unknown action,
 * an errno libseccomp refuses (4095 to 65535 in the low 16 bits of an SCMP_ACT_ERRNO errnoRet),
 * an architecture the local libseccomp cannot add in a list the runtime gets, unknown flags or
 * comparisons, argument index past 5, both name and names, both architectures and archMap, a
 * minKernel moby cannot read. Warnings are what some of them refuse and others accept (runc
 * refuses flags before 1.2, an empty syscall name, SCMP_ACT_NOTIFY as the default or without
 * listenerPath; crun refuses errnoRet with an action that takes none), what they ignore or read
 * differently (unknown fields, Docker/Podman fields in a config.json, unknown syscall names,
 * archMap entries for architectures the local libseccomp does not know, duplicate keys,
 * includes/excludes that never match, errnoRet past 16 bits, Podman's "errno" names that
 * disagree with errnoRet, values over 32 bits on 32-bit architectures). All go to the
 * profile's own diags.
 *
 * It does not check JSON types or bounds (profile_read.c refuses those) nor what libseccomp
 * makes of the rules (profile_filter.c builds them). Called by profile_read.c only.
 */
#include "profile.h"
#include "spelling.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "profile_impl.h"

#define ACTION_LIST                                                                                \
    "SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_LOG, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, "  \
    "SCMP_ACT_KILL, SCMP_ACT_TRAP, SCMP_ACT_TRACE or SCMP_ACT_NOTIFY"

/* Fields of profile files that OCI runtimes do not read in linux.seccomp: whose they are. */
static const char *field_owner(const char *key)
{
    return strcmp(key, "defaultErrno") == 0 || strcmp(key, "errno") == 0 ? "Podman" : "Docker";
}

static void check_keys(struct scw_profile *p, const json_t *obj, const char *const *known,
                       size_t n_known, const char *const *docker_only, size_t n_docker,
                       const struct scw_jsonpath *at, size_t n_at, const char *what)
{
    struct scw_jsonpath path[PROFILE_MAX_PATH];
    if (n_at >= PROFILE_MAX_PATH)
        return;
    if (n_at)
        memcpy(path, at, n_at * sizeof(*at));
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)obj, key, value)
    {
        bool ok = false, docker = false;
        const char *alike = NULL;
        for (size_t i = 0; i < n_docker && p->kind == SCW_PROFILE_OCI; i++)
            docker |= strcmp(key, docker_only[i]) == 0;
        for (size_t i = 0; i < n_known && !docker; i++) {
            if (strcmp(key, known[i]) == 0)
                ok = true;
            else if (strcasecmp(key, known[i]) == 0)
                alike = known[i];
        }
        if (ok)
            continue;
        path[n_at] = (struct scw_jsonpath){.key = key};
        if (docker)
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, path, n_at + 1,
                         "'%s' is a %s profile field; OCI runtimes ignore it here", key,
                         field_owner(key));
        else if (alike)
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, path, n_at + 1,
                         "unknown field '%s' in %s; did you mean '%s'? (Go's JSON decoder, in "
                         "Docker, Podman and runc, matches field names ignoring case, crun does "
                         "not; scmpwatch ignores it)",
                         key, what, alike);
        else if ((alike = scw_spelling_closest(key, known, n_known)))
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, path, n_at + 1,
                         "unknown field '%s' in %s; did you mean '%s'? (runtimes ignore it)", key,
                         what, alike);
        else
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, path, n_at + 1,
                         "unknown field '%s' in %s; runtimes ignore it", key, what);
    }
}

static const char *const top_keys[] = {"defaultAction", "defaultErrnoRet", "defaultErrno",
                                       "architectures", "archMap",         "syscalls",
                                       "flags",         "listenerPath",    "listenerMetadata"};
static const char *const top_docker_only[] = {"archMap", "defaultErrno"};
static const char *const entry_keys[] = {"names", "name",    "action",   "errnoRet", "errno",
                                         "args",  "comment", "includes", "excludes"};
static const char *const entry_docker_only[] = {"name", "comment", "includes", "excludes", "errno"};
static const char *const arg_keys[] = {"index", "value", "valueTwo", "op"};
static const char *const cond_keys[] = {"caps", "arches", "minKernel"};
static const char *const map_keys[] = {"architecture", "subArchitectures"};

/* ---- errno values ---- */

/* Whether runtimes would ask libseccomp for a rule of e: a name it knows (they skip others). */
static bool entry_reaches_libseccomp(const struct profile_entry *e)
{
    for (size_t j = 0; j < e->n_names; j++)
        if (e->names[j][0] && seccomp_syscall_resolve_name(e->names[j]) != __NR_SCMP_ERROR)
            return true;
    return false;
}

/*
 * defaultErrnoRet (e NULL) or an entry's errnoRet. Runtimes pass its low 16 bits on; libseccomp
 * refuses SCMP_ACT_ERRNO past PROFILE_ERRNO_MAX (runc and crun then do not start the container;
 * Docker accepts the file and its runc fails); crun refuses an errno with other actions.
 */
static void check_errno(struct scw_profile *p, enum scw_action action, int64_t value,
                        const struct profile_entry *e, const struct scw_jsonpath *at, size_t n,
                        const char *field)
{
    if (value < 0 || action == SCW_ACTION_INVALID)
        return;
    if (!profile_action_takes_errno(action)) {
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, at, n,
                     "'%s' goes only with SCMP_ACT_ERRNO or SCMP_ACT_TRACE: crun refuses it with "
                     "%s (\"errno value specified for action\"; the OCI runtime spec says "
                     "runtimes must), runc and Docker ignore it; remove it",
                     field, scw_profile_action_name(action));
        return;
    }
    unsigned low = (unsigned)(value & PROFILE_RET_DATA);
    char kept[64] = "";
    if (value > (int64_t)PROFILE_RET_DATA)
        snprintf(kept, sizeof(kept), " (runtimes keep its low 16 bits: %u)", low);
    if (action == SCW_ACTION_ERRNO && low > PROFILE_ERRNO_MAX) {
        if (e && !entry_reaches_libseccomp(e)) {
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, at, n,
                         "'%s' %lld%s: libseccomp takes errno 0 to %d only; runtimes start the "
                         "container because they skip this entry's unknown names, and refuse "
                         "it once libseccomp knows one",
                         field, (long long)value, kept, PROFILE_ERRNO_MAX);
            return;
        }
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, at, n,
                     "'%s' %lld%s: libseccomp takes errno 0 to %d only, so runc and crun refuse "
                     "the profile and the container does not start (Docker accepts the file, "
                     "then its runc fails: %s; measured); use an errno below %d",
                     field, (long long)value, kept, PROFILE_ERRNO_MAX,
                     e ? "\"error adding seccomp filter rule for syscall ...\""
                       : "\"error creating filter\"",
                     PROFILE_ERRNO_MAX + 1);
        return;
    }
    if (value <= (int64_t)PROFILE_RET_DATA)
        return;
    if (action == SCW_ACTION_TRACE)
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, at, n,
                     "'%s' %lld: runtimes keep its low 16 bits: the tracer gets %u", field,
                     (long long)value, low);
    else if (low == 0)
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, at, n,
                     "'%s' %lld: runtimes keep its low 16 bits, 0: the call returns 0 without "
                     "running, as if it had succeeded (measured)",
                     field, (long long)value);
    else
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, at, n,
                     "'%s' %lld: runtimes keep its low 16 bits: the process sees errno %u (%s), "
                     "not %lld (measured)",
                     field, (long long)value, low, profile_errno_name(low), (long long)value);
}

/*
 * Podman's "defaultErrno"/"errno" (Docker profiles): containers/common uses a non-empty one
 * instead of the number next to it, refuses names it does not know; Docker ignores the field.
 */
static void check_podman_errno(struct scw_profile *p, const json_t *obj, const char *key,
                               enum scw_action action, int64_t number, const char *number_key,
                               const struct scw_jsonpath *at, size_t n)
{
    const json_t *v = profile_member(obj, key);
    if (!v || p->kind != SCW_PROFILE_DOCKER)
        return;
    if (!json_is_string(v)) {
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, at, n,
                     "'%s' must be a string such as \"EPERM\" for Podman, which refuses the "
                     "profile otherwise; Docker ignores the field",
                     key);
        return;
    }
    const char *s = json_string_value(v);
    unsigned value;
    if (!s[0] || action == SCW_ACTION_INVALID)
        return;
    if (!profile_errno_parse(s, &value)) {
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, at, n,
                     "'%s' \"%s\" is neither an errno name Podman knows (EPERM, ENOSYS...) nor a "
                     "number: Podman refuses the profile (\"unknown errno\"); Docker ignores the "
                     "field",
                     key, s);
    } else if (!profile_action_takes_errno(action)) {
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, at, n,
                     "Podman turns '%s' into %s, which crun refuses with %s (runc ignores it); "
                     "remove it",
                     key, number_key, scw_profile_action_name(action));
    } else if ((int64_t)value != (number < 0 ? 1 : number)) {
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, at, n,
                     "'%s' \"%s\" (%u) and %s %lld%s disagree: Podman uses '%s', Docker and "
                     "OCI runtimes use %s; scmpwatch follows Docker",
                     key, s, value, number_key, (long long)(number < 0 ? 1 : number),
                     number < 0 ? " (absent: EPERM)" : "", key, number_key);
    }
}

/* ---- entries ---- */

static void check_cond(struct scw_profile *p, const struct profile_cond *c, size_t e,
                       const char *key)
{
    const json_t *obj = profile_member(json_array_get(profile_member(p->sc, "syscalls"), e), key);
    if (!obj)
        return;
    check_keys(p, obj, cond_keys, N(cond_keys), NULL, 0, AT(K("syscalls"), I(e), K(key)),
               "a syscall entry's includes/excludes");
    if (c->min_kernel && !c->kernel_valid)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("syscalls"), I(e), K(key), K("minKernel")),
                     "minKernel '%s' is not a kernel version like \"4.8\" (two numbers 0 to 255, "
                     "not 0.0): Docker refuses the profile",
                     c->min_kernel);
    else if (c->min_kernel && !c->min_kernel[0])
        profile_diag(p, &p->diags, SCW_DIAG_WARNING,
                     AT(K("syscalls"), I(e), K(key), K("minKernel")),
                     "an empty minKernel reads as 0.0 for Docker, which every kernel meets%s",
                     strcmp(key, "excludes") == 0 ? ": this entry never applies" : "");
    for (size_t i = 0; i < c->n_arches; i++)
        if (!profile_docker_arch_known(c->arches[i]))
            profile_diag(p, &p->diags, SCW_DIAG_WARNING,
                         AT(K("syscalls"), I(e), K(key), K("arches"), I(i)),
                         "'%s' is not a host architecture name Docker compares with (amd64, "
                         "arm64, x86, arm, ppc64le, s390x, riscv64...); it never matches",
                         c->arches[i]);
    for (size_t i = 0; i < c->n_caps; i++)
        if (strncmp(c->caps[i], "CAP_", 4) != 0)
            profile_diag(p, &p->diags, SCW_DIAG_WARNING,
                         AT(K("syscalls"), I(e), K(key), K("caps"), I(i)),
                         "capabilities are compared by their exact name, like "
                         "\"CAP_SYS_ADMIN\"; '%s' never matches",
                         c->caps[i]);
}

static void check_names(struct scw_profile *p, size_t i)
{
    const struct profile_entry *e = &p->entries[i];
    for (size_t j = 0; j < e->n_names; j++) {
        const char *name = e->names[j];
        struct scw_jsonpath at[] = {K("syscalls"), I(i), K("names"), I(j)};
        size_t n_at = 4;
        if (e->from_name) {
            at[2] = (struct scw_jsonpath)K("name");
            n_at = 3;
        }
        if (!name[0])
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, at, n_at,
                         "empty syscall name: runc refuses the profile (\"empty string is not a "
                         "valid syscall\"; measured), crun skips it; remove it");
        else if (seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR)
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, at, n_at,
                         "unknown syscall '%s': libseccomp %s does not know it, so runtimes "
                         "skip it (a newer kernel's syscall, or a typo)",
                         name, profile_libseccomp_version());
        else if (strcmp(name, "write") == 0 && e->action == SCW_ACTION_USER_NOTIF)
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, at, n_at,
                         "runc refuses SCMP_ACT_NOTIFY for 'write' (\"SCMP_ACT_NOTIFY cannot be "
                         "used for the write syscall\"; measured), crun accepts it");
    }
}

static void check_args(struct scw_profile *p, size_t i, const json_t *args, const uint32_t *listed,
                       size_t n_listed)
{
    const struct profile_entry *e = &p->entries[i];
    for (size_t j = 0; j < e->n_args; j++) {
        const struct profile_arg *a = &e->args[j];
        check_keys(p, json_array_get(args, j), arg_keys, N(arg_keys), NULL, 0,
                   AT(K("syscalls"), I(i), K("args"), I(j)), "an argument filter");
        if (a->index > 5)
            profile_diag(p, &p->diags, SCW_DIAG_ERROR,
                         AT(K("syscalls"), I(i), K("args"), I(j), K("index")),
                         "argument index %llu: syscall arguments are numbered 0 to 5",
                         (unsigned long long)a->index);
        if (!a->op_name)
            profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("syscalls"), I(i), K("args"), I(j)),
                         "no 'op' (expected SCMP_CMP_EQ, SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, "
                         "SCMP_CMP_GT, SCMP_CMP_GE or SCMP_CMP_MASKED_EQ)");
        else if (a->op == _SCMP_CMP_MIN)
            profile_diag(p, &p->diags, SCW_DIAG_ERROR,
                         AT(K("syscalls"), I(i), K("args"), I(j), K("op")),
                         "unknown comparison '%s' (expected SCMP_CMP_EQ, SCMP_CMP_NE, "
                         "SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_GT, SCMP_CMP_GE or "
                         "SCMP_CMP_MASKED_EQ)",
                         a->op_name);
        else if (a->value_two && a->op != SCMP_CMP_MASKED_EQ)
            profile_diag(p, &p->diags, SCW_DIAG_WARNING,
                         AT(K("syscalls"), I(i), K("args"), I(j), K("valueTwo")),
                         "'valueTwo' is only used with SCMP_CMP_MASKED_EQ; runtimes ignore it "
                         "with %s",
                         a->op_name);
        uint64_t big = a->value > UINT32_MAX                                      ? a->value
                       : a->op == SCMP_CMP_MASKED_EQ && a->value_two > UINT32_MAX ? a->value_two
                                                                                  : 0;
        for (size_t k = 0; big && k < n_listed; k++)
            if (profile_arch_is_32bit(listed[k])) {
                profile_diag(p, &p->diags, SCW_DIAG_WARNING,
                             AT(K("syscalls"), I(i), K("args"), I(j)),
                             "%llu does not fit in 32 bits: on 32-bit architectures (here %s) "
                             "libseccomp compares only its low 32 bits",
                             (unsigned long long)big, profile_arch_name(listed[k]));
                break;
            }
    }
}

static void check_entry(struct scw_profile *p, size_t i, const uint32_t *listed, size_t n_listed)
{
    const struct profile_entry *e = &p->entries[i];
    const json_t *obj = json_array_get(profile_member(p->sc, "syscalls"), i);
    check_keys(p, obj, entry_keys, N(entry_keys), entry_docker_only, N(entry_docker_only),
               AT(K("syscalls"), I(i)), "a syscall entry");
    if (e->name_and_names)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("syscalls"), I(i), K("name")),
                     "both 'name' and 'names' are given (Docker and Podman refuse the profile); "
                     "keep 'names'");
    else if (e->from_name)
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, AT(K("syscalls"), I(i), K("name")),
                     "'name' is deprecated; write \"names\": [\"%s\"]", e->names[0]);
    if (e->n_names == 0 && !e->name_and_names)
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, AT(K("syscalls"), I(i)),
                     "this entry names no syscall; it has no effect");
    check_names(p, i);
    if (!e->action_name)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("syscalls"), I(i)),
                     "no 'action' (expected " ACTION_LIST ")");
    else if (e->action == SCW_ACTION_INVALID)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("syscalls"), I(i), K("action")),
                     "unknown action '%s' (expected " ACTION_LIST ")", e->action_name);
    else if (e->action == SCW_ACTION_USER_NOTIF && !p->listener_path)
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, AT(K("syscalls"), I(i), K("action")),
                     "SCMP_ACT_NOTIFY without 'listenerPath' (the socket of the agent that "
                     "decides): runc refuses the profile (\"listenerPath is not set\"), under "
                     "crun the call fails with ENOSYS (measured)");
    check_errno(p, e->action, e->errno_ret, e, AT(K("syscalls"), I(i), K("errnoRet")), "errnoRet");
    check_podman_errno(p, obj, "errno", e->action, e->errno_ret, "errnoRet",
                       AT(K("syscalls"), I(i), K("errno")));
    check_args(p, i, profile_member(obj, "args"), listed, n_listed);
    if (p->kind == SCW_PROFILE_DOCKER) {
        check_cond(p, &e->inc, i, "includes");
        check_cond(p, &e->exc, i, "excludes");
    }
}

/* ---- architectures ---- */

/* Architectures some runc releases refuse in the list they get (libcontainer/seccomp/config.go's
 * table; crun resolves any name the local libseccomp knows). NULL: no runc release knows it. */
static const struct {
    const char *name, *runc_since;
} runc_arches[] = {
    {"SCMP_ARCH_RISCV64", "1.1.8"},
    {"SCMP_ARCH_PARISC", NULL},
    {"SCMP_ARCH_PARISC64", NULL},
    {"SCMP_ARCH_LOONGARCH64", "1.5.0"},
};

/* An architecture name in a list a runtime gets (architectures, or a used archMap entry). */
static void check_listed_arch(struct scw_profile *p, const char *name, uint32_t token,
                              const struct scw_jsonpath *at, size_t n, const char *where)
{
    if (!token && profile_arch_libseccomp_knows(name)) {
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, at, n,
                     "scmpwatch does not know architecture '%s' (libseccomp %s does): runtimes "
                     "add it%s, scmpwatch leaves it out of the filters it builds",
                     name, profile_libseccomp_version(), where);
    } else if (!token) {
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, at, n,
                     "unknown architecture '%s': libseccomp %s cannot add it, so runtimes refuse "
                     "the profile%s (runc: \"not a valid arch for seccomp\", crun: \"seccomp "
                     "unknown architecture\"; measured); use a name like SCMP_ARCH_X86_64, "
                     "SCMP_ARCH_AARCH64 or SCMP_ARCH_X86",
                     name, profile_libseccomp_version(), where);
    } else if (!where[0]) {
        for (size_t i = 0; i < N(runc_arches); i++)
            if (strcmp(runc_arches[i].name, name) == 0) {
                const char *since = runc_arches[i].runc_since;
                char who[64] = "runc", ok[64] = "crun accepts";
                if (since) {
                    snprintf(who, sizeof(who), "runc before %s", since);
                    snprintf(ok, sizeof(ok), "crun and runc %s+ accept", since);
                }
                profile_diag(p, &p->diags, SCW_DIAG_WARNING, at, n,
                             "%s does not know '%s' and refuses the profile (\"not a valid arch "
                             "for seccomp\"%s); %s it",
                             who, name,
                             strcmp(name, "SCMP_ARCH_LOONGARCH64") != 0 ? "; measured" : "", ok);
                break;
            }
    }
}

/* "architecture 'X' is unknown to libseccomp 2.5.4 (...)", or that scmpwatch's table lacks it. */
static const char *unknown_arch_text(const char *name, char *buf, size_t size)
{
    if (profile_arch_libseccomp_knows(name))
        snprintf(buf, size, "scmpwatch does not know architecture '%s' (libseccomp %s does)", name,
                 profile_libseccomp_version());
    else
        snprintf(buf, size,
                 "architecture '%s' is unknown to libseccomp %s (a newer libseccomp's "
                 "architecture, or a typo)",
                 name, profile_libseccomp_version());
    return buf;
}

static void check_archmap(struct scw_profile *p)
{
    const json_t *map = profile_member(p->sc, "archMap");
    char what[200];
    for (size_t i = 0; i < p->n_map; i++) {
        const struct profile_archmap *m = &p->map[i];
        check_keys(p, json_array_get(map, i), map_keys, N(map_keys), NULL, 0,
                   AT(K("archMap"), I(i)), "an archMap entry");
        if (!m->arch_name)
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, AT(K("archMap"), I(i)),
                         "this archMap entry has no 'architecture': it matches no host, so "
                         "Docker and Podman never use it");
        else if (!m->arch)
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, AT(K("archMap"), I(i), K("architecture")),
                         "%s: Docker uses only the archMap entry of the host's architecture, so "
                         "this one matters only on such hosts; scmpwatch keeps it as written and "
                         "builds no filter for it",
                         unknown_arch_text(m->arch_name, what, sizeof(what)));
        for (size_t j = 0; j < i && m->arch; j++)
            if (p->map[j].arch == m->arch) {
                profile_diag(
                    p, &p->diags, SCW_DIAG_WARNING, AT(K("archMap"), I(i), K("architecture")),
                    "'%s' already has archMap[%zu]; Docker uses the first one", m->arch_name, j);
                break;
            }
        char where[80];
        snprintf(where, sizeof(where), " on %s hosts",
                 m->arch ? profile_arch_name(m->arch) : "such");
        for (size_t s = 0; s < m->n_subs && m->arch; s++)
            check_listed_arch(p, m->sub_names[s], m->subs[s],
                              AT(K("archMap"), I(i), K("subArchitectures"), I(s)), where);
    }
}

/* ---- the document ---- */

static void check_default(struct scw_profile *p)
{
    if (!p->default_name || !p->default_name[0])
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT_DOC,
                     "no 'defaultAction' (what the filter does with every syscall no entry "
                     "names; e.g. SCMP_ACT_ERRNO, or SCMP_ACT_LOG for staging): %s",
                     p->n_entries ? "runc and crun refuse the profile"
                                  : "with no syscalls either, Docker, Podman and runc run the "
                                    "container without any seccomp filter, crun refuses it");
    else if (p->default_action == SCW_ACTION_INVALID)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("defaultAction")),
                     "unknown action '%s' (expected " ACTION_LIST ")", p->default_name);
    else if (p->default_action == SCW_ACTION_USER_NOTIF)
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, AT(K("defaultAction")),
                     "runc refuses SCMP_ACT_NOTIFY as the default action (\"SCMP_ACT_NOTIFY "
                     "cannot be used as default action\"; measured); crun sends every call no "
                     "entry names to the agent%s",
                     p->listener_path ? "" : ", and without 'listenerPath' they fail with ENOSYS");
    check_errno(p, p->default_action, p->default_errno, NULL, AT(K("defaultErrnoRet")),
                "defaultErrnoRet");
    check_podman_errno(p, p->sc, "defaultErrno", p->default_action, p->default_errno,
                       "defaultErrnoRet", AT(K("defaultErrno")));
}

static void check_flags(struct scw_profile *p)
{
    if (p->n_flags)
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, AT(K("flags")),
                     "runc before 1.2 refuses a profile with flags (\"seccomp flags are not yet "
                     "supported by runc\": the container does not start) and dockerd 20.10 "
                     "drops them (measured); crun and runc 1.2+ apply them ('scmpwatch check' "
                     "says what this host runs)");
    for (size_t i = 0; i < p->n_flags; i++) {
        const char *f = p->flags[i];
        if (strcmp(f, "SECCOMP_FILTER_FLAG_TSYNC") == 0 ||
            strcmp(f, "SECCOMP_FILTER_FLAG_LOG") == 0 ||
            strcmp(f, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
            continue;
        if (strcmp(f, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 0)
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, AT(K("flags"), I(i)),
                         "runc before 1.5 does not know '%s' and refuses the profile (crun and "
                         "runc 1.5+ accept it)",
                         f);
        else
            profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("flags"), I(i)),
                         "unknown flag '%s': runc and crun refuse it (\"seccomp flag ... is not "
                         "known to runc\", crun: \"unknown seccomp option\"; known: "
                         "SECCOMP_FILTER_FLAG_TSYNC, SECCOMP_FILTER_FLAG_LOG, "
                         "SECCOMP_FILTER_FLAG_SPEC_ALLOW)",
                         f);
    }
}

void profile_check(struct scw_profile *p)
{
    check_keys(p, p->sc, top_keys, N(top_keys), top_docker_only, N(top_docker_only), AT_DOC,
               p->kind == SCW_PROFILE_OCI ? "linux.seccomp" : "the profile");
    check_default(p);
    if (p->n_arches && p->n_map)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("archMap")),
                     "both 'architectures' and 'archMap' are given (Docker refuses the "
                     "profile); keep one"); /* so does Podman; tests/e2e_advise.sh quotes it */
    for (size_t i = 0; i < p->n_arches; i++)
        check_listed_arch(p, p->arch_names[i], p->arches[i], AT(K("architectures"), I(i)), "");
    check_archmap(p);
    check_flags(p);
    if (p->has_listener_metadata && !p->listener_path)
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, AT(K("listenerMetadata")),
                     "'listenerMetadata' without 'listenerPath' is unused: runtimes pass it to "
                     "the agent at listenerPath, and there is none");

    uint32_t listed[SCW_PROFILE_MAX_LIST * 2];
    int n_listed = scw_profile_listed_arches(p, listed, N(listed));
    for (size_t i = 0; i < p->n_entries; i++)
        check_entry(p, i, listed, n_listed > 0 ? (size_t)n_listed : 0);
}
