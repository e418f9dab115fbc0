// SPDX-License-Identifier: GPL-2.0
/* nfnetlink socket, dumps and atomic batches (libmnl). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include "netlink/nl.h"
#include "netlink/nl_err.h"

/* Room for a burst of dump messages (the kernel fills up to 32 KiB). */
#define NL_RECV_BUF (256 * 1024)

int nl_open(struct nl *nl)
{
	/* A kernel that never answers must not hang the admin's shell. */
	const struct timeval tmo = { .tv_sec = 10 };
	int one = 1;

	nl->sk = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl->sk)
		return -errno;
	/* Extended acks name the attribute the kernel rejected. */
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	/*
	 * Errors must not echo our request back: it may hold a key. Where
	 * this fails, nl_batch_commit() sends no key (see nl.h).
	 */
	nl->cap_ack = mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one,
					    sizeof(one)) == 0;
	setsockopt(mnl_socket_get_fd(nl->sk), SOL_SOCKET, SO_RCVTIMEO, &tmo,
		   sizeof(tmo));
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = -errno;

		mnl_socket_close(nl->sk);
		nl->sk = NULL;
		return err;
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = (uint32_t)time(NULL);
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	nl->sk = NULL;
}

static struct nlmsghdr *put_header(char *buf, uint16_t type, uint8_t family,
				   uint16_t flags, uint32_t seq,
				   uint16_t res_id)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(res_id);
	return nlh;
}

static uint16_t nft_type(uint16_t msg)
{
	return (NFNL_SUBSYS_NFTABLES << 8) | msg;
}

/* Receive until the answer to seq is complete; cb sees each data message. */
static int run_request(struct nl *nl, const struct nlmsghdr *req, mnl_cb_t cb,
		       void *data)
{
	static char buf[NL_RECV_BUF];
	ssize_t n;
	int ret;

	if (mnl_socket_sendto(nl->sk, req, req->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nl->sk, buf, sizeof(buf));
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		ret = mnl_cb_run(buf, n, req->nlmsg_seq, nl->portid, cb, data);
		if (ret < 0)
			return -errno;
		if (ret == MNL_CB_STOP)
			return 0;
	}
}

struct genid_ctx {
	uint32_t genid;
	bool found;
};

static int genid_cb(const struct nlmsghdr *nlh, void *data)
{
	struct genid_ctx *g = data;
	struct nlattr *attr;

	mnl_attr_for_each (attr, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(attr) == NFTA_GEN_ID &&
		    mnl_attr_validate(attr, MNL_TYPE_U32) == 0) {
			g->genid = ntohl(mnl_attr_get_u32(attr));
			g->found = true;
		}
	}
	return MNL_CB_OK;
}

int nl_get_genid(struct nl *nl, uint32_t *genid)
{
	char buf[256];
	struct genid_ctx g = { 0 };
	struct nlmsghdr *nlh;
	int err;

	nlh = put_header(buf, nft_type(NFT_MSG_GETGEN), NFPROTO_UNSPEC,
			 NLM_F_ACK, ++nl->seq, 0);
	err = run_request(nl, nlh, genid_cb, &g);
	if (err)
		return err;
	if (!g.found)
		return -EPROTO;
	*genid = g.genid;
	return 0;
}

int nl_dump(struct nl *nl, uint16_t type, uint8_t family, const char *table,
	    mnl_cb_t cb, void *data)
{
	char buf[512];
	struct nlmsghdr *nlh;
	int err, tries;

	/* A dump interrupted by a concurrent change is restarted (bounded). */
	for (tries = 0; tries < 5; tries++) {
		nlh = put_header(buf, nft_type(type), family,
				 NLM_F_DUMP | NLM_F_ACK, ++nl->seq, 0);
		if (table)
			mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, table);
		err = run_request(nl, nlh, cb, data);
		if (err != -EINTR)
			return err;
	}
	return -EINTR;
}

static int ignore_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

int nl_get(struct nl *nl, uint16_t type, uint8_t family, const char *table,
	   uint16_t name_attr, const char *name, bool dump, mnl_cb_t cb,
	   void *data)
{
	char buf[1024];
	struct nlmsghdr *nlh;

	nlh = put_header(buf, nft_type(type), family,
			 NLM_F_ACK | (dump ? NLM_F_DUMP : 0), ++nl->seq, 0);
	/* The table is attribute 1 in every nf_tables message. */
	mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, table);
	if (name)
		mnl_attr_put_strz(nlh, name_attr, name);
	return run_request(nl, nlh, cb ? cb : ignore_cb, data);
}

/* --- batches --- */

static int batch_reserve(struct nl_batch *b, size_t need)
{
	char *p;
	size_t cap = b->cap ? b->cap : 16384;

	if (b->len + need <= b->cap)
		return 0;
	while (cap < b->len + need)
		cap *= 2;
	/* Not realloc: the old buffer may hold a key and is wiped first. */
	p = calloc(1, cap);
	if (!p)
		return -ENOMEM;
	if (b->buf) {
		memcpy(p, b->buf, b->len);
		explicit_bzero(b->buf, b->cap);
		free(b->buf);
	}
	b->buf = p;
	b->cap = cap;
	return 0;
}

int nl_batch_init(struct nl_batch *b, struct nl *nl, uint32_t genid)
{
	struct nlmsghdr *nlh;

	memset(b, 0, sizeof(*b));
	if (batch_reserve(b, 512))
		return -ENOMEM;
	b->first_seq = ++nl->seq;
	nlh = put_header(b->buf, NFNL_MSG_BATCH_BEGIN, NFPROTO_UNSPEC, 0,
			 b->first_seq, NFNL_SUBSYS_NFTABLES);
	if (genid)
		mnl_attr_put_u32(nlh, NFNL_BATCH_GENID, htonl(genid));
	b->len = nlh->nlmsg_len;
	return 0;
}

void nl_batch_free(struct nl_batch *b)
{
	if (b->buf)
		explicit_bzero(b->buf, b->cap);
	free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
}

struct nlmsghdr *nl_batch_add(struct nl_batch *b, struct nl *nl, uint16_t type,
			      uint8_t family, uint16_t flags, size_t need,
			      const char *what)
{
	struct nl_batch_msg *m;
	struct nlmsghdr *nlh;

	if (b->nmsgs >= NL_BATCH_MAX_MSGS || batch_reserve(b, need + 64))
		return NULL;
	m = &b->msgs[b->nmsgs++];
	m->seq = ++nl->seq;
	m->off = b->len;
	snprintf(m->what, sizeof(m->what), "%s", what);
	nlh = put_header(b->buf + b->len, nft_type(type), family,
			 flags | NLM_F_ACK, m->seq, 0);
	b->len += nlh->nlmsg_len;
	return nlh;
}

void nl_batch_done(struct nl_batch *b, struct nlmsghdr *nlh)
{
	b->len = (size_t)((char *)nlh - b->buf) + nlh->nlmsg_len;
}

static struct nl_batch_msg *batch_find(struct nl_batch *b, uint32_t seq)
{
	for (size_t i = 0; i < b->nmsgs; i++)
		if (b->msgs[i].seq == seq)
			return &b->msgs[i];
	return NULL;
}

static int batch_commit(struct nl_batch *b, struct nl *nl, char *rbuf,
			size_t rbuf_len)
{
	size_t acked = 0;
	int first_err = 0;
	struct nlmsghdr *nlh;
	ssize_t n;
	int len;

	if (b->secret && !nl->cap_ack) {
		nl_err_report(-EPROTO,
			      "send a key: this kernel does not cap netlink "
			      "error messages (NETLINK_CAP_ACK), so an error "
			      "would echo the key back",
			      NULL, NULL);
		return -EPROTO;
	}
	if (batch_reserve(b, 64))
		return -ENOMEM;
	nlh = put_header(b->buf + b->len, NFNL_MSG_BATCH_END, NFPROTO_UNSPEC, 0,
			 ++nl->seq, NFNL_SUBSYS_NFTABLES);
	b->len += nlh->nlmsg_len;

	if (mnl_socket_sendto(nl->sk, b->buf, b->len) < 0) {
		int err = -errno;

		nl_err_report(err, "send the nf_tables batch", NULL, NULL);
		return err;
	}
	/*
	 * Every message asked for an ack; the kernel delivers them after the
	 * whole batch was processed (committed or aborted). A commit or
	 * generation failure is acked on the begin message, before them.
	 */
	while (acked < b->nmsgs) {
		n = mnl_socket_recvfrom(nl->sk, rbuf, rbuf_len);
		if (n < 0) {
			int err = errno == EAGAIN ? -ETIMEDOUT : -errno;

			nl_err_report(err, "receive the kernel's answer", NULL,
				      NULL);
			return err;
		}
		len = (int)n;
		for (nlh = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *e;
			struct nl_batch_msg *m;
			int err;

			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			e = mnl_nlmsg_get_payload(nlh);
			err = e->error;
			if (nlh->nlmsg_seq == b->first_seq) {
				if (!err)
					continue;
				/* The caller retries a generation mismatch. */
				if (err != -ERESTART && !b->quiet)
					nl_err_report_ack(
						err,
						"commit the nf_tables batch",
						nlh, NULL, 0);
				return err;
			}
			m = batch_find(b, nlh->nlmsg_seq);
			if (!m)
				continue;
			acked++;
			if (err && !first_err) {
				/* The first failure is the cause; later ones follow from it. */
				const struct nlmsghdr *sent =
					(const struct nlmsghdr *)(b->buf +
								  m->off);

				if (!b->quiet)
					nl_err_report_ack(err, m->what, nlh,
							  sent,
							  sent->nlmsg_len);
				first_err = err;
			}
		}
	}
	return first_err;
}

int nl_batch_commit(struct nl_batch *b, struct nl *nl)
{
	static char rbuf[NL_RECV_BUF];
	int err = batch_commit(b, nl, rbuf, sizeof(rbuf));

	/* Capped acks echo nothing of ours; the buffer is wiped all the same. */
	explicit_bzero(rbuf, sizeof(rbuf));
	return err;
}
