/*
 * profile_diag: the findings about a profile. A bounded list of errors, warnings and notes
 * (past SCW_PROFILE_MAX_DIAGS or without memory they are only counted), printed as
 * "SOURCE:LINE:COLUMN: level: message [at PATH]"; profile_diag locates one at a JSON path of
 * the profile's text (line and column from jsonpos, the path written like
 * "linux.seccomp.syscalls[3].args[0]").
 *
 * It does not decide what is wrong (profile_read.c, profile_check.c, profile_edit.c and
 * profile_filter.c do) and prints only when asked. Called by those files and by the cli's
 * profile commands, which print the lists.
 */
#include "profile.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "profile_impl.h"

void scw_profile_diags_init(struct scw_profile_diags *d)
{
    memset(d, 0, sizeof(*d));
}

void scw_profile_diags_free(struct scw_profile_diags *d)
{
    if (!d)
        return;
    free(d->items);
    scw_profile_diags_init(d);
}

static void diags_vadd(struct scw_profile_diags *d, enum scw_diag_level level, unsigned line,
                       unsigned column, const char *path, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));
static void diags_vadd(struct scw_profile_diags *d, enum scw_diag_level level, unsigned line,
                       unsigned column, const char *path, const char *fmt, va_list ap)
{
    if (!d)
        return;
    switch (level) {
    case SCW_DIAG_ERROR:
        d->errors++;
        break;
    case SCW_DIAG_WARNING:
        d->warnings++;
        break;
    case SCW_DIAG_NOTE:
        d->notes++;
        break;
    case SCW_DIAG_MAX:
    case SCW_DIAG_INVALID:
        return;
    }
    if (d->n >= SCW_PROFILE_MAX_DIAGS) {
        d->dropped++;
        return;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        struct scw_diag *items = realloc(d->items, cap * sizeof(*items));
        if (!items) {
            d->dropped++;
            return;
        }
        d->items = items;
        d->cap = cap;
    }
    struct scw_diag *g = &d->items[d->n++];
    g->level = level;
    g->line = line;
    g->column = column;
    snprintf(g->path, sizeof(g->path), "%s", path ? path : "");
    vsnprintf(g->message, sizeof(g->message), fmt, ap);
}

void scw_profile_diags_add(struct scw_profile_diags *d, enum scw_diag_level level, unsigned line,
                           unsigned column, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diags_vadd(d, level, line, column, path, fmt, ap);
    va_end(ap);
}

static const char *const level_names[SCW_DIAG_MAX] = {"error", "warning", "note"};

void scw_profile_diag_print(const struct scw_diag *g, const char *source, FILE *out)
{
    const char *src = profile_shown_source(source);
    if (g->level < 0 || g->level >= SCW_DIAG_MAX)
        return;
    if (g->line)
        fprintf(out, "%s:%u:%u: %s: %s", src, g->line, g->column, level_names[g->level],
                g->message);
    else
        fprintf(out, "%s: %s: %s", src, level_names[g->level], g->message);
    if (g->path[0])
        fprintf(out, " [at %s]", g->path);
    fputc('\n', out);
}

void scw_profile_diags_print(const struct scw_profile_diags *d, const char *source,
                             enum scw_diag_level min_level, FILE *out)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].level <= min_level)
            scw_profile_diag_print(&d->items[i], source, out);
    if (d->dropped)
        fprintf(out, "%s: note: %zu more diagnostics not shown\n", profile_shown_source(source),
                d->dropped);
}

/* "syscalls[3].args[0].op"; keys that are not identifiers are written ["like this"]. */
static void path_format(const struct scw_jsonpath *path, size_t n, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        int w;
        if (!path[i].key) {
            w = snprintf(buf + used, size - used, "[%zu]", path[i].index);
        } else {
            bool ident = path[i].key[0] != '\0';
            for (const char *c = path[i].key; *c; c++)
                if (!isalnum((unsigned char)*c) && *c != '_')
                    ident = false;
            if (ident)
                w = snprintf(buf + used, size - used, "%s%s", used ? "." : "", path[i].key);
            else
                w = snprintf(buf + used, size - used, "[\"%s\"]", path[i].key);
        }
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

void profile_vdiag(const struct scw_profile *p, struct scw_profile_diags *d,
                   enum scw_diag_level level, const struct scw_jsonpath *rel, size_t n,
                   const char *fmt, va_list ap)
{
    if (!d)
        return;
    struct scw_jsonpath full[PROFILE_MAX_PATH];
    size_t nf = 0;
    for (size_t i = 0; i < p->n_base && nf < PROFILE_MAX_PATH; i++)
        full[nf++] = p->base[i];
    for (size_t i = 0; i < n && nf < PROFILE_MAX_PATH; i++)
        full[nf++] = rel[i];
    unsigned line = 0, column = 0;
    if (p->pos)
        scw_jsonpos_find(p->pos, full, nf, &line, &column);
    char path[160];
    path_format(full, nf, path, sizeof(path));
    diags_vadd(d, level, line, column, path, fmt, ap);
}

void profile_diag(const struct scw_profile *p, struct scw_profile_diags *d,
                  enum scw_diag_level level, const struct scw_jsonpath *path, size_t n,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    profile_vdiag(p, d, level, path, n, fmt, ap);
    va_end(ap);
}
