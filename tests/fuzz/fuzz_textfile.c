/*
 * fuzz_textfile: replay's whole pipeline on arbitrary file content. The bytes go into a memfd
 * opened through /proc/self/fd (so plain and gzip input take the real open/sniff/read path),
 * are split into bounded lines (linebuf.c, source_file.c), parsed and counted (ingest.c,
 * aggregate.c) and rendered as JSON and text (report.c). Checks that the line accounting adds
 * up and that the reader's end is sticky.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "aggregate.h"
#include "ingest.h"
#include "report.h"
#include "source_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_LINE 1024 /* small, so that short inputs reach the oversized paths */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz_textfile", MFD_CLOEXEC);
    if (fd < 0)
        return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    struct scw_textfile *f;
    if (!agg || scw_textfile_open(path, MAX_LINE, &f) < 0) {
        scw_aggregate_free(agg);
        close(fd);
        return 0;
    }
    struct scw_ingest in;
    scw_ingest_init(&in, agg);
    const char *line;
    size_t len;
    bool over;
    int rc;
    uint64_t n = 0;
    while ((rc = scw_textfile_next(f, &line, &len, &over)) > 0) {
        if (++n != scw_textfile_lineno(f) || (!over && len > MAX_LINE))
            abort();
        if (over)
            scw_ingest_oversized(&in);
        else
            scw_ingest_line(&in, line, len, "fuzz", n);
    }
    if (scw_textfile_next(f, &line, &len, &over) != rc) /* the end is sticky */
        abort();
    if (!scw_textfile_compressed(f) && rc != 0) /* plain memfd reads never fail */
        abort();
    scw_textfile_close(f);
    close(fd);

    const struct scw_input_stats *st = scw_aggregate_stats(agg);
    if (st->lines != n || st->lines != st->seccomp + st->malformed + st->oversized + st->other)
        abort();
    uint64_t counted = 0;
    for (size_t i = 0; i < scw_aggregate_n_entries(agg); i++)
        counted += scw_aggregate_entry_at(agg, i)->count;
    if (counted != st->seccomp)
        abort();

    FILE *out = fopen("/dev/null", "w");
    if (out) {
        struct scw_report_opts o = {.color = true, .title = "fuzz", .n_inputs = 1};
        if (scw_report_write_json(agg, &o, out) < 0 || scw_report_write_text(agg, &o, out) < 0)
            abort();
        fclose(out);
    }
    scw_aggregate_free(agg);
    return 0;
}
