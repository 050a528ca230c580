/*
 * commands: the table of subcommands (one line each) and helpers they share. Adding a command
 * is one line here plus its cmd_<name>.c.
 */
#include "commands.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "runtime_meta.h"

const struct scw_command scw_commands[] = {
    {"replay", "aggregate SECCOMP records from saved logs (files, .gz, stdin)", scw_cmd_replay},
    {"watch", "watch SECCOMP records live and attribute them to containers", scw_cmd_watch},
    {"suggest", "propose profile changes from a watcher's state file", scw_cmd_suggest},
    {"merge", "merge the state files of several nodes into one", scw_cmd_merge},
    {"review", "walk the open proposals and decide each one, interactively", scw_cmd_review},
    {"decide", "record decisions for syscalls of a profile group, without asking", scw_cmd_decide},
    {"check", "check kernel and host support", scw_cmd_check},
    {"attribute", "which workload a process or cgroup is, and where its metadata comes from",
     scw_cmd_attribute},
    {"rules", "validate rule files (check) and list their syscall groups (list-groups)",
     scw_cmd_rules},
    {"profile", "validate, show, logify, tune, diff seccomp profiles", scw_cmd_profile},
    {"vulns", "list what image scanner reports would keep blocked (cve_blocks)", scw_cmd_vulns},
    {NULL, NULL, NULL},
};

bool scw_cmd_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *ret)
{
    char *end;
    errno = 0;
    if (!(*s >= '0' && *s <= '9'))
        return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return false;
    *ret = v;
    return true;
}

bool scw_cmd_valid_node(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 253 || s[0] == '.' || s[0] == '-')
        return false;
    return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-") == n;
}

int scw_cmd_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "scmpwatch %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'scmpwatch %s --help'.\n", cmd);
    return SCW_EXIT_USAGE;
}

int scw_cmd_runtime_root(struct scw_meta_roots *roots, const char *arg)
{
    /* the kinds are runtime_meta's (scw_meta_roots_set): one table for watch and attribute */
    const char *eq = strchr(arg, '=');
    if (!eq || !eq[1] || (size_t)(eq - arg) >= 32)
        return -EINVAL;
    char kind[32];
    memcpy(kind, arg, (size_t)(eq - arg));
    kind[eq - arg] = '\0';
    return scw_meta_roots_set(roots, kind, eq + 1);
}
