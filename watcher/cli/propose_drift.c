/*
 * propose_drift: does each container of a group mapped to the team's profile file run what
 * that file gives it? The runtime's copy (config.json, or the watcher's kept copy) is compared
 * with the file resolved for the container (its capability bounding set when the copy carries
 * it, else Docker's defaults; the --kernel or running kernel) by profile_compare.c. A container
 * that runs something else is a stale deploy, or the wrong file mapped: when it runs another of
 * the team's files exactly (another --profile, a file of the profiles directory), that file is
 * named. Comparisons are made once per (file, copy) pair. Called by propose_out.c.
 */
#include "propose.h"
#include "propose_impl.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "name.h"

#define DRIFT_DIR_FILES 256 /* files of a profiles directory tried as "the file it runs" */

static void kernel_of(const char *release, unsigned *major, unsigned *minor)
{
    *major = *minor = 0;
    if (sscanf(release, "%u.%u", major, minor) != 2)
        *major = *minor = 0;
}

/* The comparison of distinct profiles want and runs, made the first time. NULL: no memory. */
static const struct compared *compare(struct scw_propose *pp, int want, int runs)
{
    for (size_t i = 0; i < pp->n_compared; i++)
        if (pp->compared[i].want == want && pp->compared[i].runs == runs)
            return &pp->compared[i];
    struct compared *nc = realloc(pp->compared, (pp->n_compared + 1) * sizeof(*nc));
    if (!nc)
        return NULL;
    pp->compared = nc;
    struct compared *c = &nc[pp->n_compared];
    *c = (struct compared){.want = want, .runs = runs};
    const struct scw_profile *rp = pp->distinct[runs].p;
    const char **caps = NULL;
    int n_caps = scw_profile_bounding_caps(rp, &caps);
    struct scw_profile_host host = {0};
    if (n_caps >= 0) {
        host.caps = caps;
        host.n_caps = (size_t)n_caps;
        host.no_caps = n_caps == 0;
    }
    kernel_of(pp->kernel, &host.kernel_major, &host.kernel_minor);
    c->rc =
        n_caps == -ENOMEM ? -ENOMEM : scw_profile_compare(pp->distinct[want].p, rp, &host, &c->c);
    free(caps);
    pp->n_compared++;
    return c;
}

static bool same(struct scw_propose *pp, int want, int runs)
{
    const struct compared *c = compare(pp, want, runs);
    return c && c->rc == 0 && scw_profile_comparison_same(&c->c);
}

/* Another of the team's files that gives exactly what distinct runs is. */
static const char *runs_instead(struct scw_propose *pp, int want, int runs, const char *dir)
{
    for (size_t i = 0; i < pp->o.n_profiles; i++) {
        int ri = propose_load_ref(pp, pp->o.profiles[i].path, SCW_ADVISE_SOURCE_CLI, true);
        if (ri >= 0 && pp->refs[ri].distinct >= 0 && pp->refs[ri].distinct != want &&
            same(pp, pp->refs[ri].distinct, runs))
            return pp->refs[ri].path;
    }
    DIR *d = dir ? opendir(dir) : NULL;
    const char *found = NULL;
    for (unsigned n = 0; d && !found && n < DRIFT_DIR_FILES;) {
        struct dirent *de = readdir(d);
        if (!de)
            break;
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
            continue;
        n++;
        char *path = NULL;
        if (asprintf(&path, "%s/%s", dir, de->d_name) < 0)
            break;
        int ri = propose_load_ref(pp, path, SCW_ADVISE_SOURCE_DIR, true);
        free(path);
        if (ri >= 0 && pp->refs[ri].distinct >= 0 && pp->refs[ri].distinct != want &&
            same(pp, pp->refs[ri].distinct, runs))
            found = pp->refs[ri].path;
    }
    if (d)
        closedir(d);
    return found;
}

static const char *verdict_words(enum scw_profile_verdict v)
{
    switch (v) {
    case SCW_VERDICT_ALLOWED:
        return "allows";
    case SCW_VERDICT_CONDITIONAL:
        return "allows for some arguments";
    case SCW_VERDICT_REFUSED:
    case SCW_VERDICT_MAX:
    case SCW_VERDICT_INVALID:
        break;
    }
    return "refuses";
}

int propose_drift(struct scw_propose *pp, const struct scw_aggregate *agg,
                  const struct scw_advice_group *g, struct scw_advice_drift *ret)
{
    *ret = (struct scw_advice_drift){0};
    if (g->source == SCW_ADVISE_SOURCE_RUNTIME || g->source == SCW_ADVISE_SOURCE_NONE ||
        g->profile < 0 || !pp->runs)
        return 0;
    ret->file = g->path;
    const char *dir = pp->o.profiles_dir ? pp->o.profiles_dir : pp->rules->profiles_dir;
    for (size_t m = 0; m < g->n_members; m++) {
        uint32_t wi = g->members[m];
        const struct scw_workload *w = scw_aggregate_workload_at(agg, wi);
        if (!w || !w->container)
            continue; /* a host workload: no runtime copy to compare */
        int r = pp->runs[wi];
        int runs = r >= 0 ? pp->refs[r].distinct : -1;
        if (runs < 0) {
            ret->unknown++;
            continue;
        }
        const struct compared *c = compare(pp, g->profile, runs);
        if (!c)
            return -ENOMEM;
        if (c->rc == -ENOMEM)
            return c->rc;
        if (c->rc < 0) {
            ret->unknown++;
            continue;
        }
        ret->compared++;
        if (scw_profile_comparison_same(&c->c))
            continue;
        if (ret->differ++)
            continue;
        ret->member = w->container->name ? w->container->name : w->key;
        ret->differences = c->c.n_differences;
        ret->arches = c->c.arches_differ;
        ret->defaults = c->c.default_differs;
        if (c->c.n_examples) {
            const struct scw_profile_difference *d = &c->c.examples[0];
            const char *arch = scw_name_arch(d->arch);
            snprintf(ret->example, sizeof(ret->example),
                     "%s (%s): the file %s it, the container's profile %s it", d->syscall,
                     arch ? arch : "?", verdict_words(d->want), verdict_words(d->runs));
        }
        ret->runs_file = runs_instead(pp, g->profile, runs, dir);
    }
    return 0;
}
