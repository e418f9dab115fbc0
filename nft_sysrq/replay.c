// SPDX-License-Identifier: GPL-2.0
/*
 * Replay state per network namespace, keyed by key id. See replay.h.
 */
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "replay.h"

struct nft_sysrq_replay {
	struct list_head	list;	/* in nft_sysrq_net.replays */
	refcount_t		ref;	/* the namespace's + one per expression */
	spinlock_t		lock;	/* serialises sr_commit() on rs */
	u8			key_id[SR_KEY_ID_LEN];
	struct sr_replay	rs;
};

struct nft_sysrq_net {
	struct mutex		lock;	/* replays, count */
	struct list_head	replays;
	unsigned int		count;
};

static unsigned int nft_sysrq_net_id __read_mostly;

static struct nft_sysrq_net *nft_sysrq_net(struct net *net)
{
	return net_generic(net, nft_sysrq_net_id);
}

int nft_sysrq_replay_get(struct net *net, const u8 key_id[SR_KEY_ID_LEN],
			 u64 now, struct nft_sysrq_replay **out)
{
	struct nft_sysrq_net *sn = nft_sysrq_net(net);
	struct nft_sysrq_replay *r;
	int err = 0;

	mutex_lock(&sn->lock);
	list_for_each_entry(r, &sn->replays, list) {
		if (!memcmp(r->key_id, key_id, SR_KEY_ID_LEN)) {
			refcount_inc(&r->ref);
			goto found;
		}
	}

	if (sn->count >= NFT_SYSRQ_REPLAY_MAX) {
		err = -ENOSPC;
		goto out;
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r) {
		err = -ENOMEM;
		goto out;
	}
	refcount_set(&r->ref, 2);	/* the namespace's and the caller's */
	spin_lock_init(&r->lock);
	memcpy(r->key_id, key_id, SR_KEY_ID_LEN);
	/* A request stamped before the key was first armed here is REPLAY. */
	sr_replay_init(&r->rs, now);
	list_add(&r->list, &sn->replays);
	sn->count++;
found:
	*out = r;
out:
	mutex_unlock(&sn->lock);
	return err;
}

void nft_sysrq_replay_put(struct nft_sysrq_replay *r)
{
	if (refcount_dec_and_test(&r->ref))
		kfree(r);
}

void nft_sysrq_replay_commit(struct nft_sysrq_replay *r,
			     const struct sr_request *req,
			     const struct sr_key *key, u64 sysrq_enabled,
			     struct sr_outcome *out)
{
	spin_lock_bh(&r->lock);
	sr_commit(req, key, &r->rs, sysrq_enabled, out);
	spin_unlock_bh(&r->lock);
}

static int __net_init nft_sysrq_net_init(struct net *net)
{
	struct nft_sysrq_net *sn = nft_sysrq_net(net);

	mutex_init(&sn->lock);
	INIT_LIST_HEAD(&sn->replays);
	sn->count = 0;
	return 0;
}

static void __net_exit nft_sysrq_net_exit(struct net *net)
{
	struct nft_sysrq_net *sn = nft_sysrq_net(net);
	struct nft_sysrq_replay *r, *next;

	/* Expressions still in this namespace keep their entries alive. */
	mutex_lock(&sn->lock);
	list_for_each_entry_safe(r, next, &sn->replays, list) {
		list_del(&r->list);
		nft_sysrq_replay_put(r);
	}
	sn->count = 0;
	mutex_unlock(&sn->lock);
}

struct pernet_operations nft_sysrq_net_ops = {
	.init	= nft_sysrq_net_init,
	.exit	= nft_sysrq_net_exit,
	.id	= &nft_sysrq_net_id,
	.size	= sizeof(struct nft_sysrq_net),
};
