/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rescue engine: an accepted request's sysrq keys run from a hard
 * interrupt timer (no task can starve it), in the order requests were
 * accepted on the whole host. Keys that stop the machine (b, c, o) wait,
 * bounded, until the bytes of the request's ACK have been released by
 * every skb that carried them and until every sync and remount started
 * before them on the host has completed.
 */
#ifndef NFT_SYSRQ_EXEC_H
#define NFT_SYSRQ_EXEC_H

#include <linux/types.h>

struct page;
struct nft_sysrq_exec;

/* Bound on the wait for the ACK before a b, c or o key runs anyway. */
#define NFT_SYSRQ_ACK_WAIT_MS	2000
/* Bound on the wait for earlier s and u keys (of any request) to complete. */
#define NFT_SYSRQ_FS_WAIT_MS	10000

int nft_sysrq_exec_init(void);
void nft_sysrq_exec_exit(void);

/*
 * From the packet path (atomic), only for a request being accepted (the
 * core's reserve); backed by a small reserve pool.
 */
struct nft_sysrq_exec *nft_sysrq_exec_alloc(void);
/* Its REPORT, for nft_sysrq_report_init() when the request wants one. */
struct nft_sysrq_report *nft_sysrq_exec_report(struct nft_sysrq_exec *e);
/* The keys (already validated as [0-9a-z]) and the rule's name for logs. */
void nft_sysrq_exec_set(struct nft_sysrq_exec *e, const u8 *keys, u8 n,
			const char *name);
/* True when a key of the request stops the machine. */
bool nft_sysrq_exec_stops_host(const struct nft_sysrq_exec *e);
/*
 * Make e's stopping keys wait for the ACK whose payload is in page (the
 * skb's frag holds one reference; e takes its own). Call right before
 * transmitting.
 */
void nft_sysrq_exec_track_ack(struct nft_sysrq_exec *e, struct page *page);
/* Hand e to the engine; it owns e from here on. */
void nft_sysrq_exec_queue(struct nft_sysrq_exec *e);

#endif /* NFT_SYSRQ_EXEC_H */
