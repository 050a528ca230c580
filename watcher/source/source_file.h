/*
 * source_file: read a saved log (plain or gzip-compressed, "-" = stdin) line by line with
 * bounded memory. gzip is detected from the content (so audit.log.1.gz and a renamed file
 * both work); concatenated gzip members are read as one stream.
 */
#ifndef SCW_SOURCE_FILE_H
#define SCW_SOURCE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct scw_textfile;

/* Open path ("-": stdin). On failure returns -errno; nothing to close. */
int scw_textfile_open(const char *path, size_t max_line, struct scw_textfile **ret);

/* The bytes [start, end) of a plain (not compressed) file, as lines; line numbers count from
 * 1 at start. For reading parts of one file in parallel (start just after a newline). */
int scw_textfile_open_range(const char *path, size_t max_line, uint64_t start, uint64_t end,
                            struct scw_textfile **ret);

/*
 * Next line. Returns 1 (a line, or an oversized one with *ret_oversized set), 0 at end of
 * input, or -errno on a read error (-EPROTO: corrupt or truncated compressed data); lines
 * before the error have been delivered, the unterminated piece at the error has not. Corrupt
 * deflate data may inflate to some garbage before zlib notices (the CRC is checked at the end
 * of each member); that garbage comes out as lines like any other input.
 */
int scw_textfile_next(struct scw_textfile *f, const char **ret_line, size_t *ret_len,
                      bool *ret_oversized);

uint64_t scw_textfile_lineno(const struct scw_textfile *f); /* of the line last returned */
bool scw_textfile_compressed(const struct scw_textfile *f);
void scw_textfile_close(struct scw_textfile *f);

#endif
