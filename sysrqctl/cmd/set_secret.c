// SPDX-License-Identifier: GPL-2.0
/*
 * sysrqctl set-secret: arm sysrq rules with a key by re-sending each one,
 * in one transaction, with NLM_F_REPLACE on its handle: its other
 * expressions are copied as the kernel dumped them, only the sysrq
 * element is rebuilt (see nl_rule.h).
 */
#include <getopt.h>
#include <linux/netfilter.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "opt.h"
#include "keys/key.h"
#include "netlink/nl_cli.h"
#include "netlink/nl_err.h"
#include "keys/prompt.h"
#include "keys/seal_key.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s set-secret [options] (KEYFILE | - | --key FILE |\n"
		"                              --passphrase)\n"
		"Arm sysrq rules with a key, atomically: each rule is replaced "
		"by\n"
		"itself with the key in its sysrq expression; its other "
		"matches\n"
		"and statements are kept. Which rules:\n"
		"  1. every sysrq rule whose expression has the name NAME;\n"
		"  2. else the first unarmed sysrq rule and the unarmed rules "
		"of\n"
		"     its chain with the same name (they get the name NAME);\n"
		"  3. else a new rule after the first sysrq rule (and after "
		"each\n"
		"     rule of its chain with the same name), with the same "
		"match.\n"
		"Options (before the key file):\n"
		"  -k, --key FILE           the key file, as KEYFILE ('-': "
		"stdin)\n"
		"  -P, --passphrase         derive the key from a passphrase\n"
		"  -t, --table FAMILY NAME  only rules of this table\n"
		"  -n, --name NAME          the key's name (default "
		"'default')\n"
		"  -a, --allow KEYS         allowed sysrq keys, e.g. 'sub'\n"
		"                           (default: kept, or all)\n"
		"  -T, --tolerance SECONDS  how old a request may be, "
		"15..300\n"
		"                           (default: kept, or 30)\n"
		"      --output BYTES       kernel log output kept per "
		"request\n"
		"                           for the sender, 0..1m (default: "
		"kept,\n"
		"                           or 0: none; it may show kernel\n"
		"                           addresses and any log line)\n"
		"  -h, --help               show this help\n"
		"KEYFILE holds the key in base64 ('-': standard input). It is "
		"sent\n"
		"sealed to the module's public key (%s).\n",
		prog, NFT_SYSRQ_PUBLIC_KEY_PATH);
}

struct ctx {
	const struct nl_scope *scope;
	struct cli_settings set; /* --name, --allow, --tolerance, --output */
	const uint8_t *sealed;	 /* the key, sealed to the module */
	struct nl_rules rules;
	/* Handles the batch replaced, to tell them from added rules. */
	uint64_t replaced[NL_BATCH_MAX_MSGS];
	size_t nreplaced, nadded;
};

static bool is_sysrq_rule(const struct ctx *c, const struct nl_rule *r)
{
	return r->nsysrq > 0 && cli_in_scope(c->scope, r);
}

static bool same_chain(const struct nl_rule *a, const struct nl_rule *b)
{
	return a->family == b->family && !strcmp(a->table, b->table) &&
	       !strcmp(a->chain, b->chain);
}

static int put_rule(struct ctx *c, struct nl *nl, struct nl_batch *b,
		    const struct nl_rule *r, enum nl_rule_mode mode,
		    const struct nl_sysrq *old)
{
	struct nl_sysrq cfg;
	char what[3 * NL_NAME_MAX];
	int err;

	if (r->nsysrq > 1) {
		fprintf(stderr,
			"%s set-secret: rule %s %s %s handle %llu has %u sysrq "
			"expressions; re-sending it would disarm the others: "
			"keep one per rule\n",
			prog, nl_family_name(r->family), r->table, r->chain,
			(unsigned long long)r->handle, r->nsysrq);
		return -1;
	}
	if (nl_rule_unsendable(r)) {
		fprintf(stderr,
			"%s set-secret: rule %s %s %s handle %llu %s, which "
			"sysrqctl cannot re-send: give that chain a name\n",
			prog, nl_family_name(r->family), r->table, r->chain,
			(unsigned long long)r->handle, nl_rule_unsendable(r));
		return -1;
	}
	cli_settings_apply(&c->set, old, &cfg);
	snprintf(what, sizeof(what), "%s rule %s %s %s handle %llu",
		 mode == NL_RULE_REPLACE ? "replace" : "add a rule after",
		 nl_family_name(r->family), r->table, r->chain,
		 (unsigned long long)r->handle);
	err = nl_rule_put(b, nl, r, mode, &cfg, c->sealed, what);
	if (err) {
		nl_err_report(err, "build the request", NULL, NULL);
		return -1;
	}
	if (mode == NL_RULE_REPLACE)
		c->replaced[c->nreplaced++] = r->handle;
	else
		c->nadded++;
	return 0;
}

static int plan(struct nl *nl, struct nl_batch *b, void *data)
{
	struct ctx *c = data;
	const struct nl_rule *first = NULL, *unarmed = NULL;
	bool by_name = false;

	c->nreplaced = c->nadded = 0;
	if (cli_redump_rules(nl, c->scope, &c->rules,
			     "dump the nf_tables rules"))
		return -1;
	/* 1. The rules of that name. */
	for (size_t i = 0; i < c->rules.n; i++) {
		const struct nl_rule *r = &c->rules.v[i];

		if (!is_sysrq_rule(c, r))
			continue;
		if (!first)
			first = r;
		if (!unarmed && !r->sysrq.armed)
			unarmed = r;
		if (strcmp(cli_sysrq_name(&r->sysrq), c->set.name) != 0)
			continue;
		by_name = true;
		if (put_rule(c, nl, b, r, NL_RULE_REPLACE, &r->sysrq))
			return -1;
	}
	if (by_name)
		return 0;
	if (!first) {
		fprintf(stderr,
			"%s set-secret: no sysrq rule%s%s%s%s: create one with "
			"'sysrqctl enable' or a rule like 'udp dport 9 sysrq' "
			"in "
			"a chain on the input hook\n",
			prog, c->scope->set ? " in table " : "",
			c->scope->set ? nl_family_name(c->scope->family) : "",
			c->scope->set ? " " : "",
			c->scope->set ? c->scope->table : "");
		return -1;
	}
	/* 2. The first unarmed rule and its unarmed namesakes in its chain. */
	if (unarmed) {
		for (size_t i = 0; i < c->rules.n; i++) {
			const struct nl_rule *r = &c->rules.v[i];

			if (is_sysrq_rule(c, r) && !r->sysrq.armed &&
			    same_chain(r, unarmed) &&
			    !strcmp(cli_sysrq_name(&r->sysrq),
				    cli_sysrq_name(&unarmed->sysrq)) &&
			    put_rule(c, nl, b, r, NL_RULE_REPLACE, &r->sysrq))
				return -1;
		}
		return 0;
	}
	/* 3. A new rule with the same match after each of the first group. */
	for (size_t i = 0; i < c->rules.n; i++) {
		const struct nl_rule *r = &c->rules.v[i];

		if (is_sysrq_rule(c, r) && same_chain(r, first) &&
		    !strcmp(cli_sysrq_name(&r->sysrq),
			    cli_sysrq_name(&first->sysrq)) &&
		    put_rule(c, nl, b, r, NL_RULE_AFTER, NULL))
			return -1;
	}
	return 0;
}

/* Show what the kernel now holds under that name; check the key id. */
static int report(struct ctx *c, struct nl *nl, const uint8_t id[8])
{
	char hex[17], want[17];
	int ret = EXIT_OK;

	if (cli_redump_rules(nl, c->scope, &c->rules,
			     "dump the rules to confirm"))
		return EXIT_FAIL;
	cli_hex(id, want);
	for (size_t i = 0; i < c->rules.n; i++) {
		const struct nl_rule *r = &c->rules.v[i];
		bool replaced = false;

		if (!is_sysrq_rule(c, r) ||
		    strcmp(cli_sysrq_name(&r->sysrq), c->set.name) != 0)
			continue;
		for (size_t k = 0; k < c->nreplaced; k++)
			replaced |= c->replaced[k] == r->handle;
		cli_hex(r->sysrq.key_id, hex);
		printf("%s %s %s %s handle %llu name %s key-id %s\n",
		       replaced ? "armed" : "added", nl_family_name(r->family),
		       r->table, r->chain, (unsigned long long)r->handle,
		       c->set.name, r->sysrq.armed ? hex : "none");
		if (!r->sysrq.armed || memcmp(r->sysrq.key_id, id, 8) != 0) {
			fprintf(stderr,
				"%s set-secret: the kernel reports key id %s "
				"for "
				"handle %llu, expected %s\n",
				prog, r->sysrq.armed ? hex : "none",
				(unsigned long long)r->handle, want);
			ret = EXIT_FAIL;
		}
	}
	return ret;
}

static int read_key(const char *path, bool passphrase, const char *name,
		    uint8_t *key)
{
	char err[ERR_LEN];
	char *pass;
	size_t len = 0;
	int ret = -1;

	if (!passphrase)
		return read_key_warn(path, key);
	pass = sodium_malloc(PASSPHRASE_MAX + 1);
	if (!pass) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return -1;
	}
	if (prompt_passphrase("Passphrase: ", pass, &len, err) < 0 ||
	    key_from_passphrase(pass, len, name, key, err) < 0)
		fprintf(stderr, "%s: %s\n", prog, err);
	else
		ret = 0;
	sodium_free(pass);
	return ret;
}

int cmd_set_secret(int argc, char **argv)
{
	enum { OPT_OUTPUT = 256 };
	static const struct option opts[] = {
		{ "table", required_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' },
		{ "allow", required_argument, NULL, 'a' },
		{ "tolerance", required_argument, NULL, 'T' },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "passphrase", no_argument, NULL, 'P' },
		{ "key", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nl_scope scope = { 0 };
	struct ctx c = { .scope = &scope, .set.name = NL_DEFAULT_NAME };
	const char *path = NULL;
	bool passphrase = false;
	uint8_t *key = NULL, id[NFT_SYSRQ_KEY_ID_LEN], pub[SEAL_PUB_LEN];
	uint8_t sealed[NFT_SYSRQ_SEALED_KEY_LEN];
	struct nl nl;
	int opt, ret = EXIT_FAIL;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:t:n:a:T:Pk:h", opts, NULL)) !=
	       -1) {
		switch (opt) {
		case 't':
			if (optind >= argc) {
				fprintf(stderr,
					"%s set-secret: --table needs FAMILY "
					"NAME\n",
					prog);
				return EXIT_USAGE;
			}
			if (cli_scope("set-secret", optarg, argv[optind++],
				      &scope))
				return EXIT_USAGE;
			break;
		case 'n':
			if (cli_name("set-secret", optarg))
				return EXIT_USAGE;
			c.set.name = optarg;
			break;
		case 'a':
			if (cli_allow("set-secret", optarg))
				return EXIT_USAGE;
			c.set.allow = optarg;
			break;
		case 'T':
			if (cli_tolerance("set-secret", optarg,
					  &c.set.tolerance))
				return EXIT_USAGE;
			c.set.has_tolerance = true;
			break;
		case OPT_OUTPUT:
			if (cli_output("set-secret", optarg, &c.set.output))
				return EXIT_USAGE;
			c.set.has_output = true;
			break;
		case 'P':
			passphrase = true;
			break;
		case 'k':
			if (path) {
				fprintf(stderr,
					"%s set-secret: --key given twice\n",
					prog);
				return EXIT_USAGE;
			}
			path = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			opt_error("set-secret", opt, argv, opts);
			return EXIT_USAGE;
		}
	}
	if (optind < argc && path) {
		fprintf(stderr,
			"%s set-secret: the key file given twice (--key %s and "
			"'%s'): give one\n",
			prog, path, argv[optind]);
		return EXIT_USAGE;
	}
	if (optind < argc)
		path = argv[optind++];
	if (optind < argc) {
		fprintf(stderr,
			"%s set-secret: unexpected argument '%s' (options go "
			"before the key file)\n",
			prog, argv[optind]);
		return EXIT_USAGE;
	}
	if (!path == !passphrase) {
		fprintf(stderr,
			"%s set-secret: needs exactly one of KEYFILE, '-', "
			"--key FILE or --passphrase\n",
			prog);
		return EXIT_USAGE;
	}

	key = sodium_malloc(KEY_LEN);
	if (!key) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return EXIT_FAIL;
	}
	if (read_key(path, passphrase, c.set.name, key)) {
		ret = EXIT_USAGE;
		goto out;
	}
	/* The input is good: now the module's key, then no plain key. */
	if (seal_public_key("set-secret", pub) ||
	    seal_for_rule("set-secret", key, pub, sealed, id))
		goto out;
	sodium_free(key);
	key = NULL;
	c.sealed = sealed;
	if (cli_open(&nl))
		goto out;
	switch (cli_transact(&nl, plan, &c)) {
	case 0:
		ret = report(&c, &nl, id);
		break;
	default:
		ret = EXIT_FAIL;
		break;
	}
	nl_close(&nl);
out:
	nl_rules_free(&c.rules);
	sodium_free(key);
	return ret;
}
