/*
 * propose_impl: what propose.c (rules, profiles, vulnerability hook, advise) and
 * propose_out.c (tuning, diffs, outputs) share, private to them. The interface is propose.h.
 */
#ifndef SCW_PROPOSE_IMPL_H
#define SCW_PROPOSE_IMPL_H

#include <stddef.h>

#include "advise.h"
#include "profile.h"
#include "propose.h"
#include "vulns.h"

/* A profile file as a workload refers to it. */
struct ref {
    char *path;
    int distinct; /* index into distinct[], -1 when it could not be used */
    char *error;  /* why (malloc'd), or NULL */
};

/* A distinct profile (by its canonical seccomp text). */
struct distinct {
    struct scw_profile *p;
    char *canon; /* scw_profile_dump(seccomp_only) */
    size_t canon_len;
    char *path; /* first path it was read from */
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
};

/* "<stdin>" for "-", else the path. */
const char *scw_propose_shown(const char *path);

#endif
