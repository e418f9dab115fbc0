// SPDX-License-Identifier: GPL-2.0
/*
 * The sockets of send: unconnected UDP sockets shared by the hosts, at
 * most SEND_HOSTS_PER_SOCKET each, in SEND_SOURCES sets: each host sends
 * from one socket of each set (SEND_SOURCES source ports of its own
 * choosing, for loss), so that 10,000 hosts need some 640 descriptors
 * rather than 40,000 (and as many source ports). The open
 * files soft limit is raised toward the hard limit when even that is too
 * many; when the hard limit is too low, one line says so before anything
 * is sent.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "client/send.h"

/* Descriptors besides the sockets: stdio, key files, the resolver. */
#define FD_SLACK 64
/* Asked for; the kernel caps it at net.core.rmem_max. */
#define RCVBUF (1 << 20)

static size_t div_up(size_t a, size_t b)
{
	return (a + b - 1) / b;
}

/* Raise the soft limit to `need` if the hard limit allows; never lower it. */
static void raise_nofile(size_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= need)
		return;
	rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need ?
			      rl.rlim_max :
			      need;
	setrlimit(RLIMIT_NOFILE, &rl);
}

static int open_one(int family)
{
	int fd, size = RCVBUF, one = 1;

	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    IPPROTO_UDP);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	/*
	 * An unconnected socket hears of ICMP errors only this way: each
	 * comes with the datagram it answers, which names the host.
	 */
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof(one));
	else
		setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
	return fd;
}

int pool_open(struct send_pool *p, struct send_host *hosts, size_t n,
	      char err[ERR_LEN])
{
	const int fam[2] = { AF_INET, AF_INET6 };
	size_t count[2] = { 0, 0 }, nsock[2], base[2], seen[2] = { 0, 0 };
	size_t i, f;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < n; i++)
		count[hosts[i].addr.ss_family == AF_INET6]++;
	/* nsock[f]: groups of hosts; each group has SEND_SOURCES sockets. */
	for (f = 0; f < 2; f++)
		nsock[f] = div_up(count[f], SEND_HOSTS_PER_SOCKET);
	base[0] = 0;
	base[1] = nsock[0] * SEND_SOURCES;
	p->n = (nsock[0] + nsock[1]) * SEND_SOURCES;
	p->fds = malloc((p->n ? p->n : 1) * sizeof(*p->fds));
	if (!p->fds) {
		snprintf(err, ERR_LEN, "out of memory");
		return -1;
	}
	raise_nofile(p->n + FD_SLACK);
	for (i = 0; i < p->n; i++) {
		p->fds[i] = open_one(fam[i >= base[1]]);
		if (p->fds[i] < 0) {
			struct rlimit rl = { 0, 0 };
			int e = errno;

			getrlimit(RLIMIT_NOFILE, &rl);
			if (e == EMFILE)
				snprintf(err, ERR_LEN,
					 "%zu hosts need %zu sockets (%d "
					 "hosts share a socket, each sends "
					 "from %d) and the open files "
					 "limit is %llu (hard limit %llu): "
					 "raise it (ulimit -n) or send to "
					 "fewer hosts at once",
					 n, p->n, SEND_HOSTS_PER_SOCKET,
					 SEND_SOURCES,
					 (unsigned long long)rl.rlim_cur,
					 (unsigned long long)rl.rlim_max);
			else
				snprintf(err, ERR_LEN, "socket %zu of %zu: %s",
					 i + 1, p->n, strerror(e));
			p->n = i;
			pool_close(p);
			return -1;
		}
	}
	/* Round robin over a family's groups; a socket of each set. */
	for (i = 0; i < n; i++) {
		size_t g, s;

		f = hosts[i].addr.ss_family == AF_INET6;
		g = seen[f]++ % nsock[f];
		for (s = 0; s < SEND_SOURCES; s++)
			hosts[i].fd[s] = p->fds[base[f] + s * nsock[f] + g];
	}
	return 0;
}

void pool_close(struct send_pool *p)
{
	size_t i;

	for (i = 0; p->fds && i < p->n; i++)
		close(p->fds[i]);
	free(p->fds);
	memset(p, 0, sizeof(*p));
}
