// SPDX-License-Identifier: GPL-2.0
/*
 * Output of send: one line per host and request as results come in
 * ("HOST KEYS RESULT", and for "no answer" what it can mean), or with
 * --json one document at the end (jansson).
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
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
	char why[EXPLAIN_LEN];

	if (!o->json) {
		printf("%s %.*s %s", h->typed, (int)r->n, (const char *)r->keys,
		       result_name(r->result));
		if (r->result == RES_NO_ANSWER || r->result == RES_NOT_SENT) {
			req_explain(h, r, why, sizeof(why));
			if (*why)
				printf(" (%s)", why);
		}
		/* send_loop flushes before it waits: one write per wakeup. */
		printf("\n");
	}
	/* reboot's refused 'n': the rescue goes on, the admin should know. */
	if (r->result == RES_REFUSED && r->refusal_warning)
		fprintf(stderr, "%s: warning: %s: %s\n", prog, h->typed,
			r->refusal_warning);
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

/*
 * A JSON string of text that should be UTF-8: the host as typed may hold
 * any byte, and then each byte is taken as Latin-1, so nothing is lost.
 */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	char *u;
	size_t i, k = 0;

	if (j)
		return j;
	u = malloc(2 * strlen(s) + 1);
	if (!u)
		return NULL;
	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80) {
			u[k++] = (char)c;
		} else {
			u[k++] = (char)(0xc0 | c >> 6);
			u[k++] = (char)(0x80 | (c & 0x3f));
		}
	}
	u[k] = '\0';
	j = json_string(u);
	free(u);
	return j;
}

static json_t *json_errors(const struct send_req *r)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < r->nerrs; i++) {
		const struct send_err *e = &r->errs[i];
		json_t *o = json_object();

		json_object_set_new(o, "error", jstr(strerror(e->err)));
		json_object_set_new(o, "origin", jstr(err_origin_name(e)));
		if (err_is_icmp(e)) {
			json_object_set_new(o, "icmp_type",
					    json_integer(e->type));
			json_object_set_new(o, "icmp_code",
					    json_integer(e->code));
			if (*e->from)
				json_object_set_new(o, "from", jstr(e->from));
		}
		json_object_set_new(o, "count", json_integer(e->count));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *json_request(const struct send_host *h, const struct send_req *r)
{
	json_t *o = json_object();
	char why[EXPLAIN_LEN];

	json_object_set_new(o, "keys",
			    json_stringn((const char *)r->keys, r->n));
	json_object_set_new(o, "result", jstr(result_name(r->result)));
	json_object_set_new(o, "datagrams_sent", json_integer(r->copies));
	json_object_set_new(o, "retransmissions",
			    json_integer(r->copies ? r->copies - 1 : 0));
	json_object_set_new(o, "ignored", json_integer(r->ignored));
	json_object_set_new(
		o, "ms",
		json_real(round((double)r->elapsed / NS_PER_MS * 10) / 10));
	json_object_set_new(o, "errors", json_errors(r));
	if (r->last_errno)
		json_object_set_new(o, "last_error",
				    jstr(strerror(r->last_errno)));
	if (r->result == RES_NO_ANSWER || r->result == RES_NOT_SENT) {
		req_explain(h, r, why, sizeof(why));
		json_object_set_new(o, "explanation", jstr(why));
	}
	if (r->result == RES_REFUSED && r->refusal_warning)
		json_object_set_new(o, "warning", jstr(r->refusal_warning));
	return o;
}

void report_json(const struct send_host *hosts, size_t n,
		 const struct send_opts *o, bool ok)
{
	json_t *root = json_object(), *arr = json_array();
	size_t i, j, k;

	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "ok", json_boolean(ok));
	json_object_set_new(root, "ack", json_boolean(!o->no_ack));
	for (i = 0; i < n; i++) {
		const struct send_host *h = &hosts[i];
		json_t *ho = json_object(), *reqs = json_array();
		char kid[2 * SR_KEY_ID_LEN + 1];

		for (k = 0; k < SR_KEY_ID_LEN; k++)
			snprintf(kid + 2 * k, 3, "%02x", h->key_id[k]);
		json_object_set_new(ho, "host", jstr(h->typed));
		json_object_set_new(ho, "address", jstr(h->addr_text));
		json_object_set_new(ho, "port", json_integer(h->port));
		json_object_set_new(ho, "key_id", jstr(kid));
		for (j = 0; j < h->nreqs; j++)
			json_array_append_new(reqs,
					      json_request(h, &h->reqs[j]));
		json_object_set_new(ho, "requests", reqs);
		json_array_append_new(arr, ho);
	}
	json_object_set_new(root, "hosts", arr);
	if (json_dumpf(root, stdout, JSON_COMPACT | JSON_REAL_PRECISION(10)) <
	    0)
		fprintf(stderr, "%s: writing the JSON document failed\n", prog);
	putchar('\n');
	fflush(stdout);
	json_decref(root);
}
