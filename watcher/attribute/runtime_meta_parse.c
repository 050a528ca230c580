/*
 * runtime_meta_parse: the runtimes' state files, from memory, into the NULL fields of a
 * struct scw_container (see runtime_meta.h for each parser's contract).
 *
 * No I/O: runtime_meta_read.c reads the files and calls these; tests and the fuzzer call them
 * directly. Values are copied (never borrowed from the document), bounded by
 * SCW_META_STRING_MAX, and refused when they hold control characters: a container controls its
 * labels and annotations, and they end up in terminals and reports.
 */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "runtime_meta.h"

static bool good_string(const char *s, size_t n)
{
    if (n == 0 || n > SCW_META_STRING_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f)
            return false;
    }
    return true;
}

static int set_str(char **dst, const char *s, size_t n)
{
    if (*dst || !s || !good_string(s, n))
        return 0;
    *dst = strndup(s, n);
    return *dst ? 0 : -ENOMEM;
}

/* Set *dst from a JSON string when *dst is unset and the value is acceptable. */
static int set_field(char **dst, const json_t *v, bool skip_slash)
{
    if (*dst || !json_is_string(v))
        return 0;
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (skip_slash && n > 0 && s[0] == '/') {
        s++;
        n--;
    }
    return set_str(dst, s, n);
}

/* Set *dst from the first of keys in obj with an acceptable value. */
static int set_first(char **dst, const json_t *obj, const char *const *keys)
{
    for (; *keys && !*dst; keys++) {
        int rc = set_field(dst, json_object_get(obj, *keys), false);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The document, when it parses and its top level is of type want; else NULL and *ret_err. */
static json_t *load(const char *data, size_t len, json_type want, int *ret_err)
{
    if (len > SCW_META_FILE_MAX) {
        *ret_err = -E2BIG;
        return NULL;
    }
    json_error_t jerr;
    json_t *root = json_loadb(data, len, 0, &jerr);
    if (root && json_typeof(root) != want) {
        json_decref(root);
        root = NULL;
    }
    if (!root)
        *ret_err = -EBADMSG;
    return root;
}

/* A JSON object kept as a JSON string (CRI-O's annotations, containers-storage metadata). */
static json_t *load_embedded(const json_t *v)
{
    if (!json_is_string(v) || json_string_length(v) > SCW_META_FILE_MAX)
        return NULL;
    json_error_t jerr;
    json_t *o = json_loadb(json_string_value(v), json_string_length(v), 0, &jerr);
    if (o && !json_is_object(o)) {
        json_decref(o);
        o = NULL;
    }
    return o;
}

/* c->labels from a JSON object of strings (at most SCW_META_LABELS_MAX, bad ones skipped). */
static int set_labels(struct scw_container *c, const json_t *kv)
{
    if (c->labels || !json_is_object(kv) || json_object_size(kv) == 0)
        return 0;
    size_t max =
        json_object_size(kv) < SCW_META_LABELS_MAX ? json_object_size(kv) : SCW_META_LABELS_MAX;
    char **labels = calloc(max + 1, sizeof(*labels));
    if (!labels)
        return -ENOMEM;
    size_t n = 0;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)kv, k, v)
    {
        if (n == max)
            break;
        size_t kl = strlen(k);
        if (!json_is_string(v) || !good_string(k, kl) || memchr(k, '=', kl) ||
            (json_string_length(v) > 0 &&
             !good_string(json_string_value(v), json_string_length(v))))
            continue;
        size_t vl = json_string_length(v);
        char *s = malloc(kl + vl + 2);
        if (!s) {
            scw_container_labels_free(labels);
            return -ENOMEM;
        }
        memcpy(s, k, kl);
        s[kl] = '=';
        memcpy(s + kl + 1, json_string_value(v), vl);
        s[kl + 1 + vl] = '\0';
        labels[n++] = s;
    }
    if (n == 0) {
        free(labels);
        return 0;
    }
    c->labels = labels;
    return 0;
}

/* Kubernetes fields from CRI annotations (OCI), kubelet labels, or Docker labels. */
static int set_k8s(const json_t *kv, struct scw_container *c)
{
    static const char *const pod[] = {"io.kubernetes.cri.sandbox-name", "io.kubernetes.pod.name",
                                      NULL};
    static const char *const ns[] = {"io.kubernetes.cri.sandbox-namespace",
                                     "io.kubernetes.pod.namespace", NULL};
    static const char *const ctr[] = {"io.kubernetes.cri.container-name",
                                      "io.kubernetes.container.name", NULL};
    static const char *const image[] = {"io.kubernetes.cri.image-name",
                                        "io.kubernetes.cri-o.ImageName",
                                        "io.kubernetes.cri-o.Image", NULL};
    static const char *const name[] = {"nerdctl/name", NULL};
    int rc = 0;
    if (!json_is_object(kv))
        return 0;
    if ((rc = set_first(&c->pod, kv, pod)) < 0 || (rc = set_first(&c->namespace, kv, ns)) < 0 ||
        (rc = set_first(&c->k8s_container, kv, ctr)) < 0 ||
        (rc = set_first(&c->image, kv, image)) < 0 || (rc = set_first(&c->name, kv, name)) < 0)
        return rc;
    return 0;
}

/*
 * The '_'-separated parts of a CRI-O name: "k8s_<pod>_<ns>_<uid>_<attempt>" (SandboxName) or
 * "k8s_<container>_<pod>_<ns>_<uid>_<attempt>" (Name). Kubernetes names hold no '_'.
 */
static size_t split_k8s_name(const json_t *v, const char *parts[6], size_t lens[6])
{
    if (!json_is_string(v))
        return 0;
    const char *s = json_string_value(v);
    size_t n = json_string_length(v), k = 0, start = 0;
    if (n < 4 || memcmp(s, "k8s_", 4) != 0)
        return 0;
    start = 4;
    for (size_t i = 4; i <= n; i++) {
        if (i < n && s[i] != '_')
            continue;
        if (k == 6)
            return 0;
        parts[k] = s + start;
        lens[k++] = i - start;
        start = i + 1;
    }
    return k;
}

/* CRI-O's own annotations (io.kubernetes.cri-o.*), for what the kubelet's did not give. */
static int set_crio(const json_t *a, struct scw_container *c)
{
    if (!json_is_object(a))
        return 0;
    int rc = 0;
    /* Labels: the CRI container's labels, which hold the kubelet's io.kubernetes.* fields */
    json_t *labels = load_embedded(json_object_get(a, "io.kubernetes.cri-o.Labels"));
    if (labels && (rc = set_k8s(labels, c)) == 0)
        rc = set_labels(c, labels);
    json_decref(labels);
    if (rc < 0)
        return rc;
    /* Metadata: {"name": container} for a container, {"name","namespace","uid"} (or
     * capitalised, older CRI-O) of the pod for a sandbox */
    const char *type = json_string_value(json_object_get(a, "io.kubernetes.cri-o.ContainerType"));
    bool sandbox = type && strcmp(type, "sandbox") == 0;
    json_t *md = load_embedded(json_object_get(a, "io.kubernetes.cri-o.Metadata"));
    static const char *const md_name[] = {"name", "Name", NULL};
    static const char *const md_ns[] = {"namespace", "Namespace", NULL};
    if (md && !sandbox)
        rc = set_first(&c->k8s_container, md, md_name);
    else if (md && (rc = set_first(&c->pod, md, md_name)) == 0)
        rc = set_first(&c->namespace, md, md_ns);
    json_decref(md);
    if (rc < 0)
        return rc;
    static const char *const ns[] = {"io.kubernetes.cri-o.Namespace", NULL};
    if ((rc = set_first(&c->namespace, a, ns)) < 0)
        return rc;
    const char *parts[6];
    size_t lens[6];
    size_t k = split_k8s_name(json_object_get(a, "io.kubernetes.cri-o.SandboxName"), parts, lens);
    if (k == 4 && ((rc = set_str(&c->pod, parts[0], lens[0])) < 0 ||
                   (rc = set_str(&c->namespace, parts[1], lens[1])) < 0))
        return rc;
    k = split_k8s_name(json_object_get(a, "io.kubernetes.cri-o.Name"), parts, lens);
    if (k == 5 && !sandbox &&
        ((rc = set_str(&c->k8s_container, parts[0], lens[0])) < 0 ||
         (rc = set_str(&c->pod, parts[1], lens[1])) < 0 ||
         (rc = set_str(&c->namespace, parts[2], lens[2])) < 0))
        return rc;
    return 0;
}

/* ociVersion "1", "1.0.2-dev", "1.1.0": 1.x. Absent: accepted (hand-written bundles). */
static bool oci_version_known(const json_t *v)
{
    if (!v)
        return true;
    const char *s = json_string_value(v);
    return s && s[0] == '1' && (s[1] == '\0' || s[1] == '.');
}

int scw_meta_parse_oci_flags(const char *data, size_t len, const char *path, int flags,
                             struct scw_container *c)
{
    int rc = 0;
    json_t *root = load(data, len, JSON_OBJECT, &rc);
    if (!root)
        return rc;
    if (!oci_version_known(json_object_get(root, "ociVersion"))) {
        json_decref(root);
        return -EPROTO;
    }
    json_t *ann = json_object_get(root, "annotations");
    rc = set_k8s(ann, c);
    if (rc == 0)
        rc = set_crio(ann, c);
    if (rc == 0 && (flags & SCW_META_OCI_LABELS))
        rc = set_labels(c, ann);
    /* a Kubernetes container is best known by its container name */
    if (rc == 0 && !c->name && c->k8s_container && !(c->name = strdup(c->k8s_container)))
        rc = -ENOMEM;
    bool seccomp = json_is_object(json_object_get(json_object_get(root, "linux"), "seccomp"));
    if (rc == 0 && seccomp && path && !c->profile && !(c->profile = strdup(path)))
        rc = -ENOMEM;
    json_decref(root);
    if (rc < 0)
        return rc;
    return seccomp ? 0 : 1;
}

int scw_meta_parse_oci(const char *data, size_t len, const char *path, struct scw_container *c)
{
    return scw_meta_parse_oci_flags(data, len, path, 0, c);
}

int scw_meta_parse_docker(const char *data, size_t len, struct scw_container *c)
{
    int rc = 0;
    json_t *root = load(data, len, JSON_OBJECT, &rc);
    if (!root)
        return rc;
    json_t *config = json_object_get(root, "Config");
    if (config && !json_is_object(config)) {
        json_decref(root);
        return -EBADMSG;
    }
    json_t *labels = json_object_get(config, "Labels");
    if ((rc = set_field(&c->name, json_object_get(root, "Name"), true)) == 0 &&
        (rc = set_field(&c->image, json_object_get(config, "Image"), false)) == 0 &&
        (rc = set_k8s(labels, c)) == 0)
        rc = set_labels(c, labels);
    json_decref(root);
    return rc;
}

int scw_meta_parse_storage(const char *data, size_t len, const char *id, struct scw_container *c)
{
    int rc = 0;
    json_t *root = load(data, len, JSON_ARRAY, &rc);
    if (!root)
        return rc;
    if (!id) {
        json_decref(root);
        return -EBADMSG;
    }
    rc = -ENOENT;
    size_t i;
    json_t *e;
    json_array_foreach(root, i, e)
    {
        json_t *eid = json_object_get(e, "id");
        if (!json_is_string(eid) || strcmp(json_string_value(eid), id) != 0)
            continue;
        rc = set_field(&c->name, json_array_get(json_object_get(e, "names"), 0), false);
        /* "metadata" is itself JSON, in a string: {"image-name": ..., "name": ...} */
        json_t *m = load_embedded(json_object_get(e, "metadata"));
        if (rc == 0)
            rc = set_field(&c->image, json_object_get(m, "image-name"), false);
        if (rc == 0)
            rc = set_field(&c->name, json_object_get(m, "name"), false);
        json_decref(m);
        break;
    }
    json_decref(root);
    return rc;
}

/* An absolute bundle path, copied. */
static int take_bundle(const char *s, size_t n, char **ret)
{
    if (n == 0 || s[0] != '/' || n >= PATH_MAX - 32 || !good_string(s, n))
        return -EBADMSG;
    char *b = strndup(s, n);
    if (!b)
        return -ENOMEM;
    *ret = b;
    return 0;
}

int scw_meta_parse_runc_state(const char *data, size_t len, char **ret_bundle)
{
    int rc = 0;
    json_t *root = load(data, len, JSON_OBJECT, &rc);
    if (!root)
        return rc;
    rc = -ENOENT;
    size_t i;
    json_t *label;
    json_array_foreach(json_object_get(json_object_get(root, "config"), "labels"), i, label)
    {
        const char *s = json_string_value(label);
        size_t n = json_string_length(label);
        const size_t k = strlen("bundle=");
        if (!s || n <= k || memcmp(s, "bundle=", k) != 0)
            continue;
        rc = take_bundle(s + k, n - k, ret_bundle);
        break;
    }
    json_decref(root);
    return rc;
}

int scw_meta_parse_crun_status(const char *data, size_t len, char **ret_bundle)
{
    int rc = 0;
    json_t *root = load(data, len, JSON_OBJECT, &rc);
    if (!root)
        return rc;
    json_t *b = json_object_get(root, "bundle");
    rc = json_is_string(b) ? take_bundle(json_string_value(b), json_string_length(b), ret_bundle)
                           : -ENOENT;
    json_decref(root);
    return rc;
}

int scw_meta_parse_libpod_config(const char *data, size_t len, struct scw_container *c)
{
    int rc = 0;
    json_t *root = load(data, len, JSON_OBJECT, &rc);
    if (!root)
        return rc;
    rc = set_labels(c, json_object_get(root, "labels"));
    if (rc == 0)
        rc = set_field(&c->name, json_object_get(root, "name"), false);
    json_decref(root);
    return rc;
}

static bool parse_u32(const char *p, size_t n, uint32_t *ret)
{
    uint64_t v = 0;
    if (n == 0 || n > 10)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(p[i] - '0');
    }
    if (v > UINT32_MAX)
        return false;
    *ret = (uint32_t)v;
    return true;
}

int scw_meta_parse_passwd(const char *data, size_t len, const char *name, uint32_t uid,
                          uint32_t *ret_uid, char **ret_home)
{
    for (size_t s = 0; s < len;) {
        const char *nl = memchr(data + s, '\n', len - s);
        size_t e = nl ? (size_t)(nl - data) : len;
        const char *line = data + s;
        size_t ln = e - s;
        s = e + 1;
        if (ln == 0 || ln > 4096 || line[0] == '#')
            continue;
        /* name:passwd:uid:gid:gecos:home:shell */
        const char *f[7];
        size_t fl[7], k = 0, start = 0;
        for (size_t i = 0; i <= ln && k < 7; i++) {
            if (i < ln && line[i] != ':')
                continue;
            f[k] = line + start;
            fl[k++] = i - start;
            start = i + 1;
        }
        uint32_t u;
        if (k < 6 || !parse_u32(f[2], fl[2], &u))
            continue;
        if (name ? (fl[0] != strlen(name) || memcmp(f[0], name, fl[0]) != 0) : u != uid)
            continue;
        if (fl[5] == 0 || f[5][0] != '/' || fl[5] >= PATH_MAX - 128 || !good_string(f[5], fl[5]))
            return -ENOENT; /* listed, but with no usable home */
        char *home = strndup(f[5], fl[5]);
        if (!home)
            return -ENOMEM;
        *ret_uid = u;
        *ret_home = home;
        return 0;
    }
    return -ENOENT;
}

/* The last component of a path without a trailing '/', and without an image's suffix. */
static int basename_of(const char *p, bool image, char **ret)
{
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        n--;
    const char *b = p;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '/')
            b = p + i + 1;
    size_t bn = n - (size_t)(b - p);
    if (image && bn > 4 &&
        (memcmp(b + bn - 4, ".raw", 4) == 0 || memcmp(b + bn - 4, ".img", 4) == 0))
        bn -= 4;
    if (!good_string(b, bn) || memchr(b, '/', bn))
        return -ENOENT;
    *ret = strndup(b, bn);
    return *ret ? 0 : -ENOMEM;
}

int scw_meta_parse_nspawn_cmdline(const char *data, size_t len, char **ret_name, char **ret_bundle)
{
    const char *argv[256];
    size_t argc = 0;
    for (size_t s = 0; s < len && argc < 256;) {
        const char *z = memchr(data + s, '\0', len - s);
        if (!z)
            break; /* the last argument was cut: leave it */
        argv[argc++] = data + s;
        s = (size_t)(z - data) + 1;
    }
    if (argc == 0)
        return -ENOENT;
    const char *a0 = strrchr(argv[0], '/');
    if (strcmp(a0 ? a0 + 1 : argv[0], "systemd-nspawn") != 0)
        return -ENOENT;
    const char *machine = NULL, *dir = NULL, *image = NULL, *bundle = NULL;
    static const struct {
        const char *shrt, *lng;
        int which;
    } opts[] = {{"-M", "--machine", 0},
                {"-D", "--directory", 1},
                {"-i", "--image", 2},
                {NULL, "--oci-bundle", 3}};
    for (size_t i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        for (size_t o = 0; o < sizeof(opts) / sizeof(opts[0]); o++) {
            const char *val = NULL;
            size_t ll = strlen(opts[o].lng);
            if (strncmp(argv[i], opts[o].lng, ll) == 0 && argv[i][ll] == '=')
                val = argv[i] + ll + 1;
            else if ((strcmp(argv[i], opts[o].lng) == 0 ||
                      (opts[o].shrt && strcmp(argv[i], opts[o].shrt) == 0)) &&
                     i + 1 < argc)
                val = argv[++i];
            else if (opts[o].shrt && strncmp(argv[i], opts[o].shrt, 2) == 0 && argv[i][2])
                val = argv[i] + 2;
            if (!val)
                continue;
            const char **dst[] = {&machine, &dir, &image, &bundle};
            *dst[opts[o].which] = val;
            break;
        }
    }
    char *name = NULL, *b = NULL;
    int rc = -ENOENT;
    if (machine && good_string(machine, strlen(machine)) && !strchr(machine, '/'))
        rc = (name = strdup(machine)) ? 0 : -ENOMEM;
    else if (dir || image || bundle)
        rc = basename_of(dir ? dir : image ? image : bundle, !dir && image, &name);
    if (rc == 0 && bundle && bundle[0] == '/' && good_string(bundle, strlen(bundle)) &&
        strlen(bundle) < PATH_MAX - 32 && !(b = strdup(bundle)))
        rc = -ENOMEM;
    if (rc < 0) {
        free(name);
        return rc;
    }
    *ret_name = name;
    *ret_bundle = b;
    return 0;
}
