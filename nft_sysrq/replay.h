/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replay state for the whole host, one record per key id: SysRq acts on
 * the host, so a request accepted in one network namespace is a replay in
 * every other. A record lives while an expression uses its key id: rule
 * replacement keeps it (the new rule takes its reference before the old
 * one drops its own); a record no expression uses is freed, and what it
 * had seen survives as a floor (below), so flush, reload, re-keying,
 * aborted transactions and `nft -c` can neither reopen a replay window
 * nor use up the table.
 */
#ifndef NFT_SYSRQ_REPLAY_H
#define NFT_SYSRQ_REPLAY_H

#include <linux/types.h>
#include "proto.h"

struct nft_sysrq_exec;
struct nft_sysrq_replay;

/* Most key ids armed at once on the host (memory bound). */
#define NFT_SYSRQ_REPLAY_MAX	4096

/*
 * The record of key_id, taking a reference; a new one refuses every
 * request stamped before now, and before anything a freed record of the
 * same key id had accepted. Process context (rule creation).
 */
int nft_sysrq_replay_get(const u8 key_id[SR_KEY_ID_LEN], u64 now,
			 struct nft_sysrq_replay **out);
/* Drop a reference; the last one frees the record. Process context. */
void nft_sysrq_replay_put(struct nft_sysrq_replay *r);

/*
 * sr_commit() under the record's lock: check and record are one step.
 * An ACCEPTED request is recorded only together with the execution item
 * it needs, taken (in *exec) only for such a request: without one the
 * record is left as it was and the verdict is SR_PASS, so the client's
 * retransmission is judged afresh.
 */
void nft_sysrq_replay_commit(struct nft_sysrq_replay *r,
			     const struct sr_request *req,
			     const struct sr_key *key, u64 sysrq_enabled,
			     struct sr_outcome *out,
			     struct nft_sysrq_exec **exec);

/* Frees what is left at module exit (no expression exists any more). */
void nft_sysrq_replay_exit(void);

#endif /* NFT_SYSRQ_REPLAY_H */
