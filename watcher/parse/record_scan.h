/*
 * record_scan: the byte-level scanners behind record.c's parsers, private to parse/: hex and
 * decimal numbers (eight bytes at a time where the line has eight more), keys, values and
 * literals of the kernel's field order, the code= value with glued enrichment. Everything is
 * inline and bounded by `end`: nothing here reads past the line, allocates or makes a syscall.
 * Included by record.c only (the hot path of replay); in a header so that it inlines.
 */
#ifndef SCW_RECORD_SCAN_H
#define SCW_RECORD_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ENRICHED_SEP 0x1d

#define INLINE static inline __attribute__((always_inline))

/* Hex digit values + 1; 0 = not a hex digit. */
static const unsigned char hex_table[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,  ['9'] = 10, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
    ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

INLINE int hexval(unsigned char c)
{
    return hex_table[c] - 1;
}

/* Unsigned decimal, whole token; false on empty, junk or overflow. */
INLINE bool parse_u64(const char *s, size_t len, uint64_t *ret)
{
    uint64_t v = 0;
    if (len == 0 || len > 20)
        return false;
    if (len < 20) { /* 19 digits cannot overflow: no check per digit */
        for (size_t i = 0; i < len; i++) {
            unsigned d = (unsigned char)s[i] - '0';
            if (d > 9)
                return false;
            v = v * 10 + d;
        }
        *ret = v;
        return true;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned char)s[i] - '0';
        if (d > 9 || v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *ret = v;
    return true;
}

/* Hex with optional 0x, whole token. */
INLINE bool parse_hex(const char *s, size_t len, uint64_t *ret)
{
    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        len -= 2;
    }
    if (len == 0 || len > 16)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        int d = hexval((unsigned char)s[i]);
        if (d < 0)
            return false;
        v = v << 4 | (uint64_t)d;
    }
    *ret = v;
    return true;
}

INLINE bool parse_i64(const char *s, size_t len, int64_t *ret)
{
    uint64_t v;
    bool neg = len > 0 && s[0] == '-';
    if (!parse_u64(s + neg, len - neg, &v) || v > (uint64_t)INT64_MAX)
        return false;
    *ret = neg ? -(int64_t)v : (int64_t)v;
    return true;
}

/*
 * Field scanning, the hot loop of replay: find the first byte of a small set, eight bytes at a
 * time where the line has eight more (never reading past end), byte by byte otherwise.
 */
#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Bit 7 of each byte of x that equals c; exact for the lowest such byte. */
INLINE uint64_t byte_eq(uint64_t x, unsigned char c)
{
    uint64_t y = x ^ (ONES * c);
    return (y - ONES) & ~y & HIGHS;
}

INLINE size_t first_match(uint64_t m)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (size_t)__builtin_ctzll(m) >> 3;
#else
    return (size_t)__builtin_clzll(m) >> 3;
#endif
}

/* Next ' ', '=' or 0x1d (end of a key). */
INLINE const char *scan_key(const char *p, const char *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (end - p >= 8) {
        uint64_t x;
        memcpy(&x, p, 8);
        uint64_t m = byte_eq(x, ' ') | byte_eq(x, '=') | byte_eq(x, ENRICHED_SEP);
        if (m)
            return p + first_match(m);
        p += 8;
    }
#endif
    while (p < end && *p != '=' && *p != ' ' && *p != ENRICHED_SEP)
        p++;
    return p;
}

/* Next ' ' or 0x1d (end of an unquoted value). */
INLINE const char *scan_value(const char *p, const char *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (end - p >= 8) {
        uint64_t x;
        memcpy(&x, p, 8);
        uint64_t m = byte_eq(x, ' ') | byte_eq(x, ENRICHED_SEP);
        if (m)
            return p + first_match(m);
        p += 8;
    }
#endif
    while (p < end && *p != ' ' && *p != ENRICHED_SEP)
        p++;
    return p;
}

/*
 * Enrichment glued to the code value: auditd's ENRICHED format ends the kernel's fields with
 * 0x1d, and copies of such lines (pasted into issues, wikis, other projects' fixtures) often
 * lose it: "code=0x7ffc0000AUID=\"unset\" UID=...". The kernel writes code= in lower-case hex
 * and enrichment keys are upper case, so an upper-case KEY= right after the digits is where
 * the enrichment begins.
 */
INLINE bool glued_enrichment(const char *p, const char *end)
{
    const char *k = p;
    while (p < end && ((*p >= 'A' && *p <= 'Z') || *p == '_'))
        p++;
    return p > k && p < end && *p == '=';
}

/* The kernel's code=0x value at *pp: 1..8 lower-case hex digits, then the end of the field or
 * glued enrichment (which ends the record: *pp is set to end). */
INLINE bool take_code(const char **pp, const char *end, uint64_t *ret)
{
    const char *p = *pp;
    uint64_t v = 0;
    while (p < end && p - *pp < 8 && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
        v = v << 4 | (uint64_t)hexval((unsigned char)*p++);
    if (p == *pp)
        return false;
    if (p < end && *p != ' ' && *p != ENRICHED_SEP) {
        if (!glued_enrichment(p, end))
            return false;
        p = end;
    }
    *pp = p;
    *ret = v;
    return true;
}

#define KEY_IS(k, kl, lit) ((kl) == sizeof(lit) - 1 && memcmp((k), (lit), sizeof(lit) - 1) == 0)

/*
 * The fast path: the fields exactly as the kernel writes them (audit_seccomp() in
 * kernel/auditsc.c), which is nearly every record. Literal keys in order, numbers parsed while
 * scanned. Anything unusual (another order, an extra field, a value the strict forms below do
 * not take) returns false, and the general parser reads the record from scratch, so the
 * result never depends on which path took it (tests/test_record.c checks both agree).
 */
/*
 * A literal's bytes o..o+7 as a little-endian word, computed by the compiler (the index is
 * clamped so that the dead branch never reads past the literal).
 */
#define LIT_B(s, i)                                                                                \
    ((size_t)(i) < sizeof(s) - 1                                                                   \
         ? (uint64_t)(unsigned char)(s)[(size_t)(i) < sizeof(s) - 1 ? (size_t)(i) : 0]             \
               << (8 * ((i) % 8))                                                                  \
         : 0)
#define LIT_W(s, o)                                                                                \
    (LIT_B(s, (o)) | LIT_B(s, (o) + 1) | LIT_B(s, (o) + 2) | LIT_B(s, (o) + 3) |                   \
     LIT_B(s, (o) + 4) | LIT_B(s, (o) + 5) | LIT_B(s, (o) + 6) | LIT_B(s, (o) + 7))

/* The literal lit (len bytes, at most 16; w1, w2 its words) at *pp: skip it. */
INLINE bool take_lit(const char **pp, const char *end, const char *lit, size_t len, uint64_t w1,
                     uint64_t w2)
{
    size_t avail = (size_t)(end - *pp);
    if (avail < len)
        return false;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* masked word compares against constants: no memcmp call, no partial loads */
    if (avail >= 16) {
        uint64_t a;
        size_t l1 = len < 8 ? len : 8;
        memcpy(&a, *pp, 8);
        if ((a & (l1 == 8 ? ~0ULL : (1ULL << (8 * l1)) - 1)) != w1)
            return false;
        if (len > 8) {
            memcpy(&a, *pp + 8, 8);
            if ((a & (len == 16 ? ~0ULL : (1ULL << (8 * (len - 8))) - 1)) != w2)
                return false;
        }
        *pp += len;
        return true;
    }
#else
    (void)w1;
    (void)w2;
#endif
    for (size_t i = 0; i < len; i++)
        if ((*pp)[i] != lit[i])
            return false;
    *pp += len;
    return true;
}
#define TAKE(lit) take_lit(&p, end, (lit), sizeof(lit) - 1, LIT_W(lit, 0), LIT_W(lit, 8))

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR_DIGITS 1
/* The value of the k (1..8) decimal digits in the low bytes of x (first digit lowest). */
INLINE uint64_t swar_digits(uint64_t x, size_t k)
{
    if (k < 8)
        x <<= 8 * (8 - k); /* leading zero bytes act as leading zeros */
    x &= 0x0f0f0f0f0f0f0f0fULL;
    x = (x * 2561) >> 8;
    x = ((x & 0x00ff00ff00ff00ffULL) * 6553601) >> 16;
    return ((x & 0x0000ffff0000ffffULL) * 42949672960001ULL) >> 32;
}

/* Number of leading decimal digits (0..8) in x. */
INLINE size_t swar_digit_run(uint64_t x)
{
    /* a byte is not a digit when x - '0' borrows or x + 0x46 passes 0x7f; the lowest such
     * byte is exact (borrows and carries only move upwards) */
    uint64_t nd = ((x - ONES * '0') | (x + ONES * 0x46)) & HIGHS;
    return nd ? (size_t)__builtin_ctzll(nd) >> 3 : 8;
}
#endif

static const uint64_t pow10_table[9] = {1,      10,      100,      1000,     10000,
                                        100000, 1000000, 10000000, 100000000};

/* 1..max_digits (<= 19) decimal digits. */
INLINE bool take_dec(const char **pp, const char *end, unsigned max_digits, uint64_t *ret)
{
    const char *p = *pp;
    uint64_t v = 0;
#ifdef SWAR_DIGITS
    while (end - p >= 8) {
        uint64_t x;
        memcpy(&x, p, 8);
        size_t k = swar_digit_run(x);
        if (k)
            v = v * pow10_table[k] + swar_digits(x, k);
        p += k;
        if ((size_t)(p - *pp) > max_digits)
            return false;
        if (k < 8)
            goto done;
    }
#endif
    while (p < end && (unsigned char)(*p - '0') <= 9) {
        if ((unsigned)(p - *pp) >= max_digits)
            return false;
        v = v * 10 + (unsigned)(*p - '0');
        p++;
    }
#ifdef SWAR_DIGITS
done:
#endif
    if (p == *pp || (size_t)(p - *pp) > max_digits)
        return false;
    *pp = p;
    *ret = v;
    return true;
}

/* 1..max_digits hex digits (no 0x). */
INLINE bool take_hex(const char **pp, const char *end, unsigned max_digits, uint64_t *ret)
{
    const char *p = *pp;
    uint64_t v = 0;
    int d;
    while (p < end && (d = hexval((unsigned char)*p)) >= 0) {
        if ((unsigned)(p - *pp) >= max_digits)
            return false;
        v = v << 4 | (uint64_t)d;
        p++;
    }
    if (p == *pp)
        return false;
    *pp = p;
    *ret = v;
    return true;
}

/* A string value, quoted (closed) or bare; its text including quotes in *ret_v. */
INLINE bool take_str(const char **pp, const char *end, const char **ret_v, size_t *ret_len)
{
    const char *p = *pp;
    if (p < end && *p == '"') {
        const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
        if (!q)
            return false;
        p = q + 1;
    } else {
        p = scan_value(p, end);
    }
    *ret_v = *pp;
    *ret_len = (size_t)(p - *pp);
    *pp = p;
    return true;
}

/* Decimal digits at *pp (at least one), advancing; false on overflow. */
INLINE bool scan_dec(const char **pp, const char *end, uint64_t *ret, size_t *ret_digits)
{
    const char *start = *pp;
    if (!take_dec(pp, end, 19, ret)) {
        /* 20 digits or more (or none): the careful way */
        const char *q = start;
        while (q < end && (unsigned char)(*q - '0') <= 9)
            q++;
        if (!parse_u64(start, (size_t)(q - start), ret))
            return false;
        *pp = q;
    }
    *ret_digits = (size_t)(*pp - start);
    return true;
}

INLINE bool starts_with(const char *p, const char *end, const char *lit, size_t litlen)
{
    return (size_t)(end - p) >= litlen && memcmp(p, lit, litlen) == 0;
}
INLINE bool starts_lit(const char *p, const char *end, const char *lit, size_t len, uint64_t w1,
                       uint64_t w2)
{
    return take_lit(&p, end, lit, len, w1, w2);
}
#define STARTS(p, end, lit)                                                                        \
    starts_lit((p), (end), (lit), sizeof(lit) - 1, LIT_W(lit, 0), LIT_W(lit, 8))

#endif
