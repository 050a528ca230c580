/*
 * log: diagnostics on stderr, systemd-friendly (one line each, "<N>" priority prefixes when
 * stderr is the journal). scw_log_warn appends strerror(errnum); scw_log_warnx does not
 * (the OpenBSD split).
 */
#ifndef SCW_LOG_H
#define SCW_LOG_H

enum scw_log_level {
    SCW_LOG_ERROR,
    SCW_LOG_WARNING,
    SCW_LOG_NOTICE,
    SCW_LOG_INFO,
    SCW_LOG_DEBUG,
    SCW_LOG_MAX,
    SCW_LOG_INVALID = -1,
};

void scw_log_set_level(enum scw_log_level level);
enum scw_log_level scw_log_level_from_name(const char *name);

void scw_log(enum scw_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* errnum is a positive or negative errno value */
void scw_log_errno(enum scw_log_level level, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define scw_log_warnx(...)   scw_log(SCW_LOG_WARNING, __VA_ARGS__)
#define scw_log_warn(e, ...) scw_log_errno(SCW_LOG_WARNING, (e), __VA_ARGS__)
#define scw_log_errx(...)    scw_log(SCW_LOG_ERROR, __VA_ARGS__)
#define scw_log_err(e, ...)  scw_log_errno(SCW_LOG_ERROR, (e), __VA_ARGS__)
#define scw_log_notice(...)  scw_log(SCW_LOG_NOTICE, __VA_ARGS__)
#define scw_log_info(...)    scw_log(SCW_LOG_INFO, __VA_ARGS__)
#define scw_log_debug(...)   scw_log(SCW_LOG_DEBUG, __VA_ARGS__)

#endif
