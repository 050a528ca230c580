/*
 * cgroup_util: see cgroup_util.h.
 */
#include "cgroup_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *scw_cgroup_util_mount(void)
{
    static char mount[512];
    if (mount[0])
        return mount;
    FILE *f = fopen("/proc/self/mountinfo", "re");
    if (!f)
        return NULL;
    char line[4096];
    while (fgets(line, sizeof(line), f)) {
        /* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS ... - FSTYPE SOURCE SUPEROPTS */
        char *dash = strstr(line, " - ");
        if (!dash || strncmp(dash + 3, "cgroup2 ", 8) != 0)
            continue;
        char *p = line;
        for (int field = 0; field < 4 && p; field++) {
            p = strchr(p, ' ');
            if (p)
                p++;
        }
        if (!p)
            continue;
        char *end = strchr(p, ' ');
        if (!end || (size_t)(end - p) >= sizeof(mount))
            continue;
        memcpy(mount, p, (size_t)(end - p));
        mount[end - p] = '\0';
        break;
    }
    fclose(f);
    return mount[0] ? mount : NULL;
}

static int mkdir_p(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int rc = mkdir(path, 0755);
        *p = '/';
        if (rc < 0 && errno != EEXIST)
            return -1;
    }
    return mkdir(path, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

int scw_cgroup_util_join(const char *rel, pid_t pid)
{
    const char *m = scw_cgroup_util_mount();
    if (!m) {
        errno = ENOENT;
        return -1;
    }
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", m, rel);
    if (mkdir_p(path) < 0)
        return -1;
    strncat(path, "/cgroup.procs", sizeof(path) - strlen(path) - 1);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%d\n", (int)pid);
    int rc = write(fd, buf, (size_t)n) == n ? 0 : -1;
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

int scw_cgroup_util_remove(const char *rel)
{
    const char *m = scw_cgroup_util_mount();
    if (!m)
        return -1;
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", m, rel);
    for (int i = 0; i < 100; i++) {
        if (rmdir(path) == 0 || errno == ENOENT)
            return 0;
        if (errno != EBUSY)
            return -1;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return -1;
}

void scw_cgroup_util_random_id(char out[65])
{
    unsigned char b[32];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || read(fd, b, sizeof(b)) != (ssize_t)sizeof(b)) {
        for (size_t i = 0; i < sizeof(b); i++)
            b[i] = (unsigned char)(rand() ^ getpid());
    }
    if (fd >= 0)
        close(fd);
    for (size_t i = 0; i < sizeof(b); i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}
