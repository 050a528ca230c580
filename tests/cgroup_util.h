/*
 * cgroup_util: test-side cgroup v2 plumbing: find the v2 mount, create a cgroup named like a
 * container runtime and move a pid into it, remove it afterwards. Used by live tests and the
 * helper workloads (never by scmpwatch itself, which only reads /proc/PID/cgroup).
 */
#ifndef SCW_CGROUP_UTIL_H
#define SCW_CGROUP_UTIL_H

#include <stddef.h>
#include <sys/types.h>

/* The cgroup2 mount point (e.g. /sys/fs/cgroup/unified), or NULL if none is mounted. */
const char *scw_cgroup_util_mount(void);
/* mkdir -p MOUNT/rel and write pid to its cgroup.procs. -1 with errno on failure. */
int scw_cgroup_util_join(const char *rel, pid_t pid);
/* rmdir MOUNT/rel (after its processes are gone; retried briefly). */
int scw_cgroup_util_remove(const char *rel);
/* A random 64-hex-digit id, like a Docker container id. */
void scw_cgroup_util_random_id(char out[65]);

#endif
