// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path of the "sysrq" expression: read the datagram, run the
 * protocol core, count, answer, queue the keys. Verdict to nf_tables: a
 * datagram answered or recorded (ACCEPTED, DUPLICATE, REFUSED, TIME, RATE,
 * FETCH, IGNORED) is consumed (NF_DROP); everything else is a non-match
 * (NFT_BREAK), so the next sysrq rule can try its key and a later rule
 * can count or log it.
 */
#include <linux/ipv6.h>
#include <linux/ratelimit.h>
#include <linux/skbuff.h>
#include <linux/timekeeping.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/netfilter/nf_tables.h>

#include "clock.h"
#include "exec.h"
#include "expr.h"
#include "mask.h"
#include "record.h"
#include "reply.h"
#include "report.h"

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
	[SR_TIME]	= NFTA_SYSRQ_CTR_TIME,
	[SR_RATE]	= NFTA_SYSRQ_CTR_RATE,
	[SR_FETCH]	= NFTA_SYSRQ_CTR_FETCH,
	[SR_IGNORED]	= NFTA_SYSRQ_CTR_IGNORED,
};

/*
 * Datagrams are read into, and answers built in, per-CPU buffers: a FETCH
 * (1120 bytes) and an OUTPUT (up to 1072) are too large for the stack of
 * a softirq. BHs are off while they are in use.
 */
struct nft_sysrq_scratch {
	u8	in[SR_FETCH_LEN];
	u8	out[SR_ANSWER_MAX];
};

static DEFINE_PER_CPU(struct nft_sysrq_scratch, nft_sysrq_scratch);

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

/* Verdicts that consume the datagram: it was for us, and is dealt with. */
static bool nft_sysrq_consumed(enum sr_verdict v)
{
	switch (v) {
	case SR_ACCEPTED:
	case SR_DUPLICATE:
	case SR_REFUSED:
	case SR_TIME:
	case SR_RATE:
	case SR_FETCH:
	case SR_IGNORED:
		return true;
	default:
		return false;
	}
}

/*
 * One line per request verdict, rate-limited per class; the key characters
 * are printed only once parsing has validated them. Clock probes and
 * fetches are counted, not logged. Never a MAC or key byte.
 */
static void nft_sysrq_log(const struct nft_sysrq_priv *priv,
			  const struct nft_pktinfo *pkt,
			  const struct udphdr *uh, enum sr_verdict v,
			  const struct sr_msg *msg)
{
	const u8 *keys = (const u8 *)"";
	int n = 0;

	/* Another rule's key: not this rule's business. */
	if (v == SR_OTHER_KEY || v >= SR_TIME ||
	    (v != SR_MALFORMED && msg->type != SR_T_REQUEST) ||
	    !__ratelimit(&nft_sysrq_rl[v]))
		return;
	if (v != SR_MALFORMED) {
		keys = msg->keys;
		n = msg->n;
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

static void nft_sysrq_source(struct sr_source *src,
			     const struct nft_pktinfo *pkt,
			     const struct udphdr *uh)
{
	memset(src, 0, sizeof(*src));
	src->port = ntohs(uh->source);
	if (nft_pf(pkt) == NFPROTO_IPV4) {
		src->family = 4;
		memcpy(src->addr, &ip_hdr(pkt->skb)->saddr, 4);
	} else {
		src->family = 6;
		memcpy(src->addr, &ipv6_hdr(pkt->skb)->saddr, 16);
	}
}

/*
 * The core's reserve: the execution item, taken only once a request is
 * known to be accepted, so that a flood of any other verdict (DUPLICATE,
 * REPLAY, BAD_MAC under a public key id) allocates nothing and cannot
 * drain the pool's reserve a genuine request needs.
 */
static bool nft_sysrq_reserve(void *arg)
{
	struct nft_sysrq_exec **exec = arg;

	*exec = nft_sysrq_exec_alloc();
	return *exec;
}

void nft_sysrq_eval(const struct nft_expr *expr, struct nft_regs *regs,
		    const struct nft_pktinfo *pkt)
{
	const struct nft_sysrq_priv *priv = nft_sysrq_priv(expr);
	struct nft_sysrq_exec *exec = NULL, *wait = NULL;
	struct nft_sysrq_scratch *scratch;
	struct sk_buff *skb = pkt->skb;
	unsigned int thoff, ulen, plen;
	struct sr_answer ans = {};
	const struct udphdr *uh;
	struct sr_source src;
	struct sr_msg msg;
	struct udphdr _uh;
	const u8 *data;
	u64 now;
	int err;

	regs->verdict.code = NFT_BREAK;

	/* Unarmed: matches nothing and counts nothing. */
	if (!priv->rec)
		return;
	if (!(pkt->flags & NFT_PKTINFO_L4PROTO) ||
	    pkt->tprot != IPPROTO_UDP || pkt->fragoff)
		return;

	thoff = nft_thoff(pkt);
	memset(&msg, 0, sizeof(msg));
	ans.verdict = SR_MALFORMED;
	uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
	if (!uh) {
		memset(&_uh, 0, sizeof(_uh));
		uh = &_uh;
		goto count;
	}

	/* The UDP length has to fit the packet; the core checks the rest. */
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || ulen > skb->len - thoff)
		goto count;
	plen = ulen - sizeof(*uh);
	if (plen < SR_HDR_LEN || plen > SR_FETCH_LEN)
		goto count;

	local_bh_disable();
	scratch = this_cpu_ptr(&nft_sysrq_scratch);
	data = skb_header_pointer(skb, thoff + sizeof(*uh), plen, scratch->in);
	if (!data || !sr_parse(data, plen, &msg)) {
		local_bh_enable();
		goto count;
	}

	nft_sysrq_source(&src, pkt, uh);
	ans.buf = scratch->out;
	ans.reserve = nft_sysrq_reserve;
	ans.reserve_arg = &exec;
	/*
	 * The clock is read only for well-formed datagrams under this
	 * expression's key id: the core answers any other key id OTHER_KEY
	 * before it looks at the time, and a clock read can be dear (an
	 * emulated HPET access in a guest).
	 */
	now = memcmp(msg.key_id, priv->key.key_id, SR_KEY_ID_LEN) ?
		      0 : nft_sysrq_now();
	sr_handle(data, plen, &src, &priv->key, now, nft_sysrq_enabled_keys(),
		  &ans);

	if (ans.verdict == SR_ACCEPTED) {
		nft_sysrq_exec_set(exec, msg.keys, msg.n, priv->name);
		if (msg.flags & SR_FLAG_REPORT)
			nft_sysrq_report_init(nft_sysrq_exec_report(exec),
					      priv->rec, ans.generation,
					      priv->output, data, plen, pkt,
					      uh);
		if (nft_sysrq_exec_stops_host(exec))
			wait = exec;
	} else if (ans.verdict == SR_IGNORED && msg.type == SR_T_REQUEST) {
		net_warn_ratelimited("nft_sysrq: %s: out of memory, request not run (IGNORED)\n",
				     priv->name);
	}
	if (ans.len) {
		err = nft_sysrq_reply(pkt, uh, ans.buf, ans.len, wait);
		if (err)
			net_warn_ratelimited("nft_sysrq: %s: %s answer not sent (%d)\n",
					     priv->name,
					     sr_verdict_name(ans.verdict), err);
	}
	if (nft_sysrq_consumed(ans.verdict))
		regs->verdict.code = NF_DROP;
	nft_sysrq_count(priv, ans.verdict);
	/* msg points into the per-CPU buffer: log before BHs come back. */
	nft_sysrq_log(priv, pkt, uh, ans.verdict, &msg);
	local_bh_enable();
	/* After the verdict's log line, so the console shows it first. */
	if (exec)
		nft_sysrq_exec_queue(exec);
	return;
count:
	nft_sysrq_count(priv, ans.verdict);
	nft_sysrq_log(priv, pkt, uh, ans.verdict, &msg);
}
