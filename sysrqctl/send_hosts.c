// SPDX-License-Identifier: GPL-2.0
/*
 * Host arguments of send, reboot and poweroff (their syntax in
 * hostport.c), and their resolution.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostport.h"
#include "send.h"

int host_parse(const char *arg, uint16_t default_port, struct send_host *h,
	       char err[ERR_LEN])
{
	struct hostport hp;
	char why[ERR_LEN];

	h->typed = arg;
	h->fd = -1;
	if (hostport_split(arg, &hp, why) < 0) {
		snprintf(err, ERR_LEN, "host '%.100s': %.140s", arg, why);
		return -1;
	}
	memcpy(h->name, hp.host, sizeof(h->name));
	h->port = hp.port ? hp.port : default_port;
	return 0;
}

int host_resolve(struct send_host *h, int family, char err[ERR_LEN])
{
	struct addrinfo hints = {
		.ai_family = family,
		.ai_socktype = SOCK_DGRAM,
		.ai_protocol = IPPROTO_UDP,
		.ai_flags = AI_NUMERICSERV,
	};
	struct addrinfo *res;
	char port[8], text[INET6_ADDRSTRLEN];
	const void *a;
	int rc;

	snprintf(port, sizeof(port), "%u", h->port);
	rc = getaddrinfo(h->name, port, &hints, &res);
	if (rc) {
		snprintf(err, ERR_LEN, "host '%.120s' does not resolve%s: %s",
			 h->name,
			 family == AF_INET  ? " to IPv4" :
			 family == AF_INET6 ? " to IPv6" :
					      "",
			 rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return -1;
	}
	/* The resolver's first choice (RFC 6724 order) is the one used. */
	memcpy(&h->addr, res->ai_addr, res->ai_addrlen);
	h->addrlen = res->ai_addrlen;
	freeaddrinfo(res);
	a = h->addr.ss_family == AF_INET6 ?
		    (const void *)&((struct sockaddr_in6 *)&h->addr)
			    ->sin6_addr :
		    (const void *)&((struct sockaddr_in *)&h->addr)->sin_addr;
	inet_ntop(h->addr.ss_family, a, text, sizeof(text));
	snprintf(h->addr_text, sizeof(h->addr_text), "%s", text);
	return 0;
}
