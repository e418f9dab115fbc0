// SPDX-License-Identifier: GPL-2.0
/* Kernel errors of nf_tables requests as one clear line on stderr. */
#include <errno.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nft_sysrq.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "netlink/nl_err.h"

const char *nl_err_hint(int err)
{
	switch (-err) {
	case EPERM:
		return "nf_tables needs CAP_NET_ADMIN, and a sysrq expression "
		       "needs CAP_SYS_BOOT in the initial user namespace, in a "
		       "network namespace that namespace owns (a container's "
		       "own user namespace is not enough)";
	case EBUSY:
		return "the object is in use (a rule bound to an anonymous "
		       "set, "
		       "or a table owned by another process)";
	case EEXIST:
		return "it exists already";
	case EAFNOSUPPORT:
		return "this kernel's nf_tables lacks that family";
	case EOPNOTSUPP:
		return "this kernel's nf_tables does not support it";
	case ETIMEDOUT:
		return "the kernel did not answer within 10 s";
	case ERESTART:
		return "the ruleset kept changing under sysrqctl; run it again";
	case ENOBUFS:
	case EMSGSIZE:
		return "the request is too large";
	default:
		return "";
	}
}

static const char *const rule_attrs[] = {
	[NFTA_RULE_TABLE] = "NFTA_RULE_TABLE",
	[NFTA_RULE_CHAIN] = "NFTA_RULE_CHAIN",
	[NFTA_RULE_HANDLE] = "NFTA_RULE_HANDLE",
	[NFTA_RULE_EXPRESSIONS] = "NFTA_RULE_EXPRESSIONS",
	[NFTA_RULE_COMPAT] = "NFTA_RULE_COMPAT",
	[NFTA_RULE_POSITION] = "NFTA_RULE_POSITION",
	[NFTA_RULE_USERDATA] = "NFTA_RULE_USERDATA",
	[NFTA_RULE_ID] = "NFTA_RULE_ID",
};

static const char *const table_attrs[] = {
	[NFTA_TABLE_NAME] = "NFTA_TABLE_NAME",
	[NFTA_TABLE_FLAGS] = "NFTA_TABLE_FLAGS",
	[NFTA_TABLE_USERDATA] = "NFTA_TABLE_USERDATA",
};

static const char *const chain_attrs[] = {
	[NFTA_CHAIN_TABLE] = "NFTA_CHAIN_TABLE",
	[NFTA_CHAIN_NAME] = "NFTA_CHAIN_NAME",
	[NFTA_CHAIN_HOOK] = "NFTA_CHAIN_HOOK",
	[NFTA_CHAIN_POLICY] = "NFTA_CHAIN_POLICY",
	[NFTA_CHAIN_TYPE] = "NFTA_CHAIN_TYPE",
	[NFTA_CHAIN_FLAGS] = "NFTA_CHAIN_FLAGS",
};

static const char *const sysrq_attrs[] = {
	[NFTA_SYSRQ_KEY] = "NFTA_SYSRQ_KEY",
	[NFTA_SYSRQ_NAME] = "NFTA_SYSRQ_NAME",
	[NFTA_SYSRQ_ALLOW] = "NFTA_SYSRQ_ALLOW",
	[NFTA_SYSRQ_TOLERANCE] = "NFTA_SYSRQ_TOLERANCE",
	[NFTA_SYSRQ_KEY_ID] = "NFTA_SYSRQ_KEY_ID",
	[NFTA_SYSRQ_ARMED_AT] = "NFTA_SYSRQ_ARMED_AT",
	[NFTA_SYSRQ_COUNTERS] = "NFTA_SYSRQ_COUNTERS",
	[NFTA_SYSRQ_SEALED_KEY] = "NFTA_SYSRQ_SEALED_KEY",
	[NFTA_SYSRQ_OUTPUT] = "NFTA_SYSRQ_OUTPUT",
};

#define NAMED(tbl, t)                                                          \
	((t) < sizeof(tbl) / sizeof((tbl)[0]) && (tbl)[t] ? (tbl)[t] : NULL)

static void append(char *out, size_t outlen, const char *s, unsigned int t)
{
	size_t used = strlen(out);

	if (used >= outlen - 1)
		return;
	if (s)
		snprintf(out + used, outlen - used, "%s%s", used ? " > " : "",
			 s);
	else
		snprintf(out + used, outlen - used, "%sattribute %u",
			 used ? " > " : "", t);
}

/* The attribute of the stream [start, start+len) containing offset off. */
static const struct nlattr *attr_at(const char *base, size_t start, size_t len,
				    size_t off)
{
	const struct nlattr *a = (const struct nlattr *)(base + start);
	int rem = (int)len;

	for (; mnl_attr_ok(a, rem); a = mnl_attr_next(a)) {
		size_t s = (size_t)((const char *)a - base);

		rem = (int)(start + len - s);
		if (!mnl_attr_ok(a, rem))
			break;
		if (off >= s && off < s + a->nla_len)
			return a;
	}
	return NULL;
}

static const char *expr_name(const struct nlattr *elem)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested (a, elem) {
		if (mnl_attr_get_type(a) == NFTA_EXPR_NAME)
			return mnl_attr_get_str(a);
	}
	return "?";
}

void nl_attr_path(const struct nlmsghdr *nlh, size_t off, char *out,
		  size_t outlen)
{
	const char *base = (const char *)nlh;
	size_t start = sizeof(*nlh) + sizeof(struct nfgenmsg);
	uint16_t msg = nlh->nlmsg_type & 0xff;
	const struct nlattr *a, *e;
	char buf[96];
	unsigned int t;

	out[0] = '\0';
	if (off < start || off >= nlh->nlmsg_len)
		return;
	a = attr_at(base, start, nlh->nlmsg_len - start, off);
	if (!a)
		return;
	t = mnl_attr_get_type(a);
	if (msg == NFT_MSG_NEWTABLE || msg == NFT_MSG_DELTABLE)
		append(out, outlen, NAMED(table_attrs, t), t);
	else if (msg == NFT_MSG_NEWCHAIN || msg == NFT_MSG_DELCHAIN)
		append(out, outlen, NAMED(chain_attrs, t), t);
	else if (msg == NFT_MSG_NEWRULE || msg == NFT_MSG_DELRULE)
		append(out, outlen, NAMED(rule_attrs, t), t);
	else
		append(out, outlen, NULL, t);
	if (!(msg == NFT_MSG_NEWRULE && t == NFTA_RULE_EXPRESSIONS))
		return;

	/* Inside the expression list: which element, which attribute. */
	{
		unsigned int idx = 0;
		size_t s;

		mnl_attr_for_each_nested (e, a) {
			size_t es = (size_t)((const char *)e - base);

			idx++;
			if (off < es || off >= es + e->nla_len)
				continue;
			snprintf(buf, sizeof(buf), "expression %u (%s)", idx,
				 expr_name(e));
			append(out, outlen, buf, 0);
			if (off == es)
				return;
			a = attr_at(base, es + MNL_ATTR_HDRLEN,
				    e->nla_len - MNL_ATTR_HDRLEN, off);
			if (!a || mnl_attr_get_type(a) != NFTA_EXPR_DATA) {
				if (a)
					append(out, outlen,
					       mnl_attr_get_type(a) ==
							       NFTA_EXPR_NAME ?
						       "NFTA_EXPR_NAME" :
						       NULL,
					       mnl_attr_get_type(a));
				return;
			}
			append(out, outlen, "NFTA_EXPR_DATA", 0);
			s = (size_t)((const char *)a - base);
			if (off == s)
				return;
			a = attr_at(base, s + MNL_ATTR_HDRLEN,
				    a->nla_len - MNL_ATTR_HDRLEN, off);
			if (!a)
				return;
			t = mnl_attr_get_type(a);
			append(out, outlen,
			       strcmp(expr_name(e), NFT_SYSRQ_EXPR_NAME) ?
				       NULL :
				       NAMED(sysrq_attrs, t),
			       t);
			return;
		}
	}
}

static bool ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), e = strlen(end);

	return n >= e && !strcmp(s + n - e, end);
}

void nl_err_report(int err, const char *what, const char *attr,
		   const char *kmsg)
{
	const char *hint = nl_err_hint(err);
	bool sysrq = attr && strstr(attr, "(" NFT_SYSRQ_EXPR_NAME ")");

	/* nf_tables reports an expression type it cannot load as ENOENT. */
	if (sysrq && err == -EPERM)
		hint = "creating a sysrq expression needs CAP_SYS_BOOT in the "
		       "initial user namespace, in a network namespace that "
		       "namespace owns (a container's own user namespace is "
		       "not enough)";
	else if (sysrq && err == -ENOENT)
		hint = "the nft_sysrq module is not available: modprobe "
		       "nft_sysrq";
	/* The module opens the sealed key with the key pair of its load. */
	else if (sysrq && err == -EINVAL &&
		 ends_with(attr, "NFTA_SYSRQ_SEALED_KEY"))
		hint = "the module could not open the sealed key (was it "
		       "reloaded since its public key was read? run again)";
	else if (sysrq && err == -EINVAL && ends_with(attr, "NFTA_SYSRQ_KEY"))
		hint = "the module takes keys only sealed "
		       "(NFTA_SYSRQ_SEALED_KEY)";
	/* Reading needs CAP_NET_ADMIN only; the sysrq expression more. */
	else if (err == -EPERM && !sysrq && strncmp(what, "add", 3) != 0 &&
		 strncmp(what, "replace", 7) != 0)
		hint = "nf_tables needs CAP_NET_ADMIN (run as root)";
	/* The expression's family check and its chain validation. */
	else if (err == -EOPNOTSUPP && strstr(what, "rule"))
		hint = "the sysrq expression is only valid in ip, ip6 and inet "
		       "tables, in chains on the input hook";
	fprintf(stderr, "%s: cannot %s: %s", prog, what, strerror(-err));
	if (attr && *attr)
		fprintf(stderr, " (in %s)", attr);
	if (kmsg && *kmsg)
		fprintf(stderr, " (kernel: %s)", kmsg);
	if (*hint)
		fprintf(stderr, "; %s", hint);
	fputc('\n', stderr);
}

void nl_err_report_ack(int err, const char *what, const struct nlmsghdr *ack,
		       const struct nlmsghdr *sent, size_t sent_len)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(ack);
	const char *kmsg = NULL;
	char path[256] = "";
	const struct nlattr *a;
	size_t tlv_off;

	if (ack->nlmsg_flags & NLM_F_ACK_TLVS) {
		/* TLVs follow the echoed request (only its header if capped). */
		tlv_off = sizeof(*e);
		if (!(ack->nlmsg_flags & NLM_F_CAPPED))
			tlv_off += MNL_ALIGN(e->msg.nlmsg_len - sizeof(e->msg));
		mnl_attr_for_each (a, ack, tlv_off) {
			switch (mnl_attr_get_type(a)) {
			case NLMSGERR_ATTR_MSG:
				kmsg = mnl_attr_get_str(a);
				break;
			case NLMSGERR_ATTR_OFFS:
				if (sent && mnl_attr_get_u32(a) < sent_len)
					nl_attr_path(sent, mnl_attr_get_u32(a),
						     path, sizeof(path));
				break;
			}
		}
	}
	nl_err_report(err, what, path, kmsg);
}
