/*
 * nlmsg: walking the netlink messages of one datagram. The kernel's NLMSG_OK compares an
 * unsigned length with a signed one; this is the same check with the signs made explicit.
 * `left` stays signed because NLMSG_NEXT may step past an unpadded last message.
 */
#pragma once

#include <linux/netlink.h>
#include <stdbool.h>

static inline bool scw_nlmsg_ok(const struct nlmsghdr *h, int left)
{
    return left >= (int)sizeof(*h) && h->nlmsg_len >= sizeof(*h) && h->nlmsg_len <= (unsigned)left;
}
