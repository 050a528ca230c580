/*
 * test_decisions_file: the decisions file decide and review write. Reading (missing, valid,
 * invalid YAML and rule files with file:line:column, sections other than decisions), the
 * comments kept above entries, replacing an entry, and writing strings that could break out
 * of their place (newlines, quotes, escape sequences, invalid UTF-8): the file reads back as
 * written, through the rule loader, and holds no control byte.
 */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decisions_file.h"
#include "rules.h"

static struct scw_decisions_file *read_ok(const char *path)
{
    struct scw_decisions_file *f = NULL;
    char *err = NULL;
    int rc = scw_decisions_file_read(path, &f, &err);
    if (rc < 0)
        fail_msg("read %s: %s", path, err ? err : "?");
    assert_null(err);
    return f;
}

static char *read_error(const char *path, int want_rc)
{
    struct scw_decisions_file *f = NULL;
    char *err = NULL;
    assert_int_equal(scw_decisions_file_read(path, &f, &err), want_rc);
    assert_null(f);
    assert_non_null(err);
    return err;
}

static void test_missing_and_written(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *path = scw_test_asprintf("%s/rules.d/50-decisions.yaml", dir);
    struct scw_decisions_file *f = read_ok(path);
    assert_false(f->existed);
    assert_int_equal(f->n, 0);
    struct scw_decision_entry e = {.group = "api",
                                   .syscall = "unshare",
                                   .decision = SCW_DECISION_ALLOW,
                                   .reason = "the helper",
                                   .by = "alice",
                                   .at = "2025-11-28T14:22:16Z",
                                   .comment = "unshare allow: alice\nevidence: 3 events"};
    assert_int_equal(scw_decisions_file_put(f, &e), 0);
    e = (struct scw_decision_entry){
        .group = "api", .syscall = "mount", .decision = SCW_DECISION_DENY, .reason = "no"};
    assert_int_equal(scw_decisions_file_put(f, &e), 0);
    assert_int_equal(scw_decisions_file_write(f), 0); /* makes rules.d */
    scw_decisions_file_free(f);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);

    /* read back: entries in order, comments kept; a valid rule file */
    f = read_ok(path);
    assert_true(f->existed);
    assert_int_equal(f->n, 2);
    assert_string_equal(f->v[0].syscall, "unshare");
    assert_string_equal(f->v[0].comment, "unshare allow: alice\nevidence: 3 events");
    assert_string_equal(f->v[0].by, "alice");
    assert_null(f->v[1].comment);
    assert_null(f->v[1].by);
    assert_int_equal(f->v[1].decision, SCW_DECISION_DENY);
    /* a later decision for the same group and syscall replaces it, and goes last */
    e = (struct scw_decision_entry){.group = "api",
                                    .syscall = "unshare",
                                    .decision = SCW_DECISION_IGNORE,
                                    .reason = "changed my mind",
                                    .comment = "again"};
    assert_int_equal(scw_decisions_file_put(f, &e), 0);
    assert_int_equal(f->n, 2);
    assert_string_equal(f->v[0].syscall, "mount");
    assert_string_equal(f->v[1].reason, "changed my mind");
    assert_non_null(scw_decisions_file_find(f, "api", "unshare"));
    assert_null(scw_decisions_file_find(f, "web", "unshare"));
    assert_int_equal(scw_decisions_file_write(f), 0);
    scw_decisions_file_free(f);

    struct scw_rules *rs = scw_rules_new();
    char *err = NULL;
    assert_int_equal(scw_rules_load(rs, path, &err), 0);
    assert_int_equal(rs->n_decisions, 2);
    assert_int_equal(rs->n_warnings, 0);
    assert_int_equal(scw_rules_human_decision(rs, "api", "unshare")->decision, SCW_DECISION_IGNORE);
    scw_rules_free(rs);
    free(path);
    scw_test_rmtree(dir);
    free(dir);
}

static void test_hostile_strings(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *path = scw_test_asprintf("%s/d.yaml", dir);
    struct scw_decisions_file *f = read_ok(path);
    /* a reason and a name that try to end the string, the line or the comment, and to drive
     * the terminal; invalid UTF-8 */
    const char *reason = "line one\nline two: \"quoted\" \\ back\x1b[31mred\t\x7f end\xff";
    struct scw_decision_entry e = {
        .group = "api",
        .syscall = "unshare",
        .decision = SCW_DECISION_ALLOW,
        .reason = (char *)reason,
        .by = "eve\n  - group: api\n    syscall: ptrace",
        .comment = "exe /srv/a\nb\x1b]0;title\x07 \xe2\x80\xa8 done\nsecond line",
    };
    assert_int_equal(scw_decisions_file_put(f, &e), 0);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(scw_decisions_file_render(f, &text, &len), 0);
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)text[i] < 0x20 && text[i] != '\n') || text[i] == 0x7f)
            fail_msg("control byte 0x%02x at %zu in:\n%s", (unsigned char)text[i], i, text);
    assert_non_null(strstr(text, "  # exe /srv/a\n  # b\\x1b]0;title\\x07 \\xe2\\x80\\xa8 done\n"
                                 "  # second line\n"));
    assert_non_null(strstr(text, "    by: \"eve\\n  - group: api\\n    syscall: ptrace\"\n"));
    /* the rule loader reads the same strings back (the invalid byte as U+00FF) */
    struct scw_rules *rs = scw_rules_new();
    char *err = NULL;
    if (scw_rules_load_buffer(rs, "d.yaml", text, len, &err) < 0)
        fail_msg("%s in:\n%s", err, text);
    assert_int_equal(rs->n_decisions, 1);
    const struct scw_human_decision *h = scw_rules_human_decision(rs, "api", "unshare");
    assert_string_equal(h->reason,
                        "line one\nline two: \"quoted\" \\ back\x1b[31mred\t\x7f end\xc3\xbf");
    assert_string_equal(h->by, "eve\n  - group: api\n    syscall: ptrace");
    assert_null(scw_rules_human_decision(rs, "api", "ptrace"));
    scw_rules_free(rs);
    scw_test_write_file(path, text, len);
    free(text);
    scw_decisions_file_free(f);
    f = read_ok(path);
    assert_int_equal(f->n, 1);
    assert_string_equal(f->v[0].by, "eve\n  - group: api\n    syscall: ptrace");
    /* the comment comes back as the escaped text (it stays one safe line each) */
    assert_string_equal(f->v[0].comment,
                        "exe /srv/a\nb\\x1b]0;title\\x07 \\xe2\\x80\\xa8 done\nsecond line");
    scw_decisions_file_free(f);
    free(path);
    scw_test_rmtree(dir);
    free(dir);
}

static void test_hand_edits(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *path = scw_test_asprintf("%s/d.yaml", dir);
    /* comments right above an entry are kept, others are not */
    const char *edited = "# my header\n"
                         "version: 1\n"
                         "decisions:\n"
                         "  # kept for chmod\n"
                         "  #\n"
                         "  - {group: web, syscall: chmod, decision: allow, reason: a}\n"
                         "\n"
                         "  # dropped: a blank line follows\n"
                         "\n"
                         "  - group: web\n"
                         "    # dropped: inside the entry\n"
                         "    syscall: mount\n"
                         "    decision: deny\n"
                         "    reason: b\n";
    scw_test_write_file(path, edited, strlen(edited));
    struct scw_decisions_file *f = read_ok(path);
    assert_int_equal(f->n, 2);
    assert_string_equal(f->v[0].comment, "kept for chmod\n");
    assert_null(f->v[1].comment);
    scw_decisions_file_free(f);

    /* invalid YAML: the loader's file:line:column, and nothing read */
    const char *broken = "version: 1\n"
                         "decisions:\n"
                         "  - {group: web, syscall: chmod, decision: allow, reason: a\n"
                         "  - oops\n";
    scw_test_write_file(path, broken, strlen(broken));
    char *err = read_error(path, -EINVAL);
    char *want = scw_test_asprintf("%s:5:1: YAML syntax error", path);
    if (strncmp(err, want, strlen(want)) != 0)
        fail_msg("got %s", err);
    free(want);
    free(err);
    /* valid YAML, invalid rule file */
    const char *bad = "version: 1\ndecisions:\n  - {group: web, syscall: chmod, reason: a}\n";
    scw_test_write_file(path, bad, strlen(bad));
    err = read_error(path, -EINVAL);
    want = scw_test_asprintf("%s:3:5: decision #1 has no 'decision'", path);
    assert_non_null(strstr(err, want));
    free(want);
    free(err);
    /* a valid rule file with more than decisions: not ours to rewrite */
    const char *more = "version: 1\n"
                       "rules:\n"
                       "  - {name: r, syscalls: [read], decision: allow, reason: a}\n"
                       "decisions: []\n";
    scw_test_write_file(path, more, strlen(more));
    err = read_error(path, -EINVAL);
    want = scw_test_asprintf("%s:2:1: 'rules' in a decisions file (scmpwatch decide and review "
                             "write files of decisions only; move it to another file of rules.d)",
                             path);
    assert_string_equal(err, want);
    free(want);
    free(err);
    /* a directory */
    err = read_error(dir, -EISDIR);
    free(err);
    free(path);
    scw_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_and_written),
        cmocka_unit_test(test_hostile_strings),
        cmocka_unit_test(test_hand_edits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
