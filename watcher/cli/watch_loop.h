/*
 * watch_loop: private to cmd_watch.c and watch_loop.c. The state of one "scmpwatch watch" run
 * (struct scw_watch) and the event-loop side of it that watch_loop.c implements: the sources
 * opened and read, records ingested and attributed (with the rule files' ignore lists), the
 * 1 s tick and its duties, signals, snapshots. cmd_watch.c parses the options, loads the rules
 * and the state, fills the struct, registers the handlers and runs the loop.
 */
#ifndef SCW_WATCH_LOOP_H
#define SCW_WATCH_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"
#include "attribute.h"
#include "events.h"
#include "ingest.h"
#include "loop.h"
#include "proc_events.h"
#include "rules.h"
#include "rules_files.h"
#include "source_follow.h"
#include "source_netlink.h"

#define SCW_WATCH_MAX_SOURCES    8
#define SCW_WATCH_FOLLOW_POLL_MS 200 /* polling of followed files that have no fd to watch */

struct scw_watch {
    struct scw_loop *loop;
    struct scw_aggregate *agg;
    struct scw_ingest in;
    struct scw_attr *attr;
    struct scw_nl_audit *nl;
    struct scw_proc_events *pe;
    struct scw_follow *follow[SCW_WATCH_MAX_SOURCES];
    bool follow_done[SCW_WATCH_MAX_SOURCES];
    unsigned n_follow, n_streams_open;
    struct scw_events *events;
    struct scw_rules *rules;               /* the layered set in force (never NULL once set up) */
    struct scw_rules_sources rule_sources; /* its layers, loaded again on SIGHUP (borrowed) */
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
    /* for the metrics (watch_metrics.c) */
    struct scw_watch_metrics *metrics;              /* NULL without --metrics/--metrics-file */
    uint64_t source_records[SCW_WATCH_MAX_SOURCES]; /* SECCOMP records per followed source */
    struct scw_input_stats base; /* the aggregate's counters once the state was loaded */
    uint64_t reloads_ok, reloads_failed;
    uint64_t snapshots_ok, snapshots_failed;
    double last_snapshot_seconds;  /* how long the last snapshot took */
    int64_t last_snapshot_ok_wall; /* CLOCK_REALTIME seconds of the last good one, 0: none */
    uint64_t tick_seccomp;         /* SECCOMP records counted, at the last tick... */
    uint64_t last_record_ms;       /* ...and when that count last moved (CLOCK_MONOTONIC ms) */
    bool sandboxed; /* confined: the kernel's lost counter (AUDIT_GET) is not read any more */
    int exit_code;
};

/* CLOCK_MONOTONIC seconds: the clock of the tick's intervals and of w->started. */
uint64_t scw_watch_loop_now(void);
/* CLOCK_MONOTONIC milliseconds. */
uint64_t scw_watch_loop_now_ms(void);

/* Attribution and ingestion count into w->agg (at start, and after a bad state file). */
void scw_watch_loop_use_aggregate(struct scw_watch *w);
/* Open the sources (netlink, kmsg, follow:PATH, -; checked by the option parser) and watch
 * their fds in w->loop. Returns 0 or -errno (logged). */
int scw_watch_loop_open_sources(struct scw_watch *w, const char **sources, unsigned n,
                                bool from_start, size_t rcvbuf);
/* The warnings of a rule set, logged (at start and after a reload). */
void scw_watch_loop_print_rule_warnings(const struct scw_rules *rs);
/* "WHAT: N rule files: a, b, ..." (rs->files, in load order), logged at notice level. */
void scw_watch_loop_log_rule_files(const struct scw_rules *rs, const char *what);

/* Loop handlers: ctx is the struct scw_watch. */
void scw_watch_loop_on_proc_events(void *ctx, int fd, uint32_t events);
void scw_watch_loop_on_follow_timer(void *ctx); /* every SCW_WATCH_FOLLOW_POLL_MS, and at start */
void scw_watch_loop_on_tick(void *ctx);         /* every second: its duties atop watch_loop.c */
void scw_watch_loop_on_signal(void *ctx, int signo);

/* The kernel's audit lost counter: the first call takes it as the start value. */
void scw_watch_loop_check_kernel_lost(struct scw_watch *w);
/* Read what the sources still hold, after the loop stopped. */
void scw_watch_loop_final_drain(struct scw_watch *w);
/* Loss accounting, events summary and flush, and the state file written (when kept); why
 * names the snapshot in messages. Returns 0 or -errno (logged). */
int scw_watch_loop_snapshot(struct scw_watch *w, const char *why);

#endif
