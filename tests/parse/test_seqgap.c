/*
 * test_seqgap: loss counting from audit serial gaps: in order, duplicates (records of one
 * event), reordering inside the window, gaps, a jump past the window, late arrivals.
 */
#include "testutil.h"

#include "seqgap.h"

static struct scw_seqgap g;

static void test_in_order_no_loss(void **state)
{
    (void)state;
    scw_seqgap_init(&g);
    for (uint64_t s = 100; s < 200; s++) {
        scw_seqgap_see(&g, s);
        scw_seqgap_see(&g, s); /* SYSCALL + PATH of one event share a serial */
    }
    assert_int_equal(scw_seqgap_lost(&g), 0);
    assert_int_equal(g.seen, 100);
}

static void test_reordering_is_not_loss(void **state)
{
    (void)state;
    scw_seqgap_init(&g);
    static const uint64_t order[] = {10, 12, 11, 15, 13, 14, 16};
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
        scw_seqgap_see(&g, order[i]);
    assert_int_equal(scw_seqgap_lost(&g), 0);
}

static void test_gap_counts(void **state)
{
    (void)state;
    scw_seqgap_init(&g);
    scw_seqgap_see(&g, 1);
    scw_seqgap_see(&g, 2);
    scw_seqgap_see(&g, 10); /* 3..9 missing: 7 */
    assert_int_equal(scw_seqgap_lost(&g), 7);
    scw_seqgap_see(&g, 5); /* arrives late, inside the window */
    assert_int_equal(scw_seqgap_lost(&g), 6);
    scw_seqgap_see(&g, 0); /* no serial: ignored */
    assert_int_equal(scw_seqgap_lost(&g), 6);
}

static void test_jump_past_window(void **state)
{
    (void)state;
    scw_seqgap_init(&g);
    scw_seqgap_see(&g, 1000);
    scw_seqgap_see(&g, 1001);
    /* one ENOBUFS hid 300000 records */
    scw_seqgap_see(&g, 1002 + 300000);
    assert_int_equal(scw_seqgap_lost(&g), 300000);
    for (uint64_t s = 1003 + 300000; s < 1003 + 300000 + 70000; s++)
        scw_seqgap_see(&g, s);
    assert_int_equal(scw_seqgap_lost(&g), 300000);
    /* a serial older than the window shows up after all: it was counted lost */
    scw_seqgap_see(&g, 1500);
    assert_int_equal(scw_seqgap_lost(&g), 299999);
    assert_int_equal(g.late, 1);
}

static void test_slide_counts_unseen_leaving(void **state)
{
    (void)state;
    scw_seqgap_init(&g);
    for (uint64_t s = 1; s <= 100; s += 2) /* every other serial: 49 missing in 1..99 */
        scw_seqgap_see(&g, s);
    assert_int_equal(scw_seqgap_lost(&g), 49);
    /* slide the window by a bit more than its size, one by one (100 is missing too) */
    for (uint64_t s = 101; s < 101 + SCW_SEQGAP_WINDOW + 10; s++)
        scw_seqgap_see(&g, s);
    assert_int_equal(scw_seqgap_lost(&g), 50);
    assert_int_equal(g.lost, 50); /* all of them have left the window by now */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order_no_loss),
        cmocka_unit_test(test_reordering_is_not_loss),
        cmocka_unit_test(test_gap_counts),
        cmocka_unit_test(test_jump_past_window),
        cmocka_unit_test(test_slide_counts_unseen_leaving),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
