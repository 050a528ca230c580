/*
 * meta_fixture: the temp-dir runtime state trees of test_runtime_meta and
 * test_runtime_meta_layouts: one directory per root of struct scw_meta_roots, helpers to
 * write files into it, classify + read. Test code only (static functions).
 */
#ifndef SCW_TEST_META_FIXTURE_H
#define SCW_TEST_META_FIXTURE_H

#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "runtime_meta.h"

#define ID1 "1111111111111111111111111111111111111111111111111111111111111111"
#define ID2 "2222222222222222222222222222222222222222222222222222222222222222"
#define ID3 "3333333333333333333333333333333333333333333333333333333333333333"
#define ID4 "4444444444444444444444444444444444444444444444444444444444444444"
#define ID5 "5555555555555555555555555555555555555555555555555555555555555555"
#define ID6 "6666666666666666666666666666666666666666666666666666666666666666"
#define ID7 "7777777777777777777777777777777777777777777777777777777777777777"
#define ID8 "8888888888888888888888888888888888888888888888888888888888888888"
#define ID9 "9999999999999999999999999999999999999999999999999999999999999999"

#define SECCOMP_LOG                                                                                \
    "\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_LOG\",\"architectures\":"                \
    "[\"SCMP_ARCH_X86_64\"],\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}," \
    "\"namespaces\":[{\"type\":\"pid\"}]}"

#define N_ROOTS 12

struct fixture {
    char *dir;
    struct scw_meta_roots roots;
    char *roots_mem[N_ROOTS];
};

static inline void mkdir_p(const char *path)
{
    char *p = strdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        mkdir(p, 0755);
        *s = '/';
    }
    free(p);
}

/* Write text to DIR/rel, creating the directories on the way. */
static inline char *put(struct fixture *f, const char *rel, const char *text)
{
    char *path = scw_test_asprintf("%s/%s", f->dir, rel);
    mkdir_p(path);
    scw_test_write_file(path, text, strlen(text));
    return path;
}

/* mkdir -p of DIR/rel's parent directories. */
static inline void mkdir_in(struct fixture *f, const char *rel)
{
    char *path = scw_test_asprintf("%s/%s", f->dir, rel);
    mkdir_p(path);
    free(path);
}

static inline int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    f->dir = scw_test_mkdtemp();
    const char *names[N_ROOTS] = {"docker-data",     "docker-exec", "containerd", "storage-run",
                                  "storage-graph",   "runc",        "user",       "crun",
                                  "containerd-root", "cgroup",      "proc",       "passwd"};
    for (int i = 0; i < N_ROOTS; i++)
        f->roots_mem[i] = scw_test_asprintf("%s/%s", f->dir, names[i]);
    char **m = f->roots_mem;
    f->roots = (struct scw_meta_roots){m[0], m[1], m[2], m[3], m[4],  m[5],
                                       m[6], m[7], m[8], m[9], m[10], m[11]};
    *state = f;
    return 0;
}

static inline int teardown(void **state)
{
    struct fixture *f = *state;
    scw_test_rmtree(f->dir);
    free(f->dir);
    for (int i = 0; i < N_ROOTS; i++)
        free(f->roots_mem[i]);
    free(f);
    return 0;
}

/* Classify path, build the container and read its metadata. */
static inline struct scw_container *read_meta(struct fixture *f, const char *cgroup, int *ret_flags,
                                              struct scw_meta_stats *stats)
{
    struct scw_cgroup_info info;
    assert_int_equal(scw_cgroup_classify(cgroup, &info), 0);
    struct scw_container *c = NULL;
    assert_int_equal(scw_cgroup_container_new(&info, cgroup, &c), 0);
    *ret_flags = scw_meta_read(&f->roots, &info, c, stats);
    return c;
}

#endif
