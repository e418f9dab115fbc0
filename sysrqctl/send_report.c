// SPDX-License-Identifier: GPL-2.0
/*
 * Output of send: one line per host and request as results come in
 * ("HOST KEYS RESULT"), or with --json one document at the end.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "send.h"

const char *result_name(enum send_result r)
{
	switch (r) {
	case RES_EXECUTED:
		return "executed";
	case RES_DUPLICATE:
		return "duplicate";
	case RES_REFUSED:
		return "refused";
	case RES_NO_ANSWER:
		return "no answer";
	case RES_SENT:
		return "sent";
	case RES_NOT_SENT:
		return "not sent";
	case RES_PENDING:
		break;
	}
	return "pending";
}

/*
 * The protocol: exit 0 only when every request was acknowledged as
 * executed or duplicate. Without ACKs nothing is confirmed, so --no-ack
 * never succeeds; its lines still tell "sent" from "not sent".
 */
bool result_ok(enum send_result r)
{
	return r == RES_EXECUTED || r == RES_DUPLICATE;
}

void report_result(const struct send_host *h, const struct send_req *r,
		   const struct send_opts *o)
{
	if (o->json)
		return;
	printf("%s %.*s %s", h->typed, (int)r->n, (const char *)r->keys,
	       result_name(r->result));
	if ((r->result == RES_NO_ANSWER || r->result == RES_NOT_SENT) &&
	    r->last_errno)
		printf(" (%s)", strerror(r->last_errno));
	printf("\n");
	fflush(stdout);
}

void report_ignored(const struct send_host *h, const char *why,
		    const struct send_opts *o)
{
	if (o->verbose)
		fprintf(stderr, "%s: %s: ignored a datagram %s\n", prog,
			h->typed, why);
}

void report_stray(const struct sockaddr_storage *src, socklen_t len,
		  const struct send_opts *o)
{
	char host[INET6_ADDRSTRLEN + 8] = "?", serv[8] = "?";

	if (!o->verbose)
		return;
	getnameinfo((const struct sockaddr *)src, len, host, sizeof(host), serv,
		    sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV);
	fprintf(stderr,
		"%s: ignored a datagram from %s port %s, where no request "
		"went\n",
		prog, host, serv);
}

/* A JSON string: the host as typed may hold any byte. */
static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

void report_json(const struct send_host *hosts, size_t n,
		 const struct send_opts *o, bool ok)
{
	size_t i, j, k;

	printf("{\"version\":1,\"ok\":%s,\"ack\":%s,\"hosts\":[",
	       ok ? "true" : "false", o->no_ack ? "false" : "true");
	for (i = 0; i < n; i++) {
		const struct send_host *h = &hosts[i];

		printf("%s{\"host\":", i ? "," : "");
		json_string(h->typed);
		printf(",\"address\":\"%s\",\"port\":%u,\"key_id\":\"",
		       h->addr_text, h->port);
		for (k = 0; k < SR_KEY_ID_LEN; k++)
			printf("%02x", h->key_id[k]);
		printf("\",\"requests\":[");
		for (j = 0; j < h->nreqs; j++) {
			const struct send_req *r = &h->reqs[j];

			printf("%s{\"keys\":\"%.*s\",\"result\":\"%s\","
			       "\"datagrams_sent\":%u,\"ignored\":%u,"
			       "\"ms\":%.1f",
			       j ? "," : "", (int)r->n, (const char *)r->keys,
			       result_name(r->result), r->copies, r->ignored,
			       (double)r->elapsed / NS_PER_MS);
			if (r->last_errno) {
				printf(",\"last_error\":");
				json_string(strerror(r->last_errno));
			}
			printf("}");
		}
		printf("]}");
	}
	printf("]}\n");
	fflush(stdout);
}
