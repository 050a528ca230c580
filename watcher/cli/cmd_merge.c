/*
 * cmd_merge: "scmpwatch merge --state FILE|DIR|- [--state ...] --output FILE" writes one state
 * from the states of several nodes (fleet.c: exact arithmetic, each node once), so a fleet can
 * be collected in steps: merging merged states again gives the same bytes. The profiles the
 * watchers kept (STATE.profiles/) are checked and copied beside the output
 * (FILE.profiles/), and the merged state names them relative to itself, so the pair can be
 * moved anywhere. Everything is written to temporary files and renamed only when all of them
 * are ready (lib/atomic_file).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aggregate.h"
#include "atomic_file.h"
#include "commands.h"
#include "fleet.h"
#include "log.h"
#include "profile.h"
#include "readall.h"
#include "state.h"

static const char usage[] =
    "Usage: scmpwatch merge --state FILE|DIR|- [--state ...] --output FILE\n"
    "Merge the state files of several nodes (one watcher each) into one state file, exactly:\n"
    "counts add, first/last seen are the earliest and latest, every node keeps its own input\n"
    "counters and observation. The result reads like any state (suggest --state FILE) and can\n"
    "be merged again: merging in steps gives the same file as merging at once.\n"
    "\n"
    "Options:\n"
    "      --state FILE|DIR|-  a state file; a directory: every *.json state in it, in name\n"
    "                        order; '-': state documents one after another on standard input\n"
    "                        (repeatable; at least one)\n"
    "  -o, --output FILE     the merged state; the profiles the watchers kept go to\n"
    "                        FILE.profiles/ beside it\n"
    "      --max-workloads N bound on workloads kept (default 10000)\n"
    "      --max-entries N   bound on workload x syscall entries kept (default 1000000)\n"
    "  -h, --help            show this help\n"
    "\n"
    "The same node in two states is counted once (from the later snapshot); the same\n"
    "container on two nodes with different profiles is kept on both and reported.\n"
    "\n"
    "Exit status: 0 merged; 1 a state or a kept profile could not be read (it is left out and\n"
    "said why; the others are merged and written), or the output could not be written (nothing\n"
    "is left behind); 2 usage error.\n";

enum { OPT_STATE = 256, OPT_MAX_WORKLOADS, OPT_MAX_ENTRIES };

#define MAX_STATES   1024       /* --state arguments */
#define KEPT_MAX     (16 << 20) /* a kept profile read back */
#define KEPT_NAMEMAX 200

/* One kept profile: where it is read from, where its copy goes. */
struct kept {
    char *from; /* as resolved at load */
    char *name; /* file name in OUTPUT.profiles/, NULL when it cannot be used */
    char *text;
    size_t len;
};

struct merge {
    struct kept *v;
    size_t n;
    unsigned failures;
};

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* Read and check a kept profile; a name for its copy that no other copy has. */
static int add_kept(struct merge *m, const char *from, const struct scw_workload *w,
                    const struct scw_agg_node *node, size_t *ret)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].from, from) == 0) {
            *ret = i;
            return 0;
        }
    struct kept *nv = realloc(m->v, (m->n + 1) * sizeof(*nv));
    if (!nv)
        return -ENOMEM;
    m->v = nv;
    struct kept *k = &m->v[m->n];
    *k = (struct kept){.from = strdup(from)};
    if (!k->from)
        return -ENOMEM;
    *ret = m->n++;
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    struct scw_profile *p = NULL;
    int fd = open(from, O_RDONLY | O_CLOEXEC);
    int rc = fd < 0 ? -errno : scw_read_all(fd, 0, KEPT_MAX, &k->text, &k->len);
    if (fd >= 0)
        close(fd);
    if (rc == 0)
        rc = scw_profile_load(from, k->text, k->len, &p, &d);
    const char *state = node->source ? node->source : "-";
    if (rc < 0 || !scw_profile_ok(p)) {
        if (rc == -ENOMEM)
            return rc;
        scw_profile_diags_print(p ? scw_profile_diags(p) : &d, from, SCW_DIAG_WARNING, stderr);
        scw_log_errx("merge: the profile kept for '%s' of node '%s' (state '%s'), '%s', %s: "
                     "merged without it (suggest then needs the container's own config.json); "
                     "copy %s.profiles/ from that node again and merge again",
                     w->key, node->label, state, from,
                     rc == -ENOENT ? "is missing"
                     : rc < 0      ? "no longer parses"
                                   : "has errors",
                     state);
        m->failures++;
        free(k->text);
        k->text = NULL;
        scw_profile_free(p);
        scw_profile_diags_free(&d);
        return 0;
    }
    scw_profile_free(p);
    scw_profile_diags_free(&d);
    /* the watcher names copies by content: keep the name; a clash gets a suffix */
    char stem[KEPT_NAMEMAX];
    snprintf(stem, sizeof(stem), "%s", base_name(from));
    size_t sl = strlen(stem);
    if (sl > 5 && strcmp(stem + sl - 5, ".json") == 0)
        stem[sl - 5] = '\0';
    for (unsigned n = 1;; n++) {
        char *name = NULL;
        if ((n == 1 ? asprintf(&name, "%s.json", stem) : asprintf(&name, "%s-%u.json", stem, n)) <
            0)
            return -ENOMEM;
        bool clash = false;
        for (size_t i = 0; i + 1 < m->n && !clash; i++)
            clash = m->v[i].name && strcmp(m->v[i].name, name) == 0 &&
                    (m->v[i].len != k->len || memcmp(m->v[i].text, k->text, k->len) != 0);
        if (!clash) {
            k->name = name;
            return 0;
        }
        free(name);
    }
}

/* Point every kept profile at its copy beside the output ("OUT.profiles/NAME"). */
static int rehome_kept(struct merge *m, struct scw_aggregate *agg, const char *out_base)
{
    for (size_t i = 0; i < scw_aggregate_n_workloads(agg); i++) {
        const struct scw_workload *w = scw_aggregate_workload_at(agg, i);
        if (!w->container || !w->container->profile_kept)
            continue;
        size_t ki;
        int rc =
            add_kept(m, w->container->profile_kept, w, scw_aggregate_node_at(agg, w->node), &ki);
        if (rc < 0)
            return rc;
        struct scw_container *c = scw_container_dup(w->container);
        if (!c)
            return -ENOMEM;
        free(c->profile_kept);
        c->profile_kept = NULL;
        if (m->v[ki].name &&
            asprintf(&c->profile_kept, "%s.profiles/%s", out_base, m->v[ki].name) < 0)
            c->profile_kept = NULL;
        rc = m->v[ki].name && !c->profile_kept ? -ENOMEM
                                               : scw_aggregate_set_container(agg, (uint32_t)i, c);
        scw_container_free(c);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The copies, then the state: all written to temporaries, renamed when all are ready. */
static int write_outputs(struct merge *m, const struct scw_aggregate *agg, const char *output)
{
    size_t used = 0;
    for (size_t i = 0; i < m->n; i++)
        used += m->v[i].name != NULL;
    struct scw_atomic_file *af = calloc(used + 1, sizeof(*af));
    if (!af)
        return -ENOMEM;
    size_t n = 0;
    int rc = 0;
    char *dir = NULL;
    if (used && asprintf(&dir, "%s.profiles", output) < 0)
        rc = -ENOMEM;
    if (rc == 0 && dir && mkdir(dir, 0700) < 0 && errno != EEXIST) {
        rc = -errno;
        scw_log_err(rc, "merge: cannot create '%s'", dir);
    }
    for (size_t i = 0; rc == 0 && i < m->n; i++) {
        bool dup = false;
        for (size_t k = 0; k < i && !dup; k++)
            dup = m->v[k].name && m->v[i].name && strcmp(m->v[k].name, m->v[i].name) == 0;
        if (!m->v[i].name || dup)
            continue;
        char *path = NULL;
        if (asprintf(&path, "%s/%s", dir, m->v[i].name) < 0) {
            rc = -ENOMEM;
            break;
        }
        rc = scw_atomic_open(&af[n], path, 0600);
        if (rc == 0) {
            n++;
            rc = scw_atomic_close(
                &af[n - 1],
                fwrite(m->v[i].text, 1, m->v[i].len, af[n - 1].f) == m->v[i].len ? 0 : -EIO);
        }
        if (rc < 0)
            scw_log_err(rc, "merge: cannot write '%s'", path);
        free(path);
    }
    if (rc == 0) {
        rc = scw_atomic_open(&af[n], output, 0600);
        if (rc == 0) {
            n++;
            rc = scw_atomic_close(&af[n - 1], scw_state_write(agg, af[n - 1].f));
        }
        if (rc < 0)
            scw_log_err(rc, "merge: cannot write '%s'", output);
    }
    /* the copies first: the state never names one that is not there */
    for (size_t i = 0; rc == 0 && i < n; i++)
        if ((rc = scw_atomic_commit(&af[i])) < 0)
            scw_log_err(rc, "merge: cannot write '%s'", af[i].path);
    for (size_t i = 0; i < n; i++)
        scw_atomic_abort(&af[i]);
    free(af);
    free(dir);
    return rc;
}

int scw_cmd_merge(int argc, char **argv)
{
    static const struct option opts[] = {
        {"state", required_argument, NULL, OPT_STATE},
        {"output", required_argument, NULL, 'o'},
        {"max-workloads", required_argument, NULL, OPT_MAX_WORKLOADS},
        {"max-entries", required_argument, NULL, OPT_MAX_ENTRIES},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *states[MAX_STATES];
    size_t n_states = 0;
    const char *output = NULL;
    struct scw_agg_limits limits = {0};
    uint64_t v;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_STATE:
            if (n_states >= MAX_STATES)
                return scw_cmd_usage_error("merge", "at most %d --state (give a directory)",
                                           MAX_STATES);
            states[n_states++] = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case OPT_MAX_WORKLOADS:
            if (!scw_cmd_parse_u64(optarg, 1, UINT32_MAX, &v))
                return scw_cmd_usage_error("merge", "--max-workloads needs a positive number");
            limits.max_workloads = (uint32_t)v;
            break;
        case OPT_MAX_ENTRIES:
            if (!scw_cmd_parse_u64(optarg, 1, UINT32_MAX, &v))
                return scw_cmd_usage_error("merge", "--max-entries needs a positive number");
            limits.max_entries = (uint32_t)v;
            break;
        case 'h':
            fputs(usage, stdout);
            return SCW_EXIT_OK;
        default:
            return scw_cmd_usage_error("merge", "unknown option");
        }
    }
    if (optind < argc)
        return scw_cmd_usage_error("merge", "unexpected argument '%s'", argv[optind]);
    if (!n_states)
        return scw_cmd_usage_error("merge", "give the states to merge (--state FILE|DIR|-)");
    if (!output || !output[0] || output[strlen(output) - 1] == '/')
        return scw_cmd_usage_error("merge", "give the file to write (--output FILE)");

    struct scw_aggregate *agg = scw_aggregate_new(&limits);
    if (!agg) {
        scw_log_errx("out of memory");
        return SCW_EXIT_RUNTIME;
    }
    struct scw_fleet_result res;
    struct merge m = {0};
    int exit_code = SCW_EXIT_INPUT;
    int rc = scw_fleet_load(agg, "merge", states, n_states, &res);
    if (rc == 0 && (rc = rehome_kept(&m, agg, base_name(output))) == -ENOMEM)
        scw_log_errx("out of memory");
    if (rc == 0 && (rc = write_outputs(&m, agg, output)) == 0) {
        const struct scw_agg_drops *d = scw_aggregate_drops(agg);
        scw_log_notice("merge: %u node%s from %u state%s: %zu workloads, %zu entries -> %s",
                       res.nodes, res.nodes == 1 ? "" : "s", res.documents,
                       res.documents == 1 ? "" : "s", scw_aggregate_n_workloads(agg),
                       scw_aggregate_n_entries(agg), output);
        if (d->workloads || d->entries)
            scw_log_warnx("merge: %llu events dropped at the bounds (--max-workloads, "
                          "--max-entries): see input.dropped_at_bounds",
                          (unsigned long long)(d->workloads + d->entries));
        exit_code = res.failed || m.failures ? SCW_EXIT_INPUT : SCW_EXIT_OK;
    }
    for (size_t i = 0; i < m.n; i++) {
        free(m.v[i].from);
        free(m.v[i].name);
        free(m.v[i].text);
    }
    free(m.v);
    scw_aggregate_free(agg);
    return exit_code;
}
