/*
 * watch_loop: the event-loop side of "scmpwatch watch" (cmd_watch.c sets it up and runs it):
 *   sources  netlink, kmsg, follow:PATH, '-': opened here, read by their handlers, each record
 *            through ingest (rule files' executable/comm/syscall ignores, then attribution and
 *            the container ignore list) into the aggregate, and the events output
 *   signals  TERM/INT stop the loop; HUP reloads the layered rule set; USR1 snapshots now
 *   tick     pid cache housekeeping, kept profile copies, attribution problems (once a
 *            minute), when the last record came (metrics), metrics connections past their
 *            time, the kernel's lost counter (every 10 s, unconfined only), loss accounting,
 *            snapshot and metrics file (every --interval) or events flush, --duration
 *   SIGHUP   RELOADING=1 / READY=1 to the service manager around the reload
 * It does not parse options, load the state file or print usage (cmd_watch.c).
 */
#include "watch_loop.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "rules_files.h"
#include "runtime_meta.h"
#include "sdnotify.h"
#include "state.h"
#include "watch_metrics.h"

#define NL_BATCH      16         /* records between two looks at the proc connector */
#define NL_TURNS      256        /* batches per loop turn */
#define NL_SMALL_WAKE 32         /* records: a wake-up that read fewer naps... */
#define NL_NAP_NS     200000     /* ...this long (200 us) */
#define FOLLOW_BUDGET (4U << 20) /* bytes per source per poll */

uint64_t scw_watch_loop_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec;
}

uint64_t scw_watch_loop_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Whether the rule files' container ignore list drops this workload; decided once per
 * workload (and again after a reload), not per event. */
static bool workload_ignored(struct scw_watch *w, int32_t wl)
{
    if (!w->rules || wl < 0)
        return false;
    if ((size_t)wl >= w->wl_ignored_cap) {
        size_t cap = w->wl_ignored_cap ? w->wl_ignored_cap : 256;
        while (cap <= (size_t)wl)
            cap *= 2;
        uint8_t *p = realloc(w->wl_ignored, cap);
        if (!p)
            return false;
        memset(p + w->wl_ignored_cap, 0, cap - w->wl_ignored_cap);
        w->wl_ignored = p;
        w->wl_ignored_cap = cap;
    }
    if (!w->wl_ignored[wl]) {
        const struct scw_workload *wk = scw_aggregate_workload_at(w->agg, (size_t)wl);
        bool ign =
            wk && wk->container && scw_rules_ignores(w->rules, wk->container, NULL, NULL, NULL);
        w->wl_ignored[wl] = ign ? 2 : 1;
    }
    return w->wl_ignored[wl] == 2;
}

/*
 * Runtimes delete a container's OCI config.json when the container is removed, so a later
 * `suggest` could no longer see the profile it ran. Keep a copy of its linux.seccomp and its
 * capability bounding set (only those: the rest of config.json may hold secrets in the
 * environment) beside the state, named
 * by content so replicas share one file (container->profile_kept; propose falls back to it
 * when config.json is gone). Once per container.
 */
static void keep_profile(struct scw_watch *w, uint32_t wl)
{
    const struct scw_workload *wk = scw_aggregate_workload_at(w->agg, wl);
    const char *src = wk && wk->container ? wk->container->profile : NULL;
    if (!src || !w->profiles_dir || wk->container->profile_kept)
        return;
    struct stat st;
    if (stat(src, &st) < 0 || st.st_size > (off_t)(16 << 20))
        return;
    json_error_t jerr;
    json_t *doc = json_load_file(src, 0, &jerr);
    json_t *seccomp = json_object_get(json_object_get(doc, "linux"), "seccomp");
    char *text = NULL, *path = NULL;
    if (json_is_object(seccomp)) {
        /* and the capability bounding set: the runtime resolved the profile's includes with
         * it, so suggest compares the team's file for the same capabilities */
        json_t *bounding = json_object_get(
            json_object_get(json_object_get(doc, "process"), "capabilities"), "bounding");
        json_t *copy =
            json_is_array(bounding)
                ? json_pack("{s:O?, s:{s:{s:O}}, s:{s:O}}", "ociVersion",
                            json_object_get(doc, "ociVersion"), "process", "capabilities",
                            "bounding", bounding, "linux", "seccomp", seccomp)
                : json_pack("{s:O?, s:{s:O}}", "ociVersion", json_object_get(doc, "ociVersion"),
                            "linux", "seccomp", seccomp);
        text = copy ? json_dumps(copy, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
        json_decref(copy);
    }
    json_decref(doc);
    if (!text)
        return;
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = text; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    if (asprintf(&path, "%s/%016llx.json", w->profiles_dir, (unsigned long long)h) < 0)
        path = NULL;
    if (path && access(path, R_OK) != 0) {
        mkdir(w->profiles_dir, 0700);
        char *tmp = NULL;
        FILE *f = NULL;
        if (asprintf(&tmp, "%s.tmp%d", path, (int)getpid()) >= 0 && (f = fopen(tmp, "we"))) {
            bool ok = fputs(text, f) >= 0 && fputc('\n', f) != EOF;
            ok = fclose(f) == 0 && ok;
            if (!ok || rename(tmp, path) < 0) {
                unlink(tmp);
                free(path);
                path = NULL;
            }
        } else {
            free(path);
            path = NULL;
        }
        free(tmp);
    }
    if (path) {
        struct scw_container *c = scw_container_dup(wk->container);
        if (c) {
            c->profile_kept = path;
            path = NULL;
            scw_aggregate_set_container(w->agg, wl, c);
            scw_container_free(c);
        }
    } else if (!w->profiles_warned) {
        w->profiles_warned = true;
        scw_log_warnx("cannot keep a copy of the profile '%s' in '%s': suggest will need the "
                      "container to still exist (said once)",
                      src, w->profiles_dir);
    }
    free(path);
    free(text);
}

static void keep_new_profiles(struct scw_watch *w)
{
    size_t n = scw_aggregate_n_workloads(w->agg);
    for (; w->profiles_checked < n; w->profiles_checked++)
        keep_profile(w, (uint32_t)w->profiles_checked);
}

/* The resolver ingest calls: attribute, apply container ignores, remember for events. */
static int resolve(void *ctx, struct scw_aggregate *agg, const struct scw_record *r)
{
    struct scw_watch *w = ctx;
    w->last_workload = scw_attr_resolve(w->attr, agg, r);
    if (w->last_workload >= 0 && (size_t)w->last_workload >= w->profiles_checked)
        keep_new_profiles(w);
    if (workload_ignored(w, w->last_workload)) {
        w->in.ignored++;
        w->last_workload = -1;
        return -ECANCELED;
    }
    return w->last_workload;
}

/* Executable, comm and syscall ignore lists, before attribution. */
static bool filter(void *ctx, const struct scw_record *r)
{
    struct scw_watch *w = ctx;
    return w->rules && scw_rules_filter_record(w->rules, r);
}

void scw_watch_loop_print_rule_warnings(const struct scw_rules *rs)
{
    for (size_t i = 0; i < rs->n_warnings; i++)
        scw_log_warnx("%s", rs->warnings[i]);
}

void scw_watch_loop_log_rule_files(const struct scw_rules *rs, const char *what)
{
    char list[1024] = "";
    size_t o = 0;
    for (size_t i = 0; i < rs->n_files && o + 1 < sizeof(list); i++) {
        int n = snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "", rs->files[i]);
        if (n < 0)
            break;
        o += (size_t)n;
    }
    if (o >= sizeof(list) - 1)
        snprintf(list + sizeof(list) - 5, 5, "...");
    scw_log_notice("%s: %zu rule file%s%s%s", what, rs->n_files, rs->n_files == 1 ? "" : "s",
                   rs->n_files ? ": " : " (nothing is ignored)", list);
}

/* SIGHUP: every layer is loaded again (shipped, rules.d, --rules: a file added to rules.d
 * since the start counts); the new set replaces the old one only when it loads cleanly. The
 * service manager hears RELOADING=1 before and READY=1 after, whatever the outcome. Under the
 * sandbox a file it cannot read fails like any unreadable file (open(2) is allowed; what the
 * dropped capabilities refuse is EACCES), with a message, never a kill. */
static void reload_rules(struct scw_watch *w)
{
    scw_sdnotify_reloading();
    struct scw_rules *rs;
    char *err = NULL;
    int rc = scw_rules_load_sources(&w->rule_sources, &rs, &err);
    scw_sdnotify("READY=1");
    if (rc < 0) {
        w->reloads_failed++;
        scw_log_errx("rule reload failed, the rules loaded before stay in force: %s",
                     err ? err : strerror(-rc));
        free(err);
        return;
    }
    w->reloads_ok++;
    scw_watch_loop_print_rule_warnings(rs);
    scw_rules_free(w->rules);
    w->rules = rs;
    if (w->wl_ignored)
        memset(w->wl_ignored, 0, w->wl_ignored_cap);
    scw_watch_loop_log_rule_files(rs, "rules reloaded");
}

static void after_ingest(struct scw_watch *w, size_t entries_before, const struct scw_record *r)
{
    if (!w->events)
        return;
    size_t n = scw_aggregate_n_entries(w->agg);
    if (n > entries_before)
        scw_events_first_seen(w->events, w->agg, n - 1, r);
    if (scw_events_all(w->events) && w->last_workload >= 0)
        scw_events_record(w->events, w->agg, (uint32_t)w->last_workload, r);
}

static void on_record(void *ctx, const struct scw_record *r)
{
    struct scw_watch *w = ctx;
    size_t before = scw_aggregate_n_entries(w->agg);
    w->last_workload = -1;
    scw_ingest_record(&w->in, r);
    after_ingest(w, before, r);
}

struct line_ctx {
    struct scw_watch *w;
    unsigned idx;
};

static void on_line(void *ctx, const char *line, size_t len, bool oversized)
{
    struct line_ctx *lc = ctx;
    struct scw_watch *w = lc->w;
    if (oversized) {
        scw_ingest_oversized(&w->in);
        return;
    }
    size_t before = scw_aggregate_n_entries(w->agg);
    uint64_t seccomp_before = scw_aggregate_stats(w->agg)->seccomp;
    w->last_workload = -1;
    scw_ingest_line(&w->in, line, len, scw_follow_path(w->follow[lc->idx]), 0);
    if (scw_aggregate_stats(w->agg)->seccomp != seccomp_before) {
        w->source_records[lc->idx]++;
        after_ingest(w, before, &w->in.rec);
    }
}

static void drain_proc_events(struct scw_watch *w)
{
    if (w->pe)
        scw_proc_events_drain(w->pe, scw_attr_proc_event, w->attr);
}

static void on_netlink(void *ctx, int fd, uint32_t events)
{
    (void)fd;
    (void)events;
    struct scw_watch *w = ctx;
    /* Fork/exec news before each batch of records, so a process that execs into a container
     * and exits at once is read at exec, not after a long batch of someone else's flood
     * (one recv() per NL_BATCH records: ~30 ns a record). NL_TURNS batches per turn, then the
     * loop serves timers and signals (the socket stays readable and brings us back). */
    int total = 0;
    for (int turn = 0; turn < NL_TURNS; turn++) {
        drain_proc_events(w);
        int rc = scw_nl_audit_drain(w->nl, NL_BATCH, on_record, w);
        if (rc < 0)
            scw_log_warn(rc, "reading the audit netlink socket");
        if (rc > 0)
            total += rc;
        if (rc < NL_BATCH)
            break;
    }
    /* A flood read a few records per wake-up spends most of its CPU switching tasks: when
     * this wake-up found only a handful, let the socket fill for a moment (the 64 MiB buffer
     * holds seconds of it) so the next one reads a real batch. */
    if (total > 0 && total < NL_SMALL_WAKE) {
        struct timespec ts = {0, NL_NAP_NS};
        nanosleep(&ts, NULL);
    }
}

void scw_watch_loop_on_proc_events(void *ctx, int fd, uint32_t events)
{
    (void)fd;
    (void)events;
    drain_proc_events(ctx);
}

static void poll_follow(struct scw_watch *w, unsigned i)
{
    if (w->follow_done[i])
        return;
    struct line_ctx lc = {w, i};
    int rc = scw_follow_poll(w->follow[i], FOLLOW_BUDGET, on_line, &lc);
    if (rc == 1 || rc < 0) {
        if (rc < 0)
            scw_log_warn(rc, "reading '%s'", scw_follow_path(w->follow[i]));
        w->follow_done[i] = true;
        int fd = scw_follow_fd(w->follow[i]);
        if (fd >= 0)
            scw_loop_del_fd(w->loop, fd);
        if (--w->n_streams_open == 0 && !w->nl)
            scw_loop_stop(w->loop); /* every source has ended: nothing more will come */
    }
}

static void on_follow_fd(void *ctx, int fd, uint32_t events)
{
    (void)events;
    struct scw_watch *w = ctx;
    for (unsigned i = 0; i < w->n_follow; i++)
        if (scw_follow_fd(w->follow[i]) == fd)
            poll_follow(w, i);
}

void scw_watch_loop_on_follow_timer(void *ctx)
{
    struct scw_watch *w = ctx;
    for (unsigned i = 0; i < w->n_follow; i++)
        if (scw_follow_fd(w->follow[i]) < 0)
            poll_follow(w, i);
}

/* Loss known now: serial gaps, kmsg overwrites, printk suppression, plus what the state had. */
static void update_loss(struct scw_watch *w)
{
    struct scw_input_stats *st = scw_aggregate_stats(w->agg);
    uint64_t lost = w->loaded_lost + w->in.printk_suppressed;
    if (w->nl) {
        struct scw_nl_stats ns;
        scw_nl_audit_stats(w->nl, &ns);
        lost += ns.serial_lost;
    }
    for (unsigned i = 0; i < w->n_follow; i++) {
        struct scw_follow_stats fs;
        scw_follow_stats(w->follow[i], &fs);
        lost += fs.kmsg_overwritten;
    }
    if (lost > st->lost)
        scw_log_warnx("%llu audit records lost so far (reader overrun or kernel log "
                      "rate limit); see 'scmpwatch watch --help' for --rcvbuf",
                      (unsigned long long)lost);
    st->lost = lost;
}

void scw_watch_loop_check_kernel_lost(struct scw_watch *w)
{
    uint64_t lost;
    if (scw_audit_kernel_status(&lost, NULL, NULL) < 0)
        return;
    struct scw_input_stats *st = scw_aggregate_stats(w->agg);
    if (!w->have_kernel_lost) {
        w->have_kernel_lost = true;
        w->kernel_lost_at_start = lost;
    } else if (lost > st->kernel_lost) {
        scw_log_warnx("the kernel's audit lost counter rose to %llu (backlog overflow or rate "
                      "limit: see auditctl -s)",
                      (unsigned long long)lost);
    }
    st->kernel_lost = lost;
}

/* The snapshot's outcome, for the metrics: how long it took, when it last succeeded. */
static void count_snapshot(struct scw_watch *w, uint64_t started_ms, int rc)
{
    w->last_snapshot_seconds = (double)(scw_watch_loop_now_ms() - started_ms) / 1000.0;
    if (rc < 0) {
        w->snapshots_failed++;
        return;
    }
    w->snapshots_ok++;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    w->last_snapshot_ok_wall = ts.tv_sec;
}

int scw_watch_loop_snapshot(struct scw_watch *w, const char *why)
{
    uint64_t started_ms = scw_watch_loop_now_ms();
    update_loss(w);
    w->last_snapshot = scw_watch_loop_now();
    if (w->events) {
        scw_events_summary(w->events, w->agg);
        scw_events_flush(w->events);
    }
    int rc = 0;
    if (w->state_path) {
        rc = scw_state_save(w->agg, w->state_path);
        if (rc < 0)
            scw_log_err(rc, "cannot write the state file '%s' (%s snapshot)", w->state_path, why);
        else
            scw_log_info("%s snapshot: %llu events, %zu workloads, %llu lost -> %s", why,
                         (unsigned long long)scw_aggregate_stats(w->agg)->seccomp,
                         scw_aggregate_n_workloads(w->agg),
                         (unsigned long long)scw_aggregate_stats(w->agg)->lost, w->state_path);
    }
    count_snapshot(w, started_ms, rc);
    scw_watch_metrics_write_file(w); /* the textfile too, whatever became of the state */
    return rc;
}

/* Attribution problems (processes gone before lookup, unreadable or corrupt runtime state):
 * the events are counted all the same; say so at most once a minute. */
static void log_attribution_problems(struct scw_watch *w, uint64_t now)
{
    if (now - w->last_problem_log < 60 && w->last_problem_log)
        return;
    struct scw_attr_stats as;
    scw_attr_stats(w->attr, &as);
    const struct scw_meta_stats *ms = scw_attr_meta_stats(w->attr);
    uint64_t bad = ms->unreadable + ms->bad + ms->too_big + ms->unsupported + ms->no_user;
    if (as.unattributed > w->logged_gone) {
        scw_log_notice("%llu records from processes with no cgroup found (gone before lookup, "
                       "or in the root cgroup): counted by executable as unattributed",
                       (unsigned long long)as.unattributed);
        w->logged_gone = as.unattributed;
        w->last_problem_log = now;
    }
    if (bad > w->logged_bad_state) {
        scw_log_warnx("%llu runtime state files could not be used (unreadable %llu, corrupt or "
                      "half-written %llu, too big %llu, unknown format version %llu, rootless "
                      "user or home not found %llu): those containers are named by cgroup id",
                      (unsigned long long)bad, (unsigned long long)ms->unreadable,
                      (unsigned long long)ms->bad, (unsigned long long)ms->too_big,
                      (unsigned long long)ms->unsupported, (unsigned long long)ms->no_user);
        w->logged_bad_state = bad;
        w->last_problem_log = now;
    }
}

void scw_watch_loop_on_tick(void *ctx)
{
    struct scw_watch *w = ctx;
    uint64_t now = scw_watch_loop_now();
    scw_attr_tick(w->attr, now);
    /* runtime state read late (retries) may have named a profile since: keep those too */
    if (now - w->last_profile_sweep >= 5) {
        w->last_profile_sweep = now;
        for (size_t i = 0; i < scw_aggregate_n_workloads(w->agg); i++)
            keep_profile(w, (uint32_t)i);
    }
    log_attribution_problems(w, now);
    uint64_t seen = scw_aggregate_stats(w->agg)->seccomp;
    if (seen != w->tick_seccomp) {
        w->tick_seccomp = seen;
        w->last_record_ms = scw_watch_loop_now_ms();
    }
    scw_watch_metrics_tick(w);
    /* AUDIT_GET needs CAP_AUDIT_CONTROL, which the sandbox dropped */
    if (!w->sandboxed && now - w->last_kernel_check >= 10) {
        w->last_kernel_check = now;
        scw_watch_loop_check_kernel_lost(w);
    }
    update_loss(w);
    if (now - w->last_snapshot >= w->interval)
        scw_watch_loop_snapshot(w, "periodic");
    else if (w->events)
        scw_events_flush(w->events);
    if (w->duration && now - w->started >= w->duration)
        scw_loop_stop(w->loop);
}

void scw_watch_loop_on_signal(void *ctx, int signo)
{
    struct scw_watch *w = ctx;
    switch (signo) {
    case SIGTERM:
    case SIGINT:
        scw_log_info("signal %d: stopping", signo);
        scw_loop_stop(w->loop);
        break;
    case SIGHUP:
        reload_rules(w);
        break;
    case SIGUSR1:
        scw_watch_loop_snapshot(w, "requested");
        break;
    default:
        break;
    }
}

int scw_watch_loop_open_sources(struct scw_watch *w, const char **sources, unsigned n,
                                bool from_start, size_t rcvbuf)
{
    for (unsigned i = 0; i < n; i++) {
        const char *s = sources[i];
        int rc;
        if (strcmp(s, "netlink") == 0) {
            if (w->nl)
                continue;
            rc = scw_nl_audit_open(rcvbuf, &w->nl);
            if (rc < 0) {
                scw_log_err(rc, "cannot join the audit netlink multicast group (needs root or "
                                "CAP_AUDIT_READ, and a kernel with CONFIG_AUDIT; run "
                                "'scmpwatch check')");
                return rc;
            }
            if (scw_nl_audit_rcvbuf(w->nl) < rcvbuf)
                scw_log_warnx("netlink receive buffer is %zu bytes, less than the %zu asked "
                              "(no CAP_NET_ADMIN?): floods may lose records",
                              scw_nl_audit_rcvbuf(w->nl), rcvbuf);
            rc = scw_loop_add_fd(w->loop, scw_nl_audit_fd(w->nl), on_netlink, w);
            if (rc < 0) {
                scw_log_err(rc, "cannot watch the netlink socket");
                return rc;
            }
            continue;
        }
        if (w->n_follow >= SCW_WATCH_MAX_SOURCES) {
            scw_log_errx("too many sources (at most %d)", SCW_WATCH_MAX_SOURCES);
            return -E2BIG;
        }
        enum scw_follow_kind kind;
        const char *path;
        if (strcmp(s, "kmsg") == 0) {
            kind = SCW_FOLLOW_KMSG;
            path = "/dev/kmsg";
        } else if (strncmp(s, "follow:", 7) == 0 && s[7]) {
            kind = SCW_FOLLOW_FILE;
            path = s + 7;
        } else if (strcmp(s, "-") == 0) {
            kind = SCW_FOLLOW_STREAM;
            path = "-";
        } else {
            return -EINVAL; /* checked during option parsing */
        }
        struct scw_follow *f;
        rc = scw_follow_open(kind, path, from_start, &f);
        if (rc < 0) {
            scw_log_err(rc, "cannot open source '%s'", s);
            return rc;
        }
        unsigned idx = w->n_follow++;
        w->follow[idx] = f;
        w->n_streams_open++;
        if (scw_follow_fd(f) >= 0 &&
            (rc = scw_loop_add_fd(w->loop, scw_follow_fd(f), on_follow_fd, w)) < 0) {
            scw_log_err(rc, "cannot watch source '%s'", s);
            return rc;
        }
    }
    return 0;
}

void scw_watch_loop_final_drain(struct scw_watch *w)
{
    drain_proc_events(w);
    while (w->nl && scw_nl_audit_drain(w->nl, 4096, on_record, w) == 4096)
        drain_proc_events(w);
    for (unsigned i = 0; i < w->n_follow; i++)
        poll_follow(w, i);
}

/* Attribution and ingestion count into w->agg (at start, and after a bad state file). */
void scw_watch_loop_use_aggregate(struct scw_watch *w)
{
    scw_attr_set_aggregate(w->attr, w->agg);
    scw_ingest_init(&w->in, w->agg);
    w->in.resolve = resolve;
    w->in.resolve_ctx = w;
    w->in.filter = filter;
    w->in.filter_ctx = w;
}
