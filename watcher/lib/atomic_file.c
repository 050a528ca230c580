/*
 * atomic_file: temporary file, fsync, rename, fsync of the directory (see atomic_file.h).
 */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int scw_atomic_open(struct scw_atomic_file *af, const char *path, mode_t mode)
{
    *af = (struct scw_atomic_file){0};
    if (asprintf(&af->tmp, "%s.tmpXXXXXX", path) < 0) {
        af->tmp = NULL;
        return -ENOMEM;
    }
    if (!(af->path = strdup(path))) {
        free(af->tmp);
        af->tmp = NULL;
        return -ENOMEM;
    }
    int fd = mkostemp(af->tmp, O_CLOEXEC);
    int rc = fd < 0 ? -errno : 0;
    if (rc == 0 && fchmod(fd, mode) < 0) /* mkostemp made it 0600 */
        rc = -errno;
    if (rc == 0 && !(af->f = fdopen(fd, "w")))
        rc = -errno;
    if (rc < 0) {
        if (fd >= 0) {
            close(fd);
            unlink(af->tmp);
        }
        free(af->tmp);
        free(af->path);
        *af = (struct scw_atomic_file){0};
    }
    return rc;
}

int scw_atomic_close(struct scw_atomic_file *af, int rc)
{
    if (!af->f)
        return rc;
    if (ferror(af->f))
        rc = rc ? rc : -EIO;
    if (fflush(af->f) != 0 || fsync(fileno(af->f)) != 0)
        rc = rc ? rc : -errno;
    if (fclose(af->f) != 0)
        rc = rc ? rc : -EIO;
    af->f = NULL;
    return rc;
}

static void fsync_dir(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

int scw_atomic_commit(struct scw_atomic_file *af)
{
    int rc = scw_atomic_close(af, 0);
    if (rc == 0 && rename(af->tmp, af->path) < 0)
        rc = -errno;
    if (rc == 0) {
        fsync_dir(af->path);
        free(af->tmp);
        af->tmp = NULL;
    }
    return rc;
}

void scw_atomic_abort(struct scw_atomic_file *af)
{
    if (af->f)
        fclose(af->f);
    if (af->tmp)
        unlink(af->tmp);
    free(af->tmp);
    free(af->path);
    *af = (struct scw_atomic_file){0};
}

int scw_atomic_write(const char *path, mode_t mode, const char *text, size_t len)
{
    struct scw_atomic_file af;
    int rc = scw_atomic_open(&af, path, mode);
    if (rc < 0)
        return rc;
    rc = scw_atomic_close(&af, fwrite(text, 1, len, af.f) != len ? -EIO : 0);
    if (rc < 0) {
        scw_atomic_abort(&af);
        return rc;
    }
    rc = scw_atomic_commit(&af);
    scw_atomic_abort(&af);
    return rc;
}
