/*
 * vulns_grype: the reader of Grype's report (-o json): the image's names (source.target:
 * userInput without its scheme, tags, repoDigests, imageID, manifestDigest) when the source
 * is an image, and one vulnerability per match, with its related ids as aliases, its fixed
 * versions joined and the artifact's first location as target. This file does not parse JSON
 * text or keep the report (vulns_read.c, vulns.c). Caller: vulns_read.c, through
 * scw_vulns_grype_format (vulns_impl.h).
 */
#include "vulns_impl.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* -- Grype (-o json): {matches: [{vulnerability: {id, severity, fix: {versions}},
 *          relatedVulnerabilities: [{id}], artifact: {name, version, locations: [{path}]}}],
 *          source: {type, target: {userInput, tags, repoDigests, imageID, manifestDigest}}} */

static int grype_alias(struct scw_vulns_reader *rd, const json_t *it, void *ctx)
{
    struct scw_vuln *v = ctx;
    int rc = scw_vulns_read_expect_object(rd, it, "a related vulnerability");
    char *id = NULL;
    if (rc < 0 || (rc = scw_vulns_read_str(rd, it, "id", "every related vulnerability has an id",
                                           NULL, &id)) < 0)
        return rc;
    if (strcasecmp(id, v->id) == 0) {
        free(id);
        return 0;
    }
    char **na = realloc(v->aliases, (v->n_aliases + 1) * sizeof(*na));
    if (!na) {
        free(id);
        return scw_vulns_read_oom(rd);
    }
    v->aliases = na;
    v->aliases[v->n_aliases++] = id;
    return 0;
}

/* fix.versions joined with ", " into *ret ("" when none). */
static int grype_fix(struct scw_vulns_reader *rd, const json_t *vuln, char **ret)
{
    json_t *fix, *versions;
    int rc = scw_vulns_read_typed(rd, vuln, "fix", JSON_OBJECT, &fix);
    if (rc < 0)
        return rc;
    char buf[SCW_VULNS_MAX_STRING + 1] = "";
    size_t len = 0;
    if (fix) {
        size_t old = scw_vulns_read_push_key(rd, "fix");
        if ((rc = scw_vulns_read_typed(rd, fix, "versions", JSON_ARRAY, &versions)) == 0 &&
            versions) {
            size_t o2 = scw_vulns_read_push_key(rd, "versions");
            size_t i;
            json_t *it;
            json_array_foreach(versions, i, it)
            {
                size_t o3 = scw_vulns_read_push_index(rd, i);
                size_t n = json_string_length(it);
                if (!json_is_string(it))
                    rc = scw_vulns_read_fail(rd, -EINVAL, "expected a string, found %s",
                                             scw_vulns_read_kind_name(it));
                else if (len + n + 2 > SCW_VULNS_MAX_STRING)
                    rc = scw_vulns_read_fail(rd, -E2BIG,
                                             "fixed versions longer than the %d-byte limit",
                                             SCW_VULNS_MAX_STRING);
                else if (scw_vulns_read_has_control(json_string_value(it), n))
                    rc = scw_vulns_read_fail(rd, -EINVAL, "control character in a string");
                else if (n)
                    len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? ", " : "",
                                            json_string_value(it));
                scw_vulns_read_pop(rd, o3);
                if (rc < 0)
                    break;
            }
            scw_vulns_read_pop(rd, o2);
        }
        scw_vulns_read_pop(rd, old);
    }
    if (rc == 0 && !(*ret = strdup(buf)))
        rc = scw_vulns_read_oom(rd);
    return rc;
}

static int grype_match(struct scw_vulns_reader *rd, const json_t *it, void *ctx)
{
    (void)ctx;
    int rc = scw_vulns_read_expect_object(rd, it, "a Grype match");
    if (rc < 0)
        return rc;
    json_t *vuln = scw_vulns_read_member(it, "vulnerability"),
           *art = scw_vulns_read_member(it, "artifact"), *rel, *locs;
    if (!vuln || !art)
        return scw_vulns_read_fail(
            rd, -EINVAL, "missing '%s' (every Grype match has vulnerability and artifact)",
            vuln ? "artifact" : "vulnerability");
    struct scw_vuln *v;
    if ((rc = scw_vulns_read_new_vuln(rd, &v)) < 0)
        return rc;
    static const char vneed[] = "every Grype vulnerability has id and severity";
    size_t old = scw_vulns_read_push_key(rd, "vulnerability");
    if ((rc = scw_vulns_read_expect_object(rd, vuln, "a Grype vulnerability")) == 0 &&
        (rc = scw_vulns_read_str(rd, vuln, "id", vneed, NULL, &v->id)) == 0 &&
        (rc = scw_vulns_read_severity(rd, vuln, "severity", NULL, vneed, &v->severity)) == 0)
        rc = grype_fix(rd, vuln, &v->fixed);
    scw_vulns_read_pop(rd, old);
    if (rc < 0)
        return rc;
    old = scw_vulns_read_push_key(rd, "artifact");
    if ((rc = scw_vulns_read_expect_object(rd, art, "a Grype artifact")) == 0 &&
        (rc = scw_vulns_read_str(rd, art, "name", "every Grype artifact has a name", NULL,
                                 &v->package)) == 0 &&
        (rc = scw_vulns_read_str(rd, art, "version", NULL, "", &v->installed)) == 0 &&
        (rc = scw_vulns_read_typed(rd, art, "locations", JSON_ARRAY, &locs)) == 0 && locs &&
        json_array_size(locs) > 0) {
        size_t o2 = scw_vulns_read_push_key(rd, "locations");
        size_t o3 = scw_vulns_read_push_index(rd, 0);
        json_t *loc = json_array_get(locs, 0);
        if ((rc = scw_vulns_read_expect_object(rd, loc, "a location")) == 0)
            rc = scw_vulns_read_str(rd, loc, "path", NULL, NULL, &v->target);
        scw_vulns_read_pop(rd, o3);
        scw_vulns_read_pop(rd, o2);
    }
    scw_vulns_read_pop(rd, old);
    if (rc < 0 ||
        (rc = scw_vulns_read_typed(rd, it, "relatedVulnerabilities", JSON_ARRAY, &rel)) < 0 || !rel)
        return rc;
    old = scw_vulns_read_push_key(rd, "relatedVulnerabilities");
    rc = scw_vulns_read_each(rd, rel, SCW_VULNS_MAX_ALIASES, "related vulnerabilities", grype_alias,
                             v);
    scw_vulns_read_pop(rd, old);
    return rc;
}

/*
 * Grype's userInput may carry a source scheme: "docker:nginx", "registry:nginx:1.21" name an
 * image ("registry:5000/app" is a host and port, not the scheme); archives and directories
 * ("docker-archive:img.tar", "dir:.") name none.
 */
static int grype_user_input(struct scw_vulns_reader *rd, const json_t *target)
{
    char *s = NULL;
    int rc = scw_vulns_read_str(rd, target, "userInput", NULL, NULL, &s);
    if (rc < 0 || !s)
        return rc;
    static const char *const image_schemes[] = {"docker:", "podman:", "registry:", NULL};
    static const char *const other_schemes[] = {
        "docker-archive:", "oci-archive:", "oci-dir:", "dir:",
        "file:",           "singularity:", "sbom:",    NULL};
    const char *ref = s;
    for (size_t i = 0; image_schemes[i]; i++) {
        size_t n = strlen(image_schemes[i]);
        if (strncmp(s, image_schemes[i], n) == 0 && strspn(s + n, "0123456789") == 0) {
            ref = s + n;
            break;
        }
    }
    bool other = false;
    for (size_t i = 0; other_schemes[i] && !other; i++)
        other = strncmp(ref, other_schemes[i], strlen(other_schemes[i])) == 0;
    if (!other)
        rc = scw_vulns_read_add_name(rd, ref);
    free(s);
    return rc;
}

static int read_grype(struct scw_vulns_reader *rd, const json_t *root)
{
    json_t *source, *matches;
    int rc = scw_vulns_read_typed(rd, root, "source", JSON_OBJECT, &source);
    if (rc < 0)
        return rc;
    json_t *target = source ? scw_vulns_read_member(source, "target") : NULL;
    char *type = NULL;
    if (source) {
        size_t old = scw_vulns_read_push_key(rd, "source");
        rc = scw_vulns_read_str(rd, source, "type", NULL, NULL, &type);
        if (rc == 0 && type && strcmp(type, "image") == 0 && target) {
            size_t o2 = scw_vulns_read_push_key(rd, "target");
            if ((rc = scw_vulns_read_expect_object(rd, target, "an image description")) == 0 &&
                (rc = grype_user_input(rd, target)) == 0 &&
                (rc = scw_vulns_read_names_member(rd, target, "tags")) == 0 &&
                (rc = scw_vulns_read_names_member(rd, target, "repoDigests")) == 0 &&
                (rc = scw_vulns_read_name_member(rd, target, "imageID")) == 0)
                rc = scw_vulns_read_name_member(rd, target, "manifestDigest");
            scw_vulns_read_pop(rd, o2);
        }
        scw_vulns_read_pop(rd, old);
        free(type);
        if (rc < 0)
            return rc;
    }
    if ((rc = scw_vulns_read_typed(rd, root, "matches", JSON_ARRAY, &matches)) < 0 || !matches)
        return rc;
    size_t old = scw_vulns_read_push_key(rd, "matches");
    rc = scw_vulns_read_each(rd, matches, SIZE_MAX, "vulnerabilities", grype_match, NULL);
    scw_vulns_read_pop(rd, old);
    return rc;
}

static bool detect_grype(const json_t *root)
{
    return json_object_get(root, "matches") &&
           (json_object_get(root, "source") || json_object_get(root, "descriptor"));
}

const struct scw_vulns_format_ops scw_vulns_grype_format = {
    .format = SCW_VULN_FORMAT_GRYPE,
    .detect = detect_grype,
    .read = read_grype,
};
