/*
 * fuzz_cgroup: /proc/PID/cgroup text (and cgroup paths) through the whole cgroup module:
 * pick the path, classify it, build the workload key and the container description.
 * Checks that a chosen path classifies and that every key fits SCW_CGROUP_KEY_SIZE.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"

static void classify_and_key(const char *path)
{
    struct scw_cgroup_info info;
    if (scw_cgroup_classify(path, &info) != 0)
        return;
    char key[SCW_CGROUP_KEY_SIZE];
    if (scw_cgroup_workload_key(&info, path, key, sizeof(key)) != 0)
        abort(); /* every classified path of bounded length has a key */
    struct scw_container *c = NULL;
    if (scw_cgroup_container_new(&info, path, &c) == 0)
        scw_container_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[SCW_CGROUP_PATH_MAX + 1];
    int rc = scw_cgroup_parse_proc((const char *)data, size, path, sizeof(path));
    if (rc == 0) {
        struct scw_cgroup_info info;
        if (scw_cgroup_classify(path, &info) != 0)
            abort(); /* a chosen path always classifies */
        classify_and_key(path);
    }
    /* the input as one path */
    if (size > 0 && size <= SCW_CGROUP_PATH_MAX && data[0] == '/') {
        memcpy(path, data, size);
        path[size] = '\0';
        classify_and_key(path);
    }
    return 0;
}
