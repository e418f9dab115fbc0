// SPDX-License-Identifier: GPL-2.0
/* enable's table, chain and match, built with libnftnl. */
#include <arpa/inet.h>
#include <errno.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "netlink/nl_build.h"

static struct nftnl_expr *expr_new(const char *name)
{
	struct nftnl_expr *e = nftnl_expr_alloc(name);

	if (!e) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(EXIT_FAIL);
	}
	return e;
}

static void add_meta(struct nftnl_rule *r, uint32_t key)
{
	struct nftnl_expr *e = expr_new("meta");

	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	nftnl_rule_add_expr(r, e);
}

static void add_payload(struct nftnl_rule *r, uint32_t base, uint32_t off,
			uint32_t len)
{
	struct nftnl_expr *e = expr_new("payload");

	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	nftnl_rule_add_expr(r, e);
}

static void add_cmp(struct nftnl_rule *r, const void *data, uint32_t len)
{
	struct nftnl_expr *e = expr_new("cmp");

	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	nftnl_rule_add_expr(r, e);
}

static void add_mask(struct nftnl_rule *r, const uint8_t *mask, uint32_t len)
{
	static const uint8_t zero[16];
	struct nftnl_expr *e = expr_new("bitwise");

	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_OP, NFT_BITWISE_BOOL);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, zero, len);
	nftnl_rule_add_expr(r, e);
}

int nl_match_template(uint8_t family, const char *table, const char *chain,
		      uint16_t port, const struct nl_cidr *src,
		      struct nl_rule *out)
{
	char buf[4096];
	struct nftnl_rule *r;
	struct nlmsghdr *nlh;
	uint8_t proto = IPPROTO_UDP;
	uint16_t nport = htons(port);
	int err;

	if (src && family != NFPROTO_INET && src->family != family) {
		fprintf(stderr,
			"%s enable: source %s does not fit a table of family "
			"%s\n",
			prog, src->text, nl_family_name(family));
		return -1;
	}
	r = nftnl_rule_alloc();
	if (!r) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return -1;
	}
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, family);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	/* A template has no handle; 0 is never a real one. */
	nftnl_rule_set_u64(r, NFTNL_RULE_HANDLE, 0);

	if (src) {
		bool v4 = src->family == NFPROTO_IPV4;
		uint32_t alen = v4 ? 4 : 16;
		uint8_t mask[16] = { 0 };

		/* What nft emits for "ip saddr" in an inet table. */
		if (family == NFPROTO_INET) {
			uint8_t nfproto = src->family;

			add_meta(r, NFT_META_NFPROTO);
			add_cmp(r, &nfproto, 1);
		}
		add_payload(r, NFT_PAYLOAD_NETWORK_HEADER, v4 ? 12 : 8, alen);
		if (src->prefix < alen * 8) {
			for (unsigned int i = 0; i < src->prefix; i++)
				mask[i / 8] |= (uint8_t)(0x80 >> (i % 8));
			add_mask(r, mask, alen);
		}
		add_cmp(r, src->addr, alen);
	}
	add_meta(r, NFT_META_L4PROTO);
	add_cmp(r, &proto, 1);
	add_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
	add_cmp(r, &nport, 2);

	/* Padding bytes are compared with the kernel's dump: zero them. */
	memset(buf, 0, sizeof(buf));
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_NEWRULE, family, 0, 0);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	/* Parse what libnftnl built, so the copier sends it like any rule. */
	err = nl_rule_parse(nlh, out);
	if (err) {
		fprintf(stderr, "%s: cannot build the rule: %s\n", prog,
			strerror(-err));
		return -1;
	}
	return 0;
}

void nl_match_text(uint16_t port, const struct nl_cidr *src, char *out,
		   size_t len)
{
	if (src)
		snprintf(out, len, "%s saddr %s udp dport %u",
			 src->family == NFPROTO_IPV4 ? "ip" : "ip6", src->text,
			 port);
	else
		snprintf(out, len, "udp dport %u", port);
}

/* The userdata of our tables, as libnftnl writes a table comment. */
static struct nftnl_udata_buf *table_udata(void)
{
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(256);

	if (u)
		nftnl_udata_put_strz(u, NFTNL_UDATA_TABLE_COMMENT,
				     NL_TABLE_COMMENT);
	return u;
}

struct table_ctx {
	bool ours;
};

static int table_cb(const struct nlmsghdr *nlh, void *data)
{
	struct table_ctx *t = data;
	struct nftnl_udata_buf *u;
	const struct nlattr *a;

	mnl_attr_for_each (a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) != NFTA_TABLE_USERDATA)
			continue;
		u = table_udata();
		if (u &&
		    mnl_attr_get_payload_len(a) == nftnl_udata_buf_len(u) &&
		    !memcmp(mnl_attr_get_payload(a), nftnl_udata_buf_data(u),
			    nftnl_udata_buf_len(u)))
			t->ours = true;
		nftnl_udata_buf_free(u);
	}
	return MNL_CB_OK;
}

int nl_table_get(struct nl *nl, uint8_t family, const char *table, bool *ours)
{
	struct table_ctx t = { false };
	int err;

	err = nl_get(nl, NFT_MSG_GETTABLE, family, table, 0, NULL, false,
		     table_cb, &t);
	if (err == -ENOENT)
		return 0;
	if (err)
		return err;
	*ours = t.ours;
	return 1;
}

int nl_put_table(struct nl_batch *b, struct nl *nl, uint8_t family,
		 const char *table)
{
	struct nftnl_udata_buf *u = table_udata();
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;
	char what[NL_NAME_MAX + 64];

	snprintf(what, sizeof(what), "create table %s %s",
		 nl_family_name(family), table);
	nlh = nl_batch_add(b, nl, NFT_MSG_NEWTABLE, family, NLM_F_CREATE, 1024,
			   what);
	if (!u || !t || !nlh) {
		nftnl_udata_buf_free(u);
		nftnl_table_free(t);
		return -ENOMEM;
	}
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, table);
	nftnl_table_set_data(t, NFTNL_TABLE_USERDATA, nftnl_udata_buf_data(u),
			     nftnl_udata_buf_len(u));
	nftnl_table_nlmsg_build_payload(nlh, t);
	nl_batch_done(b, nlh);
	nftnl_table_free(t);
	nftnl_udata_buf_free(u);
	return 0;
}

int nl_put_input_chain(struct nl_batch *b, struct nl *nl, uint8_t family,
		       const char *table, const char *chain)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;
	char what[2 * NL_NAME_MAX + 64];

	snprintf(what, sizeof(what), "create chain %s %s %s",
		 nl_family_name(family), table, chain);
	nlh = nl_batch_add(b, nl, NFT_MSG_NEWCHAIN, family, NLM_F_CREATE, 1024,
			   what);
	if (!c || !nlh) {
		nftnl_chain_free(c);
		return -ENOMEM;
	}
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, chain);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, NF_INET_LOCAL_IN);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, 0);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nl_batch_done(b, nlh);
	nftnl_chain_free(c);
	return 0;
}

int nl_put_deltable(struct nl_batch *b, struct nl *nl, uint8_t family,
		    const char *table)
{
	struct nlmsghdr *nlh;
	char what[NL_NAME_MAX + 64];

	snprintf(what, sizeof(what), "delete table %s %s",
		 nl_family_name(family), table);
	nlh = nl_batch_add(b, nl, NFT_MSG_DELTABLE, family, 0, 512, what);
	if (!nlh)
		return -ENOMEM;
	mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, table);
	nl_batch_done(b, nlh);
	return 0;
}
