/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rules at the raw netlink level. Stock libnftnl refuses a rule holding an
 * expression it does not know (sysrq), so rules are dumped and re-sent
 * here: every expression element is kept as the kernel dumped it and
 * copied verbatim, except the sysrq element, which is rebuilt.
 */
#ifndef SYSRQCTL_NL_RULE_H
#define SYSRQCTL_NL_RULE_H

#include <linux/netfilter/nft_sysrq.h>
#include <stdbool.h>
#include <stdint.h>

#include "netlink/nl.h"

#define NL_NAME_MAX	 256 /* NFT_NAME_MAXLEN */
#define NL_RULE_MAXEXPRS 128 /* NFT_RULE_MAXEXPRS */

/* The sysrq expression's settings, as dumped or as to be sent. */
struct nl_sysrq {
	bool has_name, has_allow, has_tolerance, has_output;
	char name[NFT_SYSRQ_NAME_MAXLEN + 1];
	char allow[NFT_SYSRQ_ALLOW_MAXLEN + 1];
	uint32_t tolerance;
	uint32_t output; /* bytes of output kept per request, 0: none */
	/* Dump only. */
	bool armed; /* a key id was dumped */
	uint8_t key_id[NFT_SYSRQ_KEY_ID_LEN];
	bool has_armed_at;
	uint64_t armed_at; /* ns since the epoch */
	bool has_counters;
	uint64_t counters[NFTA_SYSRQ_CTR_MAX + 1];
};

struct nl_rule {
	uint8_t family;
	char table[NL_NAME_MAX];
	char chain[NL_NAME_MAX];
	uint64_t handle;
	/* Attributes carried over verbatim; they point into msg. */
	const struct nlattr *userdata, *compat;
	const struct nlattr *exprs[NL_RULE_MAXEXPRS];
	unsigned int nexprs;
	int sysrq_idx;	       /* first sysrq element, -1: none */
	unsigned int nsysrq;   /* sysrq elements in the rule */
	struct nl_sysrq sysrq; /* the first one, parsed */
	void *msg;	       /* private copy of the dumped message */
};

struct nl_rules {
	struct nl_rule *v;
	size_t n, cap;
};

/*
 * Dump the rules of family (NFPROTO_UNSPEC: every family) and table (NULL:
 * every table), in kernel order. 0 or -errno.
 */
int nl_rules_dump(struct nl *nl, uint8_t family, const char *table,
		  struct nl_rules *out);
void nl_rules_free(struct nl_rules *rules);

/* Parse one NFT_MSG_NEWRULE message into r (copies it). 0 or -errno. */
int nl_rule_parse(const struct nlmsghdr *nlh, struct nl_rule *r);
/* Parse the NFTA_EXPR_DATA of a sysrq element. */
void nl_sysrq_parse(const struct nlattr *data, struct nl_sysrq *s);

/* Is expression i of r a sysrq element? Then parse it into s. */
bool nl_rule_sysrq_at(const struct nl_rule *r, unsigned int i,
		      struct nl_sysrq *s);

/* Counter names as list prints them, indexed by NFTA_SYSRQ_CTR_*. */
extern const char *const nl_sysrq_counter_names[NFTA_SYSRQ_CTR_MAX + 1];

/*
 * Why r cannot be re-sent, or NULL. Anonymous chains (`jump { ... }`,
 * "__chain%d") are bound to the rule that jumps to them: that rule would
 * need its chain re-created with it (nl_rule_put does not), and the
 * kernel refuses to replace the rules inside such a chain.
 */
const char *nl_rule_unsendable(const struct nl_rule *r);

/* How nl_rule_put sends the rule. */
enum nl_rule_mode {
	NL_RULE_REPLACE, /* NLM_F_REPLACE on the rule's handle */
	NL_RULE_AFTER,	 /* a new rule right after the rule's handle */
	NL_RULE_APPEND,	 /* a new rule at the end of the chain */
};

/*
 * Add a NEWRULE for r to the batch: r's userdata (less nft's key-file
 * record), compat and expressions copied verbatim, except its sysrq
 * element, rebuilt from cfg with sealed, the key sealed to the module
 * (NFT_SYSRQ_SEALED_KEY_LEN bytes; NULL: unarmed). cfg NULL drops the sysrq element. When r has no sysrq
 * element and cfg is given, the sysrq element is appended last.
 * 0 or -errno.
 */
int nl_rule_put(struct nl_batch *b, struct nl *nl, const struct nl_rule *r,
		enum nl_rule_mode mode, const struct nl_sysrq *cfg,
		const uint8_t *sealed, const char *what);

/* Copy an attribute as it is (header, payload, padding) into nlh. */
void nl_put_raw(struct nlmsghdr *nlh, const struct nlattr *a);
/* The NFTA_EXPR_NAME of an expression element (and its data), or NULL. */
const char *nl_elem_name(const struct nlattr *elem, const struct nlattr **data);

/*
 * Put a sysrq expression element (NFTA_LIST_ELEM) into nlh, armed with
 * the sealed key (NFT_SYSRQ_SEALED_KEY_LEN bytes) unless it is NULL.
 */
void nl_sysrq_put_elem(struct nlmsghdr *nlh, const struct nl_sysrq *cfg,
		       const uint8_t *sealed);

/*
 * True when two expression elements mean the same: same name and the same
 * data attributes, an attribute absent on one side counting as zero.
 */
bool nl_expr_equal(const struct nlattr *a, const struct nlattr *b);

/* "inet", "ip", "ip6", ...; "?" for others. */
const char *nl_family_name(uint8_t family);
/* The NFPROTO_* of a family name, or -1. */
int nl_family_parse(const char *name);

#endif
