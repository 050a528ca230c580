/*
 * cmd_profile_show: "scmpwatch profile show", what a profile does on a host, per architecture
 * of its filter: the syscalls it allows, allows for some arguments only, refuses explicitly,
 * and lists but does not apply on that host; or, with --syscall, the answer for those
 * syscalls. Text or JSON on standard output. It does not check a profile (validate) or write
 * one (cmd_profile_edit.c). Called from cmd_profile.c's dispatch.
 */
#include "cmd_profile.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "json.h"
#include "log.h"
#include "name.h"
#include "profile.h"
#include "report.h"

#define MAX_QUERIES 64

static const char usage_show[] =
    "Usage: scmpwatch profile show [OPTIONS] FILE\n"
    "Show what the profile does on a host, per architecture of its filter: the syscalls it\n"
    "allows, allows for some arguments only (conditional), refuses explicitly, and lists but\n"
    "does not apply on that host (includes/excludes); everything else gets the default.\n"
    "\n"
    "Options:\n"
    "      --arch ARCH       host architecture (x86_64, aarch64, ...; default: this machine)\n"
    "      --cap CAP[,CAP]   capabilities of the bounding set (default: Docker's defaults)\n"
    "      --no-caps         the container has no capabilities\n"
    "      --kernel X.Y      kernel version for minKernel conditions (default: running)\n"
    "  -s, --syscall NAME    only answer for this syscall on each architecture; repeatable\n"
    "  -f, --format FORMAT   text (default) or json\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 shown; 1 the profile could not be read or has errors; 2 usage error.\n";

enum { BUCKET_ALLOWED, BUCKET_CONDITIONAL, BUCKET_REFUSED, BUCKET_INACTIVE, BUCKET_MAX };
static const char *const bucket_titles[BUCKET_MAX] = {
    "allowed", "conditional (argument filters)", "refused by an entry",
    "listed but not active on this host (default applies)"};
static const char *const bucket_keys[BUCKET_MAX] = {"allowed", "conditional", "refused",
                                                    "inactive"};

static const char *const match_names[SCW_MATCH_MAX] = {"default", "entry", "conditional",
                                                       "bad-arch", "no-syscall"};
static const char *const verdict_names[SCW_VERDICT_MAX] = {"allowed", "refused", "conditional"};

static void action_text(enum scw_action a, int errno_ret, char *buf, size_t size)
{
    if (errno_ret >= 0)
        snprintf(buf, size, "%s errno %d", scw_profile_action_name(a), errno_ret);
    else
        snprintf(buf, size, "%s",
                 scw_profile_action_name(a) ? scw_profile_action_name(a) : "(invalid)");
}

static void print_wrapped(const char *title, const char *const *items, size_t n)
{
    if (!n)
        return;
    printf("  %s (%zu):\n   ", title, n);
    size_t col = 3;
    for (size_t i = 0; i < n; i++) {
        size_t w = strlen(items[i]) + 1;
        if (col + w > 98) {
            printf("\n   ");
            col = 3;
        }
        printf(" %s", items[i]);
        col += w;
    }
    printf("\n");
}

static void host_text(const struct scw_profile_host *h, uint32_t native, char *buf, size_t size)
{
    char caps[64];
    if (h->no_caps)
        snprintf(caps, sizeof(caps), "none");
    else if (h->caps)
        snprintf(caps, sizeof(caps), "%zu given", h->n_caps);
    else
        snprintf(caps, sizeof(caps), "Docker's defaults");
    char kernel[32];
    if (h->kernel_major || h->kernel_minor)
        snprintf(kernel, sizeof(kernel), "%u.%u", h->kernel_major, h->kernel_minor);
    else
        snprintf(kernel, sizeof(kernel), "running");
    snprintf(buf, size, "%s, capabilities: %s, kernel: %s",
             scw_name_arch(native) ? scw_name_arch(native) : "unknown", caps, kernel);
}

static int show_answers(const struct scw_profile *p, const struct scw_profile_host *host,
                        const uint32_t *arches, size_t n_arches, const char *const *queries,
                        size_t n_q, bool json)
{
    json_t *arr = json ? json_array() : NULL;
    for (size_t q = 0; q < n_q; q++) {
        for (size_t i = 0; i < n_arches; i++) {
            struct scw_profile_answer a;
            if (scw_profile_query(p, host, arches[i], queries[q], &a) < 0)
                continue;
            const char *arch = scw_name_arch(arches[i]) ? scw_name_arch(arches[i]) : "unknown";
            char act[96], other[96];
            action_text(a.action, a.errno_ret, act, sizeof(act));
            action_text(a.otherwise, a.otherwise_errno, other, sizeof(other));
            if (json) {
                json_t *o =
                    json_pack("{s:s, s:s, s:s, s:s, s:s}", "syscall", queries[q], "arch", arch,
                              "verdict", verdict_names[a.verdict], "match", match_names[a.match],
                              "action", scw_profile_action_name(a.action));
                if (!o)
                    continue;
                json_object_set_new(o, "errno",
                                    a.errno_ret >= 0 ? json_integer(a.errno_ret) : json_null());
                json_object_set_new(o, "entry", a.entry >= 0 ? json_integer(a.entry) : json_null());
                if (a.match == SCW_MATCH_CONDITIONAL)
                    json_object_set_new(o, "otherwise",
                                        json_string(scw_profile_action_name(a.otherwise)));
                json_object_set_new(o, "assumed", json_boolean(a.assumed));
                json_array_append_new(arr, o);
                continue;
            }
            printf("%s on %s: %s: ", queries[q], arch, verdict_names[a.verdict]);
            switch (a.match) {
            case SCW_MATCH_DEFAULT:
                printf("the default, %s", act);
                break;
            case SCW_MATCH_ENTRY:
                printf("%s (syscalls[%ld])", act, a.entry);
                break;
            case SCW_MATCH_CONDITIONAL:
                printf("%s when the argument filter of syscalls[%ld] matches, else %s", act,
                       a.entry, other);
                break;
            case SCW_MATCH_BAD_ARCH:
                printf("%s is not in the filter: the kernel kills the thread", arch);
                break;
            case SCW_MATCH_NO_SYSCALL:
                printf("no such syscall on %s (libseccomp); the default is %s", arch, act);
                break;
            case SCW_MATCH_MAX:
            case SCW_MATCH_INVALID:
                break;
            }
            printf("%s\n", a.assumed ? " (assuming Docker's default capabilities / the running "
                                       "kernel)"
                                     : "");
        }
    }
    if (json) {
        int rc = scw_json_dump(arr, stdout);
        json_decref(arr);
        return rc;
    }
    return 0;
}

static int show_sets(const struct scw_profile *p, const struct scw_profile_host *host,
                     uint32_t native, const uint32_t *arches, size_t n_arches, const char *path,
                     bool json)
{
    const char **names = NULL;
    int nn = scw_profile_names(p, &names);
    size_t n_names = nn > 0 ? (size_t)nn : 0;
    int def_errno;
    enum scw_action def = scw_profile_default_action(p, &def_errno);
    char defs[96], hostbuf[160];
    action_text(def,
                def == SCW_ACTION_ERRNO || def == SCW_ACTION_TRACE ? (def_errno < 0 ? 1 : def_errno)
                                                                   : -1,
                defs, sizeof(defs));
    host_text(host, native, hostbuf, sizeof(hostbuf));
    json_t *doc = NULL, *jarches = NULL;
    if (json) {
        doc = json_pack("{s:s, s:s, s:s, s:s}", "source", scw_cmd_profile_shown(path), "kind",
                        scw_profile_kind(p) == SCW_PROFILE_OCI ? "oci" : "docker", "default", defs,
                        "host", hostbuf);
        jarches = json_array();
        json_object_set_new(doc, "architectures", jarches);
    } else {
        printf("%s: %s, default %s%s\n", scw_cmd_profile_shown(path),
               scw_profile_kind(p) == SCW_PROFILE_OCI ? "OCI config.json" : "Docker profile", defs,
               scw_profile_log_only(p) ? " (log-only: refused calls run and are logged)" : "");
        printf("host: %s\n", hostbuf);
    }
    const char **bucket[BUCKET_MAX];
    for (int b = 0; b < BUCKET_MAX; b++)
        bucket[b] = calloc(n_names ? n_names : 1, sizeof(char *));
    char **refused_text = calloc(n_names ? n_names : 1, sizeof(char *));
    for (size_t i = 0; i < n_arches; i++) {
        size_t nb[BUCKET_MAX] = {0};
        const char *arch = scw_name_arch(arches[i]) ? scw_name_arch(arches[i]) : "unknown";
        json_t *ja = json ? json_pack("{s:s}", "arch", arch) : NULL;
        json_t *jref = json ? json_array() : NULL;
        for (size_t k = 0;
             k < n_names && bucket[0] && bucket[1] && bucket[2] && bucket[3] && refused_text; k++) {
            struct scw_profile_answer a;
            if (scw_profile_query(p, host, arches[i], names[k], &a) < 0 ||
                a.match == SCW_MATCH_NO_SYSCALL || a.match == SCW_MATCH_BAD_ARCH)
                continue;
            if (a.match == SCW_MATCH_DEFAULT) {
                bucket[BUCKET_INACTIVE][nb[BUCKET_INACTIVE]++] = names[k];
            } else if (a.match == SCW_MATCH_CONDITIONAL) {
                bucket[BUCKET_CONDITIONAL][nb[BUCKET_CONDITIONAL]++] = names[k];
            } else if (scw_profile_action_runs(a.action)) {
                bucket[BUCKET_ALLOWED][nb[BUCKET_ALLOWED]++] = names[k];
            } else {
                char act[96];
                action_text(a.action, a.errno_ret, act, sizeof(act));
                size_t r = nb[BUCKET_REFUSED]++;
                free(refused_text[r]);
                if (asprintf(&refused_text[r], "%s(%s)", names[k], act) < 0)
                    refused_text[r] = NULL;
                bucket[BUCKET_REFUSED][r] = refused_text[r] ? refused_text[r] : names[k];
                if (jref)
                    json_array_append_new(
                        jref, json_pack("{s:s, s:s, s:o, s:i}", "syscall", names[k], "action",
                                        scw_profile_action_name(a.action), "errno",
                                        a.errno_ret >= 0 ? json_integer(a.errno_ret) : json_null(),
                                        "entry", (int)a.entry));
            }
        }
        if (json) {
            for (int b = 0; b < BUCKET_MAX; b++) {
                if (b == BUCKET_REFUSED) {
                    json_object_set_new(ja, bucket_keys[b], jref);
                    continue;
                }
                json_t *list = json_array();
                for (size_t k = 0; k < nb[b]; k++)
                    json_array_append_new(list, json_string(bucket[b][k]));
                json_object_set_new(ja, bucket_keys[b], list);
            }
            json_array_append_new(jarches, ja);
            continue;
        }
        printf("\n%s:\n", arch);
        for (int b = 0; b < BUCKET_MAX; b++)
            print_wrapped(bucket_titles[b], bucket[b], nb[b]);
        printf("  everything else: %s\n", defs);
    }
    int rc = 0;
    if (json) {
        rc = scw_json_dump(doc, stdout);
        json_decref(doc);
    }
    for (int b = 0; b < BUCKET_MAX; b++)
        free(bucket[b]);
    for (size_t k = 0; refused_text && k < n_names; k++)
        free(refused_text[k]);
    free(refused_text);
    free(names);
    return rc;
}

int scw_cmd_profile_show(int argc, char **argv)
{
    static const struct option opts[] = {
        {"arch", required_argument, NULL, SCW_CMD_PROFILE_OPT_ARCH},
        {"cap", required_argument, NULL, SCW_CMD_PROFILE_OPT_CAP},
        {"no-caps", no_argument, NULL, SCW_CMD_PROFILE_OPT_NO_CAPS},
        {"kernel", required_argument, NULL, SCW_CMD_PROFILE_OPT_KERNEL},
        {"syscall", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct scw_cmd_profile_host h = {0};
    const char *queries[MAX_QUERIES];
    size_t n_q = 0;
    bool json = false;
    int c, r, rc = SCW_EXIT_OK;
    optind = 0;
    while ((c = getopt_long(argc, argv, "s:f:h", opts, NULL)) != -1) {
        if ((r = scw_cmd_profile_host_option("profile show", c, optarg, &h)) != 0) {
            if (r < 0) {
                scw_cmd_profile_host_free(&h);
                return SCW_EXIT_USAGE;
            }
            continue;
        }
        switch (c) {
        case 's':
            if (n_q >= MAX_QUERIES) {
                scw_cmd_profile_host_free(&h);
                return scw_cmd_usage_error("profile show", "at most %d --syscall", MAX_QUERIES);
            }
            queries[n_q++] = optarg;
            break;
        case 'f': {
            enum scw_format f = scw_format_from_name(optarg);
            if (f != SCW_FORMAT_TEXT && f != SCW_FORMAT_JSON) {
                scw_cmd_profile_host_free(&h);
                return scw_cmd_usage_error("profile show", "unknown format '%s' (text or json)",
                                           optarg);
            }
            json = f == SCW_FORMAT_JSON;
            break;
        }
        case 'h':
            fputs(usage_show, stdout);
            scw_cmd_profile_host_free(&h);
            return SCW_EXIT_OK;
        default:
            scw_cmd_profile_host_free(&h);
            return scw_cmd_usage_error("profile show", "unknown option");
        }
    }
    if (argc - optind != 1) {
        scw_cmd_profile_host_free(&h);
        return scw_cmd_usage_error("profile show", "give exactly one profile");
    }
    struct scw_profile *p = scw_cmd_profile_load_valid("show", argv[optind]);
    if (!p) {
        scw_cmd_profile_host_free(&h);
        return SCW_EXIT_INPUT;
    }
    uint32_t native = h.host.native ? h.host.native : seccomp_arch_native();
    struct scw_profile_host host = h.host;
    host.native = native;
    uint32_t arches[SCW_PROFILE_MAX_ARCHES];
    int n = scw_profile_arches(p, native, arches, SCW_PROFILE_MAX_ARCHES);
    int w = n < 0 ? n
            : n_q ? show_answers(p, &host, arches, (size_t)n, queries, n_q, json)
                  : show_sets(p, &host, native, arches, (size_t)n, argv[optind], json);
    if (w < 0 || fflush(stdout) != 0) {
        scw_log_errx("cannot write to standard output");
        rc = SCW_EXIT_INPUT;
    }
    scw_profile_free(p);
    scw_cmd_profile_host_free(&h);
    return rc;
}
