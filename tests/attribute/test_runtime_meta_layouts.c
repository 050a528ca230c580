/*
 * test_runtime_meta_layouts: the state layouts of the runtimes seen on a Debian 12 host with
 * hybrid cgroups and no systemd as PID 1 (build/h-rt-NOTES.md): CRI-O's own annotations (a
 * config.json shaped like public crictl data), Podman's graph root with any storage driver and
 * its BoltDB labels, rootless Podman through the passwd file (by uid and by pam_cgfs' user
 * name), crun's status, containerd namespaces with meta.db, nspawn's supervisor command line;
 * and the bad inputs: an unknown format version, an unreadable graph root, a vanished home.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "bolt_writer.h"
#include "meta_fixture.h"

/* Write a BoltDB image to DIR/rel. */
static void put_db(struct fixture *f, const char *rel, struct bw_db *db)
{
    char *path = scw_test_asprintf("%s/%s", f->dir, rel);
    mkdir_p(path);
    scw_test_write_file(path, db->p, db->pages * BW_PAGE);
    free(path);
    free(db->p);
}

/* Resolve as the watcher does, then read. */
static struct scw_container *resolve_read(struct fixture *f, const char *cgroup, char *ret_key,
                                          int *ret_flags, struct scw_meta_stats *stats)
{
    struct scw_cgroup_info info;
    assert_int_equal(scw_cgroup_classify(cgroup, &info), 0);
    assert_int_equal(scw_meta_resolve(&f->roots, cgroup, &info, stats), 0);
    assert_int_equal(scw_cgroup_workload_key(&info, cgroup, ret_key, SCW_CGROUP_KEY_SIZE), 0);
    struct scw_container *c = NULL;
    assert_int_equal(scw_cgroup_container_new(&info, cgroup, &c), 0);
    *ret_flags = scw_meta_read(&f->roots, &info, c, stats);
    return c;
}

static void assert_labels(const struct scw_container *c, const char *const *want)
{
    size_t n = 0;
    for (; want[n]; n++) {
        assert_non_null(c->labels);
        assert_non_null(c->labels[n]);
        assert_string_equal(c->labels[n], want[n]);
    }
    if (n)
        assert_null(c->labels[n]);
    else
        assert_null(c->labels);
}

/* CRI-O without kubelet annotations: only its own io.kubernetes.cri-o.* (crictl, or any
 * CRI-O whose kubelet labels went to io.kubernetes.cri-o.Labels) */
static void test_crio_own_annotations(void **state)
{
    struct fixture *f = *state;
    size_t len;
    char *cfg =
        scw_test_read_file(SCW_SOURCE_DIR "/tests/attribute/crio-container-config.json", &len);
    const char *id = "4b6e2d9f1a3c5e7b9d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b";
    char *rel = scw_test_asprintf("storage-run/overlay-containers/%s/userdata/config.json", id);
    char *bundle = put(f, rel, cfg);
    char *cg = scw_test_asprintf("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-"
                                 "pod6f1e2d3c_4b5a_4968_8776_5a4b3c2d1e0f.slice/crio-%s.scope",
                                 id);
    struct scw_meta_stats st = {0};
    int flags;
    struct scw_container *c = read_meta(f, cg, &flags, &st);
    assert_int_equal(flags, SCW_META_FOUND | SCW_META_COMPLETE);
    assert_string_equal(c->k8s_container, "api");
    assert_string_equal(c->name, "api");
    assert_string_equal(c->pod, "checkout-7c9f");
    assert_string_equal(c->namespace, "shop");
    assert_string_equal(c->pod_uid, "6f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f");
    assert_string_equal(c->image, "registry.example/shop/api:2.3");
    assert_string_equal(c->profile, bundle);
    assert_labels(c, (const char *const[]){"app=checkout", "tier=backend", NULL});
    scw_container_free(c);
    free(bundle);
    free(rel);
    free(cg);
    free(cfg);

    /* the pod's sandbox: Metadata names the pod (older CRI-O capitalised its keys); the
     * kubelet's labels inside io.kubernetes.cri-o.Labels */
    struct scw_container z = {0};
    const char *sb =
        "{\"ociVersion\":\"1.0.2-dev\",\"annotations\":{"
        "\"io.kubernetes.cri-o.ContainerType\":\"sandbox\","
        "\"io.kubernetes.cri-o.Metadata\":\"{\\\"Name\\\":\\\"segv\\\",\\\"UID\\\":"
        "\\\"aaaa\\\",\\\"Namespace\\\":\\\"default\\\",\\\"Attempt\\\":0}\","
        "\"io.kubernetes.cri-o.Labels\":\"{\\\"io.kubernetes.container.name\\\":\\\"POD\\\","
        "\\\"run\\\":\\\"segv\\\"}\","
        "\"io.kubernetes.cri-o.Name\":\"k8s_segv_default_aaaa_0\","
        "\"io.kubernetes.cri-o.Image\":\"registry.k8s.io/pause:3.9\"}}";
    assert_int_equal(scw_meta_parse_oci(sb, strlen(sb), "/c.json", &z), 1);
    assert_string_equal(z.pod, "segv");
    assert_string_equal(z.namespace, "default");
    assert_string_equal(z.k8s_container, "POD");
    assert_string_equal(z.image, "registry.k8s.io/pause:3.9");
    free(z.pod);
    free(z.namespace);
    free(z.k8s_container);
    free(z.name);
    free(z.image);
    scw_container_labels_free(z.labels);

    /* names that do not split as k8s_..._N are left alone; kubelet annotations win */
    z = (struct scw_container){0};
    const char *odd = "{\"annotations\":{\"io.kubernetes.pod.name\":\"kubelet-pod\","
                      "\"io.kubernetes.cri-o.SandboxName\":\"k8s_a_b_c_d_e_f_g\","
                      "\"io.kubernetes.cri-o.Name\":\"k8s_c_p_n_u_0\","
                      "\"io.kubernetes.cri-o.Labels\":\"[1]\"}}";
    assert_int_equal(scw_meta_parse_oci(odd, strlen(odd), NULL, &z), 1);
    assert_string_equal(z.pod, "kubelet-pod");
    assert_string_equal(z.namespace, "n");
    assert_string_equal(z.k8s_container, "c");
    assert_null(z.labels);
    free(z.pod);
    free(z.namespace);
    free(z.k8s_container);
    free(z.name);
}

/* Podman as seen here: config.json only under the GRAPH root, driver "vfs" (not overlay),
 * names in containers.json, labels in libpod's BoltDB. */
static void test_podman_graph_root(void **state)
{
    struct fixture *f = *state;
    char *bundle = put(f, "storage-graph/vfs-containers/" ID5 "/userdata/config.json",
                       "{\"ociVersion\":\"1.0.2-dev\",\"annotations\":{\"io.container.manager\":"
                       "\"libpod\",\"io.podman.annotations.init\":\"FALSE\"}," SECCOMP_LOG "}");
    free(put(f, "storage-run/vfs-containers/" ID5 "/userdata/pidfile", "4242"));
    free(put(f, "storage-graph/vfs-containers/containers.json",
             "[{\"id\":\"" ID5 "\",\"names\":[\"scwobs1\"],\"metadata\":\"{\\\"image-name\\\":"
             "\\\"localhost/scwbusybox:1\\\",\\\"name\\\":\\\"scwobs1\\\"}\"}]"));
    /* bolt_state.db: ctr (its own page, a branch over two leaves) / <id> / config */
    const char *cfg5 = "{\"spec\":{},\"id\":\"" ID5 "\",\"name\":\"scwobs1\","
                       "\"labels\":{\"team\":\"pay\",\"tier\":\"web\",\"bad\":\"a\\u0007\"}}";
    struct bw_elem cfg_el = {0, "config", cfg5, 6, strlen(cfg5)};
    struct bw_buf in5 = bw_inline(bw_leaf(&cfg_el, 1));
    struct bw_elem cfg4 = {0, "config", "{}", 6, 2};
    struct bw_buf in4 = bw_inline(bw_leaf(&cfg4, 1));
    struct bw_db db = {0};
    struct bw_elem leaf4 = {1, ID4, in4.p, 64, in4.n};
    struct bw_elem leaf5 = {1, ID5, in5.p, 64, in5.n};
    bw_page(&db, 4, bw_leaf(&leaf4, 1));
    bw_page(&db, 5, bw_leaf(&leaf5, 1));
    bw_page(&db, 3, bw_branch((const char *const[]){ID4, ID5}, (const uint64_t[]){4, 5}, 2));
    struct bw_buf ctr = bw_rooted(3);
    struct bw_elem top[] = {{1, "ctr", ctr.p, 3, ctr.n}};
    bw_page(&db, 2, bw_leaf(top, 1));
    bw_meta(&db, 2, 0);
    put_db(f, "storage-graph/libpod/bolt_state.db", &db);
    free(in4.p);
    free(in5.p);
    free(ctr.p);

    struct scw_meta_stats st = {0};
    int flags;
    struct scw_container *c = read_meta(f, "/libpod_parent/libpod-" ID5, &flags, &st);
    assert_int_equal(flags, SCW_META_FOUND | SCW_META_COMPLETE);
    assert_string_equal(c->name, "scwobs1");
    assert_string_equal(c->image, "localhost/scwbusybox:1");
    assert_string_equal(c->profile, bundle);
    /* Podman's own annotations are no labels; a label with a control character is dropped */
    assert_labels(c, (const char *const[]){"team=pay", "tier=web", NULL});
    assert_int_equal(st.reads, 3);
    assert_int_equal(st.missing + st.bad + st.unreadable, 0);
    scw_container_free(c);
    free(bundle);

    /* a graph root that cannot be listed: counted; the cgroup attribution stays */
    struct scw_meta_roots keep = f->roots;
    char *loop = scw_test_asprintf("%s/loop", f->dir);
    assert_int_equal(symlink(loop, loop), 0);
    f->roots.storage_graph = loop;
    f->roots.storage_run = NULL;
    st = (struct scw_meta_stats){0};
    char key[SCW_CGROUP_KEY_SIZE];
    c = resolve_read(f, "/libpod_parent/libpod-" ID5, key, &flags, &st);
    assert_int_equal(flags, 0);
    assert_string_equal(key, "podman:" ID5);
    assert_string_equal(c->id, ID5);
    assert_true(st.unreadable >= 1);
    scw_container_free(c);
    f->roots = keep;
    f->roots.storage_graph = f->roots_mem[4];
    f->roots.storage_run = f->roots_mem[3];
    free(loop);
}

/* Rootless Podman: the user's graph root from the passwd file, by uid (systemd's
 * user@UID.service) or by name (pam_cgfs' /user/NAME/N); a vanished home is counted. */
static void test_podman_rootless(void **state)
{
    struct fixture *f = *state;
    char *home = scw_test_asprintf("%s/home/scwrl", f->dir);
    char *pw = scw_test_asprintf("root:x:0:0:root:/root:/bin/bash\n"
                                 "# comment\n"
                                 "broken line\n"
                                 "scwrl:x:1001:1001::%s:/bin/bash\n"
                                 "gone:x:1002:1002::%s/home/gone:/bin/sh\n",
                                 home, f->dir);
    free(put(f, "passwd", pw));
    free(pw);
    char *bundle = put(
        f, "home/scwrl/.local/share/containers/storage/vfs-containers/" ID6 "/userdata/config.json",
        "{\"ociVersion\":\"1.0.2-dev\"," SECCOMP_LOG "}");
    free(put(f, "home/scwrl/.local/share/containers/storage/vfs-containers/containers.json",
             "[{\"id\":\"" ID6 "\",\"names\":[\"rl1\"],\"metadata\":\"{\\\"image-name\\\":"
             "\\\"localhost/scwbusybox:1\\\"}\"}]"));
    static const char *const paths[] = {
        "/user/scwrl/0/" ID6,
        "/user.slice/user-1001.slice/user@1001.service/user.slice/podman-4242.scope/" ID6,
        "/user.slice/user-1001.slice/user@1001.service/user.slice/libpod-" ID6 ".scope",
    };
    for (size_t i = 0; i < 3; i++) {
        struct scw_meta_stats st = {0};
        char key[SCW_CGROUP_KEY_SIZE];
        int flags;
        struct scw_container *c = resolve_read(f, paths[i], key, &flags, &st);
        assert_int_equal(flags, SCW_META_FOUND | SCW_META_COMPLETE);
        assert_string_equal(key, "podman:" ID6);
        assert_string_equal(c->name, "rl1");
        assert_string_equal(c->image, "localhost/scwbusybox:1");
        assert_string_equal(c->profile, bundle);
        assert_int_equal(st.no_user, 0);
        scw_container_free(c);
    }
    /* resolve gives the uid for a name */
    struct scw_cgroup_info info;
    assert_int_equal(scw_cgroup_classify(paths[0], &info), 0);
    assert_int_equal(info.uid, SCW_CGROUP_UID_UNKNOWN);
    assert_int_equal(scw_meta_resolve(&f->roots, paths[0], &info, NULL), 0);
    assert_int_equal(info.uid, 1001);

    /* the home vanished, the user is not listed, the passwd file is gone: counted, nothing
     * lost (the workload keeps its cgroup identity) */
    static const char *const lost[] = {"/user/gone/0/" ID6, "/user/nobody2/1/" ID6,
                                       "/user.slice/user@1002.service/podman-1.scope/" ID6};
    for (size_t i = 0; i < 3; i++) {
        struct scw_meta_stats st = {0};
        char key[SCW_CGROUP_KEY_SIZE];
        int flags;
        struct scw_container *c = resolve_read(f, lost[i], key, &flags, &st);
        assert_int_equal(flags, 0);
        assert_string_equal(key, "podman:" ID6);
        assert_string_equal(c->id, ID6);
        assert_true(st.no_user >= 1);
        scw_container_free(c);
    }
    f->roots.passwd = "/nonexistent/scw-test-passwd";
    struct scw_meta_stats st = {0};
    char key[SCW_CGROUP_KEY_SIZE];
    int flags;
    struct scw_container *c = resolve_read(f, paths[0], key, &flags, &st);
    assert_int_equal(flags, 0);
    assert_true(st.no_user >= 1);
    scw_container_free(c);
    f->roots.passwd = f->roots_mem[11];
    free(bundle);
    free(home);
}

/* crun: same "/<id>" as runc; its status names the bundle; its own copy when that is gone */
static void test_crun(void **state)
{
    struct fixture *f = *state;
    char *status = scw_test_asprintf(
        "{\n    \"pid\": 8088,\n    \"process-start-time\": 127030,\n    \"cgroup-path\": "
        "\"/scwcrun1\",\n    \"scope\": \"\",\n    \"rootfs\": \"rootfs\",\n    "
        "\"systemd-cgroup\": false,\n    \"bundle\": \"%s/crunb\",\n    \"created\": "
        "\"2026-12-03T06:35:26.098099Z\",\n    \"owner\": \"root\",\n    \"detached\": true\n}\n",
        f->dir);
    free(put(f, "crun/scwcrun1/status", status));
    free(status);
    char *bundle =
        put(f, "crunb/config.json",
            "{\"ociVersion\":\"1.0.2-dev\",\"annotations\":{\"team\":\"pay\"}," SECCOMP_LOG "}");
    struct scw_meta_stats st = {0};
    char key[SCW_CGROUP_KEY_SIZE];
    int flags;
    struct scw_container *c = resolve_read(f, "/scwcrun1", key, &flags, &st);
    assert_int_equal(flags, SCW_META_FOUND | SCW_META_COMPLETE);
    assert_string_equal(key, "crun:scwcrun1");
    assert_string_equal(c->runtime, "crun");
    assert_string_equal(c->profile, bundle);
    assert_labels(c, (const char *const[]){"team=pay", NULL}); /* annotations: its labels */
    scw_container_free(c);
    unlink(bundle);
    free(bundle);
    /* the bundle is gone: crun's own copy of what it ran */
    char *copy = put(f, "crun/scwcrun1/config.json", "{" SECCOMP_LOG "}");
    c = resolve_read(f, "/scwcrun1", key, &flags, &st);
    assert_int_equal(flags, SCW_META_FOUND | SCW_META_COMPLETE);
    assert_string_equal(c->profile, copy);
    scw_container_free(c);
    free(copy);
    /* runc's state there too: runc (two runtimes with one id: runc's is the default) */
    char *rs = scw_test_asprintf("{\"config\":{\"labels\":[\"bundle=%s/crunb\"]}}", f->dir);
    free(put(f, "runc/scwcrun1/state.json", rs));
    free(rs);
    c = resolve_read(f, "/scwcrun1", key, &flags, &st);
    assert_string_equal(key, "runc:scwcrun1");
    scw_container_free(c);
    /* the cache resolves once, at first sight: the key it gave stays (no disk look later) */
    struct scw_meta_cache *mc = scw_meta_cache_new(&f->roots, 0);
    struct scw_cgroup_info info;
    struct scw_meta_result mr;
    assert_int_equal(scw_cgroup_classify("/scwcrun1", &info), 0);
    assert_int_equal(scw_meta_cache_get(mc, "/scwcrun1", &info, 1, &mr), 0);
    assert_string_equal(mr.key, "runc:scwcrun1"); /* runc's state is there (above) */
    char *gone = scw_test_asprintf("%s/runc/scwcrun1/state.json", f->dir);
    unlink(gone);
    free(gone);
    assert_int_equal(scw_cgroup_classify("/other2", &info), 0);
    free(put(f, "crun/other2/status", "{\"bundle\":\"/nonexistent/b\"}"));
    assert_int_equal(scw_meta_cache_get(mc, "/other2", &info, 1, &mr), 0);
    assert_string_equal(mr.key, "crun:other2");
    assert_string_equal(mr.container->runtime, "crun");
    const struct scw_container *first = mr.container;
    uint64_t reads = scw_meta_cache_stats(mc)->reads;
    assert_int_equal(scw_meta_cache_get(mc, "/other2", &info, 2, &mr), 0);
    assert_ptr_equal(mr.container, first);
    assert_string_equal(mr.key, "crun:other2");
    assert_int_equal(scw_meta_cache_stats(mc)->reads, reads);
    assert_int_equal(scw_meta_cache_size(mc), 2);
    scw_meta_cache_free(mc);

    /* a status that is not crun's JSON: counted, the container stays runc-shaped */
    free(put(f, "crun/other/status", "{\"bundle\":\"relative\"}"));
    st = (struct scw_meta_stats){0};
    c = resolve_read(f, "/other", key, &flags, &st);
    assert_string_equal(key, "crun:other");
    assert_int_equal(flags, 0);
    assert_int_equal(st.bad, 1);
    scw_container_free(c);
}

/* containerd via ctr: the same id in two namespaces, each its own config.json, image and
 * labels from meta.db, and a namespace only the disk knows */
static void test_containerd_namespaces(void **state)
{
    struct fixture *f = *state;
    char *b1 =
        put(f, "containerd/io.containerd.runtime.v2.task/default/scwsame/config.json",
            "{\"ociVersion\":\"1.1.0\",\"annotations\":{\"scw.note\":\"one\"}," SECCOMP_LOG "}");
    char *b2 = put(f, "containerd/io.containerd.runtime.v2.task/k8s.io/scwsame/config.json",
                   "{\"ociVersion\":\"1.1.0\",\"annotations\":{"
                   "\"io.kubernetes.cri.sandbox-name\":\"web-pod\"}," SECCOMP_LOG "}");
    char *b3 = put(f, "containerd/io.containerd.runtime.v2.task/prod/scwsame/config.json",
                   "{\"ociVersion\":\"1.1.0\"}");
    /* meta.db: v1 / <ns> / containers / scwsame / {image, labels/{...}}, all inline */
    struct bw_buf nsb[2];
    const char *nss[2] = {"default", "k8s.io"}, *teams[2] = {"pay", "ops"};
    for (int i = 0; i < 2; i++) {
        struct bw_elem lab[] = {{0, "io.containerd.image.config.stop-signal", "SIGTERM", 38, 7},
                                {0, "team", teams[i], 4, 3}};
        struct bw_buf lb = bw_inline(bw_leaf(lab, 2));
        struct bw_elem one[] = {{0, "image", "localhost/scwbusybox:1", 5, 22},
                                {1, "labels", lb.p, 6, lb.n}};
        struct bw_buf ob = bw_inline(bw_leaf(one, 2));
        struct bw_elem ctr = {1, "scwsame", ob.p, 7, ob.n};
        struct bw_buf cb = bw_inline(bw_leaf(&ctr, 1));
        struct bw_elem cs = {1, "containers", cb.p, 10, cb.n};
        nsb[i] = bw_inline(bw_leaf(&cs, 1));
        free(lb.p);
        free(ob.p);
        free(cb.p);
    }
    struct bw_elem nse[] = {{1, nss[0], nsb[0].p, 7, nsb[0].n}, {1, nss[1], nsb[1].p, 6, nsb[1].n}};
    struct bw_buf v1 = bw_inline(bw_leaf(nse, 2));
    struct bw_elem top = {1, "v1", v1.p, 2, v1.n};
    struct bw_db db = {0};
    bw_page(&db, 2, bw_leaf(&top, 1));
    bw_meta(&db, 2, 1); /* the newer meta page is broken: the older one is used */
    put_db(f, "containerd-root/io.containerd.metadata.v1.bolt/meta.db", &db);
    free(nsb[0].p);
    free(nsb[1].p);
    free(v1.p);

    struct scw_meta_stats st = {0};
    char key[SCW_CGROUP_KEY_SIZE];
    int flags;
    struct scw_container *c = resolve_read(f, "/default/scwsame", key, &flags, &st);
    assert_int_equal(flags, SCW_META_FOUND | SCW_META_COMPLETE);
    assert_string_equal(key, "containerd:default/scwsame");
    assert_string_equal(c->runtime_namespace, "default");
    assert_string_equal(c->name, "scwsame"); /* ctr names containers by id */
    assert_string_equal(c->image, "localhost/scwbusybox:1");
    assert_string_equal(c->profile, b1);
    assert_labels(c, (const char *const[]){"io.containerd.image.config.stop-signal=SIGTERM",
                                           "team=pay", NULL});
    assert_null(c->pod);
    scw_container_free(c);
    c = resolve_read(f, "/k8s.io/scwsame", key, &flags, &st);
    assert_string_equal(key, "containerd:k8s.io/scwsame");
    assert_string_equal(c->runtime_namespace, "k8s.io");
    assert_string_equal(c->pod, "web-pod");
    assert_string_equal(c->profile, b2);
    assert_labels(c, (const char *const[]){"io.containerd.image.config.stop-signal=SIGTERM",
                                           "team=ops", NULL});
    scw_container_free(c);
    /* "/prod/scwsame": unknown to the path, containerd's by its task; not in meta.db */
    st = (struct scw_meta_stats){0};
    c = resolve_read(f, "/prod/scwsame", key, &flags, &st);
    assert_string_equal(key, "containerd:prod/scwsame");
    assert_int_equal(flags, SCW_META_FOUND | SCW_META_COMPLETE | SCW_META_UNCONFINED);
    assert_null(c->image);
    assert_null(c->profile);
    assert_int_equal(st.reads, 2); /* config.json, meta.db (container not listed) */
    scw_container_free(c);
    /* no task: stays unknown */
    c = resolve_read(f, "/prod/nothere", key, &flags, &st);
    assert_string_equal(key, "cgroup:/prod/nothere");
    scw_container_free(c);
    /* Kubernetes paths: the namespace comes from where the task is */
    char *b4 = put(f, "containerd/io.containerd.runtime.v2.task/k8s.io/" ID3 "/config.json",
                   "{" SECCOMP_LOG "}");
    c = resolve_read(f, "/kubepods/besteffort/pod0d7d3b1c-4f2e-4a57-9f55-6f1f1b5b9a10/" ID3, key,
                     &flags, &st);
    assert_string_equal(key, "containerd:" ID3);
    assert_string_equal(c->runtime_namespace, "k8s.io");
    assert_null(c->name); /* a CRI container is named by its annotations */
    scw_container_free(c);
    free(b1);
    free(b2);
    free(b3);
    free(b4);
}

/* systemd-nspawn --keep-unit: the machine name and bundle from the supervisor's command line */
static void test_nspawn(void **state)
{
    struct fixture *f = *state;
    free(put(f, "cgroup/unified/supervisor/cgroup.procs", "23220\n"));
    char *bundle =
        put(f, "nsb/config.json",
            "{\"ociVersion\":\"1.0.0\",\"annotations\":{\"scw.note\":\"x\"}," SECCOMP_LOG "}");
    char *dir = scw_test_asprintf("%s/nsb", f->dir);
    char cmd[512];
    int n = snprintf(cmd, sizeof(cmd),
                     "systemd-nspawn%c--keep-unit%c--register=no%c-M%cscwns1%c"
                     "--oci-bundle=%s%c",
                     0, 0, 0, 0, 0, dir, 0);
    char *path = scw_test_asprintf("%s/proc/23220/cmdline", f->dir);
    mkdir_p(path);
    scw_test_write_file(path, cmd, (size_t)n);
    struct scw_meta_stats st = {0};
    char key[SCW_CGROUP_KEY_SIZE];
    int flags;
    struct scw_container *c = resolve_read(f, "/payload", key, &flags, &st);
    assert_string_equal(key, "nspawn:scwns1");
    assert_int_equal(flags, SCW_META_FOUND | SCW_META_COMPLETE);
    assert_string_equal(c->name, "scwns1");
    assert_string_equal(c->profile, bundle);
    assert_labels(c, (const char *const[]){"scw.note=x", NULL});
    scw_container_free(c);
    c = resolve_read(f, "/supervisor", key, &flags, &st);
    assert_string_equal(key, "monitor:nspawn:scwns1");
    assert_int_equal(flags, SCW_META_COMPLETE);
    assert_null(c->profile);
    scw_container_free(c);
    /* a supervisor that is not systemd-nspawn, or none: the path is the identity */
    scw_test_write_file(path,
                        "sleep\0"
                        "30\0",
                        9);
    c = resolve_read(f, "/payload", key, &flags, &st);
    assert_string_equal(key, "nspawn:/payload");
    scw_container_free(c);
    c = resolve_read(f, "/system.slice/x.service/payload", key, &flags, &st);
    assert_string_equal(key, "nspawn:/system.slice/x.service/payload");
    assert_int_equal(flags, 0);
    scw_container_free(c);
    /* machinectl's systemd-nspawn@NAME.service: the name is the unit's; the booted machine
     * has no bundle (the v1 name=systemd mount this time) */
    free(put(f, "cgroup/systemd/machine.slice/systemd-nspawn@web.service/supervisor/cgroup.procs",
             "777\n"));
    char cmd2[] = "/usr/bin/systemd-nspawn\0--quiet\0--keep-unit\0--boot\0--machine=web\0";
    char *p2 = put(f, "proc/777/cmdline", "");
    scw_test_write_file(p2, cmd2, sizeof(cmd2) - 1);
    c = resolve_read(f, "/machine.slice/systemd-nspawn@web.service/payload/init.scope", key, &flags,
                     &st);
    assert_string_equal(key, "nspawn:web");
    assert_int_equal(flags, SCW_META_FOUND | SCW_META_COMPLETE);
    assert_null(c->profile);
    scw_container_free(c);
    free(p2);
    free(path);
    free(dir);
    free(bundle);
}

/* A state file in a format version we do not know: counted, not used, nothing lost */
static void test_unknown_version(void **state)
{
    struct fixture *f = *state;
    free(put(f, "runc/future/state.json", "{\"config\":{\"labels\":[\"bundle=/nonexistent/x\"]}}"));
    char *rs = scw_test_asprintf("{\"config\":{\"labels\":[\"bundle=%s/fb\"]}}", f->dir);
    free(put(f, "runc/future/state.json", rs));
    free(rs);
    free(put(
        f, "fb/config.json",
        "{\"ociVersion\":\"2.0.0\",\"annotations\":{\"io.kubernetes.pod.name\":\"p\"}," SECCOMP_LOG
        "}"));
    struct scw_meta_stats st = {0};
    char key[SCW_CGROUP_KEY_SIZE];
    int flags;
    struct scw_container *c = resolve_read(f, "/future", key, &flags, &st);
    assert_string_equal(key, "runc:future");
    assert_int_equal(flags, SCW_META_FOUND); /* the state.json was read; not complete */
    assert_int_equal(st.unsupported, 1);
    assert_null(c->profile);
    assert_null(c->pod);
    assert_string_equal(c->id, "future");
    scw_container_free(c);
    struct scw_container z = {0};
    static const char *const versions[] = {"{\"ociVersion\":\"10.0\"}", "{\"ociVersion\":7}",
                                           "{\"ociVersion\":\"1\"}", "{\"ociVersion\":\"1.2.0\"}"};
    static const int want[] = {-EPROTO, -EPROTO, 1, 1};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(scw_meta_parse_oci(versions[i], strlen(versions[i]), "/x", &z), want[i]);
}

static void test_new_parsers(void **state)
{
    (void)state;
    uint32_t uid = 0;
    char *home = NULL;
    const char *pw = "a:x:1:1::/h/a:/bin/sh\nb:x:99999999999:1::/h/b:/bin/sh\nc:x:3:3::rel:/x\n"
                     "d:x:4:4::/h/d";
    assert_int_equal(scw_meta_parse_passwd(pw, strlen(pw), "a", 0, &uid, &home), 0);
    assert_int_equal(uid, 1);
    assert_string_equal(home, "/h/a");
    free(home);
    assert_int_equal(scw_meta_parse_passwd(pw, strlen(pw), NULL, 4, &uid, &home), 0);
    assert_string_equal(home, "/h/d"); /* last line without a newline, no shell field */
    free(home);
    assert_int_equal(scw_meta_parse_passwd(pw, strlen(pw), "b", 0, &uid, &home), -ENOENT);
    assert_int_equal(scw_meta_parse_passwd(pw, strlen(pw), "c", 0, &uid, &home), -ENOENT);
    assert_int_equal(scw_meta_parse_passwd(pw, strlen(pw), "zz", 0, &uid, &home), -ENOENT);

    char *name = NULL, *bundle = NULL;
    static const char l1[] = "systemd-nspawn\0-D\0/var/lib/machines/deb/\0-b\0";
    assert_int_equal(scw_meta_parse_nspawn_cmdline(l1, sizeof(l1) - 1, &name, &bundle), 0);
    assert_string_equal(name, "deb");
    assert_null(bundle);
    free(name);
    static const char l2[] = "systemd-nspawn\0--image=/srv/img/web.raw\0";
    assert_int_equal(scw_meta_parse_nspawn_cmdline(l2, sizeof(l2) - 1, &name, &bundle), 0);
    assert_string_equal(name, "web");
    free(name);
    static const char l3[] = "systemd-nspawn\0--oci-bundle\0/b/app1\0-Mx/y\0";
    assert_int_equal(scw_meta_parse_nspawn_cmdline(l3, sizeof(l3) - 1, &name, &bundle), 0);
    assert_string_equal(name, "app1"); /* "x/y" is no machine name */
    assert_string_equal(bundle, "/b/app1");
    free(name);
    free(bundle);
    static const char l4[] = "systemd-nspawn\0--\0-M\0late\0";
    assert_int_equal(scw_meta_parse_nspawn_cmdline(l4, sizeof(l4) - 1, &name, &bundle), -ENOENT);
    static const char l5[] = "bash\0-M\0x\0";
    assert_int_equal(scw_meta_parse_nspawn_cmdline(l5, sizeof(l5) - 1, &name, &bundle), -ENOENT);
    assert_int_equal(scw_meta_parse_nspawn_cmdline("systemd-nspawn", 14, &name, &bundle), -ENOENT);

    const char *cs = "{\"bundle\":\"/run/b\"}";
    assert_int_equal(scw_meta_parse_crun_status(cs, strlen(cs), &bundle), 0);
    assert_string_equal(bundle, "/run/b");
    free(bundle);
    assert_int_equal(scw_meta_parse_crun_status("{}", 2, &bundle), -ENOENT);
    assert_int_equal(scw_meta_parse_crun_status("{\"bundle\":\"b\"}", 14, &bundle), -EBADMSG);
    assert_int_equal(scw_meta_parse_crun_status("[]", 2, &bundle), -EBADMSG);

    struct scw_container c = {0};
    const char *lp = "{\"name\":\"n\",\"labels\":{\"k\":\"\",\"a=b\":\"c\",\"x\":1}}";
    assert_int_equal(scw_meta_parse_libpod_config(lp, strlen(lp), &c), 0);
    assert_labels(&c, (const char *const[]){"k=", NULL});
    assert_string_equal(c.name, "n");
    free(c.name);
    scw_container_labels_free(c.labels);
    /* at most SCW_META_LABELS_MAX labels */
    char *many = malloc(64 * 1024);
    size_t off = (size_t)snprintf(many, 64, "{\"Config\":{\"Labels\":{");
    for (int i = 0; i < SCW_META_LABELS_MAX + 10; i++)
        off += (size_t)snprintf(many + off, 64, "%s\"k%03d\":\"v\"", i ? "," : "", i);
    snprintf(many + off, 64, "}}}");
    c = (struct scw_container){0};
    assert_int_equal(scw_meta_parse_docker(many, strlen(many), &c), 0);
    size_t nl = 0;
    while (c.labels[nl])
        nl++;
    assert_int_equal(nl, SCW_META_LABELS_MAX);
    scw_container_labels_free(c.labels);
    free(many);
}

static void test_roots_set(void **state)
{
    (void)state;
    struct scw_meta_roots r = {0};
    size_t n = 0;
    for (; scw_meta_root_kinds[n]; n++)
        assert_int_equal(scw_meta_roots_set(&r, scw_meta_root_kinds[n], "/d"), 0);
    assert_int_equal(n, N_ROOTS);
    const char *const *all = (const char *const *)(const void *)&r;
    for (size_t i = 0; i < N_ROOTS; i++)
        assert_string_equal(all[i], "/d"); /* every kind sets a root, none twice */
    assert_int_equal(scw_meta_roots_set(&r, "nope", "/d"), -EINVAL);
    assert_int_equal(scw_meta_roots_set(&r, "runc", ""), -EINVAL);
    scw_meta_roots_default(&r);
    for (size_t i = 0; i < N_ROOTS; i++)
        assert_non_null(all[i]);
    assert_string_equal(r.crun_root, "/run/crun");
    assert_string_equal(r.containerd_root, "/var/lib/containerd");
    assert_string_equal(r.passwd, "/etc/passwd");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_crio_own_annotations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_podman_graph_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_podman_rootless, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crun, setup, teardown),
        cmocka_unit_test_setup_teardown(test_containerd_namespaces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nspawn, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_version, setup, teardown),
        cmocka_unit_test(test_new_parsers),
        cmocka_unit_test(test_roots_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
