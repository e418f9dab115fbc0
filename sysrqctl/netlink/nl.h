/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfnetlink plumbing for the configuration subcommands: one socket, dumps
 * walked with a callback, and atomic batches whose per-message errors are
 * mapped back to what the message was for (see nl_err.h).
 */
#ifndef SYSRQCTL_NL_H
#define SYSRQCTL_NL_H

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nl {
	struct mnl_socket *sk;
	uint32_t portid;
	uint32_t seq;
	bool cap_ack; /* NETLINK_CAP_ACK in force: errors echo no request */
};

/* Open and bind a NETLINK_NETFILTER socket with extended acks. 0 or -errno. */
int nl_open(struct nl *nl);
void nl_close(struct nl *nl);

/* The current ruleset generation (NFT_MSG_GETGEN). 0 or -errno. */
int nl_get_genid(struct nl *nl, uint32_t *genid);

/*
 * Dump objects of type (NFT_MSG_GET*) in family (NFPROTO_UNSPEC: all).
 * table, when not NULL, restricts the dump to one table. cb is called for
 * each message; the message is only valid during the call. 0 or -errno.
 */
int nl_dump(struct nl *nl, uint16_t type, uint8_t family, const char *table,
	    mnl_cb_t cb, void *data);

/*
 * Get one object (NFT_MSG_GETTABLE/GETCHAIN/GETSET) by name: table in
 * attribute 1 (NFTA_*_TABLE or NFTA_TABLE_NAME), name (when not NULL) in
 * attribute name_attr; with dump set, NLM_F_DUMP (GETSETELEM). cb (may be
 * NULL) sees the answer. 0, -ENOENT when absent, or another -errno.
 */
int nl_get(struct nl *nl, uint16_t type, uint8_t family, const char *table,
	   uint16_t name_attr, const char *name, bool dump, mnl_cb_t cb,
	   void *data);

/* A batch: messages between NFNL_MSG_BATCH_BEGIN and _END, all-or-nothing. */
#define NL_BATCH_MAX_MSGS 256
struct nl_batch {
	char *buf;
	size_t len, cap;
	uint32_t first_seq;
	size_t nmsgs; /* messages between begin and end */
	struct nl_batch_msg {
		uint32_t seq;
		size_t off;	/* offset of the nlmsghdr in buf */
		char what[160]; /* "add rule to inet sysrq input", for errors */
	} msgs[NL_BATCH_MAX_MSGS];
	uint32_t next_id; /* NFTA_SET_ID of sets created in the batch */
	bool secret;	  /* holds a key: sent only with capped acks */
	bool quiet;	  /* errors returned, not printed (tests) */
};

/* Start a batch; genid != 0 makes the kernel refuse it if the ruleset changed. */
int nl_batch_init(struct nl_batch *b, struct nl *nl, uint32_t genid);
void nl_batch_free(struct nl_batch *b);
/*
 * Reserve room for one more message of up to need bytes and put its
 * header (nf_tables type, family, flags | NLM_F_REQUEST | NLM_F_ACK).
 * what describes the message for error messages. NULL when full.
 */
struct nlmsghdr *nl_batch_add(struct nl_batch *b, struct nl *nl, uint16_t type,
			      uint8_t family, uint16_t flags, size_t need,
			      const char *what);
/* Update the batch's length after a message returned by nl_batch_add grew. */
void nl_batch_done(struct nl_batch *b, struct nlmsghdr *nlh);
/*
 * Append the end marker and send; wait for every ack. 0 or -errno
 * (printed). A batch holding a key is refused (-EPROTO) unless the socket
 * has capped acks: an error would otherwise echo the key back to us.
 */
int nl_batch_commit(struct nl_batch *b, struct nl *nl);

/* Room a message may take at most (one page of attributes is plenty). */
#define NL_MSG_MAX 65536

#endif
