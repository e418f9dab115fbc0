// SPDX-License-Identifier: GPL-2.0
/* Copies of a re-sent rule's anonymous sets (see nl_set.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlink/nl_set.h"

/* Expressions that name a set, and the attributes they name it with. */
static const struct {
	const char *expr;
	uint16_t name_attr, id_attr;
} set_refs[] = {
	{ "lookup", NFTA_LOOKUP_SET, NFTA_LOOKUP_SET_ID },
	{ "objref", NFTA_OBJREF_SET_NAME, NFTA_OBJREF_SET_ID },
	{ "dynset", NFTA_DYNSET_SET_NAME, NFTA_DYNSET_SET_ID },
};

/* The set elem refers to, or NULL; *ref says which set_refs entry. */
static const char *elem_set(const struct nlattr *elem, size_t *ref)
{
	const struct nlattr *data, *a;
	const char *name = nl_elem_name(elem, &data);

	if (!name || !data)
		return NULL;
	for (size_t i = 0; i < sizeof(set_refs) / sizeof(set_refs[0]); i++) {
		if (strcmp(name, set_refs[i].expr) != 0)
			continue;
		mnl_attr_for_each_nested (a, data) {
			if (mnl_attr_get_type(a) == set_refs[i].name_attr &&
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0) {
				*ref = i;
				return mnl_attr_get_str(a);
			}
		}
	}
	return NULL;
}

static int map_find(const struct nl_anon_map *map, const char *name)
{
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->v[i].name, name))
			return (int)i;
	return -1;
}

struct set_ctx {
	struct nlmsghdr *msg; /* copy of the GETSET answer */
};

static int set_cb(const struct nlmsghdr *nlh, void *data)
{
	struct set_ctx *s = data;

	free(s->msg);
	s->msg = malloc(nlh->nlmsg_len);
	if (!s->msg) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	memcpy(s->msg, nlh, nlh->nlmsg_len);
	return MNL_CB_OK;
}

struct elems_ctx {
	struct nl_batch *b;
	struct nl *nl;
	uint8_t family;
	const char *table, *copy, *what;
	uint32_t id;
	int err;
};

/* Each dumped message of elements becomes one NEWSETELEM of the copy. */
static int elems_cb(const struct nlmsghdr *nlh, void *data)
{
	struct elems_ctx *e = data;
	const struct nlattr *a;
	struct nlmsghdr *out;

	mnl_attr_for_each (a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) != NFTA_SET_ELEM_LIST_ELEMENTS)
			continue;
		out = nl_batch_add(e->b, e->nl, NFT_MSG_NEWSETELEM, e->family,
				   NLM_F_CREATE, nlh->nlmsg_len + 512, e->what);
		if (!out) {
			e->err = -ENOMEM;
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		mnl_attr_put_strz(out, NFTA_SET_ELEM_LIST_TABLE, e->table);
		mnl_attr_put_strz(out, NFTA_SET_ELEM_LIST_SET, e->copy);
		mnl_attr_put_u32(out, NFTA_SET_ELEM_LIST_SET_ID, htonl(e->id));
		nl_put_raw(out, a);
		nl_batch_done(e->b, out);
	}
	return MNL_CB_OK;
}

/*
 * NEWSET of a copy: the attributes a NEWSET takes, as dumped. Not the
 * name, handle or id, nor what newer kernels only dump (the backend
 * type, the element count: their policy rejects them).
 */
static int put_set_copy(struct nl_batch *b, struct nl *nl,
			const struct nl_rule *r, const struct nlmsghdr *set,
			const char *copy, uint32_t id, const char *what)
{
	const struct nlattr *a;
	struct nlmsghdr *out;

	out = nl_batch_add(b, nl, NFT_MSG_NEWSET, r->family, NLM_F_CREATE,
			   set->nlmsg_len + 512, what);
	if (!out)
		return -ENOMEM;
	mnl_attr_for_each (a, set, sizeof(struct nfgenmsg)) {
		switch (mnl_attr_get_type(a)) {
		case NFTA_SET_TABLE:
		case NFTA_SET_FLAGS:
		case NFTA_SET_KEY_TYPE:
		case NFTA_SET_KEY_LEN:
		case NFTA_SET_DATA_TYPE:
		case NFTA_SET_DATA_LEN:
		case NFTA_SET_POLICY:
		case NFTA_SET_DESC:
		case NFTA_SET_TIMEOUT:
		case NFTA_SET_GC_INTERVAL:
		case NFTA_SET_USERDATA:
		case NFTA_SET_OBJ_TYPE:
		case NFTA_SET_EXPR:
		case NFTA_SET_EXPRESSIONS:
			nl_put_raw(out, a);
			break;
		}
	}
	mnl_attr_put_strz(out, NFTA_SET_NAME, copy);
	mnl_attr_put_u32(out, NFTA_SET_ID, htonl(id));
	nl_batch_done(b, out);
	return 0;
}

static uint32_t set_flags(const struct nlmsghdr *set)
{
	const struct nlattr *a;

	mnl_attr_for_each (a, set, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) == NFTA_SET_FLAGS &&
		    mnl_attr_get_payload_len(a) == 4)
			return ntohl(mnl_attr_get_u32(a));
	}
	return 0;
}

int nl_anon_sets_put(struct nl_batch *b, struct nl *nl, const struct nl_rule *r,
		     struct nl_anon_map *map)
{
	char what[2 * NL_NAME_MAX + 64];

	map->n = 0;
	for (unsigned int i = 0; i < r->nexprs; i++) {
		struct set_ctx s = { NULL };
		struct elems_ctx e;
		const char *name;
		size_t ref, len;
		int err;

		name = elem_set(r->exprs[i], &ref);
		if (!name || map_find(map, name) >= 0)
			continue;
		err = nl_get(nl, NFT_MSG_GETSET, r->family, r->table,
			     NFTA_SET_NAME, name, false, set_cb, &s);
		if (!err && !s.msg)
			err = -EPROTO;
		if (err) {
			free(s.msg);
			return err;
		}
		if (!(set_flags(s.msg) & NFT_SET_ANONYMOUS)) {
			free(s.msg); /* a named set may have many users */
			continue;
		}
		/* "__set0" -> "__set%d": the kernel picks a free number. */
		snprintf(map->v[map->n].name, NL_NAME_MAX, "%s", name);
		len = strlen(name);
		while (len && name[len - 1] >= '0' && name[len - 1] <= '9')
			len--;
		snprintf(map->v[map->n].copy, NL_NAME_MAX, "%.*s%%d", (int)len,
			 name);
		map->v[map->n].id = ++b->next_id;
		snprintf(what, sizeof(what), "copy anonymous set %s of %s %s",
			 name, nl_family_name(r->family), r->table);
		err = put_set_copy(b, nl, r, s.msg, map->v[map->n].copy,
				   map->v[map->n].id, what);
		free(s.msg);
		if (err)
			return err;
		e = (struct elems_ctx){
			.b = b,
			.nl = nl,
			.family = r->family,
			.table = r->table,
			.copy = map->v[map->n].copy,
			.what = what,
			.id = map->v[map->n].id,
		};
		err = nl_get(nl, NFT_MSG_GETSETELEM, r->family, r->table,
			     NFTA_SET_ELEM_LIST_SET, name, true, elems_cb, &e);
		if (err)
			return e.err ? e.err : err;
		map->n++;
	}
	return 0;
}

bool nl_anon_put_elem(struct nlmsghdr *nlh, const struct nlattr *elem,
		      const struct nl_anon_map *map)
{
	const struct nlattr *data, *a;
	struct nlattr *e, *d;
	const char *name;
	size_t ref;
	int m;

	name = elem_set(elem, &ref);
	if (!name || (m = map_find(map, name)) < 0)
		return false;
	nl_elem_name(elem, &data);
	e = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
	mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, set_refs[ref].expr);
	d = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
	mnl_attr_for_each_nested (a, data) {
		uint16_t t = mnl_attr_get_type(a);

		if (t != set_refs[ref].name_attr && t != set_refs[ref].id_attr)
			nl_put_raw(nlh, a);
	}
	mnl_attr_put_strz(nlh, set_refs[ref].name_attr, map->v[m].copy);
	mnl_attr_put_u32(nlh, set_refs[ref].id_attr, htonl(map->v[m].id));
	mnl_attr_nest_end(nlh, d);
	mnl_attr_nest_end(nlh, e);
	return true;
}
