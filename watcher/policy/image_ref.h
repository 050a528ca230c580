/*
 * image_ref: container image references, made canonical and matched, so that a workload's
 * image finds the scanner reports of that image however either spells it.
 *
 * The rule (documented in scmpwatch-vulns(1)):
 *   canonical form  DOMAIN/PATH[:TAG][@ALGO:HEX], or ALGO:HEX alone for an image id;
 *   DOMAIN is the first component when it holds '.' or ':' (a port) or is "localhost", else
 *   docker.io ("index.docker.io" is docker.io); on docker.io a one-component PATH gets
 *   "library/"; no TAG and no digest means ":latest"; a bare 64-hex id means "sha256:" + id.
 *   So nginx, nginx:latest, docker.io/nginx and docker.io/library/nginx:latest are one image,
 *   and localhost:5000/app is the registry localhost:5000.
 *   Two references match when both have a digest and the digests are equal (whatever the
 *   names), or else when both have a tag and name and tag are equal. A reference with a
 *   digest and no tag therefore matches only by digest.
 *
 * Pure string work: no I/O. This module does not read reports or match cve_blocks (vulns.h).
 * Callers: vulns.c and vulns_read.c; the tests through vulns.h, which includes this header.
 */
#ifndef SCW_IMAGE_REF_H
#define SCW_IMAGE_REF_H

#include <stdbool.h>
#include <stddef.h>

#define SCW_IMAGE_REF_MAX        1024 /* bytes in a reference, and in its canonical form */
#define SCW_IMAGE_REF_CANON_SIZE (SCW_IMAGE_REF_MAX + 32) /* scw_image_ref_canon_into's buf */

/*
 * scw_image_ref_canonical returns 0 and a malloc'd canonical form, -EINVAL (not a valid
 * reference, or it or its canonical form longer than SCW_IMAGE_REF_MAX) or -ENOMEM.
 * scw_image_ref_match is false if either is not a reference.
 */
int scw_image_ref_canonical(const char *ref, char **ret);
bool scw_image_ref_match(const char *a, const char *b);

/* The same without allocating: the canonical form into buf (SCW_IMAGE_REF_CANON_SIZE bytes
 * hold every one), 0 or -EINVAL (not a reference, or buf too small); and the match of two
 * references that are canonical already. */
int scw_image_ref_canon_into(const char *ref, char *buf, size_t size);
bool scw_image_ref_canon_match(const char *a, const char *b);

#endif
