// SPDX-License-Identifier: GPL-2.0
/*
 * Host-wide records, keyed by key id. See record.h.
 */
#include <linux/err.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "clock.h"
#include "compat.h"
#include "crypto.h"
#include "record.h"

/* How often kept output is looked at for expiry while there is any. */
#define NFT_SYSRQ_EXPIRE_PERIOD	(5 * HZ)

static DEFINE_MUTEX(nft_sysrq_record_lock);	/* the list and count */
static LIST_HEAD(nft_sysrq_records);
static unsigned int nft_sysrq_record_count;

static void nft_sysrq_expire(struct work_struct *work);
static DECLARE_DELAYED_WORK(nft_sysrq_expire_work, nft_sysrq_expire);

/* The protocol core's lock on a record: taken in softirq and process context. */
void sr_record_lock(struct sr_record *rec)
	__acquires(rec)
{
	spin_lock_bh(&container_of(rec, struct nft_sysrq_record, rec)->lock);
}

void sr_record_unlock(struct sr_record *rec)
	__releases(rec)
{
	spin_unlock_bh(&container_of(rec, struct nft_sysrq_record, rec)->lock);
}

int nft_sysrq_record_get(const u8 key[SR_KEY_LEN],
			 struct nft_sysrq_record **out)
{
	u8 key_id[SR_KEY_ID_LEN], epoch[SR_EPOCH_LEN];
	struct nft_sysrq_record *r;
	struct crypto_shash *tfm;
	int err;

	tfm = nft_sysrq_mac_new(key, SR_KEY_LEN);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = sr_key_id(tfm, key_id);
	if (err)
		goto err_tfm;

	mutex_lock(&nft_sysrq_record_lock);
	list_for_each_entry(r, &nft_sysrq_records, list) {
		if (!memcmp(r->rec.key_id, key_id, SR_KEY_ID_LEN)) {
			refcount_inc(&r->ref);
			goto found;
		}
	}
	err = -ENOSPC;
	if (nft_sysrq_record_count >= NFT_SYSRQ_RECORD_MAX)
		goto err_unlock;
	err = -ENOMEM;
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		goto err_unlock;
	refcount_set(&r->ref, 1);
	spin_lock_init(&r->lock);
	r->tfm = tfm;
	tfm = NULL;
	/* The RNG is seeded: the key pair waited for it at load. */
	get_random_bytes(epoch, sizeof(epoch));
	sr_record_init(&r->rec, key_id, epoch);
	list_add(&r->list, &nft_sysrq_records);
	nft_sysrq_record_count++;
found:
	mutex_unlock(&nft_sysrq_record_lock);
	if (tfm)
		nft_sysrq_mac_free(tfm);
	*out = r;
	return 0;

err_unlock:
	mutex_unlock(&nft_sysrq_record_lock);
err_tfm:
	nft_sysrq_mac_free(tfm);
	return err;
}

void nft_sysrq_record_hold(struct nft_sysrq_record *r)
{
	refcount_inc(&r->ref);
}

void nft_sysrq_record_put(struct nft_sysrq_record *r)
{
	if (!refcount_dec_and_mutex_lock(&r->ref, &nft_sysrq_record_lock))
		return;
	list_del(&r->list);
	nft_sysrq_record_count--;
	mutex_unlock(&nft_sysrq_record_lock);

	kvfree(r->rec.out);
	nft_sysrq_mac_free(r->tfm);
	kfree_sensitive(r);
}

void nft_sysrq_record_epoch(struct nft_sysrq_record *r,
			    u8 epoch[SR_EPOCH_LEN], u32 *generation)
{
	sr_record_lock(&r->rec);
	memcpy(epoch, r->rec.epoch, SR_EPOCH_LEN);
	*generation = r->rec.generation;
	sr_record_unlock(&r->rec);
}

struct sr_output *nft_sysrq_output_alloc(size_t len)
{
	struct sr_output *out;

	out = kvzalloc(struct_size(out, chunk, sr_output_chunks(len)),
		       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	return out;
}

void nft_sysrq_record_done(struct nft_sysrq_record *r, u32 generation,
			   const u8 *req, size_t req_len,
			   const u8 report[SR_REPORT_LEN],
			   struct sr_output *out)
{
	struct sr_output *old;

	sr_record_lock(&r->rec);
	old = sr_record_done(&r->rec, generation, req, req_len, report, out,
			     nft_sysrq_now());
	sr_record_unlock(&r->rec);
	kvfree(old);
	if (out && old != out)
		mod_delayed_work(system_unbound_wq, &nft_sysrq_expire_work,
				 NFT_SYSRQ_EXPIRE_PERIOD);
}

/* Free kept output older than KEEP; look again while some is left. */
static void nft_sysrq_expire(struct work_struct *work)
{
	struct nft_sysrq_record *r;
	struct sr_output *old;
	bool left = false;

	mutex_lock(&nft_sysrq_record_lock);
	list_for_each_entry(r, &nft_sysrq_records, list) {
		sr_record_lock(&r->rec);
		old = sr_record_expire(&r->rec, nft_sysrq_now());
		left |= !!r->rec.out;
		sr_record_unlock(&r->rec);
		kvfree(old);
	}
	mutex_unlock(&nft_sysrq_record_lock);
	if (left)
		queue_delayed_work(system_unbound_wq, &nft_sysrq_expire_work,
				   NFT_SYSRQ_EXPIRE_PERIOD);
}

#ifdef NFT_SYSRQ_HAVE_VMFORK_NOTIFIER
/*
 * The machine was forked or restored from a snapshot: its copies must not
 * accept each other's requests, nor this one requests made before. Every
 * record gets a new epoch and forgets its last request and output.
 */
static int nft_sysrq_vmfork(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	u8 epoch[SR_EPOCH_LEN];
	struct nft_sysrq_record *r;
	struct sr_output *old;

	mutex_lock(&nft_sysrq_record_lock);
	list_for_each_entry(r, &nft_sysrq_records, list) {
		get_random_bytes(epoch, sizeof(epoch));
		sr_record_lock(&r->rec);
		old = sr_record_renew(&r->rec, epoch);
		sr_record_unlock(&r->rec);
		kvfree(old);
	}
	mutex_unlock(&nft_sysrq_record_lock);
	pr_info("nft_sysrq: VM fork or snapshot restore: new epochs\n");
	return NOTIFY_DONE;
}

static struct notifier_block nft_sysrq_vmfork_nb = {
	.notifier_call = nft_sysrq_vmfork,
};
#endif

int nft_sysrq_record_init(void)
{
#ifdef NFT_SYSRQ_HAVE_VMFORK_NOTIFIER
	return register_random_vmfork_notifier(&nft_sysrq_vmfork_nb);
#else
	return 0;
#endif
}

void nft_sysrq_record_exit(void)
{
#ifdef NFT_SYSRQ_HAVE_VMFORK_NOTIFIER
	unregister_random_vmfork_notifier(&nft_sysrq_vmfork_nb);
#endif
	cancel_delayed_work_sync(&nft_sysrq_expire_work);
	/* Every expression and accepted request is gone, and with it every record. */
	WARN_ON(!list_empty(&nft_sysrq_records));
}
