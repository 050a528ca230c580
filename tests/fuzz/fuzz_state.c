/*
 * fuzz_state: the state file loader (state.c) on arbitrary bytes, through a memfd so the
 * mmap path runs as it does on disk. A refused file must come with a message; an accepted
 * one must save and load again to the same counts, time grid and bucketed events, and no
 * entry may hold more events in its buckets than it counts.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct scw_agg_limits limits = {.max_workloads = 64, .max_entries = 256};

/* Events in buckets over every entry; aborts when an entry's exceed its count. */
static uint64_t timed(const struct scw_aggregate *agg)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < scw_aggregate_n_entries(agg); i++) {
        const struct scw_agg_entry *e = scw_aggregate_entry_at(agg, i);
        uint64_t t = scw_agg_buckets_sum(e->buckets, SCW_ENTRY_BUCKETS);
        if (t > e->count)
            abort();
        sum += t;
    }
    return sum;
}

/* Where saved states go: tmpfs when there is one (fsync is free there), one file reused. */
static const char *save_path(void)
{
    static char path[128];
    if (!path[0]) {
        char dir[64] = "/dev/shm/fuzz_state.XXXXXX";
        if (!mkdtemp(dir)) {
            snprintf(dir, sizeof(dir), "/tmp/fuzz_state.XXXXXX");
            if (!mkdtemp(dir))
                abort();
        }
        snprintf(path, sizeof(path), "%s/state.json", dir);
    }
    return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz_state", MFD_CLOEXEC);
    if (fd < 0)
        return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    struct scw_aggregate *agg = scw_aggregate_new(&limits);
    char *err = NULL;
    int rc = scw_state_load(agg, path, &err);
    if (rc == -EINVAL && !err)
        abort(); /* refused without saying why */
    free(err);
    if (rc == 0) {
        /* what was accepted saves and loads back to the same totals */
        struct scw_aggregate *back = scw_aggregate_new(&limits);
        char *err2 = NULL;
        if (scw_state_save(agg, save_path()) == 0 &&
            (scw_state_load(back, save_path(), &err2) != 0 ||
             scw_aggregate_n_workloads(back) != scw_aggregate_n_workloads(agg) ||
             scw_aggregate_stats(back)->seccomp != scw_aggregate_stats(agg)->seccomp ||
             scw_aggregate_grid(back)->width != scw_aggregate_grid(agg)->width ||
             scw_aggregate_grid(back)->origin != scw_aggregate_grid(agg)->origin ||
             timed(back) != timed(agg)))
            abort();
        free(err2);
        scw_aggregate_free(back);
    }
    scw_aggregate_free(agg);
    close(fd);
    return 0;
}
