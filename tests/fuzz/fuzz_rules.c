/*
 * fuzz_rules: the rule-file loader (libyaml events -> tree -> validation -> group expansion)
 * on arbitrary bytes, then the matching functions on whatever loaded. A valid input is also
 * layered onto itself (the append and duplicate-name paths). Nothing may crash, leak or hang.
 */
#include <stdint.h>
#include <stdlib.h>

#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(const struct scw_rules *rs)
{
    char *labels[] = {"app=web", "tier=frontend", NULL};
    struct scw_container c = {
        .runtime = "docker",
        .id = "3f2a9c",
        .name = "web-1",
        .image = "docker.io/library/nginx:1.25",
        .cgroup = "/docker/3f2a9c",
        .pod = "web-7d9",
        .namespace = "prod",
        .k8s_container = "web",
        .labels = labels,
    };
    const char *exes[] = {"/usr/sbin/nginx", "/bin/sh"};
    static const char *const syscalls[] = {"read", "mount", "ptrace", "splice", "init_module"};
    for (size_t i = 0; i < sizeof(syscalls) / sizeof(syscalls[0]); i++) {
        struct scw_decision d;
        scw_rules_decide(rs, &c, exes, 2, "x86_64", syscalls[i], 2, 1, &d);
        scw_rules_decide(rs, NULL, exes, 1, "aarch64", syscalls[i], 100, 16, &d);
        scw_rules_ignores(rs, &c, exes[0], "nginx", syscalls[i]);
    }
    scw_rules_decide(rs, NULL, NULL, 0, NULL, NULL, 0, 0, NULL);
    scw_rules_profile_for(rs, &c, exes, 2);
    for (size_t i = 0; i < rs->n_groups; i++)
        scw_rules_group(rs, rs->groups[i].name);
    /* decisions stay sorted and unique: each one is found by its own key */
    scw_rules_human_decision(rs, "web", "read");
    for (size_t i = 0; i < rs->n_decisions; i++)
        if (scw_rules_human_decision(rs, rs->decisions[i].group, rs->decisions[i].syscall) !=
            &rs->decisions[i])
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct scw_rules *rs = scw_rules_new();
    if (!rs)
        return 0;
    char *err = NULL;
    if (scw_rules_load_buffer(rs, "fuzz.yaml", (const char *)data, size, &err) == 0) {
        exercise(rs);
        if (scw_rules_load_buffer(rs, "again.yaml", (const char *)data, size, &err) == 0)
            exercise(rs);
    }
    free(err);
    scw_rules_free(rs);
    return 0;
}
