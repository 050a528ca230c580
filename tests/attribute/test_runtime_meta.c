/*
 * test_runtime_meta: container metadata from runtime state trees built by the test in a temp
 * dir (Docker config.v2.json + containerd bundle, Docker via runtime-runc state.json,
 * containerd/Kubernetes annotations, CRI-O, Podman root and rootless, plain runc), broken state
 * (half-written, missing, oversized, not a file, dangling bundle), the parsers from memory, and
 * the cache's read-once / retry / give-up / flush behaviour.
 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "runtime_meta.h"

#include "meta_fixture.h"

static void test_docker(void **state)
{
    struct fixture *f = *state;
    free(put(f, "docker-data/containers/" ID1 "/config.v2.json",
             "{\"ID\":\"" ID1 "\",\"Name\":\"/web\",\"Config\":{\"Image\":\"nginx:1.25\","
             "\"Labels\":{\"com.docker.compose.service\":\"web\"}},\"State\":{\"Running\":true}}"));
    char *bundle = put(
        f, "docker-exec/containerd/daemon/io.containerd.runtime.v2.task/moby/" ID1 "/config.json",
        "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"nginx\"]}," SECCOMP_LOG "}");
    struct scw_meta_stats st = {0};
    int flags;
    struct scw_container *c = read_meta(f, "/docker/" ID1, &flags, &st);
    assert_int_equal(flags, SCW_META_FOUND | SCW_META_COMPLETE);
    assert_string_equal(c->runtime, "docker");
    assert_string_equal(c->id, ID1);
    assert_string_equal(c->name, "web");
    assert_string_equal(c->image, "nginx:1.25");
    assert_string_equal(c->cgroup, "/docker/" ID1);
    assert_string_equal(c->profile, bundle);
    assert_null(c->pod);
    assert_null(c->namespace);
    assert_int_equal(st.reads, 2);
    assert_int_equal(st.missing + st.bad + st.unreadable + st.too_big, 0);
    scw_container_free(c);
    free(bundle);
}

static void test_docker_via_runc_state(void **state)
{
    struct fixture *f = *state;
    free(put(f, "docker-data/containers/" ID2 "/config.v2.json",
             "{\"Name\":\"/k8s_app_mypod_prod_x_0\",\"Config\":{\"Image\":\"registry/app:2\","
             "\"Labels\":{\"io.kubernetes.pod.name\":\"mypod\",\"io.kubernetes.pod.namespace\":"
             "\"prod\",\"io.kubernetes.container.name\":\"app\"}}}"));
    char *state_text = scw_test_asprintf(
        "{\"id\":\"" ID2 "\",\"init_process_pid\":4242,\"config\":{\"rootfs\":\"/x\","
        "\"labels\":[\"bundle=%s/bundles/" ID2 "\",\"other=1\"]}}",
        f->dir);
    free(put(f, "docker-exec/runtime-runc/moby/" ID2 "/state.json", state_text));
    free(state_text);
    free(put(f, "bundles/" ID2 "/config.json", "{\"ociVersion\":\"1.0.2\",\"linux\":{}}"));
    struct scw_meta_stats st = {0};
    int flags;
    struct scw_container *c = read_meta(f, "/system.slice/docker-" ID2 ".scope", &flags, &st);
    assert_int_equal(flags, SCW_META_FOUND | SCW_META_COMPLETE | SCW_META_UNCONFINED);
    assert_string_equal(c->name, "k8s_app_mypod_prod_x_0");
    assert_string_equal(c->image, "registry/app:2");
    assert_string_equal(c->pod, "mypod");
    assert_string_equal(c->namespace, "prod");
    assert_string_equal(c->k8s_container, "app");
    assert_null(c->profile); /* runs unconfined */
    assert_int_equal(st.reads, 3);
    scw_container_free(c);
}

static void test_containerd_k8s(void **state)
{
    struct fixture *f = *state;
    mkdir_in(f, "containerd/io.containerd.runtime.v2.task/default/x");
    char *bundle =
        put(f, "containerd/io.containerd.runtime.v2.task/k8s.io/" ID3 "/config.json",
            "{\"ociVersion\":\"1.1.0\",\"annotations\":{"
            "\"io.kubernetes.cri.container-type\":\"container\","
            "\"io.kubernetes.cri.sandbox-name\":\"api-7d9f\","
            "\"io.kubernetes.cri.sandbox-namespace\":\"payments\","
            "\"io.kubernetes.cri.sandbox-uid\":\"0d7d3b1c-4f2e-4a57-9f55-6f1f1b5b9a10\","
            "\"io.kubernetes.cri.container-name\":\"api\","
            "\"io.kubernetes.cri.image-name\":\"ghcr.io/acme/api:1.4\"}," SECCOMP_LOG "}");
    struct scw_meta_stats st = {0};
    int flags;
    struct scw_container *c =
        read_meta(f,
                  "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
                  "0d7d3b1c_4f2e_4a57_9f55_6f1f1b5b9a10.slice/cri-containerd-" ID3 ".scope",
                  &flags, &st);
    assert_int_equal(flags, SCW_META_FOUND | SCW_META_COMPLETE);
    assert_string_equal(c->runtime, "containerd");
    assert_string_equal(c->pod, "api-7d9f");
    assert_string_equal(c->namespace, "payments");
    assert_string_equal(c->k8s_container, "api");
    assert_string_equal(c->name, "api");
    assert_string_equal(c->image, "ghcr.io/acme/api:1.4");
    assert_string_equal(c->profile, bundle);
    assert_int_equal(st.reads, 1);
    scw_container_free(c);
    free(bundle);
}

static void test_crio(void **state)
{
    struct fixture *f = *state;
    char *bundle =
        put(f, "storage-run/overlay-containers/" ID4 "/userdata/config.json",
            "{\"ociVersion\":\"1.0.2-dev\",\"annotations\":{"
            "\"io.kubernetes.pod.name\":\"web-0\",\"io.kubernetes.pod.namespace\":\"shop\","
            "\"io.kubernetes.container.name\":\"nginx\","
            "\"io.kubernetes.cri-o.ImageName\":\"docker.io/library/nginx:latest\","
            "\"io.kubernetes.cri-o.Name\":\"k8s_nginx_web-0_shop_u_0\"}," SECCOMP_LOG "}");
    struct scw_meta_stats st = {0};
    int flags;
    struct scw_container *c = read_meta(f, "/kubepods/besteffort/podabc/crio-" ID4, &flags, &st);
    assert_int_equal(flags, SCW_META_FOUND | SCW_META_COMPLETE);
    assert_string_equal(c->runtime, "cri-o");
    assert_string_equal(c->pod, "web-0");
    assert_string_equal(c->namespace, "shop");
    assert_string_equal(c->k8s_container, "nginx");
    assert_string_equal(c->name, "nginx");
    assert_string_equal(c->image, "docker.io/library/nginx:latest");
    assert_string_equal(c->profile, bundle);
    scw_container_free(c);
    free(bundle);

    /* the conmon next to it reads nothing */
    st = (struct scw_meta_stats){0};
    c = read_meta(f, "/kubepods/besteffort/podabc/crio-conmon-" ID4, &flags, &st);
    assert_int_equal(flags, SCW_META_COMPLETE);
    assert_string_equal(c->name, "conmon");
    assert_null(c->profile);
    assert_int_equal(st.reads + st.missing, 0);
    scw_container_free(c);
}

static void test_podman(void **state)
{
    struct fixture *f = *state;
    char *bundle = put(f, "storage-run/overlay-containers/" ID5 "/userdata/config.json",
                       "{\"ociVersion\":\"1.0.2-dev\",\"annotations\":{\"io.container.manager\":"
                       "\"libpod\"}," SECCOMP_LOG "}");
    free(put(f, "storage-graph/overlay-containers/containers.json",
             "[{\"id\":\"" ID4 "\",\"names\":[\"other\"]},"
             "{\"id\":\"" ID5 "\",\"names\":[\"db\"],\"image\":\"abcd\",\"metadata\":"
             "\"{\\\"image-name\\\":\\\"docker.io/library/postgres:16\\\",\\\"name\\\":"
             "\\\"db\\\"}\"}]"));
    struct scw_meta_stats st = {0};
    int flags;
    struct scw_container *c = read_meta(f, "/machine.slice/libpod-" ID5 ".scope", &flags, &st);
    assert_int_equal(flags, SCW_META_FOUND | SCW_META_COMPLETE);
    assert_string_equal(c->runtime, "podman");
    assert_string_equal(c->name, "db");
    assert_string_equal(c->image, "docker.io/library/postgres:16");
    assert_string_equal(c->profile, bundle);
    assert_int_equal(st.reads, 2);
    scw_container_free(c);
    free(bundle);

    /* rootless: under the user's runtime dir */
    bundle = put(f, "user/1000/containers/overlay-containers/" ID6 "/userdata/config.json",
                 "{\"ociVersion\":\"1.0.2-dev\"," SECCOMP_LOG "}");
    c = read_meta(f,
                  "/user.slice/user-1000.slice/user@1000.service/user.slice/podman-77.scope/" ID6,
                  &flags, NULL);
    assert_int_equal(flags, SCW_META_FOUND | SCW_META_COMPLETE);
    assert_string_equal(c->profile, bundle);
    assert_null(c->name);
    scw_container_free(c);
    free(bundle);
}

static void test_runc(void **state)
{
    struct fixture *f = *state;
    char *st_text = scw_test_asprintf(
        "{\"id\":\"mycontainer\",\"config\":{\"labels\":[\"bundle=%s/bundles/mycontainer\"]}}",
        f->dir);
    free(put(f, "runc/mycontainer/state.json", st_text));
    free(st_text);
    char *bundle = put(f, "bundles/mycontainer/config.json", "{" SECCOMP_LOG "}");
    struct scw_meta_stats st = {0};
    int flags;
    struct scw_container *c = read_meta(f, "/mycontainer", &flags, &st);
    assert_int_equal(flags, SCW_META_FOUND | SCW_META_COMPLETE);
    assert_string_equal(c->runtime, "runc");
    assert_string_equal(c->profile, bundle);
    scw_container_free(c);
    free(bundle);

    /* state.json naming a bundle that is gone: found, not complete, counted */
    free(put(f, "runc/gone/state.json",
             "{\"config\":{\"labels\":[\"bundle=/nonexistent/scw-test-bundle\"]}}"));
    st = (struct scw_meta_stats){0};
    c = read_meta(f, "/gone", &flags, &st);
    assert_int_equal(flags, SCW_META_FOUND);
    assert_null(c->profile);
    assert_int_equal(st.reads, 1);
    assert_int_equal(st.missing, 0);
    scw_container_free(c);
}

static void test_broken_state(void **state)
{
    struct fixture *f = *state;
    /* half-written config.v2.json, bundle not there yet */
    char *v2 = put(f, "docker-data/containers/" ID7 "/config.v2.json",
                   "{\"ID\":\"" ID7 "\",\"Name\":\"/half\",\"Config\":{\"Ima");
    struct scw_meta_stats st = {0};
    int flags;
    struct scw_container *c = read_meta(f, "/docker/" ID7, &flags, &st);
    assert_int_equal(flags, 0);
    assert_null(c->name);
    assert_int_equal(st.bad, 1);
    assert_int_equal(st.reads, 0);
    assert_int_equal(st.missing, 0);
    /* completed later: a new read fills the fields */
    const char *whole = "{\"Name\":\"/half\",\"Config\":{\"Image\":\"x:1\"}}";
    scw_test_write_file(v2, whole, strlen(whole));
    struct scw_cgroup_info info;
    assert_int_equal(scw_cgroup_classify("/docker/" ID7, &info), 0);
    flags = scw_meta_read(&f->roots, &info, c, &st);
    assert_int_equal(flags, SCW_META_FOUND); /* still no bundle: not complete */
    assert_string_equal(c->name, "half");
    assert_string_equal(c->image, "x:1");
    scw_container_free(c);
    free(v2);

    /* nothing at all: the container is gone (or never ours) */
    st = (struct scw_meta_stats){0};
    c = read_meta(f, "/docker/" ID8, &flags, &st);
    assert_int_equal(flags, 0);
    assert_int_equal(st.missing, 1);
    assert_string_equal(c->id, ID8); /* the cgroup attribution stays */
    assert_null(c->name);
    scw_container_free(c);

    /* oversized bundle config and a "file" that is a directory */
    char *big = put(f, "containerd/io.containerd.runtime.v2.task/k8s.io/" ID9 "/config.json", "");
    int fd = open(big, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)SCW_META_FILE_MAX + 1), 0);
    close(fd);
    st = (struct scw_meta_stats){0};
    c = read_meta(f, "/k8s.io/" ID9, &flags, &st);
    assert_int_equal(flags, 0);
    assert_int_equal(st.too_big, 1);
    scw_container_free(c);
    free(big);

    mkdir_in(f, "storage-run/overlay-containers/" ID8 "/userdata/config.json/x");
    st = (struct scw_meta_stats){0};
    c = read_meta(f, "/crio-" ID8, &flags, &st);
    assert_int_equal(flags, 0);
    assert_int_equal(st.unreadable, 1);
    scw_container_free(c);
}

static void test_fields_kept_and_no_io(void **state)
{
    struct fixture *f = *state;
    free(put(f, "docker-data/containers/" ID3 "/config.v2.json",
             "{\"Name\":\"/fromdisk\",\"Config\":{\"Image\":\"img\"}}"));
    struct scw_cgroup_info info;
    assert_int_equal(scw_cgroup_classify("/docker/" ID3, &info), 0);
    struct scw_container c = {.name = strdup("preset")};
    struct scw_meta_stats st = {0};
    assert_int_equal(scw_meta_read(&f->roots, &info, &c, &st), SCW_META_FOUND);
    assert_string_equal(c.name, "preset");
    assert_string_equal(c.image, "img");
    free(c.name);
    free(c.image);

    /* units, LXC, unknown: nothing to read, complete at once (nspawn: test_nspawn) */
    static const char *const paths[] = {"/system.slice/nginx.service", "/lxc.payload.web", "/x/y"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(scw_cgroup_classify(paths[i], &info), 0);
        struct scw_container z = {0};
        assert_int_equal(scw_meta_read(&f->roots, &info, &z, &st), SCW_META_COMPLETE);
        assert_null(z.name);
    }
    assert_int_equal(st.reads + st.missing, 1);

    /* every root off: nothing read, nothing counted as a file problem */
    struct scw_meta_roots none = {0};
    assert_int_equal(scw_cgroup_classify("/docker/" ID3, &info), 0);
    struct scw_container z = {0};
    st = (struct scw_meta_stats){0};
    assert_int_equal(scw_meta_read(&none, &info, &z, &st), 0);
    assert_int_equal(st.reads + st.bad + st.unreadable, 0);
}

static void test_parsers(void **state)
{
    (void)state;
    struct scw_container c = {0};
    const char *p = "{\"annotations\":{\"io.kubernetes.cri.sandbox-name\":\"a\\u0007b\","
                    "\"io.kubernetes.pod.name\":\"fallback\",\"nerdctl/name\":\"nn\"},"
                    "\"linux\":{\"seccomp\":{}}}";
    assert_int_equal(scw_meta_parse_oci(p, strlen(p), "/b/config.json", &c), 0);
    assert_string_equal(c.pod, "fallback"); /* the first had a control character: not a match */
    assert_string_equal(c.name, "nn");
    assert_string_equal(c.profile, "/b/config.json");
    free(c.pod);
    free(c.name);
    free(c.profile);

    c = (struct scw_container){0};
    p = "{\"linux\":{\"seccomp\":null},\"annotations\":[1,2]}";
    assert_int_equal(scw_meta_parse_oci(p, strlen(p), "/x", &c), 1); /* no profile */
    assert_null(c.profile);
    assert_int_equal(scw_meta_parse_oci("[]", 2, "/x", &c), -EBADMSG);
    assert_int_equal(scw_meta_parse_oci("{\"linux\":", 9, "/x", &c), -EBADMSG);
    assert_int_equal(scw_meta_parse_oci("{}", (size_t)SCW_META_FILE_MAX + 1, "/x", &c), -E2BIG);

    /* a value over SCW_META_STRING_MAX is ignored */
    size_t n = SCW_META_STRING_MAX + 1;
    char *longv = malloc(n + 64);
    int off = snprintf(longv, 64, "{\"Name\":\"/");
    memset(longv + off, 'n', n);
    snprintf(longv + off + n, 64, "\",\"Config\":{\"Image\":\"i\"}}");
    assert_int_equal(scw_meta_parse_docker(longv, strlen(longv), &c), 0);
    assert_null(c.name);
    assert_string_equal(c.image, "i");
    free(c.image);
    free(longv);
    c = (struct scw_container){0};
    assert_int_equal(scw_meta_parse_docker("{\"Config\":3}", 12, &c), -EBADMSG);
    assert_int_equal(scw_meta_parse_docker("{\"Name\":\"plain\"}", 16, &c), 0);
    assert_string_equal(c.name, "plain");
    free(c.name);
    c = (struct scw_container){0};

    p = "[{\"id\":\"a\",\"names\":[\"n\"],\"metadata\":\"not json\"},{\"id\":\"b\"}]";
    assert_int_equal(scw_meta_parse_storage(p, strlen(p), "a", &c), 0);
    assert_string_equal(c.name, "n");
    assert_null(c.image);
    free(c.name);
    c = (struct scw_container){0};
    assert_int_equal(scw_meta_parse_storage(p, strlen(p), "zz", &c), -ENOENT);
    assert_int_equal(scw_meta_parse_storage("{}", 2, "a", &c), -EBADMSG);

    char *bundle = NULL;
    p = "{\"config\":{\"labels\":[\"bundle=relative/dir\"]}}";
    assert_int_equal(scw_meta_parse_runc_state(p, strlen(p), &bundle), -EBADMSG);
    p = "{\"config\":{\"labels\":[]}}";
    assert_int_equal(scw_meta_parse_runc_state(p, strlen(p), &bundle), -ENOENT);
    p = "{\"config\":{\"labels\":[7,\"bundle=/run/b\"]}}";
    assert_int_equal(scw_meta_parse_runc_state(p, strlen(p), &bundle), 0);
    assert_string_equal(bundle, "/run/b");
    free(bundle);
}

static void test_cache(void **state)
{
    struct fixture *f = *state;
    free(put(f, "docker-data/containers/" ID1 "/config.v2.json",
             "{\"Name\":\"/web\",\"Config\":{\"Image\":\"nginx\"}}"));
    free(put(f,
             "docker-exec/containerd/daemon/io.containerd.runtime.v2.task/moby/" ID1 "/config.json",
             "{" SECCOMP_LOG "}"));
    struct scw_meta_cache *mc = scw_meta_cache_new(&f->roots, 0);
    assert_non_null(mc);
    const struct scw_meta_stats *st = scw_meta_cache_stats(mc);
    struct scw_cgroup_info info;
    struct scw_meta_result r;
    const char *path = "/docker/" ID1;
    assert_int_equal(scw_cgroup_classify(path, &info), 0);
    assert_int_equal(scw_meta_cache_get(mc, path, &info, 100, &r), 0);
    assert_true(r.changed);
    assert_string_equal(r.key, "docker:" ID1);
    assert_string_equal(r.container->name, "web");
    const struct scw_container *first = r.container;
    assert_int_equal(st->reads, 2);
    /* read once: later lookups, even much later, touch no file */
    assert_int_equal(scw_meta_cache_get(mc, path, &info, 100000, &r), 0);
    assert_false(r.changed);
    assert_ptr_equal(r.container, first);
    assert_int_equal(st->reads, 2);
    assert_int_equal(scw_meta_cache_size(mc), 1);

    /* negative entry: retried after SCW_META_RETRY_SEC, picks up the state once it exists */
    path = "/docker/" ID8;
    assert_int_equal(scw_cgroup_classify(path, &info), 0);
    assert_int_equal(scw_meta_cache_get(mc, path, &info, 100, &r), 0);
    assert_true(r.changed);
    assert_null(r.container->name);
    assert_int_equal(st->missing, 1);
    free(put(f, "docker-data/containers/" ID8 "/config.v2.json", "{\"Name\":\"/late\"}"));
    free(put(f,
             "docker-exec/containerd/daemon/io.containerd.runtime.v2.task/moby/" ID8 "/config.json",
             "{}"));
    assert_int_equal(scw_meta_cache_get(mc, path, &info, 100 + SCW_META_RETRY_SEC - 1, &r), 0);
    assert_false(r.changed);
    assert_null(r.container->name);
    assert_int_equal(scw_meta_cache_get(mc, path, &info, 100 + SCW_META_RETRY_SEC, &r), 0);
    assert_true(r.changed);
    assert_string_equal(r.container->name, "late");
    uint64_t reads = st->reads;
    assert_int_equal(scw_meta_cache_get(mc, path, &info, 1000000, &r), 0);
    assert_false(r.changed);
    assert_int_equal(st->reads, reads); /* complete: never read again */

    /* a container that never appears: SCW_META_TRIES reads with backoff, then no more */
    path = "/docker/" ID9;
    assert_int_equal(scw_cgroup_classify(path, &info), 0);
    uint64_t missing0 = st->missing;
    for (int64_t t = 0; t < 100000; t += 1)
        assert_int_equal(scw_meta_cache_get(mc, path, &info, t, &r), 0);
    assert_int_equal(st->missing - missing0, SCW_META_TRIES);
    assert_false(r.changed);

    /* units: no I/O, key by unit */
    path = "/system.slice/nginx.service";
    assert_int_equal(scw_cgroup_classify(path, &info), 0);
    reads = st->reads;
    assert_int_equal(scw_meta_cache_get(mc, path, &info, 5, &r), 0);
    assert_string_equal(r.key, "unit:nginx.service");
    assert_string_equal(r.container->runtime, "systemd");
    assert_int_equal(st->reads, reads);
    scw_meta_cache_free(mc);

    /* full cache: flushed and counted */
    mc = scw_meta_cache_new(&f->roots, 2);
    st = scw_meta_cache_stats(mc);
    static const char *const units[] = {"/a.service", "/b.service", "/c.service"};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(scw_cgroup_classify(units[i], &info), 0);
        assert_int_equal(scw_meta_cache_get(mc, units[i], &info, 0, &r), 0);
        assert_true(r.changed);
    }
    assert_int_equal(st->flushes, 1);
    assert_int_equal(scw_meta_cache_size(mc), 1);
    assert_string_equal(r.key, "unit:c.service");
    scw_meta_cache_free(mc);
    scw_meta_cache_free(NULL);
}

static void test_default_roots(void **state)
{
    (void)state;
    struct scw_meta_roots r;
    scw_meta_roots_default(&r);
    assert_string_equal(r.docker_data, "/var/lib/docker");
    assert_string_equal(r.docker_exec, "/run/docker");
    assert_string_equal(r.containerd_state, "/run/containerd");
    assert_string_equal(r.storage_run, "/run/containers/storage");
    assert_string_equal(r.storage_graph, "/var/lib/containers/storage");
    assert_string_equal(r.runc_root, "/run/runc");
    assert_string_equal(r.user_run, "/run/user");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_docker, setup, teardown),
        cmocka_unit_test_setup_teardown(test_docker_via_runc_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_containerd_k8s, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crio, setup, teardown),
        cmocka_unit_test_setup_teardown(test_podman, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_broken_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fields_kept_and_no_io, setup, teardown),
        cmocka_unit_test(test_parsers),
        cmocka_unit_test_setup_teardown(test_cache, setup, teardown),
        cmocka_unit_test(test_default_roots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
