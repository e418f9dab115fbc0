/* SPDX-License-Identifier: GPL-2.0 */
/* The nf_tables expression "sysrq": per-expression state and callbacks. */
#ifndef NFT_SYSRQ_EXPR_H
#define NFT_SYSRQ_EXPR_H

#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <net/netfilter/nf_tables.h>
#include "include/uapi/linux/netfilter/nft_sysrq.h"
#include "proto.h"

struct nft_sysrq_record;

/* Per-CPU verdict counters, indexed by NFTA_SYSRQ_CTR_*. */
struct nft_sysrq_stats {
	u64_stats_t		ctr[__NFTA_SYSRQ_CTR_MAX];
	struct u64_stats_sync	syncp;
};

/*
 * State of one expression, allocated at init and immutable afterwards
 * except for the counters; the rule blob holds only a pointer to it.
 */
struct nft_sysrq_priv {
	struct sr_key			key;	/* mac_ctx: rec's tfm */
	struct nft_sysrq_record		*rec;	/* NULL: unarmed */
	struct nft_sysrq_stats __percpu	*stats;
	u64				armed_at; /* ns since the epoch */
	u32				output;	/* bytes kept per request */
	char				name[NFT_SYSRQ_NAME_MAXLEN + 1];
};

static inline struct nft_sysrq_priv *nft_sysrq_priv(const struct nft_expr *expr)
{
	return *(struct nft_sysrq_priv **)nft_expr_priv(expr);
}

extern struct nft_expr_type nft_sysrq_type;

void nft_sysrq_eval(const struct nft_expr *expr, struct nft_regs *regs,
		    const struct nft_pktinfo *pkt);
void nft_sysrq_log_init(void);

#endif /* NFT_SYSRQ_EXPR_H */
