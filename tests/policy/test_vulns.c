/*
 * test_vulns: the scanner-report module. Reports written here in each format (klar, Trivy,
 * Grype: full, empty, without vulnerabilities, several targets), format detection, a table of
 * bad inputs with the exact message each gives, bounds, IMAGE=PATH arguments, image reference
 * normalisation and matching, and the cve_block matching (CVE id, alias, package and
 * severity, kernel_below against a release the test supplies), evidence text and JSON, and
 * the shipped rules/cve.yaml.
 */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules.h"
#include "rules_files.h"
#include "vulns.h"

/* ---- helpers -------------------------------------------------------------------------------- */

static const struct scw_vuln_report *add_ok(struct scw_vulns *vs, const char *path,
                                            const char *image, const char *json)
{
    char *err = NULL;
    size_t before = vs->n_reports;
    int rc = scw_vulns_add_buffer(vs, path, image, json, strlen(json), &err);
    if (rc < 0)
        fail_msg("unexpected error %d: %s", rc, err ? err : "(none)");
    assert_null(err);
    assert_int_equal(vs->n_reports, before + 1);
    return vs->reports[vs->n_reports - 1];
}

/* Add json expecting a refusal: returns the message (malloc'd); the set must not change. */
static char *add_err(struct scw_vulns *vs, const char *image, const char *json, int want_rc)
{
    char *err = NULL;
    size_t before = vs->n_reports;
    int rc = scw_vulns_add_buffer(vs, "r.json", image, json, strlen(json), &err);
    assert_int_equal(rc, want_rc);
    assert_non_null(err);
    assert_int_equal(vs->n_reports, before);
    return err;
}

static struct scw_rules *rules_ok(const char *yaml)
{
    struct scw_rules *rs = scw_rules_new();
    assert_non_null(rs);
    char *err = NULL;
    if (scw_rules_load_buffer(rs, "t.yaml", yaml, strlen(yaml), &err) < 0)
        fail_msg("rule file: %s", err);
    return rs;
}

static void assert_vuln(const struct scw_vuln *v, const char *id, enum scw_severity sev,
                        const char *package, const char *installed, const char *fixed,
                        const char *target)
{
    assert_string_equal(v->id, id);
    assert_int_equal(v->severity, sev);
    assert_string_equal(v->package, package);
    assert_string_equal(v->installed, installed);
    assert_string_equal(v->fixed, fixed);
    if (target)
        assert_string_equal(v->target, target);
    else
        assert_null(v->target);
}

/* ---- klar ----------------------------------------------------------------------------------- */

static const char klar_report[] =
    "{\"LayerCount\":4,\"Vulnerabilities\":{"
    "\"High\":[{\"Name\":\"CVE-2021-4034\",\"NamespaceName\":\"debian:11\",\"Description\":\"x\","
    "\"Link\":\"https://security-tracker.debian.org/tracker/CVE-2021-4034\",\"Severity\":\"High\","
    "\"FixedBy\":\"0.105-31+deb11u1\",\"FeatureName\":\"policykit-1\",\"FeatureVersion\":\"0.105-"
    "31\"},"
    "{\"Name\":\"CVE-2021-3156\",\"FeatureName\":\"sudo\",\"FeatureVersion\":\"1.9.5p2-3\"}],"
    "\"Defcon1\":[{\"Name\":\"CVE-2099-0001\",\"Severity\":\"Defcon1\",\"FixedBy\":\"\","
    "\"FeatureName\":\"openssl\",\"FeatureVersion\":\"1.1.1n-0\"}],"
    "\"Negligible\":[]}}\n";

static void test_klar(void **state)
{
    (void)state;
    struct scw_vulns *vs = scw_vulns_new();
    const struct scw_vuln_report *r =
        add_ok(vs, "klar.json", "registry.example.com/web:2", klar_report);
    assert_int_equal(r->format, SCW_VULN_FORMAT_KLAR);
    assert_string_equal(r->path, "klar.json");
    assert_string_equal(r->image, "registry.example.com/web:2");
    assert_true(r->image_from_user);
    assert_int_equal(r->n_names, 1);
    assert_string_equal(r->names[0], "registry.example.com/web:2");
    assert_int_equal(r->n_vulns, 3);
    assert_vuln(&r->vulns[0], "CVE-2021-4034", SCW_SEVERITY_HIGH, "policykit-1", "0.105-31",
                "0.105-31+deb11u1", NULL);
    /* no Severity of its own: the group it is listed under; no FixedBy: "" */
    assert_vuln(&r->vulns[1], "CVE-2021-3156", SCW_SEVERITY_HIGH, "sudo", "1.9.5p2-3", "", NULL);
    assert_vuln(&r->vulns[2], "CVE-2099-0001", SCW_SEVERITY_CRITICAL, "openssl", "1.1.1n-0", "",
                NULL);
    assert_int_equal(r->vulns[0].n_aliases, 0);
    assert_int_equal(r->by_severity[SCW_SEVERITY_HIGH], 2);
    assert_int_equal(r->by_severity[SCW_SEVERITY_CRITICAL], 1);
    assert_int_equal(r->by_severity[SCW_SEVERITY_LOW], 0);

    /* empty and absent vulnerability maps */
    r = add_ok(vs, "k2.json", "nginx", "{\"LayerCount\":1,\"Vulnerabilities\":{}}");
    assert_int_equal(r->n_vulns, 0);
    assert_string_equal(r->names[0], "docker.io/library/nginx:latest");
    r = add_ok(vs, "k3.json", "nginx", "{\"LayerCount\":1,\"Vulnerabilities\":null}");
    assert_int_equal(r->n_vulns, 0);
    r = add_ok(vs, "k4.json", "nginx", "{\"LayerCount\":1,\"Vulnerabilities\":{\"Low\":null}}");
    assert_int_equal(r->n_vulns, 0);
    assert_int_equal(vs->n_reports, 4);

    /* klar names no image */
    char *err = add_err(vs, NULL, klar_report, -EINVAL);
    assert_string_equal(err, "r.json: this klar report does not name a container image; give it "
                             "as IMAGE=r.json (e.g. nginx:1.25=r.json)");
    free(err);
    scw_vulns_free(vs);
}

/* ---- Trivy ---------------------------------------------------------------------------------- */

static const char trivy_report[] =
    "{\n"
    "  \"SchemaVersion\": 2,\n"
    "  \"CreatedAt\": \"2024-02-01T10:00:00Z\",\n"
    "  \"ArtifactName\": \"debian:10\",\n"
    "  \"ArtifactType\": \"container_image\",\n"
    "  \"Metadata\": {\n"
    "    \"OS\": {\"Family\": \"debian\", \"Name\": \"10.7\"},\n"
    "    \"ImageID\": \"sha256:"
    "1111111111111111111111111111111111111111111111111111111111111111\",\n"
    "    \"RepoTags\": [\"debian:10\", \"mirror.example.com:5000/debian:10\"],\n"
    "    \"RepoDigests\": [\"debian@sha256:"
    "2222222222222222222222222222222222222222222222222222222222222222\"]\n"
    "  },\n"
    "  \"Results\": [\n"
    "    {\"Target\": \"debian:10 (debian 10.7)\", \"Class\": \"os-pkgs\", \"Type\": \"debian\",\n"
    "     \"Vulnerabilities\": [\n"
    "      {\"VulnerabilityID\": \"CVE-2021-3156\", \"PkgID\": \"sudo@1.8.27-1+deb10u2\",\n"
    "       \"PkgName\": \"sudo\", \"InstalledVersion\": \"1.8.27-1+deb10u2\",\n"
    "       \"FixedVersion\": \"1.8.27-1+deb10u3\", \"Status\": \"fixed\", \"Severity\": "
    "\"HIGH\",\n"
    "       \"CVSS\": {\"nvd\": {\"V3Score\": 7.8}}},\n"
    "      {\"VulnerabilityID\": \"CVE-2022-0847\", \"PkgName\": \"linux-libc-dev\",\n"
    "       \"InstalledVersion\": \"4.19.160-2\", \"Severity\": \"HIGH\"},\n"
    "      {\"VulnerabilityID\": \"CVE-2019-18634\", \"PkgName\": \"sudo\",\n"
    "       \"InstalledVersion\": \"1.8.27-1+deb10u2\", \"FixedVersion\": \"1.8.27-1+deb10u2\",\n"
    "       \"Severity\": \"LOW\"}\n"
    "    ]},\n"
    "    {\"Target\": \"Java\", \"Class\": \"lang-pkgs\", \"Type\": \"jar\"},\n"
    "    {\"Target\": \"usr/local/bin/app\", \"Class\": \"lang-pkgs\", \"Type\": \"gobinary\",\n"
    "     \"Vulnerabilities\": [\n"
    "      {\"VulnerabilityID\": \"GHSA-abcd-efgh-ijkl\", \"PkgName\": \"golang.org/x/net\",\n"
    "       \"InstalledVersion\": \"v0.0.1\", \"FixedVersion\": \"0.7.0\", \"Severity\": "
    "\"MEDIUM\"}\n"
    "    ]}\n"
    "  ]\n"
    "}\n";

static void test_trivy(void **state)
{
    (void)state;
    struct scw_vulns *vs = scw_vulns_new();
    const struct scw_vuln_report *r = add_ok(vs, "trivy.json", NULL, trivy_report);
    assert_int_equal(r->format, SCW_VULN_FORMAT_TRIVY);
    assert_false(r->image_from_user);
    assert_string_equal(r->image, "docker.io/library/debian:10");
    assert_int_equal(r->n_names, 4); /* ArtifactName and RepoTags[0] are one name */
    assert_string_equal(r->names[0], "docker.io/library/debian:10");
    assert_string_equal(r->names[1], "mirror.example.com:5000/debian:10");
    assert_string_equal(r->names[2],
                        "docker.io/library/debian@sha256:"
                        "2222222222222222222222222222222222222222222222222222222222222222");
    assert_string_equal(r->names[3],
                        "sha256:1111111111111111111111111111111111111111111111111111111111111111");
    assert_int_equal(r->n_vulns, 4);
    assert_vuln(&r->vulns[0], "CVE-2021-3156", SCW_SEVERITY_HIGH, "sudo", "1.8.27-1+deb10u2",
                "1.8.27-1+deb10u3", "debian:10 (debian 10.7)");
    assert_vuln(&r->vulns[1], "CVE-2022-0847", SCW_SEVERITY_HIGH, "linux-libc-dev", "4.19.160-2",
                "", "debian:10 (debian 10.7)");
    assert_vuln(&r->vulns[2], "CVE-2019-18634", SCW_SEVERITY_LOW, "sudo", "1.8.27-1+deb10u2",
                "1.8.27-1+deb10u2", "debian:10 (debian 10.7)");
    assert_vuln(&r->vulns[3], "GHSA-abcd-efgh-ijkl", SCW_SEVERITY_MEDIUM, "golang.org/x/net",
                "v0.0.1", "0.7.0", "usr/local/bin/app");
    assert_int_equal(r->by_severity[SCW_SEVERITY_HIGH], 2);
    assert_int_equal(r->by_severity[SCW_SEVERITY_MEDIUM], 1);
    assert_int_equal(r->by_severity[SCW_SEVERITY_LOW], 1);

    /* the report is found by any of its names */
    assert_true(scw_vulns_report_matches(r, "debian:10"));
    assert_true(scw_vulns_report_matches(r, "docker.io/library/debian:10"));
    assert_true(scw_vulns_report_matches(r, "mirror.example.com:5000/debian:10"));
    assert_true(scw_vulns_report_matches(
        r, "debian@sha256:2222222222222222222222222222222222222222222222222222222222222222"));
    assert_true(scw_vulns_report_matches(
        r, "1111111111111111111111111111111111111111111111111111111111111111"));
    assert_false(scw_vulns_report_matches(r, "debian:11"));
    assert_false(scw_vulns_report_matches(r, "debian"));
    assert_false(scw_vulns_report_matches(r, NULL));

    /* the user's image replaces the report's names */
    r = add_ok(vs, "trivy.json", "app:1", trivy_report);
    assert_int_equal(r->n_names, 1);
    assert_string_equal(r->image, "app:1");
    assert_false(scw_vulns_report_matches(r, "debian:10"));
    scw_vulns_free(vs);
}

static void test_trivy_empty(void **state)
{
    (void)state;
    struct scw_vulns *vs = scw_vulns_new();
    /* Trivy leaves out Results when nothing was found */
    const struct scw_vuln_report *r =
        add_ok(vs, "t1.json", NULL,
               "{\"SchemaVersion\":2,\"ArtifactName\":\"alpine:3.19\",\"ArtifactType\":"
               "\"container_image\",\"Metadata\":{\"RepoTags\":[\"alpine:3.19\"]}}");
    assert_int_equal(r->format, SCW_VULN_FORMAT_TRIVY);
    assert_int_equal(r->n_vulns, 0);
    assert_string_equal(r->image, "docker.io/library/alpine:3.19");
    /* results without vulnerabilities, and null lists */
    r = add_ok(vs, "t2.json", NULL,
               "{\"SchemaVersion\":2,\"ArtifactName\":\"alpine:3.19\",\"Results\":[{\"Target\":"
               "\"alpine:3.19 (alpine 3.19.1)\",\"Class\":\"os-pkgs\"},{\"Target\":\"x\","
               "\"Vulnerabilities\":null}]}");
    assert_int_equal(r->n_vulns, 0);
    r = add_ok(vs, "t3.json", NULL, "{\"ArtifactName\":\"alpine\",\"Results\":null}");
    assert_int_equal(r->n_vulns, 0);
    assert_string_equal(r->image, "docker.io/library/alpine:latest");

    /* a filesystem scan names no image */
    static const char fs[] = "{\"SchemaVersion\":2,\"ArtifactName\":\".\",\"ArtifactType\":"
                             "\"filesystem\",\"Results\":[]}";
    char *err = add_err(vs, NULL, fs, -EINVAL);
    assert_string_equal(err, "r.json: this trivy report does not name a container image; give "
                             "it as IMAGE=r.json (e.g. nginx:1.25=r.json)");
    free(err);
    r = add_ok(vs, "fs.json", "app:2", fs);
    assert_string_equal(r->names[0], "docker.io/library/app:2");
    scw_vulns_free(vs);
}

/* ---- Grype ---------------------------------------------------------------------------------- */

static const char grype_report[] =
    "{\"matches\": [\n"
    " {\"vulnerability\": {\"id\": \"CVE-2021-3156\", \"dataSource\": \"x\", \"namespace\": "
    "\"debian:distro:debian:10\", \"severity\": \"High\", \"urls\": [],\n"
    "   \"fix\": {\"versions\": [\"1.8.27-1+deb10u3\"], \"state\": \"fixed\"}},\n"
    "  \"relatedVulnerabilities\": [{\"id\": \"CVE-2021-3156\", \"severity\": \"High\"}],\n"
    "  \"matchDetails\": [],\n"
    "  \"artifact\": {\"id\": \"a1\", \"name\": \"sudo\", \"version\": \"1.8.27-1+deb10u2\", "
    "\"type\": \"deb\",\n"
    "   \"locations\": [{\"path\": \"/var/lib/dpkg/status\", \"layerID\": \"sha256:ab\"}]}},\n"
    " {\"vulnerability\": {\"id\": \"GHSA-xxxx-yyyy-zzzz\", \"severity\": \"Critical\",\n"
    "   \"fix\": {\"versions\": [\"2.0.1\", \"1.9.9\"], \"state\": \"fixed\"}},\n"
    "  \"relatedVulnerabilities\": [{\"id\": \"CVE-2022-0185\"}, {\"id\": \"CVE-2099-1\"}],\n"
    "  \"artifact\": {\"name\": \"left-pad\", \"version\": \"1.0.0\", \"type\": \"npm\",\n"
    "   \"locations\": [{\"path\": \"/app/node_modules/left-pad/package.json\"}, {\"path\": "
    "\"/b\"}]}},\n"
    " {\"vulnerability\": {\"id\": \"CVE-2021-4034\", \"severity\": \"Negligible\", \"fix\": "
    "{\"versions\": [], \"state\": \"not-fixed\"}},\n"
    "  \"artifact\": {\"name\": \"pkexec\"}}\n"
    "],\n"
    " \"source\": {\"type\": \"image\", \"target\": {\"userInput\": \"docker:nginx:1.25\",\n"
    "   \"imageID\": \"sha256:3333333333333333333333333333333333333333333333333333333333333333\",\n"
    "   \"manifestDigest\": "
    "\"sha256:4444444444444444444444444444444444444444444444444444444444444444\",\n"
    "   \"tags\": [\"nginx:1.25\", \"nginx:latest\"],\n"
    "   \"repoDigests\": [\"nginx@sha256:"
    "4444444444444444444444444444444444444444444444444444444444444444\"],\n"
    "   \"layers\": [], \"architecture\": \"amd64\", \"os\": \"linux\"}},\n"
    " \"distro\": {\"name\": \"debian\", \"version\": \"12\"},\n"
    " \"descriptor\": {\"name\": \"grype\", \"version\": \"0.74.0\"}}\n";

static void test_grype(void **state)
{
    (void)state;
    struct scw_vulns *vs = scw_vulns_new();
    const struct scw_vuln_report *r = add_ok(vs, "grype.json", NULL, grype_report);
    assert_int_equal(r->format, SCW_VULN_FORMAT_GRYPE);
    assert_string_equal(r->image, "docker.io/library/nginx:1.25");
    assert_int_equal(r->n_names, 5);
    assert_string_equal(r->names[1], "docker.io/library/nginx:latest");
    assert_string_equal(r->names[2],
                        "docker.io/library/nginx@sha256:"
                        "4444444444444444444444444444444444444444444444444444444444444444");
    assert_string_equal(r->names[3],
                        "sha256:3333333333333333333333333333333333333333333333333333333333333333");
    assert_string_equal(r->names[4],
                        "sha256:4444444444444444444444444444444444444444444444444444444444444444");
    assert_int_equal(r->n_vulns, 3);
    assert_vuln(&r->vulns[0], "CVE-2021-3156", SCW_SEVERITY_HIGH, "sudo", "1.8.27-1+deb10u2",
                "1.8.27-1+deb10u3", "/var/lib/dpkg/status");
    assert_int_equal(r->vulns[0].n_aliases, 0); /* its own id is not an alias */
    assert_vuln(&r->vulns[1], "GHSA-xxxx-yyyy-zzzz", SCW_SEVERITY_CRITICAL, "left-pad", "1.0.0",
                "2.0.1, 1.9.9", "/app/node_modules/left-pad/package.json");
    assert_int_equal(r->vulns[1].n_aliases, 2);
    assert_string_equal(r->vulns[1].aliases[0], "CVE-2022-0185");
    assert_string_equal(r->vulns[1].aliases[1], "CVE-2099-1");
    assert_vuln(&r->vulns[2], "CVE-2021-4034", SCW_SEVERITY_NEGLIGIBLE, "pkexec", "", "", NULL);
    /* a workload pinned by manifest digest finds it */
    assert_true(scw_vulns_report_matches(
        r, "docker.io/library/nginx@sha256:"
           "4444444444444444444444444444444444444444444444444444444444444444"));
    assert_true(scw_vulns_report_matches(r, "nginx"));
    scw_vulns_free(vs);
}

static void test_grype_empty(void **state)
{
    (void)state;
    struct scw_vulns *vs = scw_vulns_new();
    const struct scw_vuln_report *r =
        add_ok(vs, "g1.json", NULL,
               "{\"matches\":[],\"source\":{\"type\":\"image\",\"target\":{\"userInput\":"
               "\"registry:localhost:5000/team/app:3\"}},\"descriptor\":{\"name\":\"grype\"}}");
    assert_int_equal(r->n_vulns, 0);
    assert_string_equal(r->image, "localhost:5000/team/app:3");
    /* "registry:5000/app" is a registry host with a port, not the registry: scheme */
    r = add_ok(vs, "g2.json", NULL,
               "{\"matches\":null,\"source\":{\"type\":\"image\",\"target\":{\"userInput\":"
               "\"registry:5000/app\"}}}");
    assert_string_equal(r->image, "registry:5000/app:latest");
    /* a directory scan, or an archive, names no image */
    static const char dir[] = "{\"matches\":[],\"source\":{\"type\":\"directory\",\"target\":"
                              "\"/srv/rootfs\"}}";
    char *err = add_err(vs, NULL, dir, -EINVAL);
    assert_string_equal(err, "r.json: this grype report does not name a container image; give "
                             "it as IMAGE=r.json (e.g. nginx:1.25=r.json)");
    free(err);
    err = add_err(vs, NULL,
                  "{\"matches\":[],\"source\":{\"type\":\"image\",\"target\":{\"userInput\":"
                  "\"docker-archive:img.tar\"}}}",
                  -EINVAL);
    free(err);
    r = add_ok(vs, "dir.json", "app:7", dir);
    assert_string_equal(r->image, "app:7");
    assert_int_equal(vs->n_reports, 3);
    scw_vulns_free(vs);
}

/* ---- detection and bad input ---------------------------------------------------------------- */

static const struct {
    const char *name, *json, *image;
    int rc;
    const char *error;
} bad[] = {
    {"empty", "", NULL, -EINVAL,
     "r.json: empty file (expected the JSON output of klar, Trivy or Grype)"},
    {"blank", " \n\t\n", NULL, -EINVAL,
     "r.json: empty file (expected the JSON output of klar, Trivy or Grype)"},
    {"truncated", "{\"SchemaVersion\": 2, \"Results\": [\n  {\"Target\": \"x\"", NULL, -EINVAL,
     "r.json: truncated JSON (the file ends inside a value), at line 2, column 16"},
    {"syntax", "{\"matches\": [}\n", NULL, -EINVAL,
     "r.json: invalid JSON: unexpected token near '}', at line 1, column 14"},
    {"trailing", "{\"matches\": []} x", NULL, -EINVAL,
     "r.json: invalid JSON: end of file expected near 'x', at line 1, column 17"},
    {"duplicate", "{\"Results\": [], \"Results\": []}", NULL, -EINVAL,
     "r.json: invalid JSON: duplicate object key near '\"Results\"', at line 1, column 25"},
    {"nul", "{\"ArtifactName\": \"a\\u0000b\"}", NULL, -EINVAL,
     "r.json: invalid JSON: \\u0000 is not allowed without JSON_ALLOW_NUL near "
     "'\"a\\u0000b\"', at line 1, column 27"},
    {"list", "[{\"Target\": \"alpine:3.10 (alpine 3.10.2)\"}]", NULL, -EINVAL,
     "r.json: not a scanner report: the top level is a list (expected the object that klar "
     "JSON_OUTPUT=true, trivy -f json or grype -o json write; Trivy's list format from before "
     "version 0.20 is not read), at the top level"},
    {"string", "\"hello\"", NULL, -EINVAL,
     "r.json: not a scanner report: the top level is a string (expected the object that klar "
     "JSON_OUTPUT=true, trivy -f json or grype -o json write; Trivy's list format from before "
     "version 0.20 is not read), at the top level"},
    {"unknown", "{\"vulnerabilities\": []}", NULL, -EINVAL,
     "r.json: not a scanner report of a known format (expected klar's LayerCount and "
     "Vulnerabilities, Trivy's SchemaVersion, ArtifactName or Results, or Grype's matches and "
     "source at the top level), at the top level"},
    {"klar_only_vulns", "{\"Vulnerabilities\": {}}", NULL, -EINVAL,
     "r.json: not a scanner report of a known format (expected klar's LayerCount and "
     "Vulnerabilities, Trivy's SchemaVersion, ArtifactName or Results, or Grype's matches and "
     "source at the top level), at the top level"},
    {"klar_layercount", "{\"LayerCount\": \"3\", \"Vulnerabilities\": {}}", "a", -EINVAL,
     "r.json: expected a number, found a string, at .LayerCount"},
    {"klar_vulns_list", "{\"LayerCount\": 3, \"Vulnerabilities\": []}", "a", -EINVAL,
     "r.json: expected an object, found a list, at .Vulnerabilities"},
    {"klar_group_obj", "{\"LayerCount\": 3, \"Vulnerabilities\": {\"High\": {}}}", "a", -EINVAL,
     "r.json: expected a list of vulnerabilities, found an object, at .Vulnerabilities.High"},
    {"klar_vuln_str", "{\"LayerCount\": 3, \"Vulnerabilities\": {\"High\": [\"CVE-1\"]}}", "a",
     -EINVAL,
     "r.json: expected a klar vulnerability (an object), found a string, at "
     ".Vulnerabilities.High[0]"},
    {"klar_no_name",
     "{\"LayerCount\": 3, \"Vulnerabilities\": {\"High\": [{\"FeatureName\": \"x\"}]}}", "a",
     -EINVAL,
     "r.json: missing 'Name' (every klar vulnerability has Name and FeatureName), at "
     ".Vulnerabilities.High[0]"},
    {"klar_no_feature",
     "{\"LayerCount\": 3, \"Vulnerabilities\": {\"High\": [{\"Name\": \"CVE-1\"}]}}", "a", -EINVAL,
     "r.json: missing 'FeatureName' (every klar vulnerability has Name and FeatureName), at "
     ".Vulnerabilities.High[0]"},
    {"klar_bad_group",
     "{\"LayerCount\": 3, \"Vulnerabilities\": {\"Urgent\\u001b[2J\": [{\"Name\": \"CVE-1\", "
     "\"FeatureName\": \"x\"}]}}",
     "a", -EINVAL,
     "r.json: unknown severity 'Urgent?[2J' (expected one of: unknown, negligible, low, "
     "medium, high, critical, defcon1), at .Vulnerabilities[\"Urgent\\x1b[2J\"][0]"},
    {"trivy_schema", "{\"SchemaVersion\": 3, \"ArtifactName\": \"a\"}", NULL, -EINVAL,
     "r.json: unsupported Trivy SchemaVersion 3 (this scmpwatch reads 2), at .SchemaVersion"},
    {"trivy_schema_str", "{\"SchemaVersion\": \"2\", \"ArtifactName\": \"a\"}", NULL, -EINVAL,
     "r.json: expected a number, found a string, at .SchemaVersion"},
    {"trivy_results_obj", "{\"SchemaVersion\": 2, \"ArtifactName\": \"a\", \"Results\": {}}", NULL,
     -EINVAL, "r.json: expected a list, found an object, at .Results"},
    {"trivy_artifact_num", "{\"SchemaVersion\": 2, \"ArtifactName\": 7}", NULL, -EINVAL,
     "r.json: expected a string, found a number, at .ArtifactName"},
    {"trivy_tags_num", "{\"ArtifactName\": \"a\", \"Metadata\": {\"RepoTags\": [\"a:1\", 5]}}",
     NULL, -EINVAL, "r.json: expected a string, found a number, at .Metadata.RepoTags[1]"},
    {"trivy_no_pkg",
     "{\"ArtifactName\": \"a\", \"Results\": [{\"Target\": \"t\"}, {\"Vulnerabilities\": "
     "[{\"VulnerabilityID\": \"CVE-2021-1\", \"Severity\": \"LOW\"}]}]}",
     NULL, -EINVAL,
     "r.json: missing 'PkgName' (every Trivy vulnerability has VulnerabilityID, PkgName and "
     "Severity), at .Results[1].Vulnerabilities[0]"},
    {"trivy_no_severity",
     "{\"ArtifactName\": \"a\", \"Results\": [{\"Vulnerabilities\": [{\"VulnerabilityID\": "
     "\"CVE-2021-1\", \"PkgName\": \"p\"}]}]}",
     NULL, -EINVAL,
     "r.json: missing 'Severity' (every Trivy vulnerability has VulnerabilityID, PkgName and "
     "Severity), at .Results[0].Vulnerabilities[0]"},
    {"trivy_empty_id",
     "{\"ArtifactName\": \"a\", \"Results\": [{\"Vulnerabilities\": [{\"VulnerabilityID\": "
     "\"\", \"PkgName\": \"p\", \"Severity\": \"LOW\"}]}]}",
     NULL, -EINVAL,
     "r.json: empty 'VulnerabilityID' (every Trivy vulnerability has VulnerabilityID, PkgName "
     "and Severity), at .Results[0].Vulnerabilities[0].VulnerabilityID"},
    {"trivy_bad_severity",
     "{\"ArtifactName\": \"a\", \"Results\": [{\"Vulnerabilities\": [{\"VulnerabilityID\": "
     "\"CVE-2021-1\", \"PkgName\": \"p\", \"Severity\": \"IMPORTANT\"}]}]}",
     NULL, -EINVAL,
     "r.json: unknown severity 'IMPORTANT' (expected one of: unknown, negligible, low, medium, "
     "high, critical, defcon1), at .Results[0].Vulnerabilities[0].Severity"},
    {"trivy_fixed_num",
     "{\"ArtifactName\": \"a\", \"Results\": [{\"Vulnerabilities\": [{\"VulnerabilityID\": "
     "\"CVE-2021-1\", \"PkgName\": \"p\", \"Severity\": \"LOW\", \"FixedVersion\": 2}]}]}",
     NULL, -EINVAL,
     "r.json: expected a string, found a number, at "
     ".Results[0].Vulnerabilities[0].FixedVersion"},
    {"trivy_control",
     "{\"ArtifactName\": \"a\", \"Results\": [{\"Vulnerabilities\": [{\"VulnerabilityID\": "
     "\"CVE-2021-1\", \"PkgName\": \"p\\u001b]0;owned\\u0007\", \"Severity\": \"LOW\"}]}]}",
     NULL, -EINVAL,
     "r.json: control character in a string, at .Results[0].Vulnerabilities[0].PkgName"},
    {"trivy_c1", "{\"ArtifactName\": \"a\", \"Results\": [{\"Target\": \"x\\u009b2J\"}]}", NULL,
     -EINVAL, "r.json: control character in a string, at .Results[0].Target"},
    {"grype_match_str", "{\"matches\": [1], \"source\": {}}", NULL, -EINVAL,
     "r.json: expected a Grype match (an object), found a number, at .matches[0]"},
    {"grype_no_artifact",
     "{\"matches\": [{\"vulnerability\": {\"id\": \"CVE-1\", \"severity\": \"High\"}}], "
     "\"source\": {}}",
     NULL, -EINVAL,
     "r.json: missing 'artifact' (every Grype match has vulnerability and artifact), at "
     ".matches[0]"},
    {"grype_no_id",
     "{\"matches\": [{\"vulnerability\": {\"severity\": \"High\"}, \"artifact\": {\"name\": "
     "\"x\"}}], \"source\": {}}",
     NULL, -EINVAL,
     "r.json: missing 'id' (every Grype vulnerability has id and severity), at "
     ".matches[0].vulnerability"},
    {"grype_no_name",
     "{\"matches\": [{\"vulnerability\": {\"id\": \"CVE-1\", \"severity\": \"High\"}, "
     "\"artifact\": {\"version\": \"1\"}}], \"source\": {}}",
     NULL, -EINVAL,
     "r.json: missing 'name' (every Grype artifact has a name), at .matches[0].artifact"},
    {"grype_fix_num",
     "{\"matches\": [{\"vulnerability\": {\"id\": \"CVE-1\", \"severity\": \"High\", \"fix\": "
     "{\"versions\": [\"1\", null]}}, \"artifact\": {\"name\": \"x\"}}], \"source\": {}}",
     NULL, -EINVAL,
     "r.json: expected a string, found null, at .matches[0].vulnerability.fix.versions[1]"},
    {"grype_related_str",
     "{\"matches\": [{\"vulnerability\": {\"id\": \"CVE-1\", \"severity\": \"High\"}, "
     "\"artifact\": {\"name\": \"x\"}, \"relatedVulnerabilities\": [\"CVE-2\"]}], \"source\": "
     "{}}",
     NULL, -EINVAL,
     "r.json: expected a related vulnerability (an object), found a string, at "
     ".matches[0].relatedVulnerabilities[0]"},
    {"grype_source_list", "{\"matches\": [], \"source\": []}", NULL, -EINVAL,
     "r.json: expected an object, found a list, at .source"},
    {"grype_target_str", "{\"matches\": [], \"source\": {\"type\": \"image\", \"target\": 3}}",
     NULL, -EINVAL,
     "r.json: expected an image description (an object), found a number, at .source.target"},
    {"grype_locations_obj",
     "{\"matches\": [{\"vulnerability\": {\"id\": \"CVE-1\", \"severity\": \"High\"}, "
     "\"artifact\": {\"name\": \"x\", \"locations\": {}}}], \"source\": {}}",
     NULL, -EINVAL, "r.json: expected a list, found an object, at .matches[0].artifact.locations"},
    {"bad_user_image", "{\"matches\": [], \"source\": {}}", "Not An Image", -EINVAL,
     "r.json: invalid image reference 'Not An Image' (expected NAME[:TAG][@DIGEST], e.g. "
     "nginx:1.25 or registry.example.com:5000/team/app@sha256:...)"},
};

static void test_bad_input(void **state)
{
    (void)state;
    struct scw_vulns *vs = scw_vulns_new();
    unsigned failed = 0;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *err = NULL;
        int rc = scw_vulns_add_buffer(vs, "r.json", bad[i].image, bad[i].json, strlen(bad[i].json),
                                      &err);
        if (rc != bad[i].rc || !err || strcmp(err, bad[i].error) != 0) {
            print_error("case %s: rc %d (want %d)\n  got:  %s\n  want: %s\n", bad[i].name, rc,
                        bad[i].rc, err ? err : "(none)", bad[i].error);
            failed++;
        }
        free(err);
    }
    assert_int_equal(failed, 0);
    assert_int_equal(vs->n_reports, 0);
    /* ret_error may be NULL */
    assert_int_equal(scw_vulns_add_buffer(vs, "r.json", NULL, "[]", 2, NULL), -EINVAL);
    scw_vulns_free(vs);
}

/* A long key is cut in the path, which stays bounded. */
static void test_deep_path(void **state)
{
    (void)state;
    struct scw_vulns *vs = scw_vulns_new();
    char key[80];
    memset(key, 'k', sizeof(key) - 1);
    key[sizeof(key) - 1] = '\0';
    char *json = scw_test_asprintf(
        "{\"LayerCount\":1,\"Vulnerabilities\":{\"%s%s%s%s\":[{\"Name\":\"CVE-1\"}]}}", key, key,
        key, key);
    char *err = add_err(vs, "a", json, -EINVAL);
    assert_non_null(strstr(err, "r.json: missing 'FeatureName'"));
    assert_non_null(strstr(err, ", at .Vulnerabilities[\"kkkk"));
    free(err);
    free(json);
    scw_vulns_free(vs);
}

/* ---- bounds --------------------------------------------------------------------------------- */

static void test_bounds(void **state)
{
    (void)state;
    struct scw_vulns *vs = scw_vulns_new();
    /* a string over the limit */
    char *big = malloc(SCW_VULNS_MAX_STRING + 2);
    memset(big, 'v', SCW_VULNS_MAX_STRING + 1);
    big[SCW_VULNS_MAX_STRING + 1] = '\0';
    char *json = scw_test_asprintf("{\"ArtifactName\":\"a\",\"Results\":[{\"Vulnerabilities\":[{"
                                   "\"VulnerabilityID\":\"CVE-1\",\"PkgName\":\"p\",\"Severity\":"
                                   "\"LOW\",\"InstalledVersion\":\"%s\"}]}]}",
                                   big);
    char *err = add_err(vs, NULL, json, -E2BIG);
    assert_string_equal(err, "r.json: string of 4097 bytes, longer than the 4096-byte limit, at "
                             ".Results[0].Vulnerabilities[0].InstalledVersion");
    free(err);
    free(json);
    big[SCW_VULNS_MAX_STRING] = '\0'; /* exactly at the limit: accepted */
    json = scw_test_asprintf("{\"ArtifactName\":\"a\",\"Results\":[{\"Vulnerabilities\":[{"
                             "\"VulnerabilityID\":\"CVE-1\",\"PkgName\":\"p\",\"Severity\":"
                             "\"LOW\",\"InstalledVersion\":\"%s\"}]}]}",
                             big);
    const struct scw_vuln_report *r = add_ok(vs, "ok.json", NULL, json);
    assert_int_equal(strlen(r->vulns[0].installed), SCW_VULNS_MAX_STRING);
    free(json);
    free(big);

    /* too many image names: 65 distinct tags */
    size_t cap = 65 * 16 + 128, off = 0;
    json = malloc(cap);
    off += (size_t)snprintf(json, cap, "{\"ArtifactName\":\"a\",\"Metadata\":{\"RepoTags\":[");
    for (int i = 0; i < 65; i++)
        off += (size_t)snprintf(json + off, cap - off, "%s\"a:%d\"", i ? "," : "", i);
    snprintf(json + off, cap - off, "]}}");
    err = add_err(vs, NULL, json, -E2BIG);
    assert_string_equal(err, "r.json: more than 64 names for one image (the limit), at "
                             ".Metadata.RepoTags[63]");
    free(err);
    free(json);

    /* too many related ids */
    cap = 65 * 24 + 256;
    off = 0;
    json = malloc(cap);
    off += (size_t)snprintf(json, cap,
                            "{\"source\":{},\"matches\":[{\"vulnerability\":{\"id\":\"GHSA-1\","
                            "\"severity\":\"Low\"},\"artifact\":{\"name\":\"x\"},"
                            "\"relatedVulnerabilities\":[");
    for (int i = 0; i < 65; i++)
        off += (size_t)snprintf(json + off, cap - off, "%s{\"id\":\"CVE-%d\"}", i ? "," : "", i);
    snprintf(json + off, cap - off, "]}]}");
    err = add_err(vs, NULL, json, -E2BIG);
    assert_string_equal(err, "r.json: more than 64 related vulnerabilities (the limit), at "
                             ".matches[0].relatedVulnerabilities[64]");
    free(err);
    free(json);

    /* too many vulnerabilities in one report */
    static const char one[] = "{\"Name\":\"C\",\"FeatureName\":\"p\"},";
    size_t n = SCW_VULNS_MAX_VULNS + 1;
    cap = n * (sizeof(one) - 1) + 128;
    json = malloc(cap);
    off = (size_t)snprintf(json, cap, "{\"LayerCount\":1,\"Vulnerabilities\":{\"Low\":[");
    for (size_t i = 0; i < n; i++) {
        memcpy(json + off, one, sizeof(one) - 1);
        off += sizeof(one) - 1;
    }
    snprintf(json + off - 1, cap - off + 1, "]}}");
    err = add_err(vs, "a", json, -E2BIG);
    assert_string_equal(err, "r.json: more than 262144 vulnerabilities in one report (the limit), "
                             "at .Vulnerabilities.Low[262144]");
    free(err);
    free(json);

    /* the set is full at SCW_VULNS_MAX_REPORTS */
    struct scw_vulns *full = scw_vulns_new();
    static const char tiny[] = "{\"ArtifactName\":\"a\"}";
    for (int i = 0; i < SCW_VULNS_MAX_REPORTS; i++)
        assert_int_equal(scw_vulns_add_buffer(full, "t.json", NULL, tiny, strlen(tiny), NULL), 0);
    char *e2 = NULL;
    assert_int_equal(scw_vulns_add_buffer(full, "t.json", NULL, tiny, strlen(tiny), &e2), -E2BIG);
    assert_string_equal(e2, "t.json: more than 1024 reports (the limit)");
    free(e2);
    assert_int_equal(full->n_reports, SCW_VULNS_MAX_REPORTS);
    scw_vulns_free(full);
    assert_int_equal(vs->n_reports, 1);
    scw_vulns_free(vs);
}

/* ---- files and arguments -------------------------------------------------------------------- */

static void test_add_file(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *trivy = scw_test_asprintf("%s/trivy.json", dir);
    char *klar = scw_test_asprintf("%s/k=1.json", dir);
    char *huge = scw_test_asprintf("%s/huge.json", dir);
    scw_test_write_file(trivy, trivy_report, strlen(trivy_report));
    scw_test_write_file(klar, klar_report, strlen(klar_report));
    assert_int_equal(chdir(dir), 0);

    struct scw_vulns *vs = scw_vulns_new();
    char *err = NULL;
    assert_int_equal(scw_vulns_add_file(vs, trivy, &err), 0);
    assert_null(err);
    assert_string_equal(vs->reports[0]->path, trivy);
    /* IMAGE=PATH splits at the first '='; './' keeps a path whole */
    assert_int_equal(scw_vulns_add_file(vs, "nginx:1.25=./k=1.json", &err), 0);
    assert_string_equal(vs->reports[1]->image, "nginx:1.25");
    assert_string_equal(vs->reports[1]->path, "./k=1.json");
    assert_int_equal(scw_vulns_add_file(vs, "./k=1.json", &err), -EINVAL);
    assert_string_equal(err, "./k=1.json: this klar report does not name a container image; "
                             "give it as IMAGE=./k=1.json (e.g. nginx:1.25=./k=1.json)");
    free(err);
    err = NULL;
    assert_int_equal(scw_vulns_add_file(vs, "trivy.json", &err), 0);
    assert_int_equal(scw_vulns_add_file(vs, "=trivy.json", &err), -EINVAL);
    assert_string_equal(err, "'=trivy.json': no image name before '=' (expected IMAGE=PATH)");
    free(err);
    assert_int_equal(scw_vulns_add_file(vs, "nginx=", &err), -EINVAL);
    assert_string_equal(err, "'nginx=': no report file after '=' (expected IMAGE=PATH)");
    free(err);
    assert_int_equal(scw_vulns_add_file(vs, "Bad Image=trivy.json", &err), -EINVAL);
    assert_string_equal(err, "trivy.json: invalid image reference 'Bad Image' (expected "
                             "NAME[:TAG][@DIGEST], e.g. nginx:1.25 or "
                             "registry.example.com:5000/team/app@sha256:...)");
    free(err);
    assert_int_equal(scw_vulns_add_file(vs, "nginx=missing.json", &err), -ENOENT);
    assert_string_equal(err, "missing.json: cannot open the report: No such file or directory");
    free(err);
    assert_int_equal(scw_vulns_add_file(vs, "/nonexistent/dir/r.json", &err), -ENOENT);
    assert_string_equal(err, "/nonexistent/dir/r.json: cannot open the report: No such file or "
                             "directory");
    free(err);
    assert_int_equal(scw_vulns_add_file(vs, ".", &err), -EISDIR);
    assert_string_equal(err, ".: cannot read the report: Is a directory");
    free(err);
    /* a sparse file over the size limit is refused before it is read */
    FILE *f = fopen(huge, "w");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), (off_t)SCW_VULNS_MAX_FILE_SIZE + 1), 0);
    fclose(f);
    assert_int_equal(scw_vulns_add_file(vs, huge, &err), -EFBIG);
    char *want = scw_test_asprintf("%s: 67108865 bytes, more than the 67108864-byte limit for a "
                                   "scanner report",
                                   huge);
    assert_string_equal(err, want);
    free(want);
    free(err);
    assert_int_equal(vs->n_reports, 3);
    scw_vulns_free(vs);

    assert_int_equal(chdir("/"), 0);
    scw_test_rmtree(dir);
    free(dir);
    free(trivy);
    free(klar);
    free(huge);
}

/* ---- image references ----------------------------------------------------------------------- */

static const struct {
    const char *ref, *canonical; /* NULL: not a reference */
} refs[] = {
    {"nginx", "docker.io/library/nginx:latest"},
    {"nginx:latest", "docker.io/library/nginx:latest"},
    {"nginx:1.25.3-alpine", "docker.io/library/nginx:1.25.3-alpine"},
    {"docker.io/nginx", "docker.io/library/nginx:latest"},
    {"docker.io/library/nginx:latest", "docker.io/library/nginx:latest"},
    {"index.docker.io/library/nginx", "docker.io/library/nginx:latest"},
    {"bitnami/redis:7", "docker.io/bitnami/redis:7"},
    {"quay.io/prometheus/node-exporter:v1.7.0", "quay.io/prometheus/node-exporter:v1.7.0"},
    {"localhost/app", "localhost/app:latest"},
    {"localhost:5000/app:1", "localhost:5000/app:1"},
    {"LocalHost/app", "localhost/app:latest"},
    {"Higimpln/co:mpll", NULL}, /* found by the fuzzer: upper case is no registry host */
    {"Registry.Example.COM:5000/team/app", "registry.example.com:5000/team/app:latest"},
    /* Docker Hub's host in any case (fuzz_vulns crash in CI: canonical twice changed it) */
    {"doCker.io/argi22", "docker.io/library/argi22:latest"},
    {"DOCKER.IO/library/nginx:1", "docker.io/library/nginx:1"},
    {"Index.Docker.Io/team/app", "docker.io/team/app:latest"},
    {"docker.IO/team/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
     "docker.io/team/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
    {"Quay.IO/org/app:v1", "quay.io/org/app:v1"},
    {"gcr.io/distroless/static@sha256:"
     "ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
     "gcr.io/distroless/static@sha256:"
     "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"},
    {"nginx:1.25@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
     "docker.io/library/nginx:1.25@sha256:"
     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
    {"0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
     "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
    {"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
     "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
    {"my_org/my-app.v2:tag_1", "docker.io/my_org/my-app.v2:tag_1"},
    {"", NULL},
    {"NGINX", NULL},
    {"nginx:", NULL},
    {"nginx:-x", NULL},
    {"nginx@sha256:short", NULL},
    {"nginx@", NULL},
    {"@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", NULL},
    {"/nginx", NULL},
    {"nginx/", NULL},
    {"a//b", NULL},
    {"-nginx", NULL},
    {"nginx-", NULL},
    {"with space", NULL},
    {"host:port/app", NULL},
    {"host:123456/app", NULL},
    {"docker-archive:img.tar/x", NULL},
};

static void test_image_canonical(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
        char *c = NULL;
        int rc = scw_image_ref_canonical(refs[i].ref, &c);
        if (refs[i].canonical) {
            if (rc != 0 || strcmp(c, refs[i].canonical) != 0)
                fail_msg("'%s': got %s (%d), want %s", refs[i].ref, c ? c : "-", rc,
                         refs[i].canonical);
            /* canonical forms are fixed points */
            char *c2 = NULL;
            assert_int_equal(scw_image_ref_canonical(c, &c2), 0);
            assert_string_equal(c2, c);
            free(c2);
        } else if (rc != -EINVAL) {
            fail_msg("'%s': accepted as %s, want -EINVAL", refs[i].ref, c ? c : "-");
        }
        free(c);
    }
    char *c = NULL;
    assert_int_equal(scw_image_ref_canonical(NULL, &c), -EINVAL);
    char longref[SCW_VULNS_MAX_IMAGE + 2];
    memset(longref, 'a', sizeof(longref) - 1);
    longref[sizeof(longref) - 1] = '\0';
    assert_int_equal(scw_image_ref_canonical(longref, &c), -EINVAL);
    /* the bound holds for the canonical form too, which stays its own canonical form */
    longref[SCW_VULNS_MAX_IMAGE] = '\0';
    assert_int_equal(scw_image_ref_canonical(longref, &c), -EINVAL);
    size_t added = strlen("docker.io/library/:latest");
    longref[SCW_VULNS_MAX_IMAGE - added + 1] = '\0';
    assert_int_equal(scw_image_ref_canonical(longref, &c), -EINVAL);
    longref[SCW_VULNS_MAX_IMAGE - added] = '\0';
    assert_int_equal(scw_image_ref_canonical(longref, &c), 0);
    assert_int_equal(strlen(c), SCW_VULNS_MAX_IMAGE);
    char *c2 = NULL;
    assert_int_equal(scw_image_ref_canonical(c, &c2), 0);
    assert_string_equal(c2, c);
    free(c2);
    free(c);
}

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"

static const struct {
    const char *a, *b;
    bool match;
} matches[] = {
    {"nginx", "docker.io/library/nginx:latest", true},
    {"nginx", "nginx:latest", true},
    {"nginx:1.25", "docker.io/library/nginx:1.25", true},
    {"nginx:1.25", "nginx:1.24", false},
    {"nginx", "nginx:1.25", false},
    {"nginx", "quay.io/nginx", false},
    {"bitnami/nginx", "nginx", false},
    {"localhost:5000/app", "localhost:5001/app", false},
    {"localhost:5000/app:1", "LOCALHOST:5000/app:1", true},
    /* digests decide when both have one, whatever the names */
    {"nginx@" D1, "docker.io/library/nginx@" D1, true},
    {"nginx@" D1, "mirror.local/nginx@" D1, true},
    {"nginx:1.25@" D1, "nginx:1.25@" D2, false},
    {"nginx@" D1, D1, true},
    {"nginx@" D1, D2, false},
    /* a digest without a tag matches only by digest */
    {"nginx@" D1, "nginx", false},
    {"nginx@" D1, "nginx:latest", false},
    /* a tag with a digest still matches the same tag without one */
    {"nginx:1.25@" D1, "nginx:1.25", true},
    {D1, "nginx:1.25", false},
    {"nginx", "NGINX", false},
    {"nginx", "", false},
};

static void test_image_match(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(matches) / sizeof(matches[0]); i++) {
        if (scw_image_ref_match(matches[i].a, matches[i].b) != matches[i].match ||
            scw_image_ref_match(matches[i].b, matches[i].a) != matches[i].match)
            fail_msg("'%s' vs '%s': want %s", matches[i].a, matches[i].b,
                     matches[i].match ? "match" : "no match");
    }
    assert_false(scw_image_ref_match(NULL, "nginx"));
}

/* ---- matching cve_blocks -------------------------------------------------------------------- */

static const char block_rules[] = "version: 1\n"
                                  "cve_blocks:\n"
                                  "  - name: dirty-pipe\n"
                                  "    cves: [CVE-2022-0847]\n"
                                  "    kernel_below: \"5.16.11\"\n"
                                  "    syscalls: [splice]\n"
                                  "    reason: Dirty Pipe\n"
                                  "    link: https://example.org/dp\n"
                                  "  - name: sudo-cve\n"
                                  "    cves: [CVE-2019-18634, CVE-2021-3156]\n"
                                  "    syscalls: [setuid, setresuid]\n"
                                  "    reason: Baron Samedit\n"
                                  "    link: https://example.org/sudo\n"
                                  "  - name: sudo-pkg\n"
                                  "    package: sudo\n"
                                  "    severity: medium\n"
                                  "    syscalls: [setgid]\n"
                                  "    reason: sudo\n"
                                  "    link: https://example.org/pkg\n"
                                  "  - name: fsconfig\n"
                                  "    cves: [CVE-2022-0185]\n"
                                  "    syscalls: [fsconfig, unshare]\n"
                                  "    reason: fs\n"
                                  "    link: https://example.org/fs\n"
                                  "  - name: any-openssl\n"
                                  "    package: openssl\n"
                                  "    syscalls: [splice, bind]\n"
                                  "    reason: ssl\n"
                                  "    link: https://example.org/ssl\n";

static void test_blocks(void **state)
{
    (void)state;
    struct scw_rules *rs = rules_ok(block_rules);
    struct scw_vulns *vs = scw_vulns_new();
    add_ok(vs, "trivy.json", NULL, trivy_report);      /* debian:10: sudo HIGH+LOW, libc-dev */
    add_ok(vs, "grype.json", NULL, grype_report);      /* nginx:1.25: sudo, GHSA alias 0185 */
    add_ok(vs, "klar.json", "debian:10", klar_report); /* more for debian:10: openssl */

    struct scw_block_hit *h;
    size_t n;
    /* debian:10 on a fixed kernel: the kernel decides dirty-pipe, not linux-libc-dev */
    assert_int_equal(scw_vulns_blocks_for(rs, vs, "debian:10", "6.1.0-18-amd64", &h, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(h[0].block->name, "sudo-cve");
    assert_int_equal(h[0].cause, SCW_BLOCK_CAUSE_CVE);
    /* most severe first: HIGH CVE-2021-3156 over LOW CVE-2019-18634; the klar sudo too */
    assert_string_equal(h[0].cve, "CVE-2021-3156");
    assert_string_equal(h[0].vuln->fixed, "1.8.27-1+deb10u3");
    assert_string_equal(h[0].report->path, "trivy.json");
    assert_int_equal(h[0].n_matches, 3);
    assert_null(h[0].kernel_release);
    assert_string_equal(h[1].block->name, "sudo-pkg");
    assert_int_equal(h[1].cause, SCW_BLOCK_CAUSE_PACKAGE);
    assert_string_equal(h[1].cve, "CVE-2021-3156");
    assert_int_equal(h[1].n_matches, 2); /* LOW is below the medium minimum */
    assert_string_equal(h[2].block->name, "any-openssl");
    assert_string_equal(h[2].cve, "CVE-2099-0001");
    assert_int_equal(h[2].vuln->severity, SCW_SEVERITY_CRITICAL);
    assert_string_equal(h[2].report->path, "klar.json");

    /* the first hit covering a syscall, in rule-set order */
    assert_ptr_equal(scw_vulns_block_for_syscall(h, n, "setuid"), &h[0]);
    assert_ptr_equal(scw_vulns_block_for_syscall(h, n, "setgid"), &h[1]);
    assert_ptr_equal(scw_vulns_block_for_syscall(h, n, "splice"), &h[2]);
    assert_null(scw_vulns_block_for_syscall(h, n, "read"));
    assert_null(scw_vulns_block_for_syscall(h, n, NULL));
    assert_null(scw_vulns_block_for_syscall(NULL, 0, "setuid"));
    free(h);

    /* the same image on an old kernel: dirty-pipe by kernel, first; splice now from it */
    assert_int_equal(
        scw_vulns_blocks_for(rs, vs, "docker.io/library/debian:10", "5.10.0-8-amd64", &h, &n), 0);
    assert_int_equal(n, 4);
    assert_string_equal(h[0].block->name, "dirty-pipe");
    assert_int_equal(h[0].cause, SCW_BLOCK_CAUSE_KERNEL);
    assert_string_equal(h[0].cve, "CVE-2022-0847");
    assert_string_equal(h[0].kernel_release, "5.10.0-8-amd64");
    assert_null(h[0].vuln);
    assert_null(h[0].report);
    assert_int_equal(h[0].n_matches, 0);
    assert_string_equal(scw_vulns_block_for_syscall(h, n, "splice")->block->name, "dirty-pipe");
    free(h);

    /* kernel bounds: exactly at the bound is fixed */
    assert_int_equal(scw_vulns_blocks_for(rs, vs, NULL, "5.16.10", &h, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(h[0].block->name, "dirty-pipe");
    free(h);
    assert_int_equal(scw_vulns_blocks_for(rs, vs, NULL, "5.16.11", &h, &n), 0);
    assert_int_equal(n, 0);
    assert_null(h);
    assert_int_equal(scw_vulns_blocks_for(rs, vs, NULL, "not-a-kernel", &h, &n), 0);
    assert_int_equal(n, 0);

    /* kernel unknown: a kernel_below block falls back to image evidence (linux-libc-dev) */
    assert_int_equal(scw_vulns_blocks_for(rs, vs, "debian:10", NULL, &h, &n), 0);
    assert_int_equal(n, 4);
    assert_string_equal(h[0].block->name, "dirty-pipe");
    assert_int_equal(h[0].cause, SCW_BLOCK_CAUSE_CVE);
    assert_string_equal(h[0].vuln->package, "linux-libc-dev");
    assert_string_equal(h[0].vuln->fixed, "");
    free(h);

    /* nginx:1.25 (Grype): sudo by CVE and package; CVE-2022-0185 through an alias */
    assert_int_equal(scw_vulns_blocks_for(rs, vs, "nginx:1.25", "6.1.0", &h, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(h[0].block->name, "sudo-cve");
    assert_string_equal(h[0].report->path, "grype.json");
    assert_string_equal(h[1].block->name, "sudo-pkg");
    assert_string_equal(h[2].block->name, "fsconfig");
    assert_string_equal(h[2].cve, "CVE-2022-0185");
    assert_string_equal(h[2].vuln->id, "GHSA-xxxx-yyyy-zzzz");
    assert_string_equal(scw_vulns_block_for_syscall(h, n, "unshare")->block->name, "fsconfig");
    free(h);

    /* an image nobody scanned, an unknown image, an invalid one: nothing from reports */
    assert_int_equal(scw_vulns_blocks_for(rs, vs, "redis:7", "6.1.0", &h, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(scw_vulns_blocks_for(rs, vs, NULL, NULL, &h, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(scw_vulns_blocks_for(rs, vs, "NOT VALID", NULL, &h, &n), 0);
    assert_int_equal(n, 0);
    /* no reports at all, or an empty set */
    assert_int_equal(scw_vulns_blocks_for(rs, NULL, "debian:10", "5.4.0", &h, &n), 0);
    assert_int_equal(n, 1);
    free(h);

    /* one report alone: image evidence only, kernel_below skipped when the kernel is known */
    assert_int_equal(scw_vulns_report_blocks(rs, vs->reports[0], "5.4.0", &h, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(h[0].block->name, "sudo-cve");
    assert_int_equal(h[0].n_matches, 2);
    free(h);
    assert_int_equal(scw_vulns_report_blocks(rs, vs->reports[0], NULL, &h, &n), 0);
    assert_int_equal(n, 3);
    free(h);

    /* a rule set without blocks */
    struct scw_rules *none = rules_ok("version: 1\n");
    assert_int_equal(scw_vulns_blocks_for(none, vs, "debian:10", "4.0", &h, &n), 0);
    assert_int_equal(n, 0);
    assert_null(h);
    scw_rules_free(none);
    scw_vulns_free(vs);
    scw_rules_free(rs);
}

static void test_evidence(void **state)
{
    (void)state;
    struct scw_rules *rs = rules_ok(block_rules);
    struct scw_vulns *vs = scw_vulns_new();
    add_ok(vs, "trivy.json", NULL, trivy_report);
    add_ok(vs, "grype.json", NULL, grype_report);
    struct scw_block_hit *h;
    size_t n;
    char buf[256];
    assert_int_equal(scw_vulns_blocks_for(rs, vs, "debian:10", "5.10.0-8-amd64", &h, &n), 0);
    assert_int_equal(n, 3);
    scw_vulns_hit_evidence(&h[0], buf, sizeof(buf));
    assert_string_equal(buf, "host kernel 5.10.0-8-amd64 is older than 5.16.11 (CVE-2022-0847)");
    scw_vulns_hit_evidence(&h[1], buf, sizeof(buf));
    assert_string_equal(buf, "CVE-2021-3156 (high) in sudo 1.8.27-1+deb10u2, fixed in "
                             "1.8.27-1+deb10u3 (and 1 more matching)");
    /* truncation is safe */
    int len = scw_vulns_hit_evidence(&h[1], buf, 10);
    assert_true(len > 10);
    assert_string_equal(buf, "CVE-2021-");

    json_t *j = scw_vulns_hit_json(&h[1]);
    assert_non_null(j);
    char *s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
    assert_string_equal(s, "{\"block\":\"sudo-cve\",\"cause\":\"cve\",\"cve\":\"CVE-2021-3156\","
                           "\"defined_at\":\"t.yaml:9:5\",\"fixed\":\"1.8.27-1+deb10u3\","
                           "\"image\":\"docker.io/library/debian:10\",\"installed\":\"1.8.27-1+"
                           "deb10u2\",\"kernel\":null,\"kernel_below\":null,\"link\":\"https://"
                           "example.org/sudo\",\"matches\":2,\"package\":\"sudo\",\"reason\":"
                           "\"Baron Samedit\",\"report\":\"trivy.json\",\"severity\":\"high\","
                           "\"syscalls\":[\"setresuid\",\"setuid\"]}");
    free(s);
    json_decref(j);
    j = scw_vulns_hit_json(&h[0]);
    s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
    assert_string_equal(s, "{\"block\":\"dirty-pipe\",\"cause\":\"kernel\",\"cve\":"
                           "\"CVE-2022-0847\",\"defined_at\":\"t.yaml:3:5\",\"fixed\":null,"
                           "\"image\":null,\"installed\":null,\"kernel\":\"5.10.0-8-amd64\","
                           "\"kernel_below\":\"5.16.11\",\"link\":\"https://example.org/dp\","
                           "\"matches\":0,\"package\":null,\"reason\":\"Dirty Pipe\",\"report\":"
                           "null,\"severity\":null,\"syscalls\":[\"splice\"]}");
    free(s);
    json_decref(j);
    free(h);

    /* no fixed version, no installed version */
    assert_int_equal(scw_vulns_blocks_for(rs, vs, "nginx:1.25", NULL, &h, &n), 0);
    assert_int_equal(n, 3);
    scw_vulns_hit_evidence(&h[2], buf, sizeof(buf));
    assert_string_equal(buf, "CVE-2022-0185 (critical) in left-pad 1.0.0, fixed in 2.0.1, 1.9.9");
    free(h);
    vs->reports[1]->vulns[0].fixed[0] = '\0';
    vs->reports[1]->vulns[0].installed[0] = '\0';
    assert_int_equal(scw_vulns_blocks_for(rs, vs, "nginx:1.25", NULL, &h, &n), 0);
    scw_vulns_hit_evidence(&h[0], buf, sizeof(buf));
    assert_string_equal(buf, "CVE-2021-3156 (high) in sudo, no fixed version yet");
    free(h);
    scw_vulns_free(vs);
    scw_rules_free(rs);

    assert_string_equal(scw_vuln_format_name(SCW_VULN_FORMAT_GRYPE), "grype");
    assert_null(scw_vuln_format_name(SCW_VULN_FORMAT_MAX));
    assert_null(scw_vuln_format_name(SCW_VULN_FORMAT_INVALID));
    assert_string_equal(scw_block_cause_name(SCW_BLOCK_CAUSE_PACKAGE), "package");
    assert_null(scw_block_cause_name(SCW_BLOCK_CAUSE_MAX));
}

/* ---- the shipped rules/cve.yaml ------------------------------------------------------------- */

static void test_shipped(void **state)
{
    (void)state;
    struct scw_rules *rs = scw_rules_new();
    char *err = NULL;
    if (scw_rules_load(rs, SCW_SOURCE_DIR "/rules/default.yaml", &err) < 0 ||
        scw_rules_load(rs, SCW_SOURCE_DIR "/rules/cve.yaml", &err) < 0)
        fail_msg("%s", err);
    assert_int_equal(rs->n_warnings, 0);
    assert_int_equal(rs->n_cve_blocks, 8);
    for (size_t i = 0; i < rs->n_cve_blocks; i++) {
        const struct scw_cve_block *b = &rs->cve_blocks[i];
        assert_non_null(strstr(b->where.file, "cve.yaml"));
        assert_true(strncmp(b->link, "https://nvd.nist.gov/vuln/detail/CVE-", 37) == 0);
        assert_true(b->syscalls.n_names > 0);
        assert_false(b->syscalls.all);
    }
    /* a kernel the test supplies: 5.10.0 has five of the six kernel blocks (the overlayfs bug
     * came in 5.11), 6.7.3 none; stable series with the backports have fewer */
    struct scw_block_hit *h;
    size_t n;
    assert_int_equal(scw_vulns_blocks_for(rs, NULL, NULL, "5.10.0-28-amd64", &h, &n), 0);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++)
        assert_string_not_equal(h[i].block->name, "cve-2023-0386-overlayfs");
    assert_string_equal(scw_vulns_block_for_syscall(h, n, "splice")->block->name,
                        "cve-2022-0847-dirty-pipe");
    assert_string_equal(scw_vulns_block_for_syscall(h, n, "unshare")->block->name,
                        "cve-2022-0185-fsconfig");
    assert_string_equal(scw_vulns_block_for_syscall(h, n, "mount")->block->name,
                        "cve-2022-0492-release-agent");
    assert_null(scw_vulns_block_for_syscall(h, n, "setuid"));
    free(h);
    assert_int_equal(scw_vulns_blocks_for(rs, NULL, NULL, "5.16.11", &h, &n), 0);
    assert_int_equal(n, 3); /* 0492 (below 5.17), 0386 (6.2), 1086 (6.7.3) */
    free(h);
    assert_int_equal(scw_vulns_blocks_for(rs, NULL, NULL, "5.10.209", &h, &n), 0);
    assert_int_equal(n, 2); /* 0492 and 22555 have one bound each; 0847, 0185, 1086 fixed */
    assert_string_equal(h[0].block->name, "cve-2022-0492-release-agent");
    assert_string_equal(h[1].block->name, "cve-2021-22555-netfilter");
    free(h);
    assert_int_equal(scw_vulns_blocks_for(rs, NULL, NULL, "6.1.76", &h, &n), 0);
    assert_int_equal(n, 0); /* 0386 fixed in 6.1.9, 1086 in 6.1.76 */
    free(h);
    assert_int_equal(scw_vulns_blocks_for(rs, NULL, NULL, "6.1.75", &h, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(h[0].kernel_fix, "6.1.76");
    free(h);
    assert_int_equal(scw_vulns_blocks_for(rs, NULL, NULL, "6.7.3", &h, &n), 0);
    assert_int_equal(n, 0);
    /* image evidence: sudo HIGH by package; PwnKit by id (Negligible, any severity) */
    struct scw_vulns *vs = scw_vulns_new();
    add_ok(vs, "trivy.json", NULL, trivy_report);
    add_ok(vs, "grype.json", NULL, grype_report);
    assert_int_equal(scw_vulns_blocks_for(rs, vs, "debian:10", "6.8.0", &h, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(h[0].block->name, "sudo-high-severity");
    assert_string_equal(h[0].cve, "CVE-2021-3156");
    free(h);
    assert_int_equal(scw_vulns_blocks_for(rs, vs, "nginx:1.25", "6.8.0", &h, &n), 0);
    /* not cve-2022-0185 (an alias in the Grype report): the kernel is known, and fixed */
    assert_int_equal(n, 2);
    assert_string_equal(h[0].block->name, "cve-2021-4034-pwnkit");
    assert_string_equal(h[1].block->name, "sudo-high-severity");
    free(h);
    scw_vulns_free(vs);
    scw_rules_free(rs);

    /* the shipped set (scmpwatch vulns without --rules): cve.yaml beside default.yaml */
    const char *shipped[2];
    char *saved = getenv("SCMPWATCH_RULES_DIR") ? strdup(getenv("SCMPWATCH_RULES_DIR")) : NULL;
    setenv("SCMPWATCH_RULES_DIR", "/opt/r", 1);
    assert_int_equal(scw_rules_shipped_files(shipped), 1); /* no /opt/r/cve.yaml */
    assert_string_equal(shipped[0], "/opt/r/default.yaml");
    setenv("SCMPWATCH_RULES_DIR", SCW_SOURCE_DIR "/rules", 1);
    assert_int_equal(scw_rules_shipped_files(shipped), 2);
    assert_string_equal(shipped[1], SCW_SOURCE_DIR "/rules/cve.yaml");
    if (saved)
        setenv("SCMPWATCH_RULES_DIR", saved, 1);
    else
        unsetenv("SCMPWATCH_RULES_DIR");
    free(saved);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_klar),        cmocka_unit_test(test_trivy),
        cmocka_unit_test(test_trivy_empty), cmocka_unit_test(test_grype),
        cmocka_unit_test(test_grype_empty), cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_deep_path),   cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_add_file),    cmocka_unit_test(test_image_canonical),
        cmocka_unit_test(test_image_match), cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_evidence),    cmocka_unit_test(test_shipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
