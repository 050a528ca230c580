/*
 * test_install_paths: the shipped rules are found from the binary's own place: the source
 * tree for a binary in its build tree, PREFIX/share/scmpwatch/rules for one installed under
 * any PREFIX, the configured directory otherwise.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

#include "install_paths.h"

static void test_rules_dir(void **state)
{
    (void)state;
    char buf[PATH_MAX];
    char *dir = scw_test_mkdtemp();
    /* installed under a prefix of our own, with its rules folder */
    char *rules = scw_test_asprintf("%s/opt/share/scmpwatch/rules", dir);
    char *cmd = scw_test_asprintf("mkdir -p '%s' '%s/opt/bin' '%s/bare/bin'", rules, dir, dir);
    assert_int_equal(system(cmd), 0);
    char *exe = scw_test_asprintf("%s/opt/bin/scmpwatch", dir);
    assert_string_equal(scw_install_rules_dir(exe, buf, sizeof(buf)), rules);
    /* a prefix without the rules folder, or a binary not in a bin/: the configured one */
    char *bare = scw_test_asprintf("%s/bare/bin/scmpwatch", dir);
    assert_string_equal(scw_install_rules_dir(bare, buf, sizeof(buf)), SCW_RULES_DIR);
    char *odd = scw_test_asprintf("%s/opt/sbin-x/scmpwatch", dir);
    assert_string_equal(scw_install_rules_dir(odd, buf, sizeof(buf)), SCW_RULES_DIR);
    assert_string_equal(scw_install_rules_dir("scmpwatch", buf, sizeof(buf)), SCW_RULES_DIR);
    /* this very test runs from the build tree: the source tree's rules */
    assert_string_equal(scw_install_rules_dir(NULL, buf, sizeof(buf)), SCW_SOURCE_DIR "/rules");
    char *in_build = scw_test_asprintf("%s/scmpwatch", SCW_TEST_BIN);
    assert_string_equal(scw_install_rules_dir(in_build, buf, sizeof(buf)), SCW_SOURCE_DIR "/rules");
    /* a directory that merely starts like the build dir is not inside it */
    char *sibling = scw_test_asprintf("%sx/bin/scmpwatch", SCW_BUILD_DIR);
    assert_string_equal(scw_install_rules_dir(sibling, buf, sizeof(buf)), SCW_RULES_DIR);
    free(sibling);
    free(in_build);
    free(odd);
    free(bare);
    free(exe);
    free(cmd);
    free(rules);
    scw_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
