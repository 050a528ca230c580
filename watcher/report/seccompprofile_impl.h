/*
 * seccompprofile_impl: what seccompprofile.c (the conversion) and seccompprofile_yaml.c (the
 * YAML writer) share, private to them. The interface is seccompprofile.h.
 */
#ifndef SCW_SECCOMPPROFILE_IMPL_H
#define SCW_SECCOMPPROFILE_IMPL_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* Comment lines (malloc'd strings, without "# "). */
struct seccompprofile_lines {
    char **v;
    size_t n, cap;
};

void seccompprofile_lines_free(struct seccompprofile_lines *l);

/* A converted profile: the spec and the comments that say how it was made. */
struct seccompprofile_doc {
    json_t *spec;
    char target[512]; /* what archMap and conditions were resolved for; "" when nothing was */
    struct seccompprofile_lines head;    /* header comment lines */
    struct seccompprofile_lines *before; /* per item of spec.syscalls: the lines above it */
    size_t n_before;
    struct seccompprofile_lines tail; /* after the last item */
};

/* The YAML document (see scw_seccompprofile_render). Returns 0, -EIO, -EINVAL. */
int seccompprofile_yaml_write(FILE *out, const struct seccompprofile_doc *d, const char *group,
                              const char *name, const char *source);

#endif
