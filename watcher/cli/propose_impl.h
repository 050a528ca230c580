/*
 * propose_impl: what propose.c (rules, profiles, vulnerability hook, advise) and
 * propose_out.c (tuning, diffs, outputs) share, private to them. The interface is propose.h.
 */
#ifndef SCW_PROPOSE_IMPL_H
#define SCW_PROPOSE_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "advice_report.h"
#include "advise.h"
#include "profile.h"
#include "profile_compare.h"
#include "propose.h"
#include "vulns.h"

/* A profile file as a workload refers to it. */
struct ref {
    char *path;
    int distinct; /* index into distinct[], -1 when it could not be used */
    char *error;  /* why (malloc'd), or NULL */
};

/* A distinct profile: runtime copies by their canonical seccomp text, team files by path. */
struct distinct {
    struct scw_profile *p;
    char *canon; /* scw_profile_dump(seccomp_only) */
    size_t canon_len;
    char *path; /* first path it was read from */
    bool team;  /* one of the team's files (mapped), not a runtime's copy */
};

/* Vulnerability blocks that apply to one image (NULL: host workloads), computed once. */
struct image_hits {
    char *image;
    struct scw_block_hit *hits;
    char **evidence; /* the text of hits[i], made when first asked for */
    size_t n;
};

struct scw_propose {
    struct scw_propose_opts o;
    struct scw_rules *rules;
    struct scw_vulns *vulns;
    unsigned vuln_failures;  /* --vulns reports that could not be read */
    unsigned input_failures; /* states left out, runtime profiles unusable (reported) */
    char kernel[128];        /* release for kernel_below blocks */
    struct image_hits *images;
    size_t n_images;
    size_t last_image; /* index of the image last asked for: proposals come per workload */
    struct ref *refs;
    size_t n_refs;
    struct distinct *distinct;
    size_t n_distinct;
    /* made by the first scw_propose_advise for an aggregate, reused by later ones */
    const struct scw_aggregate *agg; /* borrowed */
    struct scw_advise_assign *assign;
    struct scw_advise_profile *views;
    size_t n_views; /* distinct profiles when the views were made (later ones: comparisons) */
    int *runs;      /* per workload: ref index of the runtime's copy when mapped elsewhere; -1 */
    struct compared *compared; /* propose_drift.c: comparisons made, by (want, runs) */
    size_t n_compared;
};

/* One comparison of the team's file (distinct want) with a runtime copy (distinct runs). */
struct compared {
    int want, runs;
    int rc; /* of scw_profile_compare */
    struct scw_profile_comparison c;
};

/* Load a profile file once (propose.c; see there). Returns the ref index or -errno. */
int propose_load_ref(struct scw_propose *pp, const char *path, enum scw_advise_source source,
                     bool compare_only);

/* Whether the members of group g run what its team file gives them (propose_drift.c). */
int propose_drift(struct scw_propose *pp, const struct scw_aggregate *agg,
                  const struct scw_advice_group *g, struct scw_advice_drift *ret);

/* "<stdin>" for "-", else the path. */
const char *scw_propose_shown(const char *path);

#endif
