/*
 * test_watch_sandbox: the allow list is honest: every name in it is a syscall libseccomp
 * knows on x86_64 (a typo would silently allow nothing), none is listed twice, and the calls
 * that must stay refused (exec, ptrace, mount, module loading, uid changes, network sockets)
 * are not in it. The filter builds and prints (--print-sandbox) in each mode, and the kept
 * capability set is exactly CAP_DAC_READ_SEARCH.
 */
#include "testutil.h"

#include <linux/capability.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "watch_sandbox.h"

static void test_table(void **state)
{
    (void)state;
    size_t n;
    const char *const *names = scw_watch_sandbox_syscalls(&n);
    assert_true(n > 10);
    for (size_t i = 0; i < n; i++) {
        if (seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, names[i]) == __NR_SCMP_ERROR)
            fail_msg("'%s' is no x86_64 syscall", names[i]);
        for (size_t j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0)
                fail_msg("'%s' listed twice", names[i]);
    }
    static const char *const refused[] = {"execve",
                                          "execveat",
                                          "ptrace",
                                          "mount",
                                          "umount2",
                                          "init_module",
                                          "finit_module",
                                          "setuid",
                                          "setns",
                                          "unshare",
                                          "bpf",
                                          "kexec_load",
                                          "connect",
                                          "bind",
                                          "listen",
                                          "open_by_handle_at",
                                          "process_vm_writev"};
    for (size_t r = 0; r < sizeof(refused) / sizeof(refused[0]); r++) {
#if defined(__SANITIZE_ADDRESS__)
        if (strcmp(refused[r], "ptrace") == 0)
            continue; /* LeakSanitizer's tracer, in the sanitizer build only */
#endif
        for (size_t i = 0; i < n; i++)
            if (strcmp(names[i], refused[r]) == 0)
                fail_msg("'%s' must not be allowed", refused[r]);
    }
    assert_int_equal(scw_watch_sandbox_kept_caps(), 1ULL << CAP_DAC_READ_SEARCH);
}

static void test_print(void **state)
{
    (void)state;
    for (int m = 0; m < SCW_SANDBOX_MODE_MAX; m++) {
        /* seccomp_export_pfc writes to a file descriptor: a temporary file, not memory */
        FILE *tf = tmpfile();
        assert_non_null(tf);
        assert_int_equal(scw_watch_sandbox_print((enum scw_sandbox_mode)m, tf), 0);
        fflush(tf);
        long size = ftell(tf);
        rewind(tf);
        char *text = calloc(1, (size_t)size + 1);
        assert_int_equal(fread(text, 1, (size_t)size, tf), (size_t)size);
        fclose(tf);
        assert_non_null(strstr(text, "cap_dac_read_search"));
        if (m == SCW_SANDBOX_KILL) {
            assert_non_null(strstr(text, "KILL_PROCESS"));
            assert_non_null(strstr(text, "\"recvmmsg\""));
        } else if (m == SCW_SANDBOX_LOG) {
            assert_non_null(strstr(text, "SCMP_ACT_LOG"));
        } else {
            assert_null(strstr(text, "recvmmsg"));
        }
        free(text);
    }
    assert_int_equal(scw_watch_sandbox_mode_from_name("log"), SCW_SANDBOX_LOG);
    assert_int_equal(scw_watch_sandbox_mode_from_name("kill"), SCW_SANDBOX_KILL);
    assert_int_equal(scw_watch_sandbox_mode_from_name("off"), SCW_SANDBOX_OFF);
    assert_int_equal(scw_watch_sandbox_mode_from_name("strict"), SCW_SANDBOX_MODE_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_print),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
