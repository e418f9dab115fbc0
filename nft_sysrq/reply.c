// SPDX-License-Identifier: GPL-2.0
/*
 * Answers for IPv4 and IPv6, built like nf_reject's replies
 * (net/ipv4/netfilter/nf_reject_ipv4.c, net/ipv6/netfilter/nf_reject_ipv6.c):
 * a new skb from the datagram's destination to its source, routed as a
 * locally generated packet, attached to the datagram's conntrack entry and
 * sent through the output hooks with ip_local_out()/ip6_local_out(). A
 * REPORT, sent once its request's keys have run, has no packet to answer:
 * it is routed from the addresses the request came with.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/mm.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_tables.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "exec.h"
#include "fault.h"
#include "reply.h"

/*
 * ip_local_out() and ip6_local_out() return <0 when a hook or the route
 * dropped the skb, else a NET_XMIT_* code (congestion is not a drop).
 */
static int nft_sysrq_xmit_err(int err)
{
	return err > 0 ? net_xmit_errno(err) : err;
}

/*
 * The UDP header after the network header of nskb, then the payload: in
 * the linear area, or, when its keys wait for the ACK, copied into a page
 * of its own (page, see nft_sysrq_wait_ack()) attached as the skb's only
 * frag. Returns the checksum of header and payload.
 */
static __wsum nft_sysrq_put_udp(struct sk_buff *nskb, __be16 sport,
				__be16 dport, const u8 *payload,
				unsigned int len, struct page *page)
{
	struct udphdr *uh;

	skb_set_transport_header(nskb, skb_tail_pointer(nskb) - nskb->data);
	uh = skb_put(nskb, sizeof(*uh));
	uh->source = sport;
	uh->dest = dport;
	uh->len = htons(sizeof(*uh) + len);
	uh->check = 0;

	if (page) {
		memcpy(page_address(page), payload, len);
		skb_fill_page_desc(nskb, 0, page, 0, len);
		nskb->len += len;
		nskb->data_len += len;
		nskb->truesize += PAGE_SIZE;
	} else {
		skb_put_data(nskb, payload, len);
	}
	/* The checksum is complete in software: no offload state to carry. */
	nskb->ip_summed = CHECKSUM_NONE;
	return csum_partial(payload, len, csum_partial(uh, sizeof(*uh), 0));
}

/*
 * The page for a tracked ACK's payload, or NULL for a plain one. Short of
 * atomic memory (a host being rescued often is), the ACK goes out plain:
 * its keys then run without waiting for it, rather than without any ACK.
 */
static struct page *nft_sysrq_reply_page(struct nft_sysrq_exec *wait)
{
	struct page *page;

	if (!wait)
		return NULL;
	page = nft_sysrq_should_fail(NFT_SYSRQ_FAIL_ACK_PAGE) ? NULL :
		alloc_page(GFP_ATOMIC | __GFP_NOWARN);
	if (!page)
		net_warn_ratelimited("nft_sysrq: no page to track the ACK: sending it untracked\n");
	return page;
}

/*
 * An IPv4 answer from saddr:sport to daddr:dport, not yet routed (ttl 0).
 * With wait, the payload goes in a page of its own (see above).
 */
static struct sk_buff *nft_sysrq_build4(__be32 saddr, __be32 daddr,
					__be16 sport, __be16 dport,
					const u8 *payload, unsigned int len,
					struct page *page)
{
	unsigned int ulen = sizeof(struct udphdr) + len;
	struct sk_buff *nskb;
	struct iphdr *niph;
	__sum16 check;
	__wsum csum;

	nskb = alloc_skb(LL_MAX_HEADER + sizeof(struct iphdr) + ulen,
			 GFP_ATOMIC);
	if (!nskb)
		return NULL;
	skb_reserve(nskb, LL_MAX_HEADER);

	skb_reset_network_header(nskb);
	niph = skb_put(nskb, sizeof(*niph));
	niph->version = 4;
	niph->ihl = sizeof(*niph) / 4;
	niph->tos = 0;
	niph->tot_len = htons(sizeof(*niph) + ulen);
	niph->id = 0;
	niph->frag_off = htons(IP_DF);
	niph->ttl = 0;
	niph->protocol = IPPROTO_UDP;
	niph->check = 0;
	niph->saddr = saddr;
	niph->daddr = daddr;
	nskb->protocol = htons(ETH_P_IP);

	csum = nft_sysrq_put_udp(nskb, sport, dport, payload, len, page);
	check = csum_tcpudp_magic(saddr, daddr, ulen, IPPROTO_UDP, csum);
	udp_hdr(nskb)->check = check ? check : CSUM_MANGLED_0;
	return nskb;
}

/*
 * A routed answer of either family: check the MTU, attach the answered
 * datagram's conntrack entry (oldskb, if any), track the ACK's page, and
 * send through the output hooks with the family's local_out().
 */
static int nft_sysrq_xmit(struct net *net, struct sk_buff *nskb,
			  struct sk_buff *oldskb, struct page *page,
			  struct nft_sysrq_exec *wait,
			  int (*local_out)(struct net *net, struct sock *sk,
					   struct sk_buff *skb))
{
	if (nskb->len > dst_mtu(skb_dst(nskb))) {
		kfree_skb(nskb);
		return -EMSGSIZE;
	}
	if (oldskb)
		nf_ct_attach(nskb, oldskb);
	if (page)
		nft_sysrq_exec_track_ack(wait, page);
	return nft_sysrq_xmit_err(local_out(net, NULL, nskb));
}

/* A routed IPv4 answer: its TTL from the route, then sent. */
static int nft_sysrq_xmit4(struct net *net, struct sk_buff *nskb,
			   struct sk_buff *oldskb, struct page *page,
			   struct nft_sysrq_exec *wait)
{
	ip_hdr(nskb)->ttl = ip4_dst_hoplimit(skb_dst(nskb));
	return nft_sysrq_xmit(net, nskb, oldskb, page, wait, ip_local_out);
}

static int nft_sysrq_reply4(struct net *net, struct sk_buff *oldskb,
			    const struct udphdr *ouh, const u8 *payload,
			    unsigned int len, struct nft_sysrq_exec *wait)
{
	const struct iphdr *oiph = ip_hdr(oldskb);
	struct sk_buff *nskb;
	struct page *page;

	/* Datagrams to a broadcast or multicast address get no answer. */
	if (!skb_dst(oldskb) ||
	    skb_rtable(oldskb)->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST))
		return -EINVAL;
	if (ipv4_is_zeronet(oiph->saddr) || ipv4_is_lbcast(oiph->saddr) ||
	    ipv4_is_multicast(oiph->saddr))
		return -EINVAL;

	page = nft_sysrq_reply_page(wait);
	nskb = nft_sysrq_build4(oiph->daddr, oiph->saddr, ouh->dest,
				ouh->source, payload, len, page);
	if (!nskb) {
		if (page)
			__free_page(page);
		return -ENOMEM;
	}
	/* ip_route_me_harder() expects skb->dst to be set. */
	skb_dst_set_noref(nskb, skb_dst(oldskb));
	nskb->mark = IP4_REPLY_MARK(net, oldskb->mark);
	if (ip_route_me_harder(net, NULL, nskb, RTN_UNSPEC)) {
		kfree_skb(nskb);
		return -EHOSTUNREACH;
	}
	return nft_sysrq_xmit4(net, nskb, oldskb, page, wait);
}

static int nft_sysrq_peer_reply4(const struct nft_sysrq_peer *peer,
				 const u8 *payload, unsigned int len)
{
	struct sk_buff *nskb;
	struct flowi4 fl4;
	struct rtable *rt;

	memset(&fl4, 0, sizeof(fl4));
	fl4.flowi4_proto = IPPROTO_UDP;
	fl4.saddr = peer->local.ip;
	fl4.daddr = peer->remote.ip;
	fl4.fl4_sport = peer->lport;
	fl4.fl4_dport = peer->rport;
	fl4.flowi4_mark = peer->mark;
	rt = ip_route_output_key(peer->net, &fl4);
	if (IS_ERR(rt))
		return PTR_ERR(rt);

	nskb = nft_sysrq_build4(peer->local.ip, peer->remote.ip, peer->lport,
				peer->rport, payload, len, NULL);
	if (!nskb) {
		ip_rt_put(rt);
		return -ENOMEM;
	}
	skb_dst_set(nskb, &rt->dst);
	nskb->mark = peer->mark;
	return nft_sysrq_xmit4(peer->net, nskb, NULL, NULL, NULL);
}

#if IS_ENABLED(CONFIG_IPV6)
/*
 * An IPv6 answer from saddr:sport to daddr:dport. oldskb, when there is
 * one, is the datagram answered (flow classification, conntrack).
 */
static int nft_sysrq_reply6(struct net *net, struct sk_buff *oldskb,
			    const struct in6_addr *saddr,
			    const struct in6_addr *daddr, __be16 sport,
			    __be16 dport, int oif, u32 mark,
			    const u8 *payload, unsigned int len,
			    struct nft_sysrq_exec *wait)
{
	unsigned int ulen = sizeof(struct udphdr) + len;
	struct dst_entry *dst;
	struct sk_buff *nskb;
	struct ipv6hdr *ip6h;
	struct page *page;
	struct flowi6 fl6;
	__sum16 check;
	__wsum csum;

	if (!(ipv6_addr_type(saddr) & IPV6_ADDR_UNICAST) ||
	    !(ipv6_addr_type(daddr) & IPV6_ADDR_UNICAST))
		return -EINVAL;

	memset(&fl6, 0, sizeof(fl6));
	fl6.flowi6_proto = IPPROTO_UDP;
	fl6.saddr = *saddr;
	fl6.daddr = *daddr;
	fl6.fl6_sport = sport;
	fl6.fl6_dport = dport;
	/* A link-local peer is reachable only through the arrival device. */
	if (rt6_need_strict(&fl6.daddr) && oif)
		fl6.flowi6_oif = oif;
	else if (oldskb && skb_dst(oldskb))
		fl6.flowi6_oif = l3mdev_master_ifindex(skb_dst(oldskb)->dev);
	fl6.flowi6_mark = mark;
	if (oldskb)
		security_skb_classify_flow(oldskb,
					   flowi6_to_flowi_common(&fl6));

	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error) {
		dst_release(dst);
		return -EHOSTUNREACH;
	}
	dst = xfrm_lookup(net, dst, flowi6_to_flowi(&fl6), NULL, 0);
	if (IS_ERR(dst))
		return PTR_ERR(dst);

	page = nft_sysrq_reply_page(wait);
	nskb = alloc_skb(LL_MAX_HEADER + sizeof(struct ipv6hdr) + ulen +
			 dst->trailer_len, GFP_ATOMIC);
	if (!nskb) {
		if (page)
			__free_page(page);
		dst_release(dst);
		return -ENOMEM;
	}
	skb_dst_set(nskb, dst);
	nskb->mark = fl6.flowi6_mark;
	skb_reserve(nskb, LL_MAX_HEADER);

	skb_reset_network_header(nskb);
	ip6h = skb_put(nskb, sizeof(*ip6h));
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(ulen);
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	ip6h->saddr = *saddr;
	ip6h->daddr = *daddr;
	nskb->protocol = htons(ETH_P_IPV6);

	csum = nft_sysrq_put_udp(nskb, sport, dport, payload, len, page);
	check = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, ulen, IPPROTO_UDP,
				csum);
	udp_hdr(nskb)->check = check ? check : CSUM_MANGLED_0;
	return nft_sysrq_xmit(net, nskb, oldskb, page, wait, ip6_local_out);
}
#endif

int nft_sysrq_reply(const struct nft_pktinfo *pkt, const struct udphdr *uh,
		    const u8 *payload, unsigned int len,
		    struct nft_sysrq_exec *wait)
{
	switch (nft_pf(pkt)) {
	case NFPROTO_IPV4:
		return nft_sysrq_reply4(nft_net(pkt), pkt->skb, uh, payload,
					len, wait);
#if IS_ENABLED(CONFIG_IPV6)
	case NFPROTO_IPV6: {
		const struct ipv6hdr *oip6h = ipv6_hdr(pkt->skb);
		const struct net_device *in = nft_in(pkt);

		return nft_sysrq_reply6(nft_net(pkt), pkt->skb, &oip6h->daddr,
					&oip6h->saddr, uh->dest, uh->source,
					in ? in->ifindex : 0,
					IP6_REPLY_MARK(nft_net(pkt),
						       pkt->skb->mark),
					payload, len, wait);
	}
#endif
	}
	return -EAFNOSUPPORT;
}

void nft_sysrq_peer_set(struct nft_sysrq_peer *peer,
			const struct nft_pktinfo *pkt, const struct udphdr *uh)
{
	const struct net_device *in = nft_in(pkt);

	memset(peer, 0, sizeof(*peer));
	peer->net = get_net(nft_net(pkt));
	peer->family = nft_pf(pkt);
	peer->lport = uh->dest;
	peer->rport = uh->source;
	peer->oif = in ? in->ifindex : 0;
	if (peer->family == NFPROTO_IPV4) {
		peer->local.ip = ip_hdr(pkt->skb)->daddr;
		peer->remote.ip = ip_hdr(pkt->skb)->saddr;
		peer->mark = IP4_REPLY_MARK(peer->net, pkt->skb->mark);
	} else {
		peer->local.in6 = ipv6_hdr(pkt->skb)->daddr;
		peer->remote.in6 = ipv6_hdr(pkt->skb)->saddr;
		peer->mark = IP6_REPLY_MARK(peer->net, pkt->skb->mark);
	}
}

void nft_sysrq_peer_release(struct nft_sysrq_peer *peer)
{
	if (peer->net)
		put_net(peer->net);
	peer->net = NULL;
}

int nft_sysrq_reply_peer(const struct nft_sysrq_peer *peer, const u8 *payload,
			 unsigned int len)
{
	int err = -EAFNOSUPPORT;

	/* The output path expects what the packet path has: BHs off. */
	local_bh_disable();
	if (peer->family == NFPROTO_IPV4)
		err = nft_sysrq_peer_reply4(peer, payload, len);
#if IS_ENABLED(CONFIG_IPV6)
	else if (peer->family == NFPROTO_IPV6)
		err = nft_sysrq_reply6(peer->net, NULL, &peer->local.in6,
				       &peer->remote.in6, peer->lport,
				       peer->rport, peer->oif, peer->mark,
				       payload, len, NULL);
#endif
	local_bh_enable();
	return err;
}
