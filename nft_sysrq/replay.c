// SPDX-License-Identifier: GPL-2.0
/*
 * Host-wide replay records, keyed by key id. See replay.h.
 */
#include <linux/jhash.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "exec.h"
#include "replay.h"

struct nft_sysrq_replay {
	struct list_head	list;	/* in nft_sysrq_replays */
	refcount_t		ref;	/* one per expression */
	spinlock_t		lock;	/* serialises sr_commit() on rs */
	u8			key_id[SR_KEY_ID_LEN];
	struct sr_replay	rs;
};

/*
 * What freed records had seen, folded by key id hash: a new record's floor
 * is at least the slot's value. Bounded memory whatever the number of key
 * ids ever armed; two key ids sharing a slot only make one's floor
 * stricter (by at most the tolerance a request may be stamped ahead).
 */
#define NFT_SYSRQ_FLOOR_SLOTS	256

static DEFINE_MUTEX(nft_sysrq_replay_lock);	/* everything below */
static LIST_HEAD(nft_sysrq_replays);
static unsigned int nft_sysrq_replay_count;
static u64 nft_sysrq_floors[NFT_SYSRQ_FLOOR_SLOTS];

static u64 *nft_sysrq_floor(const u8 key_id[SR_KEY_ID_LEN])
{
	return &nft_sysrq_floors[jhash(key_id, SR_KEY_ID_LEN, 0) %
				 NFT_SYSRQ_FLOOR_SLOTS];
}

int nft_sysrq_replay_get(const u8 key_id[SR_KEY_ID_LEN], u64 now,
			 struct nft_sysrq_replay **out)
{
	struct nft_sysrq_replay *r;
	int err = 0;

	mutex_lock(&nft_sysrq_replay_lock);
	list_for_each_entry(r, &nft_sysrq_replays, list) {
		if (!memcmp(r->key_id, key_id, SR_KEY_ID_LEN)) {
			refcount_inc(&r->ref);
			goto found;
		}
	}

	if (nft_sysrq_replay_count >= NFT_SYSRQ_REPLAY_MAX) {
		err = -ENOSPC;
		goto out;
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r) {
		err = -ENOMEM;
		goto out;
	}
	refcount_set(&r->ref, 1);
	spin_lock_init(&r->lock);
	memcpy(r->key_id, key_id, SR_KEY_ID_LEN);
	sr_replay_init(&r->rs, max(now, *nft_sysrq_floor(key_id)));
	list_add(&r->list, &nft_sysrq_replays);
	nft_sysrq_replay_count++;
found:
	*out = r;
out:
	mutex_unlock(&nft_sysrq_replay_lock);
	return err;
}

/* Unlink r and keep what it had seen in its floor slot. Under the mutex. */
static void nft_sysrq_replay_free(struct nft_sysrq_replay *r)
{
	u64 *slot = nft_sysrq_floor(r->key_id);
	u64 seen;

	spin_lock_bh(&r->lock);
	seen = r->rs.floor;
	if (r->rs.has_last)
		seen = max(seen, r->rs.last_ts + 1);
	spin_unlock_bh(&r->lock);

	*slot = max(*slot, seen);
	list_del(&r->list);
	nft_sysrq_replay_count--;
	kfree(r);
}

void nft_sysrq_replay_put(struct nft_sysrq_replay *r)
{
	if (!refcount_dec_and_mutex_lock(&r->ref, &nft_sysrq_replay_lock))
		return;
	nft_sysrq_replay_free(r);
	mutex_unlock(&nft_sysrq_replay_lock);
}

void nft_sysrq_replay_commit(struct nft_sysrq_replay *r,
			     const struct sr_request *req,
			     const struct sr_key *key, u64 sysrq_enabled,
			     struct sr_outcome *out,
			     struct nft_sysrq_exec **exec)
{
	struct sr_replay before;

	spin_lock_bh(&r->lock);
	before = r->rs;
	sr_commit(req, key, &r->rs, sysrq_enabled, out);
	if (out->verdict == SR_ACCEPTED) {
		*exec = nft_sysrq_exec_alloc();
		if (!*exec) {
			r->rs = before;
			out->verdict = SR_PASS;
			out->send_ack = false;
		}
	}
	spin_unlock_bh(&r->lock);
}

void nft_sysrq_replay_exit(void)
{
	/* Every expression is gone, and with it every record. */
	WARN_ON(!list_empty(&nft_sysrq_replays));
}
