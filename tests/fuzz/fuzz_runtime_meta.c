/*
 * fuzz_runtime_meta: runtime state files from memory through every parser of runtime_meta
 * (OCI config.json, Docker config.v2.json, containers-storage containers.json, runc
 * state.json). No file I/O; each input goes to all four.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime_meta.h"

static void release(struct scw_container *c)
{
    free(c->runtime);
    free(c->id);
    free(c->name);
    free(c->image);
    free(c->cgroup);
    free(c->pod);
    free(c->namespace);
    free(c->k8s_container);
    free(c->profile);
    memset(c, 0, sizeof(*c));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct scw_container c = {0};
    scw_meta_parse_oci(text, size, "/run/x/config.json", &c);
    scw_meta_parse_docker(text, size, &c);
    release(&c);
    static const char *const ids[] = {
        "a", "5555555555555555555555555555555555555555555555555555555555555555"};
    for (size_t i = 0; i < 2; i++) {
        scw_meta_parse_storage(text, size, ids[i], &c);
        release(&c);
    }
    char *bundle = NULL;
    if (scw_meta_parse_runc_state(text, size, &bundle) == 0) {
        if (!bundle || bundle[0] != '/')
            abort(); /* the parser promises an absolute path */
        free(bundle);
    }
    return 0;
}
