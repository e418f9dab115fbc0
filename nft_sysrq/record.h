/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records for the whole host, one per key id (SysRq acts on the host, so
 * a request accepted in one network namespace is a duplicate in every
 * other). A record holds the protocol core's state for its key id (epoch,
 * last request, answer counts, kept output) and the keyed MAC transform
 * every expression with that key id uses. Expressions and accepted
 * requests on their way hold references; the last one frees the record,
 * and the next arming makes a new one with a new epoch, which no request
 * made for the old one can match.
 */
#ifndef NFT_SYSRQ_RECORD_H
#define NFT_SYSRQ_RECORD_H

#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include "proto.h"

struct crypto_shash;

/* Most key ids armed at once on the host (memory bound). */
#define NFT_SYSRQ_RECORD_MAX	4096

struct nft_sysrq_record {
	struct list_head	list;	/* in nft_sysrq_records */
	refcount_t		ref;
	spinlock_t		lock;	/* sr_record_lock() */
	struct crypto_shash	*tfm;	/* HMAC keyed with the key */
	struct sr_record	rec;
};

/*
 * The record of key's key id, taking a reference: found, or made with a
 * fresh epoch and a transform keyed with key. Process context.
 */
int nft_sysrq_record_get(const u8 key[SR_KEY_LEN],
			 struct nft_sysrq_record **out);
/* Another reference to a record already held (any context). */
void nft_sysrq_record_hold(struct nft_sysrq_record *r);
/* Drop a reference; the last one frees the record. Process context. */
void nft_sysrq_record_put(struct nft_sysrq_record *r);

/* The record's epoch now, and its generation. */
void nft_sysrq_record_epoch(struct nft_sysrq_record *r,
			    u8 epoch[SR_EPOCH_LEN], u32 *generation);
/*
 * A request that asked for a REPORT is done: sr_record_done() under the
 * lock. Takes out (kvmalloc'd, or NULL) and frees what is replaced.
 */
void nft_sysrq_record_done(struct nft_sysrq_record *r, u32 generation,
			   const u8 *req, size_t req_len,
			   const u8 report[SR_REPORT_LEN],
			   struct sr_output *out);
/* Room for the output of len bytes, or NULL. Process context. */
struct sr_output *nft_sysrq_output_alloc(size_t len);

int nft_sysrq_record_init(void);
/* At module exit, when no expression and no request holds a record. */
void nft_sysrq_record_exit(void);

#endif /* NFT_SYSRQ_RECORD_H */
