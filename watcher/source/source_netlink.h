/*
 * source_netlink: live audit records from the kernel's read-only multicast group
 * (NETLINK_AUDIT, AUDIT_NLGRP_READLOG). Needs CAP_AUDIT_READ; coexists with auditd and works
 * without it. Reads in batches (recvmmsg), parses SECCOMP bodies in place, tracks loss from
 * serial gaps and ENOBUFS. Also reads the kernel's own audit "lost" counter (AUDIT_GET).
 */
#ifndef SCW_SOURCE_NETLINK_H
#define SCW_SOURCE_NETLINK_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "seqgap.h"

#define SCW_NETLINK_RCVBUF_DEFAULT (64U << 20) /* measured: 64 MiB loses nothing at full rate */

typedef void (*scw_record_fn)(void *ctx, const struct scw_record *r);

struct scw_nl_audit;

/* Open, bind and size the receive buffer (SO_RCVBUFFORCE, falling back to SO_RCVBUF).
 * Non-blocking. Returns -errno (-EPERM without CAP_AUDIT_READ, -EPROTONOSUPPORT without
 * audit). */
int scw_nl_audit_open(size_t rcvbuf, struct scw_nl_audit **ret);
void scw_nl_audit_close(struct scw_nl_audit *nl);
int scw_nl_audit_fd(const struct scw_nl_audit *nl);
size_t scw_nl_audit_rcvbuf(const struct scw_nl_audit *nl); /* effective size */

/*
 * Read what is queued, at most max_messages (so a flood cannot starve the caller's other
 * duties), in recvmmsg batches of 64: calls cb for every SECCOMP record (the record is reused
 * between calls; copy what you keep). Returns the number of messages read (fewer than
 * max_messages: the queue is empty), or -errno. ENOBUFS is counted, not returned.
 */
int scw_nl_audit_drain(struct scw_nl_audit *nl, int max_messages, scw_record_fn cb, void *ctx);

struct scw_nl_stats {
    uint64_t messages;    /* netlink messages read, any type */
    uint64_t seccomp;     /* SECCOMP records delivered */
    uint64_t malformed;   /* SECCOMP messages without valid arch/syscall */
    uint64_t enobufs;     /* times the socket overflowed */
    uint64_t serial_lost; /* records lost, from serial gaps */
};
void scw_nl_audit_stats(const struct scw_nl_audit *nl, struct scw_nl_stats *ret);

/* The kernel's audit status: its "lost" counter and backlog (AUDIT_GET; needs root). */
int scw_audit_kernel_status(uint64_t *ret_lost, uint32_t *ret_backlog, uint32_t *ret_pid);

#endif
