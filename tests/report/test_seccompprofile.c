/*
 * test_seccompprofile: the SeccompProfile writer. Names (table: group -> metadata.name, and
 * every result a DNS-1123 label); documents (table: profile JSON + target -> the exact YAML and
 * the warnings' paths); refusals (table: profile -> error); real tuned profiles (the Docker
 * default profile and the walkthrough's, tuned and dumped by the profile module): the YAML
 * parses back (libyaml) to exactly the spec, and the spec, read as a profile, does what the
 * tuned profile does on its target for every syscall it names (scw_profile_query on both, for
 * several targets), so resolving archMap and includes/excludes loses nothing there.
 *
 * `test_seccompprofile --render PROFILE GROUP [NATIVE-ARCH]` prints the document of a profile
 * file (warnings on stderr; exit 1 when it is refused): tests/e2e_k8s_daemonset.sh uses it on a
 * real tuned profile until `suggest --format seccompprofile` exists.
 */
#include "testutil.h"

#include <errno.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "name.h"
#include "profile.h"
#include "seccompprofile.h"
#include "yaml_tree.h"

#define PROFILES SCW_TEST_DATA "/profiles/"

static const char *const caps_admin[] = {"CAP_CHOWN", "CAP_SYS_ADMIN"};

/* x86_64, Docker's default capabilities, kernel 6.1: every document below is for it */
static const struct scw_profile_host host_x86 = {
    .native = SCMP_ARCH_X86_64, .kernel_major = 6, .kernel_minor = 1};

static bool is_label(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 63 || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

static void test_names(void **state)
{
    (void)state;
    static const struct {
        const char *group, *want;
    } cases[] = {
        /* already a label: unchanged */
        {"app-staging", "app-staging"},
        {"api", "api"},
        {"a1", "a1"},
        /* changed: the hash of the group name makes names that only differ here distinct */
        {"App_Staging", "app-staging-c79087a2"},
        {"app_staging", "app-staging-feb4ea62"},
        {"nginx:1.25", "nginx-1-25-49913ced"},
        {"--api--", "api-6252c78f"},
        {"a..b", "a-b-91beab8e"},
        {"___", "scmpwatch-045a3b34"},
        {"", "scmpwatch-811c9dc5"},
        {"caf\xc3\xa9", "caf-a82b5049"},
        /* too long: cut to fit 63 with the hash */
        {"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
         "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzab-588255fe"},
        {"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk",
         "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char name[SCW_SECCOMPPROFILE_NAME_MAX + 1];
        int n = scw_seccompprofile_name(cases[i].group, name, sizeof(name));
        if (n < 0 || strcmp(name, cases[i].want) != 0)
            fail_msg("case %zu '%s': got '%s' (%d), want '%s'", i, cases[i].group,
                     n < 0 ? "" : name, n, cases[i].want);
        assert_int_equal((size_t)n, strlen(name));
        assert_true(is_label(name));
    }
    char small[SCW_SECCOMPPROFILE_NAME_MAX];
    assert_int_equal(scw_seccompprofile_name("api", small, sizeof(small)), -EINVAL);
    assert_int_equal(scw_seccompprofile_name(NULL, small, 64), -EINVAL);
}

/* ---- documents ---- */

#define HEAD(group)                                                                                \
    "# SeccompProfile of the scmpwatch profile group '" group "'.\n"                               \
    "# kubectl apply -f this file: the Security Profiles Operator installs it on every node and\n" \
    "# names it in status.localhostProfile, for a pod's securityContext:\n"                        \
    "#   seccompProfile: {type: Localhost, localhostProfile: <status.localhostProfile>}\n"
#define META(name, group)                                                                          \
    "apiVersion: security-profiles-operator.x-k8s.io/v1beta1\n"                                    \
    "kind: SeccompProfile\n"                                                                       \
    "metadata:\n"                                                                                  \
    "  name: " name "\n"                                                                           \
    "  annotations:\n"                                                                             \
    "    scmpwatch/profile-group: \"" group "\"\n"                                                 \
    "spec:\n"

/* A profile with most of what the CRD cannot say, for three targets. */
#define DOCKERISH                                                                                  \
    "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38,"                             \
    " \"archMap\": [{\"architecture\": \"SCMP_ARCH_AARCH64\", \"subArchitectures\": "              \
    "[\"SCMP_ARCH_ARM\"]},"                                                                        \
    "  {\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\", "        \
    "\"SCMP_ARCH_X32\"]}],"                                                                        \
    " \"syscalls\": ["                                                                             \
    "  {\"names\": [\"getpid\", \"read\", \"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"},"           \
    "  {\"name\": \"ptrace\", \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": "      \
    "\"4.8\"}},"                                                                                   \
    "  {\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": "         \
    "[\"CAP_SYS_ADMIN\"]}},"                                                                       \
    "  {\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, "        \
    "\"value\": 2114060288, \"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"}],"                    \
    "   \"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\"], \"arches\": [\"s390\", \"s390x\"]}},"        \
    "  {\"names\": [\"arm_fadvise64_64\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": "         \
    "{\"arches\": [\"arm\", \"arm64\"]}}],"                                                        \
    " \"x-team\": \"ops\"}"

static const struct scw_profile_host host_admin = {.native = SCMP_ARCH_X86_64,
                                                   .caps = caps_admin,
                                                   .n_caps = 2,
                                                   .kernel_major = 6,
                                                   .kernel_minor = 1};
static const struct scw_profile_host host_arm = {
    .native = SCMP_ARCH_AARCH64, .kernel_major = 6, .kernel_minor = 1};

struct doc_case {
    const char *profile;
    const struct scw_profile_host *host;
    const char *group;
    const char *want;     /* the YAML */
    const char *warnings; /* paths of the warnings, in order, ';'-separated */
};

static const struct doc_case doc_cases[] = {
    {"{\"defaultAction\": \"SCMP_ACT_ERRNO\"}", &host_x86, "api",
     HEAD("api") META("api", "api") "  defaultAction: SCMP_ACT_ERRNO\n", ""},
    /* what the profile writer makes of a runtime's profile: the OCI form, a tuned allow entry */
    {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,"
     " \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"],"
     " \"syscalls\": [{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
     "  {\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0,"
     " \"value\": 8, \"op\": \"SCMP_CMP_EQ\"}]},"
     "  {\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38},"
     "  {\"names\": [\"chmod\", \"mknodat\"], \"action\": \"SCMP_ACT_ALLOW\","
     "   \"comment\": \"scmpwatch: allowed 2 syscalls seen in 6 events\"}],"
     " \"flags\": [\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\", \"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"]}",
     &host_x86, "app-staging",
     HEAD("app-staging") "# defaultErrnoRet 1 left out: the CRD has no such field, and EPERM is "
                         "what runtimes return without it\n"
                         "# warning: 1 comment kept as YAML comments only: the CRD has no comment "
                         "field [at syscalls]\n" META(
                             "app-staging",
                             "app-staging") "  defaultAction: SCMP_ACT_ERRNO\n"
                                            "  architectures:\n"
                                            "  - SCMP_ARCH_X86_64\n"
                                            "  - SCMP_ARCH_X86\n"
                                            "  syscalls:\n"
                                            "  - action: SCMP_ACT_ALLOW\n"
                                            "    names:\n"
                                            "    - read\n"
                                            "    - write\n"
                                            "  - action: SCMP_ACT_ALLOW\n"
                                            "    args:\n"
                                            "    - index: 0\n"
                                            "      value: 8\n"
                                            "      op: SCMP_CMP_EQ\n"
                                            "    names:\n"
                                            "    - personality\n"
                                            "  - action: SCMP_ACT_ERRNO\n"
                                            "    errnoRet: 38\n"
                                            "    names:\n"
                                            "    - clone3\n"
                                            "  # scmpwatch: allowed 2 syscalls seen in 6 events\n"
                                            "  - action: SCMP_ACT_ALLOW\n"
                                            "    names:\n"
                                            "    - chmod\n"
                                            "    - mknodat\n"
                                            "  flags:\n"
                                            "  - SECCOMP_FILTER_FLAG_SPEC_ALLOW\n",
     "syscalls"},
    /* x86_64, default capabilities: ptrace and clone stay, mount and arm_fadvise64_64 go */
    {DOCKERISH, &host_x86, "web",
     HEAD("web") "# Resolved for x86_64, the runtimes' default capabilities, kernel 6.1.\n"
                 "# warning: 'x-team' left out: the CRD has no such field [at x-team]\n"
                 "# warning: defaultErrnoRet 38 left out: the CRD has no such field, so refused "
                 "calls get EPERM (1) instead [at defaultErrnoRet]\n"
                 "# warning: resolved for x86_64 as Docker does; the entries for "
                 "SCMP_ARCH_AARCH64 are left out: a SeccompProfile has one list of architectures "
                 "for every node [at archMap]\n"
                 "# warning: includes/excludes of 4 entries resolved for this target as Docker "
                 "does (2 kept without their condition, 2 left out: [2], [4]) with assumed "
                 "capabilities or kernel: the CRD has no conditions, so other targets need their "
                 "own object [at syscalls]\n" META(
                     "web",
                     "web") "  defaultAction: SCMP_ACT_ERRNO\n"
                            "  architectures:\n"
                            "  - SCMP_ARCH_X86_64\n"
                            "  - SCMP_ARCH_X86\n"
                            "  - SCMP_ARCH_X32\n"
                            "  syscalls:\n"
                            "  # syscalls[0]: 1 repeated name dropped\n"
                            "  - action: SCMP_ACT_ALLOW\n"
                            "    names:\n"
                            "    - getpid\n"
                            "    - read\n"
                            "  # syscalls[1] includes {\"minKernel\":\"4.8\"}: holds for this "
                            "target, kept without it\n"
                            "  - action: SCMP_ACT_ALLOW\n"
                            "    names:\n"
                            "    - ptrace\n"
                            "  # syscalls[2] (SCMP_ACT_ALLOW: mount) left out: includes "
                            "{\"caps\":[\"CAP_SYS_ADMIN\"]} "
                            "does not hold for this target\n"
                            "  # syscalls[3] excludes "
                            "{\"caps\":[\"CAP_SYS_ADMIN\"],\"arches\":[\"s390\",\"s390x\"]}: "
                            "holds for this target, kept without it\n"
                            "  - action: SCMP_ACT_ALLOW\n"
                            "    args:\n"
                            "    - index: 0\n"
                            "      value: 2114060288\n"
                            "      valueTwo: 0\n"
                            "      op: SCMP_CMP_MASKED_EQ\n"
                            "    names:\n"
                            "    - clone\n"
                            "  # syscalls[4] (SCMP_ACT_ALLOW: arm_fadvise64_64) left out: includes "
                            "{\"arches\":[\"arm\",\"arm64\"]} does not hold for this target\n",
     "x-team;defaultErrnoRet;archMap;syscalls"},
    /* containers with CAP_SYS_ADMIN: mount stays, the clone filter goes */
    {DOCKERISH, &host_admin, "web",
     HEAD("web") "# Resolved for x86_64, capabilities CAP_CHOWN, CAP_SYS_ADMIN, kernel 6.1.\n"
                 "# warning: 'x-team' left out: the CRD has no such field [at x-team]\n"
                 "# warning: defaultErrnoRet 38 left out: the CRD has no such field, so refused "
                 "calls get EPERM (1) instead [at defaultErrnoRet]\n"
                 "# warning: resolved for x86_64 as Docker does; the entries for "
                 "SCMP_ARCH_AARCH64 are left out: a SeccompProfile has one list of architectures "
                 "for every node [at archMap]\n"
                 "# warning: includes/excludes of 4 entries resolved for this target as Docker "
                 "does (2 kept without their condition, 2 left out: [3], [4]): the CRD has no "
                 "conditions, so other targets need their own object [at syscalls]\n" META(
                     "web",
                     "web") "  defaultAction: SCMP_ACT_ERRNO\n"
                            "  architectures:\n"
                            "  - SCMP_ARCH_X86_64\n"
                            "  - SCMP_ARCH_X86\n"
                            "  - SCMP_ARCH_X32\n"
                            "  syscalls:\n"
                            "  # syscalls[0]: 1 repeated name dropped\n"
                            "  - action: SCMP_ACT_ALLOW\n"
                            "    names:\n"
                            "    - getpid\n"
                            "    - read\n"
                            "  # syscalls[1] includes {\"minKernel\":\"4.8\"}: holds for this "
                            "target, kept without it\n"
                            "  - action: SCMP_ACT_ALLOW\n"
                            "    names:\n"
                            "    - ptrace\n"
                            "  # syscalls[2] includes {\"caps\":[\"CAP_SYS_ADMIN\"]}: holds for "
                            "this target, kept "
                            "without it\n"
                            "  - action: SCMP_ACT_ALLOW\n"
                            "    names:\n"
                            "    - mount\n"
                            "  # syscalls[3] (SCMP_ACT_ALLOW: clone) left out: excludes "
                            "{\"caps\":[\"CAP_SYS_ADMIN\"],"
                            "\"arches\":[\"s390\",\"s390x\"]} does not hold for this target\n"
                            "  # syscalls[4] (SCMP_ACT_ALLOW: arm_fadvise64_64) left out: includes "
                            "{\"arches\":[\"arm\",\"arm64\"]} does not hold for this target\n",
     "x-team;defaultErrnoRet;archMap;syscalls"},
    /* aarch64: its archMap entry, and arm_fadvise64_64 */
    {DOCKERISH, &host_arm, "web",
     HEAD("web") "# Resolved for aarch64, the runtimes' default capabilities, kernel 6.1.\n"
                 "# warning: 'x-team' left out: the CRD has no such field [at x-team]\n"
                 "# warning: defaultErrnoRet 38 left out: the CRD has no such field, so refused "
                 "calls get EPERM (1) instead [at defaultErrnoRet]\n"
                 "# warning: resolved for aarch64 as Docker does; the entries for "
                 "SCMP_ARCH_X86_64 are left out: a SeccompProfile has one list of architectures "
                 "for every node [at archMap]\n"
                 "# warning: includes/excludes of 4 entries resolved for this target as Docker "
                 "does (3 kept without their condition, 1 left out: [2]) with assumed "
                 "capabilities or kernel: the CRD has no conditions, so other targets need their "
                 "own object [at syscalls]\n" META(
                     "web",
                     "web") "  defaultAction: SCMP_ACT_ERRNO\n"
                            "  architectures:\n"
                            "  - SCMP_ARCH_AARCH64\n"
                            "  - SCMP_ARCH_ARM\n"
                            "  syscalls:\n"
                            "  # syscalls[0]: 1 repeated name dropped\n"
                            "  - action: SCMP_ACT_ALLOW\n"
                            "    names:\n"
                            "    - getpid\n"
                            "    - read\n"
                            "  # syscalls[1] includes {\"minKernel\":\"4.8\"}: holds for this "
                            "target, kept without it\n"
                            "  - action: SCMP_ACT_ALLOW\n"
                            "    names:\n"
                            "    - ptrace\n"
                            "  # syscalls[2] (SCMP_ACT_ALLOW: mount) left out: includes "
                            "{\"caps\":[\"CAP_SYS_ADMIN\"]} "
                            "does not hold for this target\n"
                            "  # syscalls[3] excludes "
                            "{\"caps\":[\"CAP_SYS_ADMIN\"],\"arches\":[\"s390\",\"s390x\"]}: "
                            "holds for this target, kept without it\n"
                            "  - action: SCMP_ACT_ALLOW\n"
                            "    args:\n"
                            "    - index: 0\n"
                            "      value: 2114060288\n"
                            "      valueTwo: 0\n"
                            "      op: SCMP_CMP_MASKED_EQ\n"
                            "    names:\n"
                            "    - clone\n"
                            "  # syscalls[4] includes {\"arches\":[\"arm\",\"arm64\"]}: holds for "
                            "this target, kept "
                            "without it\n"
                            "  - action: SCMP_ACT_ALLOW\n"
                            "    names:\n"
                            "    - arm_fadvise64_64\n",
     "x-team;defaultErrnoRet;archMap;syscalls"},
    /* an OCI config.json; what the CRD's enums lack; strings that must be quoted; a group name
     * that is no label; a comment that tries to end its line */
    {"{\"ociVersion\": \"1.1.0\", \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_LOG\","
     " \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_LOONGARCH64\"],"
     " \"listenerPath\": \"/run/agent.sock\", \"listenerMetadata\": \"team: ops\","
     " \"syscalls\": [{\"names\": [\"yes\", \"weird name\", \"1e3\", \"_llseek\"], \"action\":"
     " \"SCMP_ACT_ALLOW\", \"comment\": \"two\\nlines\"},"
     "  {\"names\": [], \"action\": \"SCMP_ACT_KILL_PROCESS\"}],"
     " \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\", \"SECCOMP_FILTER_FLAG_NEW_LISTENER\"]}}}",
     &host_x86, "Team/API",
     "# SeccompProfile of the scmpwatch profile group 'Team/API'.\n"
     "# kubectl apply -f this file: the Security Profiles Operator installs it on every node and\n"
     "# names it in status.localhostProfile, for a pod's securityContext:\n"
     "#   seccompProfile: {type: Localhost, localhostProfile: <status.localhostProfile>}\n"
     "# warning: SCMP_ARCH_LOONGARCH64 left out: not one of the CRD's architectures [at "
     "linux.seccomp.architectures]\n"
     "# warning: 1 comment kept as YAML comments only: the CRD has no comment field [at "
     "linux.seccomp.syscalls]\n"
     "# warning: the CRD takes only a socket directly in /var/run/security-profiles-operator/: "
     "the API server refuses '/run/agent.sock' [at linux.seccomp.listenerPath]\n"
     "# warning: SECCOMP_FILTER_FLAG_NEW_LISTENER left out: not one of the CRD's flags [at "
     "linux.seccomp.flags]\n"
     "apiVersion: security-profiles-operator.x-k8s.io/v1beta1\n"
     "kind: SeccompProfile\n"
     "metadata:\n"
     "  name: team-api-ae119bb3\n"
     "  annotations:\n"
     "    scmpwatch/profile-group: \"Team/API\"\n"
     "spec:\n"
     "  defaultAction: SCMP_ACT_LOG\n"
     "  architectures:\n"
     "  - SCMP_ARCH_X86_64\n"
     "  syscalls:\n"
     "  # two\\x0alines\n"
     "  - action: SCMP_ACT_ALLOW\n"
     "    names:\n"
     "    - \"yes\"\n"
     "    - \"weird name\"\n"
     "    - \"1e3\"\n"
     "    - _llseek\n"
     "  # syscalls[1] (SCMP_ACT_KILL_PROCESS:) left out: no syscall names (the CRD needs one)\n"
     "  listenerPath: /run/agent.sock\n"
     "  listenerMetadata: \"team: ops\"\n"
     "  flags:\n"
     "  - SECCOMP_FILTER_FLAG_LOG\n",
     "linux.seccomp.architectures;linux.seccomp.syscalls;linux.seccomp.listenerPath;"
     "linux.seccomp.flags"},
};

/* The paths of d's warnings, ';'-separated (errors and notes would fail the case). */
static char *warning_paths(const struct scw_profile_diags *d)
{
    char *s = scw_test_asprintf("%s", "");
    for (size_t i = 0; i < d->n; i++) {
        assert_int_equal(d->items[i].level, SCW_DIAG_WARNING);
        char *n = scw_test_asprintf("%s%s%s", s, i ? ";" : "", d->items[i].path);
        free(s);
        s = n;
    }
    return s;
}

static json_t *parse_json(const char *text)
{
    json_error_t e;
    json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &e);
    if (!doc)
        fail_msg("bad JSON in a case: %s at %d:%d", e.text, e.line, e.column);
    return doc;
}

static void test_documents(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(doc_cases) / sizeof(doc_cases[0]); i++) {
        const struct doc_case *k = &doc_cases[i];
        json_t *doc = parse_json(k->profile);
        struct scw_seccompprofile_opts o = {.host = k->host};
        struct scw_profile_diags d;
        scw_profile_diags_init(&d);
        char *text = NULL;
        size_t len = 0;
        int rc = scw_seccompprofile_render(doc, k->group, &o, &text, &len, &d);
        if (rc < 0) {
            scw_profile_diags_print(&d, "case", SCW_DIAG_NOTE, stderr);
            fail_msg("case %zu: rc %d", i, rc);
        }
        if (strcmp(text, k->want) != 0) {
            fprintf(stderr, "case %zu: got\n%s--- want\n%s---\n", i, text, k->want);
            fail_msg("case %zu: the document differs", i);
        }
        assert_int_equal(len, strlen(text));
        char *paths = warning_paths(&d);
        if (strcmp(paths, k->warnings) != 0)
            fail_msg("case %zu: warnings at '%s', want '%s'", i, paths, k->warnings);
        free(paths);
        free(text);
        scw_profile_diags_free(&d);
        json_decref(doc);
    }
}

/* ---- refusals ---- */

static void test_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *profile, *path, *message;
    } cases[] = {
        {"[]", "", "not a JSON object"},
        {"{}", "defaultAction", "missing"},
        {"{\"defaultAction\": 1}", "defaultAction", "not a string"},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": -1}", "defaultErrnoRet",
         "whole number"},
        {"{\"ociVersion\": \"1.0.2\", \"linux\": {}}", "linux.seccomp", "without a linux.seccomp"},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86\"],"
         " \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}]}",
         "archMap", "both"},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [1]}", "architectures",
         "not a string"},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": {}}", "syscalls", "not a list"},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": \"read\","
         " \"action\": \"SCMP_ACT_ALLOW\"}]}",
         "syscalls[0]", "not a list"},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"name\": \"read\","
         " \"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
         "syscalls[0]", "both name and names"},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"]}]}",
         "syscalls[0]", "action is missing"},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"],"
         " \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": -1}]}",
         "syscalls[0]", "errnoRet"},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"],"
         " \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
         "syscalls[0].args[0]", "index is missing"},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"],"
         " \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": -2,"
         " \"op\": \"SCMP_CMP_EQ\"}]}]}",
         "syscalls[0].args[0]", "whole numbers"},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"],"
         " \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0}]}]}",
         "syscalls[0].args[0]", "op is missing"},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"],"
         " \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": \"CAP_SYS_ADMIN\"}}]}",
         "syscalls[0]", "cannot be evaluated"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *doc = parse_json(cases[i].profile);
        struct scw_seccompprofile_opts o = {.host = &host_x86};
        struct scw_profile_diags d;
        scw_profile_diags_init(&d);
        char *text = NULL;
        json_t *spec = NULL;
        int rc = scw_seccompprofile_render(doc, "g", &o, &text, NULL, &d);
        if (rc != -EINVAL || text)
            fail_msg("case %zu: rc %d, want -EINVAL and no text", i, rc);
        assert_int_equal(scw_seccompprofile_spec(doc, &o, &spec, NULL), -EINVAL);
        assert_null(spec);
        bool found = false;
        for (size_t k = 0; k < d.n; k++)
            found |= d.items[k].level == SCW_DIAG_ERROR &&
                     strcmp(d.items[k].path, cases[i].path) == 0 &&
                     strstr(d.items[k].message, cases[i].message);
        if (!found) {
            scw_profile_diags_print(&d, "case", SCW_DIAG_NOTE, stderr);
            fail_msg("case %zu: no error at '%s' saying '%s'", i, cases[i].path, cases[i].message);
        }
        scw_profile_diags_free(&d);
        json_decref(doc);
    }
    json_t *doc = parse_json("{\"defaultAction\": \"SCMP_ACT_ERRNO\"}");
    char *text = NULL;
    assert_int_equal(scw_seccompprofile_render(doc, NULL, NULL, &text, NULL, NULL), -EINVAL);
    assert_null(text);
    json_decref(doc);
}

/* ---- real tuned profiles ---- */

/* A YAML tree as JSON: plain whole numbers become integers, other scalars strings. */
static json_t *yaml_to_json(const struct scw_yaml_node *n)
{
    json_t *j = NULL;
    if (n->kind == SCW_YAML_SCALAR) {
        bool number = n->plain && n->len > 0 && strspn(n->s, "0123456789") == n->len;
        j = number ? json_integer(strtoll(n->s, NULL, 10)) : json_string(n->s);
    } else if (n->kind == SCW_YAML_SEQ) {
        j = json_array();
        for (size_t i = 0; i < n->n; i++)
            json_array_append_new(j, yaml_to_json(n->kids[i]));
    } else {
        j = json_object();
        for (size_t i = 0; i + 1 < n->n; i += 2)
            json_object_set_new(j, n->kids[i]->s, yaml_to_json(n->kids[i + 1]));
    }
    assert_non_null(j);
    return j;
}

/* The tuned profile (JSON text as the profile writer makes it) of path, allowing allow. */
static char *tuned_text(const char *path, const char *allow)
{
    struct scw_profile *p = NULL, *t = NULL;
    assert_int_equal(scw_profile_load_file(path, &p, NULL), 0);
    struct scw_profile_tune tp = {.allow = &allow,
                                  .n_allow = 1,
                                  .comment = "scmpwatch: allowed 1 syscall seen in 3 events",
                                  .default_errno = 1};
    assert_int_equal(scw_profile_tune(p, &tp, &t, NULL, NULL), 0);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(scw_profile_dump(t, true, &text, &len), 0);
    scw_profile_free(t);
    scw_profile_free(p);
    return text;
}

/* What q and p do with name on arch for host agree (verdict, action, errno). */
static void same_answer(const struct scw_profile *tuned, const struct scw_profile *spo,
                        const struct scw_profile_host *host, uint32_t arch, const char *name,
                        const char *what)
{
    struct scw_profile_answer a, b;
    assert_int_equal(scw_profile_query(tuned, host, arch, name, &a), 0);
    assert_int_equal(scw_profile_query(spo, host, arch, name, &b), 0);
    if (a.verdict != b.verdict || a.action != b.action || a.errno_ret != b.errno_ret)
        fail_msg("%s: %s on %s: the tuned profile gives verdict %d action %d errno %d, the "
                 "SeccompProfile %d %d %d",
                 what, name, scw_name_arch(arch), a.verdict, a.action, a.errno_ret, b.verdict,
                 b.action, b.errno_ret);
}

static void check_real(const char *file, const struct scw_profile_host *host)
{
    char *path = scw_test_asprintf("%s%s", PROFILES, file);
    char *tuned = tuned_text(path, "chmod");
    json_t *doc = parse_json(tuned);
    struct scw_seccompprofile_opts o = {.host = host, .source = path};
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    char *text = NULL;
    size_t len = 0;
    json_t *spec = NULL;
    assert_int_equal(scw_seccompprofile_render(doc, "real group", &o, &text, &len, &d), 0);
    assert_int_equal(d.errors, 0);
    assert_int_equal(scw_seccompprofile_spec(doc, &o, &spec, NULL), 0);

    /* the YAML reads back as exactly the object */
    struct scw_yaml_ctx y = {
        .file = file,
        .doc = "SeccompProfile",
        .docs = "SeccompProfiles",
        .limits = {.max_depth = 16, .max_nodes = 1000000, .max_list = 100000, .max_string = 4096}};
    struct scw_yaml_node *root = NULL;
    if (scw_yaml_parse(&y, text, len, &root) < 0)
        fail_msg("%s: the YAML does not parse: %s\n%s", file, y.error, text);
    json_t *got = yaml_to_json(root);
    char name[SCW_SECCOMPPROFILE_NAME_MAX + 1];
    assert_true(scw_seccompprofile_name("real group", name, sizeof(name)) > 0);
    json_t *want =
        json_pack("{s:s, s:s, s:{s:s, s:{s:s}}, s:O}", "apiVersion", SCW_SECCOMPPROFILE_API_VERSION,
                  "kind", "SeccompProfile", "metadata", "name", name, "annotations",
                  SCW_SECCOMPPROFILE_GROUP_ANNOTATION, "real group", "spec", spec);
    if (!json_equal(got, want)) {
        char *g = json_dumps(got, JSON_INDENT(1)), *w = json_dumps(want, JSON_INDENT(1));
        fail_msg("%s: the YAML reads back as\n%s\nnot\n%s", file, g, w);
    }

    /* the spec is a profile (the CRD's fields are OCI's) that does what the tuned one does on
     * the target: every name either lists, on every architecture of the filter */
    char *spec_text = json_dumps(spec, 0);
    struct scw_profile *tp = NULL, *sp = NULL;
    assert_int_equal(scw_profile_load("tuned", tuned, strlen(tuned), &tp, NULL), 0);
    assert_int_equal(scw_profile_load("spo", spec_text, strlen(spec_text), &sp, NULL), 0);
    assert_true(scw_profile_ok(sp));
    struct scw_profile_diags vd;
    scw_profile_diags_init(&vd);
    assert_int_equal(scw_profile_validate(sp, host, &vd, NULL), 0); /* libseccomp builds it */
    scw_profile_diags_free(&vd);
    uint32_t ta[SCW_PROFILE_MAX_ARCHES], sa[SCW_PROFILE_MAX_ARCHES];
    int nt = scw_profile_arches(tp, host->native, ta, SCW_PROFILE_MAX_ARCHES);
    int ns = scw_profile_arches(sp, host->native, sa, SCW_PROFILE_MAX_ARCHES);
    assert_true(nt > 0);
    assert_int_equal(nt, ns);
    assert_memory_equal(ta, sa, (size_t)nt * sizeof(ta[0]));
    const char **names = NULL;
    int n = scw_profile_names(tp, &names);
    assert_true(n > 10);
    static const char *const extra[] = {"chmod",  "mount", "unshare", "clone",  "clone3",
                                        "ptrace", "bpf",   "reboot",  "getpid", "kexec_load"};
    for (int a = 0; a < nt; a++) {
        for (int i = 0; i < n; i++)
            same_answer(tp, sp, host, ta[a], names[i], file);
        for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
            same_answer(tp, sp, host, ta[a], extra[i], file);
    }
    free(names);
    scw_profile_free(tp);
    scw_profile_free(sp);
    free(spec_text);
    json_decref(got);
    json_decref(want);
    scw_yaml_free(root);
    json_decref(spec);
    free(text);
    scw_profile_diags_free(&d);
    json_decref(doc);
    free(tuned);
    free(path);
}

static void test_real_profiles(void **state)
{
    (void)state;
    static const char *const files[] = {"docker-default.json", "oci-config.json",
                                        "../e2e/app-profile.json"};
    const struct scw_profile_host *hosts[] = {&host_x86, &host_admin, &host_arm};
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++)
        for (size_t h = 0; h < sizeof(hosts) / sizeof(hosts[0]); h++)
            check_real(files[f], hosts[h]);
}

/* --render PROFILE GROUP [NATIVE-ARCH]: see the top of the file. */
static int render_file(const char *path, const char *group, const char *arch)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        fprintf(stderr, "%s:%d:%d: %s\n", path, jerr.line, jerr.column, jerr.text);
        return 1;
    }
    struct scw_profile_host host = {.native = arch ? scw_name_arch_token(arch) : 0};
    if (arch && !host.native) {
        fprintf(stderr, "unknown architecture '%s'\n", arch);
        json_decref(doc);
        return 2;
    }
    struct scw_seccompprofile_opts o = {.host = &host, .source = path};
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    char *text = NULL;
    size_t len = 0;
    int rc = scw_seccompprofile_render(doc, group, &o, &text, &len, &d);
    scw_profile_diags_print(&d, path, SCW_DIAG_NOTE, stderr);
    scw_profile_diags_free(&d);
    json_decref(doc);
    if (rc < 0) {
        fprintf(stderr, "%s: cannot write the SeccompProfile: %s\n", path, strerror(-rc));
        return 1;
    }
    fwrite(text, 1, len, stdout);
    free(text);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "--render") == 0)
        return render_file(argv[2], argv[3], argc > 4 ? argv[4] : NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_real_profiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
