/*
 * test_cgroup: cgroup path -> runtime/id/pod/unit for every runtime layout scmpwatch knows
 * (a table of real-looking paths with the exact expected result and workload key), the choice
 * of path among full /proc/PID/cgroup texts (v1, v2, hybrid), and the bounds.
 */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"

#define ID1      "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899"
#define ID2      "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
#define UID_DASH "0d7d3b1c-4f2e-4a57-9f55-6f1f1b5b9a10"
#define UID_US   "0d7d3b1c_4f2e_4a57_9f55_6f1f1b5b9a10"

struct row {
    const char *path;
    enum scw_runtime runtime;
    const char *id;
    const char *pod_uid;
    enum scw_k8s_qos qos;
    bool monitor;
    const char *unit;
    const char *key;
};

#define D  SCW_RUNTIME_DOCKER
#define CD SCW_RUNTIME_CONTAINERD
#define CR SCW_RUNTIME_CRIO
#define PM SCW_RUNTIME_PODMAN
#define RC SCW_RUNTIME_RUNC
#define LX SCW_RUNTIME_LXC
#define NS SCW_RUNTIME_NSPAWN
#define UN SCW_RUNTIME_SYSTEMD_UNIT
#define UK SCW_RUNTIME_UNKNOWN
#define Q0 SCW_QOS_NONE
#define QG SCW_QOS_GUARANTEED
#define QB SCW_QOS_BURSTABLE
#define QE SCW_QOS_BESTEFFORT

static const struct row rows[] = {
    /* Docker, cgroupfs driver; Docker-in-Docker takes the innermost */
    {"/docker/" ID1, D, ID1, "", Q0, false, "", "docker:" ID1},
    {"/docker/" ID1 "/docker/" ID2, D, ID2, "", Q0, false, "", "docker:" ID2},
    {"/../../docker/" ID1, D, ID1, "", Q0, false, "", "docker:" ID1}, /* other cgroup ns */
    /* Docker, systemd driver; systemd running inside the container */
    {"/system.slice/docker-" ID1 ".scope", D, ID1, "", Q0, false, "", "docker:" ID1},
    {"/system.slice/docker-" ID1 ".scope/system.slice/nginx.service", D, ID1, "", Q0, false, "",
     "docker:" ID1},
    {"/system.slice/docker-" ID1 ".scope/docker/" ID2, D, ID2, "", Q0, false, "", "docker:" ID2},
    /* containerd + Kubernetes, systemd driver, every QoS class (guaranteed has no level) */
    {"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_US
     ".slice/cri-containerd-" ID1 ".scope",
     CD, ID1, UID_DASH, QE, false, "", "containerd:" ID1},
    {"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_US
     ".slice/cri-containerd-" ID1 ".scope",
     CD, ID1, UID_DASH, QB, false, "", "containerd:" ID1},
    {"/kubepods.slice/kubepods-pod" UID_US ".slice/cri-containerd-" ID1 ".scope", CD, ID1, UID_DASH,
     QG, false, "", "containerd:" ID1},
    /* kind / k3s style with a kubelet cgroup root */
    {"/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/"
     "kubelet-kubepods-burstable-pod" UID_US ".slice/cri-containerd-" ID2 ".scope",
     CD, ID2, UID_DASH, QB, false, "", "containerd:" ID2},
    /* containerd + Kubernetes, cgroupfs driver */
    {"/kubepods/besteffort/pod" UID_DASH "/" ID1, CD, ID1, UID_DASH, QE, false, "",
     "containerd:" ID1},
    {"/kubepods/burstable/pod" UID_DASH "/" ID1, CD, ID1, UID_DASH, QB, false, "",
     "containerd:" ID1},
    {"/kubepods/pod" UID_DASH "/" ID1, CD, ID1, UID_DASH, QG, false, "", "containerd:" ID1},
    /* static pod: the uid is a config hash */
    {"/kubepods/burstable/pod6c7d1e8b6a4e1f7e6b29b9c5c1a4c1e2/" ID2, CD, ID2,
     "6c7d1e8b6a4e1f7e6b29b9c5c1a4c1e2", QB, false, "", "containerd:" ID2},
    /* containerd without Kubernetes; the systemd driver's "slice:prefix:id" spelling */
    {"/k8s.io/" ID1, CD, ID1, "", Q0, false, "", "containerd:k8s.io/" ID1},
    {"/default/redis-1", CD, "redis-1", "", Q0, false, "", "containerd:default/redis-1"},
    {"/kubepods-besteffort-pod" UID_US ".slice:cri-containerd:" ID1, CD, ID1, UID_DASH, QE, false,
     "", "containerd:" ID1},
    {"/system.slice/nerdctl-" ID2 ".scope", CD, ID2, "", Q0, false, "", "containerd:" ID2},
    /* Docker under Kubernetes (cri-dockerd) */
    {"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_US ".slice/docker-" ID2
     ".scope",
     D, ID2, UID_DASH, QE, false, "", "docker:" ID2},
    /* CRI-O: systemd and cgroupfs; conmon is the monitor, not the workload */
    {"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_US ".slice/crio-" ID1
     ".scope",
     CR, ID1, UID_DASH, QB, false, "", "cri-o:" ID1},
    {"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_US
     ".slice/crio-conmon-" ID1 ".scope",
     CR, ID1, UID_DASH, QB, true, "", "monitor:cri-o:" ID1},
    {"/kubepods/burstable/pod" UID_DASH "/crio-" ID2, CR, ID2, UID_DASH, QB, false, "",
     "cri-o:" ID2},
    {"/kubepods/burstable/pod" UID_DASH "/crio-conmon-" ID2, CR, ID2, UID_DASH, QB, true, "",
     "monitor:cri-o:" ID2},
    {"/crio-" ID1, CR, ID1, "", Q0, false, "", "cri-o:" ID1},
    {"/system.slice/crio-conmon-" ID1 ".scope", CR, ID1, "", Q0, true, "", "monitor:cri-o:" ID1},
    /* Podman: root (systemd, cgroupfs), pods, rootless */
    {"/machine.slice/libpod-" ID1 ".scope", PM, ID1, "", Q0, false, "", "podman:" ID1},
    {"/machine.slice/libpod-" ID1 ".scope/container", PM, ID1, "", Q0, false, "", "podman:" ID1},
    {"/machine.slice/machine-libpod_pod_" ID2 ".slice/libpod-" ID1 ".scope", PM, ID1, "", Q0, false,
     "", "podman:" ID1},
    {"/machine.slice/libpod-conmon-" ID1 ".scope", PM, ID1, "", Q0, true, "",
     "monitor:podman:" ID1},
    {"/libpod_parent/libpod-" ID2, PM, ID2, "", Q0, false, "", "podman:" ID2},
    {"/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID1 ".scope", PM, ID1, "",
     Q0, false, "", "podman:" ID1},
    {"/user.slice/user-1000.slice/user@1000.service/user.slice/podman-4242.scope/" ID2, PM, ID2, "",
     Q0, false, "", "podman:" ID2},
    /* plain runc: default cgroupsPath "/<id>", and the systemd driver */
    {"/mycontainer", RC, "mycontainer", "", Q0, false, "", "runc:mycontainer"},
    {"/" ID1, RC, ID1, "", Q0, false, "", "runc:" ID1},
    {"/system.slice/runc-web.scope", RC, "web", "", Q0, false, "", "runc:web"},
    {"/system.slice/myprefix-" ID2 ".scope", RC, ID2, "", Q0, false, "", "runc:" ID2},
    /* LXC (4.x payload/monitor, older /lxc/) */
    {"/lxc.payload.web1", LX, "web1", "", Q0, false, "", "lxc:web1"},
    {"/lxc.payload.web1/system.slice/nginx.service", LX, "web1", "", Q0, false, "", "lxc:web1"},
    {"/lxc.monitor.web1", LX, "web1", "", Q0, true, "", "monitor:lxc:web1"},
    {"/lxc/web1", LX, "web1", "", Q0, false, "", "lxc:web1"},
    {"/lxc.payload/web1", LX, "web1", "", Q0, false, "", "lxc:web1"},
    /* systemd-nspawn (escaped names undone), its supervisor, machined scopes */
    {"/machine.slice/systemd-nspawn@debian\\x2dbox.service", NS, "debian-box", "", Q0, false, "",
     "nspawn:debian-box"},
    {"/machine.slice/systemd-nspawn@web.service/payload/system.slice/cron.service", NS, "web", "",
     Q0, false, "", "nspawn:web"},
    {"/machine.slice/systemd-nspawn@web.service/supervisor", NS, "web", "", Q0, true, "",
     "monitor:nspawn:web"},
    {"/machine.slice/machine-web.scope", NS, "web", "", Q0, false, "", "nspawn:web"},
    /* host services, sessions and user units: named by their unit */
    {"/system.slice/nginx.service", UN, "", "", Q0, false, "nginx.service", "unit:nginx.service"},
    {"/system.slice/system-getty.slice/getty@tty1.service", UN, "", "", Q0, false,
     "getty@tty1.service", "unit:getty@tty1.service"},
    {"/system.slice/docker.service", UN, "", "", Q0, false, "docker.service",
     "unit:docker.service"},
    {"/system.slice/foo.service/worker", UN, "", "", Q0, false, "foo.service", "unit:foo.service"},
    {"/init.scope", UN, "", "", Q0, false, "init.scope", "unit:init.scope"},
    {"/user.slice/user-1000.slice/session-3.scope", UN, "", "", Q0, false, "session-3.scope",
     "unit:session-3.scope"},
    {"/user.slice/user-1000.slice/user@1000.service/app.slice/pipewire.service", UN, "", "", Q0,
     false, "user@1000.service/pipewire.service", "unit:user@1000.service/pipewire.service"},
    {"/user.slice/user-1000.slice/user@1000.service/init.scope", UN, "", "", Q0, false,
     "user@1000.service/init.scope", "unit:user@1000.service/init.scope"},
    {"/machine.slice/machine-qemu\\x2d1\\x2dvm.scope", UN, "", "", Q0, false,
     "machine-qemu\\x2d1\\x2dvm.scope", "unit:machine-qemu\\x2d1\\x2dvm.scope"},
    {"/system.slice", UN, "", "", Q0, false, "system.slice", "unit:system.slice"},
    /* unknown: kept verbatim */
    {"/", UK, "", "", Q0, false, "", "cgroup:/"},
    {"/process_api/68f8aa9052e5c4000c74af8f9b29dbf5", UK, "", "", Q0, false, "",
     "cgroup:/process_api/68f8aa9052e5c4000c74af8f9b29dbf5"},
    {"/docker", UK, "", "", Q0, false, "", "cgroup:/docker"},
    {"/docker/notahexid", UK, "", "", Q0, false, "", "cgroup:/docker/notahexid"},
    {"/docker/3F4E5D6C7B8A99887766554433221100FFEEDDCCBBAA00112233445566778899", UK, "", "", Q0,
     false, "", "cgroup:/docker/3F4E5D6C7B8A99887766554433221100FFEEDDCCBBAA00112233445566778899"},
    /* not a Docker id: just a scope like any other */
    {"/system.slice/docker-abc.scope", UN, "", "", Q0, false, "docker-abc.scope",
     "unit:docker-abc.scope"},
    {"/custom/" ID1, UK, "", "", Q0, false, "", "cgroup:/custom/" ID1},
    {"/kubepods/besteffort/pod" UID_DASH, UK, "", UID_DASH, QE, false, "",
     "cgroup:/kubepods/besteffort/pod" UID_DASH},
    {"/lxc.payload.bad$name", UK, "", "", Q0, false, "", "cgroup:/lxc.payload.bad$name"},
};

static void test_classify_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct row *r = &rows[i];
        struct scw_cgroup_info info;
        memset(&info, 0x5a, sizeof(info));
        int rc = scw_cgroup_classify(r->path, &info);
        if (rc != 0 || info.runtime != r->runtime || strcmp(info.id, r->id) != 0 ||
            strcmp(info.pod_uid, r->pod_uid) != 0 || info.qos != r->qos ||
            info.monitor != r->monitor || strcmp(info.unit, r->unit) != 0)
            print_error("row %zu: %s -> rc %d runtime %d id '%s' pod '%s' qos %d monitor %d "
                        "unit '%s'\n",
                        i, r->path, rc, info.runtime, info.id, info.pod_uid, info.qos, info.monitor,
                        info.unit);
        assert_int_equal(rc, 0);
        assert_int_equal(info.runtime, r->runtime);
        assert_string_equal(info.id, r->id);
        assert_string_equal(info.pod_uid, r->pod_uid);
        assert_int_equal(info.qos, r->qos);
        assert_int_equal(info.monitor, r->monitor);
        assert_string_equal(info.unit, r->unit);
        char key[SCW_CGROUP_KEY_SIZE];
        assert_int_equal(scw_cgroup_workload_key(&info, r->path, key, sizeof(key)), 0);
        assert_string_equal(key, r->key);
    }
}

/*
 * Shapes seen on the runtimes of a Debian 12 host with hybrid cgroups and no systemd as PID 1
 * (build/h-rt-NOTES.md): containerd namespaces from ctr, rootless containers in pam_cgfs
 * session cgroups, Podman's shared conmon cgroup, systemd-nspawn --keep-unit, lxc-attach.
 */
struct shape {
    const char *path;
    enum scw_runtime runtime;
    const char *id, *runtime_ns, *user;
    bool monitor, rootless;
    const char *key;
};

static const struct shape shapes[] = {
    /* ctr -n NS run ... ID: "/<ns>/<id>"; the same id in two namespaces is two workloads */
    {"/default/scwsame", CD, "scwsame", "default", "", false, false, "containerd:default/scwsame"},
    {"/k8s.io/scwsame", CD, "scwsame", "k8s.io", "", false, false, "containerd:k8s.io/scwsame"},
    /* other namespaces only the disk can tell (scw_meta_resolve): unknown here */
    {"/prod/scwsame", UK, "", "", "", false, false, "cgroup:/prod/scwsame"},
    /* Kubernetes paths carry no namespace: the key stays as it was */
    {"/kubepods/burstable/pod" UID_DASH "/" ID1, CD, ID1, "", "", false, false, "containerd:" ID1},
    /* rootless Podman / runc under pam_cgfs (libpam-cgfs: /user/<name>/<session>) */
    {"/user/scwrl/0/" ID1, PM, ID1, "", "scwrl", false, true, "podman:" ID1},
    {"/user/scwrl/3/web", RC, "web", "", "scwrl", false, true, "runc:web"},
    {"/user/scwrl/0", UK, "", "", "", false, false, "cgroup:/user/scwrl/0"}, /* conmon, shell */
    {"/user/scwrl/x/" ID1, UK, "", "", "", false, false, "cgroup:/user/scwrl/x/" ID1},
    /* Podman's cgroupfs manager puts every conmon in one cgroup */
    {"/libpod_parent/conmon", PM, "", "", "", true, false, "monitor:podman:/libpod_parent/conmon"},
    {"/libpod_parent/libpod-" ID1, PM, ID1, "", "", false, false, "podman:" ID1},
    /* systemd-nspawn --keep-unit --register=no: payload and supervisor, name unknown here */
    {"/payload", NS, "", "", "", false, false, "nspawn:/payload"},
    {"/supervisor", NS, "", "", "", true, false, "monitor:nspawn:/supervisor"},
    {"/payload/system.slice/cron.service", NS, "", "", "", false, false, "nspawn:/payload"},
    {"//payload/./init.scope", NS, "", "", "", false, false, "nspawn://payload"},
    {"/system.slice/build.service/payload", NS, "", "", "", false, false,
     "nspawn:/system.slice/build.service/payload"},
    {"/machine.slice/systemd-nspawn@web.service/payload", NS, "web", "", "", false, false,
     "nspawn:web"},
    {"/docker/" ID1 "/payload", D, ID1, "", "", false, false, "docker:" ID1},
    {"/supervisor/x", UK, "", "", "", false, false, "cgroup:/supervisor/x"},
    /* lxc-attach: a ".lxc" cgroup below the payload (cgroup v2) */
    {"/lxc.payload.scwlxc1/.lxc", LX, "scwlxc1", "", "", false, false, "lxc:scwlxc1"},
    {"/lxc.monitor.scwlxc1", LX, "scwlxc1", "", "", true, false, "monitor:lxc:scwlxc1"},
    /* crun and runc look alike: runc until scw_meta_resolve() finds crun's state */
    {"/scwcrun1", RC, "scwcrun1", "", "", false, false, "runc:scwcrun1"},
};

static void test_runtime_shapes(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        const struct shape *r = &shapes[i];
        struct scw_cgroup_info info;
        memset(&info, 0x5a, sizeof(info));
        int rc = scw_cgroup_classify(r->path, &info);
        char key[SCW_CGROUP_KEY_SIZE] = "";
        if (rc == 0)
            rc = scw_cgroup_workload_key(&info, r->path, key, sizeof(key));
        if (rc != 0 || info.runtime != r->runtime || strcmp(info.id, r->id) != 0 ||
            strcmp(info.runtime_ns, r->runtime_ns) != 0 || strcmp(info.user, r->user) != 0 ||
            info.monitor != r->monitor || info.rootless != r->rootless || strcmp(key, r->key))
            print_error("shape %zu: %s -> rc %d runtime %d id '%s' ns '%s' user '%s' monitor %d "
                        "rootless %d key '%s'\n",
                        i, r->path, rc, info.runtime, info.id, info.runtime_ns, info.user,
                        info.monitor, info.rootless, key);
        assert_int_equal(rc, 0);
        assert_int_equal(info.runtime, r->runtime);
        assert_string_equal(info.id, r->id);
        assert_string_equal(info.runtime_ns, r->runtime_ns);
        assert_string_equal(info.user, r->user);
        assert_int_equal(info.monitor, r->monitor);
        assert_int_equal(info.rootless, r->rootless);
        if (r->rootless && r->user[0])
            assert_int_equal(info.uid, SCW_CGROUP_UID_UNKNOWN);
        assert_string_equal(key, r->key);
        struct scw_container *c = NULL;
        assert_int_equal(scw_cgroup_container_new(&info, r->path, &c), 0);
        if (r->runtime_ns[0])
            assert_string_equal(c->runtime_namespace, r->runtime_ns);
        else
            assert_null(c->runtime_namespace);
        if (r->runtime != UK && !r->id[0])
            assert_null(c->id); /* no id: never an empty one */
        scw_container_free(c);
    }
    /* a container without an id needs its path for a key */
    struct scw_cgroup_info info;
    assert_int_equal(scw_cgroup_classify("/payload", &info), 0);
    char key[SCW_CGROUP_KEY_SIZE];
    assert_int_equal(scw_cgroup_workload_key(&info, NULL, key, sizeof(key)), -EINVAL);
}

static void test_rootless(void **state)
{
    (void)state;
    struct scw_cgroup_info info;
    assert_int_equal(
        scw_cgroup_classify(
            "/user.slice/user-1001.slice/user@1001.service/user.slice/libpod-" ID1 ".scope", &info),
        0);
    assert_true(info.rootless);
    assert_int_equal(info.uid, 1001);
    assert_int_equal(scw_cgroup_classify("/machine.slice/libpod-" ID1 ".scope", &info), 0);
    assert_false(info.rootless);
    /* user units are not "rootless containers" */
    assert_int_equal(
        scw_cgroup_classify("/user.slice/user-1000.slice/user@1000.service/app.slice/x.service",
                            &info),
        0);
    assert_false(info.rootless);
    assert_int_equal(info.uid, 0);
    /* a uid that does not fit 32 bits is not one */
    assert_int_equal(scw_cgroup_classify("/user.slice/user@99999999999.service/user.slice/"
                                         "podman-1.scope/" ID1,
                                         &info),
                     0);
    assert_int_equal(info.runtime, SCW_RUNTIME_PODMAN);
    assert_false(info.rootless);
}

static void test_classify_errors(void **state)
{
    (void)state;
    struct scw_cgroup_info info;
    info.runtime = SCW_RUNTIME_DOCKER;
    assert_int_equal(scw_cgroup_classify("docker/" ID1, &info), -EINVAL);
    assert_int_equal(scw_cgroup_classify("", &info), -EINVAL);
    assert_int_equal(scw_cgroup_classify(NULL, &info), -EINVAL);
    assert_int_equal(info.runtime, SCW_RUNTIME_DOCKER); /* untouched on failure */

    char *long_path = malloc(SCW_CGROUP_PATH_MAX + 2);
    long_path[0] = '/';
    memset(long_path + 1, 'a', SCW_CGROUP_PATH_MAX);
    long_path[SCW_CGROUP_PATH_MAX + 1] = '\0';
    assert_int_equal(scw_cgroup_classify(long_path, &info), -ENAMETOOLONG);
    long_path[SCW_CGROUP_PATH_MAX] = '\0'; /* exactly the maximum is fine */
    assert_int_equal(scw_cgroup_classify(long_path, &info), 0);
    assert_int_equal(info.runtime, SCW_RUNTIME_UNKNOWN); /* too long for a runc id */
    free(long_path);

    /* deeper than SCW_CGROUP_DEPTH_MAX: unknown, even with a container at the bottom */
    char deep[SCW_CGROUP_PATH_MAX];
    size_t off = 0;
    for (int i = 0; i < SCW_CGROUP_DEPTH_MAX; i++)
        off += (size_t)snprintf(deep + off, sizeof(deep) - off, "/d");
    snprintf(deep + off, sizeof(deep) - off, "/docker/%s", ID1);
    assert_int_equal(scw_cgroup_classify(deep, &info), 0);
    assert_int_equal(info.runtime, SCW_RUNTIME_UNKNOWN);
    /* at the bound it still works */
    off = 0;
    for (int i = 0; i < SCW_CGROUP_DEPTH_MAX - 2; i++)
        off += (size_t)snprintf(deep + off, sizeof(deep) - off, "/d");
    snprintf(deep + off, sizeof(deep) - off, "/docker/%s", ID1);
    assert_int_equal(scw_cgroup_classify(deep, &info), 0);
    assert_int_equal(info.runtime, SCW_RUNTIME_DOCKER);
}

static const char v1_docker[] = "12:pids:/docker/" ID1 "\n"
                                "11:hugetlb:/docker/" ID1 "\n"
                                "10:net_cls,net_prio:/docker/" ID1 "\n"
                                "9:perf_event:/docker/" ID1 "\n"
                                "8:freezer:/docker/" ID1 "\n"
                                "7:cpu,cpuacct:/docker/" ID1 "\n"
                                "6:memory:/docker/" ID1 "\n"
                                "5:blkio:/docker/" ID1 "\n"
                                "4:devices:/docker/" ID1 "\n"
                                "3:cpuset:/docker/" ID1 "\n"
                                "2:rdma:/\n"
                                "1:name=systemd:/docker/" ID1 "\n";

/* This machine's layout: hybrid, v2 at /sys/fs/cgroup/unified. */
static const char hybrid_v2_container[] = "9:name=systemd:/\n"
                                          "8:pids:/\n"
                                          "7:blkio:/\n"
                                          "6:freezer:/\n"
                                          "5:devices:/\n"
                                          "4:memory:/process_api/68f8aa9052e5c4000c74af8f9b29dbf5\n"
                                          "3:cpuset:/\n"
                                          "2:cpuacct:/\n"
                                          "1:cpu:/\n"
                                          "0::/system.slice/docker-" ID1 ".scope\n";

/* Hybrid with runc joining only the v1 hierarchies: v2 still shows the session. */
static const char hybrid_v1_container[] = "0::/user.slice/user-0.slice/session-1.scope\n"
                                          "4:memory:/docker/" ID2 "\n"
                                          "1:name=systemd:/docker/" ID2 "\n";

static const char hybrid_service[] = "11:pids:/system.slice/nginx.service\n"
                                     "7:cpu,cpuacct:/system.slice/nginx.service\n"
                                     "6:memory:/system.slice/nginx.service\n"
                                     "1:name=systemd:/system.slice/nginx.service\n"
                                     "0::/system.slice/nginx.service\n";

static const char k8s_v2[] =
    "0::/kubepods.slice/kubepods-besteffort.slice/"
    "kubepods-besteffort-pod" UID_US ".slice/cri-containerd-" ID1 ".scope\n";

struct proc_row {
    const char *text;
    int rc;
    const char *path;
};

static const struct proc_row proc_rows[] = {
    {v1_docker, 0, "/docker/" ID1},
    {hybrid_v2_container, 0, "/system.slice/docker-" ID1 ".scope"},
    {hybrid_v1_container, 0, "/docker/" ID2},
    {hybrid_service, 0, "/system.slice/nginx.service"},
    {k8s_v2, 0,
     "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_US
     ".slice/cri-containerd-" ID1 ".scope"},
    /* container gone: the kernel marks the removed cgroup */
    {"0::/system.slice/docker-" ID1 ".scope (deleted)\n", 0, "/system.slice/docker-" ID1 ".scope"},
    /* no trailing newline, CRLF */
    {"0::/system.slice/cron.service", 0, "/system.slice/cron.service"},
    {"0::/system.slice/cron.service\r\n", 0, "/system.slice/cron.service"},
    /* everything at the root, v1 and v2 */
    {"0::/\n", 0, "/"},
    {"2:cpu:/\n1:name=systemd:/\n0::/\n", 0, "/"},
    /* v1 preference without a container: name=systemd before memory */
    {"4:memory:/a/b\n1:name=systemd:/system.slice/x.service\n", 0, "/system.slice/x.service"},
    /* a top-level name is only a guessed runc container: preference order decides... */
    {"4:memory:/a/b\n3:devices:/c\n", 0, "/a/b"},
    /* ...but a top-level 64-hex id is runc's default cgroupsPath */
    {"4:memory:/a/b\n3:devices:/" ID1 "\n", 0, "/" ID1},
    /* the path may contain ':' */
    {"0::/kubepods-besteffort-pod" UID_US ".slice:cri-containerd:" ID1 "\n", 0,
     "/kubepods-besteffort-pod" UID_US ".slice:cri-containerd:" ID1},
    /* garbage lines are skipped */
    {"garbage\nx:y:/z\n0:/nocolon\n1:name=systemd:relative\n0::/system.slice/a.service\n", 0,
     "/system.slice/a.service"},
    {"", -EINVAL, NULL},
    {"\n\n\n", -EINVAL, NULL},
    {"hello world\n", -EINVAL, NULL},
    {"0::\n", -EINVAL, NULL},
};

static void test_parse_proc_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(proc_rows) / sizeof(proc_rows[0]); i++) {
        const struct proc_row *r = &proc_rows[i];
        char path[SCW_CGROUP_PATH_MAX + 1] = "untouched";
        int rc = scw_cgroup_parse_proc(r->text, strlen(r->text), path, sizeof(path));
        if (rc != r->rc || (r->path && strcmp(path, r->path) != 0))
            print_error("proc row %zu: rc %d path '%s'\n", i, rc, path);
        assert_int_equal(rc, r->rc);
        assert_string_equal(path, r->path ? r->path : "untouched");
    }
}

static void test_parse_proc_bounds(void **state)
{
    (void)state;
    char path[SCW_CGROUP_PATH_MAX + 1];
    /* a NUL inside a line: that line is skipped, the next one counts */
    static const char nul[] = "0::/docker/\0x\n1:name=systemd:/system.slice/b.service\n";
    assert_int_equal(scw_cgroup_parse_proc(nul, sizeof(nul) - 1, path, sizeof(path)), 0);
    assert_string_equal(path, "/system.slice/b.service");

    /* only SCW_CGROUP_LINES_MAX lines are looked at */
    size_t cap = (SCW_CGROUP_LINES_MAX + 2) * 16 + 256, off = 0;
    char *text = malloc(cap);
    for (int i = 0; i < SCW_CGROUP_LINES_MAX; i++)
        off += (size_t)snprintf(text + off, cap - off, "%d:c%d:/\n", i + 1, i);
    off += (size_t)snprintf(text + off, cap - off, "0::/docker/%s\n", ID1);
    assert_int_equal(scw_cgroup_parse_proc(text, off, path, sizeof(path)), 0);
    assert_string_equal(path, "/");
    free(text);

    /* an over-long path line is skipped */
    size_t big = SCW_CGROUP_PATH_MAX + 64;
    text = malloc(big + 128);
    off = (size_t)snprintf(text, big + 128, "0::/");
    memset(text + off, 'x', SCW_CGROUP_PATH_MAX);
    off += SCW_CGROUP_PATH_MAX;
    off += (size_t)snprintf(text + off, big + 128 - off, "\n1:name=systemd:/docker/%s\n", ID2);
    assert_int_equal(scw_cgroup_parse_proc(text, off, path, sizeof(path)), 0);
    assert_string_equal(path, "/docker/" ID2);
    free(text);

    /* output buffer too small: error, buffer untouched */
    char small[8] = "keep";
    assert_int_equal(scw_cgroup_parse_proc(v1_docker, strlen(v1_docker), small, sizeof(small)),
                     -ENOBUFS);
    assert_string_equal(small, "keep");
    char exact[sizeof("/docker/" ID1)];
    assert_int_equal(scw_cgroup_parse_proc(v1_docker, strlen(v1_docker), exact, sizeof(exact)), 0);
    assert_string_equal(exact, "/docker/" ID1);
    /* len bounds the text: a container past len is not seen */
    size_t cut = strlen("0::/system.slice/a.service\n");
    static const char two[] = "0::/system.slice/a.service\n1:name=systemd:/docker/" ID1 "\n";
    assert_int_equal(scw_cgroup_parse_proc(two, cut, path, sizeof(path)), 0);
    assert_string_equal(path, "/system.slice/a.service");
    assert_int_equal(scw_cgroup_parse_proc(two, strlen(two), path, sizeof(path)), 0);
    assert_string_equal(path, "/docker/" ID1);
}

static void test_names(void **state)
{
    (void)state;
    static const char *const expect[SCW_RUNTIME_MAX] = {"docker",  "containerd", "cri-o", "podman",
                                                        "runc",    "crun",       "lxc",   "nspawn",
                                                        "systemd", "unknown"};
    for (int i = 0; i < SCW_RUNTIME_MAX; i++) {
        assert_string_equal(scw_runtime_name((enum scw_runtime)i), expect[i]);
        assert_int_equal(scw_runtime_from_name(expect[i]), i);
    }
    assert_null(scw_runtime_name(SCW_RUNTIME_MAX));
    assert_null(scw_runtime_name(SCW_RUNTIME_INVALID));
    assert_int_equal(scw_runtime_from_name("crio"), SCW_RUNTIME_INVALID);
    assert_int_equal(scw_runtime_from_name(NULL), SCW_RUNTIME_INVALID);
    assert_true(scw_runtime_is_container(SCW_RUNTIME_NSPAWN));
    assert_true(scw_runtime_is_container(SCW_RUNTIME_CRUN));
    assert_false(scw_runtime_is_container(SCW_RUNTIME_SYSTEMD_UNIT));
    assert_false(scw_runtime_is_container(SCW_RUNTIME_UNKNOWN));
    assert_string_equal(scw_k8s_qos_name(SCW_QOS_BESTEFFORT), "besteffort");
    assert_string_equal(scw_k8s_qos_name(SCW_QOS_BURSTABLE), "burstable");
    assert_string_equal(scw_k8s_qos_name(SCW_QOS_GUARANTEED), "guaranteed");
    assert_null(scw_k8s_qos_name(SCW_QOS_NONE));
}

static void test_key_errors(void **state)
{
    (void)state;
    struct scw_cgroup_info info;
    assert_int_equal(scw_cgroup_classify("/docker/" ID1, &info), 0);
    char key[16] = "keep";
    assert_int_equal(scw_cgroup_workload_key(&info, "/docker/" ID1, key, sizeof(key)), -ENOBUFS);
    assert_string_equal(key, "keep");
    char exact[sizeof("docker:" ID1)];
    assert_int_equal(scw_cgroup_workload_key(&info, NULL, exact, sizeof(exact)), 0);
    assert_string_equal(exact, "docker:" ID1);
    assert_int_equal(scw_cgroup_classify("/x/y", &info), 0);
    assert_int_equal(scw_cgroup_workload_key(&info, NULL, key, sizeof(key)), -EINVAL);
    info.runtime = SCW_RUNTIME_MAX;
    assert_int_equal(scw_cgroup_workload_key(&info, "/x/y", key, sizeof(key)), -EINVAL);
}

static void test_container_new(void **state)
{
    (void)state;
    struct scw_cgroup_info info;
    struct scw_container *c;
    const char *p = "/kubepods/burstable/pod" UID_DASH "/crio-conmon-" ID2;
    assert_int_equal(scw_cgroup_classify(p, &info), 0);
    assert_int_equal(scw_cgroup_container_new(&info, p, &c), 0);
    assert_string_equal(c->runtime, "cri-o");
    assert_string_equal(c->id, ID2);
    assert_string_equal(c->name, "conmon");
    assert_string_equal(c->cgroup, p);
    assert_null(c->image);
    assert_null(c->pod);
    assert_null(c->profile);
    scw_container_free(c);

    p = "/system.slice/docker-" ID1 ".scope";
    assert_int_equal(scw_cgroup_classify(p, &info), 0);
    assert_int_equal(scw_cgroup_container_new(&info, p, &c), 0);
    assert_string_equal(c->runtime, "docker");
    assert_string_equal(c->id, ID1);
    assert_null(c->name);
    scw_container_free(c);

    p = "/lxc.payload.web1";
    assert_int_equal(scw_cgroup_classify(p, &info), 0);
    assert_int_equal(scw_cgroup_container_new(&info, p, &c), 0);
    assert_string_equal(c->runtime, "lxc");
    assert_string_equal(c->name, "web1");
    scw_container_free(c);

    p = "/system.slice/nginx.service";
    assert_int_equal(scw_cgroup_classify(p, &info), 0);
    assert_int_equal(scw_cgroup_container_new(&info, p, &c), 0);
    assert_string_equal(c->runtime, "systemd");
    assert_string_equal(c->id, "nginx.service");
    assert_string_equal(c->name, "nginx.service");
    scw_container_free(c);

    p = "/process_api/x";
    assert_int_equal(scw_cgroup_classify(p, &info), 0);
    assert_int_equal(scw_cgroup_container_new(&info, p, &c), 0);
    assert_null(c->runtime);
    assert_null(c->id);
    assert_null(c->name);
    assert_string_equal(c->cgroup, p);
    scw_container_free(c);

    info.runtime = SCW_RUNTIME_INVALID;
    c = NULL;
    assert_int_equal(scw_cgroup_container_new(&info, p, &c), -EINVAL);
    assert_null(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify_table),
        cmocka_unit_test(test_runtime_shapes),
        cmocka_unit_test(test_rootless),
        cmocka_unit_test(test_classify_errors),
        cmocka_unit_test(test_parse_proc_table),
        cmocka_unit_test(test_parse_proc_bounds),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_key_errors),
        cmocka_unit_test(test_container_new),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
