/*
 * test_host_kernel: the upstream kernel version behind distribution release names (Debian's
 * uname -v, Ubuntu's /proc/version_signature), uname -r elsewhere, and this host's answer
 * agreeing with uname.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "host_kernel.h"

static void test_from(void **state)
{
    (void)state;
    static const struct {
        const char *release, *version, *signature, *want, *source;
    } cases[] = {
        {"6.1.0-18-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)", NULL, "6.1.76-1",
         "Debian (uname -v)"},
        {"5.10.0-28-amd64", "#1 SMP Debian 5.10.209-2 (2024-01-31)", NULL, "5.10.209-2",
         "Debian (uname -v)"},
        {"6.1.0-18-amd64", "#1 SMP Debian 6.1.76-1~bpo11+1 (2024-02-01)", NULL, "6.1.76-1~bpo11+1",
         "Debian (uname -v)"},
        {"5.15.0-91-generic", "#101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023",
         "Ubuntu 5.15.0-91.101-generic 5.15.131\n", "5.15.131", "Ubuntu (/proc/version_signature)"},
        {"5.15.0-91-generic", "#101-Ubuntu SMP", "Ubuntu 5.15.0-91.101-generic 5.15.131  \n",
         "5.15.131", "Ubuntu (/proc/version_signature)"},
        /* not what we expect: uname -r */
        {"5.15.0-91-generic", "#101-Ubuntu SMP", "Ubuntu 5.15.0-91.101-generic\n",
         "5.15.0-91-generic", "uname -r"},
        {"5.15.0-91-generic", "#101-Ubuntu SMP", "", "5.15.0-91-generic", "uname -r"},
        {"6.1.0-18-amd64", "#1 SMP Debian (2024-02-01)", NULL, "6.1.0-18-amd64", "uname -r"},
        {"6.1.0-18-amd64", "#1 SMP Debian x6.1.76", NULL, "6.1.0-18-amd64", "uname -r"},
        {"6.1.0-18-amd64", "#1 SMP Debian 6.1.76-1(2024-02-01)", NULL, "6.1.0-18-amd64",
         "uname -r"},
        {"5.14.0-362.8.1.el9_3.x86_64", "#1 SMP PREEMPT_DYNAMIC Tue Oct 3 11:12:36 EDT 2023", NULL,
         "5.14.0-362.8.1.el9_3.x86_64", "uname -r"},
        {"6.18.44-fc-v657", "#1 SMP PREEMPT_DYNAMIC @0", NULL, "6.18.44-fc-v657", "uname -r"},
        {NULL, NULL, NULL, "", "uname -r"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char buf[128];
        const char *source = scw_host_kernel_from(cases[i].release, cases[i].version,
                                                  cases[i].signature, buf, sizeof(buf));
        if (strcmp(buf, cases[i].want) != 0 || strcmp(source, cases[i].source) != 0)
            fail_msg("case %zu: got '%s' from %s, want '%s' from %s", i, buf, source, cases[i].want,
                     cases[i].source);
    }
    /* a version token past its bound is not one */
    char longv[200], buf[256];
    snprintf(longv, sizeof(longv), "#1 SMP Debian 6.1.%0100d", 7);
    scw_host_kernel_from("6.1.0-18-amd64", longv, NULL, buf, sizeof(buf));
    assert_string_equal(buf, "6.1.0-18-amd64");
    /* truncated to the buffer */
    char small[4];
    scw_host_kernel_from("6.1.0-18-amd64", "x", NULL, small, sizeof(small));
    assert_string_equal(small, "6.1");
}

static void test_this_host(void **state)
{
    (void)state;
    struct utsname u;
    assert_int_equal(uname(&u), 0);
    char buf[128], want[128];
    const char *source = scw_host_kernel(buf, sizeof(buf));
    char *sig = NULL;
    size_t len = 0;
    if (access("/proc/version_signature", R_OK) == 0)
        sig = scw_test_read_file("/proc/version_signature", &len);
    const char *want_source = scw_host_kernel_from(u.release, u.version, sig, want, sizeof(want));
    assert_string_equal(buf, want);
    assert_string_equal(source, want_source);
    assert_true(buf[0] >= '0' && buf[0] <= '9');
    free(sig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_from),
                                       cmocka_unit_test(test_this_host)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
