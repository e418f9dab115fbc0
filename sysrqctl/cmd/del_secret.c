// SPDX-License-Identifier: GPL-2.0
/*
 * sysrqctl del-secret: disarm the sysrq rules of a name (re-sent without
 * their key, everything else kept) or, with --remove, delete them.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "opt.h"
#include "netlink/nl_cli.h"
#include "netlink/nl_err.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s del-secret --name NAME [--remove] [--table FAMILY "
		"NAME]\n"
		"Disarm every sysrq rule whose expression has that name: each "
		"is\n"
		"replaced, in one transaction, by itself without the key (it "
		"then\n"
		"matches nothing; 'set-secret' arms it again). With --remove "
		"the\n"
		"rules are deleted instead.\n"
		"  -n, --name NAME          the key's name (required)\n"
		"  -r, --remove             delete the rules\n"
		"  -t, --table FAMILY NAME  only rules of this table\n"
		"  -h, --help               show this help\n",
		prog);
}

struct ctx {
	const struct nl_scope *scope;
	const char *name;
	bool remove;
	struct nl_rules rules;
	size_t found;		       /* rules of that name */
	size_t changed;		       /* rules in the batch */
	size_t idx[NL_BATCH_MAX_MSGS]; /* which, in rules */
};

static int put_delrule(struct nl *nl, struct nl_batch *b,
		       const struct nl_rule *r, const char *what)
{
	struct nlmsghdr *nlh;

	nlh = nl_batch_add(b, nl, NFT_MSG_DELRULE, r->family, 0, 1024, what);
	if (!nlh)
		return -1;
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, r->table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, r->chain);
	mnl_attr_put_u64(nlh, NFTA_RULE_HANDLE, htobe64(r->handle));
	nl_batch_done(b, nlh);
	return 0;
}

static int plan(struct nl *nl, struct nl_batch *b, void *data)
{
	struct ctx *c = data;
	char what[3 * NL_NAME_MAX];
	int err;

	c->found = c->changed = 0;
	if (cli_redump_rules(nl, c->scope, &c->rules,
			     "dump the nf_tables rules"))
		return -1;
	for (size_t i = 0; i < c->rules.n; i++) {
		const struct nl_rule *r = &c->rules.v[i];

		if (!r->nsysrq || !cli_in_scope(c->scope, r) ||
		    strcmp(cli_sysrq_name(&r->sysrq), c->name) != 0)
			continue;
		c->found++;
		snprintf(what, sizeof(what), "%s rule %s %s %s handle %llu",
			 c->remove ? "delete" : "replace",
			 nl_family_name(r->family), r->table, r->chain,
			 (unsigned long long)r->handle);
		if (c->remove) {
			err = put_delrule(nl, b, r, what);
		} else {
			if (!r->sysrq.armed)
				continue; /* nothing to disarm */
			if (r->nsysrq > 1 || nl_rule_unsendable(r)) {
				fprintf(stderr,
					"%s del-secret: rule %s %s %s handle "
					"%llu has %u sysrq "
					"expressions or an anonymous chain; "
					"use --remove\n",
					prog, nl_family_name(r->family),
					r->table, r->chain,
					(unsigned long long)r->handle,
					r->nsysrq);
				return -1;
			}
			err = nl_rule_put(b, nl, r, NL_RULE_REPLACE, &r->sysrq,
					  NULL, what);
		}
		if (err) {
			nl_err_report(-ENOMEM, "build the request", NULL, NULL);
			return -1;
		}
		c->idx[c->changed++] = i;
	}
	if (!c->found) {
		fprintf(stderr, "%s del-secret: no sysrq rule named '%s'\n",
			prog, c->name);
		return -1;
	}
	return c->changed ? 0 : 1;
}

int cmd_del_secret(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "remove", no_argument, NULL, 'r' },
		{ "table", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nl_scope scope = { 0 };
	struct ctx c = { .scope = &scope };
	struct nl nl;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:n:rt:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (cli_name("del-secret", optarg))
				return EXIT_USAGE;
			c.name = optarg;
			break;
		case 'r':
			c.remove = true;
			break;
		case 't':
			if (optind >= argc) {
				fprintf(stderr,
					"%s del-secret: --table needs FAMILY "
					"NAME\n",
					prog);
				return EXIT_USAGE;
			}
			if (cli_scope("del-secret", optarg, argv[optind++],
				      &scope))
				return EXIT_USAGE;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			opt_error("del-secret", opt, argv, opts);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s del-secret: unexpected argument '%s'\n",
			prog, argv[optind]);
		return EXIT_USAGE;
	}
	if (!c.name) {
		fprintf(stderr, "%s del-secret: --name NAME is required\n",
			prog);
		return EXIT_USAGE;
	}
	if (cli_open(&nl))
		return EXIT_FAIL;
	ret = cli_transact(&nl, plan, &c);
	nl_close(&nl);
	for (size_t i = 0; ret == 0 && i < c.changed; i++) {
		const struct nl_rule *r = &c.rules.v[c.idx[i]];

		printf("%s %s %s %s handle %llu name %s\n",
		       c.remove ? "removed" : "disarmed",
		       nl_family_name(r->family), r->table, r->chain,
		       (unsigned long long)r->handle, c.name);
	}
	nl_rules_free(&c.rules);
	if (ret == 1)
		printf("no armed sysrq rule named '%s': nothing to do\n",
		       c.name);
	return ret < 0 ? EXIT_FAIL : EXIT_OK;
}
