/*
 * memchr_count: the "hand-written scanner" reference of the benchmark. Splits a file into
 * lines with memchr, counts lines and auditd SECCOMP lines ("type=SECCOMP ", also after a
 * "node=NAME " prefix) and counts them per syscall= value. No parsing beyond that, no
 * validation, no other format: it shows what the raw bytes cost, nothing more.
 *
 * Prints "lines N", "seccomp N", then "syscall NR COUNT" for each number seen.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF_SIZE (1024 * 1024) /* longer lines are counted, not inspected */
#define MAX_NR   1024          /* syscall numbers counted one by one; larger ones together */

static uint64_t per_nr[MAX_NR + 1];

static void scan_line(const char *p, size_t len, uint64_t *seccomp)
{
    if (len > 5 && memcmp(p, "node=", 5) == 0) {
        const char *sp = memchr(p, ' ', len);
        if (!sp)
            return;
        len -= (size_t)(sp + 1 - p);
        p = sp + 1;
    }
    if (len < 13 || memcmp(p, "type=SECCOMP ", 13) != 0)
        return;
    (*seccomp)++;
    const char *s = memmem(p, len, " syscall=", 9);
    if (!s)
        return;
    s += 9;
    uint64_t nr = 0;
    while (s < p + len && *s >= '0' && *s <= '9' && nr <= MAX_NR)
        nr = nr * 10 + (uint64_t)(*s++ - '0');
    per_nr[nr < MAX_NR ? nr : MAX_NR]++;
}

int main(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fprintf(argc == 2 ? stdout : stderr,
                "Usage: scw_memchr_count FILE\n"
                "Count lines and SECCOMP lines per syscall with memchr (benchmark reference).\n");
        return argc == 2 ? 0 : 2;
    }
    int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "scw_memchr_count: cannot open '%s': %s\n", argv[1], strerror(errno));
        return 1;
    }
    char *buf = malloc(BUF_SIZE);
    if (!buf)
        return 1;
    uint64_t lines = 0, seccomp = 0;
    size_t have = 0;
    bool skipping = false; /* inside a line longer than the buffer */
    for (;;) {
        ssize_t n = read(fd, buf + have, BUF_SIZE - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, "scw_memchr_count: cannot read '%s': %s\n", argv[1], strerror(errno));
            return 1;
        }
        if (n == 0)
            break;
        have += (size_t)n;
        char *p = buf, *end = buf + have, *nl;
        while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
            lines++;
            if (!skipping)
                scan_line(p, (size_t)(nl - p), &seccomp);
            skipping = false;
            p = nl + 1;
        }
        have = (size_t)(end - p);
        if (have == BUF_SIZE) {
            skipping = true; /* drop the start of an over-long line */
            have = 0;
        } else {
            memmove(buf, p, have);
        }
    }
    if (have) {
        lines++;
        if (!skipping)
            scan_line(buf, have, &seccomp);
    }
    close(fd);
    free(buf);
    printf("lines %llu\nseccomp %llu\n", (unsigned long long)lines, (unsigned long long)seccomp);
    for (size_t i = 0; i <= MAX_NR; i++)
        if (per_nr[i])
            printf("syscall %zu%s %llu\n", i, i == MAX_NR ? "+" : "",
                   (unsigned long long)per_nr[i]);
    return 0;
}
