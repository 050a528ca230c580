/*
 * readall: the rest of a file descriptor into memory, within a bound. For the inputs read
 * whole (runtime state files, scanner reports, a state file given as a pipe).
 */
#ifndef SCW_READALL_H
#define SCW_READALL_H

#include <stddef.h>

/*
 * Read fd to its end into a malloc'd buffer with one spare byte after the data (for a NUL).
 * hint: the expected size (st_size), 0 if unknown. Returns 0, -EFBIG when there are more than
 * max bytes, -ENOMEM or -errno; the fd is left open.
 */
int scw_read_all(int fd, size_t hint, size_t max, char **ret, size_t *ret_len);

#endif
