/*
 * commands: the subcommands of the scmpwatch binary. Each takes the arguments after its own
 * name (argv[0] is the command name) and returns the process exit code; only main.c exits.
 */
#ifndef SCW_COMMANDS_H
#define SCW_COMMANDS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes, documented in scmpwatch(1). */
enum {
    SCW_EXIT_OK = 0,
    SCW_EXIT_INPUT = 1,   /* an input could not be read / a check or validation failed */
    SCW_EXIT_USAGE = 2,   /* bad command line */
    SCW_EXIT_RUNTIME = 3, /* the watcher could not start or failed while running */
    SCW_EXIT_GATE = 4,    /* suggest --fail-on: a proposal has one of the properties named */
};

struct scw_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
};

/* The table main.c dispatches on, NULL-terminated. */
extern const struct scw_command scw_commands[];

int scw_cmd_replay(int argc, char **argv);
int scw_cmd_watch(int argc, char **argv);
int scw_cmd_suggest(int argc, char **argv);
int scw_cmd_review(int argc, char **argv);
int scw_cmd_decide(int argc, char **argv);
int scw_cmd_check(int argc, char **argv);
int scw_cmd_rules(int argc, char **argv);
int scw_cmd_profile(int argc, char **argv);
int scw_cmd_vulns(int argc, char **argv);
int scw_cmd_attribute(int argc, char **argv);
int scw_cmd_merge(int argc, char **argv);

/* Whether a --node NAME is usable: 1 to 253 of [A-Za-z0-9._:-] (host and Kubernetes node
 * names), not starting with '.' or '-'. */
bool scw_cmd_valid_node(const char *s);

/* An option's decimal value in [min, max] (no sign, no junk); false otherwise. */
bool scw_cmd_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *ret);

/* --runtime-root KIND=DIR (watch, attribute): sets that root of roots to DIR (borrowed from
 * arg). KINDs: docker, docker-exec, containerd, storage-run, storage, runc, user-run.
 * Returns 0 or -EINVAL (no '=', empty DIR, unknown KIND). */
struct scw_meta_roots;
int scw_cmd_runtime_root(struct scw_meta_roots *roots, const char *arg);

/* Shared option handling: prints "try --help" style usage errors. */
int scw_cmd_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
