/*
 * propose_out: what replay and suggest write once advise has run (see propose.h): each
 * profile group's tuned profile and its diff (profile.c, diff.c), and the outputs, all or
 * nothing: text, JSON, the tuned profile or the diffs, on standard output or in files.
 */
#include "propose.h"
#include "propose_impl.h"
#include "seccompprofile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "advice_report.h"
#include "atomic_file.h"
#include "commands.h"
#include "diff.h"
#include "evidence.h"
#include "log.h"

static const char *shown(const char *path)
{
    return scw_propose_shown(path);
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
    char *text, *diff, *spo; /* spo: --format seccompprofile, the SeccompProfile YAML */
    size_t len, diff_len, spo_len;
    char *tuned_path, *diff_path; /* with --output DIR */
};

/* The tuned profile t->text as the Security Profiles Operator's SeccompProfile (t->spo), for
 * this host (archMap and includes resolved as the runtime would); what the CRD cannot express
 * is a warning here and a comment in the YAML. */
static int render_spo(const struct scw_advice_group *g, const char *path, struct tuned *t)
{
    json_t *doc = json_loadb(t->text, t->len, 0, NULL);
    const char *label = shown(g->path ? g->path : path);
    struct scw_seccompprofile_opts so = {.host = NULL, .source = label};
    struct scw_profile_diags sd;
    scw_profile_diags_init(&sd);
    int rc =
        doc ? scw_seccompprofile_render(doc, g->name, &so, &t->spo, &t->spo_len, &sd) : -ENOMEM;
    scw_profile_diags_print(&sd, label, SCW_DIAG_WARNING, stderr);
    scw_profile_diags_free(&sd);
    json_decref(doc);
    if (rc < 0)
        scw_log_err(rc, "cannot write group '%s' as a SeccompProfile", g->name);
    return rc;
}

/* A copy of the text a profile was read from (the "current" side of its diff). */
static int copy_text(const struct scw_profile *p, char **ret, size_t *ret_len)
{
    size_t len = 0;
    const char *text = scw_profile_text(p, &len);
    if (!text || !(*ret = malloc(len ? len : 1)))
        return -ENOMEM;
    memcpy(*ret, text, len);
    *ret_len = len;
    return 0;
}

/*
 * Tune group g's profile into t (text, diff; the SeccompProfile with --format seccompprofile).
 * A group mapped to the team's file (Docker form) is tuned in its own text: every archMap,
 * conditional entry, comment and the field order and indentation stay, one entry is added
 * (scw_profile_tune_source), and the diff is against the file's bytes. The runtime's copy of a
 * group that is not mapped is tuned as its canonical dump.
 */
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
    struct scw_profile_changes ch = {0};
    const char *label = shown(g->path ? g->path : d->path);
    bool team = g->source != SCW_ADVISE_SOURCE_RUNTIME && g->path && strcmp(g->path, "-") != 0 &&
                scw_profile_kind(d->p) == SCW_PROFILE_DOCKER;
    char *orig = NULL;
    size_t orig_len = 0;
    int rc;
    if (team) {
        /* the distinct profile may have been read from another file of the same content */
        struct scw_profile *own = NULL;
        bool reformatted = false;
        if (strcmp(d->path, g->path) != 0 && scw_profile_load_file(g->path, &own, NULL) < 0) {
            scw_profile_free(own);
            own = NULL;
        }
        rc = scw_profile_tune_source(own ? own : d->p, &tp, &t->text, &t->len, &reformatted, &ch,
                                     &diags);
        if (rc == 0)
            rc = copy_text(own ? own : d->p, &orig, &orig_len);
        scw_profile_free(own);
        if (out)
            out->reformatted = reformatted;
    } else {
        struct scw_profile *tuned = NULL;
        rc = scw_profile_tune(d->p, &tp, &tuned, &ch, &diags);
        if (rc == 0) {
            rc = scw_profile_dump(tuned, true, &t->text, &t->len);
            scw_profile_free(tuned);
        }
    }
    scw_profile_diags_print(&diags, g->path ? g->path : d->path, SCW_DIAG_WARNING, stderr);
    scw_profile_diags_free(&diags);
    if (rc < 0) {
        free(orig);
        scw_log_err(rc, "cannot tune the profile '%s' of group '%s'", label, g->name);
        return rc;
    }
    if (out) {
        out->names_added = ch.names_added;
        out->names_already = ch.names_already;
        out->names_refused = ch.names_refused;
    }
    if (pp->o.format == SCW_FORMAT_SECCOMPPROFILE && (rc = render_spo(g, d->path, t)) < 0) {
        free(orig);
        return rc;
    }
    FILE *mem = open_memstream(&t->diff, &t->diff_len);
    if (!mem) {
        free(orig);
        return -ENOMEM;
    }
    char *la = NULL, *lb = NULL;
    if (asprintf(&la, "%s\t(current)", label) < 0)
        la = NULL;
    if (asprintf(&lb, "%s\t(tuned)", label) < 0)
        lb = NULL;
    rc = la && lb ? 0 : -ENOMEM;
    if (rc == 0) {
        struct scw_diff_opts o = {.label_a = la, .label_b = lb, .context = 3};
        rc = orig ? scw_diff_unified(orig, orig_len, t->text, t->len, &o, mem)
                  : scw_diff_unified(d->canon, d->canon_len, t->text, t->len, &o, mem);
    }
    if (fclose(mem) != 0 && rc >= 0)
        rc = -ENOMEM;
    free(la);
    free(lb);
    free(orig);
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
    case SCW_FORMAT_HTML:
        rc = scw_advice_write_html(agg, a, ro, out);
        break;
    case SCW_FORMAT_MARKDOWN:
        rc = scw_advice_write_markdown(agg, a, ro, out);
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
    case SCW_FORMAT_SECCOMPPROFILE: /* one YAML stream, a document per group */
        for (size_t i = 0; i < a->n_groups && rc == 0; i++)
            if ((i && fputs("---\n", out) == EOF) ||
                fwrite(t[i].spo, 1, t[i].spo_len, out) != t[i].spo_len)
                rc = -EIO;
        break;
    case SCW_FORMAT_MAX:
    case SCW_FORMAT_INVALID:
        rc = -EINVAL;
        break;
    }
    return rc;
}

int scw_propose_group_diff(struct scw_propose *pp, const struct scw_advice *a, size_t gi,
                           char **ret, size_t *ret_len)
{
    if (gi >= a->n_groups)
        return -EINVAL;
    struct tuned t = {0};
    int rc = tune_group(pp, a, &a->groups[gi], &t, NULL);
    free(t.text);
    free(t.spo);
    if (rc < 0) {
        free(t.diff);
        return rc;
    }
    *ret = t.diff;
    *ret_len = t.diff_len;
    return 0;
}

int scw_propose_run(struct scw_propose *pp, const struct scw_aggregate *agg)
{
    const struct scw_propose_opts *o = &pp->o;
    struct scw_advice *a = NULL;
    struct tuned *t = NULL;
    struct scw_advice_output *outs = NULL;
    struct outset os = {0};
    char *profiles_dir = NULL; /* where the tuned profiles go: DIR, or DIR/profiles */
    int exit_code = SCW_EXIT_INPUT, rc;
    if (scw_propose_advise(pp, agg, NULL, 0, &a) < 0)
        goto out;

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
    if (o->layout == SCW_LAYOUT_KUBELET && (!to_dir || o->format == SCW_FORMAT_SECCOMPPROFILE)) {
        fprintf(stderr,
                "scmpwatch %s: --layout kubelet writes profile files into --output DIR "
                "(DIR/profiles/<group>.json, for localhost/profiles/<group>.json); give "
                "--output DIR/ and a format other than seccompprofile\n"
                "Try 'scmpwatch %s --help'.\n",
                o->command, o->command);
        exit_code = SCW_EXIT_USAGE;
        goto out;
    }
    if (to_dir) {
        const char *sep0 = o->output[strlen(o->output) - 1] == '/' ? "" : "/";
        if (asprintf(&profiles_dir, "%s%s%s", o->output,
                     o->layout == SCW_LAYOUT_KUBELET ? sep0 : "",
                     o->layout == SCW_LAYOUT_KUBELET ? "profiles" : "") < 0)
            goto oom;
        const char *failed = NULL;
        if ((rc = make_dir(o->output)) < 0)
            failed = o->output;
        else if (o->layout == SCW_LAYOUT_KUBELET && (rc = make_dir(profiles_dir)) < 0)
            failed = profiles_dir;
        if (failed) {
            scw_log_err(rc, "cannot create the output directory '%s'", failed);
            goto out;
        }
    }
    for (size_t i = 0; i < a->n_groups; i++)
        if (propose_drift(pp, agg, &a->groups[i], &outs[i].drift) < 0)
            goto oom;
    for (size_t i = 0; i < a->n_groups; i++) {
        if (tune_group(pp, a, &a->groups[i], &t[i], &outs[i]) < 0)
            goto out;
        if (!to_dir)
            continue;
        const char *sep = o->output[strlen(o->output) - 1] == '/' ? "" : "/";
        if (o->format == SCW_FORMAT_SECCOMPPROFILE) { /* DIR/<group>.yaml, for kubectl apply */
            if (asprintf(&t[i].tuned_path, "%s%s%s.yaml", o->output, sep, a->groups[i].name) < 0)
                goto oom;
            outs[i].tuned_path = t[i].tuned_path;
            if ((rc = outset_add(&os, t[i].tuned_path, t[i].spo, t[i].spo_len)) < 0) {
                scw_log_err(rc, "cannot write in '%s'", o->output);
                goto out;
            }
            continue;
        }
        const char *psep = profiles_dir[strlen(profiles_dir) - 1] == '/' ? "" : "/";
        if (asprintf(&t[i].tuned_path, "%s%s%s.json", profiles_dir, psep, a->groups[i].name) < 0 ||
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
        .profiles = pp->views,
        .n_profiles = pp->n_views,
        .rule_files = (const char *const *)pp->rules->files,
        .n_rule_files = pp->rules->n_files,
        .outputs = outs,
    };
    /* The main output is streamed (a million proposals are 1.5 GB of JSON): into a temporary
     * file committed with the others, or to standard output once they are in place. */
    bool main_to_stdout = !to_dir || o->format == SCW_FORMAT_TEXT || o->format == SCW_FORMAT_JSON ||
                          o->format == SCW_FORMAT_HTML || o->format == SCW_FORMAT_MARKDOWN;
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
    for (size_t i = 0; to_dir && o->format == SCW_FORMAT_SECCOMPPROFILE && i < a->n_groups; i++)
        scw_log_notice("profile '%s': wrote %s (SeccompProfile, %zu syscall%s added)",
                       a->groups[i].name, t[i].tuned_path, outs[i].names_added,
                       outs[i].names_added == 1 ? "" : "s");
    for (size_t i = 0; to_dir && o->format != SCW_FORMAT_SECCOMPPROFILE && i < a->n_groups; i++)
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
    exit_code = pp->vuln_failures || pp->input_failures ? SCW_EXIT_INPUT : SCW_EXIT_OK;
    if (exit_code == SCW_EXIT_OK && o->fail_on &&
        scw_evidence_gate_report(a, o->fail_on, o->command, stderr))
        exit_code = SCW_EXIT_GATE; /* --fail-on: the outputs are written, the gate closes */
    goto out;
oom:
    scw_log_errx("out of memory");
out:
    free(profiles_dir);
    outset_abort(&os);
    for (size_t i = 0; t && a && i < a->n_groups; i++) {
        free(t[i].text);
        free(t[i].diff);
        free(t[i].spo);
        free(t[i].tuned_path);
        free(t[i].diff_path);
    }
    free(t);
    free(outs);
    scw_advice_free(a);
    return exit_code;
}
