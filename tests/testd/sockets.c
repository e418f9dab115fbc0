// SPDX-License-Identifier: GPL-2.0
/*
 * sysrq-testd's sockets: NPORTS UDP ports, each on 127.0.0.1 and/or ::1,
 * so that one process can stand in for many hosts (HOST:PORT each). The
 * open files limit is raised toward its hard limit when they need it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "testd.h"

/* Descriptors beyond the sockets: stdio, logs, key files, epoll. */
#define FD_SLACK 32

static int bind_one(int family, uint16_t port, uint16_t *bound)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int fd, one = 1;

	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (family == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		s6->sin6_family = AF_INET6;
		s6->sin6_addr = in6addr_loopback;
		s6->sin6_port = htons(port);
		len = sizeof(*s6);
	} else {
		s4->sin_family = AF_INET;
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		s4->sin_port = htons(port);
		len = sizeof(*s4);
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	*bound = ntohs(family == AF_INET6 ? s6->sin6_port : s4->sin_port);
	return fd;
}

/* Both families on one port; with port 0 retry until one is free on both. */
static int open_pair(bool v4, bool v6, uint16_t port, int fds[2],
		     uint16_t *bound)
{
	int tries, e = 0;

	for (tries = 0; tries < 50; tries++) {
		fds[0] = fds[1] = -1;
		*bound = port;
		if (v4 && (fds[0] = bind_one(AF_INET, *bound, bound)) < 0)
			goto again;
		if (v6 && (fds[1] = bind_one(AF_INET6, *bound, bound)) < 0)
			goto again;
		return 0;
	again:
		e = errno;
		if (fds[0] >= 0)
			close(fds[0]);
		fds[0] = -1;
		if (port || e == EMFILE || e == ENFILE)
			break;
	}
	errno = e;
	return -1;
}

/* Room for `need` descriptors: raise the soft limit, never the hard one. */
static int room_for(size_t nports, size_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		fprintf(stderr,
			"sysrq-testd: %zu ports need %zu open files; the hard "
			"limit is %llu (ulimit -Hn)\n",
			nports, need, (unsigned long long)rl.rlim_max);
		return -1;
	}
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		perror("sysrq-testd: raising the open files limit");
		return -1;
	}
	return 0;
}

int socks_open(struct testd_socks *s, bool v4, bool v6, uint16_t port,
	       size_t nports)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	if (nports > 1 && port && (size_t)port + nports - 1 > 65535) {
		fprintf(stderr, "sysrq-testd: ports %u + %zu pass 65535\n",
			port, nports);
		return -1;
	}
	if (room_for(nports, nports * ((size_t)v4 + (size_t)v6) + FD_SLACK) < 0)
		return -1;
	s->fds = malloc(2 * nports * sizeof(*s->fds));
	s->ports = malloc(nports * sizeof(*s->ports));
	if (!s->fds || !s->ports) {
		fprintf(stderr, "sysrq-testd: out of memory\n");
		return -1;
	}
	for (i = 0; i < nports; i++) {
		uint16_t want = port ? (uint16_t)(port + i) : 0;

		if (open_pair(v4, v6, want, &s->fds[2 * i], &s->ports[i]) < 0) {
			fprintf(stderr,
				"sysrq-testd: cannot bind port %u (%zu of "
				"%zu): %s\n",
				want, i + 1, nports, strerror(errno));
			s->nports = i;
			socks_close(s);
			return -1;
		}
		s->nports = i + 1;
	}
	return 0;
}

void socks_close(struct testd_socks *s)
{
	size_t i;

	for (i = 0; s->fds && i < 2 * s->nports; i++)
		if (s->fds[i] >= 0)
			close(s->fds[i]);
	free(s->fds);
	free(s->ports);
	memset(s, 0, sizeof(*s));
}
