/*
 * profile_compare: the team's file resolved for a container, against the runtime's copy it runs
 * (see profile_compare.h). Every syscall either profile names is asked of both on every
 * architecture both filters cover; names neither lists fall to the defaults, compared once.
 * SCMP_ACT_LOG stands for the refusal a staging profile observes (logify keeps every other
 * action, and turns only refusals into LOG with --all).
 */
#include "profile_compare.h"
#include "profile_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool scw_profile_comparison_same(const struct scw_profile_comparison *c)
{
    return !c->n_differences && !c->arches_differ && !c->default_differs;
}

/* Allowed or refused once enforced: LOG observes a refusal. */
static bool action_lets_run(enum scw_action a)
{
    return a != SCW_ACTION_LOG && scw_profile_action_runs(a);
}

static enum scw_profile_verdict normalized(const struct scw_profile_answer *a)
{
    if (a->verdict == SCW_VERDICT_CONDITIONAL)
        return a->verdict;
    return action_lets_run(a->action) ? SCW_VERDICT_ALLOWED : SCW_VERDICT_REFUSED;
}

static bool same_set(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    for (size_t i = 0; i < na; i++) {
        bool found = false;
        for (size_t k = 0; k < nb && !found; k++)
            found = a[i] == b[k];
        if (!found)
            return false;
    }
    for (size_t k = 0; k < nb; k++) {
        bool found = false;
        for (size_t i = 0; i < na && !found; i++)
            found = a[i] == b[k];
        if (!found)
            return false;
    }
    return true;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The union of both profiles' names, sorted and unique (*ret malloc'd). Count or -ENOMEM. */
static int union_names(const struct scw_profile *a, const struct scw_profile *b, const char ***ret)
{
    const char **na = NULL, **nb = NULL;
    int ca = scw_profile_names(a, &na), cb = ca < 0 ? -ENOMEM : scw_profile_names(b, &nb);
    const char **u = ca >= 0 && cb >= 0 ? malloc(((size_t)ca + (size_t)cb + 1) * sizeof(*u)) : NULL;
    if (!u) {
        free(na);
        free(nb);
        return -ENOMEM;
    }
    memcpy(u, na, (size_t)ca * sizeof(*u));
    memcpy(u + ca, nb, (size_t)cb * sizeof(*u));
    free(na);
    free(nb);
    size_t n = (size_t)ca + (size_t)cb, k = 0;
    qsort(u, n, sizeof(*u), cmp_str);
    for (size_t i = 0; i < n; i++)
        if (k == 0 || strcmp(u[k - 1], u[i]) != 0)
            u[k++] = u[i];
    *ret = u;
    return (int)k;
}

int scw_profile_compare(const struct scw_profile *want, const struct scw_profile *runs,
                        const struct scw_profile_host *host, struct scw_profile_comparison *ret)
{
    *ret = (struct scw_profile_comparison){.runs_log_only = scw_profile_log_only(runs)};
    if (!scw_profile_ok(want) || !scw_profile_ok(runs))
        return -EINVAL;
    struct scw_profile_host h = host ? *host : (struct scw_profile_host){0};
    uint32_t listed[SCW_PROFILE_MAX_ARCHES];
    if (!h.native && scw_profile_listed_arches(runs, listed, SCW_PROFILE_MAX_ARCHES) > 0)
        h.native = listed[0];
    uint32_t wa[SCW_PROFILE_MAX_ARCHES], ra[SCW_PROFILE_MAX_ARCHES];
    int nwa = scw_profile_arches(want, h.native, wa, SCW_PROFILE_MAX_ARCHES);
    int nra = scw_profile_arches(runs, h.native, ra, SCW_PROFILE_MAX_ARCHES);
    if (nwa < 0 || nra < 0)
        return -EINVAL;
    ret->arches_differ = !same_set(wa, (size_t)nwa, ra, (size_t)nra);
    ret->default_differs = action_lets_run(scw_profile_default_action(want, NULL)) !=
                           action_lets_run(scw_profile_default_action(runs, NULL));

    const char **names = NULL;
    int nn = union_names(want, runs, &names);
    if (nn < 0)
        return nn;
    int rc = 0;
    for (int ai = 0; ai < nra && rc == 0; ai++) {
        bool both = false;
        for (int k = 0; k < nwa && !both; k++)
            both = wa[k] == ra[ai];
        for (int i = 0; both && i < nn && rc == 0; i++) {
            struct scw_profile_answer x, y;
            if ((rc = scw_profile_query(want, &h, ra[ai], names[i], &x)) < 0 ||
                (rc = scw_profile_query(runs, &h, ra[ai], names[i], &y)) < 0)
                break;
            if (x.match == SCW_MATCH_NO_SYSCALL || y.match == SCW_MATCH_NO_SYSCALL)
                continue; /* unknown on this architecture: neither filter has it */
            enum scw_profile_verdict vx = normalized(&x), vy = normalized(&y);
            if (vx == vy)
                continue;
            if (ret->n_examples < SCW_PROFILE_COMPARE_EXAMPLES)
                ret->examples[ret->n_examples++] = (struct scw_profile_difference){
                    .arch = ra[ai], .syscall = names[i], .want = vx, .runs = vy};
            ret->n_differences++;
        }
    }
    free(names);
    return rc;
}

int scw_profile_bounding_caps(const struct scw_profile *p, const char ***ret)
{
    json_t *b = json_object_get(json_object_get(json_object_get(p->doc, "process"), "capabilities"),
                                "bounding");
    if (!json_is_array(b))
        return -ENOENT;
    size_t n = json_array_size(b), k = 0;
    const char **v = malloc((n ? n : 1) * sizeof(*v));
    if (!v)
        return -ENOMEM;
    for (size_t i = 0; i < n && k < SCW_PROFILE_MAX_LIST; i++)
        if (json_is_string(json_array_get(b, i)))
            v[k++] = json_string_value(json_array_get(b, i));
    *ret = v;
    return (int)k;
}
