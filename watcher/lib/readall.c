/*
 * readall: a whole file descriptor into memory, within a bound (see readall.h).
 */
#include "readall.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

int scw_read_all(int fd, size_t hint, size_t max, char **ret, size_t *ret_len)
{
    /* +1: the read that returns 0 (or notices a file that grew) needs room */
    size_t cap = (hint && hint <= max ? hint : 1 << 16) + 1, len = 0;
    char *buf = malloc(cap + 1);
    if (!buf)
        return -ENOMEM;
    for (;;) {
        if (len == cap) {
            if (cap > max) {
                free(buf);
                return -EFBIG;
            }
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                return -ENOMEM;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = -errno;
            free(buf);
            return e;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    if (len > max) {
        free(buf);
        return -EFBIG;
    }
    *ret = buf;
    *ret_len = len;
    return 0;
}
