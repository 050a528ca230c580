/*
 * propose: the I/O around advise for replay and suggest (see propose.h): rule files, the
 * profiles workloads run (loaded once per path, shared by identical content), tuning and
 * diffing with profile.c/diff.c, and the all-or-nothing writing of outputs.
 */
#include "propose.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "advice_report.h"
#include "advise.h"
#include "atomic_file.h"
#include "commands.h"
#include "diff.h"
#include "host_kernel.h"
#include "log.h"
#include "profile.h"
#include "rules_files.h"
#include "vulns.h"

/* A profile file as a workload refers to it. */
struct ref {
    char *path;
    int distinct; /* index into distinct[], -1 when it could not be used */
    char *error;  /* why (malloc'd), or NULL */
};

/* A distinct profile (by its canonical seccomp text). */
struct distinct {
    struct scw_profile *p;
    char *canon; /* scw_profile_dump(seccomp_only) */
    size_t canon_len;
    char *path; /* first path it was read from */
};

/* Vulnerability blocks that apply to one image (NULL: host workloads), computed once. */
struct image_hits {
    char *image;
    struct scw_block_hit *hits;
    char **evidence; /* the text of hits[i], made when first asked for */
    size_t n;
};

struct scw_propose {
    struct scw_propose_opts o;
    struct scw_rules *rules;
    struct scw_vulns *vulns;
    unsigned vuln_failures; /* --vulns reports that could not be read */
    char kernel[128];       /* release for kernel_below blocks */
    struct image_hits *images;
    size_t n_images;
    size_t last_image; /* index of the image last asked for: proposals come per workload */
    const char *rule_files[SCW_PROPOSE_MAX_RULE_FILES];
    size_t n_rule_files;
    struct ref *refs;
    size_t n_refs;
    struct distinct *distinct;
    size_t n_distinct;
};

static const char *shown(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int scw_propose_parse_opt(struct scw_propose_args *a, const char *cmd, int c, const char *arg)
{
    switch (c) {
    case 'f':
        a->format = scw_format_from_name(arg);
        if (a->format == SCW_FORMAT_INVALID)
            return scw_cmd_usage_error(cmd, "unknown format '%s' (text, json, profile or diff)",
                                       arg);
        return 1;
    case 'o':
        if (!arg[0])
            return scw_cmd_usage_error(cmd, "--output needs a file or directory name");
        a->output = arg;
        return 1;
    case 'r':
        if (a->n_rules >= SCW_PROPOSE_MAX_RULE_FILES)
            return scw_cmd_usage_error(cmd, "too many --rules (at most %d)",
                                       SCW_PROPOSE_MAX_RULE_FILES);
        a->rules[a->n_rules++] = arg;
        return 1;
    case 'p':
        a->profile = arg;
        return 1;
    case SCW_PROPOSE_OPT_VULNS:
        if (a->n_vulns >= SCW_PROPOSE_MAX_VULNS)
            return scw_cmd_usage_error(cmd, "too many --vulns (at most %d)", SCW_PROPOSE_MAX_VULNS);
        a->vulns[a->n_vulns++] = arg;
        return 1;
    case SCW_PROPOSE_OPT_KERNEL:
        a->kernel = arg;
        return 1;
    default:
        return 0;
    }
}

bool scw_propose_args_propose(const struct scw_propose_args *a)
{
    return a->n_rules || a->profile || a->n_vulns || a->kernel || a->format == SCW_FORMAT_PROFILE ||
           a->format == SCW_FORMAT_DIFF || scw_propose_output_is_dir(a->output, a->format);
}

void scw_propose_opts_init(struct scw_propose_opts *o, const struct scw_propose_args *a,
                           const char *cmd, const char *title)
{
    *o = (struct scw_propose_opts){
        .command = cmd,
        .title = title,
        .rule_paths = a->rules,
        .n_rule_paths = a->n_rules,
        .profile = a->profile,
        .vuln_args = a->vulns,
        .n_vuln_args = a->n_vulns,
        .kernel = a->kernel,
        .format = a->format,
        .output = a->output,
        .color = scw_report_want_color(stdout),
    };
}

const struct scw_rules *scw_propose_rules(const struct scw_propose *p)
{
    return p->rules;
}

bool scw_propose_output_is_dir(const char *output, enum scw_format format)
{
    if (!output)
        return false;
    if (format == SCW_FORMAT_PROFILE || format == SCW_FORMAT_DIFF)
        return true;
    size_t len = strlen(output);
    struct stat st;
    return (len && output[len - 1] == '/') || (stat(output, &st) == 0 && S_ISDIR(st.st_mode));
}

/* ---- profiles ---- */

/*
 * Load a profile file once. Invalid files (syntax, types, conflicting fields) are errors,
 * printed with their file:line:column; a runtime's profile that is gone (the container was
 * removed) only makes that workload's profile unknown. Returns the ref index, or -errno
 * (printed) for a fatal problem.
 */
static int load_ref(struct scw_propose *pp, const char *path, enum scw_advise_source source)
{
    for (size_t i = 0; i < pp->n_refs; i++)
        if (strcmp(pp->refs[i].path, path) == 0)
            return (int)i;
    struct ref *nr = realloc(pp->refs, (pp->n_refs + 1) * sizeof(*nr));
    if (!nr)
        return -ENOMEM;
    pp->refs = nr;
    struct ref *r = &pp->refs[pp->n_refs];
    *r = (struct ref){.path = strdup(path), .distinct = -1};
    if (!r->path)
        return -ENOMEM;
    pp->n_refs++;

    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    struct scw_profile *p = NULL;
    int rc = scw_profile_load_file(path, &p, &d);
    if (rc == -ENOENT && source == SCW_ADVISE_SOURCE_RUNTIME) {
        scw_log_warnx("the profile of a container, '%s', is gone (container removed?); its "
                      "syscalls are proposed without it",
                      path);
        r->error = strdup("the file no longer exists");
        scw_profile_diags_free(&d);
        return r->error ? (int)(pp->n_refs - 1) : -ENOMEM;
    }
    if (rc < 0) {
        scw_profile_diags_print(&d, path, SCW_DIAG_NOTE, stderr);
        if (d.n == 0)
            scw_log_err(rc, "cannot read the profile '%s'", shown(path));
        scw_log_errx("%s: profile '%s' is not usable; nothing was written", pp->o.command,
                     shown(path));
        scw_profile_diags_free(&d);
        return rc;
    }
    scw_profile_diags_free(&d);
    if (!scw_profile_ok(p)) {
        scw_profile_diags_print(scw_profile_diags(p), path, SCW_DIAG_WARNING, stderr);
        scw_log_errx("%s: profile '%s' has errors (a runtime would refuse it); fix them first "
                     "('scmpwatch profile validate' lists them); nothing was written",
                     pp->o.command, shown(path));
        scw_profile_free(p);
        return -EINVAL;
    }
    char *canon = NULL;
    size_t canon_len = 0;
    if ((rc = scw_profile_dump(p, true, &canon, &canon_len)) < 0) {
        scw_profile_free(p);
        return rc;
    }
    for (size_t i = 0; i < pp->n_distinct; i++)
        if (pp->distinct[i].canon_len == canon_len &&
            memcmp(pp->distinct[i].canon, canon, canon_len) == 0) {
            r->distinct = (int)i;
            free(canon);
            scw_profile_free(p);
            return (int)(pp->n_refs - 1);
        }
    struct distinct *nd = realloc(pp->distinct, (pp->n_distinct + 1) * sizeof(*nd));
    char *dpath = strdup(path);
    if (!nd || !dpath) {
        if (nd)
            pp->distinct = nd;
        free(dpath);
        free(canon);
        scw_profile_free(p);
        return -ENOMEM;
    }
    pp->distinct = nd;
    nd[pp->n_distinct] = (struct distinct){p, canon, canon_len, dpath};
    r->distinct = (int)pp->n_distinct++;
    return (int)(pp->n_refs - 1);
}

static int query(const void *ctx, uint32_t arch, const char *syscall, struct scw_advise_answer *ret)
{
    if (!syscall || !arch)
        return -EINVAL;
    struct scw_profile_answer a;
    int rc = scw_profile_query(ctx, NULL, arch, syscall, &a);
    if (rc < 0)
        return rc;
    enum scw_current v = SCW_CURRENT_UNKNOWN;
    switch (a.verdict) {
    case SCW_VERDICT_ALLOWED:
        v = SCW_CURRENT_ALLOWED;
        break;
    case SCW_VERDICT_REFUSED:
        v = SCW_CURRENT_REFUSED;
        break;
    case SCW_VERDICT_CONDITIONAL:
        v = SCW_CURRENT_CONDITIONAL;
        break;
    case SCW_VERDICT_MAX:
    case SCW_VERDICT_INVALID:
        return -EINVAL;
    }
    const char *note = NULL;
    switch (a.match) {
    case SCW_MATCH_BAD_ARCH:
        note = "the architecture is not in the profile: the kernel kills the thread";
        break;
    case SCW_MATCH_NO_SYSCALL:
        note = "libseccomp knows no syscall of that name on this architecture";
        break;
    case SCW_MATCH_DEFAULT:
    case SCW_MATCH_ENTRY:
    case SCW_MATCH_CONDITIONAL:
    case SCW_MATCH_MAX:
    case SCW_MATCH_INVALID:
        if (a.assumed)
            note = "an includes/excludes on capabilities or kernel version decided; Docker's "
                   "default capabilities and the running kernel were assumed";
        break;
    }
    *ret = (struct scw_advise_answer){
        .verdict = v,
        .action = scw_profile_action_name(a.action),
        .errno_value = a.action == SCW_ACTION_ERRNO ? a.errno_ret : -1,
        .entry = a.entry,
        .otherwise = v == SCW_CURRENT_CONDITIONAL ? scw_profile_action_name(a.otherwise) : NULL,
        .note = note,
    };
    return 0;
}

int scw_propose_new(const struct scw_propose_opts *o, struct scw_propose **ret)
{
    struct scw_propose *pp = calloc(1, sizeof(*pp));
    if (!pp)
        return -ENOMEM;
    pp->o = *o;
    char *err = NULL;
    int rc = scw_rules_load_files(o->rule_paths, o->n_rule_paths, &pp->rules, &err);
    if (rc < 0) {
        if (err)
            scw_log_errx("%s", err);
        else
            scw_log_err(rc, "cannot load the rules");
        free(err);
        scw_propose_free(pp);
        return rc;
    }
    for (size_t i = 0; i < pp->rules->n_warnings; i++)
        scw_log_warnx("%s", pp->rules->warnings[i]);
    if (o->n_rule_paths) {
        for (size_t i = 0; i < o->n_rule_paths && i < SCW_PROPOSE_MAX_RULE_FILES; i++)
            pp->rule_files[pp->n_rule_files++] = o->rule_paths[i];
    } else {
        const char *shipped[2];
        size_t n = scw_rules_shipped_files(shipped);
        for (size_t i = 0; i < n; i++)
            pp->rule_files[pp->n_rule_files++] = shipped[i];
    }
    if (o->profile && (rc = load_ref(pp, o->profile, SCW_ADVISE_SOURCE_CLI)) < 0) {
        scw_propose_free(pp);
        return rc;
    }
    if (!(pp->vulns = scw_vulns_new())) {
        scw_propose_free(pp);
        return -ENOMEM;
    }
    for (size_t i = 0; i < o->n_vuln_args; i++) {
        if ((rc = scw_vulns_add_file(pp->vulns, o->vuln_args[i], &err)) < 0) {
            if (err)
                scw_log_errx("%s; the other reports and the events are still used", err);
            else
                scw_log_err(rc, "cannot read the scanner report '%s'", o->vuln_args[i]);
            free(err);
            err = NULL;
            pp->vuln_failures++;
            if (rc == -ENOMEM) {
                scw_propose_free(pp);
                return rc;
            }
        }
    }
    if (o->kernel)
        snprintf(pp->kernel, sizeof(pp->kernel), "%s", o->kernel);
    else
        scw_host_kernel(pp->kernel, sizeof(pp->kernel));
    *ret = pp;
    return 0;
}

/* The advise hook: the first CVE block that covers this syscall for this workload's image (or
 * the host kernel), with its evidence. */
static bool vuln_block(void *ctx, const struct scw_container *c, const char *arch,
                       const char *syscall, struct scw_advise_block *ret)
{
    (void)arch;
    struct scw_propose *pp = ctx;
    if (!syscall || pp->rules->n_cve_blocks == 0)
        return false;
    const char *image = c ? c->image : NULL;
    struct image_hits *ih = NULL;
    for (size_t k = 0; k <= pp->n_images && !ih; k++) {
        size_t i = k == 0 ? pp->last_image : k - 1; /* the last one first */
        if (i < pp->n_images &&
            ((!image && !pp->images[i].image) ||
             (image && pp->images[i].image && strcmp(image, pp->images[i].image) == 0))) {
            ih = &pp->images[i];
            pp->last_image = i;
        }
    }
    if (!ih) {
        struct image_hits *ni = realloc(pp->images, (pp->n_images + 1) * sizeof(*ni));
        if (!ni)
            return false;
        pp->images = ni;
        ih = &pp->images[pp->n_images];
        *ih = (struct image_hits){.image = image ? strdup(image) : NULL};
        if ((image && !ih->image) ||
            scw_vulns_blocks_for(pp->rules, pp->vulns, image, pp->kernel[0] ? pp->kernel : NULL,
                                 &ih->hits, &ih->n) < 0 ||
            (ih->n && !(ih->evidence = calloc(ih->n, sizeof(*ih->evidence))))) {
            free(ih->image);
            free(ih->hits);
            return false;
        }
        pp->last_image = pp->n_images++;
    }
    const struct scw_block_hit *h = scw_vulns_block_for_syscall(ih->hits, ih->n, syscall);
    if (!h)
        return false;
    char **evidence = &ih->evidence[h - ih->hits];
    if (!*evidence) {
        char buf[1024];
        scw_vulns_hit_evidence(h, buf, sizeof(buf));
        *evidence = strdup(buf);
    }
    *ret = (struct scw_advise_block){
        .name = h->block->name,
        .reason = h->block->reason,
        .link = h->block->link,
        .evidence = *evidence,
        .vuln = {.cve = h->cve,
                 .severity = h->vuln ? scw_severity_name(h->vuln->severity) : NULL,
                 .package = h->vuln ? h->vuln->package : NULL,
                 .installed = h->vuln && h->vuln->installed[0] ? h->vuln->installed : NULL,
                 .fixed = h->vuln && h->vuln->fixed[0] ? h->vuln->fixed : NULL,
                 .kernel = h->cause == SCW_BLOCK_CAUSE_KERNEL ? h->kernel_release : NULL,
                 .kernel_below = h->cause == SCW_BLOCK_CAUSE_KERNEL ? h->kernel_fix : NULL},
    };
    return true;
}

void scw_propose_free(struct scw_propose *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_refs; i++) {
        free(p->refs[i].path);
        free(p->refs[i].error);
    }
    free(p->refs);
    for (size_t i = 0; i < p->n_distinct; i++) {
        scw_profile_free(p->distinct[i].p);
        free(p->distinct[i].canon);
        free(p->distinct[i].path);
    }
    free(p->distinct);
    for (size_t i = 0; i < p->n_images; i++) {
        for (size_t k = 0; k < p->images[i].n; k++)
            free(p->images[i].evidence[k]);
        free(p->images[i].evidence);
        free(p->images[i].image);
        free(p->images[i].hits);
    }
    free(p->images);
    scw_vulns_free(p->vulns);
    scw_rules_free(p->rules);
    free(p);
}

/* ---- outputs, all or nothing ---- */

struct outset {
    struct scw_atomic_file *v; /* written, renamed together by outset_commit */
    size_t n;
};

/* A temporary file next to path, to write into (renamed by outset_commit). */
static int outset_open(struct outset *os, const char *path, FILE **ret)
{
    struct scw_atomic_file *nv = realloc(os->v, (os->n + 1) * sizeof(*nv));
    if (!nv)
        return -ENOMEM;
    os->v = nv;
    int rc = scw_atomic_open(&os->v[os->n], path, 0644);
    if (rc < 0)
        return rc;
    *ret = os->v[os->n++].f;
    return 0;
}

/* Flush, sync and close the file outset_open gave last; rc is the writer's result so far. */
static int outset_close(struct outset *os, int rc)
{
    return scw_atomic_close(&os->v[os->n - 1], rc);
}

static int outset_add(struct outset *os, const char *path, const char *text, size_t len)
{
    FILE *f;
    int rc = outset_open(os, path, &f);
    if (rc < 0)
        return rc;
    return outset_close(os, fwrite(text, 1, len, f) != len ? -EIO : 0);
}

static void outset_abort(struct outset *os)
{
    for (size_t i = 0; i < os->n; i++)
        scw_atomic_abort(&os->v[i]);
    free(os->v);
    *os = (struct outset){0};
}

static int outset_commit(struct outset *os)
{
    int rc = 0;
    for (size_t i = 0; i < os->n && rc == 0; i++)
        if ((rc = scw_atomic_commit(&os->v[i])) < 0)
            scw_log_err(rc, "cannot write '%s'", os->v[i].path);
    outset_abort(os); /* removes the temporaries of anything not renamed */
    return rc;
}

/* ---- the run ---- */

/* One group's tuned profile and diff. */
struct tuned {
    char *text, *diff;
    size_t len, diff_len;
    char *tuned_path, *diff_path; /* with --output DIR */
};

static int tune_group(struct scw_propose *pp, const struct scw_advice *a,
                      const struct scw_advice_group *g, struct tuned *t,
                      struct scw_advice_output *out)
{
    const struct distinct *d = &pp->distinct[g->profile];
    const char *action = a->enforce_action;
    struct scw_profile_tune tp = {
        .allow = g->allow,
        .n_allow = g->n_allow,
        .comment = g->comment,
        .default_action = action,
        .default_errno = action && strcmp(action, "SCMP_ACT_ERRNO") == 0 ? a->enforce_errno : -1,
    };
    struct scw_profile_diags diags;
    scw_profile_diags_init(&diags);
    struct scw_profile *tuned = NULL;
    struct scw_profile_changes ch = {0};
    int rc = scw_profile_tune(d->p, &tp, &tuned, &ch, &diags);
    scw_profile_diags_print(&diags, g->path ? g->path : d->path, SCW_DIAG_WARNING, stderr);
    scw_profile_diags_free(&diags);
    if (rc < 0) {
        scw_log_err(rc, "cannot tune the profile '%s' of group '%s'", shown(d->path), g->name);
        return rc;
    }
    out->names_added = ch.names_added;
    out->names_already = ch.names_already;
    out->names_refused = ch.names_refused;
    rc = scw_profile_dump(tuned, true, &t->text, &t->len);
    scw_profile_free(tuned);
    if (rc < 0)
        return rc;
    FILE *mem = open_memstream(&t->diff, &t->diff_len);
    if (!mem)
        return -ENOMEM;
    char *la = NULL, *lb = NULL;
    const char *label = shown(g->path ? g->path : d->path);
    if (asprintf(&la, "%s\t(current)", label) < 0)
        la = NULL;
    if (asprintf(&lb, "%s\t(tuned)", label) < 0)
        lb = NULL;
    rc = la && lb ? 0 : -ENOMEM;
    if (rc == 0) {
        struct scw_diff_opts o = {.label_a = la, .label_b = lb, .context = 3};
        rc = scw_diff_unified(d->canon, d->canon_len, t->text, t->len, &o, mem);
    }
    if (fclose(mem) != 0 && rc >= 0)
        rc = -ENOMEM;
    free(la);
    free(lb);
    if (rc < 0)
        scw_log_err(rc, "cannot diff the tuned profile of group '%s'", g->name);
    return rc < 0 ? rc : 0;
}

static int make_dir(const char *dir)
{
    if (mkdir(dir, 0755) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
        return -ENOTDIR;
    }
    return -errno;
}

/* Resolve, load and check every workload's profile. Returns 0 or -errno (printed). */
static int assign_profiles(struct scw_propose *pp, const struct scw_aggregate *agg,
                           struct scw_advise_assign *assign, size_t nw)
{
    for (size_t i = 0; i < nw; i++) {
        const char *path = NULL;
        enum scw_advise_source src =
            scw_advise_profile_path(pp->rules, agg, (uint32_t)i, pp->o.profile, &path);
        assign[i] = (struct scw_advise_assign){.source = src, .profile = -1};
        if (src == SCW_ADVISE_SOURCE_NONE)
            continue;
        /* the container is gone with its config.json: use the copy the watcher kept */
        const struct scw_container *c = scw_aggregate_workload_at(agg, i)->container;
        if (src == SCW_ADVISE_SOURCE_RUNTIME && c && c->profile_kept && access(path, R_OK) != 0)
            path = c->profile_kept;
        int ri = load_ref(pp, path, src);
        if (ri < 0)
            return ri;
        assign[i].path = pp->refs[ri].path;
        assign[i].profile = pp->refs[ri].distinct;
        assign[i].error = pp->refs[ri].error;
    }
    return 0;
}

/* The main output (report, tuned profile or diffs), streamed into out. */
static int render(struct scw_propose *pp, const struct scw_aggregate *agg,
                  const struct scw_advice *a, const struct scw_advice_report_opts *ro,
                  const struct tuned *t, FILE *out)
{
    int rc = 0;
    switch (pp->o.format) {
    case SCW_FORMAT_TEXT:
        rc = scw_advice_write_text(agg, a, ro, out);
        break;
    case SCW_FORMAT_JSON:
        rc = scw_advice_write_json(agg, a, ro, out);
        break;
    case SCW_FORMAT_PROFILE:
        if (a->n_groups == 1 && fwrite(t[0].text, 1, t[0].len, out) != t[0].len)
            rc = -EIO;
        break;
    case SCW_FORMAT_DIFF:
        for (size_t i = 0; i < a->n_groups && rc == 0; i++)
            if (fwrite(t[i].diff, 1, t[i].diff_len, out) != t[i].diff_len)
                rc = -EIO;
        break;
    case SCW_FORMAT_MAX:
    case SCW_FORMAT_INVALID:
        rc = -EINVAL;
        break;
    }
    return rc;
}

int scw_propose_run(struct scw_propose *pp, const struct scw_aggregate *agg)
{
    const struct scw_propose_opts *o = &pp->o;
    size_t nw = scw_aggregate_n_workloads(agg);
    struct scw_advise_assign *assign = calloc(nw ? nw : 1, sizeof(*assign));
    struct scw_advise_profile *views = NULL;
    struct scw_advice *a = NULL;
    struct tuned *t = NULL;
    struct scw_advice_output *outs = NULL;
    struct outset os = {0};
    int exit_code = SCW_EXIT_INPUT, rc;
    if (!assign)
        goto oom;
    if (assign_profiles(pp, agg, assign, nw) < 0)
        goto out;
    views = calloc(pp->n_distinct ? pp->n_distinct : 1, sizeof(*views));
    if (!views)
        goto oom;
    for (size_t i = 0; i < pp->n_distinct; i++) {
        int def_errno;
        enum scw_action def = scw_profile_default_action(pp->distinct[i].p, &def_errno);
        views[i] = (struct scw_advise_profile){
            .path = pp->distinct[i].path,
            .default_action = scw_profile_action_name(def),
            .default_errno = def_errno,
            .log_only = scw_profile_log_only(pp->distinct[i].p),
            .query = query,
            .ctx = pp->distinct[i].p,
        };
    }
    struct scw_advise_input in = {.agg = agg,
                                  .rules = pp->rules,
                                  .profiles = views,
                                  .n_profiles = pp->n_distinct,
                                  .assign = assign,
                                  .vuln_block = vuln_block,
                                  .vuln_ctx = pp};
    if ((rc = scw_advise(&in, &a)) < 0) {
        scw_log_err(rc, "cannot make the proposals");
        goto out;
    }

    bool to_dir = scw_propose_output_is_dir(o->output, o->format);
    if (o->format == SCW_FORMAT_PROFILE && !to_dir && a->n_groups != 1) {
        if (a->n_groups == 0) {
            scw_log_errx("%s: no workload has a known profile, so there is nothing to tune "
                         "(give --profile FILE, or a selector with profile: in the rules)",
                         o->command);
            goto out;
        }
        fprintf(stderr, "scmpwatch %s: --format profile concerns %zu profiles (", o->command,
                a->n_groups);
        for (size_t i = 0; i < a->n_groups; i++)
            fprintf(stderr, "%s%s", i ? ", " : "", a->groups[i].name);
        fprintf(stderr,
                "); give --output DIR to write one file per profile\n"
                "Try 'scmpwatch %s --help'.\n",
                o->command);
        exit_code = SCW_EXIT_USAGE;
        goto out;
    }
    t = calloc(a->n_groups ? a->n_groups : 1, sizeof(*t));
    outs = calloc(a->n_groups ? a->n_groups : 1, sizeof(*outs));
    if (!t || !outs)
        goto oom;
    if (to_dir && (rc = make_dir(o->output)) < 0) {
        scw_log_err(rc, "cannot create the output directory '%s'", o->output);
        goto out;
    }
    for (size_t i = 0; i < a->n_groups; i++) {
        if (tune_group(pp, a, &a->groups[i], &t[i], &outs[i]) < 0)
            goto out;
        if (!to_dir)
            continue;
        const char *sep = o->output[strlen(o->output) - 1] == '/' ? "" : "/";
        if (asprintf(&t[i].tuned_path, "%s%s%s.json", o->output, sep, a->groups[i].name) < 0 ||
            asprintf(&t[i].diff_path, "%s%s%s.diff", o->output, sep, a->groups[i].name) < 0)
            goto oom;
        outs[i].tuned_path = t[i].tuned_path;
        outs[i].diff_path = t[i].diff_path;
        if ((rc = outset_add(&os, t[i].tuned_path, t[i].text, t[i].len)) < 0 ||
            (rc = outset_add(&os, t[i].diff_path, t[i].diff, t[i].diff_len)) < 0) {
            scw_log_err(rc, "cannot write in '%s'", o->output);
            goto out;
        }
    }
    struct scw_advice_report_opts ro = {
        .report = {.color = o->color && !o->output, .title = o->title, .n_inputs = o->n_inputs},
        .profiles = views,
        .n_profiles = pp->n_distinct,
        .rule_files = pp->rule_files,
        .n_rule_files = pp->n_rule_files,
        .outputs = outs,
    };
    /* The main output is streamed (a million proposals are 1.5 GB of JSON): into a temporary
     * file committed with the others, or to standard output once they are in place. */
    bool main_to_stdout = !to_dir || o->format == SCW_FORMAT_TEXT || o->format == SCW_FORMAT_JSON;
    bool main_to_file = main_to_stdout && o->output && !to_dir;
    if (main_to_file) {
        FILE *f = NULL;
        if ((rc = outset_open(&os, o->output, &f)) == 0)
            rc = outset_close(&os, render(pp, agg, a, &ro, t, f));
        if (rc < 0) {
            scw_log_err(rc, "cannot write the report to '%s'", o->output);
            goto out;
        }
    }
    if (outset_commit(&os) < 0)
        goto out;
    for (size_t i = 0; to_dir && i < a->n_groups; i++)
        scw_log_notice("profile '%s': wrote %s (%zu syscall%s added) and %s", a->groups[i].name,
                       t[i].tuned_path, outs[i].names_added, outs[i].names_added == 1 ? "" : "s",
                       t[i].diff_path);
    if (main_to_stdout && !main_to_file) {
        rc = render(pp, agg, a, &ro, t, stdout);
        if (rc < 0 || fflush(stdout) != 0 || ferror(stdout)) {
            scw_log_err(rc < 0 ? rc : -EIO, "cannot write the report to standard output");
            goto out;
        }
    }
    exit_code = pp->vuln_failures ? SCW_EXIT_INPUT : SCW_EXIT_OK;
    goto out;
oom:
    scw_log_errx("out of memory");
out:
    outset_abort(&os);
    for (size_t i = 0; t && a && i < a->n_groups; i++) {
        free(t[i].text);
        free(t[i].diff);
        free(t[i].tuned_path);
        free(t[i].diff_path);
    }
    free(t);
    free(outs);
    scw_advice_free(a);
    free(views);
    free(assign);
    return exit_code;
}
