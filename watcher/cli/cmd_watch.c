/*
 * cmd_watch: "scmpwatch watch", the live watcher. Runs in the foreground (systemd-friendly:
 * diagnostics on stderr), in one event loop:
 *   sources  netlink (default), kmsg, follow:PATH, '-' -> ingest -> attribute -> aggregate
 *   signals  TERM/INT: final snapshot, exit 0; HUP: reload the rule set (every layer, as at
 *            start: shipped, rules.d, --rules); USR1: snapshot now
 *   tick     (1 s) follow polling is separate (200 ms); the tick's duties: pid cache
 *            housekeeping, loss accounting, the kernel's lost counter (every 10 s), periodic
 *            snapshot and events summary (every --interval), events flush.
 *   metrics  --metrics ADDR:PORT: /metrics served from the same loop (watch_metrics.c)
 * State is loaded and merged at start, so a restart loses nothing that was snapshotted.
 * Once every source is open and the state is loaded, the watcher confines itself
 * (watch_sandbox.c: no_new_privs, capabilities, its own seccomp filter) and tells the service
 * manager READY=1 (lib/sdnotify); STOPPING=1 when it stops.
 *
 * This file: the options, the setup (rule files, state file, events output, proc connector,
 * sources, handlers, metrics, sandbox) and the run to its final snapshot. The handlers, the
 * tick and the snapshots are watch_loop.c's (watch_loop.h). Called from commands.c.
 */
#include <errno.h>
#include <getopt.h>
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
#include "log.h"
#include "loop.h"
#include "proc_events.h"
#include "runtime_meta.h"
#include "source_netlink.h"
#include "state.h"
#include "rules.h"
#include "rules_files.h"
#include "sdnotify.h"
#include "watch_loop.h"
#include "watch_metrics.h"
#include "watch_sandbox.h"

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
    "Rules and state (the rule set's ignore lists drop events before counting; the whole set\n"
    "is reloaded on SIGHUP, and a set that fails to load leaves the one in force):\n"
    "  -r, --rules FILE         rule file added after the shipped rules (default.yaml,\n"
    "                           cve.yaml; $SCMPWATCH_RULES_DIR overrides their directory) and\n"
    "                           rules.d (repeatable, layered in order; it adds, never replaces)\n"
    "      --rules-d DIR        the site's rule directory, *.yaml in name order (default\n"
    "                           $SCMPWATCH_RULES_D, else /etc/scmpwatch/rules.d)\n"
    "      --no-default-rules   neither the shipped rules nor rules.d: only --rules\n"
    "      --state FILE         state file (default " SCW_STATE_DEFAULT ")\n"
    "      --node NAME          the node the state records (default: the host name); a\n"
    "                           workload is (node, container): see scmpwatch merge\n"
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
    "                           containerd (/run/containerd), containerd-root\n"
    "                           (/var/lib/containerd), storage-run (/run/containers/storage),\n"
    "                           storage (/var/lib/containers/storage), runc (/run/runc),\n"
    "                           crun (/run/crun), user-run (/run/user), cgroup\n"
    "                           (/sys/fs/cgroup), proc (/proc), passwd (/etc/passwd)\n"
    "      --max-pids N         pid cache bound (default 262144)\n"
    "\n"
    "Limits and diagnostics:\n"
    "      --rcvbuf BYTES       netlink receive buffer (default 64 MiB; SO_RCVBUFFORCE)\n"
    "      --max-workloads N    workloads kept (default 10000)\n"
    "      --max-entries N      workload x syscall entries kept (default 1000000)\n"
    "      --duration SEC       stop by itself after SEC seconds (as on SIGTERM)\n"
    "      --ready-file FILE    create FILE once every source is open (and the sandbox is on;\n"
    "                           under systemd, Type=notify: READY=1, RELOADING=1, STOPPING=1)\n"
    "      --log-level LEVEL    error, warning, notice (default), info, debug\n"
    "\n"
    "Confinement (once every source is open and the state is loaded):\n"
    "      --sandbox MODE       kill (default): no_new_privs, every capability dropped but\n"
    "                           CAP_DAC_READ_SEARCH, and a seccomp allow list of the syscalls\n"
    "                           the watcher makes: any other kills it; log: logged instead\n"
    "                           (SCMP_ACT_LOG: it shows in the audit log); off: none of it\n"
    "      --no-sandbox         the same as --sandbox off\n"
    "      --print-sandbox      print the seccomp filter and the capabilities kept, and exit\n"
    "\n"
    "Metrics (Prometheus text format):\n"
    "      --metrics ADDR:PORT  serve /metrics on ADDR:PORT (127.0.0.1:9464, [::1]:9464, or\n"
    "                           :9464 for every address)\n"
    "      --metrics-file PATH  write the same text every --interval, atomically (for\n"
    "                           node_exporter's textfile collector: PATH ending in .prom)\n"
    "      --metrics-top N      SECCOMP event series of their own, per (workload, syscall,\n"
    "                           action) (default 100; the rest are summed under \"other\")\n"
    "  -h, --help               show this help\n"
    "\n"
    "Exit status: 0 stopped by a signal or --duration; 1 a rule file could not be read or is\n"
    "invalid (file:line:column); 2 usage error; 3 a source could not be\n"
    "opened, the metrics port is in use, the sandbox could not be applied or the state could\n"
    "not be written.\n";

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
    OPT_SANDBOX,
    OPT_NO_SANDBOX,
    OPT_PRINT_SANDBOX,
    OPT_METRICS,
    OPT_METRICS_FILE,
    OPT_METRICS_TOP,
    OPT_NODE, /* fleet: --node */
    OPT_RULES_D,
    OPT_NO_DEFAULT_RULES,
};

/* What the command line asked for. */
struct watch_opts {
    const char *sources[SCW_WATCH_MAX_SOURCES + 1];
    unsigned n_sources;
    const char *rules[32];
    unsigned n_rules;
    const char *rules_d;   /* --rules-d DIR, or NULL: $SCMPWATCH_RULES_D, else the default */
    bool no_default_rules; /* --no-default-rules */
    const char *state_path, *events_path, *ready;
    bool from_start, events_all, proc_events, print_sandbox;
    enum scw_sandbox_mode sandbox;
    const char *metrics, *metrics_file;
    const char *node; /* fleet: --node NAME, NULL: the host name */
    uint64_t metrics_top;
    uint64_t interval, duration, rcvbuf;
    struct scw_agg_limits limits;
    struct scw_attr_opts aopts;
    struct scw_meta_roots roots;
};

/* Parse the command line into o (defaults first). Returns -1 to go on, else the exit code:
 * SCW_EXIT_OK after --help, SCW_EXIT_USAGE after a usage error (reported). Long, but flat:
 * one case per option of the usage text. */
static int parse_options(int argc, char **argv, struct watch_opts *o)
{
    static const struct option opts[] = {
        {"source", required_argument, NULL, 's'},
        {"from-start", no_argument, NULL, OPT_FROM_START},
        {"rules", required_argument, NULL, 'r'},
        {"rules-d", required_argument, NULL, OPT_RULES_D},
        {"no-default-rules", no_argument, NULL, OPT_NO_DEFAULT_RULES},
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
        {"sandbox", required_argument, NULL, OPT_SANDBOX},
        {"no-sandbox", no_argument, NULL, OPT_NO_SANDBOX},
        {"print-sandbox", no_argument, NULL, OPT_PRINT_SANDBOX},
        {"metrics", required_argument, NULL, OPT_METRICS},
        {"metrics-file", required_argument, NULL, OPT_METRICS_FILE},
        {"metrics-top", required_argument, NULL, OPT_METRICS_TOP},
        {"node", required_argument, NULL, OPT_NODE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct watch_opts){.state_path = SCW_STATE_DEFAULT,
                             .proc_events = true,
                             .interval = 60,
                             .rcvbuf = SCW_NETLINK_RCVBUF_DEFAULT,
                             .sandbox = SCW_SANDBOX_KILL,
                             .metrics_top = SCW_WATCH_METRICS_TOP_DEFAULT};
    scw_meta_roots_default(&o->roots);
    uint64_t v;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "s:r:i:h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            if (o->n_sources >= SCW_WATCH_MAX_SOURCES)
                return scw_cmd_usage_error("watch", "at most %d sources", SCW_WATCH_MAX_SOURCES);
            if (strcmp(optarg, "netlink") != 0 && strcmp(optarg, "kmsg") != 0 &&
                strcmp(optarg, "-") != 0 && !(strncmp(optarg, "follow:", 7) == 0 && optarg[7]))
                return scw_cmd_usage_error(
                    "watch", "unknown source '%s' (netlink, kmsg, follow:PATH or -)", optarg);
            o->sources[o->n_sources++] = optarg;
            break;
        case 'r':
            if (o->n_rules >= 32)
                return scw_cmd_usage_error("watch", "at most 32 rule files");
            o->rules[o->n_rules++] = optarg;
            break;
        case OPT_RULES_D:
            if (!optarg[0])
                return scw_cmd_usage_error("watch", "--rules-d needs a directory");
            o->rules_d = optarg;
            break;
        case OPT_NO_DEFAULT_RULES:
            o->no_default_rules = true;
            break;
        case OPT_FROM_START:
            o->from_start = true;
            break;
        case OPT_STATE:
            o->state_path = optarg;
            break;
        case OPT_NO_STATE:
            o->state_path = NULL;
            break;
        case 'i':
            if (!scw_cmd_parse_u64(optarg, 1, 86400, &o->interval))
                return scw_cmd_usage_error("watch", "--interval needs 1..86400 seconds");
            break;
        case OPT_EVENTS:
            o->events_path = optarg;
            break;
        case OPT_EVENTS_ALL:
            o->events_all = true;
            break;
        case OPT_NO_PROC:
            o->proc_events = false;
            break;
        case OPT_RUNTIME_ROOT:
            if (scw_cmd_runtime_root(&o->roots, optarg) < 0)
                return scw_cmd_usage_error("watch", "bad --runtime-root '%s' (KIND=DIR)", optarg);
            break;
        case OPT_MAX_PIDS:
            if (!scw_cmd_parse_u64(optarg, 1024, 1 << 24, &v))
                return scw_cmd_usage_error("watch", "--max-pids needs 1024..16777216");
            o->aopts.max_pids = (uint32_t)v;
            break;
        case OPT_RCVBUF:
            if (!scw_cmd_parse_u64(optarg, 65536, 1UL << 30, &o->rcvbuf))
                return scw_cmd_usage_error("watch", "--rcvbuf needs 65536..1073741824 bytes");
            break;
        case OPT_MAX_WORKLOADS:
            if (!scw_cmd_parse_u64(optarg, 1, UINT32_MAX, &v))
                return scw_cmd_usage_error("watch", "--max-workloads needs a positive number");
            o->limits.max_workloads = (uint32_t)v;
            break;
        case OPT_MAX_ENTRIES:
            if (!scw_cmd_parse_u64(optarg, 1, UINT32_MAX, &v))
                return scw_cmd_usage_error("watch", "--max-entries needs a positive number");
            o->limits.max_entries = (uint32_t)v;
            break;
        case OPT_DURATION:
            if (!scw_cmd_parse_u64(optarg, 1, UINT32_MAX, &o->duration))
                return scw_cmd_usage_error("watch", "--duration needs a positive number");
            break;
        case OPT_READY:
            o->ready = optarg;
            break;
        case OPT_LOG_LEVEL: {
            enum scw_log_level l = scw_log_level_from_name(optarg);
            if (l == SCW_LOG_INVALID)
                return scw_cmd_usage_error("watch", "unknown log level '%s'", optarg);
            scw_log_set_level(l);
            break;
        }
        case OPT_SANDBOX:
            o->sandbox = scw_watch_sandbox_mode_from_name(optarg);
            if (o->sandbox == SCW_SANDBOX_MODE_INVALID)
                return scw_cmd_usage_error("watch", "unknown --sandbox '%s' (kill, log or off)",
                                           optarg);
            break;
        case OPT_NO_SANDBOX:
            o->sandbox = SCW_SANDBOX_OFF;
            break;
        case OPT_PRINT_SANDBOX:
            o->print_sandbox = true;
            break;
        case OPT_METRICS:
            o->metrics = optarg;
            break;
        case OPT_METRICS_FILE:
            o->metrics_file = optarg;
            break;
        case OPT_NODE: /* fleet */
            if (!scw_cmd_valid_node(optarg))
                return scw_cmd_usage_error(
                    "watch", "bad --node '%s' (1 to 253 of A-Z a-z 0-9 . _ : -)", optarg);
            o->node = optarg;
            break;
        case OPT_METRICS_TOP:
            if (!scw_cmd_parse_u64(optarg, 1, 100000, &o->metrics_top))
                return scw_cmd_usage_error("watch", "--metrics-top needs 1..100000");
            break;
        case 'h':
            fputs(usage, stdout);
            return SCW_EXIT_OK;
        default:
            return scw_cmd_usage_error("watch", "unknown option");
        }
    }
    if (optind < argc)
        return scw_cmd_usage_error("watch", "unexpected argument '%s'", argv[optind]);
    if (o->n_sources == 0)
        o->sources[o->n_sources++] = "netlink";
    return -1;
}

/*
 * Load the state file into w->agg (one that cannot be used is moved aside and w starts
 * fresh), then make sure it can be written. Returns 0, or -1 with w->exit_code set (logged).
 */
static int load_state(struct scw_watch *w, const struct scw_agg_limits *limits)
{
    const char *state_path = w->state_path;
    char *err = NULL;
    int rc = scw_state_load(w->agg, state_path, &err);
    if (rc == -EINVAL) {
        char *moved = scw_state_quarantine(state_path);
        scw_log_warnx("cannot use the state file (%s); moved it to '%s' and starting fresh",
                      err ? err : "?", moved ? moved : "(could not move it)");
        free(moved);
        scw_aggregate_free(w->agg);
        if (!(w->agg = scw_aggregate_new(limits))) {
            scw_log_errx("out of memory");
            free(err);
            w->exit_code = SCW_EXIT_RUNTIME;
            return -1;
        }
        scw_watch_loop_use_aggregate(w);
    } else if (rc < 0 && rc != -ENOENT) {
        scw_log_err(rc, "cannot read the state file '%s'", state_path);
        free(err);
        w->exit_code = SCW_EXIT_RUNTIME;
        return -1;
    } else if (rc == 0) {
        scw_log_info("loaded state '%s': %llu events, %zu workloads", state_path,
                     (unsigned long long)scw_aggregate_stats(w->agg)->seccomp,
                     scw_aggregate_n_workloads(w->agg));
    }
    free(err);
    w->loaded_lost = scw_aggregate_stats(w->agg)->lost;
    /* the state must be writable: find out now, not at the first snapshot (its directory
     * is made if missing, as /var/lib/scmpwatch is on a first run) */
    make_parent_dir(state_path);
    if ((rc = scw_state_save(w->agg, state_path)) < 0) {
        scw_log_err(rc, "cannot write the state file '%s' (use --state FILE or --no-state)",
                    state_path);
        w->exit_code = SCW_EXIT_RUNTIME;
        return -1;
    }
    return 0;
}

int scw_cmd_watch(int argc, char **argv)
{
    struct watch_opts o;
    int exit_code = parse_options(argc, argv, &o);
    if (exit_code >= 0)
        return exit_code;
    if (o.print_sandbox) {
        int prc = scw_watch_sandbox_print(o.sandbox, stdout);
        if (prc < 0)
            scw_log_err(prc, "cannot print the sandbox");
        return prc < 0 ? SCW_EXIT_RUNTIME : SCW_EXIT_OK;
    }

    struct scw_watch w = {.state_path = o.state_path,
                          .interval = (unsigned)o.interval,
                          .duration = o.duration,
                          .exit_code = SCW_EXIT_OK};
    o.aopts.meta_roots = &o.roots;
    int rc;
    char *err = NULL;
    if (o.state_path && asprintf(&w.profiles_dir, "%s.profiles", o.state_path) < 0)
        w.profiles_dir = NULL;
    /* the same layers as suggest's, so that what watch ignores is what suggest's rules say */
    w.rule_sources = (struct scw_rules_sources){.paths = o.rules,
                                                .n_paths = o.n_rules,
                                                .rules_d = o.rules_d,
                                                .no_default = o.no_default_rules};
    if ((rc = scw_rules_load_sources(&w.rule_sources, &w.rules, &err)) < 0) {
        scw_log_errx("%s", err ? err : strerror(-rc));
        scw_log_errx("watch: the rule set did not load; not started");
        free(err);
        free(w.profiles_dir);
        return SCW_EXIT_INPUT;
    }
    scw_watch_loop_print_rule_warnings(w.rules);
    scw_watch_loop_log_rule_files(w.rules, "rules");
    w.agg = scw_aggregate_new(&o.limits);
    if (!w.agg || scw_loop_new(&w.loop) < 0 || scw_attr_new(&o.aopts, &w.attr) < 0) {
        scw_log_errx("out of memory");
        w.exit_code = SCW_EXIT_RUNTIME;
        goto out;
    }
    scw_watch_loop_use_aggregate(&w);

    if (o.state_path && load_state(&w, &o.limits) < 0)
        goto out;
    /* fleet: the node this watcher counts for, observed from now to each snapshot */
    char host[256] = "";
    if (!o.node && (gethostname(host, sizeof(host) - 1) < 0 || !scw_cmd_valid_node(host)))
        snprintf(host, sizeof(host), "localhost");
    if (scw_aggregate_set_self(w.agg, o.node ? o.node : host, (int64_t)time(NULL)) < 0) {
        scw_log_errx("out of memory");
        w.exit_code = SCW_EXIT_RUNTIME;
        goto out;
    }
    w.base = *scw_aggregate_stats(w.agg);
    w.last_snapshot_ok_wall = time(NULL); /* the state file was just written (or none is kept) */
    if (o.events_path && (rc = scw_events_open(o.events_path, o.events_all, &w.events)) < 0) {
        scw_log_err(rc, "cannot open the events output '%s'", o.events_path);
        w.exit_code = SCW_EXIT_RUNTIME;
        goto out;
    }
    if (o.proc_events) {
        rc = scw_proc_events_open(4U << 20, &w.pe);
        if (rc < 0)
            scw_log_warn(rc, "no fork/exec tracking (proc connector); short-lived processes "
                             "may go unattributed");
        else
            scw_loop_add_fd(w.loop, scw_proc_events_fd(w.pe), scw_watch_loop_on_proc_events, &w);
    }
    if (scw_watch_loop_open_sources(&w, o.sources, o.n_sources, o.from_start, (size_t)o.rcvbuf) <
        0) {
        w.exit_code = SCW_EXIT_RUNTIME;
        goto out;
    }
    static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1};
    if ((rc = scw_loop_add_signals(w.loop, sigs, 4, scw_watch_loop_on_signal, &w)) < 0 ||
        (rc = scw_loop_add_timer(w.loop, 1000, scw_watch_loop_on_tick, &w)) < 0 ||
        (w.n_follow && (rc = scw_loop_add_timer(w.loop, SCW_WATCH_FOLLOW_POLL_MS,
                                                scw_watch_loop_on_follow_timer, &w)) < 0)) {
        scw_log_err(rc, "cannot set up the event loop");
        w.exit_code = SCW_EXIT_RUNTIME;
        goto out;
    }
    if ((o.metrics || o.metrics_file) &&
        scw_watch_metrics_open(&w, o.metrics, o.metrics_file, (unsigned)o.metrics_top) < 0) {
        w.exit_code = SCW_EXIT_RUNTIME;
        goto out;
    }
    w.started = w.last_snapshot = w.last_kernel_check = scw_watch_loop_now();
    w.last_record_ms = scw_watch_loop_now_ms();
    w.tick_seccomp = scw_aggregate_stats(w.agg)->seccomp;
    scw_watch_loop_check_kernel_lost(&w);
    /* every source is open and the state loaded: from here on, the steady state only */
    if (scw_watch_sandbox_apply(o.sandbox) < 0) {
        w.exit_code = SCW_EXIT_RUNTIME;
        goto out;
    }
    w.sandboxed = o.sandbox != SCW_SANDBOX_OFF;
    scw_log_notice("watching (%u source%s, state %s, snapshot every %us, sandbox %s%s%s)",
                   o.n_sources, o.n_sources == 1 ? "" : "s", o.state_path ? o.state_path : "off",
                   w.interval, scw_watch_sandbox_mode_name(o.sandbox),
                   o.metrics ? ", metrics on " : "", o.metrics ? o.metrics : "");
    scw_watch_metrics_write_file(&w);
    scw_sdnotify("READY=1");
    if (o.ready) {
        FILE *f = fopen(o.ready, "w");
        if (f)
            fclose(f);
    }
    scw_watch_sandbox_selftest();
    /* stdin or file sources may already hold data: read before waiting */
    scw_watch_loop_on_follow_timer(&w);
    rc = scw_loop_run(w.loop);
    if (rc < 0)
        scw_log_err(rc, "event loop failed");
    scw_sdnotify("STOPPING=1");
    scw_watch_loop_final_drain(&w);
    struct scw_attr_stats as;
    scw_attr_stats(w.attr, &as);
    scw_log_info("attribution: %llu cache hits, %llu /proc reads (%llu failed), %llu via fork, "
                 "%llu exec re-reads, %llu unattributed, %llu proc event overruns",
                 (unsigned long long)as.hits, (unsigned long long)as.proc_reads,
                 (unsigned long long)as.proc_failures, (unsigned long long)as.via_fork,
                 (unsigned long long)as.exec_reads, (unsigned long long)as.unattributed,
                 (unsigned long long)(w.pe ? scw_proc_events_overruns(w.pe) : 0));
    if (scw_watch_loop_snapshot(&w, "final") < 0)
        w.exit_code = SCW_EXIT_RUNTIME;

out:
    free(err);
    for (unsigned i = 0; i < w.n_follow; i++)
        scw_follow_close(w.follow[i]);
    scw_nl_audit_close(w.nl);
    scw_proc_events_close(w.pe);
    scw_events_close(w.events);
    scw_watch_metrics_close(w.metrics);
    scw_attr_free(w.attr);
    scw_loop_free(w.loop);
    scw_aggregate_free(w.agg);
    scw_rules_free(w.rules);
    free(w.wl_ignored);
    free(w.profiles_dir);
    return w.exit_code;
}
