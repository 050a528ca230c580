/*
 * fuzz_vulns: the scanner-report reader (vulns.c). Each input is read as a report twice (as
 * named by itself, and with IMAGE=), then matched against a small rule set with CVE, package
 * and kernel blocks, and its first line is tried as an image reference and as the kernel
 * version strings host_kernel.c reads. Nothing may crash, leak or read out of bounds; a
 * refused report must leave the set unchanged with a message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_kernel.h"
#include "rules.h"
#include "vulns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char rules_yaml[] = "version: 1\n"
                                 "cve_blocks:\n"
                                 "  - name: dp\n"
                                 "    cves: [CVE-2022-0847]\n"
                                 "    kernel_below: [\"5.16.11\", \"5.15.25\"]\n"
                                 "    syscalls: [splice]\n"
                                 "    reason: r\n"
                                 "    link: https://example.org/dp\n"
                                 "  - name: ids\n"
                                 "    cves: [CVE-2021-3156, CVE-2021-4034, CVE-2022-0185]\n"
                                 "    syscalls: [setuid, unshare]\n"
                                 "    reason: r\n"
                                 "    link: https://example.org/ids\n"
                                 "  - name: pkg\n"
                                 "    package: sudo\n"
                                 "    severity: high\n"
                                 "    syscalls: [setgid]\n"
                                 "    reason: r\n"
                                 "    link: https://example.org/pkg\n";

static struct scw_rules *rules(void)
{
    static struct scw_rules *rs;
    if (!rs) {
        rs = scw_rules_new();
        if (!rs || scw_rules_load_buffer(rs, "fuzz.yaml", rules_yaml, strlen(rules_yaml), NULL) < 0)
            abort();
    }
    return rs;
}

static void check_hits(const struct scw_vulns *vs, const char *image, const char *kernel)
{
    struct scw_block_hit *h = NULL;
    size_t n = 0;
    if (scw_vulns_blocks_for(rules(), vs, image, kernel, &h, &n) < 0)
        return;
    char buf[512];
    for (size_t i = 0; i < n; i++) {
        scw_vulns_hit_evidence(&h[i], buf, sizeof(buf));
        json_t *j = scw_vulns_hit_json(&h[i]);
        json_decref(j);
    }
    (void)scw_vulns_block_for_syscall(h, n, "setuid");
    free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct scw_vulns *vs = scw_vulns_new();
    if (!vs)
        return 0;
    char *err = NULL;
    int rc = scw_vulns_add_buffer(vs, "fuzz.json", NULL, data, size, &err);
    if ((rc < 0) != (err != NULL) || (rc < 0 && vs->n_reports != 0))
        abort();
    free(err);
    err = NULL;
    rc = scw_vulns_add_buffer(vs, "fuzz.json", "nginx:1.25", data, size, &err);
    if ((rc < 0) != (err != NULL))
        abort();
    free(err);
    for (size_t i = 0; i < vs->n_reports; i++) {
        const struct scw_vuln_report *r = vs->reports[i];
        if (!r->n_names || !r->image)
            abort();
        check_hits(vs, r->names[0], "5.10.0");
        struct scw_block_hit *h = NULL;
        size_t n = 0;
        if (scw_vulns_report_blocks(rules(), r, NULL, &h, &n) == 0)
            free(h);
    }
    check_hits(vs, "nginx:1.25", NULL);

    /* the first line as an image reference */
    char ref[SCW_VULNS_MAX_IMAGE + 2];
    size_t n = 0;
    while (n < size && n < sizeof(ref) - 1 && data[n] != '\n')
        n++;
    memcpy(ref, data, n);
    ref[n] = '\0';
    char *c = NULL;
    if (scw_image_ref_canonical(ref, &c) == 0) {
        char *c2 = NULL;
        /* a canonical form is its own canonical form and matches the reference */
        if (scw_image_ref_canonical(c, &c2) != 0 || strcmp(c, c2) != 0 ||
            !scw_image_ref_match(ref, c))
            abort();
        free(c2);
        free(c);
    }
    /* the same line as uname -v and /proc/version_signature (host_kernel.c) */
    char kernel[128];
    scw_host_kernel_from(ref, ref, ref, kernel, sizeof(kernel));
    if (strlen(kernel) >= sizeof(kernel))
        abort();
    scw_vulns_free(vs);
    return 0;
}
