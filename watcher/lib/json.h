/*
 * json: JSON helpers shared by every writer (see json.c).
 */
#ifndef SCW_JSON_H
#define SCW_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

json_t *scw_json_string(const char *s); /* NULL -> null; invalid UTF-8 bytes -> U+FFFD */
void scw_json_put_string(FILE *out, const char *s); /* the same, written as JSON text */
json_t *scw_json_time(int64_t sec, uint32_t msec);  /* 0 -> null */
/* Indented, 13 significant digits (audit times stay exact), members in order, then '\n'. */
int scw_json_dump(json_t *doc, FILE *out);
/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
size_t scw_json_utf8_seq(const unsigned char *s, size_t left);

#endif
