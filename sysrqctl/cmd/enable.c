// SPDX-License-Identifier: GPL-2.0
/*
 * sysrqctl enable: the table, the input chain and the rule "udp dport 9
 * sysrq" (one per --source), armed when a key is given, in one atomic
 * transaction. What exists already is left as it is: a second run with
 * the same options sends nothing.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "cmd/enable.h"
#include "opt.h"
#include "keys/key.h"
#include "netlink/nl_build.h"
#include "netlink/nl_cli.h"
#include "netlink/nl_err.h"
#include "keys/prompt.h"
#include "proto.h"
#include "keys/seal_key.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s enable [options]\n"
		"Create, in one transaction, what a host needs to answer "
		"sysrq\n"
		"requests: the table (default inet sysrq), its chain 'input'\n"
		"(type filter hook input priority 0 policy accept) and the "
		"rule\n"
		"'udp dport PORT sysrq' (one rule per --source, matching that\n"
		"source address prefix too), armed when a key is given. What\n"
		"exists already is kept: running it twice changes nothing.\n"
		"  -p, --port PORT          UDP port (default 9)\n"
		"  -s, --source CIDR        only requests from this prefix\n"
		"                           (repeatable, IPv4 or IPv6)\n"
		"  -t, --table FAMILY NAME  the table (default: inet sysrq)\n"
		"  -k, --key FILE           arm with this key ('-': stdin)\n"
		"  -n, --name NAME          the key's name (default "
		"'default')\n"
		"  -a, --allow KEYS         allowed sysrq keys (default all)\n"
		"  -T, --tolerance SECONDS  how old a request may be, 15..300\n"
		"                           (default 30)\n"
		"      --output BYTES       kernel log output kept per "
		"request\n"
		"                           for the sender, 0..1m (default 0:\n"
		"                           none; it may show kernel "
		"addresses\n"
		"                           and any log line)\n"
		"  -h, --help               show this help\n"
		"The key is sent sealed to the module's public key (%s).\n",
		prog, NFT_SYSRQ_PUBLIC_KEY_PATH);
}

enum action { ADDED, ARMED, UNCHANGED };

struct ctx {
	struct enable_req r;
	/* The outcome of the last plan, printed once it is committed. */
	bool new_table, new_chain;
	struct {
		enum action action;
		uint64_t handle;
		char match[128];
	} out[NL_MAX_SOURCES];
	size_t nout;
	struct nl_rules rules;
};

/* Same expressions as the template, apart from the sysrq element. */
static bool same_match(const struct nl_rule *t, const struct nl_rule *r)
{
	unsigned int j = 0;

	for (unsigned int i = 0; i < r->nexprs; i++) {
		if ((int)i == r->sysrq_idx)
			continue;
		if (j >= t->nexprs || !nl_expr_equal(t->exprs[j], r->exprs[i]))
			return false;
		j++;
	}
	return j == t->nexprs;
}

/* The same set of keys, whatever the order ("sub" is dumped as "bsu"). */
static bool same_keys(const char *a, const char *b)
{
	uint64_t ma, mb;

	return sr_key_mask((const uint8_t *)a, strlen(a), &ma) &&
	       sr_key_mask((const uint8_t *)b, strlen(b), &mb) && ma == mb;
}

/* Does the existing rule already hold what we would send? */
static bool up_to_date(const struct ctx *c, const struct nl_sysrq *s)
{
	if (!c->r.sealed)
		return true; /* enable never disarms */
	return s->armed && !memcmp(s->key_id, c->r.key_id, sizeof(s->key_id)) &&
	       (!c->r.set.allow ||
		(s->has_allow && same_keys(s->allow, c->r.set.allow))) &&
	       (!c->r.set.has_tolerance ||
		(s->has_tolerance && s->tolerance == c->r.set.tolerance)) &&
	       (!c->r.set.has_output ||
		(s->has_output ? s->output : 0) == c->r.set.output);
}

static int plan_rule(struct ctx *c, struct nl *nl, struct nl_batch *b,
		     const struct nl_cidr *src)
{
	const struct nl_rule *found = NULL;
	struct nl_rule tmpl;
	struct nl_sysrq cfg;
	char what[3 * NL_NAME_MAX];
	int err = 0;

	if (nl_match_template(c->r.scope.family, c->r.scope.table,
			      NL_DEFAULT_CHAIN, c->r.port, src, &tmpl))
		return -1;
	for (size_t i = 0; i < c->rules.n && !found; i++) {
		const struct nl_rule *r = &c->rules.v[i];

		if (r->nsysrq == 1 && !strcmp(r->chain, NL_DEFAULT_CHAIN) &&
		    !strcmp(cli_sysrq_name(&r->sysrq), c->r.set.name) &&
		    same_match(&tmpl, r))
			found = r;
	}
	nl_match_text(c->r.port, src, c->out[c->nout].match,
		      sizeof(c->out[c->nout].match));
	if (found && up_to_date(c, &found->sysrq)) {
		c->out[c->nout].action = UNCHANGED;
		c->out[c->nout++].handle = found->handle;
	} else if (found) {
		cli_settings_apply(&c->r.set, &found->sysrq, &cfg);
		snprintf(what, sizeof(what),
			 "replace rule %s %s %s handle %llu",
			 nl_family_name(found->family), found->table,
			 found->chain, (unsigned long long)found->handle);
		err = nl_rule_put(b, nl, found, NL_RULE_REPLACE, &cfg,
				  c->r.sealed, what);
		c->out[c->nout].action = ARMED;
		c->out[c->nout++].handle = found->handle;
	} else {
		cli_settings_apply(&c->r.set, NULL, &cfg);
		snprintf(what, sizeof(what), "add rule to %s %s %s",
			 nl_family_name(c->r.scope.family), c->r.scope.table,
			 NL_DEFAULT_CHAIN);
		err = nl_rule_put(b, nl, &tmpl, NL_RULE_APPEND, &cfg,
				  c->r.sealed, what);
		c->out[c->nout++].action = ADDED;
	}
	free(tmpl.msg);
	if (err) {
		nl_err_report(err, "build the request", NULL, NULL);
		return -1;
	}
	return 0;
}

static int plan(struct nl *nl, struct nl_batch *b, void *data)
{
	struct ctx *c = data;
	bool ours;
	int err;

	nl_rules_free(&c->rules);
	c->nout = 0;
	c->new_table = c->new_chain = false;
	err = nl_table_get(nl, c->r.scope.family, c->r.scope.table, &ours);
	if (err < 0) {
		nl_err_report(err, "look up the table", NULL, NULL);
		return -1;
	}
	if (!err) {
		c->new_table = c->new_chain = true;
	} else {
		err = nl_get(nl, NFT_MSG_GETCHAIN, c->r.scope.family,
			     c->r.scope.table, NFTA_CHAIN_NAME,
			     NL_DEFAULT_CHAIN, false, NULL, NULL);
		if (err && err != -ENOENT) {
			nl_err_report(err, "look up the chain", NULL, NULL);
			return -1;
		}
		c->new_chain = err == -ENOENT;
		if (!c->new_chain) {
			err = nl_rules_dump(nl, c->r.scope.family,
					    c->r.scope.table, &c->rules);
			if (err) {
				nl_err_report(err, "dump the table's rules",
					      NULL, NULL);
				return -1;
			}
		}
	}
	if ((c->new_table &&
	     nl_put_table(b, nl, c->r.scope.family, c->r.scope.table)) ||
	    (c->new_chain &&
	     nl_put_input_chain(b, nl, c->r.scope.family, c->r.scope.table,
				NL_DEFAULT_CHAIN))) {
		nl_err_report(-ENOMEM, "build the request", NULL, NULL);
		return -1;
	}
	if (!c->r.nsources)
		return plan_rule(c, nl, b, NULL) ? -1 : (b->nmsgs ? 0 : 1);
	for (size_t i = 0; i < c->r.nsources; i++)
		if (plan_rule(c, nl, b, &c->r.sources[i]))
			return -1;
	return b->nmsgs ? 0 : 1;
}

static void report(const struct ctx *c)
{
	const char *fam = nl_family_name(c->r.scope.family);
	char hex[17];

	cli_hex(c->r.key_id, hex);
	if (c->new_table)
		printf("created table %s %s\n", fam, c->r.scope.table);
	if (c->new_chain)
		printf("created chain %s %s %s (type filter hook input "
		       "priority 0 policy accept)\n",
		       fam, c->r.scope.table, NL_DEFAULT_CHAIN);
	for (size_t i = 0; i < c->nout; i++) {
		static const char *const verb[] = {
			[ADDED] = "added",
			[ARMED] = "armed",
			[UNCHANGED] = "unchanged",
		};

		printf("%s rule %s %s %s", verb[c->out[i].action], fam,
		       c->r.scope.table, NL_DEFAULT_CHAIN);
		if (c->out[i].action != ADDED)
			printf(" handle %llu",
			       (unsigned long long)c->out[i].handle);
		printf(": %s sysrq name %s", c->out[i].match, c->r.set.name);
		if (c->r.sealed)
			printf(" key-id %s\n", hex);
		else
			printf("%s\n",
			       c->out[i].action == ADDED ? " unarmed" : "");
	}
}

int enable_apply(struct nl *nl, const struct enable_req *req)
{
	struct ctx c = { .r = *req };
	int ret = -1;

	switch (cli_transact(nl, plan, &c)) {
	case 0:
		report(&c);
		ret = 0;
		break;
	case 1:
		report(&c);
		printf("nothing to do: %s %s is already enabled\n",
		       nl_family_name(c.r.scope.family), c.r.scope.table);
		ret = 0;
		break;
	default:
		break;
	}
	nl_rules_free(&c.rules);
	return ret;
}

int cmd_enable(int argc, char **argv)
{
	enum { OPT_OUTPUT = 256 };
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "source", required_argument, NULL, 's' },
		{ "table", required_argument, NULL, 't' },
		{ "key", required_argument, NULL, 'k' },
		{ "name", required_argument, NULL, 'n' },
		{ "allow", required_argument, NULL, 'a' },
		{ "tolerance", required_argument, NULL, 'T' },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct enable_req c = { .port = 9, .set.name = NL_DEFAULT_NAME };
	const char *keyfile = NULL;
	uint8_t sealed[NFT_SYSRQ_SEALED_KEY_LEN];
	struct nl nl;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:p:s:t:k:n:a:T:h", opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'p':
			if (cli_port("enable", optarg, &c.port))
				return EXIT_USAGE;
			break;
		case 's':
			if (c.nsources == NL_MAX_SOURCES) {
				fprintf(stderr,
					"%s enable: at most %d --source\n",
					prog, NL_MAX_SOURCES);
				return EXIT_USAGE;
			}
			if (cli_cidr("enable", optarg,
				     &c.sources[c.nsources++]))
				return EXIT_USAGE;
			break;
		case 't':
			if (optind >= argc) {
				fprintf(stderr,
					"%s enable: --table needs FAMILY "
					"NAME\n",
					prog);
				return EXIT_USAGE;
			}
			if (cli_scope("enable", optarg, argv[optind++],
				      &c.scope))
				return EXIT_USAGE;
			break;
		case 'k':
			keyfile = optarg;
			break;
		case 'n':
			if (cli_name("enable", optarg))
				return EXIT_USAGE;
			c.set.name = optarg;
			break;
		case 'a':
			if (cli_allow("enable", optarg))
				return EXIT_USAGE;
			c.set.allow = optarg;
			break;
		case 'T':
			if (cli_tolerance("enable", optarg, &c.set.tolerance))
				return EXIT_USAGE;
			c.set.has_tolerance = true;
			break;
		case OPT_OUTPUT:
			if (cli_output("enable", optarg, &c.set.output))
				return EXIT_USAGE;
			c.set.has_output = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			opt_error("enable", opt, argv, opts);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s enable: unexpected argument '%s'\n", prog,
			argv[optind]);
		return EXIT_USAGE;
	}
	if (!c.scope.set)
		cli_scope("enable", NL_DEFAULT_FAMILY_NAME, NL_DEFAULT_TABLE,
			  &c.scope);
	/* Every source must fit the table's family before anything is sent. */
	for (size_t i = 0; i < c.nsources; i++) {
		if (c.scope.family != NFPROTO_INET &&
		    c.sources[i].family != c.scope.family) {
			fprintf(stderr,
				"%s enable: source %s does not fit a table of "
				"family %s\n",
				prog, c.sources[i].text,
				nl_family_name(c.scope.family));
			return EXIT_USAGE;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(c.sources[i].text, c.sources[j].text)) {
				fprintf(stderr,
					"%s enable: source %s given twice\n",
					prog, c.sources[i].text);
				return EXIT_USAGE;
			}
	}
	if (keyfile) {
		ret = seal_key_file("enable", keyfile, sealed, c.key_id);
		if (ret != EXIT_OK)
			return ret;
		c.sealed = sealed;
	}
	if (cli_open(&nl))
		return EXIT_FAIL;
	ret = enable_apply(&nl, &c) ? EXIT_FAIL : EXIT_OK;
	nl_close(&nl);
	return ret;
}
