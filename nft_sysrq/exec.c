// SPDX-License-Identifier: GPL-2.0
/*
 * The rescue engine: runs accepted requests' keys. See exec.h and
 * docs/module.md ("Where the keys run").
 *
 * A hung host's tasks are what keeps it hung: real-time busy loops starve
 * every kworker, a fork bomb takes the pids new workers need. So the keys
 * do not run in a task. They run from a hard-interrupt hrtimer, the same
 * kind of context a keyboard's or serial console's sysrq runs in, which
 * every sysrq handler is written for, and which no task can delay ('b'
 * alone restarts as panic() does: see nft_sysrq_handle_key()).
 *
 * One timer serves the whole host, so keys run in the order their requests
 * were accepted, whatever rule, namespace or CPU accepted them. A key that
 * stops the host (b, c, o) waits, polled by the same timer and bounded, for
 * the bytes of its request's ACK to be released by the network stack and
 * for every sync (s) and remount (u) started before it to have completed.
 * Those run as work items of the kernel's own (emergency_sync(),
 * emergency_remount()), which nothing exported lets a module wait for; the
 * lines they print when done ("Emergency Sync complete", "Emergency
 * Remount complete") are read from the kernel log with the kmsg_dump
 * iterator, which is lockless and safe in any context.
 *
 * PREEMPT_RT kernels take sleeping locks in the sysrq handlers (their
 * keyboard runs sysrq in an irq thread), so there the timer is a soft one.
 */
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/kmsg_dump.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/reboot.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysrq.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "exec.h"
#include "fault.h"
#include "mask.h"
#include "proto.h"
#include "report.h"

/* Items kept in reserve: a hung host may be short of atomic memory. */
#define NFT_SYSRQ_EXEC_RESERVE	4
/* How often a waiting stopping key looks again. */
#define NFT_SYSRQ_POLL_NS	(1 * NSEC_PER_MSEC)
/* Kernel log lines read per timer run, so a printk flood cannot stall it. */
#define NFT_SYSRQ_LOG_BURST	256

#define NFT_SYSRQ_HRTIMER_MODE \
	(IS_ENABLED(CONFIG_PREEMPT_RT) ? HRTIMER_MODE_REL_SOFT : \
					 HRTIMER_MODE_REL_HARD)

struct nft_sysrq_exec {
	struct list_head	list;
	struct page		*ack_page;	/* our reference to the ACK bytes */
	u64			accepted;	/* ktime_get_ns() */
	u64			ack_sent;	/* ktime_get_ns() */
	u64			wait_from;	/* a stopping key's first look */
	u64			settle_from;	/* REPORT: when the last key ran */
	bool			ack_done;	/* gone, or waited for long enough */
	u8			n;
	u8			next;		/* the next key to run */
	u8			keys[SR_MAX_KEYS];
	char			name[SR_NAME_MAX + 1];
	struct nft_sysrq_report	report;		/* report.rec: one is wanted */
};

/*
 * A kernel-owned asynchronous operation that a stopping key must wait for:
 * the work started by s or u. run counts the keys we ran; a completion line
 * is credited only after the key's own action line, so a line from before
 * we looked never counts.
 */
struct nft_sysrq_fs_op {
	const char	*started;	/* __handle_sysrq()'s action line */
	const char	*done;		/* the work's last line */
	unsigned int	run, started_seen, done_seen;
};

static struct {
	raw_spinlock_t		lock;		/* queue, done */
	struct list_head	queue;		/* accepted, keys left to run */
	struct list_head	done;		/* to free in process context */
	struct hrtimer		timer;
	struct work_struct	reap;
	/* Timer-only state: the timer callback never runs concurrently. */
	struct nft_sysrq_fs_op	fs[2];
	struct kmsg_dump_iter	log;		/* where the log was read up to */
	char			line[160];
} nft_sysrq_engine = {
	.fs = {
		{ .started = "sysrq: Emergency Sync",
		  .done = "Emergency Sync complete" },
		{ .started = "sysrq: Emergency Remount R/O",
		  .done = "Emergency Remount complete" },
	},
};

static struct workqueue_struct *nft_sysrq_wq;	/* the reaper */
static mempool_t *nft_sysrq_exec_pool;

static struct nft_sysrq_fs_op *nft_sysrq_fs_op(u8 key)
{
	if (key == 's')
		return &nft_sysrq_engine.fs[0];
	if (key == 'u')
		return &nft_sysrq_engine.fs[1];
	return NULL;
}

static bool nft_sysrq_fs_pending(void)
{
	const struct nft_sysrq_fs_op *op;

	for (op = nft_sysrq_engine.fs; op < nft_sysrq_engine.fs + 2; op++)
		if (op->done_seen < op->run)
			return true;
	return false;
}

static bool nft_sysrq_line_ends(const char *line, size_t len, const char *s)
{
	size_t n = strlen(s);

	return len >= n && !memcmp(line + len - n, s, n);
}

/* Read the kernel log lines printed since the last look, bounded. */
static void nft_sysrq_read_log(void)
{
	struct nft_sysrq_fs_op *op;
	char *line = nft_sysrq_engine.line;
	unsigned int i;
	size_t len;

	for (i = 0; i < NFT_SYSRQ_LOG_BURST; i++) {
		if (!kmsg_dump_get_line(&nft_sysrq_engine.log, false, line,
					sizeof(nft_sysrq_engine.line) - 1,
					&len))
			return;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\0'))
			len--;
		for (op = nft_sysrq_engine.fs; op < nft_sysrq_engine.fs + 2;
		     op++) {
			if (nft_sysrq_line_ends(line, len, op->done)) {
				if (op->done_seen < op->started_seen)
					op->done_seen++;
			} else if (nft_sysrq_line_ends(line, len, op->started)) {
				if (op->started_seen < op->run)
					op->started_seen++;
			}
		}
	}
}

/* Before running s or u: start reading the log here if nobody is. */
static void nft_sysrq_fs_start(struct nft_sysrq_fs_op *op)
{
	struct nft_sysrq_fs_op *o;

	if (!nft_sysrq_fs_pending()) {
		for (o = nft_sysrq_engine.fs; o < nft_sysrq_engine.fs + 2; o++)
			o->run = o->started_seen = o->done_seen = 0;
		kmsg_dump_rewind(&nft_sysrq_engine.log);
		nft_sysrq_engine.log.cur_seq = nft_sysrq_engine.log.next_seq;
	}
	op->run++;
}

/*
 * The ACK's payload sits in a page of its own, referenced by the skb's
 * frag and by us; when ours is the only reference left, every skb that
 * carried those bytes is gone: transmitted and completed by the driver,
 * delivered to a local socket, or dropped. Orphaning (netem, some drivers)
 * or cloning (taps) does not release the frag, so neither ends the wait
 * early. True once it is gone or the bound has passed.
 */
static bool nft_sysrq_ack_gone(struct nft_sysrq_exec *e, u8 key, u64 now)
{
	if (!e->ack_page || e->ack_done)
		return true;
	if (page_ref_count(e->ack_page) == 1)
		pr_info("nft_sysrq: %s: ACK gone %llu us after sending\n",
			e->name, div_u64(now - e->ack_sent, NSEC_PER_USEC));
	else if (now - e->ack_sent >= NFT_SYSRQ_ACK_WAIT_MS * NSEC_PER_MSEC)
		pr_warn("nft_sysrq: %s: ACK still queued after %u ms, running '%c' anyway\n",
			e->name, NFT_SYSRQ_ACK_WAIT_MS, key);
	else
		return false;
	e->ack_done = true;
	return true;
}

/* True once every earlier sync/remount completed, or the bound passed. */
static bool nft_sysrq_fs_idle(struct nft_sysrq_exec *e, u8 key, u64 waited)
{
	if (!nft_sysrq_fs_pending())
		return true;
	nft_sysrq_read_log();
	if (!nft_sysrq_fs_pending())
		return true;
	if (waited < NFT_SYSRQ_FS_WAIT_MS * NSEC_PER_MSEC)
		return false;
	pr_warn("nft_sysrq: %s: sync/remount not complete after %u ms, running '%c' anyway\n",
		e->name, NFT_SYSRQ_FS_WAIT_MS, key);
	/* Never wait for these again. */
	nft_sysrq_engine.fs[0].run = nft_sysrq_engine.fs[0].done_seen;
	nft_sysrq_engine.fs[1].run = nft_sysrq_engine.fs[1].done_seen;
	return true;
}

/*
 * May stopping key @key of @e run now? Not before HOLD after acceptance
 * (re-sent copies of the request still get their answers), and then both
 * conditions, each bounded.
 */
static bool nft_sysrq_may_stop(struct nft_sysrq_exec *e, u8 key, u64 now)
{
	bool ack, fs;

	if (now - e->accepted < SR_HOLD)
		return false;
	if (!e->wait_from)
		e->wait_from = now;
	/* Look at both every time, so each one's log line is timely. */
	ack = nft_sysrq_ack_gone(e, key, now);
	fs = nft_sysrq_fs_idle(e, key, now - e->wait_from);
	if (!ack || !fs)
		return false;
	if (e->wait_from != now)
		pr_info("nft_sysrq: %s: '%c' waited %llu us\n", e->name, key,
			div_u64(now - e->wait_from, NSEC_PER_USEC));
	return true;
}

/*
 * A REPORT waits for the sync/remount its keys started (and any started
 * before them), bounded; its output ends here.
 */
static bool nft_sysrq_settled(struct nft_sysrq_exec *e, u64 now)
{
	if (!e->settle_from)
		e->settle_from = now;
	if (nft_sysrq_fs_pending())
		nft_sysrq_read_log();
	if (nft_sysrq_fs_pending()) {
		if (now - e->settle_from < NFT_SYSRQ_FS_WAIT_MS * NSEC_PER_MSEC)
			return false;
		e->report.status |= SR_REPORT_UNSETTLED;
	}
	nft_sysrq_report_log_end(&e->report);
	return true;
}

/*
 * 'b' as panic() restarts the machine: emergency_restart() with interrupts
 * off. The kernel's sysrq_handle_reboot() enables interrupts first, which
 * in this hard-interrupt timer is wrong (lockdep reports it) and which the
 * restart does not need. Still the kernel's key, line and mask check: when
 * kernel.sysrq no longer permits 'b', handle_sysrq() refuses it as usual.
 */
static void nft_sysrq_handle_key(u8 key)
{
	if (key != 'b' || !(nft_sysrq_enabled_keys() & sr_key_bit('b'))) {
		handle_sysrq(key);
		return;
	}
	pr_emerg("sysrq: Resetting\n");
	emergency_restart();
}

/* Run e's keys until one has to wait. True when all have run. */
static bool nft_sysrq_exec_run(struct nft_sysrq_exec *e)
{
	struct nft_sysrq_fs_op *op;
	u8 key;

	if (e->report.rec && !e->next && !e->wait_from)
		nft_sysrq_report_log_start(&e->report);
	while (e->next < e->n) {
		key = e->keys[e->next];
		if (sr_key_terminal(key) &&
		    !nft_sysrq_may_stop(e, key, ktime_get_ns()))
			return false;
		op = nft_sysrq_fs_op(key);
		if (op)
			nft_sysrq_fs_start(op);
		pr_info("nft_sysrq: %s: sysrq '%c'\n", e->name, key);
		nft_sysrq_handle_key(key);
		e->wait_from = 0;
		e->next++;
	}
	return !e->report.rec || nft_sysrq_settled(e, ktime_get_ns());
}

static enum hrtimer_restart nft_sysrq_timer(struct hrtimer *timer)
{
	struct nft_sysrq_exec *e;
	unsigned long flags;

	for (;;) {
		raw_spin_lock_irqsave(&nft_sysrq_engine.lock, flags);
		e = list_first_entry_or_null(&nft_sysrq_engine.queue,
					     struct nft_sysrq_exec, list);
		raw_spin_unlock_irqrestore(&nft_sysrq_engine.lock, flags);
		if (!e)
			break;

		if (!nft_sysrq_exec_run(e)) {
			/*
			 * Not hrtimer_forward_now() and HRTIMER_RESTART: a
			 * request queued meanwhile may have started the timer
			 * again, and forwarding an enqueued timer is a bug.
			 * Whichever start comes last sets the next run.
			 */
			hrtimer_start(timer, ns_to_ktime(NFT_SYSRQ_POLL_NS),
				      NFT_SYSRQ_HRTIMER_MODE);
			return HRTIMER_NORESTART;
		}

		raw_spin_lock_irqsave(&nft_sysrq_engine.lock, flags);
		list_move_tail(&e->list, &nft_sysrq_engine.done);
		raw_spin_unlock_irqrestore(&nft_sysrq_engine.lock, flags);
		queue_work(nft_sysrq_wq, &nft_sysrq_engine.reap);
	}
	/* Keep reading while a sync/remount is pending, for the next 'b'. */
	if (nft_sysrq_fs_pending())
		nft_sysrq_read_log();
	return HRTIMER_NORESTART;
}

static void nft_sysrq_exec_free(struct nft_sysrq_exec *e)
{
	if (e->ack_page)
		put_page(e->ack_page);
	nft_sysrq_report_release(&e->report);
	mempool_free(e, nft_sysrq_exec_pool);
}

/*
 * Finished items, in process context: the REPORTs of those that asked
 * (only when every key ran), then freeing (pages, references, pool).
 */
static void nft_sysrq_reap(struct work_struct *work)
{
	struct nft_sysrq_exec *e, *tmp;
	unsigned long flags;
	LIST_HEAD(done);

	raw_spin_lock_irqsave(&nft_sysrq_engine.lock, flags);
	list_splice_init(&nft_sysrq_engine.done, &done);
	raw_spin_unlock_irqrestore(&nft_sysrq_engine.lock, flags);
	list_for_each_entry_safe(e, tmp, &done, list) {
		if (e->next == e->n && e->report.log_end)
			nft_sysrq_report_send(&e->report);
		nft_sysrq_exec_free(e);
	}
}

struct nft_sysrq_exec *nft_sysrq_exec_alloc(void)
{
	struct nft_sysrq_exec *e;

	if (nft_sysrq_should_fail(NFT_SYSRQ_FAIL_EXEC))
		return NULL;
	e = mempool_alloc(nft_sysrq_exec_pool, GFP_ATOMIC);
	if (!e)
		return NULL;
	memset(e, 0, sizeof(*e));
	INIT_LIST_HEAD(&e->list);
	e->accepted = ktime_get_ns();
	return e;
}

struct nft_sysrq_report *nft_sysrq_exec_report(struct nft_sysrq_exec *e)
{
	return &e->report;
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
		if (sr_key_terminal(e->keys[i]))
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
	unsigned long flags;

	raw_spin_lock_irqsave(&nft_sysrq_engine.lock, flags);
	list_add_tail(&e->list, &nft_sysrq_engine.queue);
	raw_spin_unlock_irqrestore(&nft_sysrq_engine.lock, flags);
	/*
	 * Fire now. If the timer is polling for a waiting key this only
	 * brings the next look forward; if it is running, it fires again.
	 */
	hrtimer_start(&nft_sysrq_engine.timer, 0, NFT_SYSRQ_HRTIMER_MODE);
}

int nft_sysrq_exec_init(void)
{
	raw_spin_lock_init(&nft_sysrq_engine.lock);
	INIT_LIST_HEAD(&nft_sysrq_engine.queue);
	INIT_LIST_HEAD(&nft_sysrq_engine.done);
	INIT_WORK(&nft_sysrq_engine.reap, nft_sysrq_reap);
	nft_sysrq_hrtimer_setup(&nft_sysrq_engine.timer, nft_sysrq_timer,
				CLOCK_MONOTONIC, NFT_SYSRQ_HRTIMER_MODE);

	nft_sysrq_exec_pool =
		mempool_create_kmalloc_pool(NFT_SYSRQ_EXEC_RESERVE,
					    sizeof(struct nft_sysrq_exec));
	if (!nft_sysrq_exec_pool)
		return -ENOMEM;
	/*
	 * The reaper frees memory and sends REPORTs: let it run when no
	 * worker can be made, ahead of normal work.
	 */
	nft_sysrq_wq = alloc_workqueue("nft_sysrq", WQ_MEM_RECLAIM | WQ_HIGHPRI,
				       1);
	if (!nft_sysrq_wq) {
		mempool_destroy(nft_sysrq_exec_pool);
		return -ENOMEM;
	}
	return 0;
}

void nft_sysrq_exec_exit(void)
{
	unsigned long deadline;
	unsigned long flags;
	bool idle;

	/*
	 * No rule exists any more, so nothing is queued after this point.
	 * Let the timer finish what was accepted: each stopping key waits at
	 * most NFT_SYSRQ_ACK_WAIT_MS + NFT_SYSRQ_FS_WAIT_MS.
	 */
	deadline = jiffies + msecs_to_jiffies(NFT_SYSRQ_ACK_WAIT_MS +
					      NFT_SYSRQ_FS_WAIT_MS + 1000);
	for (;;) {
		raw_spin_lock_irqsave(&nft_sysrq_engine.lock, flags);
		idle = list_empty(&nft_sysrq_engine.queue);
		raw_spin_unlock_irqrestore(&nft_sysrq_engine.lock, flags);
		if (idle || time_after(jiffies, deadline))
			break;
		msleep(20);
	}
	hrtimer_cancel(&nft_sysrq_engine.timer);
	if (!idle)
		pr_warn("nft_sysrq: unloading with accepted keys not run\n");
	/* Whatever is left, run or not, is the reaper's. */
	raw_spin_lock_irqsave(&nft_sysrq_engine.lock, flags);
	list_splice_tail_init(&nft_sysrq_engine.queue, &nft_sysrq_engine.done);
	raw_spin_unlock_irqrestore(&nft_sysrq_engine.lock, flags);
	destroy_workqueue(nft_sysrq_wq);
	nft_sysrq_reap(&nft_sysrq_engine.reap);
	mempool_destroy(nft_sysrq_exec_pool);
}
