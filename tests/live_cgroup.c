/*
 * live_cgroup: the kernel's own /proc/PID/cgroup for a process in a cgroup named like a Docker
 * container, through scw_cgroup_parse_proc() and scw_cgroup_classify(). A forked child is moved
 * into <v2 mount>/scwtest-<random>/docker/<id> (cgroupfs driver layout) and into
 * <v2 mount>/scwtest-<random>.slice/docker-<id>.scope (systemd driver layout); each must come
 * back as runtime docker with that id. Then the container "vanishes": the child is killed and
 * its cgroup removed while it is a zombie; the kernel marks the path " (deleted)" and the
 * attribution must still hold. Other tests run in parallel: ids and directories are random.
 * Exits 77 only when no cgroup v2 hierarchy is mounted or it is not writable (not root).
 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "cgroup_util.h"

static pid_t spawn_sleeper(void)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        for (;;)
            pause();
    }
    return pid;
}

static char *proc_cgroup(pid_t pid, size_t *ret_len)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
    char *text = scw_test_read_file(path, ret_len);
    assert_non_null(text);
    return text;
}

/* Wait (bounded) until pid is a zombie; true when it is. */
static bool wait_zombie(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    for (int i = 0; i < 500; i++) {
        char *st = scw_test_read_file(path, NULL);
        char *close_paren = st ? strrchr(st, ')') : NULL;
        bool zombie = close_paren && close_paren[1] == ' ' && close_paren[2] == 'Z';
        free(st);
        if (zombie)
            return true;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return false;
}

/* What a failed assertion leaves behind, cleaned by teardown(). */
static pid_t g_child;
static char g_rel[256];

static void remove_all(char *rel)
{
    for (char *slash;;) {
        scw_cgroup_util_remove(rel);
        if (!(slash = strrchr(rel, '/')))
            break;
        *slash = '\0';
    }
}

static int teardown(void **state)
{
    (void)state;
    if (g_child > 0) {
        kill(g_child, SIGKILL);
        waitpid(g_child, NULL, 0);
        g_child = 0;
    }
    if (g_rel[0])
        remove_all(g_rel);
    g_rel[0] = '\0';
    return 0;
}

/* Move a child into cgroup <pre><random id><post>, check the attribution, then make the
 * container vanish and check again. */
static void check_layout(const char *pre, const char *post)
{
    char id[65];
    scw_cgroup_util_random_id(id);
    char *full = scw_test_asprintf("%s%s%s", pre, id, post);
    snprintf(g_rel, sizeof(g_rel), "%s", full);
    pid_t child = g_child = spawn_sleeper();
    if (scw_cgroup_util_join(full, child) < 0)
        fail_msg("cannot move pid %d into cgroup '%s': %s", (int)child, full, strerror(errno));

    size_t len;
    char *text = proc_cgroup(child, &len);
    char path[SCW_CGROUP_PATH_MAX + 1];
    assert_int_equal(scw_cgroup_parse_proc(text, len, path, sizeof(path)), 0);
    char *expect = scw_test_asprintf("/%s", full);
    assert_string_equal(path, expect);
    struct scw_cgroup_info info;
    assert_int_equal(scw_cgroup_classify(path, &info), 0);
    assert_int_equal(info.runtime, SCW_RUNTIME_DOCKER);
    assert_string_equal(info.id, id);
    assert_false(info.monitor);
    char key[SCW_CGROUP_KEY_SIZE];
    assert_int_equal(scw_cgroup_workload_key(&info, path, key, sizeof(key)), 0);
    char *expect_key = scw_test_asprintf("docker:%s", id);
    assert_string_equal(key, expect_key);
    free(text);

    /* the container vanishes while its process is a zombie not yet reaped */
    assert_int_equal(kill(child, SIGKILL), 0);
    assert_true(wait_zombie(child));
    assert_int_equal(scw_cgroup_util_remove(full), 0);
    text = proc_cgroup(child, &len);
    char *deleted = scw_test_asprintf("0::%s (deleted)\n", expect);
    if (!strstr(text, deleted))
        print_error("kernel's /proc/%d/cgroup after rmdir:\n%s", (int)child, text);
    assert_non_null(strstr(text, deleted));
    assert_int_equal(scw_cgroup_parse_proc(text, len, path, sizeof(path)), 0);
    assert_string_equal(path, expect);
    assert_int_equal(scw_cgroup_classify(path, &info), 0);
    assert_int_equal(info.runtime, SCW_RUNTIME_DOCKER);
    assert_string_equal(info.id, id);
    assert_int_equal(waitpid(child, NULL, 0), child);
    g_child = 0;

    /* remove the parents (inner first) */
    char *slash;
    while ((slash = strrchr(full, '/'))) {
        *slash = '\0';
        assert_int_equal(scw_cgroup_util_remove(full), 0);
    }
    g_rel[0] = '\0';
    free(deleted);
    free(text);
    free(expect_key);
    free(expect);
    free(full);
}

static char top[64];

static void test_cgroupfs_layout(void **state)
{
    (void)state;
    char pre[128];
    snprintf(pre, sizeof(pre), "%s/docker/", top);
    check_layout(pre, "");
}

static void test_systemd_layout(void **state)
{
    (void)state;
    char pre[128];
    snprintf(pre, sizeof(pre), "%s.slice/docker-", top);
    check_layout(pre, ".scope");
}

int main(void)
{
    const char *mnt = scw_cgroup_util_mount();
    if (!mnt) {
        fprintf(stderr, "SKIP: no cgroup2 hierarchy in /proc/self/mountinfo\n");
        return 77;
    }
    char id[65];
    scw_cgroup_util_random_id(id);
    snprintf(top, sizeof(top), "scwtest-%.12s", id);
    char *probe = scw_test_asprintf("%s/%s.probe", mnt, top);
    if (mkdir(probe, 0755) < 0) {
        int e = errno;
        free(probe);
        if (e == EACCES || e == EPERM || e == EROFS) {
            fprintf(stderr, "SKIP: cgroup2 mount %s is not writable (%s); run as root\n", mnt,
                    strerror(e));
            return 77;
        }
        fprintf(stderr, "cannot create a cgroup under %s: %s\n", mnt, strerror(e));
        return 1;
    }
    rmdir(probe);
    free(probe);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_cgroupfs_layout, teardown),
        cmocka_unit_test_teardown(test_systemd_layout, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
