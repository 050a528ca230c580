/*
 * name: (audit arch, syscall number) -> (architecture name, syscall name) with libseccomp.
 *
 * libseccomp's tokens equal AUDIT_ARCH_* values except x32, whose calls arrive as x86_64 with
 * bit 0x40000000 set in the number. libseccomp returns a fresh allocation per lookup, so the
 * answers are cached in a bounded open-addressing table; past the bound lookups still work,
 * uncached. Unknown numbers are answered with name == NULL, never dropped. The cache is per
 * thread (replay reads parts of a file in threads); a thread frees its own with
 * scw_name_reset().
 */
#include "name.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define X32_SYSCALL_BIT 0x40000000U
#define CACHE_SLOTS     32768 /* power of two */
#define CACHE_MAX_USED  (CACHE_SLOTS / 2)

static const struct {
    uint32_t token;
    const char *name;
} arches[] = {
    {SCMP_ARCH_X86_64, "x86_64"},
    {SCMP_ARCH_X86, "x86"},
    {SCMP_ARCH_X32, "x32"},
    {SCMP_ARCH_AARCH64, "aarch64"},
    {SCMP_ARCH_ARM, "arm"},
    {SCMP_ARCH_PPC64LE, "ppc64le"},
    {SCMP_ARCH_PPC64, "ppc64"},
    {SCMP_ARCH_PPC, "ppc"},
    {SCMP_ARCH_S390X, "s390x"},
    {SCMP_ARCH_S390, "s390"},
    {SCMP_ARCH_RISCV64, "riscv64"},
    {SCMP_ARCH_MIPS, "mips"},
    {SCMP_ARCH_MIPSEL, "mipsel"},
    {SCMP_ARCH_MIPS64, "mips64"},
    {SCMP_ARCH_MIPSEL64, "mipsel64"},
    {SCMP_ARCH_MIPS64N32, "mips64n32"},
    {SCMP_ARCH_MIPSEL64N32, "mipsel64n32"},
    {SCMP_ARCH_PARISC, "parisc"},
    {SCMP_ARCH_PARISC64, "parisc64"},
};
#define N_ARCHES (sizeof(arches) / sizeof(arches[0]))

struct slot {
    uint64_t key; /* audit_arch << 32 | syscall; 0 = empty (audit arch 0 is never cached) */
    const char *name;
};
static _Thread_local struct slot *cache;
static _Thread_local size_t cache_used;
static _Thread_local char *uncached; /* last uncached answer, freed on the next one */

const char *scw_name_arch(uint32_t token)
{
    for (size_t i = 0; i < N_ARCHES; i++)
        if (arches[i].token == token)
            return arches[i].name;
    return NULL;
}

bool scw_name_arch_at(unsigned idx, uint32_t *ret_token, const char **ret_name)
{
    if (idx >= N_ARCHES)
        return false;
    *ret_token = arches[idx].token;
    *ret_name = arches[idx].name;
    return true;
}

uint32_t scw_name_arch_token(const char *name)
{
    if (strncasecmp(name, "SCMP_ARCH_", 10) == 0)
        name += 10;
    for (size_t i = 0; i < N_ARCHES; i++)
        if (strcasecmp(arches[i].name, name) == 0)
            return arches[i].token;
    return 0; /* Docker's SCMP_ARCH_* spellings are libseccomp's names in upper case */
}

int scw_name_syscall_nr(uint32_t token, const char *name)
{
    return seccomp_syscall_resolve_name_arch(token, name);
}

static uint64_t hash64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
}

void scw_name_lookup(uint32_t audit_arch, uint32_t syscall, struct scw_syscall_name *ret)
{
    uint32_t token = audit_arch;
    if (audit_arch == SCMP_ARCH_X86_64 && (syscall & X32_SYSCALL_BIT))
        token = SCMP_ARCH_X32;
    const char *arch = scw_name_arch(token);
    ret->token = arch ? token : 0;
    ret->arch = arch ? arch : "unknown";
    ret->nr = (int)syscall;
    ret->name = NULL;
    if (!arch || syscall > INT32_MAX)
        return;

    uint64_t key = (uint64_t)audit_arch << 32 | syscall;
    if (!cache)
        cache = calloc(CACHE_SLOTS, sizeof(*cache));
    if (cache) {
        size_t i = hash64(key) & (CACHE_SLOTS - 1);
        while (cache[i].key) {
            if (cache[i].key == key) {
                ret->name = cache[i].name;
                return;
            }
            i = (i + 1) & (CACHE_SLOTS - 1);
        }
        char *n = seccomp_syscall_resolve_num_arch(token, (int)syscall);
        if (cache_used < CACHE_MAX_USED) {
            cache[i].key = key;
            cache[i].name = n;
            cache_used++;
            ret->name = n;
            return;
        }
        free(uncached);
        uncached = n;
        ret->name = n;
        return;
    }
    free(uncached);
    uncached = seccomp_syscall_resolve_num_arch(token, (int)syscall);
    ret->name = uncached;
}

void scw_name_reset(void)
{
    if (cache) {
        for (size_t i = 0; i < CACHE_SLOTS; i++)
            free((char *)cache[i].name);
        free(cache);
    }
    cache = NULL;
    cache_used = 0;
    free(uncached);
    uncached = NULL;
}
