// SPDX-License-Identifier: GPL-2.0
/*
 * HOST[:PORT]: "name", "name:port", "192.0.2.1", "192.0.2.1:port",
 * "2001:db8::1" (a bare IPv6 literal has no port), "[2001:db8::1]",
 * "[2001:db8::1]:port".
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "client/hostport.h"

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

/* Is s[0..len) an IPv6 literal (with a scope, "fe80::1%eth0", too)? */
static bool is_ipv6(const char *s, size_t len)
{
	const struct addrinfo hints = { .ai_family = AF_INET6,
					.ai_flags = AI_NUMERICHOST };
	struct in6_addr a;
	struct addrinfo *res;
	char buf[LABEL_MAX + 2];

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!memchr(buf, '%', len))
		return inet_pton(AF_INET6, buf, &a) == 1;
	if (getaddrinfo(buf, NULL, &hints, &res) != 0)
		return false;
	freeaddrinfo(res);
	return true;
}

static bool all_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/*
 * An unbracketed argument with two or more colons is an IPv6 address
 * without a port. When it ends in ":DIGITS" and what comes before is an
 * IPv6 address too, the reader cannot tell which was meant: refuse it.
 */
static int check_bare_ipv6(const char *arg, char err[ERR_LEN])
{
	const char *last = strrchr(arg, ':');
	size_t pre = (size_t)(last - arg);
	bool whole = is_ipv6(arg, strlen(arg));

	if (!all_digits(last + 1) || !is_ipv6(arg, pre))
		return 0;
	if (whole)
		snprintf(err, ERR_LEN,
			 "ambiguous IPv6 address: write [%.*s]:%.8s for port "
			 "%.8s of %.*s, or [%.80s] for the address %.80s",
			 (int)(pre > 80 ? 80 : pre), arg, last + 1, last + 1,
			 (int)(pre > 80 ? 80 : pre), arg, arg, arg);
	else
		snprintf(err, ERR_LEN,
			 "an IPv6 address with a port is written in brackets: "
			 "[%.*s]:%.8s",
			 (int)(pre > 80 ? 80 : pre), arg, last + 1);
	return -1;
}

int hostport_split(const char *arg, struct hostport *hp, char err[ERR_LEN])
{
	const char *host = arg, *port = NULL, *colon, *end;
	size_t len;

	memset(hp, 0, sizeof(*hp));
	colon = strchr(arg, ':');
	if (arg[0] == '[') {
		end = strchr(arg, ']');
		if (!end || (end[1] && end[1] != ':') ||
		    (end[1] == ':' && !end[2])) {
			snprintf(err, ERR_LEN,
				 "expected [IPv6] or [IPv6]:PORT");
			return -1;
		}
		host = arg + 1;
		len = (size_t)(end - host);
		if (end[1] == ':')
			port = end + 2;
		hp->bracketed = true;
	} else if (colon && !strchr(colon + 1, ':')) {
		/* Exactly one colon: name or IPv4 with a port. */
		len = (size_t)(colon - arg);
		port = colon + 1;
	} else {
		/* No colon, or a bare IPv6 literal. */
		if (colon && check_bare_ipv6(arg, err) < 0)
			return -1;
		len = strlen(arg);
	}
	if (len == 0 || len > LABEL_MAX) {
		snprintf(err, ERR_LEN, "empty or longer than %d characters",
			 LABEL_MAX);
		return -1;
	}
	memcpy(hp->host, host, len);
	hp->host[len] = '\0';
	if (port && port_parse(port, &hp->port) < 0) {
		snprintf(err, ERR_LEN, "bad port '%.16s' (1-65535)", port);
		return -1;
	}
	return 0;
}

int hostport_check(const struct hostport *hp, char err[ERR_LEN])
{
	const char *h = hp->host;
	size_t len = strlen(h);
	struct in_addr a4;

	if (hp->bracketed || strchr(h, ':')) {
		if (is_ipv6(h, len))
			return 0;
		snprintf(err, ERR_LEN, "'%.80s' is not an IPv6 address", h);
		return -1;
	}
	if (strspn(h, "0123456789.") == len) {
		if (inet_pton(AF_INET, h, &a4) == 1)
			return 0;
		snprintf(err, ERR_LEN, "'%.80s' is not an IPv4 address", h);
		return -1;
	}
	if (h[0] == '-' || h[0] == '.' ||
	    strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789._-") != len) {
		snprintf(err, ERR_LEN,
			 "'%.80s' is no host name ([A-Za-z0-9._-], not "
			 "starting with '-' or '.')",
			 h);
		return -1;
	}
	return 0;
}
