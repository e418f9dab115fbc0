/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HOST[:PORT] as typed on the command line and in hosts files: a name or
 * IPv4 address with an optional :PORT, an IPv6 address in brackets with
 * an optional :PORT, or a bare IPv6 address, which never has a port.
 */
#ifndef SYSRQCTL_HOSTPORT_H
#define SYSRQCTL_HOSTPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "keys/key.h"

struct hostport {
	char host[LABEL_MAX + 2]; /* without brackets or port */
	uint16_t port;		  /* 0: none given */
	bool bracketed;		  /* written [IPv6] */
};

/* A decimal port 1..65535, nothing else. */
int port_parse(const char *s, uint16_t *port);

/*
 * Splits arg. A bare IPv6 address whose last group could be a port
 * ("::1:9", "fe80::1:9": is it ::1 port 9?) is refused as ambiguous, as is
 * something that is an IPv6 address only without its last ":DIGITS"; err
 * then says how to write either meaning. err names the problem, not arg.
 */
int hostport_split(const char *arg, struct hostport *hp, char err[ERR_LEN]);

/*
 * Stricter, for hosts files: host must be an IPv6 address when it was
 * bracketed or has a colon, an IPv4 address when it is all digits and
 * dots, else a name of [A-Za-z0-9._-] (not starting with '-' or '.').
 */
int hostport_check(const struct hostport *hp, char err[ERR_LEN]);

#endif
