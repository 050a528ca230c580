/*
 * advise_impl: what the files of the advise module share (advise.c: deciding and grouping;
 * advise_names.c: group names and owners; advise_map.c: which profile a workload is proposed
 * against; advise_evidence.c: node coverage, completeness,
 * the --fail-on gate), private to them. The interface is advise.h.
 */
#ifndef SCW_ADVISE_IMPL_H
#define SCW_ADVISE_IMPL_H

#include <stddef.h>

#include "advise.h"

/*
 * The owner of a workload's container, as a file-name-safe stem in out ("" when it has none):
 * a Kubernetes workload from its pod (the pod-template-hash label or the ReplicaSet hash in
 * the pod name, a StatefulSet's ordinal, a DaemonSet's or Job's suffix), with the container's
 * name when it differs; else a compose service; else the image's name; else the container's
 * name without a replica number. Never depends on how many replicas there are.
 */
void advise_owner(const struct scw_container *c, char *out, size_t cap);

/* The workload's executables as strings, at most SCW_WORKLOAD_EXES (advise_map.c). */
size_t advise_workload_exes(const struct scw_aggregate *agg, const struct scw_workload *w,
                            const char **out);

/* Name every group (unique; [A-Za-z0-9._-]; see advise.h). */
void advise_name_groups(struct scw_advice_group *g, size_t n, const struct scw_aggregate *agg);

/* Coverage on nodes and completeness, for every workload and group (the last step of
 * scw_advise). Returns 0 or -ENOMEM. */
int advise_evidence(const struct scw_advise_input *in, struct scw_advice *a);

#endif
