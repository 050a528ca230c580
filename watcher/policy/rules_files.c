/*
 * rules_files: ordered loading of several rule files into one set (see rules_files.h); the
 * shipped set is default.yaml plus the curated vulnerability blocks of cve.yaml.
 */
#include "rules_files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int scw_rules_load_files(const char *const *paths, size_t n, struct scw_rules **ret,
                         char **ret_error)
{
    struct scw_rules *rs = scw_rules_new();
    if (!rs)
        return -ENOMEM;
    const char *shipped[2];
    const char *const *list = paths;
    size_t count = n;
    if (n == 0) {
        count = scw_rules_shipped_files(shipped);
        list = shipped;
    }
    for (size_t i = 0; i < count; i++) {
        int rc = scw_rules_load(rs, list[i], ret_error);
        if (rc < 0) {
            scw_rules_free(rs);
            return rc;
        }
    }
    *ret = rs;
    return 0;
}
