/*
 * vulns_trivy: the reader of Trivy's report (-f json, SchemaVersion 2): the image's names
 * (ArtifactName, Metadata.RepoTags, RepoDigests, ImageID) when the artifact is a container
 * image, and the vulnerabilities of every Results[] target. Trivy's list format from before
 * version 0.20 is not read. This file does not parse JSON text or keep the report
 * (vulns_read.c, vulns.c). Caller: vulns_read.c, through scw_vulns_trivy_format (vulns_impl.h).
 */
#include "vulns_impl.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* -- Trivy (-f json, SchemaVersion 2): {ArtifactName, ArtifactType, Metadata: {ImageID,
 *          RepoTags, RepoDigests}, Results: [{Target, Vulnerabilities: [{VulnerabilityID,
 *          PkgName, InstalledVersion, FixedVersion, Severity}]}]} */

static int trivy_vuln(struct scw_vulns_reader *rd, const json_t *it, void *ctx)
{
    const char *target = ctx;
    static const char need[] = "every Trivy vulnerability has VulnerabilityID, PkgName and "
                               "Severity";
    int rc = scw_vulns_read_expect_object(rd, it, "a Trivy vulnerability");
    struct scw_vuln *v;
    if (rc < 0 || (rc = scw_vulns_read_new_vuln(rd, &v)) < 0)
        return rc;
    if ((rc = scw_vulns_read_str(rd, it, "VulnerabilityID", need, NULL, &v->id)) < 0 ||
        (rc = scw_vulns_read_str(rd, it, "PkgName", need, NULL, &v->package)) < 0 ||
        (rc = scw_vulns_read_str(rd, it, "InstalledVersion", NULL, "", &v->installed)) < 0 ||
        (rc = scw_vulns_read_str(rd, it, "FixedVersion", NULL, "", &v->fixed)) < 0 ||
        (rc = scw_vulns_read_severity(rd, it, "Severity", NULL, need, &v->severity)) < 0)
        return rc;
    if (target && !(v->target = strdup(target)))
        return scw_vulns_read_oom(rd);
    return 0;
}

static int trivy_result(struct scw_vulns_reader *rd, const json_t *it, void *ctx)
{
    (void)ctx;
    int rc = scw_vulns_read_expect_object(rd, it, "a Trivy result");
    char *target = NULL;
    json_t *list;
    if (rc < 0 || (rc = scw_vulns_read_str(rd, it, "Target", NULL, NULL, &target)) < 0)
        return rc;
    if ((rc = scw_vulns_read_typed(rd, it, "Vulnerabilities", JSON_ARRAY, &list)) == 0 && list) {
        size_t old = scw_vulns_read_push_key(rd, "Vulnerabilities");
        rc = scw_vulns_read_each(rd, list, SIZE_MAX, "vulnerabilities", trivy_vuln, target);
        scw_vulns_read_pop(rd, old);
    }
    free(target);
    return rc;
}

static int read_trivy(struct scw_vulns_reader *rd, const json_t *root)
{
    json_t *sv = json_object_get(root, "SchemaVersion");
    if (sv && !(json_is_integer(sv) && json_integer_value(sv) == 2)) {
        size_t old = scw_vulns_read_push_key(rd, "SchemaVersion");
        if (json_is_integer(sv))
            scw_vulns_read_fail(rd, -EINVAL,
                                "unsupported Trivy SchemaVersion %lld (this scmpwatch reads 2)",
                                (long long)json_integer_value(sv));
        else
            scw_vulns_read_fail(rd, -EINVAL, "expected a number, found %s",
                                scw_vulns_read_kind_name(sv));
        scw_vulns_read_pop(rd, old);
        return rd->rc;
    }
    char *type = NULL;
    int rc = scw_vulns_read_str(rd, root, "ArtifactType", NULL, NULL, &type);
    if (rc < 0)
        return rc;
    bool image = !type || strcmp(type, "container_image") == 0;
    free(type);
    json_t *meta, *results;
    if (image) {
        if ((rc = scw_vulns_read_name_member(rd, root, "ArtifactName")) < 0 ||
            (rc = scw_vulns_read_typed(rd, root, "Metadata", JSON_OBJECT, &meta)) < 0)
            return rc;
        if (meta) {
            size_t old = scw_vulns_read_push_key(rd, "Metadata");
            if ((rc = scw_vulns_read_names_member(rd, meta, "RepoTags")) == 0 &&
                (rc = scw_vulns_read_names_member(rd, meta, "RepoDigests")) == 0)
                rc = scw_vulns_read_name_member(rd, meta, "ImageID");
            scw_vulns_read_pop(rd, old);
            if (rc < 0)
                return rc;
        }
    }
    if ((rc = scw_vulns_read_typed(rd, root, "Results", JSON_ARRAY, &results)) < 0 || !results)
        return rc;
    size_t old = scw_vulns_read_push_key(rd, "Results");
    rc = scw_vulns_read_each(rd, results, SCW_VULNS_MAX_GROUPS, "results", trivy_result, NULL);
    scw_vulns_read_pop(rd, old);
    return rc;
}

static bool detect_trivy(const json_t *root)
{
    return json_object_get(root, "SchemaVersion") || json_object_get(root, "ArtifactName") ||
           json_object_get(root, "Results");
}

const struct scw_vulns_format_ops scw_vulns_trivy_format = {
    .format = SCW_VULN_FORMAT_TRIVY,
    .detect = detect_trivy,
    .read = read_trivy,
};
