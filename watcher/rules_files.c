/*
 * rules_files: ordered loading of several rule files into one set (see rules_files.h).
 */
#include "rules_files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int scw_rules_load_files(const char *const *paths, size_t n, struct scw_rules **ret,
                         char **ret_error)
{
    struct scw_rules *rs = scw_rules_new();
    if (!rs)
        return -ENOMEM;
    const char *def = scw_rules_default_path();
    const char *const *list = n ? paths : &def;
    size_t count = n ? n : 1;
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
