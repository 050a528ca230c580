/*
 * profile_filter: seccomp filters built from profiles with libseccomp, the way runc builds
 * them: seccomp_init(default action), the filter's architectures, SECCOMP_FILTER_FLAG_LOG and
 * SPEC_ALLOW as filter attributes, the binary-tree optimisation past 32 syscall rules, then
 * one rule per syscall name of every entry that applies to the host (names libseccomp does
 * not know skipped, actions equal to the default skipped, args sharing an index split into one
 * rule each). Validation exports each filter as BPF into a memfd to count its instructions;
 * nothing is ever loaded here. Called by cmd_profile.c (validate) and by tests that run
 * children under a profile (scw_profile_build, then seccomp_load in the child).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile.h"
#include "profile_impl.h"

#define BPF_MAX_INSNS 4096 /* the kernel's BPF_MAXINSNS for one seccomp program */
#define BPF_INSN_SIZE 8    /* sizeof(struct sock_filter) */

static bool token_in(const uint32_t *set, size_t n, uint32_t t)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == t)
            return true;
    return false;
}

static void arches_text(const uint32_t *arches, size_t n, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        int w =
            snprintf(buf + used, size - used, "%s%s", i ? "+" : "", profile_arch_name(arches[i]));
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static struct scmp_arg_cmp arg_cmp(const struct profile_arg *a)
{
    return (struct scmp_arg_cmp){
        .arg = (unsigned)a->index,
        .op = a->op,
        .datum_a = a->value,
        .datum_b = a->value_two,
    };
}

static const char *rule_error(int rc)
{
    if (rc == -EEXIST)
        return "an earlier rule for this syscall has the same argument filter and another action";
    if (rc == -EINVAL)
        return "invalid rule (argument filter or syscall)";
    return strerror(-rc);
}

/* The rules of entry e for syscall nr: one, or one per arg when an index repeats (runc). */
static int add_rules(scmp_filter_ctx ctx, const struct profile_entry *e, int nr, size_t *rules)
{
    uint32_t code = profile_entry_code(e);
    int rc = 0;
    if (e->n_args == 0) {
        rc = seccomp_rule_add_array(ctx, code, nr, 0, NULL);
        *rules += rc == 0;
    } else if (e->args_split) {
        for (size_t k = 0; k < e->n_args && rc == 0; k++) {
            struct scmp_arg_cmp c = arg_cmp(&e->args[k]);
            rc = seccomp_rule_add_array(ctx, code, nr, 1, &c);
            *rules += rc == 0;
        }
    } else {
        struct scmp_arg_cmp c[6];
        size_t n = e->n_args < 6 ? e->n_args : 6; /* distinct indexes 0..5: at most 6 */
        for (size_t k = 0; k < n; k++)
            c[k] = arg_cmp(&e->args[k]);
        rc = seccomp_rule_add_array(ctx, code, nr, (unsigned)n, c);
        *rules += rc == 0;
    }
    return rc;
}

/* Add the rules of entry i for all its names; counts in *rules / *skipped. Returns false on a
 * libseccomp refusal (reported). */
static bool add_entry(const struct scw_profile *p, scmp_filter_ctx ctx, size_t i,
                      struct scw_profile_diags *diags, size_t *rules, size_t *skipped)
{
    const struct profile_entry *e = &p->entries[i];
    bool ok = true;
    for (size_t j = 0; j < e->n_names; j++) {
        int nr = seccomp_syscall_resolve_name(e->names[j]);
        if (nr == __NR_SCMP_ERROR) {
            (*skipped)++;
            continue;
        }
        int rc = add_rules(ctx, e, nr, rules);
        if (rc < 0) {
            const struct scw_jsonpath at[] = {{.key = "syscalls"}, {.index = i}};
            profile_diag(p, diags, SCW_DIAG_ERROR, at, 2,
                         "libseccomp refused the rule for '%s' (%s): %s", e->names[j],
                         e->action_name, rule_error(rc));
            ok = false;
        }
    }
    return ok;
}

/* Build the filter for h over arches. at/n_at locate errors about the filter as a whole. */
static int build(const struct scw_profile *p, const struct profile_host *h, const uint32_t *arches,
                 size_t n_arches, const struct scw_jsonpath *at, size_t n_at,
                 struct scw_profile_diags *diags, scmp_filter_ctx *ret_ctx,
                 struct scw_profile_filter_info *info)
{
    uint32_t dcode = profile_default_code(p);
    scmp_filter_ctx ctx = seccomp_init(dcode);
    if (!ctx) {
        profile_diag(p, diags, SCW_DIAG_ERROR, at, n_at,
                     "libseccomp cannot start a filter with the default action %s",
                     p->default_name);
        return -EINVAL;
    }
    uint32_t machine = seccomp_arch_native();
    int rc = 0;
    if (!token_in(arches, n_arches, machine))
        rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
    for (size_t i = 0; i < n_arches && rc == 0; i++) {
        if (arches[i] == machine)
            continue;
        rc = seccomp_arch_add(ctx, arches[i]);
        if (rc == -EEXIST)
            rc = 0;
        if (rc < 0) {
            char text[160];
            arches_text(arches, n_arches, text, sizeof(text));
            profile_diag(p, diags, SCW_DIAG_ERROR, at, n_at,
                         "libseccomp cannot put %s in one filter (%s): %s",
                         profile_arch_name(arches[i]), text,
                         rc == -EDOM ? "their byte orders differ" : strerror(-rc));
        }
    }
    if (rc < 0) {
        seccomp_release(ctx);
        return -EINVAL;
    }
    if (p->flag_log)
        seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1);
    if (p->flag_spec_allow)
        seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1);

    size_t names = 0;
    for (size_t i = 0; i < p->n_entries; i++)
        if (profile_entry_applies(p, &p->entries[i], h, NULL))
            names += p->entries[i].n_names;
    if (names > 32) /* as runc: libseccomp's binary tree past 32 rules */
        seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);

    size_t rules = 0, skipped = 0;
    bool ok = true;
    for (size_t i = 0; i < p->n_entries; i++) {
        const struct profile_entry *e = &p->entries[i];
        if (!profile_entry_applies(p, e, h, NULL) || profile_entry_code(e) == dcode)
            continue; /* runc skips rules whose action is the default's */
        ok &= add_entry(p, ctx, i, diags, &rules, &skipped);
    }
    if (info) {
        memset(info, 0, sizeof(*info));
        info->n_arches = n_arches < SCW_PROFILE_MAX_ARCHES ? n_arches : SCW_PROFILE_MAX_ARCHES;
        memcpy(info->arches, arches, info->n_arches * sizeof(*arches));
        info->rules = rules;
        info->skipped = skipped;
    }
    if (!ok) {
        seccomp_release(ctx);
        return -EINVAL;
    }
    *ret_ctx = ctx;
    return 0;
}

int scw_profile_build(const struct scw_profile *p, const struct scw_profile_host *host,
                      struct scw_profile_diags *diags, scmp_filter_ctx *ret_ctx)
{
    if (!p || !ret_ctx)
        return -EINVAL;
    if (!scw_profile_ok(p)) {
        const struct scw_profile_diags *own = scw_profile_diags(p);
        for (size_t i = 0; i < own->n; i++)
            if (own->items[i].level == SCW_DIAG_ERROR)
                scw_profile_diags_add(diags, SCW_DIAG_ERROR, own->items[i].line,
                                      own->items[i].column, own->items[i].path, "%s",
                                      own->items[i].message);
        return -EINVAL;
    }
    uint32_t native = host && host->native ? host->native : seccomp_arch_native();
    struct profile_host h;
    profile_host_resolve(host, native, &h);
    uint32_t arches[SCW_PROFILE_MAX_ARCHES];
    size_t n = profile_effective_arches(p, native, arches, SCW_PROFILE_MAX_ARCHES);
    return build(p, &h, arches, n, NULL, 0, diags, ret_ctx, NULL);
}

/* BPF instructions of the program ctx exports; 0 when it cannot be measured. */
static size_t bpf_insns(scmp_filter_ctx ctx, int *ret_err)
{
    *ret_err = 0;
    int fd = memfd_create("scmpwatch-bpf", MFD_CLOEXEC);
    if (fd < 0) {
        *ret_err = -errno;
        return 0;
    }
    struct stat st;
    int rc = seccomp_export_bpf(ctx, fd);
    size_t n = 0;
    if (rc < 0)
        *ret_err = rc;
    else if (fstat(fd, &st) == 0)
        n = (size_t)st.st_size / BPF_INSN_SIZE;
    close(fd);
    return n;
}

/* Each entry's argument filters alone, in a scratch filter: catches bad arguments whatever
 * host the entry's includes/excludes select. One known name per entry is enough. */
static void check_entry_args(const struct scw_profile *p, struct scw_profile_diags *diags)
{
    uint32_t dcode = profile_default_code(p);
    for (size_t i = 0; i < p->n_entries; i++) {
        const struct profile_entry *e = &p->entries[i];
        if (!e->n_args || profile_entry_code(e) == dcode)
            continue;
        for (size_t j = 0; j < e->n_names; j++) {
            int nr = seccomp_syscall_resolve_name(e->names[j]);
            if (nr == __NR_SCMP_ERROR)
                continue;
            scmp_filter_ctx ctx = seccomp_init(dcode);
            if (!ctx)
                return;
            size_t rules = 0;
            int rc = add_rules(ctx, e, nr, &rules);
            seccomp_release(ctx);
            if (rc < 0) {
                const struct scw_jsonpath at[] = {
                    {.key = "syscalls"}, {.index = i}, {.key = "args"}};
                profile_diag(p, diags, SCW_DIAG_ERROR, at, 3,
                             "libseccomp refused the argument filter for '%s': %s", e->names[j],
                             rule_error(rc));
            }
            break;
        }
    }
}

static void validate_one(const struct scw_profile *p, const struct scw_profile_host *host,
                         uint32_t native, const struct scw_jsonpath *at, size_t n_at,
                         struct scw_profile_diags *diags, struct scw_profile_validation *v)
{
    struct profile_host h;
    profile_host_resolve(host, native, &h);
    uint32_t arches[SCW_PROFILE_MAX_ARCHES];
    size_t n = profile_effective_arches(p, native, arches, SCW_PROFILE_MAX_ARCHES);
    struct scw_profile_filter_info info;
    scmp_filter_ctx ctx;
    char text[160];
    arches_text(arches, n, text, sizeof(text));
    if (build(p, &h, arches, n, at, n_at, diags, &ctx, &info) < 0) {
        if (v->n_filters < SCW_PROFILE_MAX_LIST)
            v->filters[v->n_filters++] = info;
        return;
    }
    int err;
    info.bpf_insns = bpf_insns(ctx, &err);
    seccomp_release(ctx);
    if (err < 0)
        profile_diag(p, diags, SCW_DIAG_ERROR, at, n_at,
                     "libseccomp could not generate the BPF program for %s: %s", text,
                     strerror(-err));
    else if (info.bpf_insns > BPF_MAX_INSNS)
        profile_diag(p, diags, SCW_DIAG_ERROR, at, n_at,
                     "the filter for %s has %zu BPF instructions; the kernel loads at most %d "
                     "(split the profile or drop rules)",
                     text, info.bpf_insns, BPF_MAX_INSNS);
    else
        profile_diag(p, diags, SCW_DIAG_NOTE, at, n_at,
                     "filter for %s: %zu rules, %zu BPF instructions%s", text, info.rules,
                     info.bpf_insns, info.skipped ? " (unknown names skipped)" : "");
    if (v->n_filters < SCW_PROFILE_MAX_LIST)
        v->filters[v->n_filters++] = info;
}

int scw_profile_validate(const struct scw_profile *p, const struct scw_profile_host *host,
                         struct scw_profile_diags *diags, struct scw_profile_validation *ret_info)
{
    if (!p || !diags)
        return -EINVAL;
    size_t before = diags->errors;
    const struct scw_profile_diags *own = scw_profile_diags(p);
    for (size_t i = 0; i < own->n; i++)
        scw_profile_diags_add(diags, own->items[i].level, own->items[i].line, own->items[i].column,
                              own->items[i].path, "%s", own->items[i].message);
    diags->dropped += own->dropped;
    struct scw_profile_validation v = {0};
    if (!scw_profile_ok(p)) {
        scw_profile_diags_add(diags, SCW_DIAG_NOTE, 0, 0, "",
                              "libseccomp checks skipped until the errors above are fixed");
    } else {
        check_entry_args(p, diags);
        uint32_t machine = seccomp_arch_native();
        if (p->n_map) {
            for (size_t i = 0; i < p->n_map; i++) {
                bool dup = false;
                for (size_t j = 0; j < i; j++)
                    dup |= p->map[j].arch == p->map[i].arch;
                const struct scw_jsonpath at[] = {{.key = "archMap"}, {.index = i}};
                if (!p->map[i].arch && p->map[i].arch_name)
                    profile_diag(p, diags, SCW_DIAG_NOTE, at, 2,
                                 "no filter built for %s: %s %s does not know it",
                                 p->map[i].arch_name,
                                 profile_arch_libseccomp_knows(p->map[i].arch_name)
                                     ? "scmpwatch, unlike libseccomp"
                                     : "libseccomp",
                                 profile_libseccomp_version());
                if (!p->map[i].arch || dup)
                    continue;
                validate_one(p, host, p->map[i].arch, at, 2, diags, &v);
            }
        } else if (p->n_arches) {
            const struct scw_jsonpath at[] = {{.key = "architectures"}};
            uint32_t native = token_in(p->arches, p->n_arches, machine) ? machine : p->arches[0];
            validate_one(p, host, native, at, 1, diags, &v);
        } else {
            validate_one(p, host, machine, NULL, 0, diags, &v);
        }
    }
    if (ret_info)
        *ret_info = v;
    return (int)(diags->errors - before);
}
