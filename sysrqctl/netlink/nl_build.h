/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `enable` creates, built with libnftnl (it knows tables, chains and
 * the standard expressions; only the sysrq element is added raw).
 */
#ifndef SYSRQCTL_NL_BUILD_H
#define SYSRQCTL_NL_BUILD_H

#include <stdbool.h>
#include <stdint.h>

#include "netlink/nl.h"
#include "netlink/nl_cli.h"
#include "netlink/nl_rule.h"

/* The comment that marks a table as made by `sysrqctl enable`. */
#define NL_TABLE_COMMENT "managed by sysrqctl enable"

/*
 * The match part of an enable rule as a rule template (no handle, no
 * sysrq element): [ip/ip6 saddr src] meta l4proto udp th dport port.
 * src may be NULL. 0, or -1 after printing why (family mismatch).
 */
int nl_match_template(uint8_t family, const char *table, const char *chain,
		      uint16_t port, const struct nl_cidr *src,
		      struct nl_rule *out);

/* The "udp dport 9" / "ip saddr 10.0.0.0/8 udp dport 9" text of a match. */
void nl_match_text(uint16_t port, const struct nl_cidr *src, char *out,
		   size_t len);

/* The table: 1 exists (*ours: it carries NL_TABLE_COMMENT), 0 absent, -errno. */
int nl_table_get(struct nl *nl, uint8_t family, const char *table, bool *ours);

/* NEWTABLE (with the comment) / NEWCHAIN (filter hook input priority 0 policy accept) / DELTABLE. */
int nl_put_table(struct nl_batch *b, struct nl *nl, uint8_t family,
		 const char *table);
int nl_put_input_chain(struct nl_batch *b, struct nl *nl, uint8_t family,
		       const char *table, const char *chain);
int nl_put_deltable(struct nl_batch *b, struct nl *nl, uint8_t family,
		    const char *table);

#endif
