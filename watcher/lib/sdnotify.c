/*
 * sdnotify: sd_notify(3) through libsystemd, or nothing (see sdnotify.h).
 */
#include "sdnotify.h"

#include <stdio.h>
#include <time.h>

#ifdef SCW_HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

bool scw_sdnotify_available(void)
{
#ifdef SCW_HAVE_LIBSYSTEMD
    return true;
#else
    return false;
#endif
}

int scw_sdnotify(const char *state)
{
#ifdef SCW_HAVE_LIBSYSTEMD
    /* unset_environment 0: a reload and the exit notify again */
    return sd_notify(0, state);
#else
    (void)state;
    return 0;
#endif
}

int scw_sdnotify_reloading(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    char msg[64];
    snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
             (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000);
    return scw_sdnotify(msg);
}
