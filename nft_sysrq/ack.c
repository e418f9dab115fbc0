// SPDX-License-Identifier: GPL-2.0
/*
 * ACK datagrams for IPv4 and IPv6, built like nf_reject's replies
 * (net/ipv4/netfilter/nf_reject_ipv4.c, net/ipv6/netfilter/nf_reject_ipv6.c):
 * a new skb from the request's destination to its source, routed as a
 * locally generated packet, attached to the request's conntrack entry and
 * sent through the output hooks with ip_local_out()/ip6_local_out().
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

#include "ack.h"
#include "exec.h"

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
static __wsum nft_sysrq_ack_put_udp(struct sk_buff *nskb,
				    const struct udphdr *ouh,
				    const u8 *payload, unsigned int len,
				    struct page *page)
{
	struct udphdr *uh;

	skb_set_transport_header(nskb, skb_tail_pointer(nskb) - nskb->data);
	uh = skb_put(nskb, sizeof(*uh));
	uh->source = ouh->dest;
	uh->dest = ouh->source;
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
static struct page *nft_sysrq_ack_page(struct nft_sysrq_exec *wait)
{
	struct page *page;

	if (!wait)
		return NULL;
	page = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
	if (!page)
		net_warn_ratelimited("nft_sysrq: no page to track the ACK: sending it untracked\n");
	return page;
}

static int nft_sysrq_ack_send4(struct net *net, struct sk_buff *oldskb,
			       const struct udphdr *ouh, const u8 *payload,
			       unsigned int len, struct nft_sysrq_exec *wait)
{
	const struct iphdr *oiph = ip_hdr(oldskb);
	unsigned int ulen = sizeof(struct udphdr) + len;
	struct sk_buff *nskb;
	struct page *page;
	struct iphdr *niph;
	__wsum csum;
	__sum16 check;

	/* Requests to a broadcast or multicast address get no reply. */
	if (!skb_dst(oldskb) ||
	    skb_rtable(oldskb)->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST))
		return -EINVAL;
	if (ipv4_is_zeronet(oiph->saddr) || ipv4_is_lbcast(oiph->saddr) ||
	    ipv4_is_multicast(oiph->saddr))
		return -EINVAL;

	page = nft_sysrq_ack_page(wait);
	nskb = alloc_skb(LL_MAX_HEADER + sizeof(struct iphdr) + ulen,
			 GFP_ATOMIC);
	if (!nskb) {
		if (page)
			__free_page(page);
		return -ENOMEM;
	}

	/* ip_route_me_harder() expects skb->dst to be set. */
	skb_dst_set_noref(nskb, skb_dst(oldskb));
	nskb->mark = IP4_REPLY_MARK(net, oldskb->mark);
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
	niph->saddr = oiph->daddr;
	niph->daddr = oiph->saddr;
	nskb->protocol = htons(ETH_P_IP);

	csum = nft_sysrq_ack_put_udp(nskb, ouh, payload, len, page);
	check = csum_tcpudp_magic(niph->saddr, niph->daddr, ulen, IPPROTO_UDP,
				  csum);
	udp_hdr(nskb)->check = check ? check : CSUM_MANGLED_0;

	if (ip_route_me_harder(net, NULL, nskb, RTN_UNSPEC))
		goto drop;
	niph->ttl = ip4_dst_hoplimit(skb_dst(nskb));
	if (nskb->len > dst_mtu(skb_dst(nskb)))
		goto drop;

	nf_ct_attach(nskb, oldskb);
	if (page)
		nft_sysrq_exec_track_ack(wait, page);
	return nft_sysrq_xmit_err(ip_local_out(net, NULL, nskb));

drop:
	kfree_skb(nskb);
	return -EHOSTUNREACH;
}

#if IS_ENABLED(CONFIG_IPV6)
static int nft_sysrq_ack_send6(struct net *net, struct sk_buff *oldskb,
			       const struct net_device *in,
			       const struct udphdr *ouh, const u8 *payload,
			       unsigned int len, struct nft_sysrq_exec *wait)
{
	const struct ipv6hdr *oip6h = ipv6_hdr(oldskb);
	unsigned int ulen = sizeof(struct udphdr) + len;
	struct dst_entry *dst;
	struct sk_buff *nskb;
	struct ipv6hdr *ip6h;
	struct page *page;
	struct flowi6 fl6;
	__sum16 check;
	__wsum csum;

	if (!(ipv6_addr_type(&oip6h->saddr) & IPV6_ADDR_UNICAST) ||
	    !(ipv6_addr_type(&oip6h->daddr) & IPV6_ADDR_UNICAST))
		return -EINVAL;

	memset(&fl6, 0, sizeof(fl6));
	fl6.flowi6_proto = IPPROTO_UDP;
	fl6.saddr = oip6h->daddr;
	fl6.daddr = oip6h->saddr;
	fl6.fl6_sport = ouh->dest;
	fl6.fl6_dport = ouh->source;
	/* A link-local peer is reachable only through the arrival device. */
	if (rt6_need_strict(&fl6.daddr) && in)
		fl6.flowi6_oif = in->ifindex;
	else if (skb_dst(oldskb))
		fl6.flowi6_oif = l3mdev_master_ifindex(skb_dst(oldskb)->dev);
	fl6.flowi6_mark = IP6_REPLY_MARK(net, oldskb->mark);
	security_skb_classify_flow(oldskb, flowi6_to_flowi_common(&fl6));

	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error) {
		dst_release(dst);
		return -EHOSTUNREACH;
	}
	dst = xfrm_lookup(net, dst, flowi6_to_flowi(&fl6), NULL, 0);
	if (IS_ERR(dst))
		return PTR_ERR(dst);

	page = nft_sysrq_ack_page(wait);
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
	ip6h->saddr = oip6h->daddr;
	ip6h->daddr = oip6h->saddr;
	nskb->protocol = htons(ETH_P_IPV6);

	csum = nft_sysrq_ack_put_udp(nskb, ouh, payload, len, page);
	check = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, ulen, IPPROTO_UDP,
				csum);
	udp_hdr(nskb)->check = check ? check : CSUM_MANGLED_0;

	if (nskb->len > dst_mtu(dst)) {
		kfree_skb(nskb);
		return -EMSGSIZE;
	}

	nf_ct_attach(nskb, oldskb);
	if (page)
		nft_sysrq_exec_track_ack(wait, page);
	return nft_sysrq_xmit_err(ip6_local_out(net, NULL, nskb));
}
#endif

int nft_sysrq_ack_send(const struct nft_pktinfo *pkt, const struct udphdr *uh,
		       const u8 *payload, unsigned int len,
		       struct nft_sysrq_exec *wait)
{
	switch (nft_pf(pkt)) {
	case NFPROTO_IPV4:
		return nft_sysrq_ack_send4(nft_net(pkt), pkt->skb, uh, payload,
					   len, wait);
#if IS_ENABLED(CONFIG_IPV6)
	case NFPROTO_IPV6:
		return nft_sysrq_ack_send6(nft_net(pkt), pkt->skb, nft_in(pkt),
					   uh, payload, len, wait);
#endif
	}
	return -EAFNOSUPPORT;
}
