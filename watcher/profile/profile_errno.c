/*
 * profile_errno: errno names, for the "defaultErrno"/"errno" fields Podman's profile files carry
 * next to "defaultErrnoRet"/"errnoRet" (containers/common reads "EPERM", "ENOSYS"... or a
 * decimal number, and prefers them to the numbers) and for messages that say which errno a
 * process will see ("errno 1 (EPERM)"). The names are containers/common's list (82 names,
 * pkg/seccomp/errno_list.go, unchanged from v0.50.1 to 2025); the values are this machine's
 * <errno.h>, as Podman's are its build machine's.
 *
 * It decides nothing about a profile (profile_check.c does). Called by profile_check.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "profile_impl.h"

/* clang-format off */
#define E(name) {#name, name}
/* clang-format on */
static const struct {
    const char *name;
    unsigned value;
} errnos[] = {
    E(EPERM),           E(ENOENT),          E(ESRCH),           E(EIO),
    E(ENXIO),           E(E2BIG),           E(ENOEXEC),         E(EBADF),
    E(ECHILD),          E(EDEADLK),         E(ENOMEM),          E(EACCES),
    E(EFAULT),          E(ENOTBLK),         E(EBUSY),           E(EEXIST),
    E(EXDEV),           E(ENODEV),          E(ENOTDIR),         E(EISDIR),
    E(EINVAL),          E(ENFILE),          E(EMFILE),          E(ENOTTY),
    E(ETXTBSY),         E(EFBIG),           E(ENOSPC),          E(ESPIPE),
    E(EROFS),           E(EMLINK),          E(EPIPE),           E(EDOM),
    E(ERANGE),          E(EAGAIN),          E(EINPROGRESS),     E(EALREADY),
    E(ENOTSOCK),        E(EDESTADDRREQ),    E(EMSGSIZE),        E(EPROTOTYPE),
    E(ENOPROTOOPT),     E(EPROTONOSUPPORT), E(ESOCKTNOSUPPORT), E(EOPNOTSUPP),
    E(EPFNOSUPPORT),    E(EAFNOSUPPORT),    E(EADDRINUSE),      E(EADDRNOTAVAIL),
    E(ENETDOWN),        E(ENETUNREACH),     E(ENETRESET),       E(ECONNABORTED),
    E(ECONNRESET),      E(ENOBUFS),         E(EISCONN),         E(ENOTCONN),
    E(ESHUTDOWN),       E(ETOOMANYREFS),    E(ETIMEDOUT),       E(ECONNREFUSED),
    E(ELOOP),           E(ENAMETOOLONG),    E(EHOSTDOWN),       E(EHOSTUNREACH),
    E(ENOTEMPTY),       E(EUSERS),          E(EDQUOT),          E(ESTALE),
    E(EREMOTE),         E(ENOLCK),          E(ENOSYS),          E(EILSEQ),
    E(ENOMEDIUM),       E(EMEDIUMTYPE),     E(EOVERFLOW),       E(ECANCELED),
    E(EIDRM),           E(ENOMSG),          E(ENOTSUP),         E(EBADMSG),
    E(ENOTRECOVERABLE), E(EOWNERDEAD),
};
#undef E
#define N_ERRNOS (sizeof(errnos) / sizeof(errnos[0]))

bool profile_errno_parse(const char *s, unsigned *ret)
{
    for (size_t i = 0; i < N_ERRNOS; i++)
        if (strcmp(errnos[i].name, s) == 0) {
            *ret = errnos[i].value;
            return true;
        }
    /* as Go's strconv.ParseUint(s, 10, 32): digits only, no sign, at most 4294967295 */
    if (!s[0] || strspn(s, "0123456789") != strlen(s))
        return false;
    unsigned long long v = 0;
    for (const char *c = s; *c; c++) {
        v = v * 10 + (unsigned)(*c - '0');
        if (v > 0xffffffffull)
            return false;
    }
    *ret = (unsigned)v;
    return true;
}

const char *profile_errno_name(unsigned value)
{
    if (value == 0)
        return "no error";
    for (size_t i = 0; i < N_ERRNOS; i++)
        if (errnos[i].value == value)
            return errnos[i].name; /* the first: EAGAIN before EWOULDBLOCK, ENOTSUP... */
    return "no errno name";
}
