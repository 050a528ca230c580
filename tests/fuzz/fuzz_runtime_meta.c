/*
 * fuzz_runtime_meta: runtime state files from memory through every parser of runtime_meta
 * (OCI config.json, Docker config.v2.json, containers-storage containers.json, runc
 * state.json, crun status, libpod's container config, passwd, an nspawn command line). No
 * file I/O; each input goes to all of them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime_meta.h"

/* Every field the parsers may fill, labels included (scw_container_free frees the struct). */
static void release(struct scw_container *c)
{
    struct scw_container *heap = malloc(sizeof(*heap));
    if (!heap)
        abort();
    *heap = *c;
    scw_container_free(heap);
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
    bundle = NULL;
    if (scw_meta_parse_crun_status(text, size, &bundle) == 0) {
        if (!bundle || bundle[0] != '/')
            abort();
        free(bundle);
    }
    scw_meta_parse_oci_flags(text, size, "/run/x/config.json", SCW_META_OCI_LABELS, &c);
    release(&c);
    scw_meta_parse_libpod_config(text, size, &c);
    release(&c);
    uint32_t uid;
    char *home = NULL, *name = NULL;
    if (scw_meta_parse_passwd(text, size, "scwrl", 0, &uid, &home) == 0)
        free(home);
    if (scw_meta_parse_passwd(text, size, NULL, 1001, &uid, &home) == 0)
        free(home);
    bundle = NULL;
    if (scw_meta_parse_nspawn_cmdline(text, size, &name, &bundle) == 0) {
        if (!name || (bundle && bundle[0] != '/'))
            abort();
        free(name);
        free(bundle);
    }
    return 0;
}
