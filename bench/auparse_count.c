/*
 * auparse_count: the reference point of the benchmark. A minimal libauparse program that
 * counts SECCOMP (type 1326) records per syscall in an audit.log, the way one would write it
 * with the audit project's own library. Prints "seccomp N" then "syscall NR COUNT" lines.
 *
 * Not part of scmpwatch; bench/run.sh times it next to `scmpwatch replay` on the same file.
 */
#include <auparse.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_SECCOMP_TYPE 1326
#define SLOTS              4096 /* distinct syscall values counted; more go to "other" */

struct slot {
    char value[24];
    uint64_t count;
};

int main(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fprintf(argc == 2 ? stdout : stderr,
                "Usage: scw_auparse_count AUDIT_LOG\n"
                "Count SECCOMP records per syscall with libauparse (benchmark reference).\n");
        return argc == 2 ? 0 : 2;
    }
    auparse_state_t *au = auparse_init(AUSOURCE_FILE, argv[1]);
    if (!au) {
        fprintf(stderr, "scw_auparse_count: cannot open '%s': %s\n", argv[1], strerror(errno));
        return 1;
    }
    static struct slot slots[SLOTS];
    size_t used = 0;
    uint64_t seccomp = 0, no_syscall = 0, other_values = 0;
    while (auparse_next_event(au) > 0) {
        do {
            if (auparse_get_type(au) != AUDIT_SECCOMP_TYPE)
                continue;
            seccomp++;
            const char *v = NULL;
            if (auparse_first_field(au) > 0) {
                do {
                    const char *name = auparse_get_field_name(au);
                    if (name && strcmp(name, "syscall") == 0) {
                        v = auparse_get_field_str(au);
                        break;
                    }
                } while (auparse_next_field(au) > 0);
            }
            if (!v) {
                no_syscall++;
                continue;
            }
            size_t i;
            for (i = 0; i < used && strcmp(slots[i].value, v) != 0; i++)
                ;
            if (i == used) {
                if (used == SLOTS || strlen(v) >= sizeof(slots[0].value)) {
                    other_values++;
                    continue;
                }
                snprintf(slots[used++].value, sizeof(slots[0].value), "%s", v);
            }
            slots[i].count++;
        } while (auparse_next_record(au) > 0);
    }
    auparse_destroy(au);
    printf("seccomp %llu\n", (unsigned long long)seccomp);
    printf("without_syscall %llu\n", (unsigned long long)no_syscall);
    printf("other_values %llu\n", (unsigned long long)other_values);
    for (size_t i = 0; i < used; i++)
        printf("syscall %s %llu\n", slots[i].value, (unsigned long long)slots[i].count);
    return 0;
}
