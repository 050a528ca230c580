/*
 * test_spelling: "did you mean" picks the closest candidate within the typo bound, ignores
 * case, counts a swap of neighbours as one edit, and says nothing for far or tied words.
 */
#include "testutil.h"

#include "spelling.h"

static void test_closest(void **state)
{
    (void)state;
    static const char *const keys[] = {"name",   "syscalls",   "decision",
                                       "reason", "thresholds", NULL};
    static const struct {
        const char *word, *want;
    } cases[] = {
        {"decison", "decision"},  {"thresold", "thresholds"},
        {"syscall", "syscalls"},  {"Reason", "reason"},
        {"resaon", "reason"},     {"nmae", "name"},
        {"zzzzzz", NULL},         {"n", NULL},
        {"decisionmaking", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = scw_spelling_closest(cases[i].word, keys, 0);
        if (cases[i].want)
            assert_string_equal(got, cases[i].want);
        else
            assert_null(got);
    }
    static const char *const tie[] = {"abcd", "abce"};
    assert_null(scw_spelling_closest("abcf", tie, 2)); /* equally close: no guess */
    assert_string_equal(scw_spelling_closest("abcd", tie, 2), "abcd");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_closest)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
