/*
 * advice_fmt: the small formatting rules every writer of proposals follows (text, JSON,
 * HTML, Markdown), so that they say the same thing the same way. See advice_report_impl.h.
 */
#include "advice_report_impl.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "rules.h"

void scw_advice_fmt_action(const char *action, int errno_value, char *buf, size_t cap)
{
    if (!action) {
        snprintf(buf, cap, "?");
        return;
    }
    if (strcmp(action, "SCMP_ACT_ERRNO") == 0 && errno_value >= 0) {
        const char *n = scw_rules_errno_name(errno_value);
        if (n)
            snprintf(buf, cap, "%s (%s)", action, n);
        else
            snprintf(buf, cap, "%s (errno %d)", action, errno_value);
    } else {
        snprintf(buf, cap, "%s", action);
    }
}

void scw_advice_fmt_arch(const struct scw_proposal *p, char *buf, size_t cap)
{
    if (p->arch)
        snprintf(buf, cap, "%s", p->arch);
    else
        snprintf(buf, cap, "0x%08x", p->audit_arch);
}

void scw_advice_fmt_syscall(const struct scw_proposal *p, char *buf, size_t cap)
{
    if (p->named)
        snprintf(buf, cap, "%s", p->syscall);
    else
        snprintf(buf, cap, "unknown(%u)", p->nr);
}

const struct scw_advise_profile *scw_advice_profile_at(const struct scw_advice_report_opts *o,
                                                       int i)
{
    return i >= 0 && (size_t)i < o->n_profiles ? &o->profiles[i] : NULL;
}

bool scw_advice_breaks(const struct scw_proposal *p)
{
    return p->decision != SCW_DECISION_IGNORE && p->current.verdict != SCW_CURRENT_ALLOWED;
}

bool scw_advice_kept_refused(const struct scw_proposal *p)
{
    return (p->decision == SCW_DECISION_DENY || p->decision == SCW_DECISION_REVIEW) &&
           p->current.verdict != SCW_CURRENT_ALLOWED;
}

bool scw_advice_settled(const struct scw_proposal *p)
{
    return p->human && !p->blocked;
}

const char *scw_advice_source_words(enum scw_advise_source s)
{
    switch (s) {
    case SCW_ADVISE_SOURCE_RUNTIME:
        return "from the container runtime";
    case SCW_ADVISE_SOURCE_SELECTOR:
        return "from a selector's profile: in the rules";
    case SCW_ADVISE_SOURCE_CLI:
        return "from --profile";
    case SCW_ADVISE_SOURCE_DIR:
        return "from the profiles directory";
    case SCW_ADVISE_SOURCE_NONE:
    case SCW_ADVISE_SOURCE_MAX:
    case SCW_ADVISE_SOURCE_INVALID:
        break;
    }
    return "unknown source";
}

const char *scw_advice_decision_class(enum scw_decision_kind d)
{
    const char *n = scw_decision_name(d);
    return n ? n : "unknown";
}

const struct scw_proposal *scw_advice_member_proposal(const struct scw_workload_advice *wa,
                                                      const struct scw_proposal *p)
{
    for (size_t i = 0; i < wa->n_proposals; i++)
        if (wa->proposals[i].audit_arch == p->audit_arch && wa->proposals[i].nr == p->nr)
            return &wa->proposals[i];
    return NULL;
}

size_t scw_advice_text_width(FILE *out)
{
    struct winsize ws;
    int fd = fileno(out);
    if (fd < 0 || !isatty(fd) || ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0)
        return 80;
    return ws.ws_col < 40 ? 40 : ws.ws_col;
}

bool scw_advice_drift_sentence(const struct scw_advice_drift *d, char *buf, size_t cap,
                               bool *ret_alarm)
{
    *ret_alarm = false;
    if (!d || !d->file || (!d->compared && !d->unknown)) {
        if (cap)
            buf[0] = '\0';
        return false;
    }
    size_t n = 0;
#define PUT(...)                                                                                   \
    do {                                                                                           \
        int k_ = snprintf(buf + n, n < cap ? cap - n : 0, __VA_ARGS__);                            \
        n += k_ > 0 ? (size_t)k_ : 0;                                                              \
    } while (0)
    if (d->differ) {
        *ret_alarm = true;
        PUT("%s: %zu of %zu containers compared run a profile other than %s gives them",
            d->runs_file ? "WRONG FILE" : "STALE DEPLOY", d->differ, d->compared, d->file);
        PUT(" (%s: %zu syscall%s differ%s", d->member ? d->member : "?", d->differences,
            d->differences == 1 ? "" : "s", d->differences == 1 ? "s" : "");
        if (d->arches)
            PUT(", other architectures");
        if (d->defaults)
            PUT(", another default action");
        if (d->example[0])
            PUT("; e.g. %s", d->example);
        PUT(")");
        if (d->runs_file)
            PUT("; it runs exactly what %s gives: map that file, or deploy %s", d->runs_file,
                d->file);
        else
            PUT("; redeploy from %s (or map the file they were deployed from)", d->file);
        PUT(". The proposals are made against %s.", d->file);
    } else if (d->compared) {
        PUT("every container compared (%zu) runs what %s gives it", d->compared, d->file);
    }
    if (d->unknown)
        PUT("%s%zu container%s could not be compared (what the runtime runs is unknown or "
            "unreadable)",
            n ? "; " : "", d->unknown, d->unknown == 1 ? "" : "s");
#undef PUT
    if (n >= cap && cap >= 4)
        memcpy(buf + cap - 4, "...", 4);
    return true;
}
