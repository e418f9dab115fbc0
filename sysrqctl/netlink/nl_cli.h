/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the configuration subcommands (set-secret, del-secret, enable,
 * disable, list, status) share: option values checked before anything is
 * sent to the kernel, key ids, and the text form of a sysrq expression.
 */
#ifndef SYSRQCTL_NL_CLI_H
#define SYSRQCTL_NL_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "netlink/nl.h"
#include "netlink/nl_rule.h"

#define NL_DEFAULT_FAMILY_NAME "inet"
#define NL_DEFAULT_TABLE       "sysrq"
#define NL_DEFAULT_CHAIN       "input"
#define NL_DEFAULT_NAME	       "default"
#define NL_MAX_SOURCES	       32

/* A --table FAMILY NAME pair. */
struct nl_scope {
	bool set;
	uint8_t family;
	const char *table;
};

/* An address prefix of --source. */
struct nl_cidr {
	uint8_t family;	  /* NFPROTO_IPV4 or NFPROTO_IPV6 */
	uint8_t addr[16]; /* host bits cleared */
	unsigned int prefix;
	char text[64]; /* normalised, e.g. "10.0.0.0/8" */
};

/*
 * Checks of one option value. On a bad value each prints one line naming
 * the problem ("sysrqctl CMD: ...") and returns -1; else 0.
 */
int cli_scope(const char *cmd, const char *family, const char *table,
	      struct nl_scope *out);
int cli_name(const char *cmd, const char *name);
int cli_allow(const char *cmd, const char *allow);
int cli_tolerance(const char *cmd, const char *text, uint32_t *out);
/* Output bytes per request: 0..NFT_SYSRQ_OUTPUT_MAX, "64k" and "1m" too. */
int cli_output(const char *cmd, const char *text, uint32_t *out);
int cli_port(const char *cmd, const char *text, uint16_t *out);
int cli_cidr(const char *cmd, const char *text, struct nl_cidr *out);

/* What --name, --allow, --tolerance and --output said (NULL / false: not given). */
struct cli_settings {
	const char *name, *allow;
	bool has_tolerance, has_output;
	uint32_t tolerance, output;
};

/* The sysrq settings to send: old's (NULL: none) unless an option overrides them. */
void cli_settings_apply(const struct cli_settings *opt,
			const struct nl_sysrq *old, struct nl_sysrq *cfg);

/* Open the nfnetlink socket or print why not. 0 or -errno. */
int cli_open(struct nl *nl);

/*
 * One transaction against a consistent ruleset: read the generation, let
 * plan (which dumps what it needs) fill the batch, commit it; when the
 * ruleset changed in between, start over (3 times at most). plan returns
 * 0 to send the batch, 1 when there is nothing to send, -1 on an error
 * it printed. Returns 0 committed, 1 nothing to send, -1 failed (printed).
 */
int cli_transact(struct nl *nl,
		 int (*plan)(struct nl *nl, struct nl_batch *b, void *ctx),
		 void *ctx);

/* The 16 hex digits of a key id. */
void cli_hex(const uint8_t id[NFT_SYSRQ_KEY_ID_LEN], char out[17]);
/* The key id of a key (the core's sr_key_id). 0 or -1. */
int cli_key_id(const uint8_t key[32], uint8_t id[NFT_SYSRQ_KEY_ID_LEN]);
/* "2026-11-26T06:00:00Z" */
void cli_time(uint64_t ns, char out[32]);

/* The name of a dumped sysrq expression ("default" when none dumped). */
const char *cli_sysrq_name(const struct nl_sysrq *s);
/* Dump the rules within scope (all rules when it is unset). 0 or -errno. */
int cli_dump_rules(struct nl *nl, const struct nl_scope *scope,
		   struct nl_rules *rules);
/*
 * Replace rules with a fresh dump within scope, as a step of a command
 * that reads the rules more than once: 0, or -1 with the error reported
 * ("cannot <what>").
 */
int cli_redump_rules(struct nl *nl, const struct nl_scope *scope,
		     struct nl_rules *rules, const char *what);
/* Does rule r fall within scope (all rules when scope is unset)? */
bool cli_in_scope(const struct nl_scope *scope, const struct nl_rule *r);

/*
 * One line about a rule's sysrq expression, as 'list' prints it:
 * "FAMILY TABLE CHAIN handle H: name N armed key-id K allow A tolerance T
 *  output BYTES armed-at TIME" (no newline).
 */
void cli_print_sysrq(FILE *f, const struct nl_rule *r,
		     const struct nl_sysrq *s);
/* " malformed N other_key N ... ignored N": every counter (no newline). */
void cli_print_counters(FILE *f, const struct nl_sysrq *s);

#endif
