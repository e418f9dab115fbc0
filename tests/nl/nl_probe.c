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
 *                                    with a key of its own (sealed to the
 *                                    module's public key), then a rule
 *                                    with an unknown expression, so the
 *                                    kernel creates every element and
 *                                    aborts the batch (needs the module);
 *                                    exit 0 when that rule's ENOENT is the
 *                                    only error
 *   nl-probe keylen FAMILY TABLE CHAIN LEN|sealed [plain]
 *                                    add a rule whose sysrq element has a
 *                                    sealed key attribute of LEN random
 *                                    bytes (that opens to nothing), or a
 *                                    key truly sealed to the module's
 *                                    public key ("sealed"), or with
 *                                    "plain" a plain key attribute
 *                                    (NFTA_SYSRQ_KEY) of LEN bytes; prints
 *                                    the kernel's answer, "ok" or the
 *                                    errno name (needs the module)
 *   nl-probe nlfuzz FAMILY TABLE CHAIN COUNT SEED
 *                                    COUNT batches, each one rule whose
 *                                    sysrq element carries random, mostly
 *                                    malformed attributes (wrong lengths,
 *                                    bad values, missing, repeated and
 *                                    unknown attributes, plain keys,
 *                                    sealed keys that do not open, junk
 *                                    nests,
 *                                    lengths past the end); a case built
 *                                    to be invalid must be refused, the
 *                                    others may pass (and are deleted);
 *                                    prints the tally, exit 1 on a case
 *                                    that was wrongly accepted
 *   nl-probe pubkey SECRETFILE      print the X25519 public key of the
 *                                    secret in SECRETFILE (a key file), as
 *                                    the module publishes its own
 *   nl-probe unseal-capture FILE SECRETFILE
 *                                    walk the netlink messages captured in
 *                                    FILE (nl-capture.so); for each sysrq
 *                                    element print "sealed key-id HEX"
 *                                    when its sealed key opens with the
 *                                    secret, "sealed key does not open",
 *                                    or "plain key attribute"
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>

#include "netlink/nl.h"
#include "netlink/nl_build.h"
#include "netlink/nl_cli.h"
#include "netlink/nl_err.h"
#include "core_env.h"
#include "netlink/nl_rule.h"
#include "proto.h"
#include "keys/seal_key.h"

const char *prog = "nl-probe";

/*
 * A random key sealed to the module's public key (read from the kernel,
 * as set-secret does): a sealed key attribute the module opens. 0 or -1.
 */
static int sealed_random_key(uint8_t sealed[NFT_SYSRQ_SEALED_KEY_LEN])
{
	static uint8_t pub[SEAL_PUB_LEN];
	static bool have_pub;
	uint8_t key[KEY_LEN];
	int err;

	if (!have_pub && seal_public_key("nl-probe", pub))
		return -1;
	have_pub = true;
	randombytes_buf(key, sizeof(key));
	err = seal_to_module("nl-probe", key, pub, sealed);
	sodium_memzero(key, sizeof(key));
	return err;
}

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

/*
 * Add to b a rule of one sysrq element whose attributes fill(nlh, arg)
 * writes; returns what fill returned.
 */
static bool put_raw_sysrq_rule(struct nl_batch *b, struct nl *nl,
			       const struct nl_scope *scope, const char *chain,
			       const char *what,
			       bool (*fill)(struct nlmsghdr *, void *),
			       void *arg)
{
	struct nlattr *list, *elem, *data;
	struct nlmsghdr *nlh;
	bool ret;

	b->secret = true;
	nlh = nl_batch_add(b, nl, NFT_MSG_NEWRULE, scope->family,
			   NLM_F_CREATE | NLM_F_APPEND, 4096, what);
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, scope->table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, chain);
	list = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
	elem = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
	mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, NFT_SYSRQ_EXPR_NAME);
	data = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
	ret = fill(nlh, arg);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, elem);
	mnl_attr_nest_end(nlh, list);
	nl_batch_done(b, nlh);
	return ret;
}

struct key_attr {
	const uint8_t *key;
	size_t len;
	uint16_t type;
};

static bool put_key_attr(struct nlmsghdr *nlh, void *arg)
{
	const struct key_attr *k = arg;

	mnl_attr_put(nlh, k->type, k->len, k->key);
	return true;
}

static int keylen(struct nl *nl, char **argv, int argc)
{
	uint8_t key[NFT_SYSRQ_SEALED_KEY_LEN * 4];
	struct key_attr k = { .key = key, .type = NFTA_SYSRQ_SEALED_KEY };
	struct nl_scope scope;
	struct nl_batch b;
	unsigned long len;
	char *end;
	int err;

	if (cli_scope("keylen", argv[0], argv[1], &scope))
		return 2;
	if (argc == 5 && !strcmp(argv[4], "plain"))
		k.type = NFTA_SYSRQ_KEY;
	else if (argc != 4)
		return 2;
	if (sodium_init() < 0)
		return 2;
	randombytes_buf(key, sizeof(key));
	if (!strcmp(argv[3], "sealed") && k.type == NFTA_SYSRQ_SEALED_KEY) {
		if (sealed_random_key(key))
			return 1;
		len = NFT_SYSRQ_SEALED_KEY_LEN;
	} else {
		len = strtoul(argv[3], &end, 10);
		if (*end || len > sizeof(key))
			return 2;
	}
	err = nl_batch_init(&b, nl, 0);
	if (err)
		return 1;
	k.len = len;
	put_raw_sysrq_rule(&b, nl, &scope, argv[2],
			   "add a rule with a sysrq key attribute",
			   put_key_attr, &k);
	sodium_memzero(key, sizeof(key));
	err = nl_batch_commit(&b, nl);
	nl_batch_free(&b);
	printf("%s\n", err ? strerrorname_np(-err) : "ok");
	return 0;
}

/*
 * counters: a rule whose sysrq element carries the counters a listing
 * loaded back carries: "all" the twelve, counter i (1..12) = 1000 + i, as
 * the kernel dumps them (the module restores them); "short" the same with
 * ACCEPTED 4 bytes long; "unknown" the same plus type CTR_MAX + 1 (both
 * EINVAL: nothing of the rule is added).
 */
static bool put_counters(struct nlmsghdr *nlh, void *arg)
{
	const char *mode = arg;
	struct nlattr *nest;

	mnl_attr_put_strz(nlh, NFTA_SYSRQ_NAME, "ctr");
	nest = mnl_attr_nest_start(nlh, NFTA_SYSRQ_COUNTERS);
	for (int t = NFTA_SYSRQ_CTR_MALFORMED; t <= NFTA_SYSRQ_CTR_MAX; t++) {
		if (t == NFTA_SYSRQ_CTR_PAD)
			continue;
		if (t == NFTA_SYSRQ_CTR_ACCEPTED && !strcmp(mode, "short"))
			mnl_attr_put_u32(nlh, (uint16_t)t, htonl(1000 + t));
		else
			mnl_attr_put_u64(nlh, (uint16_t)t, htobe64(1000 + t));
	}
	if (!strcmp(mode, "unknown"))
		mnl_attr_put_u64(nlh, NFTA_SYSRQ_CTR_MAX + 1, htobe64(1));
	mnl_attr_nest_end(nlh, nest);
	return true;
}

static int counters(struct nl *nl, char **argv)
{
	struct nl_scope scope;
	struct nl_batch b;
	int err;

	if (cli_scope("counters", argv[0], argv[1], &scope))
		return 2;
	if (strcmp(argv[3], "all") != 0 && strcmp(argv[3], "short") != 0 &&
	    strcmp(argv[3], "unknown") != 0)
		return 2;
	err = nl_batch_init(&b, nl, 0);
	if (err)
		return 1;
	put_raw_sysrq_rule(&b, nl, &scope, argv[2],
			   "add a rule with sysrq counters", put_counters,
			   argv[3]);
	err = nl_batch_commit(&b, nl);
	nl_batch_free(&b);
	printf("%s\n", err ? strerrorname_np(-err) : "ok");
	return 0;
}

/* nlfuzz: a reproducible generator (xorshift64*). */
static uint64_t fuzz_rng;

static uint32_t fuzz_next(uint32_t bound)
{
	fuzz_rng ^= fuzz_rng >> 12;
	fuzz_rng ^= fuzz_rng << 25;
	fuzz_rng ^= fuzz_rng >> 27;
	return (uint32_t)((fuzz_rng * 2685821657736338717ULL) >> 32) % bound;
}

/* An attribute of type with len bytes of printable or random data. */
static void fuzz_put_bytes(struct nlmsghdr *nlh, uint16_t type, size_t len,
			   bool printable)
{
	char v[512];

	for (size_t i = 0; i < len && i < sizeof(v); i++)
		v[i] = printable ? (char)('a' + fuzz_next(26)) :
				   (char)fuzz_next(256);
	mnl_attr_put(nlh, type, len < sizeof(v) ? len : sizeof(v), v);
}

/*
 * The sysrq element's attributes for one case: a few valid ones, then
 * mutations. Returns true when the case must be refused: an attribute
 * the policy refuses wherever it stands (hard), or a value the module
 * refuses in the last attribute of its type (bad[type]: the last one of a
 * type is the one nf_tables hands over).
 */
static bool fuzz_case(struct nlmsghdr *nlh, void *arg)
{
	bool hard = false, bad[NFTA_SYSRQ_MAX + 1] = { false };
	uint32_t n = 1 + fuzz_next(4);
	const uint8_t *sealed = arg; /* a key sealed to the module */
	uint8_t key[NFT_SYSRQ_KEY_LEN];
	static const uint16_t fixed[] = { NFTA_SYSRQ_TOLERANCE,
					  NFTA_SYSRQ_KEY_ID,
					  NFTA_SYSRQ_ARMED_AT,
					  NFTA_SYSRQ_OUTPUT };
	uint16_t t;

	if (fuzz_next(2))
		mnl_attr_put(nlh, NFTA_SYSRQ_SEALED_KEY,
			     NFT_SYSRQ_SEALED_KEY_LEN, sealed);
	if (fuzz_next(2))
		mnl_attr_put_strz(nlh, NFTA_SYSRQ_NAME, "fz");
	if (fuzz_next(2))
		mnl_attr_put_strz(nlh, NFTA_SYSRQ_ALLOW, "hsub");
	if (fuzz_next(2))
		mnl_attr_put_u32(nlh, NFTA_SYSRQ_TOLERANCE, htonl(60));

	for (uint32_t i = 0; i < n; i++) {
		switch (fuzz_next(18)) {
		case 0: /* a sealed key of another length, or that does not open */
			fuzz_put_bytes(nlh, NFTA_SYSRQ_SEALED_KEY,
				       fuzz_next(3) ? NFT_SYSRQ_SEALED_KEY_LEN :
						      fuzz_next(2 * 80),
				       false);
			bad[NFTA_SYSRQ_SEALED_KEY] = true;
			break;
		case 1: /* a name or allow-list too long, or empty: policy */
			t = fuzz_next(2) ? NFTA_SYSRQ_NAME : NFTA_SYSRQ_ALLOW;
			fuzz_put_bytes(nlh, t,
				       fuzz_next(2) ? 37 + fuzz_next(60) : 0,
				       true);
			hard = true;
			break;
		case 2: /* a bad character in a name */
			mnl_attr_put_strz(nlh, NFTA_SYSRQ_NAME,
					  fuzz_next(2) ? "a b" : "x/y");
			bad[NFTA_SYSRQ_NAME] = true;
			break;
		case 3: /* a key character that is no sysrq key */
			mnl_attr_put_strz(nlh, NFTA_SYSRQ_ALLOW,
					  fuzz_next(2) ? "sUb" : "s!");
			bad[NFTA_SYSRQ_ALLOW] = true;
			break;
		case 4: /* an embedded NUL */
			t = fuzz_next(2) ? NFTA_SYSRQ_NAME : NFTA_SYSRQ_ALLOW;
			mnl_attr_put(nlh, t, 4, "s\0ub");
			bad[t] = true;
			break;
		case 5: /* a tolerance out of range */
			mnl_attr_put_u32(
				nlh, NFTA_SYSRQ_TOLERANCE,
				htonl(fuzz_next(2) ?
					      fuzz_next(
						      NFT_SYSRQ_TOLERANCE_MIN) :
					      NFT_SYSRQ_TOLERANCE_MAX + 1 +
						      fuzz_next(100000)));
			bad[NFTA_SYSRQ_TOLERANCE] = true;
			break;
		case 6: /* fixed-size attributes too short: policy */
			fuzz_put_bytes(nlh, fixed[fuzz_next(4)],
				       1 + fuzz_next(3), false);
			hard = true;
			break;
		case 7: /* unknown attribute types: ignored, as nf_tables does */
			fuzz_put_bytes(
				nlh,
				(uint16_t)(NFTA_SYSRQ_MAX + 1 + fuzz_next(40)),
				fuzz_next(64), false);
			break;
		case 8: /* valid attributes again: the last one counts */
			mnl_attr_put_strz(nlh, NFTA_SYSRQ_NAME, "again");
			bad[NFTA_SYSRQ_NAME] = false;
			break;
		case 9:
			mnl_attr_put_strz(nlh, NFTA_SYSRQ_ALLOW, "h");
			bad[NFTA_SYSRQ_ALLOW] = false;
			break;
		case 10: { /* junk in the counters nest: restored if valid */
			struct nlattr *nest =
				mnl_attr_nest_start(nlh, NFTA_SYSRQ_COUNTERS);
			uint16_t jt = (uint16_t)fuzz_next(20);
			size_t len = fuzz_next(40);

			fuzz_put_bytes(nlh, jt, len, false);
			mnl_attr_nest_end(nlh, nest);
			/* a known counter of 8 bytes, or the pad: taken */
			bad[NFTA_SYSRQ_COUNTERS] =
				!(jt == NFTA_SYSRQ_CTR_PAD ||
				  (jt >= NFTA_SYSRQ_CTR_MALFORMED &&
				   jt <= NFTA_SYSRQ_CTR_MAX && len == 8));
			break;
		}
		case 11: /* dump-only attributes of the right size: ignored */
			fuzz_put_bytes(nlh, NFTA_SYSRQ_KEY_ID,
				       NFT_SYSRQ_KEY_ID_LEN, false);
			break;
		case 13: /* a plain key: refused wherever it stands */
			randombytes_buf(key, sizeof(key));
			mnl_attr_put(nlh, NFTA_SYSRQ_KEY, sizeof(key), key);
			sodium_memzero(key, sizeof(key));
			hard = true;
			break;
		case 14: /* an output limit beyond OUTPUT_MAX */
			mnl_attr_put_u32(nlh, NFTA_SYSRQ_OUTPUT,
					 htonl(NFT_SYSRQ_OUTPUT_MAX + 1 +
					       fuzz_next(1u << 30)));
			bad[NFTA_SYSRQ_OUTPUT] = true;
			break;
		case 15: /* a valid output limit (0 included) */
			mnl_attr_put_u32(
				nlh, NFTA_SYSRQ_OUTPUT,
				htonl(fuzz_next(NFT_SYSRQ_OUTPUT_MAX + 1)));
			bad[NFTA_SYSRQ_OUTPUT] = false;
			break;
		case 16:
			mnl_attr_put(nlh, NFTA_SYSRQ_SEALED_KEY,
				     NFT_SYSRQ_SEALED_KEY_LEN, sealed);
			bad[NFTA_SYSRQ_SEALED_KEY] = false;
			break;
		case 12: { /* a length past the end: parsing stops there */
			struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);

			fuzz_put_bytes(nlh, NFTA_SYSRQ_NAME, 4, true);
			a->nla_len =
				(uint16_t)(a->nla_len + 8 + fuzz_next(200));
			goto out;
		}
		default: { /* an attribute header of length < 4 at the end */
			struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);

			a->nla_type = NFTA_SYSRQ_NAME;
			a->nla_len = (uint16_t)fuzz_next(4);
			nlh->nlmsg_len += sizeof(*a);
			goto out;
		}
		}
	}
out:
	for (size_t i = 0; i <= NFTA_SYSRQ_MAX; i++)
		hard |= bad[i];
	return hard;
}

static int nlfuzz(struct nl *nl, char **argv)
{
	unsigned long count, refused = 0, accepted = 0, wrong = 0;
	uint8_t sealed[NFT_SYSRQ_SEALED_KEY_LEN];
	struct nl_scope scope;
	struct nl_batch b;
	char *end;
	int err;

	if (cli_scope("nlfuzz", argv[0], argv[1], &scope))
		return 2;
	count = strtoul(argv[3], &end, 10);
	if (*end || !count || sodium_init() < 0)
		return 2;
	if (sealed_random_key(sealed))
		return 1;
	fuzz_rng = strtoull(argv[4], &end, 10) | 1;
	if (*end)
		return 2;
	for (unsigned long i = 0; i < count; i++) {
		bool must_fail;

		if (nl_batch_init(&b, nl, 0))
			return 1;
		must_fail = put_raw_sysrq_rule(
			&b, nl, &scope, argv[2],
			"add a rule with fuzzed sysrq attributes", fuzz_case,
			sealed);
		/* Errors are expected by the hundred: keep stderr quiet. */
		b.quiet = true;
		err = nl_batch_commit(&b, nl);
		nl_batch_free(&b);
		if (err == -ETIMEDOUT) {
			fprintf(stderr,
				"nl-probe: nlfuzz: no answer to case %lu\n", i);
			return 1;
		}
		if (err) {
			refused++;
		} else {
			accepted++;
			if (must_fail) {
				wrong++;
				fprintf(stderr,
					"nl-probe: nlfuzz: case %lu accepted\n",
					i);
			}
		}
	}
	printf("%lu cases: %lu refused, %lu accepted, %lu wrongly accepted\n",
	       count, refused, accepted, wrong);
	return wrong ? 1 : 0;
}

/* Sysrq elements per rule: below the kernel's 128 expressions a rule. */
#define CHURN_PER_RULE 100

static int churn(struct nl *nl, char **argv)
{
	const struct nl_sysrq cfg = { 0 };
	uint8_t key[NFT_SYSRQ_SEALED_KEY_LEN];
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
			if (sealed_random_key(key)) {
				err = -EINVAL;
				break;
			}
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

/* The secret of a fake module key pair, and its public key. 0 or 2. */
static int fake_pair(const char *path, uint8_t secret[32], uint8_t pub[32])
{
	char err[ERR_LEN];
	bool loose;

	if (sodium_init() < 0 || key_read_file(path, secret, &loose, err)) {
		fprintf(stderr, "nl-probe: %s\n", err);
		return 2;
	}
	crypto_scalarmult_curve25519_base(pub, secret);
	return 0;
}

static int pubkey(char **argv)
{
	uint8_t secret[32], pub[32];
	char text[2 * sizeof(pub) + 1];

	if (fake_pair(argv[0], secret, pub))
		return 2;
	sodium_memzero(secret, sizeof(secret));
	/* As the module publishes its own: hex and a newline. */
	sodium_bin2hex(text, sizeof(text), pub, sizeof(pub));
	printf("%s\n", text);
	return 0;
}

/* One sysrq element's key attributes, as the module would see them. */
static void unseal_elem(const struct nlattr *data, const uint8_t secret[32],
			const uint8_t pub[32])
{
	const struct nlattr *a;
	uint8_t key[KEY_LEN], id[NFT_SYSRQ_KEY_ID_LEN];
	char hex[17];

	mnl_attr_for_each_nested (a, data) {
		if (mnl_attr_get_type(a) == NFTA_SYSRQ_KEY)
			printf("plain key attribute\n");
		if (mnl_attr_get_type(a) != NFTA_SYSRQ_SEALED_KEY)
			continue;
		if (mnl_attr_get_payload_len(a) != NFT_SYSRQ_SEALED_KEY_LEN ||
		    sr_unseal(mnl_attr_get_payload(a), secret, pub, key) ||
		    cli_key_id(key, id)) {
			printf("sealed key does not open\n");
			continue;
		}
		sodium_memzero(key, sizeof(key));
		cli_hex(id, hex);
		printf("sealed key-id %s\n", hex);
	}
}

static int unseal_capture(char **argv)
{
	uint8_t secret[32], pub[32];
	static char buf[1 << 20];
	const struct nlmsghdr *nlh;
	const struct nlattr *a, *e, *data;
	size_t len;
	int left;
	FILE *f;

	if (fake_pair(argv[1], secret, pub))
		return 2;
	f = fopen(argv[0], "rb");
	if (!f) {
		perror(argv[0]);
		return 2;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	left = (int)len;
	for (nlh = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, left);
	     nlh = mnl_nlmsg_next(nlh, &left)) {
		if ((nlh->nlmsg_type & 0xff) != NFT_MSG_NEWRULE ||
		    nlh->nlmsg_type >> 8 != NFNL_SUBSYS_NFTABLES)
			continue;
		mnl_attr_for_each (a, nlh, sizeof(struct nfgenmsg)) {
			if (mnl_attr_get_type(a) != NFTA_RULE_EXPRESSIONS)
				continue;
			mnl_attr_for_each_nested (e, a) {
				const char *name = nl_elem_name(e, &data);

				if (name &&
				    !strcmp(name, NFT_SYSRQ_EXPR_NAME) && data)
					unseal_elem(data, secret, pub);
			}
		}
	}
	sodium_memzero(secret, sizeof(secret));
	return 0;
}

int main(int argc, char **argv)
{
	struct resend_ctx c = { 0 };
	struct nl nl;
	int ret;

	if (argc < 2)
		goto usage;
	if (!strcmp(argv[1], "pubkey") && argc == 3)
		return pubkey(argv + 2);
	if (!strcmp(argv[1], "unseal-capture") && argc == 4)
		return unseal_capture(argv + 2);
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
	} else if (!strcmp(argv[1], "keylen") && (argc == 6 || argc == 7)) {
		ret = keylen(&nl, argv + 2, argc - 2);
	} else if (!strcmp(argv[1], "counters") && argc == 6) {
		ret = counters(&nl, argv + 2);
	} else if (!strcmp(argv[1], "nlfuzz") && argc == 7) {
		ret = nlfuzz(&nl, argv + 2);
	} else {
		nl_close(&nl);
		goto usage;
	}
	nl_close(&nl);
	return ret;
usage:
	fprintf(stderr,
		"usage: nl-probe resend | after FAMILY TABLE HANDLE | "
		"add-sysrq FAMILY TABLE HANDLE NAME | strip FAMILY "
		"TABLE HANDLE | "
		"template FAMILY TABLE CHAIN PORT [CIDR] | bogus "
		"FAMILY TABLE CHAIN | churn FAMILY TABLE CHAIN "
		"COUNT | keylen FAMILY TABLE CHAIN LEN|sealed [plain] | "
		"pubkey SECRETFILE | unseal-capture FILE SECRETFILE | "
		"counters FAMILY TABLE CHAIN all|short|unknown | "
		"nlfuzz FAMILY "
		"TABLE CHAIN COUNT SEED\n");
	return 2;
}
