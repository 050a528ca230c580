/*
 * install_paths: where the installed files of this binary are (the shipped rules, for now),
 * found from the binary's own location, so an install to any prefix (`cmake --install --prefix
 * DIR`, a .deb in /usr) finds its own files and a binary run from its build tree finds the
 * source tree's. See install_paths.c.
 */
#ifndef SCW_INSTALL_PATHS_H
#define SCW_INSTALL_PATHS_H

#include <stddef.h>

/*
 * The directory of the shipped rules into buf: a binary inside the build tree it was built in
 * uses the source tree's rules/; an installed binary uses PREFIX/DATADIR/scmpwatch/rules where
 * PREFIX is the binary's own directory minus the configured BINDIR ("bin"), when that folder
 * exists; otherwise the directory configured at build time. exe: the binary's path (NULL: read
 * /proc/self/exe). Returns buf.
 */
const char *scw_install_rules_dir(const char *exe, char *buf, size_t size);

#endif
