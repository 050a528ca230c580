/*
 * fuzz_record: the record parser (record.c) on arbitrary bytes, as one log line
 * (scw_record_parse_line), as a netlink body (scw_record_parse_body) and as a single audit
 * value (scw_record_decode_value). Besides the sanitizers it checks the parser's promises:
 * strings stay NUL-terminated inside their buffers, a SECCOMP record has a non-zero arch,
 * its action matches its code, and a trailing CR never changes the result.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct scw_record *r, enum scw_parse_result res)
{
    if (res != SCW_PARSE_SECCOMP && res != SCW_PARSE_OTHER && res != SCW_PARSE_MALFORMED)
        abort();
    if (res != SCW_PARSE_SECCOMP)
        return;
    if (!memchr(r->comm, '\0', sizeof(r->comm)) || !memchr(r->exe, '\0', sizeof(r->exe)) ||
        !memchr(r->subj, '\0', sizeof(r->subj)))
        abort();
    if (r->arch == 0 || r->action != scw_action_from_code(r->code) || r->ts_msec > 999)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > SCW_LINE_MAX) /* replay never hands the parser a longer line */
        return 0;
    const char *line = (const char *)data;
    struct scw_record r, r2;
    enum scw_parse_result res = scw_record_parse_line(line, size, &r);
    check(&r, res);

    /* the same line with a CR appended (a CRLF file) parses the same */
    char *crlf = malloc(size + 1);
    if (!crlf)
        return 0;
    memcpy(crlf, data, size);
    crlf[size] = '\r';
    enum scw_parse_result res2 = scw_record_parse_line(crlf, size + 1, &r2);
    free(crlf);
    if (res2 != res ||
        (res == SCW_PARSE_SECCOMP &&
         (r.arch != r2.arch || r.syscall != r2.syscall || r.code != r2.code || r.pid != r2.pid ||
          strcmp(r.exe, r2.exe) != 0 || strcmp(r.comm, r2.comm) != 0)))
        abort();

    check(&r, scw_record_parse_body(line, size, &r));

    char small[8];
    int n = scw_record_decode_value(line, size, small, sizeof(small));
    if (n < 0 || n >= (int)sizeof(small) || small[n] != '\0')
        abort();
    return 0;
}
