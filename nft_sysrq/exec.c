// SPDX-License-Identifier: GPL-2.0
/*
 * Deferred execution of accepted requests. See exec.h and docs/module.md
 * ("ACK before reboot") for the guarantee around b, c and o.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/refcount.h>
#include <linux/string.h>
#include <linux/sysrq.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "exec.h"
#include "proto.h"

/* Items kept in reserve: a hung host may be short of atomic memory. */
#define NFT_SYSRQ_EXEC_RESERVE	4

struct nft_sysrq_exec {
	struct work_struct	work;
	struct work_struct	fs_work;	/* waits for emergency s/u work */
	struct completion	fs_done;
	refcount_t		ref;		/* the work's + fs_work's */
	struct page		*ack_page;	/* our reference to the ACK bytes */
	u64			ack_sent;	/* ktime_get_ns() */
	u8			n;
	u8			keys[SR_MAX_KEYS];
	char			name[SR_NAME_MAX + 1];
};

/*
 * Both queues are the module's own, so exit drains them (and with them
 * every item) before the pool goes: no work outlives the module's code.
 */
static struct workqueue_struct *nft_sysrq_wq;		/* requests, in order */
static struct workqueue_struct *nft_sysrq_fs_wq;	/* fs_work helpers */
static mempool_t *nft_sysrq_exec_pool;

/*
 * Where s and u queue their work: schedule_work() targets system_wq, and
 * system_percpu_wq since 6.17 (a Kbuild probe tells which this kernel has).
 */
#ifdef NFT_SYSRQ_HAVE_SYSTEM_PERCPU_WQ
#define nft_sysrq_sysrq_wq	system_percpu_wq
#else
#define nft_sysrq_sysrq_wq	system_wq
#endif

static void nft_sysrq_exec_put(struct nft_sysrq_exec *e)
{
	if (!refcount_dec_and_test(&e->ref))
		return;
	if (e->ack_page)
		put_page(e->ack_page);
	mempool_free(e, nft_sysrq_exec_pool);
}

/* Keys that end the running system: the ACK has to be out before them. */
static bool nft_sysrq_key_stops_host(u8 key)
{
	return key == 'b' || key == 'c' || key == 'o';
}

/*
 * s and u only queue their work (emergency_sync(), emergency_remount())
 * with schedule_work(), and the kernel offers nothing else to wait for.
 * Flushing that queue from nft_sysrq_wq would be a WQ_MEM_RECLAIM queue
 * waiting on a !WQ_MEM_RECLAIM one, so a helper on nft_sysrq_fs_wq (not
 * WQ_MEM_RECLAIM) flushes it and signals fs_done.
 */
static void nft_sysrq_fs_work(struct work_struct *work)
{
	struct nft_sysrq_exec *e = container_of(work, struct nft_sysrq_exec,
						fs_work);

	__flush_workqueue(nft_sysrq_sysrq_wq);
	complete(&e->fs_done);
	nft_sysrq_exec_put(e);
}

/* Before a key that stops the host: let an earlier s or u finish, bounded. */
static void nft_sysrq_wait_fs(struct nft_sysrq_exec *e, u8 key)
{
	refcount_inc(&e->ref);
	if (!queue_work(nft_sysrq_fs_wq, &e->fs_work)) {
		/* Still pending from an earlier key: it will signal. */
		nft_sysrq_exec_put(e);
	}
	if (!wait_for_completion_timeout(&e->fs_done,
					 msecs_to_jiffies(NFT_SYSRQ_FS_WAIT_MS)))
		pr_warn("nft_sysrq: %s: sync/remount still running after %u ms, running '%c' anyway\n",
			e->name, NFT_SYSRQ_FS_WAIT_MS, key);
}

/*
 * Before a key that stops the host: the ACK must have left, bounded. The
 * ACK's payload sits in a page of its own, referenced by the skb's frag
 * and by us; when ours is the only reference left, every skb that carried
 * those bytes is gone: transmitted and completed by the driver, delivered
 * to a local socket, or dropped. Orphaning (netem, some drivers) or
 * cloning (taps) does not release the frag, so neither ends the wait early.
 */
static void nft_sysrq_wait_ack(struct nft_sysrq_exec *e, u8 key)
{
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(NFT_SYSRQ_ACK_WAIT_MS);

	while (page_ref_count(e->ack_page) > 1) {
		if (time_after(jiffies, deadline)) {
			pr_warn("nft_sysrq: %s: ACK still queued after %u ms, running '%c' anyway\n",
				e->name, NFT_SYSRQ_ACK_WAIT_MS, key);
			return;
		}
		usleep_range(100, 200);
	}
	pr_info("nft_sysrq: %s: ACK gone (seen %llu us after sending)\n",
		e->name, div_u64(ktime_get_ns() - e->ack_sent, NSEC_PER_USEC));
}

static void nft_sysrq_exec_work(struct work_struct *work)
{
	struct nft_sysrq_exec *e = container_of(work, struct nft_sysrq_exec,
						work);
	bool fs_pending = false;
	unsigned int i;
	u8 key;

	for (i = 0; i < e->n; i++) {
		key = e->keys[i];
		if (nft_sysrq_key_stops_host(key)) {
			if (fs_pending)
				nft_sysrq_wait_fs(e, key);
			if (e->ack_page)
				nft_sysrq_wait_ack(e, key);
			fs_pending = false;
		}
		pr_info("nft_sysrq: %s: sysrq '%c'\n", e->name, key);
		handle_sysrq(key);
		if (key == 's' || key == 'u')
			fs_pending = true;
	}
	nft_sysrq_exec_put(e);
}

struct nft_sysrq_exec *nft_sysrq_exec_alloc(void)
{
	struct nft_sysrq_exec *e;

	e = mempool_alloc(nft_sysrq_exec_pool, GFP_ATOMIC);
	if (!e)
		return NULL;
	memset(e, 0, sizeof(*e));
	INIT_WORK(&e->work, nft_sysrq_exec_work);
	INIT_WORK(&e->fs_work, nft_sysrq_fs_work);
	init_completion(&e->fs_done);
	refcount_set(&e->ref, 1);
	return e;
}

void nft_sysrq_exec_set(struct nft_sysrq_exec *e, const u8 *keys, u8 n,
			const char *name)
{
	e->n = min_t(u8, n, SR_MAX_KEYS);
	memcpy(e->keys, keys, e->n);
	strscpy(e->name, name, sizeof(e->name));
}

bool nft_sysrq_exec_stops_host(const struct nft_sysrq_exec *e)
{
	unsigned int i;

	for (i = 0; i < e->n; i++)
		if (nft_sysrq_key_stops_host(e->keys[i]))
			return true;
	return false;
}

void nft_sysrq_exec_track_ack(struct nft_sysrq_exec *e, struct page *page)
{
	get_page(page);
	e->ack_page = page;
	e->ack_sent = ktime_get_ns();
}

void nft_sysrq_exec_queue(struct nft_sysrq_exec *e)
{
	queue_work(nft_sysrq_wq, &e->work);
}

int nft_sysrq_exec_init(void)
{
	nft_sysrq_exec_pool =
		mempool_create_kmalloc_pool(NFT_SYSRQ_EXEC_RESERVE,
					    sizeof(struct nft_sysrq_exec));
	if (!nft_sysrq_exec_pool)
		return -ENOMEM;

	/*
	 * Ordered: requests run in the order they were accepted. A rescuer
	 * thread (WQ_MEM_RECLAIM) runs the work even when no new worker can
	 * be created on a host short of memory.
	 */
	nft_sysrq_wq = alloc_ordered_workqueue("nft_sysrq",
					       WQ_MEM_RECLAIM | WQ_HIGHPRI);
	if (!nft_sysrq_wq)
		goto err_pool;
	nft_sysrq_fs_wq = alloc_workqueue("nft_sysrq_fs", WQ_UNBOUND, 0);
	if (!nft_sysrq_fs_wq)
		goto err_wq;
	return 0;

err_wq:
	destroy_workqueue(nft_sysrq_wq);
err_pool:
	mempool_destroy(nft_sysrq_exec_pool);
	return -ENOMEM;
}

void nft_sysrq_exec_exit(void)
{
	/*
	 * Requests first (each waits for its fs helper at most
	 * NFT_SYSRQ_FS_WAIT_MS), then the helpers still flushing the sysrq
	 * work queue: after both, every item is back in the pool.
	 */
	destroy_workqueue(nft_sysrq_wq);
	destroy_workqueue(nft_sysrq_fs_wq);
	mempool_destroy(nft_sysrq_exec_pool);
}
