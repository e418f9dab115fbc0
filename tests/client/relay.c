// SPDX-License-Identifier: GPL-2.0
/* Shared plumbing of the client suite's UDP tools. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "relay.h"

int addr_parse(const char *s, struct udp_addr *a)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a->ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&a->ss;
	char host[64];
	const char *colon;
	unsigned long port;
	char *end;
	size_t len;

	memset(a, 0, sizeof(*a));
	colon = strrchr(s, ':');
	if (!colon)
		return -1;
	port = strtoul(colon + 1, &end, 10);
	if (*end || colon[1] == '\0' || port > 65535)
		return -1;
	if (s[0] == '[') {
		len = (size_t)(colon - s);
		if (len < 3 || s[len - 1] != ']' || len - 2 >= sizeof(host))
			return -1;
		memcpy(host, s + 1, len - 2);
		host[len - 2] = '\0';
		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
			return -1;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		a->len = sizeof(*s6);
		return 0;
	}
	len = (size_t)(colon - s);
	if (len >= sizeof(host))
		return -1;
	memcpy(host, s, len);
	host[len] = '\0';
	if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
		return -1;
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	a->len = sizeof(*s4);
	return 0;
}

bool addr_eq(const struct udp_addr *a, const struct udp_addr *b)
{
	const struct sockaddr_in6 *a6 = (const void *)&a->ss,
				  *b6 = (const void *)&b->ss;
	const struct sockaddr_in *a4 = (const void *)&a->ss,
				 *b4 = (const void *)&b->ss;

	if (a->ss.ss_family != b->ss.ss_family)
		return false;
	if (a->ss.ss_family == AF_INET6)
		return a6->sin6_port == b6->sin6_port &&
		       !memcmp(&a6->sin6_addr, &b6->sin6_addr, 16);
	return a4->sin_port == b4->sin_port &&
	       a4->sin_addr.s_addr == b4->sin_addr.s_addr;
}

int udp_bind(const struct udp_addr *a, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd;

	fd = socket(a->ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -1;
	if (bind(fd, (const struct sockaddr *)&a->ss, a->len) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		close(fd);
		return -1;
	}
	if (port)
		*port = ntohs(ss.ss_family == AF_INET6 ?
				      ((struct sockaddr_in6 *)&ss)->sin6_port :
				      ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

int udp_bind_any_port(const struct udp_addr *a)
{
	struct udp_addr any = *a;

	if (any.ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&any.ss)->sin6_port = 0;
	else
		((struct sockaddr_in *)&any.ss)->sin_port = 0;
	return udp_bind(&any, NULL);
}

int write_port_file(const char *path, uint16_t port)
{
	/* Written aside and renamed: a reader never sees a partial file. */
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) ||
	    rename(tmp, path)) {
		perror(path);
		return -1;
	}
	return 0;
}

uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}
