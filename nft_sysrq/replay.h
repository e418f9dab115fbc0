/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replay state per network namespace, one entry per key id. An entry is
 * created when its key id is first armed in the namespace (floor = that
 * time) and lives as long as the namespace: rule replacement, flush and
 * reload never reset it. Expressions hold a reference so that netns exit
 * order does not matter.
 */
#ifndef NFT_SYSRQ_REPLAY_H
#define NFT_SYSRQ_REPLAY_H

#include <linux/types.h>
#include "proto.h"

struct net;
struct nft_sysrq_replay;

/* Most key ids one namespace may arm over its lifetime (memory bound). */
#define NFT_SYSRQ_REPLAY_MAX	4096

extern struct pernet_operations nft_sysrq_net_ops;

/*
 * The entry of key_id in net, created with floor now when new. Takes a
 * reference. Process context (rule creation).
 */
int nft_sysrq_replay_get(struct net *net, const u8 key_id[SR_KEY_ID_LEN],
			 u64 now, struct nft_sysrq_replay **out);
void nft_sysrq_replay_put(struct nft_sysrq_replay *r);

/* sr_commit() under the entry's lock: check and record are one step. */
void nft_sysrq_replay_commit(struct nft_sysrq_replay *r,
			     const struct sr_request *req,
			     const struct sr_key *key, u64 sysrq_enabled,
			     struct sr_outcome *out);

#endif /* NFT_SYSRQ_REPLAY_H */
