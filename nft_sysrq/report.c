// SPDX-License-Identifier: GPL-2.0
/*
 * REPORTs and output. See report.h.
 *
 * The output is the kernel log between two sequence numbers taken by the
 * rescue engine (before the request's first key, after its last key and
 * the wait for sync/remount), read with the kmsg_dump iterator: the same
 * text dmesg shows, no console of our own. It is read here, in process
 * context, after the keys ran; lines the log overwrote meanwhile (`t` on
 * a big host) and lines over the expression's limit are dropped and the
 * REPORT says so. Memory is allocated only here: when there is none, the
 * output is lost, flagged, and the REPORT still goes out.
 */
#include <linux/kmsg_dump.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "record.h"
#include "report.h"

/* printk's longest line (CONSOLE_LOG_MAX) with its prefix. */
#define NFT_SYSRQ_LINE_MAX	1024

void nft_sysrq_report_init(struct nft_sysrq_report *rp,
			   struct nft_sysrq_record *rec, u32 generation,
			   u32 output, const u8 *req, size_t req_len,
			   const struct nft_pktinfo *pkt,
			   const struct udphdr *uh)
{
	nft_sysrq_record_hold(rec);
	rp->rec = rec;
	rp->generation = generation;
	rp->output = output;
	rp->status = 0;
	rp->req_len = req_len;
	memcpy(rp->req, req, req_len);
	nft_sysrq_peer_set(&rp->peer, pkt, uh);
}

/* The sequence number the next kernel log line will get. */
static u64 nft_sysrq_log_next(void)
{
	struct kmsg_dump_iter iter;

	kmsg_dump_rewind(&iter);
	return iter.next_seq;
}

void nft_sysrq_report_log_start(struct nft_sysrq_report *rp)
{
	rp->log_start = nft_sysrq_log_next();
}

void nft_sysrq_report_log_end(struct nft_sysrq_report *rp)
{
	rp->log_end = nft_sysrq_log_next();
}

/*
 * Read the log lines [log_start, log_end) into text, at most limit bytes,
 * whole lines only. Returns the length; sets SR_REPORT_TRUNCATED when a
 * line was lost or did not fit.
 */
static size_t nft_sysrq_read_output(struct nft_sysrq_report *rp, u8 *text,
				    size_t limit, char *line)
{
	struct kmsg_dump_iter iter = { .cur_seq = rp->log_start };
	size_t len = 0, l;
	u64 want;

	/* kmsg_dump_get_line() stops nowhere: we stop at log_end. */
	iter.next_seq = rp->log_end;
	while (iter.cur_seq < rp->log_end) {
		want = iter.cur_seq;
		if (!kmsg_dump_get_line(&iter, false, line,
					NFT_SYSRQ_LINE_MAX, &l))
			break;
		/* Overwritten before we read it, or read past the end. */
		if (iter.cur_seq - 1 != want)
			rp->status |= SR_REPORT_TRUNCATED;
		if (iter.cur_seq > rp->log_end)
			break;
		if (!l || line[l - 1] != '\n') {
			if (l == NFT_SYSRQ_LINE_MAX)
				l--;
			line[l++] = '\n';
		}
		if (l > limit - len) {
			rp->status |= SR_REPORT_TRUNCATED;
			break;
		}
		memcpy(text + len, line, l);
		len += l;
	}
	return len;
}

/* The output kept for FETCH, or NULL (none asked, none printed, no memory). */
static struct sr_output *nft_sysrq_keep_output(struct nft_sysrq_report *rp,
					       const u8 epoch[SR_EPOCH_LEN])
{
	struct sr_output *out = NULL;
	char *line = NULL;
	u8 *text;
	size_t len;

	if (!rp->output || rp->log_end <= rp->log_start)
		return NULL;
	text = kvmalloc(rp->output, GFP_KERNEL | __GFP_NOWARN);
	line = kmalloc(NFT_SYSRQ_LINE_MAX, GFP_KERNEL | __GFP_NOWARN);
	if (!text || !line)
		goto lost;
	len = nft_sysrq_read_output(rp, text, rp->output, line);
	if (!len)
		goto done;
	out = nft_sysrq_output_alloc(len);
	if (!out)
		goto lost;
	if (sr_output_build(out, rp->rec->tfm, epoch, rp->req, rp->req_len,
			    text, len)) {
		kvfree(out);
		out = NULL;
		goto lost;
	}
	goto done;
lost:
	rp->status |= SR_REPORT_TRUNCATED;
	pr_warn_ratelimited("nft_sysrq: no memory for a request's output: REPORT sent without it\n");
done:
	kfree(line);
	kvfree(text);
	return out;
}

void nft_sysrq_report_send(struct nft_sysrq_report *rp)
{
	u8 epoch[SR_EPOCH_LEN], report[SR_REPORT_LEN];
	struct sr_output *out;
	u32 generation;
	int err;

	if (!rp->rec)
		return;
	nft_sysrq_record_epoch(rp->rec, epoch, &generation);
	/* A new epoch since (VM fork): the client cannot verify anything. */
	if (generation != rp->generation)
		return;
	out = nft_sysrq_keep_output(rp, epoch);
	if (!sr_build_report(rp->rec->tfm, epoch, rp->req, rp->req_len,
			     rp->status, out ? out->total : 0, report)) {
		kvfree(out);
		return;
	}
	nft_sysrq_record_done(rp->rec, rp->generation, rp->req, rp->req_len,
			      report, out);
	err = nft_sysrq_reply_peer(&rp->peer, report, sizeof(report));
	if (err)
		net_warn_ratelimited("nft_sysrq: REPORT not sent (%d)\n", err);
}

void nft_sysrq_report_release(struct nft_sysrq_report *rp)
{
	if (!rp->rec)
		return;
	nft_sysrq_peer_release(&rp->peer);
	nft_sysrq_record_put(rp->rec);
	rp->rec = NULL;
}
