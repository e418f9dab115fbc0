// SPDX-License-Identifier: GPL-2.0
/*
 * nfdump: the kernel's raw nf_tables rule dump (NFT_MSG_GETRULE, every
 * family), one netlink message per line in hex. No parsing at all, so a
 * test can search it for bytes that must never leave the kernel (keys)
 * and for bytes that must (key ids). Exit 0, or 1 on a netlink error.
 */
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int print_msg(const struct nlmsghdr *nlh, void *data)
{
	const unsigned char *p = (const unsigned char *)nlh;

	(void)data;
	for (unsigned int i = 0; i < nlh->nlmsg_len; i++)
		printf("%02x", p[i]);
	printf("\n");
	return MNL_CB_OK;
}

int main(void)
{
	static char buf[1 << 16];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;
	unsigned int seq = (unsigned int)time(NULL), portid;
	int ret;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nfdump: netlink");
		return 1;
	}
	portid = mnl_socket_get_portid(nl);
	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETRULE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = NFPROTO_UNSPEC;
	nfg->version = NFNETLINK_V0;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("nfdump: send");
		return 1;
	}
	while ((ret = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		ret = mnl_cb_run(buf, (size_t)ret, seq, portid, print_msg,
				 NULL);
		if (ret <= 0)
			break;
	}
	mnl_socket_close(nl);
	if (ret < 0) {
		perror("nfdump: dump");
		return 1;
	}
	return 0;
}
