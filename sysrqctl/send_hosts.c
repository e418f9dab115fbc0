// SPDX-License-Identifier: GPL-2.0
/*
 * Host arguments of send: "name", "name:port", "192.0.2.1", "192.0.2.1:port",
 * "2001:db8::1" (a bare IPv6 literal has no port), "[2001:db8::1]:port".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "send.h"

/* A decimal port 1..65535, nothing else. */
int port_parse(const char *s, uint16_t *port)
{
	unsigned long v = 0;
	size_t i;

	if (!*s || strlen(s) > 5)
		return -1;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

int host_parse(const char *arg, uint16_t default_port, struct send_host *h,
	       char err[ERR_LEN])
{
	const char *host = arg, *port = NULL, *colon, *end;
	size_t len;

	h->typed = arg;
	h->fd = -1;
	colon = strchr(arg, ':');
	if (arg[0] == '[') {
		end = strchr(arg, ']');
		if (!end || (end[1] && end[1] != ':') ||
		    (end[1] == ':' && !end[2])) {
			snprintf(
				err, ERR_LEN,
				"host '%.120s': expected [IPv6] or [IPv6]:PORT",
				arg);
			return -1;
		}
		host = arg + 1;
		len = (size_t)(end - host);
		if (end[1] == ':')
			port = end + 2;
	} else if (colon && !strchr(colon + 1, ':')) {
		/* Exactly one colon: name or IPv4 with a port. */
		len = (size_t)(colon - arg);
		port = colon + 1;
	} else {
		/* No colon, or a bare IPv6 literal. */
		len = strlen(arg);
	}
	if (len == 0 || len > LABEL_MAX) {
		snprintf(err, ERR_LEN,
			 "host '%.120s': empty or longer than %d characters",
			 arg, LABEL_MAX);
		return -1;
	}
	memcpy(h->name, host, len);
	h->name[len] = '\0';
	h->port = default_port;
	if (port && port_parse(port, &h->port) < 0) {
		snprintf(err, ERR_LEN,
			 "host '%.120s': bad port '%.16s' (1-65535)", arg,
			 port);
		return -1;
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
