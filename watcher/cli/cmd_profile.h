/*
 * cmd_profile: private to cmd_profile*.c, the parts of "scmpwatch profile" its subcommands
 * share: the host options (--cap, --no-caps, --kernel, --arch), loading a profile with its
 * diagnostics printed, and the subcommands that live outside cmd_profile.c.
 *   cmd_profile.c       dispatch, validate, diff, and these helpers
 *   cmd_profile_show.c  show
 *   cmd_profile_edit.c  logify, tune, fmt (the commands that write a profile)
 * Nothing outside watcher/cli/cmd_profile*.c includes this header (commands.h has the
 * command's entry point, scw_cmd_profile).
 */
#ifndef SCW_CMD_PROFILE_H
#define SCW_CMD_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "profile.h"

#define SCW_CMD_PROFILE_MAX_CAPS 128

/* getopt values of the host options; a subcommand's own options start at _MAX. */
enum scw_cmd_profile_opt {
    SCW_CMD_PROFILE_OPT_CAP = 256,
    SCW_CMD_PROFILE_OPT_NO_CAPS,
    SCW_CMD_PROFILE_OPT_KERNEL,
    SCW_CMD_PROFILE_OPT_ARCH,
    SCW_CMD_PROFILE_OPT_MAX,
};

/* The host a profile is checked or shown for, as the options gave it. */
struct scw_cmd_profile_host {
    struct scw_profile_host host;
    const char *caps[SCW_CMD_PROFILE_MAX_CAPS];
    char *cap_buf[SCW_CMD_PROFILE_MAX_CAPS]; /* owned comma-split copies */
    size_t n_bufs;
};

void scw_cmd_profile_host_free(struct scw_cmd_profile_host *h);
/* Handle a host option; returns 1 handled, 0 not a host option, -1 usage error (reported). */
int scw_cmd_profile_host_option(const char *cmd, int c, const char *arg,
                                struct scw_cmd_profile_host *h);

/* Split "A,B" into list (pointers into an owned copy, *ret_buf). Returns false when over max. */
bool scw_cmd_profile_split_list(const char *arg, const char **list, size_t *n, size_t max,
                                char **ret_buf);

/* The path as messages show it ("-" is "<stdin>"). */
const char *scw_cmd_profile_shown(const char *path);
/* Load one profile, printing its load errors to diag_out. Returns NULL on failure. */
struct scw_profile *scw_cmd_profile_load(const char *path, FILE *diag_out);
/* The same, for commands that use the profile: one with errors is refused (printed). */
struct scw_profile *scw_cmd_profile_load_valid(const char *cmd, const char *path);

/* The subcommands: argv[0] is the subcommand's name; they return an SCW_EXIT_* code. */
int scw_cmd_profile_show(int argc, char **argv);   /* cmd_profile_show.c */
int scw_cmd_profile_logify(int argc, char **argv); /* cmd_profile_edit.c */
int scw_cmd_profile_tune(int argc, char **argv);   /* cmd_profile_edit.c */
int scw_cmd_profile_fmt(int argc, char **argv);    /* cmd_profile_edit.c */

#endif
