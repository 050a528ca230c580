/*
 * propose: the I/O around advise for replay, suggest, decide and review (see propose.h): the
 * layered rule files, the profiles workloads run (loaded once per path, shared by identical
 * content), the scanner reports behind the vulnerability hook, and advise itself. Tuning,
 * diffs and the all-or-nothing writing of outputs are in propose_out.c.
 */
#include "propose.h"
#include "propose_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "advise.h"
#include "commands.h"
#include "host_kernel.h"
#include "log.h"
#include "profile.h"
#include "rules_files.h"
#include "vulns.h"

const char *scw_propose_shown(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

static const char *shown(const char *path)
{
    return scw_propose_shown(path);
}

/*
 * --profile [SELECTOR=]FILE: a SELECTOR is a rules selector's name or a glob on the owner's name
 * (letters, digits, ._- and the glob characters *?[]!); an argument that is an existing file,
 * or whose part before '=' holds a '/', is a FILE.
 */
static int parse_profile(struct scw_propose_args *a, const char *cmd, const char *arg)
{
    if (a->n_profiles >= SCW_PROPOSE_MAX_PROFILES)
        return scw_cmd_usage_error(cmd, "too many --profile (at most %d)",
                                   SCW_PROPOSE_MAX_PROFILES);
    if (!arg[0])
        return scw_cmd_usage_error(cmd, "--profile needs a file ([SELECTOR=]FILE)");
    struct scw_advise_map *m = &a->profiles[a->n_profiles];
    *m = (struct scw_advise_map){.path = arg};
    const char *eq = strchr(arg, '=');
    size_t sl = eq ? (size_t)(eq - arg) : 0;
    if (eq && memchr(arg, '/', sl) == NULL && access(arg, F_OK) != 0) {
        if (sl == 0 || sl > SCW_PROPOSE_SELECTOR_MAX ||
            strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-*?[]!") <
                sl)
            return scw_cmd_usage_error(cmd,
                                       "--profile '%s': the SELECTOR before '=' must be a "
                                       "selector name or a glob on a workload's owner (1 to %d "
                                       "letters, digits, '._-' or '*?[]!')",
                                       arg, SCW_PROPOSE_SELECTOR_MAX);
        if (!eq[1])
            return scw_cmd_usage_error(cmd, "--profile '%s': no FILE after '='", arg);
        memcpy(a->selectors[a->n_profiles], arg, sl);
        a->selectors[a->n_profiles][sl] = '\0';
        m->selector = a->selectors[a->n_profiles];
        m->path = eq + 1;
    }
    a->n_profiles++;
    return 1;
}

int scw_propose_parse_opt(struct scw_propose_args *a, const char *cmd, int c, const char *arg)
{
    switch (c) {
    case 'f':
        a->format = scw_format_from_name(arg);
        if (a->format == SCW_FORMAT_INVALID)
            return scw_cmd_usage_error(
                cmd, "unknown format '%s' (text, json, profile, diff, html or markdown)", arg);
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
        return parse_profile(a, cmd, arg);
    case SCW_PROPOSE_OPT_PROFILES:
        if (!arg[0])
            return scw_cmd_usage_error(cmd, "--profiles needs a directory");
        a->profiles_dir = arg;
        return 1;
    case SCW_PROPOSE_OPT_LAYOUT:
        if (strcmp(arg, "flat") == 0)
            a->layout = SCW_LAYOUT_FLAT;
        else if (strcmp(arg, "kubelet") == 0)
            a->layout = SCW_LAYOUT_KUBELET;
        else
            return scw_cmd_usage_error(cmd, "unknown --layout '%s' (flat or kubelet)", arg);
        return 1;
    case SCW_PROPOSE_OPT_VULNS:
        if (a->n_vulns >= SCW_PROPOSE_MAX_VULNS)
            return scw_cmd_usage_error(cmd, "too many --vulns (at most %d)", SCW_PROPOSE_MAX_VULNS);
        a->vulns[a->n_vulns++] = arg;
        return 1;
    case SCW_PROPOSE_OPT_KERNEL:
        a->kernel = arg;
        return 1;
    case SCW_PROPOSE_OPT_RULES_D:
        if (!arg[0])
            return scw_cmd_usage_error(cmd, "--rules-d needs a directory");
        a->rules_d = arg;
        return 1;
    case SCW_PROPOSE_OPT_NO_DEFAULT_RULES:
        a->no_default_rules = true;
        return 1;
    default:
        return 0;
    }
}

bool scw_propose_args_propose(const struct scw_propose_args *a)
{
    return a->n_rules || a->rules_d || a->no_default_rules || a->n_profiles || a->profiles_dir ||
           a->layout != SCW_LAYOUT_FLAT || a->n_vulns || a->kernel ||
           a->format == SCW_FORMAT_PROFILE || a->format == SCW_FORMAT_DIFF ||
           a->format == SCW_FORMAT_HTML || a->format == SCW_FORMAT_MARKDOWN ||
           a->format == SCW_FORMAT_SECCOMPPROFILE ||
           scw_propose_output_is_dir(a->output, a->format);
}

void scw_propose_opts_init(struct scw_propose_opts *o, const struct scw_propose_args *a,
                           const char *cmd, const char *title)
{
    *o = (struct scw_propose_opts){
        .command = cmd,
        .title = title,
        .rule_paths = a->rules,
        .n_rule_paths = a->n_rules,
        .rules_d = a->rules_d,
        .no_default_rules = a->no_default_rules,
        .profiles = a->profiles,
        .n_profiles = a->n_profiles,
        .profiles_dir = a->profiles_dir,
        .layout = a->layout,
        .vuln_args = a->vulns,
        .n_vuln_args = a->n_vulns,
        .kernel = a->kernel,
        .format = a->format,
        .output = a->output,
        .color = scw_report_want_color(stdout),
    };
}

void scw_propose_input_failures(struct scw_propose *p, unsigned n)
{
    p->input_failures += n;
}

const struct scw_rules *scw_propose_rules(const struct scw_propose *p)
{
    return p->rules;
}

bool scw_propose_output_is_dir(const char *output, enum scw_format format)
{
    if (!output)
        return false;
    if (format == SCW_FORMAT_PROFILE || format == SCW_FORMAT_DIFF ||
        format == SCW_FORMAT_SECCOMPPROFILE)
        return true;
    size_t len = strlen(output);
    struct stat st;
    return (len && output[len - 1] == '/') || (stat(output, &st) == 0 && S_ISDIR(st.st_mode));
}

/* ---- profiles ---- */

/*
 * Load a profile file once. Invalid files (syntax, types, conflicting fields) are errors,
 * printed with their file:line:column; a runtime's profile that is gone (the container was
 * removed) only makes that workload's profile unknown. compare_only: the runtime's copy of a
 * workload mapped to the team's file, read only to compare: any problem only marks it unusable
 * (the report says the comparison could not be made). Returns the ref index, or -errno
 * (printed) for a fatal problem.
 */
int propose_load_ref(struct scw_propose *pp, const char *path, enum scw_advise_source source,
                     bool compare_only)
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
    if (rc < 0 && rc != -ENOMEM && compare_only) {
        r->error = strdup(rc == -ENOENT ? "the file no longer exists" : "the file does not parse");
        scw_profile_diags_free(&d);
        return r->error ? (int)(pp->n_refs - 1) : -ENOMEM;
    }
    if (rc == -ENOENT && source == SCW_ADVISE_SOURCE_RUNTIME) {
        scw_log_warnx("the profile of a container, '%s', is gone (container removed?); its "
                      "syscalls are proposed without it",
                      path);
        r->error = strdup("the file no longer exists");
        scw_profile_diags_free(&d);
        return r->error ? (int)(pp->n_refs - 1) : -ENOMEM;
    }
    if (rc < 0 && rc != -ENOMEM && source == SCW_ADVISE_SOURCE_RUNTIME) {
        /* fleet: a node's profile (or its kept copy) that no longer parses spoils only the
         * proposals of its containers; the run goes on and exits 1 */
        scw_profile_diags_print(&d, path, SCW_DIAG_NOTE, stderr);
        scw_log_errx("%s: the profile of a container, '%s', no longer parses; its syscalls are "
                     "proposed without it (copy the state's .profiles/ from its node again, or "
                     "let the watcher see the container again)",
                     pp->o.command, shown(path));
        pp->input_failures++;
        r->error = strdup("the file no longer parses");
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
    if (!scw_profile_ok(p) && compare_only) {
        scw_profile_free(p);
        r->error = strdup("the file has errors");
        return r->error ? (int)(pp->n_refs - 1) : -ENOMEM;
    }
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
    /* runtime copies of the same content are one profile (replicas); each of the team's
     * files is its own, even when two hold the same today (they are tuned apart) */
    bool team = source != SCW_ADVISE_SOURCE_RUNTIME;
    for (size_t i = 0; i < pp->n_distinct && !team; i++)
        if (!pp->distinct[i].team && pp->distinct[i].canon_len == canon_len &&
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
    nd[pp->n_distinct] = (struct distinct){p, canon, canon_len, dpath, team};
    r->distinct = (int)pp->n_distinct++;
    return (int)(pp->n_refs - 1);
}

static int load_ref(struct scw_propose *pp, const char *path, enum scw_advise_source source)
{
    return propose_load_ref(pp, path, source, false);
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
    struct scw_rules_sources src = {.paths = o->rule_paths,
                                    .n_paths = o->n_rule_paths,
                                    .rules_d = o->rules_d,
                                    .no_default = o->no_default_rules,
                                    .decisions = o->decisions};
    int rc = scw_rules_load_sources(&src, &pp->rules, &err);
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
    if (pp->rules->warnings_dropped)
        scw_log_warnx("%llu more warnings about the rules not shown",
                      (unsigned long long)pp->rules->warnings_dropped);
    for (size_t i = 0; i < o->n_profiles; i++)
        if ((rc = load_ref(pp, o->profiles[i].path, SCW_ADVISE_SOURCE_CLI)) < 0) {
            scw_propose_free(pp);
            return rc;
        }
    const char *dir = o->profiles_dir ? o->profiles_dir : pp->rules->profiles_dir;
    struct stat st;
    if (o->profiles_dir && (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))) {
        scw_log_errx("%s: --profiles '%s' is not a directory (give the folder of the profile "
                     "files you keep, <group>.json each); nothing was written",
                     o->command, dir);
        scw_propose_free(pp);
        return -ENOTDIR;
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
    free(p->assign);
    free(p->views);
    free(p->runs);
    free(p->compared);
    free(p);
}

static bool file_exists(void *ctx, const char *path)
{
    (void)ctx;
    return access(path, R_OK) == 0;
}

/* The runtime's copy of a container's profile: config.json, else the watcher's copy. */
static const char *runtime_copy(const struct scw_container *c)
{
    if (c->profile_kept && (!c->profile || access(c->profile, R_OK) != 0))
        return c->profile_kept;
    return c->profile;
}

/*
 * Resolve, load and check every workload's profile (advise_map.c says which: the team's file
 * first). A workload mapped to the team's file whose runtime copy is known has that copy loaded
 * too, for propose_drift.c (pp->runs). Returns 0 or -errno (printed).
 */
static int assign_profiles(struct scw_propose *pp, const struct scw_aggregate *agg,
                           struct scw_advise_assign *assign, size_t nw)
{
    struct scw_advise_maps maps = {
        .maps = pp->o.profiles,
        .n_maps = pp->o.n_profiles,
        .dir = pp->o.profiles_dir ? pp->o.profiles_dir : pp->rules->profiles_dir,
        .exists = file_exists,
    };
    char path[4096];
    for (size_t i = 0; i < nw; i++) {
        enum scw_advise_source src =
            scw_advise_profile_for(pp->rules, agg, (uint32_t)i, &maps, path, sizeof(path));
        assign[i] = (struct scw_advise_assign){.source = src, .profile = -1};
        pp->runs[i] = -1;
        if (src == SCW_ADVISE_SOURCE_NONE)
            continue;
        const struct scw_container *c = scw_aggregate_workload_at(agg, i)->container;
        int ri = load_ref(pp, src == SCW_ADVISE_SOURCE_RUNTIME ? runtime_copy(c) : path, src);
        if (ri < 0)
            return ri;
        assign[i].path = pp->refs[ri].path;
        assign[i].profile = pp->refs[ri].distinct;
        assign[i].error = pp->refs[ri].error;
        if (src != SCW_ADVISE_SOURCE_RUNTIME && c && (c->profile || c->profile_kept)) {
            int rr = propose_load_ref(pp, runtime_copy(c), SCW_ADVISE_SOURCE_RUNTIME, true);
            if (rr < 0)
                return rr;
            pp->runs[i] = rr;
        }
    }
    return 0;
}

/* The profiles of agg's workloads, loaded once (the first call for an aggregate). */
static int load_profiles(struct scw_propose *pp, const struct scw_aggregate *agg)
{
    if (pp->agg == agg && pp->views)
        return 0;
    free(pp->assign);
    free(pp->views);
    free(pp->runs);
    pp->views = NULL;
    pp->agg = agg;
    size_t nw = scw_aggregate_n_workloads(agg);
    pp->runs = calloc(nw ? nw : 1, sizeof(*pp->runs));
    if (!(pp->assign = calloc(nw ? nw : 1, sizeof(*pp->assign))) || !pp->runs)
        return -ENOMEM;
    int rc = assign_profiles(pp, agg, pp->assign, nw);
    if (rc < 0)
        return rc;
    struct scw_advise_profile *views = calloc(pp->n_distinct ? pp->n_distinct : 1, sizeof(*views));
    if (!views)
        return -ENOMEM;
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
    pp->views = views;
    pp->n_views = pp->n_distinct;
    return 0;
}

int scw_propose_advise(struct scw_propose *pp, const struct scw_aggregate *agg,
                       const struct scw_human_decision *pending, size_t n_pending,
                       struct scw_advice **ret)
{
    int rc = load_profiles(pp, agg);
    if (rc == -ENOMEM)
        scw_log_errx("out of memory");
    if (rc < 0)
        return rc;
    struct scw_advise_input in = {.agg = agg,
                                  .rules = pp->rules,
                                  .profiles = pp->views,
                                  .n_profiles = pp->n_views,
                                  .assign = pp->assign,
                                  .vuln_block = vuln_block,
                                  .vuln_ctx = pp,
                                  .pending = pending,
                                  .n_pending = n_pending};
    if ((rc = scw_advise(&in, ret)) < 0)
        scw_log_err(rc, "cannot make the proposals");
    return rc;
}

const struct scw_advise_profile *scw_propose_profiles(const struct scw_propose *pp, size_t *ret_n)
{
    *ret_n = pp->views ? pp->n_views : 0;
    return pp->views;
}
