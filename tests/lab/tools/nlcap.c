// SPDX-License-Identifier: GPL-2.0
/*
 * nlcap: what a netlink tap sees. Creates an nlmon device (the kernel's
 * netlink monitor; CAP_NET_ADMIN is all it needs), captures every netlink
 * message of the network namespace for a while, and says whether given
 * byte strings (keys) appeared in any of them.
 *
 *   nlcap [-t MS] IFNAME HEX...
 *
 * Captures until MS milliseconds (default 5000) have passed or SIGTERM/
 * SIGINT, then prints one line of totals and one line per HEX:
 *
 *   nlcap: 812 messages, 93412 bytes, 3 nf_tables NEWRULE, 1 with a sysrq sealed key
 *   nlcap: needle 0: 0 hits
 *
 * The NEWRULE counts show that the capture did see the arming, so a needle
 * with 0 hits means something. Exit 0; 2 on bad arguments; 1 on errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "labhex.h"

#define MAX_NEEDLES 8
#define NEEDLE_MAX  128
/* NFTA_SYSRQ_SEALED_KEY (9) with its 80 bytes: 84 bytes of attribute. */
#define SEALED_ATTR_LEN	 84
#define SEALED_ATTR_TYPE 9

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* RTM_NEWLINK/DELLINK for an nlmon device, with an ACK. */
static int rtnl_link(const char *ifname, int type, unsigned int flags)
{
	char buf[512] = { 0 }, ack[512];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct ifinfomsg *ifi;
	struct rtattr *rta, *info, *kind;
	size_t nl = strlen(ifname) + 1;
	int fd, n, err = -1;

	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	nlh->nlmsg_type = (unsigned short)type;
	nlh->nlmsg_flags = (unsigned short)(NLM_F_REQUEST | NLM_F_ACK | flags);
	ifi = NLMSG_DATA(nlh);
	ifi->ifi_family = AF_UNSPEC;
	if (type == RTM_NEWLINK) {
		ifi->ifi_flags = IFF_UP;
		ifi->ifi_change = IFF_UP;
	}
	rta = (struct rtattr *)(buf + NLMSG_ALIGN(nlh->nlmsg_len));
	rta->rta_type = IFLA_IFNAME;
	rta->rta_len = (unsigned short)RTA_LENGTH(nl);
	memcpy(RTA_DATA(rta), ifname, nl);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + RTA_ALIGN(rta->rta_len);
	if (type == RTM_NEWLINK) {
		info = (struct rtattr *)(buf + nlh->nlmsg_len);
		info->rta_type = IFLA_LINKINFO;
		kind = RTA_DATA(info);
		kind->rta_type = IFLA_INFO_KIND;
		kind->rta_len = RTA_LENGTH(sizeof("nlmon"));
		memcpy(RTA_DATA(kind), "nlmon", sizeof("nlmon"));
		info->rta_len =
			(unsigned short)RTA_LENGTH(RTA_ALIGN(kind->rta_len));
		nlh->nlmsg_len += RTA_ALIGN(info->rta_len);
	}

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	if (send(fd, buf, nlh->nlmsg_len, 0) < 0)
		goto out;
	n = (int)recv(fd, ack, sizeof(ack), 0);
	if (n >= (int)NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
		struct nlmsghdr *a = (struct nlmsghdr *)ack;
		struct nlmsgerr *e = NLMSG_DATA(a);

		if (a->nlmsg_type == NLMSG_ERROR)
			err = e->error;
	}
	if (err)
		fprintf(stderr, "nlcap: %s %s: %s\n",
			type == RTM_NEWLINK ? "creating" : "deleting", ifname,
			strerror(-err));
out:
	close(fd);
	return err;
}

static size_t count_hits(const unsigned char *p, size_t len,
			 const unsigned char *needle, size_t nlen)
{
	size_t hits = 0;

	for (size_t i = 0; nlen && i + nlen <= len; i++)
		if (!memcmp(p + i, needle, nlen))
			hits++;
	return hits;
}

/* Each nf_tables NEWRULE in a captured skb (a batch holds several). */
static void look_at(const unsigned char *p, size_t len, unsigned long *newrule,
		    unsigned long *sealed)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)p;
	/* The header (len, type) of a sealed key attribute. */
	const unsigned char attr[4] = { SEALED_ATTR_LEN, 0, SEALED_ATTR_TYPE,
					0 };
	int left = (int)len;

	for (; NLMSG_OK(nlh, left); nlh = NLMSG_NEXT(nlh, left)) {
		if (nlh->nlmsg_type !=
		    ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWRULE))
			continue;
		(*newrule)++;
		if (count_hits((const unsigned char *)nlh, nlh->nlmsg_len, attr,
			       sizeof(attr)))
			(*sealed)++;
	}
}

int main(int argc, char **argv)
{
	static unsigned char pkt[262144];
	unsigned char needle[MAX_NEEDLES][NEEDLE_MAX];
	size_t nlen[MAX_NEEDLES], hits[MAX_NEEDLES] = { 0 };
	unsigned long msgs = 0, bytes = 0, newrule = 0, sealed = 0;
	long long deadline, timeout = 5000;
	struct sockaddr_ll sll = { 0 };
	int opt, fd, nneedles, ifindex;
	const char *ifname;

	while ((opt = getopt(argc, argv, "t:")) != -1) {
		if (opt != 't')
			return 2;
		timeout = atoll(optarg);
	}
	if (argc - optind < 1 || argc - optind - 1 > MAX_NEEDLES) {
		fprintf(stderr, "usage: nlcap [-t MS] IFNAME HEX...\n");
		return 2;
	}
	ifname = argv[optind];
	nneedles = argc - optind - 1;
	for (int i = 0; i < nneedles; i++) {
		long l = lab_unhex(argv[optind + 1 + i], needle[i], NEEDLE_MAX);

		if (l <= 0) {
			fprintf(stderr, "nlcap: bad hex '%s'\n",
				argv[optind + 1 + i]);
			return 2;
		}
		nlen[i] = (size_t)l;
	}

	if (rtnl_link(ifname, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL))
		return 1;
	ifindex = (int)if_nametoindex(ifname);
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0 || !ifindex) {
		perror("nlcap: packet socket");
		rtnl_link(ifname, RTM_DELLINK, 0);
		return 1;
	}
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("nlcap: bind");
		rtnl_link(ifname, RTM_DELLINK, 0);
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	/* Ready: the caller may start what it wants captured. */
	printf("nlcap: capturing on %s\n", ifname);
	fflush(stdout);

	deadline = now_ms() + timeout;
	while (!stop && now_ms() < deadline) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = recv(fd, pkt, sizeof(pkt), MSG_DONTWAIT);
		if (n <= 0)
			continue;
		msgs++;
		bytes += (unsigned long)n;
		look_at(pkt, (size_t)n, &newrule, &sealed);
		for (int i = 0; i < nneedles; i++)
			hits[i] +=
				count_hits(pkt, (size_t)n, needle[i], nlen[i]);
	}
	close(fd);
	rtnl_link(ifname, RTM_DELLINK, 0);
	printf("nlcap: %lu messages, %lu bytes, %lu nf_tables NEWRULE, %lu "
	       "with a sysrq sealed key\n",
	       msgs, bytes, newrule, sealed);
	for (int i = 0; i < nneedles; i++)
		printf("nlcap: needle %d: %zu hits\n", i, hits[i]);
	return 0;
}
