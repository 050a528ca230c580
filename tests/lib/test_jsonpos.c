/*
 * test_jsonpos: the byte spans jsonpos records (scw_jsonpos_span, scw_jsonpos_child) on a
 * table of paths into one text with nesting, UTF-8 and escaped keys: value start and end,
 * the member key with its quotes, member counts, children by position, paths that lead
 * nowhere. Line/column lookups are tested with the profile reader (tests/profile).
 */
#include "testutil.h"

#include <string.h>

#include "jsonpos.h"

static const char text[] = "{\n\t\"a\": 1,\n\t\"\\u0062\": [true, \"ü\", {\"c\": null}],\n"
                           "\t\"d\" : {}\n}\n";

struct span_case {
    struct scw_jsonpath path[3];
    size_t n;
    bool found;
    const char *value; /* the value's text */
    const char *key;   /* its key's text with the quotes; NULL: not a member */
    size_t count;
};

static const struct span_case cases[] = {
    {{{0}}, 0, true, NULL, NULL, 3}, /* NULL value: the whole document but the final newline */
    {{{.key = "a"}}, 1, true, "1", "\"a\"", 0},
    {{{.key = "b"}}, 1, true, "[true, \"ü\", {\"c\": null}]", "\"\\u0062\"", 3},
    {{{.key = "b"}, {.index = 1}}, 2, true, "\"ü\"", NULL, 0},
    {{{.key = "b"}, {.index = 2}, {.key = "c"}}, 3, true, "null", "\"c\"", 0},
    {{{.key = "d"}}, 1, true, "{}", "\"d\"", 0},
    {{{.key = "e"}}, 1, false, NULL, NULL, 0},
    {{{.key = "b"}, {.index = 3}}, 2, false, NULL, NULL, 0},
    {{{.key = "a"}, {.key = "x"}}, 2, false, NULL, NULL, 0},
};

static void test_spans(void **state)
{
    (void)state;
    struct scw_jsonpos *jp = NULL;
    assert_int_equal(scw_jsonpos_new(text, strlen(text), 100, 8, &jp), 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct span_case *c = &cases[i];
        struct scw_jsonspan s;
        bool found = scw_jsonpos_span(jp, c->path, c->n, &s);
        assert_int_equal(found, c->found);
        if (!found)
            continue;
        const char *want = c->value ? c->value : text;
        size_t want_len = c->value ? strlen(c->value) : strlen(text) - 1;
        assert_int_equal(s.end - s.start, want_len);
        assert_memory_equal(text + s.start, want, want_len);
        if (c->key) {
            assert_int_equal(s.key_end - s.key_start, strlen(c->key));
            assert_memory_equal(text + s.key_start, c->key, strlen(c->key));
        } else {
            assert_int_equal(s.key_start, 0);
            assert_int_equal(s.key_end, 0);
        }
        assert_int_equal(s.count, c->count);
    }
    scw_jsonpos_free(jp);
}

static void test_children(void **state)
{
    (void)state;
    struct scw_jsonpos *jp = NULL;
    assert_int_equal(scw_jsonpos_new(text, strlen(text), 100, 8, &jp), 0);
    static const char *const members[] = {"1", "[true, \"ü\", {\"c\": null}]", "{}"};
    struct scw_jsonspan s;
    for (size_t i = 0; i < 3; i++) {
        assert_true(scw_jsonpos_child(jp, NULL, 0, i, &s));
        assert_int_equal(s.end - s.start, strlen(members[i]));
        assert_memory_equal(text + s.start, members[i], strlen(members[i]));
        assert_true(s.key_end > s.key_start);
    }
    assert_false(scw_jsonpos_child(jp, NULL, 0, 3, &s));
    const struct scw_jsonpath b[] = {{.key = "b"}};
    assert_true(scw_jsonpos_child(jp, b, 1, 0, &s));
    assert_memory_equal(text + s.start, "true", 4);
    assert_int_equal(s.end - s.start, 4);
    assert_false(s.container);
    assert_true(scw_jsonpos_child(jp, b, 1, 2, &s));
    assert_true(s.container);
    const struct scw_jsonpath a[] = {{.key = "a"}};
    assert_false(scw_jsonpos_child(jp, a, 1, 0, &s)); /* a scalar has no children */
    const struct scw_jsonpath d[] = {{.key = "d"}};
    assert_false(scw_jsonpos_child(jp, d, 1, 0, &s));
    assert_false(scw_jsonpos_span(NULL, NULL, 0, &s));
    scw_jsonpos_free(jp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spans),
        cmocka_unit_test(test_children),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
