/*
 * test_runtime_support: which runtime version accepts, refuses or drops a profile's seccomp
 * flags (a table of runtime, version -> answer), and versions read from --version banners.
 */
#include <errno.h>
#include <string.h>

#include "testutil.h"

#include "runtime_support.h"

static void test_flags_support(void **state)
{
    (void)state;
    static const struct {
        const char *runtime, *version;
        enum scw_flags_support want;
        const char *why; /* a part of the explanation */
    } cases[] = {
        {"runc", "1.1.5+ds1", SCW_FLAGS_REFUSES, "not yet supported by runc"}, /* Debian 12 */
        {"runc", "1.1.14", SCW_FLAGS_REFUSES, "before 1.2.0"},
        {"runc", "1.0.0-rc93", SCW_FLAGS_REFUSES, "before 1.2.0"},
        {"runc", "1.2.0", SCW_FLAGS_ACCEPTS, "1.2.0 and later"},
        {"runc", "1.3.1", SCW_FLAGS_ACCEPTS, "1.2.0 and later"},
        {"RUNC", "1.10.0", SCW_FLAGS_ACCEPTS, "1.2.0 and later"}, /* numeric, not text order */
        {"crun", "1.8.1", SCW_FLAGS_ACCEPTS, "crun"},
        {"docker", "20.10.24+dfsg1", SCW_FLAGS_DROPS, "measured with 20.10.24"},
        {"docker", "26.1.4", SCW_FLAGS_UNKNOWN, "no measurement"},
        {"runc", "", SCW_FLAGS_UNKNOWN, "version unknown"},
        {"runc", "garbage", SCW_FLAGS_UNKNOWN, "no fact"},
        {"runc", NULL, SCW_FLAGS_UNKNOWN, "no fact"},
        {"youki", "0.6.0", SCW_FLAGS_UNKNOWN, "no fact for youki"},
        {NULL, "1.0", SCW_FLAGS_UNKNOWN, "(none)"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char why[300];
        enum scw_flags_support got =
            scw_runtime_flags_support(cases[i].runtime, cases[i].version, why, sizeof(why));
        if (got != cases[i].want || !strstr(why, cases[i].why))
            fail_msg("%s %s: %s (%s), want %s with '%s'", cases[i].runtime ? cases[i].runtime : "-",
                     cases[i].version ? cases[i].version : "-", scw_flags_support_name(got), why,
                     scw_flags_support_name(cases[i].want), cases[i].why);
    }
    assert_int_equal(scw_runtime_flags_support("crun", "1.8", NULL, 0), SCW_FLAGS_ACCEPTS);
    assert_null(scw_flags_support_name(SCW_FLAGS_MAX));
    assert_null(scw_flags_support_name(SCW_FLAGS_INVALID));
}

static void test_version_from(void **state)
{
    (void)state;
    static const struct {
        const char *runtime, *text, *want; /* want NULL: -ENOENT */
    } cases[] = {
        {"runc", "runc version 1.1.5+ds1\ncommit: 1.1.5+ds1-1+deb12u1\nspec: 1.0.2-dev\n",
         "1.1.5+ds1"},
        {"crun", "crun version 1.8.1\ncommit: f8a096be060b22ccd3d5f3ebe44108517fbf6c30\n", "1.8.1"},
        {"Docker", "Docker version 20.10.24+dfsg1, build 297e128\n", "20.10.24+dfsg1"},
        {"runc", "something else\nrunc version 1.2.0\n", "1.2.0"},
        {"runc", "crun version 1.8.1\n", NULL},
        {"runc", "runc version \n", NULL},
        {"runc", "", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char v[64] = "";
        int rc = scw_runtime_version_from(cases[i].runtime, cases[i].text, v, sizeof(v));
        if (cases[i].want) {
            assert_int_equal(rc, 0);
            assert_string_equal(v, cases[i].want);
        } else {
            assert_int_equal(rc, -ENOENT);
        }
    }
    char tiny[4];
    assert_int_equal(scw_runtime_version_from("runc", "runc version 1.1.5\n", tiny, sizeof(tiny)),
                     -ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flags_support),
        cmocka_unit_test(test_version_from),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
