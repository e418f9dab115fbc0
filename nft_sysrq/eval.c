// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path of the "sysrq" expression: read the datagram, run the
 * protocol core, count, reply, queue the keys. Verdict to nf_tables:
 * ACCEPTED and DUPLICATE consume the packet (NF_DROP); everything else is
 * a non-match (NFT_BREAK), so the next sysrq rule can try its key.
 */
#include <linux/ipv6.h>
#include <linux/ratelimit.h>
#include <linux/skbuff.h>
#include <linux/timekeeping.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/netfilter/nf_tables.h>

#include "ack.h"
#include "exec.h"
#include "expr.h"
#include "mask.h"
#include "replay.h"

/* Counter attribute of each verdict an expression can reach. */
static const u8 nft_sysrq_ctr[SR_VERDICT_COUNT] = {
	[SR_MALFORMED]	= NFTA_SYSRQ_CTR_MALFORMED,
	[SR_OTHER_KEY]	= NFTA_SYSRQ_CTR_OTHER_KEY,
	[SR_STALE]	= NFTA_SYSRQ_CTR_STALE,
	[SR_BAD_MAC]	= NFTA_SYSRQ_CTR_BAD_MAC,
	[SR_DUPLICATE]	= NFTA_SYSRQ_CTR_DUPLICATE,
	[SR_REPLAY]	= NFTA_SYSRQ_CTR_REPLAY,
	[SR_REFUSED]	= NFTA_SYSRQ_CTR_REFUSED,
	[SR_ACCEPTED]	= NFTA_SYSRQ_CTR_ACCEPTED,
};

/* One log budget per verdict class: a flood of one kind hides no other. */
static struct ratelimit_state nft_sysrq_rl[SR_VERDICT_COUNT];

void nft_sysrq_log_init(void)
{
	int i;

	for (i = 0; i < SR_VERDICT_COUNT; i++)
		ratelimit_state_init(&nft_sysrq_rl[i], 5 * HZ, 5);
}

static void nft_sysrq_count(const struct nft_sysrq_priv *priv,
			    enum sr_verdict v)
{
	struct nft_sysrq_stats *st;
	u8 ctr = nft_sysrq_ctr[v];

	if (!ctr)
		return;
	local_bh_disable();
	st = this_cpu_ptr(priv->stats);
	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->ctr[ctr]);
	u64_stats_update_end(&st->syncp);
	local_bh_enable();
}

/*
 * One line per verdict, rate-limited per class; the key characters are
 * printed only once parsing has validated them. Never a MAC or key byte.
 */
static void nft_sysrq_log(const struct nft_sysrq_priv *priv,
			  const struct nft_pktinfo *pkt,
			  const struct udphdr *uh, enum sr_verdict v,
			  const struct sr_request *req)
{
	const u8 *keys = (const u8 *)"";
	int n = 0;

	/* Another rule's key: not this rule's business. */
	if (v == SR_OTHER_KEY || !__ratelimit(&nft_sysrq_rl[v]))
		return;
	if (v != SR_MALFORMED) {
		keys = req->keys;
		n = req->n;
	}

	if (nft_pf(pkt) == NFPROTO_IPV4)
		pr_info("nft_sysrq: %s: %s request from %pI4:%u keys \"%.*s\"\n",
			priv->name, sr_verdict_name(v),
			&ip_hdr(pkt->skb)->saddr, ntohs(uh->source), n, keys);
	else
		pr_info("nft_sysrq: %s: %s request from [%pI6c]:%u keys \"%.*s\"\n",
			priv->name, sr_verdict_name(v),
			&ipv6_hdr(pkt->skb)->saddr, ntohs(uh->source), n, keys);
}

/*
 * What sr_check() passed: commit and reply. Returns the verdict and, for
 * ACCEPTED, the execution item to queue in *exec (taken by the commit,
 * only for a request that executes).
 */
static enum sr_verdict nft_sysrq_commit(const struct nft_sysrq_priv *priv,
					const struct nft_pktinfo *pkt,
					const struct udphdr *uh,
					const struct sr_request *req,
					struct nft_sysrq_exec **exec)
{
	struct nft_sysrq_exec *wait = NULL;
	struct sr_outcome out;
	u8 ack[SR_MAX_LEN];
	size_t ack_len;
	int err;

	nft_sysrq_replay_commit(priv->replay, req, &priv->key,
				nft_sysrq_enabled_keys(), &out, exec);
	if (out.verdict == SR_PASS) {
		/* Nothing recorded: the client's retransmission retries. */
		net_warn_ratelimited("nft_sysrq: %s: out of memory, request not processed\n",
				     priv->name);
		return SR_PASS;
	}

	if (out.verdict == SR_ACCEPTED) {
		nft_sysrq_exec_set(*exec, req->keys, req->n, priv->name);
		if (nft_sysrq_exec_stops_host(*exec))
			wait = *exec;
	}

	if (out.send_ack) {
		ack_len = sr_build_ack(req, out.ack_status, priv->tfm, ack);
		err = ack_len ? nft_sysrq_ack_send(pkt, uh, ack, ack_len, wait) :
				-EIO;
		if (err)
			net_warn_ratelimited("nft_sysrq: %s: ACK not sent (%d)\n",
					     priv->name, err);
	}
	return out.verdict;
}

void nft_sysrq_eval(const struct nft_expr *expr, struct nft_regs *regs,
		    const struct nft_pktinfo *pkt)
{
	const struct nft_sysrq_priv *priv = nft_sysrq_priv(expr);
	struct nft_sysrq_exec *exec = NULL;
	struct sk_buff *skb = pkt->skb;
	const struct udphdr *uh;
	struct sr_request req;
	unsigned int thoff, ulen, plen;
	u8 buf[SR_MAX_LEN];
	struct udphdr _uh;
	enum sr_verdict v;
	const u8 *data;

	regs->verdict.code = NFT_BREAK;

	/* Unarmed: matches nothing and counts nothing. */
	if (!priv->tfm)
		return;
	if (!(pkt->flags & NFT_PKTINFO_L4PROTO) ||
	    pkt->tprot != IPPROTO_UDP || pkt->fragoff)
		return;

	thoff = nft_thoff(pkt);
	v = SR_MALFORMED;
	uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
	if (!uh) {
		memset(&_uh, 0, sizeof(_uh));
		uh = &_uh;
		goto done;
	}

	/* The UDP length has to fit the packet; the core checks the rest. */
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || ulen > skb->len - thoff)
		goto done;
	plen = ulen - sizeof(*uh);
	if (plen < SR_MIN_LEN || plen > SR_MAX_LEN)
		goto done;
	data = skb_header_pointer(skb, thoff + sizeof(*uh), plen, buf);
	if (!data)
		goto done;

	/* The clock only for datagrams under this rule's key. */
	v = sr_match(data, plen, &priv->key, &req);
	if (v == SR_PASS)
		v = sr_verify(&req, &priv->key, ktime_get_real_ns());
	if (v == SR_PASS) {
		v = nft_sysrq_commit(priv, pkt, uh, &req, &exec);
		if (v == SR_PASS)
			return;
	}
	if (v == SR_ACCEPTED || v == SR_DUPLICATE)
		regs->verdict.code = NF_DROP;
done:
	nft_sysrq_count(priv, v);
	nft_sysrq_log(priv, pkt, uh, v, &req);
	/* After the verdict's log line, so the console shows it first. */
	if (exec)
		nft_sysrq_exec_queue(exec);
}
