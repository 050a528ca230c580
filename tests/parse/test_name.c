/*
 * test_name: syscall naming per architecture (name.c) checked against libseccomp and against
 * kernel ABI numbers that never change: every architecture of the issue, the x32 bit, unknown
 * numbers and architectures, the architecture-name table, and the bounded cache.
 */
#include "testutil.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "name.h"

#define X32_BIT 0x40000000U

/* The audit arch values as the kernel logs them (linux/audit.h), written out on purpose: a
 * wrong token in name.c's table must not be hidden by using the same macro on both sides. */
static const struct {
    const char *name;
    uint32_t audit_arch; /* arch= in a record */
    uint32_t openat;     /* syscall= of openat on that ABI (kernel syscall tables) */
    uint32_t exit_group; /* and of exit_group */
} arches[] = {
    {"x86_64", 0xc000003e, 257, 231},
    {"x86", 0x40000003, 295, 252},
    {"x32", 0xc000003e, X32_BIT | 257, X32_BIT | 231}, /* logged as x86_64 + the x32 bit */
    {"aarch64", 0xc00000b7, 56, 94},
    {"arm", 0x40000028, 322, 248},
    {"ppc64le", 0xc0000015, 286, 234},
    {"ppc64", 0x80000015, 286, 234},
    {"ppc", 0x00000014, 286, 234},
    {"s390x", 0x80000016, 288, 248},
    {"s390", 0x00000016, 288, 248},
    {"riscv64", 0xc00000f3, 56, 94},
    {"mips", 0x00000008, 4288, 4246},
    {"mipsel", 0x40000008, 4288, 4246},
    {"mips64", 0x80000008, 5247, 5205},
    {"mipsel64", 0xc0000008, 5247, 5205},
    {"mips64n32", 0xa0000008, 6251, 6205},
    {"mipsel64n32", 0xe0000008, 6251, 6205},
    {"parisc", 0x0000000f, 275, 222},
    {"parisc64", 0x8000000f, 275, 222},
};
#define N_ARCHES (sizeof(arches) / sizeof(arches[0]))

static int teardown(void **state)
{
    (void)state;
    scw_name_reset();
    return 0;
}

/* Known ABI numbers name the right syscall on every architecture. */
static void test_known_numbers(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ARCHES; i++) {
        struct scw_syscall_name nm;
        scw_name_lookup(arches[i].audit_arch, arches[i].openat, &nm);
        if (!nm.name || strcmp(nm.name, "openat") != 0 || strcmp(nm.arch, arches[i].name) != 0)
            print_error("arch %s: openat %u -> %s/%s\n", arches[i].name, arches[i].openat, nm.arch,
                        nm.name ? nm.name : "NULL");
        assert_string_equal(nm.arch, arches[i].name);
        assert_non_null(nm.name);
        assert_string_equal(nm.name, "openat");
        assert_int_equal(nm.nr, (int)arches[i].openat);
        scw_name_lookup(arches[i].audit_arch, arches[i].exit_group, &nm);
        assert_non_null(nm.name);
        assert_string_equal(nm.name, "exit_group");
        assert_string_equal(nm.arch, arches[i].name);
    }
}

/* Tokens, names and numbers agree with libseccomp's own tables, both directions. */
static void test_against_libseccomp(void **state)
{
    (void)state;
    static const char *const names[] = {"read",   "write",  "openat", "close",      "mount",
                                        "ptrace", "bpf",    "chmod",  "keyctl",     "unshare",
                                        "clone",  "execve", "ioctl",  "personality"};
    for (size_t i = 0; i < N_ARCHES; i++) {
        uint32_t token = scw_name_arch_token(arches[i].name);
        assert_int_not_equal(token, 0);
        assert_string_equal(scw_name_arch(token), arches[i].name);
        /* our architecture names are libseccomp's own */
        assert_int_equal(seccomp_arch_resolve_name(arches[i].name), token);
        for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
            int nr = seccomp_syscall_resolve_name_arch(token, names[k]);
            assert_int_equal(scw_name_syscall_nr(token, names[k]), nr);
            if (nr < 0)
                continue; /* not on this ABI (chmod on aarch64...): nothing to name */
            struct scw_syscall_name nm;
            /* as logged: x32 numbers arrive with arch=x86_64 */
            uint32_t audit = token == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : token;
            scw_name_lookup(audit, (uint32_t)nr, &nm);
            assert_int_equal(nm.token, token);
            assert_int_equal(nm.nr, nr);
            assert_non_null(nm.name);
            assert_string_equal(nm.name, names[k]);
        }
    }
}

/* Every number 0..N on every architecture names exactly what libseccomp says (or nothing). */
static void test_whole_tables(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ARCHES; i++) {
        uint32_t token = scw_name_arch_token(arches[i].name);
        uint32_t low = arches[i].openat & ~X32_BIT;
        uint32_t base = low >= 4000 ? low / 1000 * 1000 : 0; /* MIPS ABIs start at 4000... */
        uint32_t bit = token == SCMP_ARCH_X32 ? X32_BIT : 0;
        uint32_t audit = token == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : token;
        unsigned named = 0;
        for (uint32_t nr = base; nr < base + 600; nr++) {
            char *want = seccomp_syscall_resolve_num_arch(token, (int)(nr | bit));
            struct scw_syscall_name nm;
            scw_name_lookup(audit, nr | bit, &nm);
            if (want) {
                assert_non_null(nm.name);
                assert_string_equal(nm.name, want);
                named++;
            } else {
                assert_null(nm.name);
            }
            assert_int_equal(nm.nr, (int)(nr | bit));
            free(want);
        }
        assert_true(named > 250); /* the range really covered the table */
    }
}

static void test_x32_bit(void **state)
{
    (void)state;
    struct scw_syscall_name nm;
    /* the same low number: x86_64 read vs x32 read */
    scw_name_lookup(0xc000003e, 0, &nm);
    assert_string_equal(nm.arch, "x86_64");
    assert_int_equal(nm.token, SCMP_ARCH_X86_64);
    assert_string_equal(nm.name, "read");
    scw_name_lookup(0xc000003e, X32_BIT | 0, &nm);
    assert_string_equal(nm.arch, "x32");
    assert_int_equal(nm.token, SCMP_ARCH_X32);
    assert_int_equal(nm.nr, (int)X32_BIT);
    assert_string_equal(nm.name, "read");
    /* x32-only numbers (512+): rt_sigaction */
    scw_name_lookup(0xc000003e, X32_BIT | 512, &nm);
    assert_string_equal(nm.arch, "x32");
    assert_string_equal(nm.name, "rt_sigaction");
    /* 512 without the bit is not an x86_64 syscall */
    scw_name_lookup(0xc000003e, 512, &nm);
    assert_string_equal(nm.arch, "x86_64");
    assert_null(nm.name);
    /* the bit only means x32 on x86_64: on i386 it is just an unknown number */
    scw_name_lookup(0x40000003, X32_BIT | 3, &nm);
    assert_string_equal(nm.arch, "x86");
    assert_null(nm.name);
    assert_int_equal(nm.nr, (int)(X32_BIT | 3));
}

static void test_unknown(void **state)
{
    (void)state;
    struct scw_syscall_name nm;
    /* a number libseccomp does not know: kept, name NULL */
    scw_name_lookup(0xc000003e, 99999, &nm);
    assert_string_equal(nm.arch, "x86_64");
    assert_int_equal(nm.token, SCMP_ARCH_X86_64);
    assert_int_equal(nm.nr, 99999);
    assert_null(nm.name);
    /* asked twice: the cached answer is the same */
    scw_name_lookup(0xc000003e, 99999, &nm);
    assert_null(nm.name);
    /* numbers past INT32_MAX are never passed to libseccomp */
    scw_name_lookup(0xc000003e, 0xfffffff0U, &nm);
    assert_null(nm.name);
    assert_string_equal(nm.arch, "x32"); /* the x32 bit is set in that number */
    scw_name_lookup(0xc00000b7, 0x80000001U, &nm);
    assert_null(nm.name);
    assert_string_equal(nm.arch, "aarch64");
    /* an unknown architecture: token 0, "unknown", number kept */
    scw_name_lookup(0x12345678, 1, &nm);
    assert_int_equal(nm.token, 0);
    assert_string_equal(nm.arch, "unknown");
    assert_int_equal(nm.nr, 1);
    assert_null(nm.name);
    scw_name_lookup(0, 0, &nm);
    assert_int_equal(nm.token, 0);
    assert_null(nm.name);
}

static void test_arch_names(void **state)
{
    (void)state;
    assert_int_equal(scw_name_arch_token("x86_64"), SCMP_ARCH_X86_64);
    assert_int_equal(scw_name_arch_token("SCMP_ARCH_X86_64"), SCMP_ARCH_X86_64);
    assert_int_equal(scw_name_arch_token("scmp_arch_aarch64"), SCMP_ARCH_AARCH64);
    assert_int_equal(scw_name_arch_token("SCMP_ARCH_X32"), SCMP_ARCH_X32);
    assert_int_equal(scw_name_arch_token("SCMP_ARCH_MIPS64N32"), SCMP_ARCH_MIPS64N32);
    assert_int_equal(scw_name_arch_token("SCMP_ARCH_MIPSEL64N32"), SCMP_ARCH_MIPSEL64N32);
    assert_int_equal(scw_name_arch_token("SCMP_ARCH_PPC64LE"), SCMP_ARCH_PPC64LE);
    assert_int_equal(scw_name_arch_token("SCMP_ARCH_S390X"), SCMP_ARCH_S390X);
    assert_int_equal(scw_name_arch_token("SCMP_ARCH_RISCV64"), SCMP_ARCH_RISCV64);
    assert_int_equal(scw_name_arch_token("i386"), 0);
    assert_int_equal(scw_name_arch_token(""), 0);
    assert_int_equal(scw_name_arch_token("SCMP_ARCH_"), 0);
    assert_null(scw_name_arch(0));
    assert_null(scw_name_arch(0x12345678));

    /* the iteration covers the architectures, each once, and nothing else twice */
    unsigned n = 0;
    uint32_t token;
    const char *name;
    while (scw_name_arch_at(n, &token, &name)) {
        assert_string_equal(scw_name_arch(token), name);
        assert_int_equal(scw_name_arch_token(name), token);
        n++;
    }
    assert_int_equal(n, N_ARCHES);
    for (size_t i = 0; i < N_ARCHES; i++)
        assert_int_not_equal(scw_name_arch_token(arches[i].name), 0);
    assert_false(scw_name_arch_at(n, &token, &name));
}

/* Past the cache bound lookups still answer right; cached names stay valid until reset. */
static void test_cache_bound(void **state)
{
    (void)state;
    scw_name_reset();
    struct scw_syscall_name first;
    scw_name_lookup(0xc000003e, 257, &first);
    const char *kept = first.name;
    assert_string_equal(kept, "openat");
    /* 20000 distinct pairs: more than the cache holds (16384) */
    for (uint32_t nr = 0; nr < 20000; nr++) {
        struct scw_syscall_name nm;
        scw_name_lookup(0xc00000b7, nr, &nm);
        if (nr == 56)
            assert_string_equal(nm.name, "openat");
        else if (nr == 19999)
            assert_null(nm.name);
    }
    /* an uncached pair, after the cache is full */
    struct scw_syscall_name nm;
    scw_name_lookup(0x40000003, 295, &nm);
    assert_string_equal(nm.name, "openat");
    scw_name_lookup(0x40000003, 3, &nm);
    assert_string_equal(nm.name, "read");
    /* the name cached before the cache filled is still the same pointer and string */
    scw_name_lookup(0xc000003e, 257, &first);
    assert_ptr_equal(first.name, kept);
    assert_string_equal(kept, "openat");
    scw_name_reset();
    scw_name_reset(); /* twice: NULL-safe */
    scw_name_lookup(0xc000003e, 257, &nm);
    assert_string_equal(nm.name, "openat");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_known_numbers, teardown),
        cmocka_unit_test_teardown(test_against_libseccomp, teardown),
        cmocka_unit_test_teardown(test_whole_tables, teardown),
        cmocka_unit_test_teardown(test_x32_bit, teardown),
        cmocka_unit_test_teardown(test_unknown, teardown),
        cmocka_unit_test_teardown(test_arch_names, teardown),
        cmocka_unit_test_teardown(test_cache_bound, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
