/*
 * cgroup: /proc/PID/cgroup text -> workload path -> runtime + container id (or systemd unit).
 *
 * Pure string work on bounded input: no I/O, no allocation (names, keys and the container
 * built from a classification are cgroup_names.c's). The path is split into components (at most
 * SCW_CGROUP_DEPTH_MAX, "." and ".." dropped) and scanned from the innermost component outwards for
 * the name patterns each runtime gives its cgroups; the Kubernetes pod uid and QoS class come from
 * the kubepods components above the container. Called by the live watcher on a pid-cache miss and
 * by runtime_meta's cache.
 */
#include "cgroup.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct comp {
    const char *p;
    size_t n;
};

static bool comp_is(const struct comp *c, const char *s)
{
    size_t n = strlen(s);
    return c->n == n && memcmp(c->p, s, n) == 0;
}

static bool has_prefix(const char *p, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && memcmp(p, prefix, k) == 0;
}

static bool has_suffix(const char *p, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(p + n - k, suffix, k) == 0;
}

static bool is_hex64(const char *p, size_t n)
{
    if (n != 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
            return false;
    }
    return true;
}

static bool is_alnum(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* Container ids and machine names: runc's [\w+.-]+, bounded; never "." or "..". */
static bool is_id(const char *p, size_t n)
{
    if (n == 0 || n >= SCW_CGROUP_ID_SIZE)
        return false;
    if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (!is_alnum(ch) && ch != '_' && ch != '+' && ch != '.' && ch != '-')
            return false;
    }
    return true;
}

static bool is_digits(const char *p, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

static bool is_unit(const char *p, size_t n)
{
    static const char *const suffixes[] = {".service", ".scope", ".slice",
                                           ".socket",  ".mount", ".swap"};
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        size_t k = strlen(suffixes[i]);
        if (n > k && has_suffix(p, n, suffixes[i]))
            return true;
    }
    return false;
}

static void set_str(char *dst, size_t size, const char *p, size_t n)
{
    if (n >= size)
        n = size - 1;
    memcpy(dst, p, n);
    dst[n] = '\0';
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Undo systemd's unit-name escaping (\x2d) into out; false if the result is not an id. */
static bool unescape_name(const char *p, size_t n, char *out, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (ch == '\\' && i + 3 < n && p[i + 1] == 'x' && hexval(p[i + 2]) >= 0 &&
            hexval(p[i + 3]) >= 0) {
            ch = (char)(hexval(p[i + 2]) << 4 | hexval(p[i + 3]));
            i += 3;
        }
        if (o + 1 >= size)
            return false;
        out[o++] = ch;
    }
    out[o] = '\0';
    return is_id(out, o);
}

static bool set_container(struct scw_cgroup_info *info, enum scw_runtime rt, const char *p,
                          size_t n, bool monitor)
{
    if (!is_id(p, n))
        return false;
    info->runtime = rt;
    set_str(info->id, sizeof(info->id), p, n);
    info->monitor = monitor;
    return true;
}

/* A container the path names no id for (the key then carries the path). */
static bool set_unnamed(struct scw_cgroup_info *info, enum scw_runtime rt, bool monitor)
{
    info->runtime = rt;
    info->id[0] = '\0';
    info->monitor = monitor;
    return true;
}

/* containerd's "/<namespace>/<id>" (ctr, nerdctl with cgroupfs): the namespace is identity. */
static bool set_containerd_ns(struct scw_cgroup_info *info, const struct comp *ns,
                              const struct comp *c)
{
    if (ns->n >= sizeof(info->runtime_ns) ||
        !set_container(info, SCW_RUNTIME_CONTAINERD, c->p, c->n, false))
        return false;
    set_str(info->runtime_ns, sizeof(info->runtime_ns), ns->p, ns->n);
    return true;
}

/*
 * pam_cgfs (libpam-cgfs) puts a login session in /user/<name>/<N>; a rootless runc, crun or
 * Podman (cgroupfs manager, cgroup v1) makes the container's cgroup inside it: /user/<name>/
 * <N>/<id>. Podman ids are 64 hex digits; other ids are runc's (or crun's, see resolve).
 */
static bool match_pam_cgfs(const struct comp *cs, size_t i, struct scw_cgroup_info *info)
{
    if (i != 3 || !comp_is(&cs[0], "user") || !is_digits(cs[2].p, cs[2].n) ||
        !is_id(cs[1].p, cs[1].n) || cs[1].n >= sizeof(info->user))
        return false;
    enum scw_runtime rt = is_hex64(cs[3].p, cs[3].n) ? SCW_RUNTIME_PODMAN : SCW_RUNTIME_RUNC;
    if (!set_container(info, rt, cs[3].p, cs[3].n, false))
        return false;
    info->rootless = true;
    info->uid = SCW_CGROUP_UID_UNKNOWN;
    set_str(info->user, sizeof(info->user), cs[1].p, cs[1].n);
    return true;
}

/*
 * systemd-nspawn --keep-unit (and under a unit of its own) splits its cgroup into "payload"
 * (the container) and "supervisor" (nspawn itself). Below systemd-nspawn@NAME.service the
 * service names the machine (match_container's own rule); elsewhere (the caller's cgroup, a
 * service, the root) the name is only on the supervisor's command line: scw_meta_resolve().
 */
static bool match_nspawn_split(const struct comp *c, const struct comp *parent, bool leaf,
                               struct scw_cgroup_info *info)
{
    bool supervisor = leaf && comp_is(c, "supervisor"); /* the payload may have cgroups below */
    if (!supervisor && !comp_is(c, "payload"))
        return false;
    if (parent &&
        (!is_unit(parent->p, parent->n) || has_prefix(parent->p, parent->n, "systemd-nspawn@")))
        return false;
    return set_unnamed(info, SCW_RUNTIME_NSPAWN, supervisor);
}

/* "<prefix>-<id>" names (systemd scopes without ".scope", or cgroupfs names). */
struct prefix_rule {
    const char *prefix;
    enum scw_runtime runtime;
    bool monitor;
    bool hex64; /* the id must be 64 lowercase hex digits */
};

/* Order matters: "crio-conmon-" before "crio-". */
static const struct prefix_rule scope_rules[] = {
    {"crio-conmon-", SCW_RUNTIME_CRIO, true, false},
    {"libpod-conmon-", SCW_RUNTIME_PODMAN, true, false},
    {"docker-", SCW_RUNTIME_DOCKER, false, true},
    {"cri-containerd-", SCW_RUNTIME_CONTAINERD, false, false},
    {"crio-", SCW_RUNTIME_CRIO, false, false},
    {"libpod-", SCW_RUNTIME_PODMAN, false, false},
    {"runc-", SCW_RUNTIME_RUNC, false, false},
    {"nerdctl-", SCW_RUNTIME_CONTAINERD, false, false},
};

/* cgroupfs names that carry the runtime in a prefix (CRI-O and Podman's cgroupfs managers). */
static const struct prefix_rule plain_rules[] = {
    {"crio-conmon-", SCW_RUNTIME_CRIO, true, false},
    {"libpod-conmon-", SCW_RUNTIME_PODMAN, true, false},
    {"crio-", SCW_RUNTIME_CRIO, false, false},
    {"libpod-", SCW_RUNTIME_PODMAN, false, false},
};

static bool match_prefix_rules(const struct prefix_rule *rules, size_t n_rules, const char *p,
                               size_t n, struct scw_cgroup_info *info)
{
    for (size_t r = 0; r < n_rules; r++) {
        if (!has_prefix(p, n, rules[r].prefix))
            continue;
        size_t k = strlen(rules[r].prefix);
        if (rules[r].hex64 && !is_hex64(p + k, n - k))
            return false;
        return set_container(info, rules[r].runtime, p + k, n - k, rules[r].monitor);
    }
    return false;
}

/* systemd cgroup driver's "slice:prefix:name" spelling (as in an OCI cgroupsPath). */
static bool match_colon_form(const char *p, size_t n, struct scw_cgroup_info *info)
{
    const char *c1 = memchr(p, ':', n);
    if (!c1)
        return false;
    const char *prefix = c1 + 1;
    const char *c2 = memchr(prefix, ':', n - (size_t)(prefix - p));
    if (!c2)
        return false;
    size_t plen = (size_t)(c2 - prefix);
    const char *name = c2 + 1;
    size_t nlen = n - (size_t)(name - p);
    struct comp pc = {prefix, plen};
    enum scw_runtime rt = SCW_RUNTIME_RUNC;
    if (comp_is(&pc, "cri-containerd") || comp_is(&pc, "nerdctl"))
        rt = SCW_RUNTIME_CONTAINERD;
    else if (comp_is(&pc, "crio"))
        rt = SCW_RUNTIME_CRIO;
    else if (comp_is(&pc, "docker"))
        rt = SCW_RUNTIME_DOCKER;
    else if (comp_is(&pc, "libpod"))
        rt = SCW_RUNTIME_PODMAN;
    return set_container(info, rt, name, nlen, false);
}

static bool match_scope(const char *p, size_t n, struct scw_cgroup_info *info)
{
    size_t bn = n - strlen(".scope");
    if (match_prefix_rules(scope_rules, sizeof(scope_rules) / sizeof(scope_rules[0]), p, bn, info))
        return true;
    if (has_prefix(p, bn, "machine-")) {
        /* systemd-machined's scope: nspawn (libvirt's qemu machines are not containers) */
        char name[SCW_CGROUP_ID_SIZE];
        size_t k = strlen("machine-");
        if (!unescape_name(p + k, bn - k, name, sizeof(name)) ||
            has_prefix(name, strlen(name), "qemu-"))
            return false;
        return set_container(info, SCW_RUNTIME_NSPAWN, name, strlen(name), false);
    }
    /* Any other "<prefix>-<64hex>.scope": runc (or a runtime on top) with the systemd driver. */
    if (bn > 65 && p[bn - 65] == '-' && is_hex64(p + bn - 64, 64))
        return set_container(info, SCW_RUNTIME_RUNC, p + bn - 64, 64, false);
    return false;
}

/* Names a parent directory cannot be mistaken for a plain runc container "/<id>". */
static bool reserved_top(const struct comp *c)
{
    static const char *const names[] = {
        "docker",  "kubepods",      "lxc",    "lxc.payload", "lxc.monitor", "k8s.io", "default",
        "machine", "libpod_parent", "podman", "user",        "system",      "init",   "lxc.pivot"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (comp_is(c, names[i]))
            return true;
    return false;
}

/* Does component i identify a container? Fills info->runtime, id, monitor when it does. */
static bool match_container(const struct comp *cs, size_t n, size_t i, struct scw_cgroup_info *info)
{
    const struct comp *c = &cs[i];
    const struct comp *parent = i > 0 ? &cs[i - 1] : NULL;

    if (memchr(c->p, ':', c->n))
        return match_colon_form(c->p, c->n, info);
    if (has_suffix(c->p, c->n, ".scope") && c->n > strlen(".scope"))
        return match_scope(c->p, c->n, info);
    if (has_prefix(c->p, c->n, "systemd-nspawn@") && has_suffix(c->p, c->n, ".service")) {
        size_t k = strlen("systemd-nspawn@");
        char name[SCW_CGROUP_ID_SIZE];
        if (c->n <= k + strlen(".service") ||
            !unescape_name(c->p + k, c->n - k - strlen(".service"), name, sizeof(name)))
            return false;
        bool supervisor = i + 1 < n && comp_is(&cs[i + 1], "supervisor");
        return set_container(info, SCW_RUNTIME_NSPAWN, name, strlen(name), supervisor);
    }
    if (is_unit(c->p, c->n))
        return false;
    if (match_prefix_rules(plain_rules, sizeof(plain_rules) / sizeof(plain_rules[0]), c->p, c->n,
                           info))
        return true;
    if (has_prefix(c->p, c->n, "lxc.payload.") && c->n > strlen("lxc.payload."))
        return set_container(info, SCW_RUNTIME_LXC, c->p + strlen("lxc.payload."),
                             c->n - strlen("lxc.payload."), false);
    if (has_prefix(c->p, c->n, "lxc.monitor.") && c->n > strlen("lxc.monitor."))
        return set_container(info, SCW_RUNTIME_LXC, c->p + strlen("lxc.monitor."),
                             c->n - strlen("lxc.monitor."), true);
    if (match_nspawn_split(c, parent, i + 1 == n, info))
        return true;
    if (match_pam_cgfs(cs, i, info))
        return true;
    if (parent) {
        if (comp_is(parent, "docker") && is_hex64(c->p, c->n))
            return set_container(info, SCW_RUNTIME_DOCKER, c->p, c->n, false);
        if (comp_is(parent, "lxc") || comp_is(parent, "lxc.payload"))
            return set_container(info, SCW_RUNTIME_LXC, c->p, c->n, false);
        if (comp_is(parent, "lxc.monitor"))
            return set_container(info, SCW_RUNTIME_LXC, c->p, c->n, true);
        if (i == 1 && (comp_is(parent, "k8s.io") || comp_is(parent, "default")))
            return set_containerd_ns(info, parent, c);
        /* Podman's cgroupfs manager: every conmon shares /libpod_parent/conmon */
        if (comp_is(parent, "libpod_parent") && comp_is(c, "conmon"))
            return set_unnamed(info, SCW_RUNTIME_PODMAN, true);
        if (has_prefix(parent->p, parent->n, "pod") && is_hex64(c->p, c->n)) {
            /* Kubernetes cgroupfs driver: /kubepods[/QOS]/pod<uid>/<id> */
            for (size_t j = 0; j + 1 < i; j++)
                if (comp_is(&cs[j], "kubepods"))
                    return set_container(info, SCW_RUNTIME_CONTAINERD, c->p, c->n, false);
        }
        if (has_prefix(parent->p, parent->n, "podman-") &&
            has_suffix(parent->p, parent->n, ".scope") && is_hex64(c->p, c->n) &&
            is_digits(parent->p + strlen("podman-"),
                      parent->n - strlen("podman-") - strlen(".scope")))
            return set_container(info, SCW_RUNTIME_PODMAN, c->p, c->n, false);
        return false;
    }
    /* Plain runc: the default cgroupsPath is "/<container-id>". */
    if (n == 1 && !reserved_top(c))
        return set_container(info, SCW_RUNTIME_RUNC, c->p, c->n, false);
    return false;
}

static void set_pod_uid(struct scw_cgroup_info *info, const char *p, size_t n)
{
    if (n == 0 || n >= sizeof(info->pod_uid))
        return;
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (hexval(ch) < 0 && ch != '-' && ch != '_')
            return;
    }
    for (size_t i = 0; i < n; i++)
        info->pod_uid[i] = p[i] == '_' ? '-' : p[i];
    info->pod_uid[n] = '\0';
}

/* Kubernetes pod uid and QoS class from the components above the container (0 .. end-1). */
static void scan_kubepods(const struct comp *cs, size_t end, struct scw_cgroup_info *info)
{
    bool k8s = false;
    for (size_t i = 0; i < end; i++) {
        struct comp cut = cs[i];
        const char *colon = memchr(cut.p, ':', cut.n);
        if (colon)
            cut.n = (size_t)(colon - cut.p);
        const struct comp *c = &cut;
        if (has_suffix(c->p, c->n, ".slice")) {
            /* systemd driver: dash-separated hierarchy, e.g. kubepods-burstable-pod<uid>.slice */
            size_t bn = c->n - strlen(".slice");
            bool has_kubepods = false;
            size_t s = 0;
            for (size_t e = 0; e <= bn; e++) {
                if (e < bn && c->p[e] != '-')
                    continue;
                struct comp tok = {c->p + s, e - s};
                if (comp_is(&tok, "kubepods"))
                    has_kubepods = true;
                else if (has_kubepods && comp_is(&tok, "besteffort"))
                    info->qos = SCW_QOS_BESTEFFORT;
                else if (has_kubepods && comp_is(&tok, "burstable"))
                    info->qos = SCW_QOS_BURSTABLE;
                else if (has_kubepods && e == bn && has_prefix(tok.p, tok.n, "pod"))
                    set_pod_uid(info, tok.p + 3, tok.n - 3);
                s = e + 1;
            }
            k8s = k8s || has_kubepods;
            continue;
        }
        if (comp_is(c, "kubepods"))
            k8s = true;
        else if (k8s && comp_is(c, "besteffort"))
            info->qos = SCW_QOS_BESTEFFORT;
        else if (k8s && comp_is(c, "burstable"))
            info->qos = SCW_QOS_BURSTABLE;
        else if (k8s && has_prefix(c->p, c->n, "pod"))
            set_pod_uid(info, c->p + 3, c->n - 3);
    }
    if (k8s && info->qos == SCW_QOS_NONE)
        info->qos = SCW_QOS_GUARANTEED;
}

/* user@UID.service above index end: rootless containers and user units. Returns its index. */
static long scan_user_manager(const struct comp *cs, size_t end, struct scw_cgroup_info *info)
{
    for (size_t i = 0; i < end; i++) {
        const struct comp *c = &cs[i];
        size_t k = strlen("user@"), s = strlen(".service");
        if (!has_prefix(c->p, c->n, "user@") || !has_suffix(c->p, c->n, ".service") ||
            c->n <= k + s || c->n - k - s > 10 || !is_digits(c->p + k, c->n - k - s))
            continue;
        unsigned long long uid = 0;
        for (size_t j = k; j < c->n - s; j++)
            uid = uid * 10 + (unsigned)(c->p[j] - '0');
        if (uid > UINT32_MAX)
            continue;
        info->rootless = true;
        info->uid = (uint32_t)uid;
        return (long)i;
    }
    return -1;
}

int scw_cgroup_classify(const char *path, struct scw_cgroup_info *ret)
{
    if (!path || path[0] != '/' || !ret)
        return -EINVAL;
    size_t len = strnlen(path, SCW_CGROUP_PATH_MAX + 1);
    if (len > SCW_CGROUP_PATH_MAX)
        return -ENAMETOOLONG;

    struct comp cs[SCW_CGROUP_DEPTH_MAX];
    size_t n = 0;
    bool too_deep = false;
    for (size_t s = 0; s < len;) {
        while (s < len && path[s] == '/')
            s++;
        size_t e = s;
        while (e < len && path[e] != '/')
            e++;
        struct comp c = {path + s, e - s};
        if (c.n > 0 && !comp_is(&c, ".") && !comp_is(&c, "..")) {
            if (n == SCW_CGROUP_DEPTH_MAX) {
                too_deep = true;
                break;
            }
            cs[n++] = c;
        }
        s = e;
    }

    struct scw_cgroup_info info = {.runtime = SCW_RUNTIME_UNKNOWN, .qos = SCW_QOS_NONE};
    if (too_deep) {
        *ret = info;
        return 0;
    }
    size_t found = n;
    for (size_t i = n; i-- > 0;) {
        if (match_container(cs, n, i, &info)) {
            found = i;
            break;
        }
    }
    /* the "slice:prefix:id" spelling carries the pod slice in the container's component */
    scan_kubepods(cs, found < n && memchr(cs[found].p, ':', cs[found].n) ? found + 1 : found,
                  &info);
    long user = scan_user_manager(cs, found, &info);
    if (found < n && !info.id[0])
        info.path_len = (size_t)(cs[found].p + cs[found].n - path);
    if (found < n) {
        *ret = info;
        return 0;
    }
    info.rootless = false; /* only meaningful for containers */
    info.uid = 0;
    for (size_t i = n; i-- > 0;) {
        if (!is_unit(cs[i].p, cs[i].n))
            continue;
        info.runtime = SCW_RUNTIME_SYSTEMD_UNIT;
        if (user >= 0 && (size_t)user < i) {
            const struct comp *u = &cs[user];
            if (u->n + 1 + cs[i].n < sizeof(info.unit)) {
                memcpy(info.unit, u->p, u->n);
                info.unit[u->n] = '/';
                set_str(info.unit + u->n + 1, sizeof(info.unit) - u->n - 1, cs[i].p, cs[i].n);
                break;
            }
        }
        set_str(info.unit, sizeof(info.unit), cs[i].p, cs[i].n);
        break;
    }
    *ret = info;
    return 0;
}

/* Preference rank of a v1 controller list (lower is better). */
static int controller_rank(const char *p, size_t n)
{
    static const char *const order[] = {"name=systemd", "pids",  "memory",  "cpu",    "cpuacct",
                                        "cpuset",       "blkio", "devices", "freezer"};
    int best = (int)(sizeof(order) / sizeof(order[0])) + 1;
    size_t s = 0;
    for (size_t e = 0; e <= n; e++) {
        if (e < n && p[e] != ',')
            continue;
        struct comp tok = {p + s, e - s};
        for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
            if (comp_is(&tok, order[i]) && (int)i + 1 < best)
                best = (int)i + 1;
        s = e + 1;
    }
    return best;
}

/*
 * A plain runc name at the top ("/web") is a guess: any top-level v1 cgroup looks like that.
 * It does not outrank the preferred line; a 64-hex id there does.
 */
static bool weak_match(const char *path, const struct scw_cgroup_info *info)
{
    return info->runtime == SCW_RUNTIME_RUNC && strchr(path + 1, '/') == NULL &&
           !is_hex64(info->id, strlen(info->id));
}

struct candidate {
    const char *p;
    size_t n;
    int rank;
};

int scw_cgroup_parse_proc(const char *text, size_t len, char *ret_path, size_t size)
{
    if (!text || !ret_path)
        return -EINVAL;
    struct candidate cands[SCW_CGROUP_LINES_MAX];
    size_t n_cands = 0, lines = 0;
    bool any = false;
    for (size_t s = 0; s < len && lines < SCW_CGROUP_LINES_MAX; lines++) {
        const char *nl = memchr(text + s, '\n', len - s);
        size_t e = nl ? (size_t)(nl - text) : len;
        const char *line = text + s;
        size_t ln = e - s;
        s = e + 1;

        /* hierarchy-id ":" controller-list ":" path; the path may itself hold ':' */
        const char *c1 = memchr(line, ':', ln);
        if (!c1 || !is_digits(line, (size_t)(c1 - line)) || memchr(line, '\0', ln))
            continue;
        const char *ctrl = c1 + 1;
        const char *c2 = memchr(ctrl, ':', ln - (size_t)(ctrl - line));
        if (!c2)
            continue;
        const char *p = c2 + 1;
        size_t pn = ln - (size_t)(p - line);
        if (pn > 0 && p[pn - 1] == '\r')
            pn--;
        if (has_suffix(p, pn, " (deleted)"))
            pn -= strlen(" (deleted)");
        if (pn == 0 || p[0] != '/' || pn > SCW_CGROUP_PATH_MAX)
            continue;
        any = true;
        if (pn == 1)
            continue;
        size_t cn = (size_t)(c2 - ctrl);
        int rank = (cn == 0 && (c1 - line) == 1 && line[0] == '0') ? 0 : controller_rank(ctrl, cn);
        cands[n_cands++] = (struct candidate){p, pn, rank};
    }
    if (!any)
        return -EINVAL;

    /* Stable selection by rank: the first container wins, else the first candidate. */
    const struct candidate *first = NULL;
    char buf[SCW_CGROUP_PATH_MAX + 1];
    for (int rank = 0; rank <= 10; rank++) {
        for (size_t i = 0; i < n_cands; i++) {
            if (cands[i].rank != rank)
                continue;
            if (!first)
                first = &cands[i];
            memcpy(buf, cands[i].p, cands[i].n);
            buf[cands[i].n] = '\0';
            struct scw_cgroup_info info;
            if (scw_cgroup_classify(buf, &info) == 0 && scw_runtime_is_container(info.runtime) &&
                !weak_match(buf, &info)) {
                if (cands[i].n + 1 > size)
                    return -ENOBUFS;
                memcpy(ret_path, buf, cands[i].n + 1);
                return 0;
            }
        }
    }
    const char *p = first ? first->p : "/";
    size_t pn = first ? first->n : 1;
    if (pn + 1 > size)
        return -ENOBUFS;
    memcpy(ret_path, p, pn);
    ret_path[pn] = '\0';
    return 0;
}
