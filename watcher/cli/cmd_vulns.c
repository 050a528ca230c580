/*
 * cmd_vulns: "scmpwatch vulns [--rules FILE]... [--kernel RELEASE] [--format text|json]
 * REPORT..." lists, for each scanner report (PATH or IMAGE=PATH), its format, image and
 * vulnerability count and which cve_blocks it would turn on, with the syscalls they keep
 * refused; then the kernel_below blocks the host kernel turns on for every workload. No events
 * are read. A report that cannot be read is named with the reason (exit 1); the others are
 * still listed. Reading and matching live in vulns.c; this file parses options and prints.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "host_kernel.h"
#include "log.h"
#include "report.h"
#include "rules.h"
#include "rules_files.h"
#include "vulns.h"

static const char usage[] =
    "Usage: scmpwatch vulns [OPTIONS] REPORT...\n"
    "List what image scanner reports would keep blocked: for each report its format,\n"
    "image and vulnerabilities, and the cve_blocks of the rule files that apply, with the\n"
    "syscalls they keep refused; then the blocks the host kernel turns on. No events are read.\n"
    "\n"
    "REPORT is PATH or IMAGE=PATH: the JSON of klar (JSON_OUTPUT=true), trivy image -f json\n"
    "or grype -o json, the format detected from the content. Trivy and Grype reports name\n"
    "their image; klar reports (and filesystem scans) need IMAGE=PATH. A PATH that starts\n"
    "with '/' or '.' is never split at '='.\n"
    "\n"
    "Options:\n"
    "  -r, --rules FILE      rule file whose cve_blocks apply too (repeatable), added after\n"
    "                        the shipped default.yaml and cve.yaml ($SCMPWATCH_RULES_DIR\n"
    "                        overrides their directory) and rules.d\n"
    "      --rules-d DIR     the site's rule directory (default $SCMPWATCH_RULES_D, else\n"
    "                        /etc/scmpwatch/rules.d)\n"
    "      --no-default-rules  neither the shipped rules nor rules.d: only --rules\n"
    "  -k, --kernel RELEASE  kernel release to check kernel_below blocks against (default:\n"
    "                        this host's upstream version, as scmpwatch check shows it:\n"
    "                        Debian's uname -v, Ubuntu's /proc/version_signature, else\n"
    "                        uname -r); 'none' skips kernel checks (a\n"
    "                        kernel_below block then applies on image evidence alone)\n"
    "  -f, --format FORMAT   text (default) or json\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 every report read; 1 a report or rule file could not be read (the\n"
    "other reports are still listed); 2 usage error.\n";

static void put_list(FILE *out, const struct scw_syscall_set *set)
{
    if (set->all)
        fputs(" *", out);
    for (size_t i = 0; i < set->n_names; i++)
        fprintf(out, " %s", set->names[i]);
}

static void print_hit_text(FILE *out, const struct scw_block_hit *h)
{
    char ev[1024];
    scw_vulns_hit_evidence(h, ev, sizeof(ev));
    fprintf(out, "    %s: keeps refused", h->block->name);
    put_list(out, &h->block->syscalls);
    fprintf(out, "\n      %s\n      why: %s\n      see: %s\n", ev, h->block->reason,
            h->block->link);
}

static void print_report_text(FILE *out, const struct scw_vuln_report *r,
                              const struct scw_block_hit *hits, size_t n)
{
    fprintf(out, "%s: %s report, image %s%s\n", r->path, scw_vuln_format_name(r->format), r->image,
            r->image_from_user ? " (given)" : "");
    if (r->n_names > 1 || !r->image_from_user) {
        fputs("  matched as:", out);
        for (size_t i = 0; i < r->n_names; i++)
            fprintf(out, "%s %s", i ? "," : "", r->names[i]);
        fputc('\n', out);
    }
    fprintf(out, "  %zu vulnerabilit%s", r->n_vulns, r->n_vulns == 1 ? "y" : "ies");
    const char *sep = ": ";
    for (int s = SCW_SEVERITY_MAX - 1; s >= 0; s--) {
        if (!r->by_severity[s])
            continue;
        fprintf(out, "%s%zu %s", sep, r->by_severity[s], scw_severity_name((enum scw_severity)s));
        sep = ", ";
    }
    fputc('\n', out);
    if (!n) {
        fputs("  no cve block applies\n", out);
        return;
    }
    fprintf(out,
            "  %zu cve block%s appl%s (outranking every rule, for every workload of this "
            "image):\n",
            n, n == 1 ? "" : "s", n == 1 ? "ies" : "y");
    for (size_t i = 0; i < n; i++)
        print_hit_text(out, &hits[i]);
}

static json_t *hits_json(const struct scw_block_hit *hits, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        json_t *h = scw_vulns_hit_json(&hits[i]);
        if (!h || json_array_append_new(a, h) < 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *report_json(const struct scw_vuln_report *r, const struct scw_block_hit *hits,
                           size_t n)
{
    json_t *names = json_array(), *sev = json_object();
    for (size_t i = 0; names && i < r->n_names; i++)
        json_array_append_new(names, scw_json_string(r->names[i]));
    for (int s = SCW_SEVERITY_MAX - 1; sev && s >= 0; s--)
        json_object_set_new(sev, scw_severity_name((enum scw_severity)s),
                            json_integer((json_int_t)r->by_severity[s]));
    json_t *blocks = hits_json(hits, n);
    if (!names || !sev || !blocks) {
        json_decref(names);
        json_decref(sev);
        json_decref(blocks);
        return NULL;
    }
    return json_pack("{s:o, s:s, s:o, s:b, s:o, s:I, s:o, s:o}", "path", scw_json_string(r->path),
                     "format", scw_vuln_format_name(r->format), "image", scw_json_string(r->image),
                     "image_given", r->image_from_user, "names", names, "vulnerabilities",
                     (json_int_t)r->n_vulns, "severities", sev, "blocks", blocks);
}

struct listing {
    struct scw_rules *rs;
    struct scw_vulns *vs;
    const char *kernel;
    char **errors;     /* per argument: the error, or NULL when read */
    size_t *report_of; /* per argument: index into vs->reports when read */
    int n_args;
    char *const *args;
};

static int write_text(const struct listing *l, FILE *out)
{
    size_t failed = 0;
    for (int i = 0; i < l->n_args; i++)
        failed += l->errors[i] != NULL;
    fprintf(out, "scmpwatch vulns: %d report%s", l->n_args, l->n_args == 1 ? "" : "s");
    if (failed)
        fprintf(out, " (%zu could not be read)", failed);
    fprintf(out, "; %zu cve block%s in the rules; host kernel %s\n\n", l->rs->n_cve_blocks,
            l->rs->n_cve_blocks == 1 ? "" : "s", l->kernel ? l->kernel : "not checked");
    for (int i = 0; i < l->n_args; i++) {
        if (l->errors[i]) {
            fprintf(out, "not read: %s\n", l->errors[i]);
            continue;
        }
        const struct scw_vuln_report *r = l->vs->reports[l->report_of[i]];
        struct scw_block_hit *hits;
        size_t n;
        if (scw_vulns_report_blocks(l->rs, r, l->kernel, &hits, &n) < 0)
            return -ENOMEM;
        print_report_text(out, r, hits, n);
        free(hits);
    }
    if (!l->kernel)
        return 0;
    struct scw_block_hit *hits;
    size_t n;
    if (scw_vulns_blocks_for(l->rs, l->vs, NULL, l->kernel, &hits, &n) < 0)
        return -ENOMEM;
    if (!n)
        fprintf(out, "\nhost kernel %s: no kernel_below block applies\n", l->kernel);
    else
        fprintf(out,
                "\nhost kernel %s: %zu kernel_below block%s appl%s to every workload on "
                "this host:\n",
                l->kernel, n, n == 1 ? "" : "s", n == 1 ? "ies" : "y");
    for (size_t i = 0; i < n; i++)
        print_hit_text(out, &hits[i]);
    free(hits);
    return 0;
}

static int write_json(const struct listing *l, FILE *out)
{
    json_t *reports = json_array();
    int rc = reports ? 0 : -ENOMEM;
    for (int i = 0; rc == 0 && i < l->n_args; i++) {
        json_t *o;
        if (l->errors[i]) {
            o = json_pack("{s:o, s:o}", "path", scw_json_string(l->args[i]), "error",
                          scw_json_string(l->errors[i]));
        } else {
            const struct scw_vuln_report *r = l->vs->reports[l->report_of[i]];
            struct scw_block_hit *hits;
            size_t n;
            if (scw_vulns_report_blocks(l->rs, r, l->kernel, &hits, &n) < 0) {
                rc = -ENOMEM;
                break;
            }
            o = report_json(r, hits, n);
            free(hits);
        }
        if (!o || json_array_append_new(reports, o) < 0)
            rc = -ENOMEM;
    }
    struct scw_block_hit *hits = NULL;
    size_t n = 0;
    if (rc == 0 && l->kernel && scw_vulns_blocks_for(l->rs, l->vs, NULL, l->kernel, &hits, &n) < 0)
        rc = -ENOMEM;
    json_t *kb = rc == 0 ? hits_json(hits, n) : NULL;
    free(hits);
    json_t *doc = NULL;
    if (rc == 0 && kb) {
        doc = json_pack("{s:o, s:I, s:o, s:o}", "kernel", scw_json_string(l->kernel), "cve_blocks",
                        (json_int_t)l->rs->n_cve_blocks, "reports", reports, "kernel_blocks", kb);
        reports = kb = NULL;
    }
    json_decref(reports);
    json_decref(kb);
    if (!doc)
        return -ENOMEM;
    rc = scw_json_dump(doc, out);
    json_decref(doc);
    return rc;
}

enum { OPT_RULES_D = 256, OPT_NO_DEFAULT };

int scw_cmd_vulns(int argc, char **argv)
{
    static const struct option opts[] = {
        {"rules", required_argument, NULL, 'r'},
        {"rules-d", required_argument, NULL, OPT_RULES_D},
        {"no-default-rules", no_argument, NULL, OPT_NO_DEFAULT},
        {"kernel", required_argument, NULL, 'k'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char **files = calloc((size_t)argc + 2, sizeof(*files));
    if (!files) {
        scw_log_errx("out of memory");
        return SCW_EXIT_RUNTIME;
    }
    size_t n_files = 0;
    enum scw_format format = SCW_FORMAT_TEXT;
    const char *kernel = NULL, *rules_d = NULL;
    bool kernel_given = false, no_default = false;
    int c, exit_code = SCW_EXIT_OK;
    optind = 0;
    while ((c = getopt_long(argc, argv, "r:k:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            files[n_files++] = optarg;
            break;
        case OPT_RULES_D:
            rules_d = optarg;
            break;
        case OPT_NO_DEFAULT:
            no_default = true;
            break;
        case 'k':
            kernel = strcmp(optarg, "none") == 0 ? NULL : optarg;
            kernel_given = true;
            break;
        case 'f':
            format = scw_format_from_name(optarg);
            if (format != SCW_FORMAT_TEXT && format != SCW_FORMAT_JSON) {
                free(files);
                return scw_cmd_usage_error("vulns", "unknown format '%s' (text or json)", optarg);
            }
            break;
        case 'h':
            free(files);
            fputs(usage, stdout);
            return SCW_EXIT_OK;
        default:
            free(files);
            return scw_cmd_usage_error("vulns", "unknown option");
        }
    }
    if (optind >= argc) {
        free(files);
        return scw_cmd_usage_error("vulns", "no report given (REPORT is PATH or IMAGE=PATH)");
    }
    if (kernel_given && kernel && !*kernel) {
        free(files);
        return scw_cmd_usage_error("vulns", "--kernel needs a release such as 5.15.0-91-generic "
                                            "(or 'none')");
    }
    char host[128] = "";
    if (!kernel_given)
        scw_host_kernel(host, sizeof(host));
    if (host[0])
        kernel = host;

    struct listing l = {
        .vs = scw_vulns_new(),
        .kernel = kernel,
        .n_args = argc - optind,
        .args = argv + optind,
    };
    l.errors = calloc((size_t)l.n_args, sizeof(*l.errors));
    l.report_of = calloc((size_t)l.n_args, sizeof(*l.report_of));
    if (!l.vs || !l.errors || !l.report_of) {
        scw_log_errx("out of memory");
        exit_code = SCW_EXIT_RUNTIME;
        goto out;
    }
    /* the shipped rules (default.yaml and cve.yaml), rules.d, then the given rule files */
    char *rules_err = NULL;
    struct scw_rules_sources src = {.paths = (const char *const *)files,
                                    .n_paths = n_files,
                                    .rules_d = rules_d,
                                    .no_default = no_default};
    int rrc = scw_rules_load_sources(&src, &l.rs, &rules_err);
    if (rrc < 0) {
        scw_log_errx("%s", rules_err ? rules_err : "out of memory");
        free(rules_err);
        exit_code = SCW_EXIT_INPUT;
        goto out;
    }
    for (size_t i = 0; i < l.rs->n_warnings; i++)
        scw_log_warnx("%s", l.rs->warnings[i]);
    for (int i = 0; i < l.n_args; i++) {
        char *err = NULL;
        if (scw_vulns_add_file(l.vs, l.args[i], &err) < 0) {
            scw_log_errx("%s", err ? err : "out of memory");
            l.errors[i] = err ? err : strdup("out of memory");
            exit_code = SCW_EXIT_INPUT;
            if (!l.errors[i]) {
                exit_code = SCW_EXIT_RUNTIME;
                goto out;
            }
        } else {
            l.report_of[i] = l.vs->n_reports - 1;
        }
    }
    int rc = format == SCW_FORMAT_JSON ? write_json(&l, stdout) : write_text(&l, stdout);
    if (fflush(stdout) != 0 && rc == 0)
        rc = -EIO;
    if (rc < 0) {
        scw_log_err(rc, "cannot write the listing");
        exit_code = SCW_EXIT_INPUT;
    }
out:
    for (int i = 0; l.errors && i < l.n_args; i++)
        free(l.errors[i]);
    free(l.errors);
    free(l.report_of);
    scw_vulns_free(l.vs);
    scw_rules_free(l.rs);
    free(files);
    return exit_code;
}
