/*
 * sdnotify: tell the service manager where the daemon is (sd_notify(3)): READY=1 once it
 * serves, RELOADING=1 / READY=1 around a reload, STOPPING=1 at exit. Through libsystemd when
 * the build found it (SCW_HAVE_LIBSYSTEMD), a no-op otherwise; also a no-op when
 * $NOTIFY_SOCKET is unset (not started by a Type=notify unit). Callers: cmd_watch.c and
 * watch_loop.c. Each call opens, sends on and closes one AF_UNIX datagram socket (libsystemd's
 * way): the watcher's sandbox allows exactly that socket type.
 */
#ifndef SCW_SDNOTIFY_H
#define SCW_SDNOTIFY_H

#include <stdbool.h>

/* Whether this build can notify at all (linked with libsystemd). */
bool scw_sdnotify_available(void);

/* Send state ("READY=1", "STOPPING=1"...). Returns 1 sent, 0 nobody listens (no
 * $NOTIFY_SOCKET, or no libsystemd), -errno on failure. Never fatal for the caller. */
int scw_sdnotify(const char *state);

/* RELOADING=1 with MONOTONIC_USEC= (systemd 253+ checks it for Type=notify-reload). */
int scw_sdnotify_reloading(void);

#endif
