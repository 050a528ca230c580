/*
 * report: render an aggregate as JSON (the stable, scriptable form) or as grouped text.
 *
 * Key names in the JSON output are an interface: users script against them with jq, so keys
 * are only ever added. Strings from records may hold any bytes; they are made valid UTF-8 here
 * (jansson refuses anything else). Naming happens here, at output time, through name.c.
 */
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "aggregate_json.h"
#include "json.h"
#include "name.h"
#include "report_esc.h"

static const char *const format_names[SCW_FORMAT_MAX] = {
    "text", "json", "profile", "diff", "html", "markdown", "seccompprofile"};

enum scw_format scw_format_from_name(const char *name)
{
    for (int i = 0; i < SCW_FORMAT_MAX; i++)
        if (strcasecmp(name, format_names[i]) == 0)
            return (enum scw_format)i;
    return SCW_FORMAT_INVALID;
}

bool scw_report_want_color(FILE *f)
{
    const char *term = getenv("TERM");
    const char *no = getenv("NO_COLOR");
    if (no && no[0])
        return false;
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fileno(f));
}

static json_t *string_ids(const struct scw_aggregate *agg, const uint32_t *ids, unsigned n)
{
    json_t *a = json_array();
    for (unsigned i = 0; i < n; i++)
        json_array_append_new(a, scw_json_string(scw_aggregate_string(agg, ids[i])));
    return a;
}

static json_t *entry_json(const struct scw_aggregate *agg, const struct scw_agg_entry *e)
{
    struct scw_syscall_name nm;
    scw_name_lookup(e->arch, e->syscall, &nm);
    enum scw_action act = scw_action_from_code(e->code);
    char code[16];
    snprintf(code, sizeof(code), "0x%08x", e->code);
    bool has_code = e->code != SCW_CODE_ABSENT;
    json_t *o = json_object();
    if (nm.token) {
        json_object_set_new(o, "arch", json_string(nm.arch));
    } else {
        char a[16];
        snprintf(a, sizeof(a), "0x%08x", e->arch);
        json_object_set_new(o, "arch", json_string(a));
    }
    json_object_set_new(o, "name", nm.name ? json_string(nm.name) : json_null());
    json_object_set_new(o, "nr", json_integer(e->syscall));
    json_object_set_new(o, "action", json_string(scw_action_name(act)));
    json_object_set_new(o, "code", has_code ? json_string(code) : json_null());
    json_object_set_new(o, "count", json_integer((json_int_t)e->count));
    json_object_set_new(o, "first_seen", scw_json_time(e->first_sec, e->first_msec));
    json_object_set_new(o, "last_seen", scw_json_time(e->last_sec, e->last_msec));
    json_object_set_new(o, "processes", json_integer(e->n_pids));
    json_object_set_new(o, "processes_truncated", json_boolean(e->pids_truncated));
    json_object_set_new(o, "executables", string_ids(agg, e->exes, e->n_exes));
    json_object_set_new(o, "executables_truncated", json_boolean(e->exes_truncated));
    return o;
}

static json_t *workload_json(const struct scw_aggregate *agg, const struct scw_agg_view *v,
                             uint32_t wi, const struct scw_report_opts *opts)
{
    const struct scw_workload *w = scw_aggregate_workload_at(agg, wi);
    json_t *o = json_object();
    json_object_set_new(o, "container", scw_aggregate_container_json(w->container));
    json_object_set_new(o, "key", scw_json_string(w->key));
    const struct scw_agg_node *node = scw_aggregate_node_at(agg, w->node);
    json_object_set_new(o, "node", scw_json_string(node ? node->name : NULL));
    json_object_set_new(o, "events", json_integer((json_int_t)w->events));
    json_object_set_new(o, "first_seen", scw_json_time(w->first_sec, w->first_msec));
    json_object_set_new(o, "last_seen", scw_json_time(w->last_sec, w->last_msec));
    json_object_set_new(o, "executables", string_ids(agg, w->exes, w->n_exes));
    json_object_set_new(o, "executables_truncated", json_boolean(w->exes_truncated));
    json_t *sys = json_array();
    for (size_t k = v->start[wi]; k < v->start[wi + 1]; k++)
        json_array_append_new(sys, entry_json(agg, scw_aggregate_entry_at(agg, v->entries[k])));
    json_object_set_new(o, "syscalls", sys);
    if (opts && opts->decorate)
        opts->decorate(opts->decorate_ctx, agg, wi, o);
    return o;
}

static json_t *report_head(const struct scw_aggregate *agg)
{
    json_t *doc = json_object();
    json_object_set_new(doc, "scmpwatch", json_string(SCW_VERSION));
    json_t *input = scw_aggregate_input_json(agg);
    json_object_set_new(input, "nodes", scw_aggregate_nodes_json(agg)); /* per node */
    json_object_set_new(doc, "input", input);
    return doc;
}

json_t *scw_report_json(const struct scw_aggregate *agg, const struct scw_report_opts *opts)
{
    struct scw_agg_view v;
    if (scw_aggregate_view(agg, &v) < 0)
        return NULL;
    json_t *doc = report_head(agg);
    json_t *wls = json_array();
    for (size_t i = 0; i < v.n_workloads; i++)
        json_array_append_new(wls, workload_json(agg, &v, v.workloads[i], opts));
    json_object_set_new(doc, "workloads", wls);
    scw_agg_view_release(&v);
    return doc;
}

#define DUMP_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(13) | JSON_PRESERVE_ORDER)

/* s with every line but the first prefixed by indent spaces (the caller places the first). */
static void put_indented(FILE *out, const char *s, int indent)
{
    static const char spaces[] = "                ";
    for (const char *nl; (nl = strchr(s, '\n')); s = nl + 1) {
        fwrite(s, 1, (size_t)(nl + 1 - s), out);
        for (int left = indent; left > 0; left -= (int)sizeof(spaces) - 1)
            fwrite(spaces, 1, left < (int)sizeof(spaces) - 1 ? (size_t)left : sizeof(spaces) - 1,
                   out);
    }
    fputs(s, out);
}

/* The members of a dumped object, without its braces ("{\n  ...\n}" -> "  ..."). */
static void put_members(FILE *out, const char *dumped)
{
    size_t len = strlen(dumped);
    if (len >= 4 && dumped[0] == '{' && dumped[1] == '\n' && dumped[len - 1] == '}')
        fwrite(dumped + 2, 1, len - 4, out);
}

int scw_report_write_json_with(const struct scw_aggregate *agg, const struct scw_report_opts *opts,
                               json_t *tail, FILE *out)
{
    /* Written one workload at a time: memory follows the aggregate, not the document. The
     * bytes are those json_dumpf would write for the whole document (test_report checks). */
    struct scw_agg_view v;
    if (scw_aggregate_view(agg, &v) < 0)
        return -ENOMEM;
    json_t *head = report_head(agg);
    char *h = json_dumps(head, DUMP_FLAGS);
    json_decref(head);
    int rc = h ? 0 : -ENOMEM;
    if (h) {
        fputs("{\n", out);
        put_members(out, h);
        fputs(",\n  \"workloads\": [", out);
        free(h);
    }
    for (size_t i = 0; rc == 0 && i < v.n_workloads; i++) {
        json_t *o = workload_json(agg, &v, v.workloads[i], opts);
        char *s = o ? json_dumps(o, DUMP_FLAGS) : NULL;
        json_decref(o);
        if (!s) {
            rc = -ENOMEM;
            break;
        }
        fputs(i ? ",\n    " : "\n    ", out);
        put_indented(out, s, 4);
        free(s);
    }
    if (rc == 0) {
        fputs(v.n_workloads ? "\n  ]" : "]", out);
        const char *key;
        json_t *value;
        json_object_foreach(tail, key, value)
        {
            json_t *one = json_pack("{s:O}", key, value);
            char *s = one ? json_dumps(one, DUMP_FLAGS) : NULL;
            json_decref(one);
            if (!s) {
                rc = -ENOMEM;
                break;
            }
            fputs(",\n", out);
            put_members(out, s);
            free(s);
        }
        fputs("\n}\n", out);
    }
    scw_agg_view_release(&v);
    if (rc == 0 && ferror(out))
        rc = -EIO;
    return rc;
}

int scw_report_write_json(const struct scw_aggregate *agg, const struct scw_report_opts *opts,
                          FILE *out)
{
    return scw_report_write_json_with(agg, opts, NULL, out);
}

/* ---- text ---- */

struct style {
    const char *bold, *dim, *warn, *reset;
};

void scw_report_fmt_count(uint64_t n, char *buf, size_t cap)
{
    char tmp[32];
    int len = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)n);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < cap; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = '\0';
}

void scw_report_fmt_time(int64_t sec, uint32_t msec, char *buf, size_t cap)
{
    struct tm tm;
    time_t t = (time_t)sec;
    if (sec == 0 || !gmtime_r(&t, &tm)) {
        snprintf(buf, cap, "-");
        return;
    }
    size_t n = strftime(buf, cap, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(buf + n, cap - n, ".%03u", msec);
}

/*
 * Print a string from a record so that it cannot drive the terminal: control bytes (C0, DEL,
 * C1 as UTF-8) and bytes that are not valid UTF-8 are written as \xNN.
 */
void scw_report_put_safe(FILE *out, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        size_t seq = scw_json_utf8_seq(u + i, len - i);
        bool c1 = seq == 2 && u[i] == 0xc2 && u[i + 1] < 0xa0;
        if (seq == 0 || c1 || u[i] < 0x20 || u[i] == 0x7f) {
            size_t n = c1 ? 2 : 1;
            for (size_t k = 0; k < n; k++)
                fprintf(out, "\\x%02x", u[i + k]);
            i += n;
        } else {
            fwrite(u + i, 1, seq, out);
            i += seq;
        }
    }
}

static void workload_heading(FILE *out, const struct style *st, const struct scw_workload *w)
{
    fputs(st->bold, out);
    const struct scw_container *c = w->container;
    if (c) {
        fprintf(out, "%s ", c->runtime ? c->runtime : "container");
        if (c->name)
            scw_report_put_safe(out, c->name);
        if (c->id) {
            fprintf(out, c->name ? " (" : "");
            scw_esc_container_id(out, SCW_ESC_TEXT, c->id);
            fprintf(out, c->name ? ")" : "");
        }
        if (c->image) {
            fprintf(out, "  image ");
            scw_report_put_safe(out, c->image);
        }
        if (c->pod) {
            fprintf(out, "  pod %s/", c->namespace ? c->namespace : "?");
            scw_report_put_safe(out, c->pod);
        }
    } else {
        scw_report_put_safe(out, strncmp(w->key, "exe:", 4) == 0 ? w->key + 4 : w->key);
        fprintf(out, "  (no container)");
    }
    fputs(st->reset, out);
    char n[32], f[40], l[40];
    scw_report_fmt_count(w->events, n, sizeof(n));
    scw_report_fmt_time(w->first_sec, w->first_msec, f, sizeof(f));
    scw_report_fmt_time(w->last_sec, w->last_msec, l, sizeof(l));
    fprintf(out, "\n  %s event%s, first %s, last %s UTC\n", n, w->events == 1 ? "" : "s", f, l);
}

int scw_report_write_text(const struct scw_aggregate *agg, const struct scw_report_opts *opts,
                          FILE *out)
{
    static const struct style plain = {"", "", "", ""};
    static const struct style ansi = {"\033[1m", "\033[2m", "\033[33m", "\033[0m"};
    const struct style *st = opts && opts->color ? &ansi : &plain;
    const struct scw_input_stats *in = scw_aggregate_stats((struct scw_aggregate *)agg);
    const struct scw_agg_drops *d = scw_aggregate_drops(agg);
    struct scw_agg_view v;
    if (scw_aggregate_view(agg, &v) < 0)
        return -ENOMEM;

    char a[32], b[32], c[32], e[32], f[32];
    scw_report_fmt_count(in->lines, a, sizeof(a));
    scw_report_fmt_count(in->seccomp, b, sizeof(b));
    scw_report_fmt_count(in->malformed, c, sizeof(c));
    scw_report_fmt_count(in->oversized, e, sizeof(e));
    scw_report_fmt_count(in->other, f, sizeof(f));
    fprintf(out, "%s%s%s", st->bold, opts && opts->title ? opts->title : "scmpwatch", st->reset);
    if (opts && opts->n_inputs)
        fprintf(out, ": %u input%s", opts->n_inputs, opts->n_inputs == 1 ? "" : "s");
    fprintf(out, "\n  lines %s: SECCOMP records %s, malformed %s, oversized %s, other %s\n", a, b,
            c, e, f);
    if (in->unattributed || in->lost || in->kernel_lost)
        fprintf(out, "  unattributed %llu, lost %llu, kernel lost counter %llu\n",
                (unsigned long long)in->unattributed, (unsigned long long)in->lost,
                (unsigned long long)in->kernel_lost);
    if (in->malformed) {
        fprintf(out, "%swarning: %s malformed SECCOMP line%s skipped (no valid arch= or syscall=)",
                st->warn, c, in->malformed == 1 ? "" : "s");
        for (unsigned i = 0; i < in->malformed_kept; i++)
            fprintf(out, "%s%s", i ? ", " : "; first: ", in->malformed_where[i]);
        fprintf(out, "%s\n", st->reset);
    }
    if (in->oversized)
        fprintf(out, "%swarning: %s line%s longer than %d bytes skipped%s\n", st->warn, e,
                in->oversized == 1 ? "" : "s", SCW_LINE_MAX, st->reset);
    if (in->read_errors)
        fprintf(out,
                "%swarning: %llu input%s could not be read completely (see messages above)%s\n",
                st->warn, (unsigned long long)in->read_errors, in->read_errors == 1 ? "" : "s",
                st->reset);
    if (d->workloads || d->entries || d->strings)
        fprintf(out,
                "%swarning: bounds reached: %llu events dropped (workload table full), %llu "
                "(entry table full); %llu events without their executable (string table "
                "full); raise --max-workloads/--max-entries%s\n",
                st->warn, (unsigned long long)d->workloads, (unsigned long long)d->entries,
                (unsigned long long)d->strings, st->reset);
    if (v.n_workloads == 0)
        fprintf(out, "\nno SECCOMP events\n");

    for (size_t i = 0; i < v.n_workloads; i++) {
        uint32_t wi = v.workloads[i];
        const struct scw_workload *w = scw_aggregate_workload_at(agg, wi);
        fputc('\n', out);
        workload_heading(out, st, w);
        fprintf(out, "  %s%10s  %-11s %-24s %-16s %s%s\n", st->dim, "COUNT", "ARCH", "SYSCALL",
                "ACTION", "EXECUTABLES", st->reset);
        for (size_t k = v.start[wi]; k < v.start[wi + 1]; k++) {
            const struct scw_agg_entry *en = scw_aggregate_entry_at(agg, v.entries[k]);
            struct scw_syscall_name nm;
            scw_name_lookup(en->arch, en->syscall, &nm);
            char cnt[32], sys[64], arch[16], act[24];
            scw_report_fmt_count(en->count, cnt, sizeof(cnt));
            if (nm.name)
                snprintf(sys, sizeof(sys), "%s", nm.name);
            else
                snprintf(sys, sizeof(sys), "unknown(%u)", en->syscall);
            if (nm.token)
                snprintf(arch, sizeof(arch), "%s", nm.arch);
            else
                snprintf(arch, sizeof(arch), "0x%08x", en->arch);
            enum scw_action ac = scw_action_from_code(en->code);
            if (en->code == SCW_CODE_ABSENT)
                snprintf(act, sizeof(act), "unknown(no code)");
            else if (ac == SCW_ACTION_UNKNOWN)
                snprintf(act, sizeof(act), "unknown(0x%x)", en->code);
            else
                snprintf(act, sizeof(act), "%s", scw_action_name(ac));
            fprintf(out, "  %10s  %-11s %-24s %-16s ", cnt, arch, sys, act);
            for (unsigned x = 0; x < en->n_exes; x++) {
                if (x)
                    fputs(", ", out);
                scw_report_put_safe(out, scw_aggregate_string(agg, en->exes[x]));
            }
            if (en->exes_truncated)
                fputs(", ...", out);
            fputc('\n', out);
        }
    }
    scw_agg_view_release(&v);
    return ferror(out) ? -EIO : 0;
}
