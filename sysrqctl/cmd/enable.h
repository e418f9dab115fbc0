/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `enable` creates, for one key name: the table, its input chain and
 * one rule per source, armed when a key is given. `arm` uses it once per
 * section of nft_sysrq.conf.
 */
#ifndef SYSRQCTL_ENABLE_H
#define SYSRQCTL_ENABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netlink/nl.h"
#include "netlink/nl_cli.h"

struct enable_req {
	struct nl_scope scope;
	uint16_t port;
	struct nl_cidr sources[NL_MAX_SOURCES];
	size_t nsources;
	struct cli_settings set; /* name, allow, tolerance, output */
	/* The key sealed to the module (seal_key.h); NULL: leave unarmed. */
	const uint8_t *sealed;
	uint8_t key_id[NFT_SYSRQ_KEY_ID_LEN]; /* of that key */
};

/*
 * One transaction on nl: creates what is missing, arms what holds another
 * key or settings, and prints one line per table, chain and rule. 0 on
 * success, else the failure was printed.
 */
int enable_apply(struct nl *nl, const struct enable_req *req);

/*
 * What `disable` does: delete the table, when enable made it (its
 * comment says so) or force is set. Prints one line; returns EXIT_*.
 */
int disable_table(struct nl *nl, const struct nl_scope *scope, bool force);

#endif
