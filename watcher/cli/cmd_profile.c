/*
 * cmd_profile: "scmpwatch profile validate|show|logify|tune|diff|fmt", the user's handle on
 * profile.c: check a profile as runtimes would (with libseccomp, never loading it), show what
 * it allows per architecture, write its log-only variant for staging or a tuned variant, and
 * diff profiles written canonically. Inputs are Docker profiles or OCI config.json files
 * ("-" = standard input). Output files are replaced atomically. Called from commands.c.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "commands.h"
#include "diff.h"
#include "log.h"
#include "name.h"
#include "profile.h"
#include "report.h"

#define MAX_CAPS    128
#define MAX_ALLOW   4096
#define MAX_QUERIES 64

static const char usage[] =
    "Usage: scmpwatch profile COMMAND [OPTIONS] FILE...\n"
    "Read, check and transform seccomp profiles: Docker profile JSON, or an OCI runtime\n"
    "config.json (its linux.seccomp). FILE '-' reads standard input.\n"
    "\n"
    "Commands:\n"
    "  validate FILE...  check each profile as runtimes would and build its filters with\n"
    "                    libseccomp (one per archMap entry), never loading them\n"
    "  show FILE         what the profile allows, filters by argument and refuses, per\n"
    "                    architecture, for a host (or answer --syscall questions)\n"
    "  logify FILE       the log-only variant for staging (defaultAction SCMP_ACT_LOG)\n"
    "  tune FILE         the profile plus one entry allowing the --allow syscalls\n"
    "  diff OLD NEW      unified diff of two profiles, both written canonically\n"
    "  fmt FILE          the profile written canonically (2-space indent, key order kept)\n"
    "\n"
    "Run 'scmpwatch profile COMMAND --help' for a command's options.\n"
    "Exit status: 0 success; 1 an input could not be read or failed validation; 2 usage.\n";

static const char usage_validate[] =
    "Usage: scmpwatch profile validate [OPTIONS] FILE...\n"
    "Check each profile as Docker, runc and libseccomp would: JSON types, actions, errno\n"
    "values, architectures, flags, argument filters, includes/excludes; then build the filter\n"
    "of every archMap entry (or of the architectures list) with libseccomp and export it as\n"
    "BPF, without loading it. Messages are FILE:LINE:COLUMN: LEVEL: TEXT [at JSON.PATH].\n"
    "Syscall names the local libseccomp does not know are warnings: runtimes skip them.\n"
    "\n"
    "Options:\n"
    "      --cap CAP[,CAP]   capabilities of the container's bounding set, for includes/\n"
    "                        excludes on caps (default: Docker's default set); repeatable\n"
    "      --no-caps         the container has no capabilities\n"
    "      --kernel X.Y      kernel version for minKernel conditions (default: running)\n"
    "      --strict          warnings fail the validation too\n"
    "  -q, --quiet           print errors and warnings only (no notes, no summary)\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 every profile is valid; 1 a profile has errors (or warnings with\n"
    "--strict) or could not be read; 2 usage error.\n";

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

static const char usage_logify[] =
    "Usage: scmpwatch profile logify [OPTIONS] FILE\n"
    "Write the log-only variant of a profile for staging: defaultAction SCMP_ACT_LOG (and no\n"
    "defaultErrnoRet), so every syscall the profile would refuse runs and is logged as an\n"
    "audit record. Entries that refuse explicitly (errno, kill, trap...) keep their action\n"
    "and SECCOMP_FILTER_FLAG_LOG is added so their hits are logged too; with --all they\n"
    "become SCMP_ACT_LOG as well. A profile whose default is SCMP_ACT_ALLOW keeps it. Every\n"
    "other field is kept.\n"
    "\n"
    "Options:\n"
    "  -a, --all             turn explicit errno/kill/trap entries into SCMP_ACT_LOG too\n"
    "  -o, --output FILE     write to FILE (replaced atomically) instead of standard output\n"
    "  -f, --format FORMAT   profile (default) or diff (unified diff from FILE)\n"
    "      --seccomp-only    for a config.json, write only its linux.seccomp object\n"
    "  -q, --quiet           no summary on standard error\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 written; 1 the profile could not be read, has errors, or the output\n"
    "could not be written; 2 usage error.\n";

static const char usage_tune[] =
    "Usage: scmpwatch profile tune --allow NAMES [OPTIONS] FILE\n"
    "Write the tuned profile: FILE plus one entry allowing the given syscalls (sorted, with\n"
    "--comment), appended to syscalls. Names an unconditional entry already allows are left\n"
    "out; names an unconditional entry refuses are left out with a warning (libseccomp keeps\n"
    "the first unconditional rule). A log-only profile (defaultAction SCMP_ACT_LOG) gets the\n"
    "enforcing default back and loses SECCOMP_FILTER_FLAG_LOG. Every other field is kept.\n"
    "\n"
    "Options:\n"
    "  -A, --allow NAME[,NAME]  syscalls to allow; repeatable\n"
    "  -c, --comment TEXT       comment of the new entry (Docker profiles)\n"
    "  -d, --default-action ACT enforcing default for a log-only profile (default\n"
    "                           SCMP_ACT_ERRNO)\n"
    "  -e, --errno N            its defaultErrnoRet (default: none, runtimes use EPERM)\n"
    "      --keep-log-flag      keep SECCOMP_FILTER_FLAG_LOG when restoring enforcement\n"
    "  -o, --output FILE        write to FILE (replaced atomically) instead of standard output\n"
    "  -f, --format FORMAT      profile (default) or diff (unified diff from FILE)\n"
    "      --seccomp-only       for a config.json, write only its linux.seccomp object\n"
    "  -q, --quiet              no summary on standard error (warnings still)\n"
    "  -h, --help               show this help\n"
    "\n"
    "Exit status: 0 written; 1 the profile could not be read, has errors, or the output\n"
    "could not be written; 2 usage error (including invalid names or actions).\n";

static const char usage_diff[] =
    "Usage: scmpwatch profile diff [OPTIONS] OLD NEW\n"
    "Unified diff between two profiles, each written canonically first, so formatting and\n"
    "indentation differences do not show.\n"
    "\n"
    "Options:\n"
    "  -U, --unified N       lines of context (default 3)\n"
    "      --exit-code       exit 1 when the profiles differ\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 written (or equal); 1 a profile could not be read (or they differ with\n"
    "--exit-code); 2 usage error.\n";

static const char usage_fmt[] =
    "Usage: scmpwatch profile fmt [OPTIONS] FILE\n"
    "Write the profile canonically: 2-space indent, keys in their order, UTF-8 kept, a final\n"
    "newline. Every field is kept; a canonical file is written back byte for byte.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE     write to FILE (replaced atomically) instead of standard output\n"
    "      --seccomp-only    for a config.json, write only its linux.seccomp object\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 written; 1 the profile could not be read or written; 2 usage error.\n";

enum {
    OPT_CAP = 256,
    OPT_NO_CAPS,
    OPT_KERNEL,
    OPT_STRICT,
    OPT_ARCH,
    OPT_SECCOMP_ONLY,
    OPT_KEEP_LOG_FLAG,
    OPT_EXIT_CODE,
};

/* ---- shared helpers ---- */

struct host_opts {
    struct scw_profile_host host;
    const char *caps[MAX_CAPS];
    char *cap_buf[MAX_CAPS]; /* owned comma-split copies */
    size_t n_bufs;
};

static void host_opts_free(struct host_opts *h)
{
    for (size_t i = 0; i < h->n_bufs; i++)
        free(h->cap_buf[i]);
}

/* Split "A,B" into list (pointers into an owned copy). Returns false when over max. */
static bool split_list(const char *arg, const char **list, size_t *n, size_t max, char **ret_buf)
{
    char *buf = strdup(arg);
    if (!buf)
        return false;
    *ret_buf = buf;
    for (char *tok = buf; tok;) {
        char *comma = strchr(tok, ',');
        if (comma)
            *comma = '\0';
        if (*tok) {
            if (*n >= max)
                return false;
            list[(*n)++] = tok;
        }
        tok = comma ? comma + 1 : NULL;
    }
    return true;
}

/* Handle a host option; returns 1 handled, 0 not a host option, -1 usage error (reported). */
static int host_option(const char *cmd, int c, const char *arg, struct host_opts *h)
{
    switch (c) {
    case OPT_CAP:
        if (h->n_bufs >= MAX_CAPS ||
            !split_list(arg, h->caps, &h->host.n_caps, MAX_CAPS, &h->cap_buf[h->n_bufs++]))
            return scw_cmd_usage_error(cmd, "too many capabilities (at most %d)", MAX_CAPS), -1;
        h->host.caps = h->caps;
        return 1;
    case OPT_NO_CAPS:
        h->host.no_caps = true;
        return 1;
    case OPT_KERNEL: {
        unsigned maj, min;
        char end;
        if (sscanf(arg, "%u.%u%c", &maj, &min, &end) != 2 || (maj == 0 && min == 0))
            return scw_cmd_usage_error(cmd, "--kernel needs a version like 6.1, not '%s'", arg), -1;
        h->host.kernel_major = maj;
        h->host.kernel_minor = min;
        return 1;
    }
    case OPT_ARCH: {
        uint32_t t = scw_name_arch_token(arg);
        if (!t)
            return scw_cmd_usage_error(cmd, "unknown architecture '%s' (x86_64, aarch64, ...)",
                                       arg),
                   -1;
        h->host.native = t;
        return 1;
    }
    }
    return 0;
}

static const char *shown(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* Load one profile, printing its load errors. Returns NULL on failure. */
static struct scw_profile *load(const char *path, FILE *diag_out)
{
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    struct scw_profile *p = NULL;
    int rc = scw_profile_load_file(path, &p, &d);
    if (rc < 0) {
        scw_profile_diags_print(&d, path, SCW_DIAG_NOTE, diag_out);
        if (d.n == 0)
            scw_log_err(rc, "cannot read '%s'", shown(path));
        p = NULL;
    }
    scw_profile_diags_free(&d);
    return p;
}

/* For transforming commands: a profile with errors is refused (its output would be too). */
static struct scw_profile *load_valid(const char *cmd, const char *path)
{
    struct scw_profile *p = load(path, stderr);
    if (p && !scw_profile_ok(p)) {
        scw_profile_diags_print(scw_profile_diags(p), path, SCW_DIAG_WARNING, stderr);
        scw_log_errx("profile %s: '%s' has errors; fix them first ('scmpwatch profile validate' "
                     "lists them)",
                     cmd, shown(path));
        scw_profile_free(p);
        return NULL;
    }
    return p;
}

/* Emit a result: the profile text, or the diff from the input's canonical text. */
static int emit(const struct scw_profile *in, const struct scw_profile *outp, const char *path,
                enum scw_format format, bool seccomp_only, const char *output, const char *what)
{
    char *text = NULL, *old = NULL;
    size_t len = 0, old_len = 0;
    int rc = scw_profile_dump(outp, seccomp_only, &text, &len);
    if (rc == 0 && format == SCW_FORMAT_DIFF) {
        rc = scw_profile_dump(in, seccomp_only, &old, &old_len);
        char *buf = NULL;
        size_t buf_len = 0;
        FILE *mem = rc == 0 ? open_memstream(&buf, &buf_len) : NULL;
        if (rc == 0 && !mem)
            rc = -ENOMEM;
        if (mem) {
            char la[4200], lb[4200];
            snprintf(la, sizeof(la), "%s\t(current)", shown(path));
            snprintf(lb, sizeof(lb), "%s\t(%s)", shown(path), what);
            struct scw_diff_opts o = {.label_a = la, .label_b = lb, .context = 3};
            int d = scw_diff_unified(old, old_len, text, len, &o, mem);
            if (fclose(mem) != 0 && d >= 0)
                d = -ENOMEM;
            rc = d < 0 ? d : 0;
            free(text);
            text = buf;
            len = buf_len;
        }
    }
    if (rc == 0) {
        if (output)
            rc = scw_atomic_write(output, 0600, text, len);
        else if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
            rc = -EIO;
        if (rc < 0)
            scw_log_err(rc, "cannot write to '%s'", output ? output : "standard output");
    } else {
        scw_log_err(rc, "cannot produce the %s profile", what);
    }
    free(text);
    free(old);
    return rc;
}

/* ---- validate ---- */

static int cmd_validate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"cap", required_argument, NULL, OPT_CAP},
        {"no-caps", no_argument, NULL, OPT_NO_CAPS},
        {"kernel", required_argument, NULL, OPT_KERNEL},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct host_opts h = {0};
    bool strict = false, quiet = false;
    int c, r;
    optind = 0;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        if ((r = host_option("profile validate", c, optarg, &h)) != 0) {
            if (r < 0) {
                host_opts_free(&h);
                return SCW_EXIT_USAGE;
            }
            continue;
        }
        switch (c) {
        case OPT_STRICT:
            strict = true;
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            fputs(usage_validate, stdout);
            host_opts_free(&h);
            return SCW_EXIT_OK;
        default:
            host_opts_free(&h);
            return scw_cmd_usage_error("profile validate", "unknown option");
        }
    }
    if (optind >= argc) {
        host_opts_free(&h);
        return scw_cmd_usage_error("profile validate", "no profile given");
    }
    int failed = 0;
    for (int i = optind; i < argc; i++) {
        struct scw_profile *p = load(argv[i], stdout);
        if (!p) {
            failed++;
            continue;
        }
        struct scw_profile_diags d;
        scw_profile_diags_init(&d);
        int errors = scw_profile_validate(p, &h.host, &d, NULL);
        scw_profile_diags_print(&d, argv[i], quiet ? SCW_DIAG_WARNING : SCW_DIAG_NOTE, stdout);
        bool bad = errors != 0 || (strict && d.warnings);
        if (!quiet)
            printf("%s: %s (%s; %zu error%s, %zu warning%s)\n", shown(argv[i]),
                   bad ? "INVALID" : "valid",
                   scw_profile_kind(p) == SCW_PROFILE_OCI ? "OCI config.json" : "Docker profile",
                   d.errors, d.errors == 1 ? "" : "s", d.warnings, d.warnings == 1 ? "" : "s");
        failed += bad;
        scw_profile_diags_free(&d);
        scw_profile_free(p);
    }
    host_opts_free(&h);
    if (fflush(stdout) != 0)
        return SCW_EXIT_INPUT;
    return failed ? SCW_EXIT_INPUT : SCW_EXIT_OK;
}

/* ---- show ---- */

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
        doc = json_pack("{s:s, s:s, s:s, s:s}", "source", shown(path), "kind",
                        scw_profile_kind(p) == SCW_PROFILE_OCI ? "oci" : "docker", "default", defs,
                        "host", hostbuf);
        jarches = json_array();
        json_object_set_new(doc, "architectures", jarches);
    } else {
        printf("%s: %s, default %s%s\n", shown(path),
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

static int cmd_show(int argc, char **argv)
{
    static const struct option opts[] = {
        {"arch", required_argument, NULL, OPT_ARCH},
        {"cap", required_argument, NULL, OPT_CAP},
        {"no-caps", no_argument, NULL, OPT_NO_CAPS},
        {"kernel", required_argument, NULL, OPT_KERNEL},
        {"syscall", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct host_opts h = {0};
    const char *queries[MAX_QUERIES];
    size_t n_q = 0;
    bool json = false;
    int c, r, rc = SCW_EXIT_OK;
    optind = 0;
    while ((c = getopt_long(argc, argv, "s:f:h", opts, NULL)) != -1) {
        if ((r = host_option("profile show", c, optarg, &h)) != 0) {
            if (r < 0) {
                host_opts_free(&h);
                return SCW_EXIT_USAGE;
            }
            continue;
        }
        switch (c) {
        case 's':
            if (n_q >= MAX_QUERIES) {
                host_opts_free(&h);
                return scw_cmd_usage_error("profile show", "at most %d --syscall", MAX_QUERIES);
            }
            queries[n_q++] = optarg;
            break;
        case 'f': {
            enum scw_format f = scw_format_from_name(optarg);
            if (f != SCW_FORMAT_TEXT && f != SCW_FORMAT_JSON) {
                host_opts_free(&h);
                return scw_cmd_usage_error("profile show", "unknown format '%s' (text or json)",
                                           optarg);
            }
            json = f == SCW_FORMAT_JSON;
            break;
        }
        case 'h':
            fputs(usage_show, stdout);
            host_opts_free(&h);
            return SCW_EXIT_OK;
        default:
            host_opts_free(&h);
            return scw_cmd_usage_error("profile show", "unknown option");
        }
    }
    if (argc - optind != 1) {
        host_opts_free(&h);
        return scw_cmd_usage_error("profile show", "give exactly one profile");
    }
    struct scw_profile *p = load_valid("show", argv[optind]);
    if (!p) {
        host_opts_free(&h);
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
    host_opts_free(&h);
    return rc;
}

/* ---- logify, tune, fmt ---- */

static enum scw_format parse_output_format(const char *cmd, const char *arg)
{
    enum scw_format f = scw_format_from_name(arg);
    if (f != SCW_FORMAT_PROFILE && f != SCW_FORMAT_DIFF) {
        scw_cmd_usage_error(cmd, "unknown format '%s' (profile or diff)", arg);
        return SCW_FORMAT_INVALID;
    }
    return f;
}

static int cmd_logify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"all", no_argument, NULL, 'a'},
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        {"seccomp-only", no_argument, NULL, OPT_SECCOMP_ONLY},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool all = false, seccomp_only = false, quiet = false;
    const char *output = NULL;
    enum scw_format format = SCW_FORMAT_PROFILE;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "ao:f:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            all = true;
            break;
        case 'o':
            output = optarg;
            break;
        case 'f':
            if ((format = parse_output_format("profile logify", optarg)) == SCW_FORMAT_INVALID)
                return SCW_EXIT_USAGE;
            break;
        case OPT_SECCOMP_ONLY:
            seccomp_only = true;
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            fputs(usage_logify, stdout);
            return SCW_EXIT_OK;
        default:
            return scw_cmd_usage_error("profile logify", "unknown option");
        }
    }
    if (argc - optind != 1)
        return scw_cmd_usage_error("profile logify", "give exactly one profile");
    const char *path = argv[optind];
    struct scw_profile *p = load_valid("logify", path), *out = NULL;
    if (!p)
        return SCW_EXIT_INPUT;
    struct scw_profile_changes ch;
    int rc = scw_profile_logify(p, all, &out, &ch);
    if (rc < 0) {
        scw_log_err(rc, "cannot logify '%s'", shown(path));
    } else {
        rc = emit(p, out, path, format, seccomp_only, output, "logified");
        if (rc == 0 && !quiet) {
            int e;
            enum scw_action def = scw_profile_default_action(p, &e);
            if (!ch.default_changed && !ch.log_flag_added && !ch.entries_changed)
                scw_log(SCW_LOG_NOTICE, "'%s' is already log-only%s; written unchanged",
                        shown(path),
                        def == SCW_ACTION_ALLOW ? " (its default is SCMP_ACT_ALLOW)" : "");
            else
                scw_log(SCW_LOG_NOTICE,
                        "logified '%s': defaultAction %s%s%s; %zu entr%s turned into "
                        "SCMP_ACT_LOG%s",
                        shown(path), ch.default_changed ? scw_profile_action_name(def) : "kept",
                        ch.default_changed ? " -> SCMP_ACT_LOG" : "",
                        def == SCW_ACTION_ALLOW ? " (SCMP_ACT_ALLOW: a deny-list profile)" : "",
                        ch.entries_changed, ch.entries_changed == 1 ? "y" : "ies",
                        ch.log_flag_added ? "; SECCOMP_FILTER_FLAG_LOG added so refusals "
                                            "are logged"
                                          : "");
        }
    }
    scw_profile_free(out);
    scw_profile_free(p);
    return rc < 0 ? SCW_EXIT_INPUT : SCW_EXIT_OK;
}

static int cmd_tune(int argc, char **argv)
{
    static const struct option opts[] = {
        {"allow", required_argument, NULL, 'A'},
        {"comment", required_argument, NULL, 'c'},
        {"default-action", required_argument, NULL, 'd'},
        {"errno", required_argument, NULL, 'e'},
        {"keep-log-flag", no_argument, NULL, OPT_KEEP_LOG_FLAG},
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        {"seccomp-only", no_argument, NULL, OPT_SECCOMP_ONLY},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *allow[MAX_ALLOW];
    char *bufs[MAX_ALLOW];
    size_t n_allow = 0, n_bufs = 0;
    struct scw_profile_tune t = {.default_errno = -1};
    bool seccomp_only = false, quiet = false;
    const char *output = NULL;
    enum scw_format format = SCW_FORMAT_PROFILE;
    int c, rc = SCW_EXIT_OK;
    optind = 0;
    while ((c = getopt_long(argc, argv, "A:c:d:e:o:f:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'A':
            if (n_bufs >= MAX_ALLOW ||
                !split_list(optarg, allow, &n_allow, MAX_ALLOW, &bufs[n_bufs++])) {
                rc = scw_cmd_usage_error("profile tune", "too many --allow names (at most %d)",
                                         MAX_ALLOW);
                goto out;
            }
            break;
        case 'c':
            t.comment = optarg;
            break;
        case 'd':
            t.default_action = optarg;
            break;
        case 'e': {
            char *end;
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || v < 0 || v > 4095) {
                rc = scw_cmd_usage_error("profile tune", "--errno needs a number 0 to 4095");
                goto out;
            }
            t.default_errno = (int)v;
            break;
        }
        case OPT_KEEP_LOG_FLAG:
            t.keep_log_flag = true;
            break;
        case 'o':
            output = optarg;
            break;
        case 'f':
            if ((format = parse_output_format("profile tune", optarg)) == SCW_FORMAT_INVALID) {
                rc = SCW_EXIT_USAGE;
                goto out;
            }
            break;
        case OPT_SECCOMP_ONLY:
            seccomp_only = true;
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            fputs(usage_tune, stdout);
            goto out;
        default:
            rc = scw_cmd_usage_error("profile tune", "unknown option");
            goto out;
        }
    }
    if (argc - optind != 1) {
        rc = scw_cmd_usage_error("profile tune", "give exactly one profile");
        goto out;
    }
    t.allow = allow;
    t.n_allow = n_allow;
    const char *path = argv[optind];
    struct scw_profile *p = load_valid("tune", path), *tuned = NULL;
    if (!p) {
        rc = SCW_EXIT_INPUT;
        goto out;
    }
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    struct scw_profile_changes ch;
    int r = scw_profile_tune(p, &t, &tuned, &ch, &d);
    scw_profile_diags_print(&d, path, SCW_DIAG_WARNING, stderr);
    if (r == -EINVAL) {
        rc = SCW_EXIT_USAGE;
    } else if (r < 0) {
        scw_log_err(r, "cannot tune '%s'", shown(path));
        rc = SCW_EXIT_INPUT;
    } else if (emit(p, tuned, path, format, seccomp_only, output, "tuned") < 0) {
        rc = SCW_EXIT_INPUT;
    } else if (!quiet) {
        scw_log(SCW_LOG_NOTICE,
                "tuned '%s': %zu syscall%s added, %zu already allowed, %zu left out%s%s",
                shown(path), ch.names_added, ch.names_added == 1 ? "" : "s", ch.names_already,
                ch.names_refused, ch.default_changed ? "; enforcing default restored" : "",
                ch.log_flag_removed ? "; SECCOMP_FILTER_FLAG_LOG removed" : "");
    }
    scw_profile_diags_free(&d);
    scw_profile_free(tuned);
    scw_profile_free(p);
out:
    for (size_t i = 0; i < n_bufs; i++)
        free(bufs[i]);
    return rc;
}

static int cmd_fmt(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"seccomp-only", no_argument, NULL, OPT_SECCOMP_ONLY},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL;
    bool seccomp_only = false;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            output = optarg;
            break;
        case OPT_SECCOMP_ONLY:
            seccomp_only = true;
            break;
        case 'h':
            fputs(usage_fmt, stdout);
            return SCW_EXIT_OK;
        default:
            return scw_cmd_usage_error("profile fmt", "unknown option");
        }
    }
    if (argc - optind != 1)
        return scw_cmd_usage_error("profile fmt", "give exactly one profile");
    struct scw_profile *p = load(argv[optind], stderr);
    if (!p)
        return SCW_EXIT_INPUT;
    int rc = emit(p, p, argv[optind], SCW_FORMAT_PROFILE, seccomp_only, output, "formatted");
    scw_profile_free(p);
    return rc < 0 ? SCW_EXIT_INPUT : SCW_EXIT_OK;
}

static int cmd_diff(int argc, char **argv)
{
    static const struct option opts[] = {
        {"unified", required_argument, NULL, 'U'},
        {"exit-code", no_argument, NULL, OPT_EXIT_CODE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    unsigned context = 3;
    bool exit_code = false;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "U:h", opts, NULL)) != -1) {
        switch (c) {
        case 'U': {
            char *end;
            errno = 0;
            unsigned long v = strtoul(optarg, &end, 10);
            if (errno || end == optarg || *end || v > 10000)
                return scw_cmd_usage_error("profile diff", "-U needs a number 0 to 10000");
            context = (unsigned)v;
            break;
        }
        case OPT_EXIT_CODE:
            exit_code = true;
            break;
        case 'h':
            fputs(usage_diff, stdout);
            return SCW_EXIT_OK;
        default:
            return scw_cmd_usage_error("profile diff", "unknown option");
        }
    }
    if (argc - optind != 2)
        return scw_cmd_usage_error("profile diff", "give two profiles: OLD NEW");
    const char *pa = argv[optind], *pb = argv[optind + 1];
    if (strcmp(pa, "-") == 0 && strcmp(pb, "-") == 0)
        return scw_cmd_usage_error("profile diff", "only one of OLD and NEW can be '-'");
    struct scw_profile *a = load(pa, stderr), *b = a ? load(pb, stderr) : NULL;
    char *ta = NULL, *tb = NULL;
    size_t la = 0, lb = 0;
    int rc = -EINVAL;
    if (a && b && scw_profile_dump(a, false, &ta, &la) == 0 &&
        scw_profile_dump(b, false, &tb, &lb) == 0) {
        struct scw_diff_opts o = {.label_a = shown(pa), .label_b = shown(pb), .context = context};
        rc = scw_diff_unified(ta, la, tb, lb, &o, stdout);
        if (rc >= 0 && fflush(stdout) != 0)
            rc = -EIO;
        if (rc < 0)
            scw_log_err(rc, "cannot write the diff");
    }
    free(ta);
    free(tb);
    scw_profile_free(a);
    scw_profile_free(b);
    if (rc < 0)
        return SCW_EXIT_INPUT;
    return rc == 1 && exit_code ? SCW_EXIT_INPUT : SCW_EXIT_OK;
}

int scw_cmd_profile(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } subs[] = {
        {"validate", cmd_validate}, {"show", cmd_show}, {"logify", cmd_logify},
        {"tune", cmd_tune},         {"diff", cmd_diff}, {"fmt", cmd_fmt},
    };
    if (argc < 2) {
        fputs(usage, stderr);
        return SCW_EXIT_USAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, stdout);
        return SCW_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].run(argc - 1, argv + 1);
    return scw_cmd_usage_error("profile",
                               "unknown command '%s' (validate, show, logify, tune, "
                               "diff, fmt)",
                               argv[1]);
}
