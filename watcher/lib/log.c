/*
 * log: the one place that writes diagnostics. Under systemd (JOURNAL_STREAM set) each line
 * gets a "<N>" syslog priority prefix so journald keeps levels; otherwise "scmpwatch: ".
 */
#include "log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static enum scw_log_level current = SCW_LOG_NOTICE;
static const char program[] = "scmpwatch";
static const char *const names[SCW_LOG_MAX] = {"error", "warning", "notice", "info", "debug"};
static const int syslog_prio[SCW_LOG_MAX] = {3, 4, 5, 6, 7};

void scw_log_set_level(enum scw_log_level level)
{
    current = level;
}

enum scw_log_level scw_log_level_from_name(const char *name)
{
    for (int i = 0; i < SCW_LOG_MAX; i++)
        if (strcasecmp(name, names[i]) == 0)
            return (enum scw_log_level)i;
    if (strcasecmp(name, "warn") == 0)
        return SCW_LOG_WARNING;
    return SCW_LOG_INVALID;
}

__attribute__((format(printf, 3, 0))) static void vlog(enum scw_log_level level, int errnum,
                                                       const char *fmt, va_list ap)
{
    if (level > current || level < 0 || level >= SCW_LOG_MAX)
        return;
    char msg[2048];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    bool journal = getenv("JOURNAL_STREAM") != NULL;
    if (journal)
        fprintf(stderr, "<%d>", syslog_prio[level]);
    else
        fprintf(stderr, "%s: ", program);
    if (level <= SCW_LOG_WARNING && !journal)
        fprintf(stderr, "%s: ", names[level]);
    if (errnum)
        fprintf(stderr, "%s: %s\n", msg, strerror(errnum < 0 ? -errnum : errnum));
    else
        fprintf(stderr, "%s\n", msg);
}

void scw_log(enum scw_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(level, 0, fmt, ap);
    va_end(ap);
}

void scw_log_errno(enum scw_log_level level, int errnum, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(level, errnum, fmt, ap);
    va_end(ap);
}
