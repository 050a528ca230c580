/*
 * cmd_profile_edit: the "scmpwatch profile" commands that write a profile: logify (the
 * log-only variant for staging), tune (plus one entry allowing the --allow syscalls, written
 * as an edit of the input's own text unless --canonical) and fmt (written canonically), to
 * standard output or a file replaced atomically, as the profile or as a diff from the input. The
 * transformations themselves are profile.c's; this file parses the options, emits and summarises.
 * Called from cmd_profile.c's dispatch.
 */
#include "cmd_profile.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "commands.h"
#include "diff.h"
#include "log.h"
#include "profile.h"
#include "report.h"

#define MAX_ALLOW 4096

static const char usage_logify[] =
    "Usage: scmpwatch profile logify [OPTIONS] FILE\n"
    "Write the log-only variant of a profile for staging: defaultAction SCMP_ACT_LOG (and no\n"
    "defaultErrnoRet), so every syscall the profile would refuse runs and is logged as an\n"
    "audit record. Entries that refuse explicitly (errno, kill, trap...) keep their action;\n"
    "their hits are not logged unless --log-flag adds SECCOMP_FILTER_FLAG_LOG (only for crun\n"
    "or runc 1.2 and later: runc 1.1 refuses flags, dockerd 20.10 drops them; see scmpwatch\n"
    "check); with --all they become SCMP_ACT_LOG as well. A profile whose default is\n"
    "SCMP_ACT_ALLOW keeps it. Every other field is kept.\n"
    "\n"
    "Options:\n"
    "  -a, --all             turn explicit errno/kill/trap entries into SCMP_ACT_LOG too\n"
    "  -l, --log-flag        add SECCOMP_FILTER_FLAG_LOG so explicit refusals are logged\n"
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
    "The output is FILE's own text with the change (its indentation, line endings, key order),\n"
    "so a diff against FILE shows only the change; when that cannot be done it is written in\n"
    "the canonical layout, with a note on standard error.\n"
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
    "      --canonical          write the canonical layout (as profile fmt), not FILE's own\n"
    "      --seccomp-only       for a config.json, write only its linux.seccomp object\n"
    "                           (canonical)\n"
    "  -q, --quiet              no summary on standard error (warnings still)\n"
    "  -h, --help               show this help\n"
    "\n"
    "Exit status: 0 written; 1 the profile could not be read, has errors, or the output\n"
    "could not be written; 2 usage error (including invalid names or actions).\n";

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
    OPT_SECCOMP_ONLY = 256,
    OPT_KEEP_LOG_FLAG,
    OPT_CANONICAL,
};

/* Write text, or (format diff) the diff from old to it, to output or standard output. */
static int emit_text(const char *old, size_t old_len, char *text, size_t len, const char *path,
                     enum scw_format format, const char *output, const char *what)
{
    int rc = 0;
    char *buf = NULL;
    if (format == SCW_FORMAT_DIFF) {
        size_t buf_len = 0;
        FILE *mem = open_memstream(&buf, &buf_len);
        if (!mem) {
            rc = -ENOMEM;
        } else {
            char la[4200], lb[4200];
            snprintf(la, sizeof(la), "%s\t(current)", scw_cmd_profile_shown(path));
            snprintf(lb, sizeof(lb), "%s\t(%s)", scw_cmd_profile_shown(path), what);
            struct scw_diff_opts o = {.label_a = la, .label_b = lb, .context = 3};
            int d = scw_diff_unified(old, old_len, text, len, &o, mem);
            if (fclose(mem) != 0 && d >= 0)
                d = -ENOMEM;
            rc = d < 0 ? d : 0;
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
    free(buf);
    return rc;
}

/* Emit a result: the profile text, or the diff from the input's canonical text. */
static int emit(const struct scw_profile *in, const struct scw_profile *outp, const char *path,
                enum scw_format format, bool seccomp_only, const char *output, const char *what)
{
    char *text = NULL, *old = NULL;
    size_t len = 0, old_len = 0;
    int rc = scw_profile_dump(outp, seccomp_only, &text, &len);
    if (rc == 0 && format == SCW_FORMAT_DIFF)
        rc = scw_profile_dump(in, seccomp_only, &old, &old_len);
    if (rc == 0)
        rc = emit_text(old, old_len, text, len, path, format, output, what);
    else
        scw_log_err(rc, "cannot produce the %s profile", what);
    free(text);
    free(old);
    return rc;
}

/*
 * tune's output: FILE's own text with the change (scw_profile_tune_source; the diff is from
 * FILE as it is), or with canonical, or --seccomp-only of a config.json, the canonical text
 * (diff from FILE's canonical text), as emit writes it.
 */
static int emit_tuned(const struct scw_profile *p, const struct scw_profile_tune *t,
                      const char *path, enum scw_format format, bool seccomp_only, bool canonical,
                      const char *output, struct scw_profile_changes *ch,
                      struct scw_profile_diags *d)
{
    if (canonical || (seccomp_only && scw_profile_kind(p) == SCW_PROFILE_OCI)) {
        struct scw_profile *tuned = NULL;
        int r = scw_profile_tune(p, t, &tuned, ch, d);
        if (r == 0)
            r = emit(p, tuned, path, format, seccomp_only, output, "tuned") < 0 ? -EIO : 0;
        scw_profile_free(tuned);
        return r;
    }
    char *text = NULL;
    size_t len = 0, old_len = 0;
    bool reformatted = false;
    int r = scw_profile_tune_source(p, t, &text, &len, &reformatted, ch, d);
    if (r < 0)
        return r;
    const char *old = scw_profile_text(p, &old_len);
    if (reformatted)
        scw_log(SCW_LOG_NOTICE,
                "note: could not add the change to '%s' as it is written: the tuned profile "
                "is written in the canonical layout (as with --canonical), so it differs from "
                "'%s' beyond the change",
                scw_cmd_profile_shown(path), scw_cmd_profile_shown(path));
    r = emit_text(old, old_len, text, len, path, format, output, "tuned") < 0 ? -EIO : 0;
    free(text);
    return r;
}

static enum scw_format parse_output_format(const char *cmd, const char *arg)
{
    enum scw_format f = scw_format_from_name(arg);
    if (f != SCW_FORMAT_PROFILE && f != SCW_FORMAT_DIFF) {
        scw_cmd_usage_error(cmd, "unknown format '%s' (profile or diff)", arg);
        return SCW_FORMAT_INVALID;
    }
    return f;
}

int scw_cmd_profile_logify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"all", no_argument, NULL, 'a'},
        {"log-flag", no_argument, NULL, 'l'},
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        {"seccomp-only", no_argument, NULL, OPT_SECCOMP_ONLY},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool all = false, log_flag = false, seccomp_only = false, quiet = false;
    const char *output = NULL;
    enum scw_format format = SCW_FORMAT_PROFILE;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "alo:f:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            all = true;
            break;
        case 'l':
            log_flag = true;
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
    struct scw_profile *p = scw_cmd_profile_load_valid("logify", path), *out = NULL;
    if (!p)
        return SCW_EXIT_INPUT;
    struct scw_profile_changes ch;
    unsigned lopts =
        (all ? SCW_PROFILE_LOGIFY_ALL : 0) | (log_flag ? SCW_PROFILE_LOGIFY_LOG_FLAG : 0);
    int rc = scw_profile_logify(p, lopts, &out, &ch);
    if (rc < 0) {
        scw_log_err(rc, "cannot logify '%s'", scw_cmd_profile_shown(path));
    } else {
        rc = emit(p, out, path, format, seccomp_only, output, "logified");
        /* a warning, so printed even with -q: these refusals will not show in the audit log */
        if (rc == 0 && ch.unlogged)
            scw_profile_diag_print(&ch.unlogged_warning, path, stderr);
        if (rc == 0 && !quiet) {
            int e;
            enum scw_action def = scw_profile_default_action(p, &e);
            if (!ch.default_changed && !ch.log_flag_added && !ch.entries_changed)
                scw_log(SCW_LOG_NOTICE, "'%s' is already log-only%s; written unchanged",
                        scw_cmd_profile_shown(path),
                        def == SCW_ACTION_ALLOW ? " (its default is SCMP_ACT_ALLOW)" : "");
            else
                scw_log(SCW_LOG_NOTICE,
                        "logified '%s': defaultAction %s%s%s; %zu entr%s turned into "
                        "SCMP_ACT_LOG%s",
                        scw_cmd_profile_shown(path),
                        ch.default_changed ? scw_profile_action_name(def) : "kept",
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

/* Long, but flat: most of it is one case per option of usage_tune. */
int scw_cmd_profile_tune(int argc, char **argv)
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
        {"canonical", no_argument, NULL, OPT_CANONICAL},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *allow[MAX_ALLOW];
    char *bufs[MAX_ALLOW];
    size_t n_allow = 0, n_bufs = 0;
    struct scw_profile_tune t = {.default_errno = -1};
    bool seccomp_only = false, quiet = false, canonical = false;
    const char *output = NULL;
    enum scw_format format = SCW_FORMAT_PROFILE;
    int c, rc = SCW_EXIT_OK;
    optind = 0;
    while ((c = getopt_long(argc, argv, "A:c:d:e:o:f:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'A':
            if (n_bufs >= MAX_ALLOW ||
                !scw_cmd_profile_split_list(optarg, allow, &n_allow, MAX_ALLOW, &bufs[n_bufs++])) {
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
            if (errno || end == optarg || *end || v < 0 || v > 4094) {
                rc = scw_cmd_usage_error("profile tune",
                                         "--errno needs a number 0 to 4094 (libseccomp's range)");
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
        case OPT_CANONICAL:
            canonical = true;
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
    struct scw_profile *p = scw_cmd_profile_load_valid("tune", path);
    if (!p) {
        rc = SCW_EXIT_INPUT;
        goto out;
    }
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    struct scw_profile_changes ch;
    int r = emit_tuned(p, &t, path, format, seccomp_only, canonical, output, &ch, &d);
    scw_profile_diags_print(&d, path, SCW_DIAG_WARNING, stderr);
    if (r == -EINVAL) {
        rc = SCW_EXIT_USAGE;
    } else if (r == -EIO) {
        rc = SCW_EXIT_INPUT; /* emit said why */
    } else if (r < 0) {
        scw_log_err(r, "cannot tune '%s'", scw_cmd_profile_shown(path));
        rc = SCW_EXIT_INPUT;
    } else if (!quiet) {
        scw_log(SCW_LOG_NOTICE,
                "tuned '%s': %zu syscall%s added, %zu already allowed, %zu left out%s%s",
                scw_cmd_profile_shown(path), ch.names_added, ch.names_added == 1 ? "" : "s",
                ch.names_already, ch.names_refused,
                ch.default_changed ? "; enforcing default restored" : "",
                ch.log_flag_removed ? "; SECCOMP_FILTER_FLAG_LOG removed" : "");
    }
    scw_profile_diags_free(&d);
    scw_profile_free(p);
out:
    for (size_t i = 0; i < n_bufs; i++)
        free(bufs[i]);
    return rc;
}

int scw_cmd_profile_fmt(int argc, char **argv)
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
    struct scw_profile *p = scw_cmd_profile_load(argv[optind], stderr);
    if (!p)
        return SCW_EXIT_INPUT;
    int rc = emit(p, p, argv[optind], SCW_FORMAT_PROFILE, seccomp_only, output, "formatted");
    scw_profile_free(p);
    return rc < 0 ? SCW_EXIT_INPUT : SCW_EXIT_OK;
}
