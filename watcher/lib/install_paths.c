/*
 * install_paths: the binary's installed files from its own location (see install_paths.h).
 * The build passes SCW_RULES_DIR (configured prefix), SCW_BUILD_DIR and SCW_SOURCE_RULES_DIR
 * (the tree it was built in), SCW_INSTALL_BINDIR and SCW_INSTALL_DATADIR (relative to the
 * prefix). No other knowledge of the layout lives anywhere else. Called by the rules loader.
 */
#include "install_paths.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SCW_RULES_DIR
#define SCW_RULES_DIR "/usr/local/share/scmpwatch/rules"
#endif
#ifndef SCW_INSTALL_BINDIR
#define SCW_INSTALL_BINDIR "bin"
#endif
#ifndef SCW_INSTALL_DATADIR
#define SCW_INSTALL_DATADIR "share"
#endif

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Is path inside dir (dir itself or below it)? Both absolute and without "." or "..". */
static bool inside(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    return n > 0 && strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

const char *scw_install_rules_dir(const char *exe, char *buf, size_t size)
{
    char self[PATH_MAX];
    if (!exe) {
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        self[n > 0 ? n : 0] = '\0';
        exe = self;
    }
#if defined(SCW_BUILD_DIR) && defined(SCW_SOURCE_RULES_DIR)
    if (exe[0] == '/' && inside(exe, SCW_BUILD_DIR) && is_dir(SCW_SOURCE_RULES_DIR)) {
        snprintf(buf, size, "%s", SCW_SOURCE_RULES_DIR);
        return buf;
    }
#endif
    /* PREFIX/BINDIR/scmpwatch -> PREFIX/DATADIR/scmpwatch/rules */
    const char *slash = strrchr(exe, '/');
    size_t dir_len = slash ? (size_t)(slash - exe) : 0;
    size_t bl = strlen(SCW_INSTALL_BINDIR);
    if (exe[0] == '/' && dir_len > bl && exe[dir_len - bl - 1] == '/' &&
        strncmp(exe + dir_len - bl, SCW_INSTALL_BINDIR, bl) == 0) {
        size_t prefix_len = dir_len - bl - 1;
        int n = snprintf(buf, size, "%.*s/%s/scmpwatch/rules", (int)prefix_len, exe,
                         SCW_INSTALL_DATADIR);
        if (n > 0 && (size_t)n < size && is_dir(buf))
            return buf;
    }
    snprintf(buf, size, "%s", SCW_RULES_DIR);
    return buf;
}
