// SPDX-License-Identifier: GPL-2.0
/* Rules dumped, parsed and re-sent at the raw netlink level (libmnl). */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlink/nl_rule.h"
#include "netlink/nl_set.h"

const char *nl_family_name(uint8_t family)
{
	switch (family) {
	case NFPROTO_INET:
		return "inet";
	case NFPROTO_IPV4:
		return "ip";
	case NFPROTO_IPV6:
		return "ip6";
	case NFPROTO_ARP:
		return "arp";
	case NFPROTO_BRIDGE:
		return "bridge";
	case NFPROTO_NETDEV:
		return "netdev";
	default:
		return "?";
	}
}

int nl_family_parse(const char *name)
{
	/* Only the families a sysrq expression may live in. */
	if (!strcmp(name, "inet"))
		return NFPROTO_INET;
	if (!strcmp(name, "ip"))
		return NFPROTO_IPV4;
	if (!strcmp(name, "ip6"))
		return NFPROTO_IPV6;
	return -1;
}

static void copy_str(char *dst, size_t size, const struct nlattr *a)
{
	size_t len = mnl_attr_get_payload_len(a);
	const char *s = mnl_attr_get_payload(a);

	/* Dumped strings are NUL-terminated; do not trust that blindly. */
	if (len && s[len - 1] == '\0')
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

void nl_sysrq_parse(const struct nlattr *data, struct nl_sysrq *s)
{
	const struct nlattr *a, *c;

	memset(s, 0, sizeof(*s));
	if (!data)
		return;
	mnl_attr_for_each_nested (a, data) {
		size_t len = mnl_attr_get_payload_len(a);

		switch (mnl_attr_get_type(a)) {
		case NFTA_SYSRQ_NAME:
			copy_str(s->name, sizeof(s->name), a);
			s->has_name = true;
			break;
		case NFTA_SYSRQ_ALLOW:
			copy_str(s->allow, sizeof(s->allow), a);
			s->has_allow = true;
			break;
		case NFTA_SYSRQ_TOLERANCE:
			if (len == 4) {
				s->tolerance = ntohl(mnl_attr_get_u32(a));
				s->has_tolerance = true;
			}
			break;
		case NFTA_SYSRQ_OUTPUT:
			if (len == 4) {
				s->output = ntohl(mnl_attr_get_u32(a));
				s->has_output = true;
			}
			break;
		case NFTA_SYSRQ_KEY_ID:
			if (len == NFT_SYSRQ_KEY_ID_LEN) {
				memcpy(s->key_id, mnl_attr_get_payload(a), len);
				s->armed = true;
			}
			break;
		case NFTA_SYSRQ_ARMED_AT:
			if (len == 8) {
				s->armed_at = be64toh(mnl_attr_get_u64(a));
				s->has_armed_at = true;
			}
			break;
		case NFTA_SYSRQ_COUNTERS:
			s->has_counters = true;
			mnl_attr_for_each_nested (c, a) {
				uint16_t t = mnl_attr_get_type(c);

				if (t > 0 && t <= NFTA_SYSRQ_CTR_MAX &&
				    t != NFTA_SYSRQ_CTR_PAD &&
				    mnl_attr_get_payload_len(c) == 8)
					s->counters[t] =
						be64toh(mnl_attr_get_u64(c));
			}
			break;
		}
	}
}

const char *nl_elem_name(const struct nlattr *elem, const struct nlattr **data)
{
	const struct nlattr *a;
	const char *name = NULL;

	if (data)
		*data = NULL;
	mnl_attr_for_each_nested (a, elem) {
		if (mnl_attr_get_type(a) == NFTA_EXPR_NAME &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			name = mnl_attr_get_str(a);
		else if (mnl_attr_get_type(a) == NFTA_EXPR_DATA && data)
			*data = a;
	}
	return name;
}

const char *const nl_sysrq_counter_names[NFTA_SYSRQ_CTR_MAX + 1] = {
	[NFTA_SYSRQ_CTR_MALFORMED] = "malformed",
	[NFTA_SYSRQ_CTR_OTHER_KEY] = "other_key",
	[NFTA_SYSRQ_CTR_STALE] = "stale",
	[NFTA_SYSRQ_CTR_BAD_MAC] = "bad_mac",
	[NFTA_SYSRQ_CTR_DUPLICATE] = "duplicate",
	[NFTA_SYSRQ_CTR_REPLAY] = "replay",
	[NFTA_SYSRQ_CTR_REFUSED] = "refused",
	[NFTA_SYSRQ_CTR_ACCEPTED] = "accepted",
	[NFTA_SYSRQ_CTR_TIME] = "time",
	[NFTA_SYSRQ_CTR_RATE] = "rate",
	[NFTA_SYSRQ_CTR_FETCH] = "fetch",
	[NFTA_SYSRQ_CTR_IGNORED] = "ignored",
};

bool nl_rule_sysrq_at(const struct nl_rule *r, unsigned int i,
		      struct nl_sysrq *s)
{
	const struct nlattr *data;
	const char *name;

	if (i >= r->nexprs)
		return false;
	name = nl_elem_name(r->exprs[i], &data);
	if (!name || strcmp(name, NFT_SYSRQ_EXPR_NAME) != 0)
		return false;
	nl_sysrq_parse(data, s);
	return true;
}

static const struct nlattr *find_attr(const struct nlattr *nest, uint16_t type)
{
	const struct nlattr *a;

	if (!nest)
		return NULL;
	mnl_attr_for_each_nested (a, nest) {
		if (mnl_attr_get_type(a) == type)
			return a;
	}
	return NULL;
}

const char *nl_rule_unsendable(const struct nl_rule *r)
{
	if (strncmp(r->chain, "__chain", 7) == 0)
		return "is in an anonymous chain (jump { ... })";
	for (unsigned int i = 0; i < r->nexprs; i++) {
		const struct nlattr *data, *chain;
		const char *name = nl_elem_name(r->exprs[i], &data);

		if (!name || strcmp(name, "immediate") != 0)
			continue;
		chain = find_attr(
			find_attr(find_attr(data, NFTA_IMMEDIATE_DATA),
				  NFTA_DATA_VERDICT),
			NFTA_VERDICT_CHAIN);
		if (chain &&
		    mnl_attr_validate(chain, MNL_TYPE_NUL_STRING) == 0 &&
		    strncmp(mnl_attr_get_str(chain), "__chain", 7) == 0)
			return "jumps to an anonymous chain (jump { ... })";
	}
	return NULL;
}

int nl_rule_parse(const struct nlmsghdr *nlh, struct nl_rule *r)
{
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a, *e;
	struct nlmsghdr *copy;
	bool has_table = false, has_chain = false, has_handle = false;

	memset(r, 0, sizeof(*r));
	r->sysrq_idx = -1;
	copy = malloc(nlh->nlmsg_len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, nlh, nlh->nlmsg_len);
	r->msg = copy;
	r->family = nfg->nfgen_family;

	mnl_attr_for_each (a, copy, sizeof(*nfg)) {
		switch (mnl_attr_get_type(a)) {
		case NFTA_RULE_TABLE:
			copy_str(r->table, sizeof(r->table), a);
			has_table = true;
			break;
		case NFTA_RULE_CHAIN:
			copy_str(r->chain, sizeof(r->chain), a);
			has_chain = true;
			break;
		case NFTA_RULE_HANDLE:
			if (mnl_attr_get_payload_len(a) == 8) {
				r->handle = be64toh(mnl_attr_get_u64(a));
				has_handle = true;
			}
			break;
		case NFTA_RULE_USERDATA:
			r->userdata = a;
			break;
		case NFTA_RULE_COMPAT:
			r->compat = a;
			break;
		case NFTA_RULE_EXPRESSIONS:
			mnl_attr_for_each_nested (e, a) {
				const struct nlattr *data;
				const char *name = nl_elem_name(e, &data);

				if (r->nexprs >= NL_RULE_MAXEXPRS)
					goto bad;
				if (name &&
				    !strcmp(name, NFT_SYSRQ_EXPR_NAME)) {
					if (r->sysrq_idx < 0) {
						r->sysrq_idx = (int)r->nexprs;
						nl_sysrq_parse(data, &r->sysrq);
					}
					r->nsysrq++;
				}
				r->exprs[r->nexprs++] = e;
			}
			break;
		}
	}
	if (has_table && has_chain && has_handle)
		return 0;
bad:
	free(r->msg);
	r->msg = NULL;
	return -EPROTO;
}

static int rules_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_rules *rules = data;
	struct nl_rule *v;

	if ((nlh->nlmsg_type & 0xff) != NFT_MSG_NEWRULE)
		return MNL_CB_OK;
	if (rules->n == rules->cap) {
		size_t cap = rules->cap ? rules->cap * 2 : 16;

		v = realloc(rules->v, cap * sizeof(*v));
		if (!v) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		rules->v = v;
		rules->cap = cap;
	}
	if (nl_rule_parse(nlh, &rules->v[rules->n]) < 0) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	rules->n++;
	return MNL_CB_OK;
}

int nl_rules_dump(struct nl *nl, uint8_t family, const char *table,
		  struct nl_rules *out)
{
	int err;

	for (;;) {
		memset(out, 0, sizeof(*out));
		err = nl_dump(nl, NFT_MSG_GETRULE, family, table, rules_cb,
			      out);
		/* A dump cut by a concurrent change: start over. */
		if (err != -EINTR)
			break;
		nl_rules_free(out);
	}
	if (err)
		nl_rules_free(out);
	return err;
}

void nl_rules_free(struct nl_rules *rules)
{
	for (size_t i = 0; i < rules->n; i++)
		free(rules->v[i].msg);
	free(rules->v);
	memset(rules, 0, sizeof(*rules));
}

void nl_put_raw(struct nlmsghdr *nlh, const struct nlattr *a)
{
	char *tail = mnl_nlmsg_get_payload_tail(nlh);

	memcpy(tail, a, a->nla_len);
	memset(tail + a->nla_len, 0, MNL_ALIGN(a->nla_len) - a->nla_len);
	nlh->nlmsg_len += MNL_ALIGN(a->nla_len);
}

void nl_sysrq_put_elem(struct nlmsghdr *nlh, const struct nl_sysrq *cfg,
		       const uint8_t *sealed)
{
	struct nlattr *elem, *data;

	/*
	 * Only the writable attributes: key id, armed-at and counters are
	 * the kernel's to report, never ours to send.
	 */
	elem = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
	mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, NFT_SYSRQ_EXPR_NAME);
	data = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
	/* Never the plain key (NFTA_SYSRQ_KEY): only the module can open this. */
	if (sealed)
		mnl_attr_put(nlh, NFTA_SYSRQ_SEALED_KEY,
			     NFT_SYSRQ_SEALED_KEY_LEN, sealed);
	if (cfg->has_name)
		mnl_attr_put_strz(nlh, NFTA_SYSRQ_NAME, cfg->name);
	if (cfg->has_allow)
		mnl_attr_put_strz(nlh, NFTA_SYSRQ_ALLOW, cfg->allow);
	if (cfg->has_tolerance)
		mnl_attr_put_u32(nlh, NFTA_SYSRQ_TOLERANCE,
				 htonl(cfg->tolerance));
	if (cfg->has_output)
		mnl_attr_put_u32(nlh, NFTA_SYSRQ_OUTPUT, htonl(cfg->output));
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, elem);
}

/*
 * The patched nft keeps the name of the key file it armed a rule from in
 * the rule's user data (libnftnl-patch: NFTNL_UDATA_RULE_SYSRQ_KEY_FILE).
 * Once sysrqctl re-keys or disarms the rule that file no longer holds its
 * key: a listing saved afterwards must not re-arm the old key on reload.
 */
#define NL_UDATA_RULE_SYSRQ_KEY_FILE 0xc5

/* Copy the rule's user data (type, length, value records) without that record. */
static void put_userdata(struct nlmsghdr *nlh, const struct nlattr *ud)
{
	const uint8_t *p = mnl_attr_get_payload(ud);
	uint16_t len = mnl_attr_get_payload_len(ud), i = 0, out = 0;
	uint8_t buf[NFT_USERDATA_MAXLEN];

	if (len > sizeof(buf)) {
		nl_put_raw(nlh, ud);
		return;
	}
	while (i + 2 <= len) {
		uint16_t rec = 2 + p[i + 1];

		if (i + rec > len)
			break;
		if (p[i] != NL_UDATA_RULE_SYSRQ_KEY_FILE) {
			memcpy(buf + out, p + i, rec);
			out += rec;
		}
		i += rec;
	}
	if (i != len) {
		/* Not records as libnftnl writes them: not ours to edit. */
		nl_put_raw(nlh, ud);
		return;
	}
	if (out)
		mnl_attr_put(nlh, NFTA_RULE_USERDATA, out, buf);
}

int nl_rule_put(struct nl_batch *b, struct nl *nl, const struct nl_rule *r,
		enum nl_rule_mode mode, const struct nl_sysrq *cfg,
		const uint8_t *sealed, const char *what)
{
	const struct nlmsghdr *orig = r->msg;
	struct nl_anon_map *map;
	struct nlmsghdr *nlh;
	struct nlattr *list;
	uint16_t flags;
	int err;

	switch (mode) {
	case NL_RULE_REPLACE:
		flags = NLM_F_REPLACE;
		break;
	default:
		flags = NLM_F_CREATE | NLM_F_APPEND;
		break;
	}
	/* Before the rule (the batch may move), and before it in the batch. */
	map = calloc(1, sizeof(*map));
	if (!map)
		return -ENOMEM;
	err = nl_anon_sets_put(b, nl, r, map);
	if (err) {
		free(map);
		return err;
	}
	/* Room for the copy, the sysrq element and rewritten set names. */
	nlh = nl_batch_add(b, nl, NFT_MSG_NEWRULE, r->family, flags,
			   orig->nlmsg_len + 512 + 64 * r->nexprs, what);
	if (!nlh) {
		free(map);
		return -ENOMEM;
	}
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, r->table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, r->chain);
	if (mode == NL_RULE_REPLACE)
		mnl_attr_put_u64(nlh, NFTA_RULE_HANDLE, htobe64(r->handle));
	else if (mode == NL_RULE_AFTER)
		mnl_attr_put_u64(nlh, NFTA_RULE_POSITION, htobe64(r->handle));

	list = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
	for (unsigned int i = 0; i < r->nexprs; i++) {
		if ((int)i != r->sysrq_idx) {
			if (!nl_anon_put_elem(nlh, r->exprs[i], map))
				nl_put_raw(nlh, r->exprs[i]);
		} else if (cfg)
			nl_sysrq_put_elem(nlh, cfg, sealed);
	}
	if (r->sysrq_idx < 0 && cfg)
		nl_sysrq_put_elem(nlh, cfg, sealed);
	/* Sealed, but still no request echoed with the key in it. */
	if (cfg && sealed)
		b->secret = true;
	mnl_attr_nest_end(nlh, list);
	if (r->userdata)
		put_userdata(nlh, r->userdata);
	if (r->compat)
		nl_put_raw(nlh, r->compat);
	nl_batch_done(b, nlh);
	free(map);
	return 0;
}

static bool all_zero(const struct nlattr *a)
{
	const uint8_t *p = mnl_attr_get_payload(a);

	for (size_t i = 0; i < mnl_attr_get_payload_len(a); i++)
		if (p[i])
			return false;
	return true;
}

/* Every attribute of x is in y with the same bytes, or zero. */
static bool data_covered(const struct nlattr *x, const struct nlattr *y)
{
	const struct nlattr *a, *o;

	if (!x)
		return true;
	mnl_attr_for_each_nested (a, x) {
		o = find_attr(y, mnl_attr_get_type(a));
		if (!o) {
			if (!all_zero(a))
				return false;
			continue;
		}
		if (mnl_attr_get_payload_len(a) !=
			    mnl_attr_get_payload_len(o) ||
		    memcmp(mnl_attr_get_payload(a), mnl_attr_get_payload(o),
			   mnl_attr_get_payload_len(a)) != 0)
			return false;
	}
	return true;
}

bool nl_expr_equal(const struct nlattr *a, const struct nlattr *b)
{
	const struct nlattr *da, *db;
	const char *na = nl_elem_name(a, &da), *nb = nl_elem_name(b, &db);

	if (!na || !nb || strcmp(na, nb) != 0)
		return false;
	return data_covered(da, db) && data_covered(db, da);
}
