/*
 * cmd_replay: "scmpwatch replay [--format text|json] FILE..." reads saved logs (any record
 * format, gzip, "-" for stdin), aggregates per workload (the executable, as replay has no live
 * attribution) and prints the report. An unreadable input is reported and skipped (exit 1);
 * the others are still read and reported.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "commands.h"
#include "ingest.h"
#include "log.h"
#include "report.h"
#include "source_file.h"

static const char usage[] =
    "Usage: scmpwatch replay [OPTIONS] FILE...\n"
    "Aggregate SECCOMP audit records (type 1326) from saved logs and report them per\n"
    "workload, architecture, syscall and action.\n"
    "\n"
    "FILE is an audit.log, kern.log, syslog, dmesg or journalctl output, /dev/kmsg dump,\n"
    "plain or gzip-compressed (detected from the content); '-' reads standard input.\n"
    "\n"
    "Options:\n"
    "  -f, --format FORMAT   text (default) or json\n"
    "  -o, --output FILE     write the report to FILE instead of standard output\n"
    "      --max-workloads N bound on workloads kept (default 10000)\n"
    "      --max-entries N   bound on workload x syscall entries kept (default 1000000)\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 all inputs read; 1 an input could not be read (the others are still\n"
    "reported); 2 usage error.\n";

enum { OPT_MAX_WORKLOADS = 256, OPT_MAX_ENTRIES };

static bool parse_u32(const char *s, uint32_t *ret)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v == 0 || v > UINT32_MAX)
        return false;
    *ret = (uint32_t)v;
    return true;
}

/* Read one input into the ingest pipeline. Returns 0 or -errno (already reported). */
static int replay_file(struct scw_ingest *in, const char *path)
{
    struct scw_textfile *f;
    int rc = scw_textfile_open(path, SCW_LINE_MAX, &f);
    if (rc < 0) {
        scw_log_warn(rc, "cannot open '%s', skipping it", path);
        return rc;
    }
    const char *where = strcmp(path, "-") == 0 ? "<stdin>" : path;
    const char *line;
    size_t len;
    bool oversized;
    while ((rc = scw_textfile_next(f, &line, &len, &oversized)) > 0) {
        if (oversized)
            scw_ingest_oversized(in);
        else
            scw_ingest_line(in, line, len, where, scw_textfile_lineno(f));
    }
    if (rc == -EPROTO)
        scw_log_warnx("'%s': compressed data is corrupt or truncated after line %llu; the lines "
                      "before it are counted",
                      path, (unsigned long long)scw_textfile_lineno(f));
    else if (rc < 0)
        scw_log_warn(rc, "error reading '%s' after line %llu; the lines before it are counted",
                     path, (unsigned long long)scw_textfile_lineno(f));
    scw_textfile_close(f);
    return rc;
}

int scw_cmd_replay(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"max-workloads", required_argument, NULL, OPT_MAX_WORKLOADS},
        {"max-entries", required_argument, NULL, OPT_MAX_ENTRIES},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    enum scw_format format = SCW_FORMAT_TEXT;
    const char *output = NULL;
    struct scw_agg_limits limits = {0};
    int c;
    optind = 0;
    opterr = 0; /* we name the bad option ourselves, once */
    while ((c = getopt_long(argc, argv, ":f:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            format = scw_format_from_name(optarg);
            if (format != SCW_FORMAT_TEXT && format != SCW_FORMAT_JSON)
                return scw_cmd_usage_error("replay", "unknown format '%s' (text or json)", optarg);
            break;
        case 'o':
            output = optarg;
            break;
        case OPT_MAX_WORKLOADS:
            if (!parse_u32(optarg, &limits.max_workloads))
                return scw_cmd_usage_error("replay", "--max-workloads needs a positive number");
            break;
        case OPT_MAX_ENTRIES:
            if (!parse_u32(optarg, &limits.max_entries))
                return scw_cmd_usage_error("replay", "--max-entries needs a positive number");
            break;
        case 'h':
            fputs(usage, stdout);
            return SCW_EXIT_OK;
        case ':':
            return scw_cmd_usage_error("replay", "option '%s' needs a value", argv[optind - 1]);
        default:
            return scw_cmd_usage_error("replay", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return scw_cmd_usage_error("replay", "no input files (use '-' for standard input)");

    struct scw_aggregate *agg = scw_aggregate_new(&limits);
    if (!agg) {
        scw_log_errx("out of memory");
        return SCW_EXIT_RUNTIME;
    }
    struct scw_ingest in;
    scw_ingest_init(&in, agg);
    unsigned failed = 0, n_inputs = 0;
    for (int i = optind; i < argc; i++, n_inputs++)
        if (replay_file(&in, argv[i]) < 0)
            failed++;
    scw_aggregate_stats(agg)->read_errors = failed;

    FILE *out = stdout;
    if (output && !(out = fopen(output, "w"))) {
        scw_log_err(errno, "cannot write the report to '%s'", output);
        scw_aggregate_free(agg);
        return SCW_EXIT_INPUT;
    }
    struct scw_report_opts ro = {
        .color = !output && scw_report_want_color(out),
        .title = "scmpwatch replay",
        .n_inputs = n_inputs,
    };
    int rc = format == SCW_FORMAT_JSON ? scw_report_write_json(agg, &ro, out)
                                       : scw_report_write_text(agg, &ro, out);
    if (out != stdout ? fclose(out) != 0 : fflush(out) != 0)
        rc = -EIO;
    if (rc < 0)
        scw_log_err(rc, "cannot write the report");
    scw_aggregate_free(agg);
    return failed || rc < 0 ? SCW_EXIT_INPUT : SCW_EXIT_OK;
}
