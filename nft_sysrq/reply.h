/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Answers (ACK, CLOCK, OUTPUT, REPORT): UDP datagrams from the answered
 * datagram's destination address and port to its source, same IP version,
 * routed as locally generated packets.
 */
#ifndef NFT_SYSRQ_REPLY_H
#define NFT_SYSRQ_REPLY_H

#include <linux/netfilter.h>
#include <linux/types.h>

struct net;
struct nft_pktinfo;
struct udphdr;
struct nft_sysrq_exec;

/*
 * Where a later answer (a REPORT) goes: the request's addresses and ports,
 * and a reference to its network namespace.
 */
struct nft_sysrq_peer {
	struct net		*net;
	u8			family;	/* NFPROTO_IPV4 or NFPROTO_IPV6 */
	union nf_inet_addr	local, remote;
	__be16			lport, rport;
	int			oif;	/* IPv6 link-local: arrival device */
	u32			mark;
};

/*
 * Send payload (len bytes) in answer to the packet. When wait is set, the
 * skb is tracked so that wait's keys run only after it has left. Returns
 * 0 when the skb went out through the output path, or <0 when none was
 * built or the output path dropped it right away (an output rule: -EPERM).
 */
int nft_sysrq_reply(const struct nft_pktinfo *pkt, const struct udphdr *uh,
		    const u8 *payload, unsigned int len,
		    struct nft_sysrq_exec *wait);

/* Remember where the packet came from, taking a namespace reference. */
void nft_sysrq_peer_set(struct nft_sysrq_peer *peer,
			const struct nft_pktinfo *pkt, const struct udphdr *uh);
void nft_sysrq_peer_release(struct nft_sysrq_peer *peer);
/* Send payload to a remembered peer. Process context. */
int nft_sysrq_reply_peer(const struct nft_sysrq_peer *peer, const u8 *payload,
			 unsigned int len);

#endif /* NFT_SYSRQ_REPLY_H */
