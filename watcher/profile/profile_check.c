/*
 * profile_check: the load-time checks, on a model profile_read.c has built. Errors are what
 * a runtime refuses (no or unknown defaultAction, errnoRet with the wrong action, unknown
 * architectures, flags or comparisons, argument index past 5, both name and names,
 * SCMP_ACT_NOTIFY without listenerPath...); warnings are what runtimes silently ignore or get
 * wrong (unknown or misspelt fields, Docker-only fields in a config.json, syscalls the local
 * libseccomp does not know, includes/excludes that never match, values over 32 bits on
 * 32-bit architectures). All go to the profile's own diags.
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

static const char *libseccomp_version(void)
{
    static char buf[32];
    const struct scmp_version *v = seccomp_version();
    snprintf(buf, sizeof(buf), "%u.%u.%u", v->major, v->minor, v->micro);
    return buf;
}

#define ACTION_LIST                                                                                \
    "SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_LOG, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, "  \
    "SCMP_ACT_KILL, SCMP_ACT_TRAP, SCMP_ACT_TRACE or SCMP_ACT_NOTIFY"

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
                         "'%s' is a Docker profile field; OCI runtimes ignore it here", key);
        else if (alike)
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, path, n_at + 1,
                         "unknown field '%s' in %s; did you mean '%s'? (Docker matches field "
                         "names ignoring case, other runtimes do not; scmpwatch ignores it)",
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

static const char *const top_keys[] = {"defaultAction", "defaultErrnoRet", "architectures",
                                       "archMap",       "syscalls",        "flags",
                                       "listenerPath",  "listenerMetadata"};
static const char *const top_docker_only[] = {"archMap"};
static const char *const entry_keys[] = {"names", "name",    "action",   "errnoRet",
                                         "args",  "comment", "includes", "excludes"};
static const char *const entry_docker_only[] = {"name", "comment", "includes", "excludes"};
static const char *const arg_keys[] = {"index", "value", "valueTwo", "op"};
static const char *const cond_keys[] = {"caps", "arches", "minKernel"};
static const char *const map_keys[] = {"architecture", "subArchitectures"};

static void check_errno(struct scw_profile *p, enum scw_action action, int64_t value,
                        const struct scw_jsonpath *at, size_t n, const char *field)
{
    if (value < 0)
        return;
    if (action != SCW_ACTION_INVALID && !profile_action_takes_errno(action))
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, at, n,
                     "'%s' goes only with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not %s (the OCI "
                     "runtime spec requires runtimes to refuse it); remove it",
                     field, scw_profile_action_name(action));
    else if (value > PROFILE_MAX_ERRNO)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, at, n,
                     "'%s' %lld is not an errno value (0 to %d)", field, (long long)value,
                     PROFILE_MAX_ERRNO);
}

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
                     "minKernel '%s' is not a kernel version like \"4.8\" (Docker refuses the "
                     "profile)",
                     c->min_kernel);
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

static void check_entry(struct scw_profile *p, size_t i, const uint32_t *listed, size_t n_listed)
{
    const struct profile_entry *e = &p->entries[i];
    const json_t *obj = json_array_get(profile_member(p->sc, "syscalls"), i);
    check_keys(p, obj, entry_keys, N(entry_keys), entry_docker_only, N(entry_docker_only),
               AT(K("syscalls"), I(i)), "a syscall entry");
    if (e->name_and_names)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("syscalls"), I(i), K("name")),
                     "both 'name' and 'names' are given (Docker refuses the profile); keep "
                     "'names'");
    else if (e->from_name)
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, AT(K("syscalls"), I(i), K("name")),
                     "'name' is deprecated; write \"names\": [\"%s\"]", e->names[0]);
    if (e->n_names == 0 && !e->name_and_names)
        profile_diag(p, &p->diags, SCW_DIAG_WARNING, AT(K("syscalls"), I(i)),
                     "this entry names no syscall; it has no effect");
    for (size_t j = 0; j < e->n_names; j++) {
        const char *name = e->names[j];
        struct scw_jsonpath at[] = {K("syscalls"), I(i), K("names"), I(j)};
        size_t n_at = 4;
        if (e->from_name) {
            at[2] = (struct scw_jsonpath)K("name");
            n_at = 3;
        }
        if (!name[0])
            profile_diag(p, &p->diags, SCW_DIAG_ERROR, at, n_at,
                         "empty syscall name (runc refuses it)");
        else if (seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR)
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, at, n_at,
                         "unknown syscall '%s': libseccomp %s does not know it, so runtimes "
                         "skip it (a newer kernel's syscall, or a typo)",
                         name, libseccomp_version());
    }
    if (!e->action_name)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("syscalls"), I(i)),
                     "no 'action' (expected " ACTION_LIST ")");
    else if (e->action == SCW_ACTION_INVALID)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("syscalls"), I(i), K("action")),
                     "unknown action '%s' (expected " ACTION_LIST ")", e->action_name);
    else if (e->action == SCW_ACTION_USER_NOTIF && !p->listener_path)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("syscalls"), I(i), K("action")),
                     "SCMP_ACT_NOTIFY needs 'listenerPath' (the socket of the agent that "
                     "decides); runtimes refuse the profile without it");
    check_errno(p, e->action, e->errno_ret, AT(K("syscalls"), I(i), K("errnoRet")), "errnoRet");

    const json_t *args = profile_member(obj, "args");
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
    if (p->kind == SCW_PROFILE_DOCKER) {
        check_cond(p, &e->inc, i, "includes");
        check_cond(p, &e->exc, i, "excludes");
    }
}

void profile_check(struct scw_profile *p)
{
    check_keys(p, p->sc, top_keys, N(top_keys), top_docker_only, N(top_docker_only), AT_DOC,
               p->kind == SCW_PROFILE_OCI ? "linux.seccomp" : "the profile");
    if (!p->default_name || !p->default_name[0])
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT_DOC,
                     "no 'defaultAction' (what the filter does with every syscall no entry "
                     "names; e.g. SCMP_ACT_ERRNO, or SCMP_ACT_LOG for staging)");
    else if (p->default_action == SCW_ACTION_INVALID)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("defaultAction")),
                     "unknown action '%s' (expected " ACTION_LIST ")", p->default_name);
    else if (p->default_action == SCW_ACTION_USER_NOTIF)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("defaultAction")),
                     "runtimes refuse SCMP_ACT_NOTIFY as the default action");
    check_errno(p, p->default_action, p->default_errno, AT(K("defaultErrnoRet")),
                "defaultErrnoRet");

    if (p->n_arches && p->n_map)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("archMap")),
                     "both 'architectures' and 'archMap' are given (Docker refuses the "
                     "profile); keep one");
    for (size_t i = 0; i < p->n_arches; i++)
        if (!p->arches[i])
            profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("architectures"), I(i)),
                         "unknown architecture '%s' (expected a name like SCMP_ARCH_X86_64, "
                         "SCMP_ARCH_AARCH64 or SCMP_ARCH_X86 that libseccomp %s knows)",
                         p->arch_names[i], libseccomp_version());
    const json_t *map = profile_member(p->sc, "archMap");
    for (size_t i = 0; i < p->n_map; i++) {
        const struct profile_archmap *m = &p->map[i];
        check_keys(p, json_array_get(map, i), map_keys, N(map_keys), NULL, 0,
                   AT(K("archMap"), I(i)), "an archMap entry");
        if (!m->arch_name)
            profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("archMap"), I(i)),
                         "this archMap entry has no 'architecture'");
        else if (!m->arch)
            profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("archMap"), I(i), K("architecture")),
                         "unknown architecture '%s' (expected a name like SCMP_ARCH_X86_64)",
                         m->arch_name);
        for (size_t j = 0; j < i && m->arch; j++)
            if (p->map[j].arch == m->arch) {
                profile_diag(
                    p, &p->diags, SCW_DIAG_WARNING, AT(K("archMap"), I(i), K("architecture")),
                    "'%s' already has archMap[%zu]; Docker uses the first one", m->arch_name, j);
                break;
            }
        for (size_t s = 0; s < m->n_subs; s++)
            if (!m->subs[s])
                profile_diag(p, &p->diags, SCW_DIAG_ERROR,
                             AT(K("archMap"), I(i), K("subArchitectures"), I(s)),
                             "unknown architecture '%s' (expected a name like SCMP_ARCH_X86)",
                             m->sub_names[s]);
    }
    for (size_t i = 0; i < p->n_flags; i++) {
        const char *f = p->flags[i];
        if (strcmp(f, "SECCOMP_FILTER_FLAG_TSYNC") == 0 ||
            strcmp(f, "SECCOMP_FILTER_FLAG_LOG") == 0 ||
            strcmp(f, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
            continue;
        if (strcmp(f, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 0)
            profile_diag(p, &p->diags, SCW_DIAG_WARNING, AT(K("flags"), I(i)),
                         "runc does not know '%s' and refuses the profile (crun accepts it)", f);
        else
            profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("flags"), I(i)),
                         "unknown flag '%s' (runtimes refuse it; known: "
                         "SECCOMP_FILTER_FLAG_TSYNC, SECCOMP_FILTER_FLAG_LOG, "
                         "SECCOMP_FILTER_FLAG_SPEC_ALLOW)",
                         f);
    }
    if (p->has_listener_metadata && !p->listener_path)
        profile_diag(p, &p->diags, SCW_DIAG_ERROR, AT(K("listenerMetadata")),
                     "'listenerMetadata' needs 'listenerPath'");

    uint32_t listed[SCW_PROFILE_MAX_LIST * 2];
    int n_listed = scw_profile_listed_arches(p, listed, N(listed));
    for (size_t i = 0; i < p->n_entries; i++)
        check_entry(p, i, listed, n_listed > 0 ? (size_t)n_listed : 0);
}
