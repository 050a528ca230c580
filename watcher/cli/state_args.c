/*
 * state_args: the --state options of suggest, decide and review, loaded (see state_args.h).
 */
#include "state_args.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "fleet.h"
#include "log.h"
#include "state.h"

int scw_state_args_add(struct scw_state_args *a, const char *cmd, const char *arg)
{
    if (a->n >= SCW_STATE_ARGS_MAX)
        return scw_cmd_usage_error(cmd, "at most %d --state (give a directory)",
                                   SCW_STATE_ARGS_MAX);
    a->paths[a->n++] = arg;
    return 0;
}

bool scw_state_args_stdin(const struct scw_state_args *a)
{
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->paths[i], "-") == 0)
            return true;
    return false;
}

/* One state file, strictly: its errors stop the command. */
static int load_one(const char *path, struct scw_aggregate *agg)
{
    char *err = NULL;
    int rc = scw_state_load(agg, path, &err);
    if (rc < 0) {
        if (err)
            scw_log_errx("%s", err);
        else
            scw_log_err(rc, "cannot read the state file '%s'", path);
    }
    free(err);
    return rc < 0 ? SCW_EXIT_INPUT : SCW_EXIT_OK;
}

int scw_state_args_load(const struct scw_state_args *a, const char *cmd, struct scw_aggregate *agg,
                        unsigned *ret_failed)
{
    static const char *const fallback[] = {SCW_STATE_DEFAULT};
    const char *const *paths = a->n ? a->paths : fallback;
    size_t n = a->n ? a->n : 1;
    struct stat st;
    *ret_failed = 0;
    if (n == 1 && strcmp(paths[0], "-") != 0 && !(stat(paths[0], &st) == 0 && S_ISDIR(st.st_mode)))
        return load_one(paths[0], agg);
    struct scw_fleet_result res;
    if (scw_fleet_load(agg, cmd, paths, n, &res) < 0)
        return SCW_EXIT_RUNTIME; /* reported */
    if (res.failed && !res.documents) {
        scw_log_errx("%s: no state could be read", cmd);
        return SCW_EXIT_INPUT;
    }
    *ret_failed = res.failed;
    return SCW_EXIT_OK;
}
