// SPDX-License-Identifier: GPL-2.0
/*
 * Host arguments of send, reboot and poweroff (their syntax in
 * hostport.c), with what a hosts file says about their names, and their
 * resolution.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/hostport.h"
#include "client/send.h"

int host_parse(const char *arg, uint16_t default_port,
	       const struct hosts_table *ht, struct send_host *h,
	       char err[ERR_LEN])
{
	struct hostport hp;
	char why[ERR_LEN];
	unsigned int i;

	h->typed = arg;
	for (i = 0; i < SEND_SOURCES; i++)
		h->fd[i] = -1;
	if (hostport_split(arg, &hp, why) < 0) {
		snprintf(err, ERR_LEN, "host '%.100s': %.140s", arg, why);
		return -1;
	}
	memcpy(h->name, hp.host, sizeof(h->name));
	h->target = h->name;
	h->port = hp.port ? hp.port : default_port;
	/* A NAME has no colon: a bracketed host is an address. */
	h->entry = hp.bracketed ? NULL : hosts_find(ht, hp.host);
	if (h->entry) {
		h->target = h->entry->host;
		/* HOST:PORT as typed, else the entry's port, else -p's. */
		if (!hp.port && h->entry->port)
			h->port = h->entry->port;
	}
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
	rc = getaddrinfo(h->target, port, &hints, &res);
	if (rc) {
		char from[160] = "";

		if (h->entry)
			snprintf(from, sizeof(from),
				 " (address '%.60s', %.60s:%u)", h->target,
				 h->entry->file, h->entry->line);
		snprintf(err, ERR_LEN,
			 "host '%.100s'%.120s does not resolve%s: %s", h->name,
			 from,
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
