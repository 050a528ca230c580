/*
 * loop: the watcher's one event loop: epoll over file descriptors, signals through a signalfd
 * (handlers run in the loop, never in signal context) and periodic timers through timerfds.
 * Single-threaded; callbacks must not block.
 */
#ifndef SCW_LOOP_H
#define SCW_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct scw_loop;

typedef void (*scw_loop_io_fn)(void *ctx, int fd, uint32_t epoll_events);
typedef void (*scw_loop_signal_fn)(void *ctx, int signo);
typedef void (*scw_loop_timer_fn)(void *ctx);

int scw_loop_new(struct scw_loop **ret);
void scw_loop_free(struct scw_loop *loop);

/* Watch fd for EPOLLIN. At most 32 watched descriptors. */
int scw_loop_add_fd(struct scw_loop *loop, int fd, scw_loop_io_fn fn, void *ctx);
int scw_loop_del_fd(struct scw_loop *loop, int fd);
/* Block these signals and deliver them to fn through a signalfd. Call once. */
int scw_loop_add_signals(struct scw_loop *loop, const int *signals, int n, scw_loop_signal_fn fn,
                         void *ctx);
/* Call fn every interval_ms (first call after one interval). Returns the timer fd. */
int scw_loop_add_timer(struct scw_loop *loop, unsigned interval_ms, scw_loop_timer_fn fn,
                       void *ctx);

/* Run until scw_loop_stop() (at once if it was called before); returns 0 or -errno. */
int scw_loop_run(struct scw_loop *loop);
void scw_loop_stop(struct scw_loop *loop);

#endif
