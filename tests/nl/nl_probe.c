// SPDX-License-Identifier: GPL-2.0
/*
 * nl-probe: drives sysrqctl's netlink code paths on a kernel without the
 * sysrq expression (tests/nl/run, inside a network namespace).
 *
 *   nl-probe resend                  re-send every rule with NLM_F_REPLACE
 *                                    through the expression copier
 *   nl-probe after FAMILY TABLE HANDLE
 *                                    copy rule HANDLE to right after it
 *   nl-probe template FAMILY TABLE CHAIN PORT [CIDR]
 *                                    append enable's match (no sysrq
 *                                    element), then check that the kernel's
 *                                    dump equals the template
 *   nl-probe add-sysrq FAMILY TABLE HANDLE NAME
 *                                    replace rule HANDLE by itself plus an
 *                                    unarmed sysrq element named NAME
 *                                    (needs the module: the lab)
 *   nl-probe strip FAMILY TABLE HANDLE
 *                                    replace rule HANDLE by itself without
 *                                    its sysrq element (stock nft lists it
 *                                    again: compare with the original)
 *   nl-probe race                    a transaction whose ruleset changes
 *                                    between its dump and its commit (nft
 *                                    adds table ip racer): the kernel
 *                                    refuses the stale generation and
 *                                    cli_transact starts over; prints the
 *                                    number of attempts
 *   nl-probe bogus FAMILY TABLE CHAIN
 *                                    send a rule with an unknown expression
 *                                    (the error path, ext-ack decoding)
 *   nl-probe churn FAMILY TABLE CHAIN COUNT
 *                                    one batch: COUNT sysrq elements, each
 *                                    with a key of its own, then a rule
 *                                    with an unknown expression, so the
 *                                    kernel creates every element and
 *                                    aborts the batch (needs the module);
 *                                    exit 0 when that rule's ENOENT is the
 *                                    only error
 *   nl-probe keylen FAMILY TABLE CHAIN LEN
 *                                    add a rule whose sysrq element has a
 *                                    key attribute of LEN random bytes;
 *                                    prints the kernel's answer, "ok" or
 *                                    the errno name (needs the module)
 */
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdio.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>

#include "nl.h"
#include "nl_build.h"
#include "nl_cli.h"
#include "nl_err.h"
#include "nl_rule.h"

const char *prog = "nl-probe";

struct resend_ctx {
	struct nl_scope scope; /* unset: every table */
	uint64_t only;	       /* 0: every rule */
	enum nl_rule_mode mode;
	const struct nl_sysrq *cfg; /* sysrq element to put, or none */
	size_t sent, bound;
};

static int resend_plan(struct nl *nl, struct nl_batch *b, void *data)
{
	struct resend_ctx *c = data;
	struct nl_rules rules;
	int err;

	c->sent = c->bound = 0;
	err = nl_rules_dump(nl, NFPROTO_UNSPEC, NULL, &rules);
	if (err) {
		nl_err_report(err, "dump", NULL, NULL);
		return -1;
	}
	for (size_t i = 0; i < rules.n; i++) {
		const struct nl_rule *r = &rules.v[i];

		if ((c->only && r->handle != c->only) ||
		    !cli_in_scope(&c->scope, r))
			continue;
		/* What set-secret refuses: a jump to an anonymous chain. */
		if (nl_rule_unsendable(r)) {
			c->bound++;
			continue;
		}
		if (nl_rule_put(b, nl, r, c->mode, c->cfg, NULL,
				"resend rule")) {
			nl_rules_free(&rules);
			return -1;
		}
		c->sent++;
	}
	nl_rules_free(&rules);
	return c->sent ? 0 : 1;
}

static int race_plan(struct nl *nl, struct nl_batch *b, void *data)
{
	int *attempts = data;

	/* Another program changes the ruleset after our generation was read. */
	if (++*attempts == 1 && system("nft add table ip racer") != 0)
		return -1;
	return nl_put_table(b, nl, NFPROTO_IPV4, "raced") ? -1 : 0;
}

static int template(struct nl *nl, char **argv, int argc)
{
	struct nl_scope scope;
	struct nl_cidr src;
	struct nl_rule tmpl;
	struct nl_batch b;
	struct nl_rules rules;
	uint16_t port;
	int err, matches = 0;

	if (cli_scope("template", argv[0], argv[1], &scope) ||
	    cli_port("template", argv[3], &port) ||
	    (argc > 4 && cli_cidr("template", argv[4], &src)))
		return 2;
	if (nl_match_template(scope.family, scope.table, argv[2], port,
			      argc > 4 ? &src : NULL, &tmpl))
		return 2;
	err = nl_batch_init(&b, nl, 0);
	if (!err)
		err = nl_rule_put(&b, nl, &tmpl, NL_RULE_APPEND, NULL, NULL,
				  "append the template");
	if (!err)
		err = nl_batch_commit(&b, nl);
	nl_batch_free(&b);
	if (err) {
		free(tmpl.msg);
		return 1;
	}
	err = nl_rules_dump(nl, scope.family, scope.table, &rules);
	if (err) {
		free(tmpl.msg);
		return 1;
	}
	for (size_t i = 0; i < rules.n; i++) {
		const struct nl_rule *r = &rules.v[i];
		bool same = r->nexprs == tmpl.nexprs;

		for (unsigned int e = 0; same && e < r->nexprs; e++)
			same = nl_expr_equal(r->exprs[e], tmpl.exprs[e]);
		if (same)
			matches++;
	}
	printf("template matches %d dumped rule(s)\n", matches);
	nl_rules_free(&rules);
	free(tmpl.msg);
	return matches == 1 ? 0 : 1;
}

/* A rule with an unknown expression: the kernel aborts its batch. */
static int put_bogus_rule(struct nl_batch *b, struct nl *nl,
			  const struct nl_scope *scope, const char *chain)
{
	struct nlattr *list, *elem;
	struct nlmsghdr *nlh;

	nlh = nl_batch_add(b, nl, NFT_MSG_NEWRULE, scope->family,
			   NLM_F_CREATE | NLM_F_APPEND, 1024,
			   "add a rule with an unknown expression");
	if (!nlh)
		return -ENOMEM;
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, scope->table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, chain);
	list = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
	elem = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
	mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "nosuchexpr");
	mnl_attr_nest_end(nlh, elem);
	mnl_attr_nest_end(nlh, list);
	nl_batch_done(b, nlh);
	return 0;
}

static int bogus(struct nl *nl, char **argv)
{
	struct nl_scope scope;
	struct nl_batch b;
	int err;

	if (cli_scope("bogus", argv[0], argv[1], &scope))
		return 2;
	err = nl_batch_init(&b, nl, 0);
	if (err)
		return 1;
	err = put_bogus_rule(&b, nl, &scope, argv[2]);
	if (!err)
		err = nl_batch_commit(&b, nl);
	nl_batch_free(&b);
	return err ? 1 : 0;
}

static int keylen(struct nl *nl, char **argv)
{
	uint8_t key[NFT_SYSRQ_KEY_LEN * 4];
	struct nlattr *list, *elem, *data;
	struct nl_scope scope;
	struct nl_batch b;
	struct nlmsghdr *nlh;
	unsigned long len;
	char *end;
	int err;

	if (cli_scope("keylen", argv[0], argv[1], &scope))
		return 2;
	len = strtoul(argv[3], &end, 10);
	if (*end || len > sizeof(key) || sodium_init() < 0)
		return 2;
	randombytes_buf(key, sizeof(key));
	err = nl_batch_init(&b, nl, 0);
	if (err)
		return 1;
	b.secret = true;
	nlh = nl_batch_add(&b, nl, NFT_MSG_NEWRULE, scope.family,
			   NLM_F_CREATE | NLM_F_APPEND, 1024,
			   "add a rule with a sysrq key of odd length");
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, scope.table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, argv[2]);
	list = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
	elem = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
	mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, NFT_SYSRQ_EXPR_NAME);
	data = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
	mnl_attr_put(nlh, NFTA_SYSRQ_KEY, len, key);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, elem);
	mnl_attr_nest_end(nlh, list);
	nl_batch_done(&b, nlh);
	sodium_memzero(key, sizeof(key));
	err = nl_batch_commit(&b, nl);
	nl_batch_free(&b);
	printf("%s\n", err ? strerrorname_np(-err) : "ok");
	return 0;
}

/* Sysrq elements per rule: below the kernel's 128 expressions a rule. */
#define CHURN_PER_RULE 100

static int churn(struct nl *nl, char **argv)
{
	const struct nl_sysrq cfg = { 0 };
	uint8_t key[NFT_SYSRQ_KEY_LEN];
	unsigned long count, done = 0;
	struct nl_scope scope;
	struct nl_batch b;
	struct nlmsghdr *nlh;
	struct nlattr *list;
	char *end;
	int err;

	if (cli_scope("churn", argv[0], argv[1], &scope))
		return 2;
	if (sodium_init() < 0)
		return 1;
	count = strtoul(argv[3], &end, 10);
	if (*end || !count ||
	    count > CHURN_PER_RULE * (NL_BATCH_MAX_MSGS - 1UL)) {
		fprintf(stderr, "nl-probe: churn: COUNT 1..%lu\n",
			CHURN_PER_RULE * (NL_BATCH_MAX_MSGS - 1UL));
		return 2;
	}
	err = nl_batch_init(&b, nl, 0);
	if (err)
		return 1;
	b.secret = true;
	while (!err && done < count) {
		nlh = nl_batch_add(&b, nl, NFT_MSG_NEWRULE, scope.family,
				   NLM_F_CREATE | NLM_F_APPEND,
				   CHURN_PER_RULE * 128 + 256,
				   "add a rule of sysrq elements");
		if (!nlh) {
			err = -ENOMEM;
			break;
		}
		mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, scope.table);
		mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, argv[2]);
		list = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
		for (int i = 0; i < CHURN_PER_RULE && done < count; i++) {
			randombytes_buf(key, sizeof(key));
			nl_sysrq_put_elem(nlh, &cfg, key);
			done++;
		}
		mnl_attr_nest_end(nlh, list);
		nl_batch_done(&b, nlh);
	}
	sodium_memzero(key, sizeof(key));
	if (!err)
		err = put_bogus_rule(&b, nl, &scope, argv[2]);
	if (!err)
		err = nl_batch_commit(&b, nl);
	nl_batch_free(&b);
	printf("%lu sysrq elements in an aborted batch: %s\n", done,
	       err == -ENOENT ? "only the unknown expression failed" :
				"another error");
	return err == -ENOENT ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct resend_ctx c = { 0 };
	struct nl nl;
	int ret;

	if (argc < 2)
		goto usage;
	if (cli_open(&nl))
		return 1;
	if (!strcmp(argv[1], "resend") && argc == 2) {
		c.mode = NL_RULE_REPLACE;
		ret = cli_transact(&nl, resend_plan, &c);
		printf("re-sent %zu rule(s), %zu of anonymous chains left "
		       "alone\n",
		       c.sent, c.bound);
		ret = ret < 0 ? 1 : 0;
	} else if (!strcmp(argv[1], "after") && argc == 5) {
		if (cli_scope("after", argv[2], argv[3], &c.scope))
			return 2;
		c.mode = NL_RULE_AFTER;
		c.only = strtoull(argv[4], NULL, 10);
		ret = cli_transact(&nl, resend_plan, &c);
		printf("copied %zu rule(s)\n", c.sent);
		ret = ret ? 1 : 0;
	} else if (!strcmp(argv[1], "add-sysrq") && argc == 6) {
		struct nl_sysrq cfg = { .has_name = true };

		if (cli_scope("add-sysrq", argv[2], argv[3], &c.scope))
			return 2;
		snprintf(cfg.name, sizeof(cfg.name), "%s", argv[5]);
		c.mode = NL_RULE_REPLACE;
		c.only = strtoull(argv[4], NULL, 10);
		c.cfg = &cfg;
		ret = cli_transact(&nl, resend_plan, &c);
		printf("added a sysrq element to %zu rule(s)\n", c.sent);
		ret = ret ? 1 : 0;
	} else if (!strcmp(argv[1], "strip") && argc == 5) {
		if (cli_scope("strip", argv[2], argv[3], &c.scope))
			return 2;
		c.mode = NL_RULE_REPLACE;
		c.only = strtoull(argv[4], NULL, 10);
		ret = cli_transact(&nl, resend_plan, &c);
		printf("stripped %zu rule(s)\n", c.sent);
		ret = ret ? 1 : 0;
	} else if (!strcmp(argv[1], "template") && (argc == 6 || argc == 7)) {
		ret = template(&nl, argv + 2, argc - 2);
	} else if (!strcmp(argv[1], "race") && argc == 2) {
		int attempts = 0;

		ret = cli_transact(&nl, race_plan, &attempts);
		printf("committed after %d attempt(s)\n", attempts);
		ret = ret ? 1 : 0;
	} else if (!strcmp(argv[1], "bogus") && argc == 5) {
		ret = bogus(&nl, argv + 2);
	} else if (!strcmp(argv[1], "churn") && argc == 6) {
		ret = churn(&nl, argv + 2);
	} else if (!strcmp(argv[1], "keylen") && argc == 6) {
		ret = keylen(&nl, argv + 2);
	} else {
		nl_close(&nl);
		goto usage;
	}
	nl_close(&nl);
	return ret;
usage:
	fprintf(stderr, "usage: nl-probe resend | after FAMILY TABLE HANDLE | "
			"add-sysrq FAMILY TABLE HANDLE NAME | strip FAMILY "
			"TABLE HANDLE | "
			"template FAMILY TABLE CHAIN PORT [CIDR] | bogus "
			"FAMILY TABLE CHAIN | churn FAMILY TABLE CHAIN "
			"COUNT | keylen FAMILY TABLE CHAIN LEN\n");
	return 2;
}
