/*
 * vulns: image scanner reports and the cve_blocks they trigger.
 *
 * Reads the JSON that klar (JSON_OUTPUT=true), Trivy (-f json, schema 2) and Grype (-o json)
 * write, the format detected from the content, into one list of vulnerabilities per image,
 * named by canonical image references (image_ref.h) so that a workload's image finds its
 * report; and answers the question advise asks for a workload: which cve_blocks of a rule
 * set apply to its image (an unfixed CVE, or a package at a minimum severity, in a report of
 * that image) or to the running kernel (kernel_below), with the evidence to print.
 *
 * Reading is bounded (file size, entries, string lengths); a report that breaks a bound, does
 * not parse or lacks a field is refused whole with "FILE: what, at where" (where = a jq-style
 * path, or line and column for JSON syntax). Matching is pure: no I/O, it only allocates the
 * returned array. This module does not load rule files (rules.c), build proposals (advise.c)
 * or print reports (cmd_vulns.c prints the `vulns` command's listing).
 * Callers: cmd_vulns.c; suggest and replay through advise (--vulns).
 */
#ifndef SCW_VULNS_H
#define SCW_VULNS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "image_ref.h"
#include "rules.h"

/* Bounds on one report; hitting one refuses the report with a message naming the bound. */
#define SCW_VULNS_MAX_FILE_SIZE (64u << 20)       /* bytes per report file */
#define SCW_VULNS_MAX_REPORTS   1024              /* reports in one set */
#define SCW_VULNS_MAX_VULNS     262144            /* vulnerabilities in one report */
#define SCW_VULNS_MAX_GROUPS    4096              /* Trivy Results[] / klar severity groups */
#define SCW_VULNS_MAX_NAMES     64                /* names of one image (tags, digests, ids) */
#define SCW_VULNS_MAX_ALIASES   64                /* related ids of one vulnerability */
#define SCW_VULNS_MAX_STRING    4096              /* bytes in an id, package, version or target */
#define SCW_VULNS_MAX_IMAGE     SCW_IMAGE_REF_MAX /* bytes in an image reference */

enum scw_vuln_format {
    SCW_VULN_FORMAT_KLAR,
    SCW_VULN_FORMAT_TRIVY,
    SCW_VULN_FORMAT_GRYPE,
    SCW_VULN_FORMAT_MAX,
    SCW_VULN_FORMAT_INVALID = -1,
};
const char *scw_vuln_format_name(enum scw_vuln_format f); /* "klar", "trivy", "grype"; NULL */

/* One vulnerability of one package, as a scanner reported it. Strings hold no control bytes. */
struct scw_vuln {
    char *id;       /* "CVE-2021-3156", "GHSA-...", as reported */
    char **aliases; /* related ids (Grype relatedVulnerabilities), may be empty */
    size_t n_aliases;
    enum scw_severity severity; /* klar's Defcon1 counts as critical */
    char *package;              /* FeatureName / PkgName / artifact.name */
    char *installed;            /* "" when the report does not say */
    char *fixed;                /* "" when no fixed version is known (still present: unfixed) */
    char *target;               /* Trivy Results[].Target, Grype's first location; or NULL */
};

/* One report, tied to one image. Every vulnerability listed is present in the image. */
struct scw_vuln_report {
    char *path; /* as given */
    enum scw_vuln_format format;
    char *image;          /* shown name: IMAGE of "IMAGE=PATH", else names[0] */
    bool image_from_user; /* IMAGE=PATH was given (the report's own names are then unused) */
    char **names;         /* canonical references the image is matched by (see below) */
    size_t n_names;
    struct scw_vuln *vulns;
    size_t n_vulns;
    size_t by_severity[SCW_SEVERITY_MAX];
};

struct scw_vulns {
    struct scw_vuln_report **reports; /* in the order added */
    size_t n_reports;
};

struct scw_vulns *scw_vulns_new(void);
void scw_vulns_free(struct scw_vulns *vs);

/*
 * Read one report and add it to the set. arg is "PATH" or "IMAGE=PATH" (split at the first
 * '='; an argument starting with '/' or '.' is always a PATH, so write ./a=b.json for a file
 * whose name holds '='). Trivy and Grype image reports name their image; klar's do not, nor do
 * filesystem scans: those need IMAGE=PATH. Returns 0, or -errno with *ret_error (malloc'd) set
 * to "PATH: what, at where": -ENOENT/-EACCES... unreadable, -EFBIG over the size limit, -E2BIG
 * over another bound or the set is full, -EINVAL not a report of a known format / invalid /
 * no image, -ENOMEM. A refused report leaves the set as it was. ret_error may be NULL.
 */
int scw_vulns_add_file(struct scw_vulns *vs, const char *arg, char **ret_error);
/* The same from memory; path is used in messages, image (or NULL) as with IMAGE=PATH. */
int scw_vulns_add_buffer(struct scw_vulns *vs, const char *path, const char *image,
                         const void *data, size_t len, char **ret_error);

/* Image references (canonical form, matching): image_ref.h, included above. */

/* Whether a report is about this image (any of its names matches). */
bool scw_vulns_report_matches(const struct scw_vuln_report *r, const char *image);

enum scw_block_cause {
    SCW_BLOCK_CAUSE_CVE,     /* a report of the image lists one of the block's CVE ids */
    SCW_BLOCK_CAUSE_PACKAGE, /* ... lists a vulnerability of the block's package, severe enough */
    SCW_BLOCK_CAUSE_KERNEL,  /* the running kernel is older than the block's kernel_below */
    SCW_BLOCK_CAUSE_MAX,
    SCW_BLOCK_CAUSE_INVALID = -1,
};
const char *scw_block_cause_name(enum scw_block_cause c); /* "cve", "package", "kernel" */

/* One cve_block that applies, with its evidence. Every pointer is borrowed. */
struct scw_block_hit {
    const struct scw_cve_block *block; /* from the rule set: name, syscalls, reason, link */
    enum scw_block_cause cause;
    /* CVE and PACKAGE: the most severe matching vulnerability (first one on ties) */
    const struct scw_vuln_report *report; /* NULL for KERNEL */
    const struct scw_vuln *vuln;          /* NULL for KERNEL */
    const char *cve;  /* id that matched (vuln->id or an alias); PACKAGE: vuln->id;
                         KERNEL: the block's first CVE id, or NULL if it lists none */
    size_t n_matches; /* matching vulnerabilities over every report of the image (KERNEL: 0) */
    /* KERNEL: the release the caller gave, and the fix it lacks (one of block->kernel_below) */
    const char *kernel_release;
    const char *kernel_fix;
};

/*
 * The cve_blocks that apply to a workload, in rule-set order, at most one hit per block:
 *   - a block with kernel_below, when kernel_release is known: applies exactly when the kernel
 *     lacks the fix (scw_rules_kernel_missing_fix), whatever the reports say (scanners list kernel
 * CVEs against header packages such as linux-libc-dev, which are not the running kernel);
 *   - any other block (and a kernel_below block when kernel_release is NULL): applies when a
 *     report of the workload's image lists one of its CVE ids (also as an alias), or a
 *     vulnerability of its package at or above its severity. "Listed" is unfixed: FixedBy /
 *     FixedVersion name the version that fixes it, the image still has the vulnerable one.
 * image NULL (host or unattributed workload, or unknown image): kernel blocks only.
 * kernel_release: uname -r in production; NULL when unknown. *ret (malloc'd, NULL when none)
 * is freed with free(); hits borrow from rs, vs and kernel_release, which must outlive them.
 * Returns 0 or -ENOMEM. Pure: no I/O.
 */
int scw_vulns_blocks_for(const struct scw_rules *rs, const struct scw_vulns *vs, const char *image,
                         const char *kernel_release, struct scw_block_hit **ret, size_t *ret_n);

/* The same image-evidence hits from one report alone (kernel blocks skipped when
 * kernel_release is known, as above); for listing a report by itself. */
int scw_vulns_report_blocks(const struct scw_rules *rs, const struct scw_vuln_report *r,
                            const char *kernel_release, struct scw_block_hit **ret, size_t *ret_n);

/* The first hit whose block covers the syscall ("*" blocks cover every syscall, also an
 * unnamed one: syscall NULL); NULL when none does. */
const struct scw_block_hit *scw_vulns_block_for_syscall(const struct scw_block_hit *hits, size_t n,
                                                        const char *syscall);

/*
 * The evidence as one line, for reports:
 *   "CVE-2021-3156 (high) in sudo 1.8.27-1+deb10u2, fixed in 1.8.27-1+deb10u3"
 *   "CVE-2021-4034 (high) in pkexec 0.105-33, no fixed version yet"
 *   "host kernel 5.10.0-8-amd64 is older than 5.16.11 (CVE-2022-0847)"
 * plus " (and N more matching)" when several vulnerabilities matched. Truncates to size;
 * returns what snprintf returns.
 */
int scw_vulns_hit_evidence(const struct scw_block_hit *h, char *buf, size_t size);

/*
 * The hit as a JSON object (stable keys): block, cause, cve, severity, package, installed,
 * fixed (null when none), report, image, matches, kernel, kernel_below (the fix the kernel
 * lacks), syscalls (the
 * expanded names), reason, link, defined_at ("FILE:LINE:COLUMN"). NULL on allocation failure.
 */
json_t *scw_vulns_hit_json(const struct scw_block_hit *h);

#endif
