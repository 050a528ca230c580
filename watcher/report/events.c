/*
 * events: JSON-lines writer (see events.h). Each line is one compact JSON object with an
 * "event" key: "first_seen", "record" or "summary".
 */
#include "events.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "name.h"
#include "report.h"

struct scw_events {
    FILE *out;
    bool owned;
    bool all;
};

int scw_events_open(const char *path, bool all, struct scw_events **ret)
{
    struct scw_events *ev = calloc(1, sizeof(*ev));
    if (!ev)
        return -ENOMEM;
    if (strcmp(path, "-") == 0) {
        ev->out = stdout;
    } else {
        ev->out = fopen(path, "ae");
        if (!ev->out) {
            int e = -errno;
            free(ev);
            return e;
        }
        ev->owned = true;
    }
    setvbuf(ev->out, NULL, _IOFBF, 1 << 16);
    ev->all = all;
    *ret = ev;
    return 0;
}

void scw_events_close(struct scw_events *ev)
{
    if (!ev)
        return;
    fflush(ev->out);
    if (ev->owned)
        fclose(ev->out);
    free(ev);
}

bool scw_events_all(const struct scw_events *ev)
{
    return ev && ev->all;
}

static void emit(struct scw_events *ev, json_t *o)
{
    if (!o)
        return;
    json_dumpf(o, ev->out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(13));
    fputc('\n', ev->out);
    json_decref(o);
}

static json_t *base(const char *kind, const struct scw_aggregate *agg, uint32_t workload,
                    const struct scw_record *r)
{
    const struct scw_workload *w = scw_aggregate_workload_at(agg, workload);
    struct scw_syscall_name nm;
    scw_name_lookup(r->arch, r->syscall, &nm);
    json_t *o = json_object();
    json_object_set_new(o, "event", json_string(kind));
    json_object_set_new(o, "time", scw_json_time(r->ts_sec, r->ts_msec));
    json_object_set_new(o, "workload", scw_json_string(w ? w->key : NULL));
    json_object_set_new(o, "container", scw_aggregate_container_json(w ? w->container : NULL));
    json_object_set_new(o, "arch", json_string(nm.arch));
    json_object_set_new(o, "name", nm.name ? json_string(nm.name) : json_null());
    json_object_set_new(o, "nr", json_integer(r->syscall));
    json_object_set_new(o, "action", json_string(scw_action_name(r->action)));
    json_object_set_new(o, "pid", json_integer(r->pid));
    json_object_set_new(o, "exe", scw_json_string(r->exe));
    json_object_set_new(o, "comm", scw_json_string(r->comm));
    return o;
}

void scw_events_first_seen(struct scw_events *ev, const struct scw_aggregate *agg, size_t entry,
                           const struct scw_record *r)
{
    const struct scw_agg_entry *e = scw_aggregate_entry_at(agg, entry);
    if (!ev || !e)
        return;
    emit(ev, base("first_seen", agg, e->workload, r));
}

void scw_events_record(struct scw_events *ev, const struct scw_aggregate *agg, uint32_t workload,
                       const struct scw_record *r)
{
    if (!ev || !ev->all)
        return;
    emit(ev, base("record", agg, workload, r));
}

void scw_events_summary(struct scw_events *ev, const struct scw_aggregate *agg)
{
    if (!ev)
        return;
    const struct scw_input_stats *st = scw_aggregate_stats((struct scw_aggregate *)agg);
    json_t *o = json_object();
    json_object_set_new(o, "event", json_string("summary"));
    json_object_set_new(o, "time", json_integer((json_int_t)time(NULL)));
    json_object_set_new(o, "seccomp", json_integer((json_int_t)st->seccomp));
    json_object_set_new(o, "unattributed", json_integer((json_int_t)st->unattributed));
    json_object_set_new(o, "lost", json_integer((json_int_t)st->lost));
    json_object_set_new(o, "kernel_lost", json_integer((json_int_t)st->kernel_lost));
    json_object_set_new(o, "workloads", json_integer((json_int_t)scw_aggregate_n_workloads(agg)));
    json_object_set_new(o, "entries", json_integer((json_int_t)scw_aggregate_n_entries(agg)));
    emit(ev, o);
}

int scw_events_flush(struct scw_events *ev)
{
    return ev && fflush(ev->out) != 0 ? -EIO : 0;
}
