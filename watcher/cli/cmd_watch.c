/*
 * cmd_watch: "scmpwatch watch", the live watcher. Runs in the foreground (systemd-friendly:
 * diagnostics on stderr), in one event loop:
 *   sources  netlink (default), kmsg, follow:PATH, '-' -> ingest -> attribute -> aggregate
 *   signals  TERM/INT: final snapshot, exit 0; HUP: reload the rule files; USR1: snapshot now
 *   tick     (1 s) follow polling is separate (200 ms); the tick's duties: pid cache
 *            housekeeping, loss accounting, the kernel's lost counter (every 10 s), periodic
 *            snapshot and events summary (every --interval), events flush.
 * State is loaded and merged at start, so a restart loses nothing that was snapshotted.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aggregate.h"
#include "attribute.h"
#include "commands.h"
#include "events.h"
#include "ingest.h"
#include "log.h"
#include "loop.h"
#include "proc_events.h"
#include "runtime_meta.h"
#include "source_follow.h"
#include "source_netlink.h"
#include "state.h"
#include "rules.h"
#include "rules_files.h"

#define MAX_SOURCES    8
#define NL_BATCH       16     /* records between two looks at the proc connector */
#define NL_TURNS       256    /* batches per loop turn */
#define NL_SMALL_WAKE  32     /* records: a wake-up that read fewer naps... */
#define NL_NAP_NS      200000 /* ...this long (200 us) */
#define FOLLOW_POLL_MS 200
#define FOLLOW_BUDGET  (4U << 20) /* bytes per source per poll */

static const char usage[] =
    "Usage: scmpwatch watch [OPTIONS]\n"
    "Watch SECCOMP audit records live, attribute them to containers and keep the aggregate in a\n"
    "state file that `scmpwatch suggest` reads. Runs in the foreground; stop with SIGTERM.\n"
    "\n"
    "Sources (repeatable; default netlink):\n"
    "  -s, --source netlink     the kernel's audit multicast group (read-only; works with or\n"
    "                           without auditd; needs CAP_AUDIT_READ)\n"
    "  -s, --source follow:PATH follow a log file like tail -F (rotation, truncation)\n"
    "  -s, --source kmsg        the kernel log, /dev/kmsg (rate-limited by printk under load)\n"
    "  -s, --source -           standard input\n"
    "      --from-start         read followed files and kmsg from their start, not their end\n"
    "\n"
    "Rules and state:\n"
    "  -r, --rules FILE         rule file (repeatable; loaded in order); its ignore lists drop\n"
    "                           events before counting; reloaded on SIGHUP\n"
    "      --state FILE         state file (default " SCW_STATE_DEFAULT ")\n"
    "      --no-state           keep nothing on disk\n"
    "  -i, --interval SEC       snapshot every SEC seconds (default 60)\n"
    "      --events FILE|-      JSON lines: first sight of each (workload, syscall, action) and\n"
    "                           a summary every interval\n"
    "      --events-all         one JSON line per record as well\n"
    "\n"
    "Attribution:\n"
    "      --no-proc-events     do not track forks/execs through the proc connector\n"
    "      --runtime-root KIND=DIR  where a runtime keeps its state (repeatable); KIND:\n"
    "                           docker (/var/lib/docker), docker-exec (/run/docker),\n"
    "                           containerd (/run/containerd), storage-run\n"
    "                           (/run/containers/storage), storage (/var/lib/containers/storage),\n"
    "                           runc (/run/runc), user-run (/run/user)\n"
    "      --max-pids N         pid cache bound (default 262144)\n"
    "\n"
    "Limits and diagnostics:\n"
    "      --rcvbuf BYTES       netlink receive buffer (default 64 MiB; SO_RCVBUFFORCE)\n"
    "      --max-workloads N    workloads kept (default 10000)\n"
    "      --max-entries N      workload x syscall entries kept (default 1000000)\n"
    "      --duration SEC       stop by itself after SEC seconds (as on SIGTERM)\n"
    "      --ready-file FILE    create FILE once every source is open\n"
    "      --log-level LEVEL    error, warning, notice (default), info, debug\n"
    "  -h, --help               show this help\n"
    "\n"
    "Exit status: 0 stopped by a signal or --duration; 2 usage error; 3 a source could not be\n"
    "opened or the state could not be written.\n";

struct watch {
    struct scw_loop *loop;
    struct scw_aggregate *agg;
    struct scw_ingest in;
    struct scw_attr *attr;
    struct scw_nl_audit *nl;
    struct scw_proc_events *pe;
    struct scw_follow *follow[MAX_SOURCES];
    bool follow_done[MAX_SOURCES];
    unsigned n_follow, n_streams_open;
    struct scw_events *events;
    struct scw_rules *rules; /* NULL when no rule file was given */
    const char *const *rule_paths;
    size_t n_rule_paths;
    uint8_t *wl_ignored; /* per workload: 0 not yet known, 1 counted, 2 ignored (rules) */
    size_t wl_ignored_cap;
    const char *state_path;
    unsigned interval;
    uint64_t started, last_snapshot, last_kernel_check, duration;
    uint64_t loaded_lost; /* "lost" carried over from the state file */
    uint64_t kernel_lost_at_start;
    bool have_kernel_lost;
    int32_t last_workload;
    char *profiles_dir;      /* STATE.profiles: copies of the profiles containers run */
    size_t profiles_checked; /* workloads [0, n) had their profile kept */
    bool profiles_warned;
    uint64_t last_profile_sweep;
    uint64_t last_problem_log;
    uint64_t logged_gone, logged_bad_state; /* counts at the last problem log line */
    int exit_code;
};

static uint64_t mono_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec;
}

/* Whether the rule files' container ignore list drops this workload; decided once per
 * workload (and again after a reload), not per event. */
static bool workload_ignored(struct watch *w, int32_t wl)
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
 * `suggest` could no longer see the profile it ran. Keep a copy of its linux.seccomp (only
 * that: the rest of config.json may hold secrets in the environment) beside the state, named
 * by content so replicas share one file (container->profile_kept; propose falls back to it
 * when config.json is gone). Once per container.
 */
static void keep_profile(struct watch *w, uint32_t wl)
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
        json_t *copy = json_pack("{s:O?, s:{s:O}}", "ociVersion",
                                 json_object_get(doc, "ociVersion"), "linux", "seccomp", seccomp);
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

static void keep_new_profiles(struct watch *w)
{
    size_t n = scw_aggregate_n_workloads(w->agg);
    for (; w->profiles_checked < n; w->profiles_checked++)
        keep_profile(w, (uint32_t)w->profiles_checked);
}

/* The resolver ingest calls: attribute, apply container ignores, remember for events. */
static int resolve(void *ctx, struct scw_aggregate *agg, const struct scw_record *r)
{
    struct watch *w = ctx;
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
    struct watch *w = ctx;
    return w->rules && scw_rules_filter_record(w->rules, r);
}

static void print_rule_warnings(const struct scw_rules *rs)
{
    for (size_t i = 0; i < rs->n_warnings; i++)
        scw_log_warnx("%s", rs->warnings[i]);
}

/* SIGHUP: a new rule set replaces the old one only when it loads cleanly. */
static void reload_rules(struct watch *w)
{
    if (!w->n_rule_paths) {
        scw_log_notice("SIGHUP: no rule files to reload");
        return;
    }
    struct scw_rules *rs;
    char *err = NULL;
    int rc = scw_rules_load_files(w->rule_paths, w->n_rule_paths, &rs, &err);
    if (rc < 0) {
        scw_log_errx("rule reload failed, the rules loaded before stay in force: %s",
                     err ? err : strerror(-rc));
        free(err);
        return;
    }
    print_rule_warnings(rs);
    scw_rules_free(w->rules);
    w->rules = rs;
    if (w->wl_ignored)
        memset(w->wl_ignored, 0, w->wl_ignored_cap);
    scw_log_notice("rules reloaded (%zu file%s)", w->n_rule_paths, w->n_rule_paths == 1 ? "" : "s");
}

static void after_ingest(struct watch *w, size_t entries_before, const struct scw_record *r)
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
    struct watch *w = ctx;
    size_t before = scw_aggregate_n_entries(w->agg);
    w->last_workload = -1;
    scw_ingest_record(&w->in, r);
    after_ingest(w, before, r);
}

struct line_ctx {
    struct watch *w;
    unsigned idx;
};

static void on_line(void *ctx, const char *line, size_t len, bool oversized)
{
    struct line_ctx *lc = ctx;
    struct watch *w = lc->w;
    if (oversized) {
        scw_ingest_oversized(&w->in);
        return;
    }
    size_t before = scw_aggregate_n_entries(w->agg);
    uint64_t seccomp_before = scw_aggregate_stats(w->agg)->seccomp;
    w->last_workload = -1;
    scw_ingest_line(&w->in, line, len, scw_follow_path(w->follow[lc->idx]), 0);
    if (scw_aggregate_stats(w->agg)->seccomp != seccomp_before)
        after_ingest(w, before, &w->in.rec);
}

static void drain_proc_events(struct watch *w)
{
    if (w->pe)
        scw_proc_events_drain(w->pe, scw_attr_proc_event, w->attr);
}

static void on_netlink(void *ctx, int fd, uint32_t events)
{
    (void)fd;
    (void)events;
    struct watch *w = ctx;
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

static void on_proc_events(void *ctx, int fd, uint32_t events)
{
    (void)fd;
    (void)events;
    drain_proc_events(ctx);
}

static void poll_follow(struct watch *w, unsigned i)
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
    struct watch *w = ctx;
    for (unsigned i = 0; i < w->n_follow; i++)
        if (scw_follow_fd(w->follow[i]) == fd)
            poll_follow(w, i);
}

static void on_follow_timer(void *ctx)
{
    struct watch *w = ctx;
    for (unsigned i = 0; i < w->n_follow; i++)
        if (scw_follow_fd(w->follow[i]) < 0)
            poll_follow(w, i);
}

/* Loss known now: serial gaps, kmsg overwrites, printk suppression, plus what the state had. */
static void update_loss(struct watch *w)
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

static void check_kernel_lost(struct watch *w)
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

static int snapshot(struct watch *w, const char *why)
{
    update_loss(w);
    w->last_snapshot = mono_sec();
    if (w->events) {
        scw_events_summary(w->events, w->agg);
        scw_events_flush(w->events);
    }
    if (!w->state_path)
        return 0;
    int rc = scw_state_save(w->agg, w->state_path);
    if (rc < 0)
        scw_log_err(rc, "cannot write the state file '%s' (%s snapshot)", w->state_path, why);
    else
        scw_log_info("%s snapshot: %llu events, %zu workloads, %llu lost -> %s", why,
                     (unsigned long long)scw_aggregate_stats(w->agg)->seccomp,
                     scw_aggregate_n_workloads(w->agg),
                     (unsigned long long)scw_aggregate_stats(w->agg)->lost, w->state_path);
    return rc;
}

/* Attribution problems (processes gone before lookup, unreadable or corrupt runtime state):
 * the events are counted all the same; say so at most once a minute. */
static void log_attribution_problems(struct watch *w, uint64_t now)
{
    if (now - w->last_problem_log < 60 && w->last_problem_log)
        return;
    struct scw_attr_stats as;
    scw_attr_stats(w->attr, &as);
    const struct scw_meta_stats *ms = scw_attr_meta_stats(w->attr);
    uint64_t bad = ms->unreadable + ms->bad + ms->too_big;
    if (as.unattributed > w->logged_gone) {
        scw_log_notice("%llu records from processes with no cgroup found (gone before lookup, "
                       "or in the root cgroup): counted by executable as unattributed",
                       (unsigned long long)as.unattributed);
        w->logged_gone = as.unattributed;
        w->last_problem_log = now;
    }
    if (bad > w->logged_bad_state) {
        scw_log_warnx("%llu runtime state files could not be used (unreadable %llu, corrupt or "
                      "half-written %llu, too big %llu): those containers are named by cgroup id",
                      (unsigned long long)bad, (unsigned long long)ms->unreadable,
                      (unsigned long long)ms->bad, (unsigned long long)ms->too_big);
        w->logged_bad_state = bad;
        w->last_problem_log = now;
    }
}

static void on_tick(void *ctx)
{
    struct watch *w = ctx;
    uint64_t now = mono_sec();
    scw_attr_tick(w->attr, now);
    /* runtime state read late (retries) may have named a profile since: keep those too */
    if (now - w->last_profile_sweep >= 5) {
        w->last_profile_sweep = now;
        for (size_t i = 0; i < scw_aggregate_n_workloads(w->agg); i++)
            keep_profile(w, (uint32_t)i);
    }
    log_attribution_problems(w, now);
    if (now - w->last_kernel_check >= 10) {
        w->last_kernel_check = now;
        check_kernel_lost(w);
    }
    update_loss(w);
    if (now - w->last_snapshot >= w->interval)
        snapshot(w, "periodic");
    else if (w->events)
        scw_events_flush(w->events);
    if (w->duration && now - w->started >= w->duration)
        scw_loop_stop(w->loop);
}

static void on_signal(void *ctx, int signo)
{
    struct watch *w = ctx;
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
        snapshot(w, "requested");
        break;
    default:
        break;
    }
}

/* mkdir the directory part of path (one level: /var/lib exists), owner-only. */
static void make_parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return;
    char *dir = strndup(path, (size_t)(slash - path));
    if (dir && mkdir(dir, 0700) == 0)
        scw_log_info("created the state directory '%s'", dir);
    free(dir);
}

/* --runtime-root KIND=DIR */
static int set_root(struct scw_meta_roots *roots, const char *arg)
{
    static const struct {
        const char *kind;
        size_t offset;
    } kinds[] = {
        {"docker", offsetof(struct scw_meta_roots, docker_data)},
        {"docker-exec", offsetof(struct scw_meta_roots, docker_exec)},
        {"containerd", offsetof(struct scw_meta_roots, containerd_state)},
        {"storage-run", offsetof(struct scw_meta_roots, storage_run)},
        {"storage", offsetof(struct scw_meta_roots, storage_graph)},
        {"runc", offsetof(struct scw_meta_roots, runc_root)},
        {"user-run", offsetof(struct scw_meta_roots, user_run)},
    };
    const char *eq = strchr(arg, '=');
    if (!eq || !eq[1])
        return -EINVAL;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strlen(kinds[i].kind) == (size_t)(eq - arg) &&
            strncmp(kinds[i].kind, arg, (size_t)(eq - arg)) == 0) {
            *(const char **)(void *)((char *)roots + kinds[i].offset) = eq + 1;
            return 0;
        }
    }
    return -EINVAL;
}

enum {
    OPT_FROM_START = 256,
    OPT_STATE,
    OPT_NO_STATE,
    OPT_EVENTS,
    OPT_EVENTS_ALL,
    OPT_NO_PROC,
    OPT_MAX_PIDS,
    OPT_RCVBUF,
    OPT_MAX_WORKLOADS,
    OPT_MAX_ENTRIES,
    OPT_DURATION,
    OPT_READY,
    OPT_LOG_LEVEL,
    OPT_RUNTIME_ROOT,
};

static int open_sources(struct watch *w, const char **sources, unsigned n, bool from_start,
                        size_t rcvbuf)
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
        if (w->n_follow >= MAX_SOURCES) {
            scw_log_errx("too many sources (at most %d)", MAX_SOURCES);
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

static void final_drain(struct watch *w)
{
    drain_proc_events(w);
    while (w->nl && scw_nl_audit_drain(w->nl, 4096, on_record, w) == 4096)
        drain_proc_events(w);
    for (unsigned i = 0; i < w->n_follow; i++)
        poll_follow(w, i);
}

/* Attribution and ingestion count into w->agg (at start, and after a bad state file). */
static void use_aggregate(struct watch *w)
{
    scw_attr_set_aggregate(w->attr, w->agg);
    scw_ingest_init(&w->in, w->agg);
    w->in.resolve = resolve;
    w->in.resolve_ctx = w;
    w->in.filter = filter;
    w->in.filter_ctx = w;
}

int scw_cmd_watch(int argc, char **argv)
{
    static const struct option opts[] = {
        {"source", required_argument, NULL, 's'},
        {"from-start", no_argument, NULL, OPT_FROM_START},
        {"rules", required_argument, NULL, 'r'},
        {"state", required_argument, NULL, OPT_STATE},
        {"no-state", no_argument, NULL, OPT_NO_STATE},
        {"interval", required_argument, NULL, 'i'},
        {"events", required_argument, NULL, OPT_EVENTS},
        {"events-all", no_argument, NULL, OPT_EVENTS_ALL},
        {"no-proc-events", no_argument, NULL, OPT_NO_PROC},
        {"runtime-root", required_argument, NULL, OPT_RUNTIME_ROOT},
        {"max-pids", required_argument, NULL, OPT_MAX_PIDS},
        {"rcvbuf", required_argument, NULL, OPT_RCVBUF},
        {"max-workloads", required_argument, NULL, OPT_MAX_WORKLOADS},
        {"max-entries", required_argument, NULL, OPT_MAX_ENTRIES},
        {"duration", required_argument, NULL, OPT_DURATION},
        {"ready-file", required_argument, NULL, OPT_READY},
        {"log-level", required_argument, NULL, OPT_LOG_LEVEL},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *sources[MAX_SOURCES + 1];
    unsigned n_sources = 0;
    const char *rules[32];
    unsigned n_rules = 0;
    const char *state_path = SCW_STATE_DEFAULT, *events_path = NULL, *ready = NULL;
    bool from_start = false, events_all = false, proc_events = true;
    uint64_t interval = 60, duration = 0, rcvbuf = SCW_NETLINK_RCVBUF_DEFAULT, v;
    struct scw_agg_limits limits = {0};
    struct scw_attr_opts aopts = {0};
    struct scw_meta_roots roots;
    scw_meta_roots_default(&roots);
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "s:r:i:h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            if (n_sources >= MAX_SOURCES)
                return scw_cmd_usage_error("watch", "at most %d sources", MAX_SOURCES);
            if (strcmp(optarg, "netlink") != 0 && strcmp(optarg, "kmsg") != 0 &&
                strcmp(optarg, "-") != 0 && !(strncmp(optarg, "follow:", 7) == 0 && optarg[7]))
                return scw_cmd_usage_error(
                    "watch", "unknown source '%s' (netlink, kmsg, follow:PATH or -)", optarg);
            sources[n_sources++] = optarg;
            break;
        case 'r':
            if (n_rules >= 32)
                return scw_cmd_usage_error("watch", "at most 32 rule files");
            rules[n_rules++] = optarg;
            break;
        case OPT_FROM_START:
            from_start = true;
            break;
        case OPT_STATE:
            state_path = optarg;
            break;
        case OPT_NO_STATE:
            state_path = NULL;
            break;
        case 'i':
            if (!scw_cmd_parse_u64(optarg, 1, 86400, &interval))
                return scw_cmd_usage_error("watch", "--interval needs 1..86400 seconds");
            break;
        case OPT_EVENTS:
            events_path = optarg;
            break;
        case OPT_EVENTS_ALL:
            events_all = true;
            break;
        case OPT_NO_PROC:
            proc_events = false;
            break;
        case OPT_RUNTIME_ROOT:
            if (set_root(&roots, optarg) < 0)
                return scw_cmd_usage_error("watch", "bad --runtime-root '%s' (KIND=DIR)", optarg);
            break;
        case OPT_MAX_PIDS:
            if (!scw_cmd_parse_u64(optarg, 1024, 1 << 24, &v))
                return scw_cmd_usage_error("watch", "--max-pids needs 1024..16777216");
            aopts.max_pids = (uint32_t)v;
            break;
        case OPT_RCVBUF:
            if (!scw_cmd_parse_u64(optarg, 65536, 1UL << 30, &rcvbuf))
                return scw_cmd_usage_error("watch", "--rcvbuf needs 65536..1073741824 bytes");
            break;
        case OPT_MAX_WORKLOADS:
            if (!scw_cmd_parse_u64(optarg, 1, UINT32_MAX, &v))
                return scw_cmd_usage_error("watch", "--max-workloads needs a positive number");
            limits.max_workloads = (uint32_t)v;
            break;
        case OPT_MAX_ENTRIES:
            if (!scw_cmd_parse_u64(optarg, 1, UINT32_MAX, &v))
                return scw_cmd_usage_error("watch", "--max-entries needs a positive number");
            limits.max_entries = (uint32_t)v;
            break;
        case OPT_DURATION:
            if (!scw_cmd_parse_u64(optarg, 1, UINT32_MAX, &duration))
                return scw_cmd_usage_error("watch", "--duration needs a positive number");
            break;
        case OPT_READY:
            ready = optarg;
            break;
        case OPT_LOG_LEVEL: {
            enum scw_log_level l = scw_log_level_from_name(optarg);
            if (l == SCW_LOG_INVALID)
                return scw_cmd_usage_error("watch", "unknown log level '%s'", optarg);
            scw_log_set_level(l);
            break;
        }
        case 'h':
            fputs(usage, stdout);
            return SCW_EXIT_OK;
        default:
            return scw_cmd_usage_error("watch", "unknown option");
        }
    }
    if (optind < argc)
        return scw_cmd_usage_error("watch", "unexpected argument '%s'", argv[optind]);
    if (n_sources == 0)
        sources[n_sources++] = "netlink";

    struct watch w = {.state_path = state_path,
                      .interval = (unsigned)interval,
                      .duration = duration,
                      .exit_code = SCW_EXIT_OK};
    aopts.meta_roots = &roots;
    int rc;
    char *err = NULL;
    if (state_path && asprintf(&w.profiles_dir, "%s.profiles", state_path) < 0)
        w.profiles_dir = NULL;
    w.rule_paths = rules;
    w.n_rule_paths = n_rules;
    if (n_rules) {
        if ((rc = scw_rules_load_files(rules, n_rules, &w.rules, &err)) < 0) {
            scw_log_errx("%s", err ? err : "cannot load the rule files");
            free(err);
            return SCW_EXIT_INPUT;
        }
        print_rule_warnings(w.rules);
    }
    w.agg = scw_aggregate_new(&limits);
    if (!w.agg || scw_loop_new(&w.loop) < 0 || scw_attr_new(&aopts, &w.attr) < 0) {
        scw_log_errx("out of memory");
        w.exit_code = SCW_EXIT_RUNTIME;
        goto out;
    }
    use_aggregate(&w);

    if (state_path) {
        rc = scw_state_load(w.agg, state_path, &err);
        if (rc == -EINVAL) {
            char *moved = scw_state_quarantine(state_path);
            scw_log_warnx("cannot use the state file (%s); moved it to '%s' and starting fresh",
                          err ? err : "?", moved ? moved : "(could not move it)");
            free(moved);
            scw_aggregate_free(w.agg);
            if (!(w.agg = scw_aggregate_new(&limits))) {
                scw_log_errx("out of memory");
                w.exit_code = SCW_EXIT_RUNTIME;
                goto out;
            }
            use_aggregate(&w);
        } else if (rc < 0 && rc != -ENOENT) {
            scw_log_err(rc, "cannot read the state file '%s'", state_path);
            w.exit_code = SCW_EXIT_RUNTIME;
            goto out;
        } else if (rc == 0) {
            scw_log_info("loaded state '%s': %llu events, %zu workloads", state_path,
                         (unsigned long long)scw_aggregate_stats(w.agg)->seccomp,
                         scw_aggregate_n_workloads(w.agg));
        }
        free(err);
        err = NULL;
        w.loaded_lost = scw_aggregate_stats(w.agg)->lost;
        /* the state must be writable: find out now, not at the first snapshot (its directory
         * is made if missing, as /var/lib/scmpwatch is on a first run) */
        make_parent_dir(state_path);
        if ((rc = scw_state_save(w.agg, state_path)) < 0) {
            scw_log_err(rc, "cannot write the state file '%s' (use --state FILE or --no-state)",
                        state_path);
            w.exit_code = SCW_EXIT_RUNTIME;
            goto out;
        }
    }
    if (events_path && (rc = scw_events_open(events_path, events_all, &w.events)) < 0) {
        scw_log_err(rc, "cannot open the events output '%s'", events_path);
        w.exit_code = SCW_EXIT_RUNTIME;
        goto out;
    }
    if (proc_events) {
        rc = scw_proc_events_open(4U << 20, &w.pe);
        if (rc < 0)
            scw_log_warn(rc, "no fork/exec tracking (proc connector); short-lived processes "
                             "may go unattributed");
        else
            scw_loop_add_fd(w.loop, scw_proc_events_fd(w.pe), on_proc_events, &w);
    }
    if (open_sources(&w, sources, n_sources, from_start, (size_t)rcvbuf) < 0) {
        w.exit_code = SCW_EXIT_RUNTIME;
        goto out;
    }
    static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1};
    if ((rc = scw_loop_add_signals(w.loop, sigs, 4, on_signal, &w)) < 0 ||
        (rc = scw_loop_add_timer(w.loop, 1000, on_tick, &w)) < 0 ||
        (w.n_follow &&
         (rc = scw_loop_add_timer(w.loop, FOLLOW_POLL_MS, on_follow_timer, &w)) < 0)) {
        scw_log_err(rc, "cannot set up the event loop");
        w.exit_code = SCW_EXIT_RUNTIME;
        goto out;
    }
    w.started = w.last_snapshot = w.last_kernel_check = mono_sec();
    check_kernel_lost(&w);
    scw_log_notice("watching (%u source%s, state %s, snapshot every %us)", n_sources,
                   n_sources == 1 ? "" : "s", state_path ? state_path : "off", w.interval);
    if (ready) {
        FILE *f = fopen(ready, "w");
        if (f)
            fclose(f);
    }
    /* stdin or file sources may already hold data: read before waiting */
    on_follow_timer(&w);
    rc = scw_loop_run(w.loop);
    if (rc < 0)
        scw_log_err(rc, "event loop failed");
    final_drain(&w);
    struct scw_attr_stats as;
    scw_attr_stats(w.attr, &as);
    scw_log_info("attribution: %llu cache hits, %llu /proc reads (%llu failed), %llu via fork, "
                 "%llu exec re-reads, %llu unattributed, %llu proc event overruns",
                 (unsigned long long)as.hits, (unsigned long long)as.proc_reads,
                 (unsigned long long)as.proc_failures, (unsigned long long)as.via_fork,
                 (unsigned long long)as.exec_reads, (unsigned long long)as.unattributed,
                 (unsigned long long)(w.pe ? scw_proc_events_overruns(w.pe) : 0));
    if (snapshot(&w, "final") < 0)
        w.exit_code = SCW_EXIT_RUNTIME;

out:
    free(err);
    for (unsigned i = 0; i < w.n_follow; i++)
        scw_follow_close(w.follow[i]);
    scw_nl_audit_close(w.nl);
    scw_proc_events_close(w.pe);
    scw_events_close(w.events);
    scw_attr_free(w.attr);
    scw_loop_free(w.loop);
    scw_aggregate_free(w.agg);
    scw_rules_free(w.rules);
    free(w.wl_ignored);
    free(w.profiles_dir);
    return w.exit_code;
}
