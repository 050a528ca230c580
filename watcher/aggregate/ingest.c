/*
 * ingest: classify, account, resolve the workload, count. See ingest.h.
 */
#include "ingest.h"

#include <stdio.h>
#include <string.h>

void scw_ingest_init(struct scw_ingest *in, struct scw_aggregate *agg)
{
    memset(in, 0, sizeof(*in));
    in->agg = agg;
}

int scw_ingest_resolve_exe(void *ctx, struct scw_aggregate *agg, const struct scw_record *r)
{
    (void)ctx;
    char key[SCW_EXE_MAX + 8];
    const char *name = r->exe[0] ? r->exe : r->comm[0] ? r->comm : "unknown";
    size_t n = strlen(name);
    memcpy(key, "exe:", 4);
    memcpy(key + 4, name, n + 1);
    return scw_aggregate_workload(agg, key, NULL);
}

void scw_ingest_record(struct scw_ingest *in, const struct scw_record *r)
{
    struct scw_input_stats *st = scw_aggregate_stats(in->agg);
    st->seccomp++;
    if (in->filter && in->filter(in->filter_ctx, r)) {
        in->ignored++;
        return;
    }
    int w = in->resolve ? in->resolve(in->resolve_ctx, in->agg, r)
                        : scw_ingest_resolve_exe(NULL, in->agg, r);
    if (w >= 0)
        scw_aggregate_add(in->agg, (uint32_t)w, r);
}

/* "kauditd_printk_skb: 123 callbacks suppressed": audit lines printk dropped from the kernel
 * log under load (kern.log, dmesg, kmsg sources). */
static void count_printk_suppressed(struct scw_ingest *in, struct scw_input_stats *st,
                                    const char *line, size_t len)
{
    /* only kernel-log lines carry it: skip auditd's own lines without searching them */
    if (len < 40 || line[0] == 't' || line[0] == 'n')
        return;
    const char *m = memmem(line, len, "kauditd_printk_skb: ", 20);
    if (!m)
        return;
    m += 20;
    const char *end = line + len;
    uint64_t n = 0;
    const char *p = m;
    for (; p < end && *p >= '0' && *p <= '9' && n < UINT64_MAX / 10; p++)
        n = n * 10 + (uint64_t)(*p - '0');
    if (p == m || (size_t)(end - p) < 21 || memcmp(p, " callbacks suppressed", 21) != 0)
        return;
    in->printk_suppressed += n;
    st->lost += n;
}

void scw_ingest_line(struct scw_ingest *in, const char *line, size_t len, const char *where,
                     uint64_t lineno)
{
    struct scw_input_stats *st = scw_aggregate_stats(in->agg);
    st->lines++;
    switch (scw_record_parse_line(line, len, &in->rec)) {
    case SCW_PARSE_SECCOMP:
        scw_ingest_record(in, &in->rec);
        break;
    case SCW_PARSE_OTHER:
        st->other++;
        count_printk_suppressed(in, st, line, len);
        break;
    case SCW_PARSE_MALFORMED:
        if (st->malformed_kept < SCW_MALFORMED_KEEP)
            snprintf(st->malformed_where[st->malformed_kept++], sizeof(st->malformed_where[0]),
                     "%s:%llu", where ? where : "-", (unsigned long long)lineno);
        st->malformed++;
        break;
    }
}

void scw_ingest_oversized(struct scw_ingest *in)
{
    struct scw_input_stats *st = scw_aggregate_stats(in->agg);
    st->lines++;
    st->oversized++;
}
