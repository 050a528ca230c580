/*
 * cmd_attribute: "scmpwatch attribute [OPTIONS] PID... | --cgroup PATH | --cgroup-file FILE",
 * which workload a process or a cgroup is, and what the runtime's state on disk says about it:
 * the same steps the live watcher takes (cgroup.c's choice of path and classification, then
 * runtime_meta.c), done once and shown, so users debug attribution and tests check it through
 * the binary. Text for people, JSON (stable keys) for scripts. Reads /proc and state files only.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aggregate_json.h"
#include "cgroup.h"
#include "commands.h"
#include "json.h"
#include "readall.h"
#include "report.h"
#include "runtime_meta.h"

#define CGROUP_FILE_MAX (64u << 10) /* /proc/PID/cgroup is a few hundred bytes; a copy too */

static const char usage[] =
    "Usage: scmpwatch attribute [OPTIONS] PID...\n"
    "       scmpwatch attribute [OPTIONS] --cgroup PATH | --cgroup-file FILE\n"
    "Which workload a process (or a cgroup) is, and its name, image, pod and profile from the\n"
    "container runtime's state on disk, as the watcher would attribute its records.\n"
    "  -f, --format text|json       output format (default text)\n"
    "      --cgroup PATH            classify this cgroup path (e.g. /docker/<id>)\n"
    "      --cgroup-file FILE       read a saved /proc/PID/cgroup (- for stdin)\n"
    "      --runtime-root KIND=DIR  where a runtime keeps its state (repeatable); KINDs as for\n"
    "                               scmpwatch watch\n"
    "      --proc DIR               the proc file system (default /proc)\n"
    "  -h, --help                   this help\n"
    "Exit status: 0 when every argument was attributed, 1 when one could not be read.\n";

struct subject {
    long pid;          /* -1: none (a cgroup given directly) */
    const char *label; /* what the user named: the pid, the path, the file */
    char path[SCW_CGROUP_PATH_MAX + 1];
};

/* The cgroup path of one subject from /proc/PID/cgroup or a saved copy; message on failure. */
static int subject_path(struct subject *s, const char *file, char *err, size_t errsize)
{
    char *text = NULL;
    size_t len = 0;
    bool is_stdin = strcmp(file, "-") == 0;
    int fd = is_stdin ? 0 : open(file, O_RDONLY | O_CLOEXEC);
    int rc = fd < 0 ? -errno : scw_read_all(fd, 0, CGROUP_FILE_MAX, &text, &len);
    if (fd > 0)
        close(fd);
    if (rc < 0) {
        snprintf(err, errsize, "cannot read '%s': %s%s", file, strerror(-rc),
                 rc == -ENOENT && s->pid >= 0 ? " (no such process?)" : "");
        return rc;
    }
    rc = scw_cgroup_parse_proc(text, len, s->path, sizeof(s->path));
    free(text);
    if (rc < 0)
        snprintf(err, errsize, "'%s' holds no cgroup line (N:controllers:/path)", file);
    return rc;
}

static json_t *meta_json(int flags, const struct scw_meta_stats *st)
{
    json_t *o = json_object();
    json_object_set_new(o, "found", json_boolean(flags & SCW_META_FOUND));
    json_object_set_new(o, "complete", json_boolean(flags & SCW_META_COMPLETE));
    json_object_set_new(o, "unconfined", json_boolean(flags & SCW_META_UNCONFINED));
    json_object_set_new(o, "files_read", json_integer((json_int_t)st->reads));
    json_object_set_new(o, "missing", json_integer((json_int_t)st->missing));
    json_object_set_new(o, "unreadable", json_integer((json_int_t)st->unreadable));
    json_object_set_new(o, "bad", json_integer((json_int_t)st->bad));
    json_object_set_new(o, "too_big", json_integer((json_int_t)st->too_big));
    json_object_set_new(o, "unsupported", json_integer((json_int_t)st->unsupported));
    json_object_set_new(o, "no_user", json_integer((json_int_t)st->no_user));
    return o;
}

static void text_field(FILE *out, const char *key, const char *val)
{
    fprintf(out, "  %-15s ", key);
    if (val)
        scw_report_put_safe(out, val);
    else
        fputs("-", out);
    fputc('\n', out);
}

static void print_text(FILE *out, const struct subject *s, const char *key,
                       const struct scw_cgroup_info *info, const struct scw_container *c, int flags,
                       const struct scw_meta_stats *st)
{
    scw_report_put_safe(out, s->label);
    fputs(":\n", out);
    text_field(out, "cgroup", s->path);
    text_field(out, "workload", key);
    text_field(out, "runtime", scw_runtime_name(info->runtime));
    if (info->monitor)
        text_field(out, "role", "monitor (not the workload itself)");
    if (c) {
        text_field(out, "id", c->id);
        text_field(out, "name", c->name);
        if (c->runtime_namespace)
            text_field(out, "runtime ns", c->runtime_namespace);
        text_field(out, "image", c->image);
        text_field(out, "pod", c->pod);
        text_field(out, "namespace", c->namespace);
        text_field(out, "container", c->k8s_container);
        text_field(out, "profile", c->profile);
    }
    fprintf(out,
            "  %-15s %s%s%s; files read %llu, missing %llu, unreadable %llu, bad %llu, "
            "unsupported %llu, no user %llu\n",
            "state", flags & SCW_META_FOUND ? "found" : "none found",
            flags & SCW_META_COMPLETE ? ", complete" : "",
            flags & SCW_META_UNCONFINED ? ", no seccomp profile (unconfined)" : "",
            (unsigned long long)st->reads, (unsigned long long)st->missing,
            (unsigned long long)st->unreadable, (unsigned long long)st->bad,
            (unsigned long long)st->unsupported, (unsigned long long)st->no_user);
}

/* Classify one subject and read its runtime state; one JSON object or text block. */
static int attribute_one(const struct subject *s, const struct scw_meta_roots *roots, bool json,
                         json_t *arr)
{
    struct scw_cgroup_info info;
    char key[SCW_CGROUP_KEY_SIZE];
    struct scw_container *c = NULL;
    struct scw_meta_stats st = {0};
    int rc = scw_cgroup_classify(s->path, &info);
    if (rc == 0) /* what only the disk tells: crun, a containerd namespace, a uid, a name */
        rc = scw_meta_resolve(roots, s->path, &info, &st);
    if (rc == 0)
        rc = scw_cgroup_workload_key(&info, s->path, key, sizeof(key));
    if (rc == 0)
        rc = scw_cgroup_container_new(&info, s->path, &c);
    int flags = rc == 0 ? scw_meta_read(roots, &info, c, &st) : rc;
    if (flags < 0) {
        fprintf(stderr, "scmpwatch attribute: '%s': cannot classify cgroup '%s': %s\n", s->label,
                s->path, strerror(-flags));
        scw_container_free(c);
        return flags;
    }
    bool container = scw_runtime_is_container(info.runtime);
    if (json) {
        json_t *o = json_object();
        json_object_set_new(o, "pid", s->pid >= 0 ? json_integer(s->pid) : json_null());
        json_object_set_new(o, "cgroup", scw_json_string(s->path));
        json_object_set_new(o, "workload", scw_json_string(key));
        json_object_set_new(o, "runtime", json_string(scw_runtime_name(info.runtime)));
        json_object_set_new(o, "monitor", json_boolean(info.monitor));
        json_object_set_new(o, "container",
                            container || info.runtime == SCW_RUNTIME_SYSTEMD_UNIT
                                ? scw_aggregate_container_json(c)
                                : json_null());
        json_object_set_new(o, "metadata", meta_json(flags, &st));
        json_array_append_new(arr, o);
    } else {
        print_text(stdout, s, key, &info,
                   container || info.runtime == SCW_RUNTIME_SYSTEMD_UNIT ? c : NULL, flags, &st);
    }
    scw_container_free(c);
    return 0;
}

enum { OPT_CGROUP = 256, OPT_CGROUP_FILE, OPT_RUNTIME_ROOT, OPT_PROC };

int scw_cmd_attribute(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"cgroup", required_argument, NULL, OPT_CGROUP},
        {"cgroup-file", required_argument, NULL, OPT_CGROUP_FILE},
        {"runtime-root", required_argument, NULL, OPT_RUNTIME_ROOT},
        {"proc", required_argument, NULL, OPT_PROC},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct scw_meta_roots roots;
    scw_meta_roots_default(&roots);
    const char *cgroup = NULL, *cgroup_file = NULL, *proc = "/proc";
    bool json = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)
                return scw_cmd_usage_error("attribute", "unknown format '%s' (text, json)", optarg);
            json = strcmp(optarg, "json") == 0;
            break;
        case OPT_CGROUP:
            cgroup = optarg;
            break;
        case OPT_CGROUP_FILE:
            cgroup_file = optarg;
            break;
        case OPT_RUNTIME_ROOT:
            if (scw_cmd_runtime_root(&roots, optarg) < 0)
                return scw_cmd_usage_error("attribute", "bad --runtime-root '%s' (KIND=DIR)",
                                           optarg);
            break;
        case OPT_PROC:
            proc = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return SCW_EXIT_OK;
        default:
            return scw_cmd_usage_error("attribute", "unknown option");
        }
    }
    int n_pids = argc - optind;
    if ((cgroup != NULL) + (cgroup_file != NULL) + (n_pids > 0) != 1)
        return scw_cmd_usage_error("attribute", "give PIDs, or one --cgroup, or one --cgroup-file");
    if (cgroup && (cgroup[0] != '/' || strlen(cgroup) > SCW_CGROUP_PATH_MAX))
        return scw_cmd_usage_error("attribute",
                                   "--cgroup wants an absolute cgroup path (at most %d bytes)",
                                   SCW_CGROUP_PATH_MAX);
    json_t *arr = json ? json_array() : NULL;
    int status = SCW_EXIT_OK;
    char err[PATH_MAX + 128];
    if (cgroup || cgroup_file) {
        struct subject s = {.pid = -1, .label = cgroup ? cgroup : cgroup_file};
        if (cgroup)
            snprintf(s.path, sizeof(s.path), "%s", cgroup);
        if (cgroup_file && subject_path(&s, cgroup_file, err, sizeof(err)) < 0) {
            fprintf(stderr, "scmpwatch attribute: %s\n", err);
            status = SCW_EXIT_INPUT;
        } else if (attribute_one(&s, &roots, json, arr) < 0) {
            status = SCW_EXIT_INPUT;
        }
    }
    for (int i = optind; i < argc; i++) {
        uint64_t pid;
        if (!scw_cmd_parse_u64(argv[i], 1, INT32_MAX, &pid)) {
            json_decref(arr);
            return scw_cmd_usage_error("attribute", "'%s' is no process id", argv[i]);
        }
        struct subject s = {.pid = (long)pid, .label = argv[i]};
        char file[PATH_MAX];
        snprintf(file, sizeof(file), "%s/%llu/cgroup", proc, (unsigned long long)pid);
        if (subject_path(&s, file, err, sizeof(err)) < 0) {
            fprintf(stderr, "scmpwatch attribute: process %s: %s\n", argv[i], err);
            status = SCW_EXIT_INPUT;
            continue;
        }
        if (attribute_one(&s, &roots, json, arr) < 0)
            status = SCW_EXIT_INPUT;
    }
    if (json) {
        json_t *doc = json_object();
        json_object_set_new(doc, "attributions", arr);
        if (scw_json_dump(doc, stdout) < 0)
            status = SCW_EXIT_INPUT;
        json_decref(doc);
    }
    return status;
}
