/*
 * watch_metrics: the watcher's Prometheus metrics: `watch --metrics ADDR:PORT` serves them on
 * /metrics from the watcher's own event loop (lib/httpd: bounded, single-threaded), and
 * `--metrics-file PATH` writes the same text atomically every snapshot interval for
 * node_exporter's textfile collector. The numbers come from struct scw_watch (records per
 * source, loss, attribution, bounds, snapshots, reloads); the format and the bounded SECCOMP
 * series are report/metrics.c's. Called from cmd_watch.c (open, close) and watch_loop.c
 * (tick, snapshot).
 */
#ifndef SCW_WATCH_METRICS_H
#define SCW_WATCH_METRICS_H

#include <stddef.h>

struct scw_watch;
struct scw_watch_metrics;

#define SCW_WATCH_METRICS_TOP_DEFAULT 100

/*
 * Listen on listen (NULL: no endpoint; the fd is watched in w->loop) and/or keep the textfile
 * (NULL: none); top is the number of SECCOMP series of their own. Sets w->metrics. Returns 0 or
 * -errno (logged: -EADDRINUSE "port in use", -EINVAL a bad ADDR:PORT).
 */
int scw_watch_metrics_open(struct scw_watch *w, const char *listen, const char *file, unsigned top);
void scw_watch_metrics_close(struct scw_watch_metrics *m);

/* The port listened on (0: no endpoint). */
unsigned scw_watch_metrics_port(const struct scw_watch_metrics *m);

/* The tick: connections past their time are closed. */
void scw_watch_metrics_tick(struct scw_watch *w);
/* A snapshot was taken: write the textfile (when kept). Returns 0 or -errno (logged). */
int scw_watch_metrics_write_file(struct scw_watch *w);

/* The whole exposition text now (tests, the endpoint, the file); malloc'd, *ret_len set.
 * NULL when out of memory. */
char *scw_watch_metrics_render(struct scw_watch *w, size_t *ret_len);

#endif
