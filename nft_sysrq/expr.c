// SPDX-License-Identifier: GPL-2.0
/*
 * The nf_tables expression "sysrq": configuration (init), teardown,
 * dump and chain validation. The packet path is in eval.c.
 */
#include <linux/capability.h>
#include <linux/err.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/user_namespace.h>
#include <net/netfilter/nf_tables.h>
#include <net/netlink.h>

#include "compat.h"
#include "expr.h"
#include "keypair.h"
#include "record.h"

static const struct nla_policy nft_sysrq_policy[NFTA_SYSRQ_MAX + 1] = {
	/* Refused with EINVAL in nft_sysrq_init(): keys come sealed. */
	[NFTA_SYSRQ_KEY]	= { .type = NLA_BINARY },
	/* Any length here: what does not open is EINVAL, as the spec says. */
	[NFTA_SYSRQ_SEALED_KEY]	= { .type = NLA_BINARY },
	[NFTA_SYSRQ_OUTPUT]	= { .type = NLA_U32 },
	[NFTA_SYSRQ_NAME]	= { .type = NLA_STRING,
				    .len = NFT_SYSRQ_NAME_MAXLEN },
	[NFTA_SYSRQ_ALLOW]	= { .type = NLA_STRING,
				    .len = NFT_SYSRQ_ALLOW_MAXLEN },
	[NFTA_SYSRQ_TOLERANCE]	= { .type = NLA_U32 },
	/* Dump only; accepted and ignored on input (see docs/module.md). */
	[NFTA_SYSRQ_KEY_ID]	= NLA_POLICY_EXACT_LEN(NFT_SYSRQ_KEY_ID_LEN),
	[NFTA_SYSRQ_ARMED_AT]	= { .type = NLA_U64 },
	/* Restored on input, checked by nft_sysrq_ctr_policy. */
	[NFTA_SYSRQ_COUNTERS]	= { .type = NLA_NESTED },
};

/*
 * The counters as dumped: each a be64. The pad is what nla_put_be64()
 * may add; anything else (an unknown type, another length) is refused.
 */
static const struct nla_policy nft_sysrq_ctr_policy[NFTA_SYSRQ_CTR_MAX + 1] = {
	[NFTA_SYSRQ_CTR_MALFORMED]	= { .type = NLA_U64 },
	[NFTA_SYSRQ_CTR_OTHER_KEY]	= { .type = NLA_U64 },
	[NFTA_SYSRQ_CTR_STALE]		= { .type = NLA_U64 },
	[NFTA_SYSRQ_CTR_BAD_MAC]	= { .type = NLA_U64 },
	[NFTA_SYSRQ_CTR_DUPLICATE]	= { .type = NLA_U64 },
	[NFTA_SYSRQ_CTR_REPLAY]		= { .type = NLA_U64 },
	[NFTA_SYSRQ_CTR_REFUSED]	= { .type = NLA_U64 },
	[NFTA_SYSRQ_CTR_ACCEPTED]	= { .type = NLA_U64 },
	[NFTA_SYSRQ_CTR_PAD]		= { .type = NLA_BINARY },
	[NFTA_SYSRQ_CTR_TIME]		= { .type = NLA_U64 },
	[NFTA_SYSRQ_CTR_RATE]		= { .type = NLA_U64 },
	[NFTA_SYSRQ_CTR_FETCH]		= { .type = NLA_U64 },
	[NFTA_SYSRQ_CTR_IGNORED]	= { .type = NLA_U64 },
};

/* The bytes of an NLA_STRING without its optional terminator. */
static int nft_sysrq_string(const struct nlattr *a, const u8 **s, size_t *len)
{
	size_t n = nla_len(a);

	*s = nla_data(a);
	if (n && (*s)[n - 1] == '\0')
		n--;
	/* No embedded terminator: what is checked is what is used. */
	if (memchr(*s, '\0', n))
		return -EINVAL;
	*len = n;
	return 0;
}

static int nft_sysrq_parse(const struct nlattr * const tb[],
			   struct nft_sysrq_priv *priv)
{
	const u8 *s;
	size_t len;
	u32 tol;
	int err;

	strscpy(priv->name, "default", sizeof(priv->name));
	if (tb[NFTA_SYSRQ_NAME]) {
		err = nft_sysrq_string(tb[NFTA_SYSRQ_NAME], &s, &len);
		if (err || !sr_name_valid(s, len))
			return -EINVAL;
		memcpy(priv->name, s, len);
		priv->name[len] = '\0';
	}

	priv->key.allow = SR_ALL_KEYS;
	if (tb[NFTA_SYSRQ_ALLOW]) {
		err = nft_sysrq_string(tb[NFTA_SYSRQ_ALLOW], &s, &len);
		if (err || !len || len > NFT_SYSRQ_ALLOW_MAXLEN ||
		    !sr_key_mask(s, len, &priv->key.allow))
			return -EINVAL;
	}

	priv->key.tolerance = NFT_SYSRQ_TOLERANCE_DEFAULT;
	if (tb[NFTA_SYSRQ_TOLERANCE]) {
		tol = ntohl(nla_get_be32(tb[NFTA_SYSRQ_TOLERANCE]));
		if (tol < NFT_SYSRQ_TOLERANCE_MIN ||
		    tol > NFT_SYSRQ_TOLERANCE_MAX)
			return -EINVAL;
		priv->key.tolerance = tol;
	}

	if (tb[NFTA_SYSRQ_OUTPUT]) {
		priv->output = ntohl(nla_get_be32(tb[NFTA_SYSRQ_OUTPUT]));
		if (priv->output > NFT_SYSRQ_OUTPUT_MAX)
			return -EINVAL;
	}
	return 0;
}

/* Open the sealed key and join the host's record of its key id. */
static int nft_sysrq_arm(const struct nlattr *sealed,
			 struct nft_sysrq_priv *priv)
{
	u8 key[NFT_SYSRQ_KEY_LEN];
	int err = -EINVAL;

	if (nla_len(sealed) == NFT_SYSRQ_SEALED_KEY_LEN)
		err = nft_sysrq_unseal(nla_data(sealed), key);
	if (err) {
		pr_info_ratelimited("nft_sysrq: %s: the sealed key does not open with this module's key pair (sealed for another load of the module?)\n",
				    priv->name);
		return err;
	}
	/* The key bytes go from here into the record's transform only. */
	err = nft_sysrq_record_get(key, &priv->rec);
	memzero_explicit(key, sizeof(key));
	if (err)
		return err;

	priv->armed_at = ktime_get_real_ns();
	memcpy(priv->key.key_id, priv->rec->rec.key_id, SR_KEY_ID_LEN);
	priv->key.mac_ctx = priv->rec->tfm;
	priv->key.rec = &priv->rec->rec;
	return 0;
}

/*
 * Counters given with the rule (a listing loaded back) seed one CPU's
 * slot, as nft_counter does: the sums then continue from them. Strict
 * parsing: an unknown type or a counter of another length is EINVAL and
 * nothing is seeded. init has no extack (nf_tables parses the
 * expression's attributes without one), so the log says which.
 */
static int nft_sysrq_seed_counters(const struct nlattr *nest,
				   struct nft_sysrq_priv *priv)
{
	struct nlattr *tb[NFTA_SYSRQ_CTR_MAX + 1];
	struct nft_sysrq_stats *st;
	int err, i;

	err = __nla_parse(tb, NFTA_SYSRQ_CTR_MAX, nla_data(nest),
			  nla_len(nest), nft_sysrq_ctr_policy,
			  NL_VALIDATE_STRICT, NULL);
	if (err) {
		pr_info_ratelimited("nft_sysrq: %s: counters refused: each must be a known NFTA_SYSRQ_CTR_* of 8 bytes\n",
				    priv->name);
		return err;
	}

	st = per_cpu_ptr(priv->stats, cpumask_first(cpu_possible_mask));
	for (i = NFTA_SYSRQ_CTR_MALFORMED; i <= NFTA_SYSRQ_CTR_MAX; i++) {
		if (i == NFTA_SYSRQ_CTR_PAD || !tb[i])
			continue;
		u64_stats_set(&st->ctr[i], be64_to_cpu(nla_get_be64(tb[i])));
	}
	return 0;
}

static int nft_sysrq_init(const struct nft_ctx *ctx,
			  const struct nft_expr *expr,
			  const struct nlattr * const tb[])
{
	struct nft_sysrq_priv **slot = nft_expr_priv(expr);
	struct nft_sysrq_priv *priv;
	int err;

	/*
	 * capable() tests the task sending the rule against the initial user
	 * namespace: root of a container with its own user namespace has
	 * CAP_SYS_BOOT only there and gets EPERM. The namespace must belong to
	 * the initial user namespace too: nfnetlink checked CAP_NET_ADMIN of
	 * both the socket's opener and the sender, but we can check only the
	 * sender, so in a namespace a container's root controls, a privileged
	 * program tricked into writing to that root's socket could arm a key
	 * of the container's choosing.
	 */
	if (!capable(CAP_SYS_BOOT) || ctx->net->user_ns != &init_user_ns)
		return -EPERM;

	switch (ctx->family) {
	case NFPROTO_IPV4:
	case NFPROTO_IPV6:
	case NFPROTO_INET:
		break;
	default:
		return -EOPNOTSUPP;
	}

	priv = kzalloc(sizeof(*priv), GFP_KERNEL_ACCOUNT);
	if (!priv)
		return -ENOMEM;

	err = nft_sysrq_parse(tb, priv);
	if (err)
		goto err_priv;

	priv->stats = alloc_percpu_gfp(struct nft_sysrq_stats,
				       GFP_KERNEL_ACCOUNT);
	if (!priv->stats) {
		err = -ENOMEM;
		goto err_priv;
	}

	if (tb[NFTA_SYSRQ_COUNTERS]) {
		err = nft_sysrq_seed_counters(tb[NFTA_SYSRQ_COUNTERS], priv);
		if (err)
			goto err_stats;
	}

	if (tb[NFTA_SYSRQ_KEY]) {
		pr_info_ratelimited("nft_sysrq: %s: a plain key is refused: keys are sealed to %s (sysrqctl and the patched nft do it)\n",
				    priv->name, NFT_SYSRQ_PUBLIC_KEY_PATH);
		err = -EINVAL;
		goto err_stats;
	}
	if (tb[NFTA_SYSRQ_SEALED_KEY]) {
		err = nft_sysrq_arm(tb[NFTA_SYSRQ_SEALED_KEY], priv);
		if (err)
			goto err_stats;
	}

	*slot = priv;
	return 0;

err_stats:
	free_percpu(priv->stats);
err_priv:
	kfree_sensitive(priv);
	return err;
}

static void nft_sysrq_destroy(const struct nft_ctx *ctx,
			      const struct nft_expr *expr)
{
	struct nft_sysrq_priv *priv = nft_sysrq_priv(expr);

	if (priv->rec)
		nft_sysrq_record_put(priv->rec);
	free_percpu(priv->stats);
	kfree_sensitive(priv);
}

static void nft_sysrq_fetch(const struct nft_sysrq_priv *priv,
			    u64 total[__NFTA_SYSRQ_CTR_MAX])
{
	const struct nft_sysrq_stats *st;
	u64 v[__NFTA_SYSRQ_CTR_MAX];
	unsigned int start;
	int cpu, i;

	memset(total, 0, sizeof(u64) * __NFTA_SYSRQ_CTR_MAX);
	for_each_possible_cpu(cpu) {
		st = per_cpu_ptr(priv->stats, cpu);
		do {
			start = u64_stats_fetch_begin(&st->syncp);
			for (i = 0; i < __NFTA_SYSRQ_CTR_MAX; i++)
				v[i] = u64_stats_read(&st->ctr[i]);
		} while (u64_stats_fetch_retry(&st->syncp, start));
		for (i = 0; i < __NFTA_SYSRQ_CTR_MAX; i++)
			total[i] += v[i];
	}
}

static int nft_sysrq_dump_counters(struct sk_buff *skb,
				   const struct nft_sysrq_priv *priv)
{
	u64 total[__NFTA_SYSRQ_CTR_MAX];
	struct nlattr *nest;
	int i;

	nft_sysrq_fetch(priv, total);
	nest = nla_nest_start_noflag(skb, NFTA_SYSRQ_COUNTERS);
	if (!nest)
		return -EMSGSIZE;
	for (i = NFTA_SYSRQ_CTR_MALFORMED; i <= NFTA_SYSRQ_CTR_MAX; i++) {
		if (i == NFTA_SYSRQ_CTR_PAD)
			continue;
		if (nla_put_be64(skb, i, cpu_to_be64(total[i]),
				 NFTA_SYSRQ_CTR_PAD))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Never dumps the key: only what is derived from it. */
static int nft_sysrq_dump(NFT_SYSRQ_DUMP_ARGS)
{
	const struct nft_sysrq_priv *priv = nft_sysrq_priv(expr);
	char allow[SR_KEY_CHARS + 1];
	int i, n = 0;

	for (i = 0; i < SR_KEY_CHARS; i++) {
		if (priv->key.allow & (1ULL << i))
			allow[n++] = i < 10 ? '0' + i : 'a' + i - 10;
	}
	allow[n] = '\0';

	if (nla_put_string(skb, NFTA_SYSRQ_NAME, priv->name) ||
	    nla_put_string(skb, NFTA_SYSRQ_ALLOW, allow) ||
	    nla_put_be32(skb, NFTA_SYSRQ_TOLERANCE, htonl(priv->key.tolerance)) ||
	    nla_put_be32(skb, NFTA_SYSRQ_OUTPUT, htonl(priv->output)))
		return -EMSGSIZE;

	if (priv->rec &&
	    (nla_put(skb, NFTA_SYSRQ_KEY_ID, SR_KEY_ID_LEN, priv->key.key_id) ||
	     nla_put_be64(skb, NFTA_SYSRQ_ARMED_AT,
			  cpu_to_be64(priv->armed_at), NFTA_SYSRQ_PAD)))
		return -EMSGSIZE;

	/* The counters are a verdict history: "reset" does not clear them. */
	return nft_sysrq_dump_counters(skb, priv);
}

/* The request is for this host: only chains on the input hook. */
static int nft_sysrq_validate(NFT_SYSRQ_VALIDATE_ARGS)
{
	int err;

	err = nft_chain_validate_hooks(ctx->chain, 1 << NF_INET_LOCAL_IN);
	if (err)
		pr_info_ratelimited("nft_sysrq: the sysrq expression is only valid in chains on the input hook\n");
	return err;
}

static const struct nft_expr_ops nft_sysrq_ops = {
	.type		= &nft_sysrq_type,
	.size		= NFT_EXPR_SIZE(sizeof(struct nft_sysrq_priv *)),
	.eval		= nft_sysrq_eval,
	.init		= nft_sysrq_init,
	.destroy	= nft_sysrq_destroy,
	.dump		= nft_sysrq_dump,
	.validate	= nft_sysrq_validate,
	NFT_SYSRQ_OPS_REDUCE
};

struct nft_expr_type nft_sysrq_type __read_mostly = {
	.name		= NFT_SYSRQ_EXPR_NAME,
	.ops		= &nft_sysrq_ops,
	.policy		= nft_sysrq_policy,
	.maxattr	= NFTA_SYSRQ_MAX,
	.owner		= THIS_MODULE,
};
