// SPDX-License-Identifier: GPL-2.0
/* Option checks, key ids and text forms shared by the configuration commands. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <linux/netfilter.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "core_env.h"
#include "netlink/nl_cli.h"
#include "netlink/nl_err.h"
#include "proto.h"

int cli_scope(const char *cmd, const char *family, const char *table,
	      struct nl_scope *out)
{
	int fam = nl_family_parse(family);
	size_t len = strlen(table);

	if (fam < 0) {
		fprintf(stderr,
			"%s %s: table family '%s': must be inet, ip or ip6\n",
			prog, cmd, family);
		return -1;
	}
	if (len < 1 || len >= NL_NAME_MAX) {
		fprintf(stderr, "%s %s: table name must have 1 to %d bytes\n",
			prog, cmd, NL_NAME_MAX - 1);
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)table[i] < 0x21 ||
		    (unsigned char)table[i] > 0x7e) {
			fprintf(stderr,
				"%s %s: table name '%s': only printable "
				"characters without spaces\n",
				prog, cmd, table);
			return -1;
		}
	}
	out->set = true;
	out->family = (uint8_t)fam;
	out->table = table;
	return 0;
}

int cli_name(const char *cmd, const char *name)
{
	if (sr_name_valid((const uint8_t *)name, strlen(name)))
		return 0;
	fprintf(stderr,
		"%s %s: key name '%s': needs 1 to %d characters of "
		"[A-Za-z0-9._-]\n",
		prog, cmd, name, SR_NAME_MAX);
	return -1;
}

int cli_allow(const char *cmd, const char *allow)
{
	size_t len = strlen(allow);
	uint64_t mask;

	if (len < 1 || len > NFT_SYSRQ_ALLOW_MAXLEN ||
	    !sr_key_mask((const uint8_t *)allow, len, &mask)) {
		fprintf(stderr,
			"%s %s: allow-list '%s': needs 1 to %d sysrq key "
			"characters of [0-9a-z]\n",
			prog, cmd, allow, NFT_SYSRQ_ALLOW_MAXLEN);
		return -1;
	}
	return 0;
}

static int parse_uint(const char *text, unsigned long min, unsigned long max,
		      unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!*text || *text < '0' || *text > '9')
		return -1;
	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int cli_tolerance(const char *cmd, const char *text, uint32_t *out)
{
	unsigned long v;

	if (parse_uint(text, NFT_SYSRQ_TOLERANCE_MIN, NFT_SYSRQ_TOLERANCE_MAX,
		       &v)) {
		fprintf(stderr,
			"%s %s: tolerance '%s': needs whole seconds in "
			"%d..%d\n",
			prog, cmd, text, NFT_SYSRQ_TOLERANCE_MIN,
			NFT_SYSRQ_TOLERANCE_MAX);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int cli_output(const char *cmd, const char *text, uint32_t *out)
{
	char num[16];
	size_t len = strlen(text);
	unsigned long v, unit = 1;

	/* One binary suffix: 64k = 65536 bytes, 1m = 1048576. */
	if (len > 1 && strchr("kKmM", text[len - 1])) {
		unit = strchr("kK", text[len - 1]) ? 1024UL : 1048576UL;
		len--;
	}
	if (len < sizeof(num)) {
		memcpy(num, text, len);
		num[len] = '\0';
	}
	if (len >= sizeof(num) ||
	    parse_uint(num, 0, NFT_SYSRQ_OUTPUT_MAX, &v) ||
	    v * unit > NFT_SYSRQ_OUTPUT_MAX) {
		fprintf(stderr,
			"%s %s: output '%s': needs bytes in 0..%d (suffixes "
			"k and m: 64k = 65536)\n",
			prog, cmd, text, NFT_SYSRQ_OUTPUT_MAX);
		return -1;
	}
	*out = (uint32_t)(v * unit);
	return 0;
}

int cli_port(const char *cmd, const char *text, uint16_t *out)
{
	unsigned long v;

	if (parse_uint(text, 1, 65535, &v)) {
		fprintf(stderr,
			"%s %s: port '%s': needs a number in 1..65535\n", prog,
			cmd, text);
		return -1;
	}
	*out = (uint16_t)v;
	return 0;
}

int cli_cidr(const char *cmd, const char *text, struct nl_cidr *out)
{
	char addr[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(text, '/');
	size_t alen = slash ? (size_t)(slash - text) : strlen(text);
	unsigned long prefix;
	unsigned int bits, i;

	memset(out, 0, sizeof(*out));
	if (alen == 0 || alen >= sizeof(addr))
		goto bad;
	memcpy(addr, text, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, out->addr) == 1) {
		out->family = NFPROTO_IPV4;
		bits = 32;
	} else if (inet_pton(AF_INET6, addr, out->addr) == 1) {
		out->family = NFPROTO_IPV6;
		bits = 128;
	} else {
		goto bad;
	}
	prefix = bits;
	if (slash && parse_uint(slash + 1, 0, bits, &prefix))
		goto bad;
	out->prefix = (unsigned int)prefix;
	/* A host address with a prefix names its network. */
	for (i = 0; i < bits / 8; i++) {
		unsigned int keep =
			out->prefix > i * 8 ? out->prefix - i * 8 : 0;

		if (keep < 8)
			out->addr[i] &= (uint8_t)(0xff00 >> keep);
	}
	inet_ntop(out->family == NFPROTO_IPV4 ? AF_INET : AF_INET6, out->addr,
		  addr, sizeof(addr));
	snprintf(out->text, sizeof(out->text), "%s/%u", addr, out->prefix);
	return 0;
bad:
	fprintf(stderr,
		"%s %s: source '%s': needs an IPv4 or IPv6 address with an "
		"optional /prefix\n",
		prog, cmd, text);
	return -1;
}

int cli_open(struct nl *nl)
{
	int err = nl_open(nl);

	if (err)
		nl_err_report(err, "open an nfnetlink socket", NULL, NULL);
	return err;
}

int cli_transact(struct nl *nl,
		 int (*plan)(struct nl *nl, struct nl_batch *b, void *ctx),
		 void *ctx)
{
	struct nl_batch b;
	uint32_t genid;
	int err = 0, ret;

	for (int attempt = 0; attempt < 3; attempt++) {
		err = nl_get_genid(nl, &genid);
		if (err) {
			nl_err_report(err, "read the ruleset generation", NULL,
				      NULL);
			return -1;
		}
		err = nl_batch_init(&b, nl, genid);
		if (err) {
			nl_err_report(err, "build the request", NULL, NULL);
			return -1;
		}
		ret = plan(nl, &b, ctx);
		if (ret) {
			nl_batch_free(&b);
			return ret;
		}
		err = nl_batch_commit(&b, nl);
		nl_batch_free(&b);
		if (err != -ERESTART)
			return err ? -1 : 0;
	}
	nl_err_report(err, "apply the change", NULL, NULL);
	return -1;
}

void cli_hex(const uint8_t id[NFT_SYSRQ_KEY_ID_LEN], char out[17])
{
	for (int i = 0; i < NFT_SYSRQ_KEY_ID_LEN; i++)
		snprintf(out + (size_t)2 * i, 3, "%02x", id[i]);
}

int cli_key_id(const uint8_t key[32], uint8_t id[NFT_SYSRQ_KEY_ID_LEN])
{
	struct sr_mac_key mk;
	int err;

	sr_mac_key_init(&mk, key);
	err = sr_key_id(&mk, id);
	sr_mac_key_wipe(&mk);
	return err ? -1 : 0;
}

void cli_time(uint64_t ns, char out[32])
{
	time_t t = (time_t)(ns / 1000000000ULL);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, 32, "?");
}

const char *cli_sysrq_name(const struct nl_sysrq *s)
{
	return s->has_name ? s->name : NL_DEFAULT_NAME;
}

bool cli_in_scope(const struct nl_scope *scope, const struct nl_rule *r)
{
	return !scope->set ||
	       (scope->family == r->family && !strcmp(scope->table, r->table));
}

void cli_print_sysrq(FILE *f, const struct nl_rule *r, const struct nl_sysrq *s)
{
	char hex[17], when[32];

	fprintf(f, "%s %s %s handle %llu: name %s ", nl_family_name(r->family),
		r->table, r->chain, (unsigned long long)r->handle,
		cli_sysrq_name(s));
	if (s->armed) {
		cli_hex(s->key_id, hex);
		fprintf(f, "armed key-id %s", hex);
	} else {
		fprintf(f, "unarmed");
	}
	/* The kernel dumps the allow-list in full: 36 keys read "all". */
	fprintf(f, " allow %s",
		s->has_allow && s->allow[0] && strlen(s->allow) < SR_KEY_CHARS ?
			s->allow :
			"all");
	if (s->has_tolerance)
		fprintf(f, " tolerance %u", s->tolerance);
	else
		fprintf(f, " tolerance %d", NFT_SYSRQ_TOLERANCE_DEFAULT);
	fprintf(f, " output %u", s->has_output ? s->output : 0);
	if (s->armed && s->has_armed_at) {
		cli_time(s->armed_at, when);
		fprintf(f, " armed-at %s", when);
	}
}

void cli_print_counters(FILE *f, const struct nl_sysrq *s)
{
	for (int c = 1; c <= NFTA_SYSRQ_CTR_MAX; c++)
		if (nl_sysrq_counter_names[c])
			fprintf(f, " %s %llu", nl_sysrq_counter_names[c],
				(unsigned long long)s->counters[c]);
}

void cli_settings_apply(const struct cli_settings *opt,
			const struct nl_sysrq *old, struct nl_sysrq *cfg)
{
	if (old)
		*cfg = *old;
	else
		memset(cfg, 0, sizeof(*cfg));
	cfg->has_name = true;
	snprintf(cfg->name, sizeof(cfg->name), "%s", opt->name);
	if (opt->allow) {
		cfg->has_allow = true;
		snprintf(cfg->allow, sizeof(cfg->allow), "%s", opt->allow);
	}
	if (opt->has_tolerance) {
		cfg->has_tolerance = true;
		cfg->tolerance = opt->tolerance;
	}
	if (opt->has_output) {
		cfg->has_output = true;
		cfg->output = opt->output;
	}
}

int cli_dump_rules(struct nl *nl, const struct nl_scope *scope,
		   struct nl_rules *rules)
{
	return nl_rules_dump(nl, scope->set ? scope->family : NFPROTO_UNSPEC,
			     scope->set ? scope->table : NULL, rules);
}

int cli_redump_rules(struct nl *nl, const struct nl_scope *scope,
		     struct nl_rules *rules, const char *what)
{
	int err;

	nl_rules_free(rules);
	err = cli_dump_rules(nl, scope, rules);
	if (err) {
		nl_err_report(err, what, NULL, NULL);
		return -1;
	}
	return 0;
}
