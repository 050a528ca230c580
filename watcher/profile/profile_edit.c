/*
 * profile_edit: derived profiles, edits on a deep copy of the document that are then written
 * and read back (profile_write.c). logify makes the log-only staging variant (defaultAction
 * SCMP_ACT_LOG; SECCOMP_FILTER_FLAG_LOG only when asked, since runc 1.1 refuses flags, and
 * otherwise a warning about the refusals that stay unlogged; --all turns refusing entries into
 * SCMP_ACT_LOG); tune appends one allow entry for the names asked for, leaving
 * out those already allowed or refused by an unconditional entry, and restores an enforcing
 * default when the profile was log-only. Every field and entry they do not change stays.
 *
 * It does not choose the names (advise does) nor write files (the caller dumps the result).
 * Called by the cli's profile commands (logify, tune, propose) and by tests.
 */
#include "profile.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "profile_impl.h"

/* errno/kill/trap: what logify --all turns into LOG */
static bool action_denies(enum scw_action a)
{
    return a == SCW_ACTION_KILL_PROCESS || a == SCW_ACTION_KILL_THREAD || a == SCW_ACTION_TRAP ||
           a == SCW_ACTION_ERRNO;
}

/* Actions whose hits the kernel logs only with SECCOMP_FILTER_FLAG_LOG (seccomp_log(): kill
 * and SCMP_ACT_LOG are logged anyway, allow never). */
static bool action_logged_only_with_flag(enum scw_action a)
{
    return a == SCW_ACTION_ERRNO || a == SCW_ACTION_TRAP || a == SCW_ACTION_TRACE ||
           a == SCW_ACTION_USER_NOTIF;
}

static json_t *seccomp_of(json_t *doc, enum scw_profile_kind kind)
{
    if (kind == SCW_PROFILE_OCI)
        return json_object_get(json_object_get(doc, "linux"), "seccomp");
    return doc;
}

/* Keys a new top-level field goes after (so it lands near the top, not after syscalls). */
static const char *const header_keys[] = {"defaultAction", "defaultErrnoRet", "architectures",
                                          "archMap"};

/* Set an existing member in place, or add it first. */
static int set_string(json_t *obj, const char *key, const char *value)
{
    return profile_object_put_after(obj, key, json_string(value), header_keys, 0);
}

/* The warning logify gives when refusals keep their action and go unlogged, into *ret. */
static void unlogged_warning(const struct scw_profile *p, unsigned opts, size_t n, size_t first,
                             struct scw_diag *ret)
{
    const struct profile_entry *e = &p->entries[first];
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    profile_diag(p, &d, SCW_DIAG_WARNING, AT(K("syscalls"), I(first)),
                 "%zu entr%s keep%s refusing (here %s: %s) and %s not logged: the log-only "
                 "profile has no SECCOMP_FILTER_FLAG_LOG; --log-flag adds it (for crun and runc "
                 "1.2+ only: runc 1.1 refuses flags, dockerd 20.10 drops them; see 'scmpwatch "
                 "check')%s",
                 n, n == 1 ? "y" : "ies", n == 1 ? "s" : "", e->n_names ? e->names[0] : "(none)",
                 e->action_name, n == 1 ? "its hits are" : "their hits are",
                 opts & SCW_PROFILE_LOGIFY_ALL ? "" : ", --all logs them instead");
    if (d.n)
        *ret = d.items[0];
    scw_profile_diags_free(&d);
}

int scw_profile_logify(const struct scw_profile *p, unsigned opts, struct scw_profile **ret,
                       struct scw_profile_changes *ret_changes)
{
    if (!p || !ret || (opts & ~(SCW_PROFILE_LOGIFY_ALL | SCW_PROFILE_LOGIFY_LOG_FLAG)))
        return -EINVAL;
    struct scw_profile_changes ch = {.unlogged_entry = -1};
    json_t *doc = json_deep_copy(p->doc);
    if (!doc)
        return -ENOMEM;
    json_t *sc = seccomp_of(doc, p->kind);
    int rc = 0;
    if (p->default_action != SCW_ACTION_ALLOW && p->default_action != SCW_ACTION_LOG) {
        rc |= set_string(sc, "defaultAction", "SCMP_ACT_LOG");
        json_object_del(sc, "defaultErrnoRet");
        if (p->kind == SCW_PROFILE_DOCKER)
            json_object_del(sc, "defaultErrno"); /* Podman would turn it into defaultErrnoRet */
        ch.default_changed = true;
    }
    size_t unlogged = 0, first = 0;
    json_t *calls = profile_member(sc, "syscalls");
    for (size_t i = 0; i < p->n_entries; i++) {
        const struct profile_entry *e = &p->entries[i];
        json_t *obj = json_array_get(calls, i);
        if ((opts & SCW_PROFILE_LOGIFY_ALL) && action_denies(e->action)) {
            rc |= json_object_set_new(obj, "action", json_string("SCMP_ACT_LOG"));
            json_object_del(obj, "errnoRet");
            if (p->kind == SCW_PROFILE_DOCKER)
                json_object_del(obj, "errno");
            ch.entries_changed++;
        } else if (action_logged_only_with_flag(e->action) && !unlogged++) {
            first = i;
        }
    }
    if (unlogged && !p->flag_log && (opts & SCW_PROFILE_LOGIFY_LOG_FLAG)) {
        json_t *flags = profile_member(sc, "flags");
        if (json_is_array(flags))
            rc |= json_array_append_new(flags, json_string("SECCOMP_FILTER_FLAG_LOG"));
        else
            rc |= profile_object_put_after(sc, "flags", json_pack("[s]", "SECCOMP_FILTER_FLAG_LOG"),
                                           header_keys, N(header_keys));
        ch.log_flag_added = true;
    } else if (unlogged && !p->flag_log) {
        ch.unlogged = unlogged;
        ch.unlogged_entry = (long)first;
        unlogged_warning(p, opts, unlogged, first, &ch.unlogged_warning);
    }
    if (rc) {
        json_decref(doc);
        return -ENOMEM;
    }
    rc = profile_reload(p, doc, ret);
    if (rc == 0 && ret_changes)
        *ret_changes = ch;
    return rc;
}

static bool valid_syscall_name(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isalnum((unsigned char)s[n]) && s[n] != '_')
            return false;
    return n >= 1 && n <= 64;
}

/* Remove every SECCOMP_FILTER_FLAG_LOG from sc's flags (and flags itself when left empty). */
static void drop_log_flag(json_t *sc)
{
    json_t *flags = profile_member(sc, "flags");
    for (size_t i = json_array_size(flags); i-- > 0;)
        if (json_is_string(json_array_get(flags, i)) &&
            strcmp(json_string_value(json_array_get(flags, i)), "SECCOMP_FILTER_FLAG_LOG") == 0)
            json_array_remove(flags, i);
    if (flags && json_array_size(flags) == 0)
        json_object_del(sc, "flags");
}

/*
 * The enforcing default t asks for (*ret_action, *ret_name: SCMP_ACT_ERRNO when none), checked
 * with its errno and with the size the tuned profile would have. 0, -EINVAL or -E2BIG (diags).
 */
static int tune_check(const struct scw_profile *p, const struct scw_profile_tune *t,
                      struct scw_profile_diags *diags, enum scw_action *ret_action,
                      const char **ret_name)
{
    enum scw_action enforce = SCW_ACTION_ERRNO;
    const char *enforce_name = "SCMP_ACT_ERRNO";
    if (t->default_action) {
        enforce = scw_profile_action_from_name(t->default_action);
        enforce_name = t->default_action;
        if (enforce == SCW_ACTION_INVALID || scw_profile_action_runs(enforce) ||
            enforce == SCW_ACTION_USER_NOTIF) {
            scw_profile_diags_add(diags, SCW_DIAG_ERROR, 0, 0, "",
                                  "'%s' is not an enforcing default action (use SCMP_ACT_ERRNO, "
                                  "SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD or SCMP_ACT_TRAP)",
                                  t->default_action);
            return -EINVAL;
        }
    }
    int max = enforce == SCW_ACTION_TRACE ? (int)PROFILE_RET_DATA : PROFILE_ERRNO_MAX;
    if (t->default_errno > max || (t->default_errno >= 0 && !profile_action_takes_errno(enforce))) {
        scw_profile_diags_add(diags, SCW_DIAG_ERROR, 0, 0, "",
                              "errno %d does not go with %s (SCMP_ACT_ERRNO takes 0 to %d, "
                              "libseccomp refuses more; SCMP_ACT_TRACE 0 to %u)",
                              t->default_errno, enforce_name, PROFILE_ERRNO_MAX, PROFILE_RET_DATA);
        return -EINVAL;
    }
    size_t total = 0;
    for (size_t i = 0; i < p->n_entries; i++)
        total += p->entries[i].n_names;
    if (t->n_allow &&
        (p->n_entries >= SCW_PROFILE_MAX_ENTRIES || total + t->n_allow > SCW_PROFILE_MAX_NAMES)) {
        scw_profile_diags_add(diags, SCW_DIAG_ERROR, 0, 0, "",
                              "the tuned profile would have more than %d entries or %d syscall "
                              "names, more than scmpwatch reads back",
                              SCW_PROFILE_MAX_ENTRIES, SCW_PROFILE_MAX_NAMES);
        return -E2BIG;
    }
    *ret_action = enforce;
    *ret_name = enforce_name;
    return 0;
}

/* t's names, checked and sorted (duplicates kept): *ret malloc'd (NULL when none). */
static int tune_names(const struct scw_profile_tune *t, struct scw_profile_diags *diags,
                      const char ***ret, size_t *ret_n)
{
    const char **names = t->n_allow ? malloc(t->n_allow * sizeof(*names)) : NULL;
    if (t->n_allow && !names)
        return -ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < t->n_allow; i++) {
        if (!t->allow[i] || !valid_syscall_name(t->allow[i])) {
            scw_profile_diags_add(diags, SCW_DIAG_ERROR, 0, 0, "",
                                  "'%s' is not a syscall name (letters, digits and '_', at most "
                                  "64)",
                                  t->allow[i] ? t->allow[i] : "(null)");
            free(names);
            return -EINVAL;
        }
        names[n++] = t->allow[i];
    }
    if (n)
        qsort(names, n, sizeof(*names), profile_cmp_names);
    *ret = names;
    *ret_n = n;
    return 0;
}

/*
 * Append to add the sorted names the new allow entry needs, for a filter whose default is
 * dcode: not those an unconditional entry without includes/excludes already decides (allowed:
 * counted; refused: counted and warned about); a conditional or host-selected refusal is
 * warned about but the name goes in. Returns 0, or non-zero without memory.
 */
static int tune_select(const struct scw_profile *p, const char *const *names, size_t n,
                       uint32_t dcode, json_t *add, struct scw_profile_changes *ch,
                       struct scw_profile_diags *diags)
{
    int rc = 0;
    for (size_t k = 0; k < n && rc == 0; k++) {
        const char *name = names[k];
        if (k && strcmp(name, names[k - 1]) == 0)
            continue;
        long decided = -1, cond_deny = -1, host_deny = -1;
        for (size_t i = 0; i < p->n_entries && decided < 0; i++) {
            const struct profile_entry *e = &p->entries[i];
            if (e->action == SCW_ACTION_INVALID || !profile_entry_lists(e, name) ||
                profile_entry_code(e) == dcode)
                continue;
            if (e->n_args) {
                if (!scw_profile_action_runs(e->action) && cond_deny < 0)
                    cond_deny = (long)i;
            } else if (e->has_cond && p->kind == SCW_PROFILE_DOCKER) {
                if (!scw_profile_action_runs(e->action) && host_deny < 0)
                    host_deny = (long)i;
            } else {
                decided = (long)i;
            }
        }
        if (decided >= 0 && scw_profile_action_runs(p->entries[decided].action)) {
            ch->names_already++;
            continue;
        }
        if (decided >= 0) {
            ch->names_refused++;
            profile_diag(p, diags, SCW_DIAG_WARNING, AT(K("syscalls"), I((size_t)decided)),
                         "'%s' not added: this entry refuses it (%s) without conditions, and "
                         "libseccomp keeps the first unconditional rule of a syscall; change "
                         "this entry if '%s' should run",
                         name, p->entries[decided].action_name, name);
            continue;
        }
        if (host_deny >= 0)
            profile_diag(p, diags, SCW_DIAG_WARNING, AT(K("syscalls"), I((size_t)host_deny)),
                         "'%s' added, but on hosts this entry's includes/excludes select it "
                         "still refuses it (%s): libseccomp keeps the first unconditional rule",
                         name, p->entries[host_deny].action_name);
        if (cond_deny >= 0)
            profile_diag(p, diags, SCW_DIAG_WARNING, AT(K("syscalls"), I((size_t)cond_deny)),
                         "'%s' added: the new entry allows every call, so this entry's argument "
                         "filter (%s) no longer applies",
                         name, p->entries[cond_deny].action_name);
        rc |= json_array_append_new(add, json_string(name));
        ch->names_added++;
    }
    return rc;
}

/*
 * A log-only profile made enforcing again in sc: defaultAction enforce_name (+ t's errno),
 * SECCOMP_FILTER_FLAG_LOG dropped unless t keeps it, explicit SCMP_ACT_LOG entries warned
 * about. Returns 0, or non-zero without memory.
 */
static int tune_restore(const struct scw_profile *p, const struct scw_profile_tune *t,
                        const char *enforce_name, json_t *sc, struct scw_profile_changes *ch,
                        struct scw_profile_diags *diags)
{
    int rc = set_string(sc, "defaultAction", enforce_name);
    json_object_del(sc, "defaultErrnoRet");
    if (p->kind == SCW_PROFILE_DOCKER)
        json_object_del(sc, "defaultErrno"); /* Podman would prefer it to the new errno */
    if (t->default_errno >= 0) {
        static const char *const after_default[] = {"defaultAction"};
        rc |= profile_object_put_after(sc, "defaultErrnoRet", json_integer(t->default_errno),
                                       after_default, 1);
    }
    ch->default_changed = true;
    if (p->flag_log && !t->keep_log_flag) {
        drop_log_flag(sc);
        ch->log_flag_removed = true;
    }
    for (size_t i = 0; i < p->n_entries; i++)
        if (p->entries[i].action == SCW_ACTION_LOG)
            profile_diag(p, diags, SCW_DIAG_WARNING, AT(K("syscalls"), I(i), K("action")),
                         "SCMP_ACT_LOG in the enforcing profile lets these syscalls run "
                         "(logged); if 'logify --all' turned a refusal into it, tune the "
                         "original profile instead");
    return rc;
}

/* Append {names: add, action: SCMP_ACT_ALLOW, comment} to sc's syscalls (made when absent). */
static int tune_append(json_t *sc, json_t *add, json_t *comment)
{
    int rc = 0;
    json_t *entry = json_object();
    rc |= entry ? 0 : -1;
    rc |= json_object_set(entry, "names", add);
    rc |= json_object_set_new(entry, "action", json_string("SCMP_ACT_ALLOW"));
    if (comment)
        rc |= json_object_set(entry, "comment", comment);
    json_t *calls = profile_member(sc, "syscalls");
    if (!calls) {
        calls = json_array();
        rc |= json_object_set_new(sc, "syscalls", calls);
    }
    rc |= json_array_append_new(calls, entry);
    return rc;
}

int scw_profile_tune(const struct scw_profile *p, const struct scw_profile_tune *t,
                     struct scw_profile **ret, struct scw_profile_changes *ret_changes,
                     struct scw_profile_diags *diags)
{
    if (!p || !t || !ret || (t->n_allow && !t->allow) || t->n_allow > SCW_PROFILE_MAX_NAMES)
        return -EINVAL;
    enum scw_action enforce;
    const char *enforce_name;
    int rc = tune_check(p, t, diags, &enforce, &enforce_name);
    if (rc < 0)
        return rc;
    json_t *comment = NULL;
    if (t->comment && p->kind == SCW_PROFILE_DOCKER && !(comment = json_string(t->comment))) {
        scw_profile_diags_add(diags, SCW_DIAG_ERROR, 0, 0, "",
                              "the comment is not valid UTF-8 text");
        return -EINVAL;
    }
    const char **names = NULL;
    size_t n = 0;
    rc = tune_names(t, diags, &names, &n);
    if (rc < 0) {
        json_decref(comment);
        return rc;
    }

    struct scw_profile_changes ch = {0};
    bool restore = scw_profile_log_only(p);
    int def_errno;
    enum scw_action def = scw_profile_default_action(p, &def_errno);
    uint32_t dcode = restore ? scw_profile_action_code(enforce, t->default_errno)
                             : scw_profile_action_code(def, def_errno);
    json_t *doc = json_deep_copy(p->doc);
    json_t *add = json_array();
    rc = doc && add ? 0 : -1;
    if (rc == 0)
        rc = tune_select(p, names, n, dcode, add, &ch, diags);
    free(names);
    if (rc) {
        json_decref(doc);
        json_decref(add);
        json_decref(comment);
        return -ENOMEM;
    }
    json_t *sc = seccomp_of(doc, p->kind);
    if (restore)
        rc |= tune_restore(p, t, enforce_name, sc, &ch, diags);
    if (json_array_size(add))
        rc |= tune_append(sc, add, comment);
    json_decref(add);
    json_decref(comment);
    if (rc) {
        json_decref(doc);
        return -ENOMEM;
    }
    rc = profile_reload(p, doc, ret);
    if (rc == 0 && ret_changes)
        *ret_changes = ch;
    return rc;
}
