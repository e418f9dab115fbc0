/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "Done": the REPORT of an accepted request that asked for one, sent once
 * its keys have run and the sync/remount they started has completed, with
 * the kernel log lines printed meanwhile kept, encrypted, for FETCH.
 */
#ifndef NFT_SYSRQ_REPORT_H
#define NFT_SYSRQ_REPORT_H

#include <linux/types.h>
#include "proto.h"
#include "reply.h"

struct nft_pktinfo;
struct udphdr;
struct nft_sysrq_record;

struct nft_sysrq_report {
	struct nft_sysrq_record	*rec;	/* a reference; NULL: none wanted */
	struct nft_sysrq_peer	peer;
	u64			log_start, log_end; /* kernel log seq */
	u32			generation;
	u32			output;	/* most bytes of output to keep */
	u8			status;	/* SR_REPORT_* */
	u8			req_len;
	u8			req[SR_REQ_MAX_LEN];
};

/* From the packet path: the request, where it came from, its record. */
void nft_sysrq_report_init(struct nft_sysrq_report *rp,
			   struct nft_sysrq_record *rec, u32 generation,
			   u32 output, const u8 *req, size_t req_len,
			   const struct nft_pktinfo *pkt,
			   const struct udphdr *uh);
/* Before the first key runs, and after the last and its sync/remount. */
void nft_sysrq_report_log_start(struct nft_sysrq_report *rp);
void nft_sysrq_report_log_end(struct nft_sysrq_report *rp);
/* Keep the output and send the REPORT. Process context. */
void nft_sysrq_report_send(struct nft_sysrq_report *rp);
/* Drop the references (record, namespace). Process context. */
void nft_sysrq_report_release(struct nft_sysrq_report *rp);

#endif /* NFT_SYSRQ_REPORT_H */
