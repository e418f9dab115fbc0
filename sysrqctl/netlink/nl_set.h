/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Anonymous sets of a re-sent rule. `tcp dport { 80, 443 }` binds the
 * rule to an anonymous set that only one rule may use: the copy of the
 * rule gets a copy of the set (NEWSET "__set%d" + NEWSETELEM, same
 * transaction), and its set references are rewritten to the copy's
 * NFTA_SET_ID. The old set goes away with the old rule.
 */
#ifndef SYSRQCTL_NL_SET_H
#define SYSRQCTL_NL_SET_H

#include "netlink/nl.h"
#include "netlink/nl_rule.h"

struct nl_anon_map {
	size_t n;
	struct {
		char name[NL_NAME_MAX]; /* the original set */
		char copy[NL_NAME_MAX]; /* its copy's name, "__set%d" */
		uint32_t id;		/* NFTA_SET_ID of its copy */
	} v[NL_RULE_MAXEXPRS];
};

/*
 * Queue a copy of every anonymous set r refers to (lookup, objref and
 * dynset expressions) into the batch; map records them. 0 or -errno.
 */
int nl_anon_sets_put(struct nl_batch *b, struct nl *nl, const struct nl_rule *r,
		     struct nl_anon_map *map);

/*
 * When elem refers to a set in map, put a copy of elem that refers to
 * the set's copy instead and return true; else put nothing, false.
 */
bool nl_anon_put_elem(struct nlmsghdr *nlh, const struct nlattr *elem,
		      const struct nl_anon_map *map);

#endif
