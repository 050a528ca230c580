/*
 * host_kernel: the kernel version cve_blocks' kernel_below is checked against. Distribution
 * release names hide the upstream version: Debian's uname -r "6.1.0-18-amd64" names the ABI
 * while uname -v says "... Debian 6.1.76-1 (2024-02-01)"; Ubuntu's /proc/version_signature
 * "Ubuntu 5.15.0-91.101-generic 5.15.131" ends with it. Elsewhere uname -r is the version.
 */
#ifndef SCW_HOST_KERNEL_H
#define SCW_HOST_KERNEL_H

#include <stddef.h>

/*
 * The upstream version from uname's release and version strings and the contents of
 * /proc/version_signature (signature NULL when absent), into buf (truncated to size).
 * Returns where it came from: "Debian (uname -v)", "Ubuntu (/proc/version_signature)" or
 * "uname -r". Pure.
 */
const char *scw_host_kernel_from(const char *release, const char *version, const char *signature,
                                 char *buf, size_t size);

/* The same for this host; buf is "" when uname fails. */
const char *scw_host_kernel(char *buf, size_t size);

#endif
