/* SPDX-License-Identifier: GPL-2.0 */
/* ACK datagrams: a UDP reply to the request, routed as locally generated. */
#ifndef NFT_SYSRQ_ACK_H
#define NFT_SYSRQ_ACK_H

#include <linux/types.h>

struct nft_pktinfo;
struct udphdr;
struct nft_sysrq_exec;

/*
 * Send payload (len bytes) from the request's destination address and port
 * to its source, same IP version. When wait is set, the ACK skb is tracked
 * so that wait's keys run only after it has left. Returns 0 when the skb
 * went out through the output path, or <0 when no ACK was built or the
 * output path dropped it right away (e.g. an output rule: -EPERM).
 */
int nft_sysrq_ack_send(const struct nft_pktinfo *pkt, const struct udphdr *uh,
		       const u8 *payload, unsigned int len,
		       struct nft_sysrq_exec *wait);

#endif /* NFT_SYSRQ_ACK_H */
