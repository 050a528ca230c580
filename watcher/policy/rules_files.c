/*
 * rules_files: the layers of a rule set, found and loaded in order (see rules_files.h): the
 * shipped default.yaml and cve.yaml, every .yaml of rules.d in name order, --rules, the decisions
 * file.
 */
#include "rules_files.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

size_t scw_rules_shipped_files(const char *ret[2])
{
    static char cve[4096];
    const char *def = scw_rules_default_path();
    ret[0] = def;
    const char *slash = strrchr(def, '/');
    int dir = slash ? (int)(slash - def) : 1;
    snprintf(cve, sizeof(cve), "%.*s/cve.yaml", dir, slash ? def : ".");
    if (access(cve, R_OK) != 0)
        return 1;
    ret[1] = cve;
    return 2;
}

const char *scw_rules_d_path(const char *dir)
{
    if (dir && *dir)
        return dir;
    const char *env = getenv("SCMPWATCH_RULES_D");
    return env && *env ? env : SCW_RULES_D_DEFAULT;
}

/* The files loaded so far, by inode, so that one met again is skipped. */
struct seen {
    dev_t dev[SCW_RULES_MAX_FILES + 8];
    ino_t ino[SCW_RULES_MAX_FILES + 8];
    size_t n;
};

static bool seen_before(struct seen *s, const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return false; /* the loader reports it */
    for (size_t i = 0; i < s->n; i++)
        if (s->dev[i] == st.st_dev && s->ino[i] == st.st_ino)
            return true;
    if (s->n < sizeof(s->dev) / sizeof(s->dev[0])) {
        s->dev[s->n] = st.st_dev;
        s->ino[s->n++] = st.st_ino;
    }
    return false;
}

static int load_one(struct scw_rules *rs, struct seen *seen, const char *path, char **ret_error)
{
    if (seen_before(seen, path))
        return 0;
    return scw_rules_load(rs, path, ret_error);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *dir_error(const char *dir, const char *what, int err)
{
    char *s = NULL;
    if (asprintf(&s, "%s: %s: %s", dir, what, strerror(err)) < 0)
        s = NULL;
    return s;
}

/* Every *.yaml regular file of dir (not hidden), in name order; a missing dir has none. */
static int load_dir(struct scw_rules *rs, struct seen *seen, const char *dir, char **ret_error)
{
    DIR *d = opendir(dir);
    if (!d) {
        int e = errno;
        if (e == ENOENT)
            return 0;
        if (ret_error)
            *ret_error = dir_error(dir, "cannot read the rules directory", e);
        return -e;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len <= 5 || strcmp(de->d_name + len - 5, ".yaml") != 0)
            continue;
        char *path = NULL;
        if (asprintf(&path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name) <
            0) {
            rc = -ENOMEM;
            break;
        }
        struct stat st;
        if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
            free(path); /* a dangling link or a directory named x.yaml is no rule file */
            continue;
        }
        if (n >= SCW_RULES_MAX_FILES) {
            free(path);
            if (ret_error && asprintf(ret_error, "%s: more than %d rule files (the limit)", dir,
                                      SCW_RULES_MAX_FILES) < 0)
                *ret_error = NULL;
            rc = -E2BIG;
            break;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nn = realloc(names, cap * sizeof(*nn));
            if (!nn) {
                free(path);
                rc = -ENOMEM;
                break;
            }
            names = nn;
        }
        names[n++] = path;
        errno = 0;
    }
    if (rc == 0 && errno) {
        rc = -errno;
        if (ret_error)
            *ret_error = dir_error(dir, "cannot read the rules directory", errno);
    }
    closedir(d);
    if (rc == 0 && n)
        qsort(names, n, sizeof(*names), cmp_name);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = load_one(rs, seen, names[i], ret_error);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int scw_rules_load_sources(const struct scw_rules_sources *s, struct scw_rules **ret,
                           char **ret_error)
{
    if (ret_error)
        *ret_error = NULL;
    struct scw_rules *rs = scw_rules_new();
    struct seen *seen = calloc(1, sizeof(*seen));
    int rc = rs && seen ? 0 : -ENOMEM;
    if (rc == 0 && !s->no_default) {
        const char *shipped[2];
        size_t n = scw_rules_shipped_files(shipped);
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = load_one(rs, seen, shipped[i], ret_error);
        if (rc == 0)
            rc = load_dir(rs, seen, scw_rules_d_path(s->rules_d), ret_error);
    }
    for (size_t i = 0; i < s->n_paths && rc == 0; i++)
        rc = load_one(rs, seen, s->paths[i], ret_error);
    if (rc == 0 && s->decisions && access(s->decisions, F_OK) == 0)
        rc = load_one(rs, seen, s->decisions, ret_error);
    free(seen);
    if (rc < 0) {
        scw_rules_free(rs);
        return rc;
    }
    *ret = rs;
    return 0;
}

int scw_rules_load_files(const char *const *paths, size_t n, struct scw_rules **ret,
                         char **ret_error)
{
    struct scw_rules_sources s = {.paths = paths, .n_paths = n};
    return scw_rules_load_sources(&s, ret, ret_error);
}
