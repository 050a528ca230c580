/*
 * cmd_profile: "scmpwatch profile validate|show|logify|tune|diff|fmt", the user's handle on
 * profile.c: check a profile as runtimes would (with libseccomp, never loading it), show what
 * it allows per architecture, write its log-only variant for staging or a tuned variant, and
 * diff profiles written canonically. Inputs are Docker profiles or OCI config.json files
 * ("-" = standard input). Output files are replaced atomically. Called from commands.c.
 *
 * This file: the dispatch, validate and diff, and the helpers every subcommand shares
 * (cmd_profile.h: host options, loading). show is in cmd_profile_show.c; logify, tune and fmt,
 * which write profiles, in cmd_profile_edit.c.
 */
#include "cmd_profile.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "diff.h"
#include "log.h"
#include "name.h"
#include "profile.h"
#include "report.h"

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

/* The options of validate and diff (the host options are cmd_profile.h's). */
enum {
    OPT_STRICT = SCW_CMD_PROFILE_OPT_MAX,
    OPT_EXIT_CODE,
};

/* ---- shared helpers (cmd_profile.h) ---- */

void scw_cmd_profile_host_free(struct scw_cmd_profile_host *h)
{
    for (size_t i = 0; i < h->n_bufs; i++)
        free(h->cap_buf[i]);
}

/* Split "A,B" into list (pointers into an owned copy). Returns false when over max. */
bool scw_cmd_profile_split_list(const char *arg, const char **list, size_t *n, size_t max,
                                char **ret_buf)
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
int scw_cmd_profile_host_option(const char *cmd, int c, const char *arg,
                                struct scw_cmd_profile_host *h)
{
    switch (c) {
    case SCW_CMD_PROFILE_OPT_CAP:
        if (h->n_bufs >= SCW_CMD_PROFILE_MAX_CAPS ||
            !scw_cmd_profile_split_list(arg, h->caps, &h->host.n_caps, SCW_CMD_PROFILE_MAX_CAPS,
                                        &h->cap_buf[h->n_bufs++]))
            return scw_cmd_usage_error(cmd, "too many capabilities (at most %d)",
                                       SCW_CMD_PROFILE_MAX_CAPS),
                   -1;
        h->host.caps = h->caps;
        return 1;
    case SCW_CMD_PROFILE_OPT_NO_CAPS:
        h->host.no_caps = true;
        return 1;
    case SCW_CMD_PROFILE_OPT_KERNEL: {
        unsigned maj, min;
        char end;
        if (sscanf(arg, "%u.%u%c", &maj, &min, &end) != 2 || (maj == 0 && min == 0))
            return scw_cmd_usage_error(cmd, "--kernel needs a version like 6.1, not '%s'", arg), -1;
        h->host.kernel_major = maj;
        h->host.kernel_minor = min;
        return 1;
    }
    case SCW_CMD_PROFILE_OPT_ARCH: {
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

const char *scw_cmd_profile_shown(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* Load one profile, printing its load errors. Returns NULL on failure. */
struct scw_profile *scw_cmd_profile_load(const char *path, FILE *diag_out)
{
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    struct scw_profile *p = NULL;
    int rc = scw_profile_load_file(path, &p, &d);
    if (rc < 0) {
        scw_profile_diags_print(&d, path, SCW_DIAG_NOTE, diag_out);
        if (d.n == 0)
            scw_log_err(rc, "cannot read '%s'", scw_cmd_profile_shown(path));
        p = NULL;
    }
    scw_profile_diags_free(&d);
    return p;
}

/* For transforming commands: a profile with errors is refused (its output would be too). */
struct scw_profile *scw_cmd_profile_load_valid(const char *cmd, const char *path)
{
    struct scw_profile *p = scw_cmd_profile_load(path, stderr);
    if (p && !scw_profile_ok(p)) {
        scw_profile_diags_print(scw_profile_diags(p), path, SCW_DIAG_WARNING, stderr);
        scw_log_errx("profile %s: '%s' has errors; fix them first ('scmpwatch profile validate' "
                     "lists them)",
                     cmd, scw_cmd_profile_shown(path));
        scw_profile_free(p);
        return NULL;
    }
    return p;
}

/* ---- validate ---- */

static int cmd_validate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"cap", required_argument, NULL, SCW_CMD_PROFILE_OPT_CAP},
        {"no-caps", no_argument, NULL, SCW_CMD_PROFILE_OPT_NO_CAPS},
        {"kernel", required_argument, NULL, SCW_CMD_PROFILE_OPT_KERNEL},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct scw_cmd_profile_host h = {0};
    bool strict = false, quiet = false;
    int c, r;
    optind = 0;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        if ((r = scw_cmd_profile_host_option("profile validate", c, optarg, &h)) != 0) {
            if (r < 0) {
                scw_cmd_profile_host_free(&h);
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
            scw_cmd_profile_host_free(&h);
            return SCW_EXIT_OK;
        default:
            scw_cmd_profile_host_free(&h);
            return scw_cmd_usage_error("profile validate", "unknown option");
        }
    }
    if (optind >= argc) {
        scw_cmd_profile_host_free(&h);
        return scw_cmd_usage_error("profile validate", "no profile given");
    }
    int failed = 0;
    for (int i = optind; i < argc; i++) {
        struct scw_profile *p = scw_cmd_profile_load(argv[i], stdout);
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
            printf("%s: %s (%s; %zu error%s, %zu warning%s)\n", scw_cmd_profile_shown(argv[i]),
                   bad ? "INVALID" : "valid",
                   scw_profile_kind(p) == SCW_PROFILE_OCI ? "OCI config.json" : "Docker profile",
                   d.errors, d.errors == 1 ? "" : "s", d.warnings, d.warnings == 1 ? "" : "s");
        failed += bad;
        scw_profile_diags_free(&d);
        scw_profile_free(p);
    }
    scw_cmd_profile_host_free(&h);
    if (fflush(stdout) != 0)
        return SCW_EXIT_INPUT;
    return failed ? SCW_EXIT_INPUT : SCW_EXIT_OK;
}

/* ---- diff ---- */

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
    struct scw_profile *a = scw_cmd_profile_load(pa, stderr),
                       *b = a ? scw_cmd_profile_load(pb, stderr) : NULL;
    char *ta = NULL, *tb = NULL;
    size_t la = 0, lb = 0;
    int rc = -EINVAL;
    if (a && b && scw_profile_dump(a, false, &ta, &la) == 0 &&
        scw_profile_dump(b, false, &tb, &lb) == 0) {
        struct scw_diff_opts o = {.label_a = scw_cmd_profile_shown(pa),
                                  .label_b = scw_cmd_profile_shown(pb),
                                  .context = context};
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
        {"validate", cmd_validate},
        {"show", scw_cmd_profile_show},
        {"logify", scw_cmd_profile_logify},
        {"tune", scw_cmd_profile_tune},
        {"diff", cmd_diff},
        {"fmt", scw_cmd_profile_fmt},
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
