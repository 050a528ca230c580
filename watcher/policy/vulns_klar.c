/*
 * vulns_klar: the reader of klar's report (JSON_OUTPUT=true; klar prints what Clair found):
 * vulnerabilities grouped by severity, each with its own Severity (else its group's), Name,
 * FeatureName, FeatureVersion and FixedBy. klar's reports name no image: they need IMAGE=PATH
 * (vulns.c says so). This file does not parse JSON text or keep the report (vulns_read.c,
 * vulns.c). Caller: vulns_read.c, through scw_vulns_klar_format (vulns_impl.h).
 */
#include "vulns_impl.h"

#include <errno.h>
#include <stdint.h>

/* -- klar: {"LayerCount": N, "Vulnerabilities": {"High": [{Name, Severity, FeatureName,
 *          FeatureVersion, FixedBy...}], ...}} */

static int klar_vuln(struct scw_vulns_reader *rd, const json_t *it, void *ctx)
{
    const char *group = ctx;
    static const char need[] = "every klar vulnerability has Name and FeatureName";
    int rc = scw_vulns_read_expect_object(rd, it, "a klar vulnerability");
    struct scw_vuln *v;
    if (rc < 0 || (rc = scw_vulns_read_new_vuln(rd, &v)) < 0)
        return rc;
    if ((rc = scw_vulns_read_str(rd, it, "Name", need, NULL, &v->id)) < 0 ||
        (rc = scw_vulns_read_str(rd, it, "FeatureName", need, NULL, &v->package)) < 0 ||
        (rc = scw_vulns_read_str(rd, it, "FeatureVersion", NULL, "", &v->installed)) < 0 ||
        (rc = scw_vulns_read_str(rd, it, "FixedBy", NULL, "", &v->fixed)) < 0)
        return rc;
    /* the vulnerability's own Severity, else the group it is listed under */
    return scw_vulns_read_severity(rd, it, "Severity", group, need, &v->severity);
}

static int read_klar(struct scw_vulns_reader *rd, const json_t *root)
{
    json_t *lc = json_object_get(root, "LayerCount");
    if (!json_is_integer(lc)) {
        size_t old = scw_vulns_read_push_key(rd, "LayerCount");
        scw_vulns_read_fail(rd, -EINVAL, "expected a number, found %s",
                            scw_vulns_read_kind_name(lc));
        scw_vulns_read_pop(rd, old);
        return rd->rc;
    }
    json_t *groups;
    int rc = scw_vulns_read_typed(rd, root, "Vulnerabilities", JSON_OBJECT, &groups);
    if (rc < 0 || !groups)
        return rc;
    size_t old = scw_vulns_read_push_key(rd, "Vulnerabilities");
    if (json_object_size(groups) > SCW_VULNS_MAX_GROUPS)
        rc = scw_vulns_read_fail(rd, -E2BIG, "more than %d severity groups (the limit)",
                                 SCW_VULNS_MAX_GROUPS);
    const char *key;
    json_t *list;
    json_object_foreach(groups, key, list)
    {
        if (rc < 0)
            break;
        if (json_is_null(list))
            continue;
        size_t o2 = scw_vulns_read_push_key(rd, key);
        if (!json_is_array(list))
            rc = scw_vulns_read_fail(rd, -EINVAL, "expected a list of vulnerabilities, found %s",
                                     scw_vulns_read_kind_name(list));
        else
            rc = scw_vulns_read_each(rd, list, SIZE_MAX, "vulnerabilities", klar_vuln, (void *)key);
        scw_vulns_read_pop(rd, o2);
    }
    scw_vulns_read_pop(rd, old);
    return rc;
}

static bool detect_klar(const json_t *root)
{
    return json_object_get(root, "LayerCount") && json_object_get(root, "Vulnerabilities");
}

const struct scw_vulns_format_ops scw_vulns_klar_format = {
    .format = SCW_VULN_FORMAT_KLAR,
    .detect = detect_klar,
    .read = read_klar,
};
