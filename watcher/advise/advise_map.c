/*
 * advise_map: which profile file a workload is proposed against (see scw_advise_profile_for in
 * advise.h). The team's own file (mapped by --profile SELECTOR=FILE, a selector's profile:, a
 * profiles directory or a catch-all --profile FILE) comes before the runtime's resolved copy,
 * so proposals and tuned profiles are made against the file kept in git. Pure except for the
 * caller's exists() callback. Called by propose.c.
 */
#include "advise_impl.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

size_t advise_workload_exes(const struct scw_aggregate *agg, const struct scw_workload *w,
                            const char **out)
{
    size_t n = 0;
    for (unsigned i = 0; i < w->n_exes && n < SCW_WORKLOAD_EXES; i++) {
        const char *s = scw_aggregate_string(agg, w->exes[i]);
        if (s)
            out[n++] = s;
    }
    return n;
}

void scw_advise_owner_name(const struct scw_container *c, char *out, size_t cap)
{
    if (cap)
        out[0] = '\0';
    if (c)
        advise_owner(c, out, cap);
}

static const struct scw_selector *selector_named(const struct scw_rules *rs, const char *name)
{
    for (size_t i = 0; rs && i < rs->n_selectors; i++)
        if (strcmp(rs->selectors[i].name, name) == 0)
            return &rs->selectors[i];
    return NULL;
}

/* Whether a --profile SELECTOR=FILE applies: a selector of that name matches, or (no such
 * selector) the owner's name matches it as a glob. */
static bool map_applies(const struct scw_rules *rs, const char *selector, const char *owner,
                        const struct scw_container *c, const char *const *exes, size_t n_exes)
{
    const struct scw_selector *sel = selector_named(rs, selector);
    if (sel)
        return scw_rules_selector_matches(sel, c, exes, n_exes);
    return owner[0] && fnmatch(selector, owner, 0) == 0;
}

static bool put(char *path, size_t cap, const char *s)
{
    return (size_t)snprintf(path, cap, "%s", s) < cap;
}

/* DIR/<name>.json when it exists. */
static bool in_dir(const struct scw_advise_maps *m, const char *name, char *path, size_t cap)
{
    if (!name[0] || (size_t)snprintf(path, cap, "%s/%s.json", m->dir, name) >= cap)
        return false;
    return m->exists(m->ctx, path);
}

enum scw_advise_source scw_advise_profile_for(const struct scw_rules *rs,
                                              const struct scw_aggregate *agg, uint32_t workload,
                                              const struct scw_advise_maps *maps, char *path,
                                              size_t cap)
{
    const struct scw_workload *w = scw_aggregate_workload_at(agg, workload);
    path[0] = '\0';
    if (!w)
        return SCW_ADVISE_SOURCE_NONE;
    const struct scw_container *c = w->container;
    const char *exes[SCW_WORKLOAD_EXES];
    size_t n_exes = advise_workload_exes(agg, w, exes);
    char owner[SCW_ADVISE_NAME_MAX] = "";
    scw_advise_owner_name(c, owner, sizeof(owner));
    for (size_t i = 0; maps && i < maps->n_maps; i++)
        if (maps->maps[i].selector &&
            map_applies(rs, maps->maps[i].selector, owner, c, exes, n_exes))
            return put(path, cap, maps->maps[i].path) ? SCW_ADVISE_SOURCE_CLI
                                                      : SCW_ADVISE_SOURCE_NONE;
    const char *sp = rs ? scw_rules_profile_for(rs, c, exes, n_exes) : NULL;
    if (sp)
        return put(path, cap, sp) ? SCW_ADVISE_SOURCE_SELECTOR : SCW_ADVISE_SOURCE_NONE;
    if (maps && maps->dir && maps->exists) {
        for (size_t i = 0; rs && i < rs->n_selectors; i++)
            if (scw_rules_selector_matches(&rs->selectors[i], c, exes, n_exes) &&
                in_dir(maps, rs->selectors[i].name, path, cap))
                return SCW_ADVISE_SOURCE_DIR;
        if (in_dir(maps, owner, path, cap))
            return SCW_ADVISE_SOURCE_DIR;
        path[0] = '\0';
    }
    for (size_t i = 0; maps && i < maps->n_maps; i++)
        if (!maps->maps[i].selector)
            return put(path, cap, maps->maps[i].path) ? SCW_ADVISE_SOURCE_CLI
                                                      : SCW_ADVISE_SOURCE_NONE;
    if (c && c->profile)
        return put(path, cap, c->profile) ? SCW_ADVISE_SOURCE_RUNTIME : SCW_ADVISE_SOURCE_NONE;
    return SCW_ADVISE_SOURCE_NONE;
}
