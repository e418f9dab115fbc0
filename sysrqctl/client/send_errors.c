// SPDX-License-Identifier: GPL-2.0
/*
 * What a request met on the way: local send errors and ICMP errors,
 * counted per kind, and what "no answer" can then mean, in words.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h> /* before linux/errqueue.h, which uses timespec */
#include <linux/errqueue.h>

#include "client/send.h"

void req_error(struct send_req *r, int err, int origin, int type, int code,
	       const struct sockaddr *offender)
{
	char from[INET6_ADDRSTRLEN] = "";
	struct send_err *e;
	size_t i;

	r->last_errno = err;
	if (offender && offender->sa_family == AF_INET)
		inet_ntop(AF_INET,
			  &((const struct sockaddr_in *)(const void *)offender)
				   ->sin_addr,
			  from, sizeof(from));
	else if (offender && offender->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)(const void *)offender)
				   ->sin6_addr,
			  from, sizeof(from));
	for (i = 0; i < r->nerrs; i++) {
		e = &r->errs[i];
		if (e->err == err && e->origin == origin && e->type == type &&
		    e->code == code && !strcmp(e->from, from)) {
			e->count++;
			return;
		}
	}
	if (r->nerrs == SEND_ERRS_MAX)
		return; /* only last_errno tells of a fifth kind */
	e = &r->errs[r->nerrs++];
	e->err = err;
	e->origin = (uint8_t)origin;
	e->type = (uint8_t)type;
	e->code = (uint8_t)code;
	memcpy(e->from, from, sizeof(from));
	e->count = 1;
}

bool err_is_icmp(const struct send_err *e)
{
	return e->origin == SO_EE_ORIGIN_ICMP ||
	       e->origin == SO_EE_ORIGIN_ICMP6;
}

const char *err_origin_name(const struct send_err *e)
{
	switch (e->origin) {
	case SO_EE_ORIGIN_ICMP:
		return "icmp";
	case SO_EE_ORIGIN_ICMP6:
		return "icmp6";
	default:
		return "local";
	}
}

/* An ICMP(v6) destination unreachable, by code; NULL for anything else. */
static const char *icmp_name(const struct send_err *e)
{
	static const char *const v4[] = {
		[0] = "network unreachable",
		[1] = "host unreachable",
		[2] = "protocol unreachable",
		[3] = "port unreachable",
		[4] = "fragmentation needed",
		[9] = "network administratively prohibited",
		[10] = "host administratively prohibited",
		[13] = "communication administratively prohibited",
	};
	static const char *const v6[] = {
		[0] = "no route to destination",
		[1] = "communication administratively prohibited",
		[2] = "beyond scope of source address",
		[3] = "address unreachable",
		[4] = "port unreachable",
		[5] = "source address failed policy",
		[6] = "reject route to destination",
	};

	if (e->origin == SO_EE_ORIGIN_ICMP && e->type == 3 &&
	    e->code < sizeof(v4) / sizeof(v4[0]))
		return v4[e->code];
	if (e->origin == SO_EE_ORIGIN_ICMP6 && e->type == 1 &&
	    e->code < sizeof(v6) / sizeof(v6[0]))
		return v6[e->code];
	return NULL;
}

static bool port_unreachable(const struct send_err *e)
{
	return (e->origin == SO_EE_ORIGIN_ICMP && e->type == 3 &&
		e->code == 3) ||
	       (e->origin == SO_EE_ORIGIN_ICMP6 && e->type == 1 &&
		e->code == 4);
}

static bool prohibited(const struct send_err *e)
{
	return (e->origin == SO_EE_ORIGIN_ICMP && e->type == 3 &&
		(e->code == 9 || e->code == 10 || e->code == 13)) ||
	       (e->origin == SO_EE_ORIGIN_ICMP6 && e->type == 1 &&
		(e->code == 1 || e->code == 5 || e->code == 6));
}

static void describe(const struct send_host *h, const struct send_err *e,
		     FILE *out)
{
	const char *name = icmp_name(e);
	const char *v6 = e->origin == SO_EE_ORIGIN_ICMP6 ? "v6" : "";
	char times[32] = "";

	if (e->count > 1)
		snprintf(times, sizeof(times), ", %u times", e->count);
	if (!err_is_icmp(e)) {
		fprintf(out, "sending failed%s: %s", times, strerror(e->err));
		return;
	}
	if (name)
		fprintf(out, "ICMP%s %s", v6, name);
	else
		fprintf(out, "ICMP%s type %u code %u (%s)", v6, e->type,
			e->code, strerror(e->err));
	if (*e->from)
		fprintf(out, " from %s", e->from);
	fputs(times, out);
	if (port_unreachable(e))
		/* The module lets what it does not take go on to the UDP stack. */
		fprintf(out,
			": the host is up, but nothing took the request on "
			"port %u: no sysrq rule armed there, or key unknown "
			"to it",
			h->port);
	else if (prohibited(e))
		fputs(": a firewall rejects it", out);
}

void req_explain(const struct send_host *h, const struct send_req *r, char *buf,
		 size_t len)
{
	FILE *out = fmemopen(buf, len, "w");
	bool icmp = false, first = true;
	size_t i;

	buf[0] = '\0';
	if (!out)
		return;
	for (i = 0; i < r->nerrs; i++)
		icmp = icmp || err_is_icmp(&r->errs[i]);
	/* An ICMP error says more than the list of guesses. */
	if (!icmp && (r->copies || h->probes_total)) {
		fputs("host down, port filtered, or key unknown to it", out);
		first = false;
	}
	for (i = 0; i < r->nerrs; i++) {
		if (icmp && !err_is_icmp(&r->errs[i]))
			continue;
		if (!first)
			fputs("; ", out);
		describe(h, &r->errs[i], out);
		first = false;
	}
	if (first && r->last_errno)
		fputs(strerror(r->last_errno), out);
	fclose(out);
	/* fmemopen leaves no NUL when the text filled the buffer. */
	buf[len - 1] = '\0';
}
