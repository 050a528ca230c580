/*
 * fuzz_record: the record parser (record.c) on arbitrary bytes, as one log line
 * (scw_record_parse_line), as a netlink body (scw_record_parse_body) and as a single audit
 * value (scw_record_decode_value). Besides the sanitizers it checks the parser's promises:
 * strings stay NUL-terminated inside their buffers, a SECCOMP record has a non-zero arch,
 * its action matches its code, a trailing CR never changes the result, and the kernel-order
 * fast path agrees with the general parser on any record body.
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

    /*
     * The kernel-order fast path and the general parser agree: the input as a record body,
     * once as it is and once behind an unknown field (which forces the general parser).
     */
    static const char head[] = "type=SECCOMP msg=audit(1.5:7): ";
    static const char forced[] = "type=SECCOMP msg=audit(1.5:7): zz=1 ";
    char *a = malloc(sizeof(forced) + size), *b = malloc(sizeof(forced) + size);
    if (a && b) {
        memcpy(a, head, sizeof(head) - 1);
        memcpy(a + sizeof(head) - 1, data, size);
        memcpy(b, forced, sizeof(forced) - 1);
        memcpy(b + sizeof(forced) - 1, data, size);
        enum scw_parse_result ra = scw_record_parse_line(a, sizeof(head) - 1 + size, &r);
        enum scw_parse_result rb = scw_record_parse_line(b, sizeof(forced) - 1 + size, &r2);
        check(&r, ra);
        if (ra != rb ||
            (ra == SCW_PARSE_SECCOMP &&
             (r.arch != r2.arch || r.syscall != r2.syscall || r.code != r2.code ||
              r.action != r2.action || r.pid != r2.pid || r.uid != r2.uid || r.gid != r2.gid ||
              r.auid != r2.auid || r.ses != r2.ses || r.sig != r2.sig || r.compat != r2.compat ||
              r.ip != r2.ip || strcmp(r.exe, r2.exe) != 0 || strcmp(r.comm, r2.comm) != 0 ||
              strcmp(r.subj, r2.subj) != 0)))
            abort();
    }
    free(a);
    free(b);

    char small[8];
    int n = scw_record_decode_value(line, size, small, sizeof(small));
    if (n < 0 || n >= (int)sizeof(small) || small[n] != '\0')
        abort();
    return 0;
}
