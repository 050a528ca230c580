/*
 * cmd_suggest: "scmpwatch suggest --state FILE" prints the report of what a watcher has
 * collected, any time, without the daemon: the same text and JSON as replay.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "commands.h"
#include "log.h"
#include "report.h"
#include "state.h"

static const char usage[] =
    "Usage: scmpwatch suggest [OPTIONS]\n"
    "Report what a watcher collected, from its state file, without stopping it.\n"
    "\n"
    "Options:\n"
    "      --state FILE      state file (default " SCW_STATE_DEFAULT ")\n"
    "  -f, --format FORMAT   text (default) or json\n"
    "  -o, --output FILE     write the report to FILE\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 ok; 1 the state file could not be read or is corrupt; 2 usage error.\n";

enum { OPT_STATE = 256 };

int scw_cmd_suggest(int argc, char **argv)
{
    static const struct option opts[] = {
        {"state", required_argument, NULL, OPT_STATE},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *state = SCW_STATE_DEFAULT, *output = NULL;
    enum scw_format format = SCW_FORMAT_TEXT;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_STATE:
            state = optarg;
            break;
        case 'f':
            format = scw_format_from_name(optarg);
            if (format != SCW_FORMAT_TEXT && format != SCW_FORMAT_JSON)
                return scw_cmd_usage_error("suggest", "unknown format '%s' (text or json)", optarg);
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return SCW_EXIT_OK;
        default:
            return scw_cmd_usage_error("suggest", "unknown option");
        }
    }
    if (optind < argc)
        return scw_cmd_usage_error("suggest", "unexpected argument '%s'", argv[optind]);
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    if (!agg)
        return SCW_EXIT_RUNTIME;
    char *err = NULL;
    int rc = scw_state_load(agg, state, &err);
    if (rc < 0) {
        if (err)
            scw_log_errx("%s", err);
        else
            scw_log_err(rc, "cannot read the state file '%s'", state);
        free(err);
        scw_aggregate_free(agg);
        return SCW_EXIT_INPUT;
    }
    FILE *out = stdout;
    if (output && !(out = fopen(output, "w"))) {
        scw_log_err(errno, "cannot write '%s'", output);
        scw_aggregate_free(agg);
        return SCW_EXIT_INPUT;
    }
    struct scw_report_opts ro = {.color = !output && scw_report_want_color(out),
                                 .title = "scmpwatch suggest"};
    rc = format == SCW_FORMAT_JSON ? scw_report_write_json(agg, &ro, out)
                                   : scw_report_write_text(agg, &ro, out);
    if (out != stdout ? fclose(out) != 0 : fflush(out) != 0)
        rc = -EIO;
    scw_aggregate_free(agg);
    if (rc < 0) {
        scw_log_err(rc, "cannot write the report");
        return SCW_EXIT_INPUT;
    }
    return SCW_EXIT_OK;
}
