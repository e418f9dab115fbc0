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
#include "client/send.h"

const char *result_name(enum send_result r)
{
	switch (r) {
	case RES_DONE:
		return "done";
	case RES_ACCEPTED:
		return "accepted";
	case RES_DUPLICATE:
		return "duplicate";
	case RES_REFUSED:
		return "refused";
	case RES_NO_ANSWER:
		return "no answer";
	case RES_NO_REPORT:
		return "no report";
	case RES_RESTARTED:
		return "restarted; outcome unknown";
	case RES_NOT_SENT:
		return "not sent";
	case RES_PENDING:
		break;
	}
	return "pending";
}

/* Acknowledged: accepted (now or before) or done. */
bool result_ok(enum send_result r)
{
	return r == RES_DONE || r == RES_ACCEPTED || r == RES_DUPLICATE;
}

/* The output, each line prefixed with the host when there are several. */
static void print_output(const struct send_host *h, const struct send_req *r,
			 const struct send_opts *o)
{
	const char *p = r->output, *end = r->output + r->output_len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (o->multi)
			printf("%s: ", h->typed);
		fwrite(p, 1, (size_t)(nl - p), stdout);
		putchar('\n');
		p = nl + 1;
	}
}

void report_result(const struct send_host *h, const struct send_req *r,
		   const struct send_opts *o)
{
	char why[EXPLAIN_LEN];

	if (r->result == RES_REFUSED && !r->refusal_warning) {
		refusal_explain(r->keys, r->n, why, sizeof(why));
		fprintf(stderr, "%s: %s: '%.*s' refused: %s\n", prog, h->typed,
			(int)r->n, (const char *)r->keys, why);
	}
	/* reboot's refused 'n': the rescue goes on, the admin should know. */
	if (r->result == RES_REFUSED && r->refusal_warning)
		fprintf(stderr, "%s: warning: %s: %s\n", prog, h->typed,
			r->refusal_warning);
	if (r->result == RES_DONE && !r->chunks && o->want_output)
		fprintf(stderr,
			"%s: %s: no output came back: the host's rule keeps "
			"none for this key (its output limit is 0, the "
			"default; the admin sets one where the rule is "
			"armed)\n",
			prog, h->typed);
	if (o->json)
		return;
	printf("%s %.*s %s", h->typed, (int)r->n, (const char *)r->keys,
	       result_name(r->result));
	if (r->result == RES_NO_ANSWER) {
		if (h->reprobe == CLK_SAME)
			snprintf(why, sizeof(why),
				 "the host still answers the clock probe, "
				 "same epoch");
		else
			req_explain(h, r, why, sizeof(why));
		if (*why)
			printf(" (%s)", why);
	}
	if (r->result == RES_NO_REPORT)
		printf(" (accepted; the host %s)",
		       h->reprobe == CLK_SAME ?
			       "still answers, same epoch: the keys may "
			       "still be running" :
			       "answers no more: down, or stopped by the "
			       "keys");
	if (r->result == RES_DONE) {
		if (r->report_status & SR_REPORT_UNSETTLED)
			printf(" (sync or remount not complete within 10 s)");
		if (r->report_status & SR_REPORT_TRUNCATED)
			printf(" (output truncated)");
		if (!r->output_complete)
			printf(" (output incomplete: %u of %u chunks)",
			       r->chunks_got, r->chunks);
	}
	/* send_loop flushes before it waits: one write per wakeup. */
	printf("\n");
	if (r->output)
		print_output(h, r, o);
}

void report_clock(const struct send_host *h, const struct send_opts *o)
{
	char why[EXPLAIN_LEN];
	int64_t off = h->clock_off;

	if (o->json)
		return;
	if (!h->have_clock) {
		req_explain(h, &h->reqs[0], why, sizeof(why));
		printf("%s no answer to the clock probe: nothing sent%s%s%s\n",
		       h->typed, *why ? " (" : "", why, *why ? ")" : "");
		return;
	}
	if (off > (int64_t)CLOCK_TELL || off < -(int64_t)CLOCK_TELL)
		printf("%s clock off by %+.1f s, corrected\n", h->typed,
		       (double)off / 1e9);
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
	json_object_set_new(o, "report_wanted", json_boolean(r->wants_report));
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
	if (r->result == RES_REFUSED && !r->refusal_warning) {
		refusal_explain(r->keys, r->n, why, sizeof(why));
		json_object_set_new(o, "explanation", jstr(why));
	}
	if (r->result == RES_DONE) {
		json_object_set_new(o, "report_status",
				    json_integer(r->report_status));
		json_object_set_new(
			o, "unsettled",
			json_boolean(r->report_status & SR_REPORT_UNSETTLED));
		json_object_set_new(
			o, "truncated",
			json_boolean(r->report_status & SR_REPORT_TRUNCATED));
		json_object_set_new(o, "chunks", json_integer(r->chunks));
		json_object_set_new(
			o, "chunks_received",
			json_integer(r->chunks ? r->chunks_got : 0));
		json_object_set_new(o, "fetches", json_integer(r->fetches));
		json_object_set_new(o, "output_complete",
				    json_boolean(r->output_complete));
		json_object_set_new(o, "output",
				    jstr(r->output ? r->output : ""));
	}
	return o;
}

static void hex(const uint8_t *b, size_t n, char *out)
{
	size_t k;

	for (k = 0; k < n; k++)
		snprintf(out + 2 * k, 3, "%02x", b[k]);
}

/* The clock probe: epoch, offsets, and a second probe's finding. */
static json_t *json_clock(const struct send_host *h)
{
	json_t *c = json_object();
	char e[2 * SR_EPOCH_LEN + 1];

	json_object_set_new(c, "answered", json_boolean(h->have_clock));
	json_object_set_new(c, "probes", json_integer(h->probes_total));
	if (!h->have_clock) {
		json_object_set_new(c, "message",
				    jstr("no answer to the clock probe"));
		return c;
	}
	hex(h->epoch, SR_EPOCH_LEN, e);
	json_object_set_new(c, "epoch", jstr(e));
	/* The host's protocol clock minus our wall clock, and the offset
	 * requests are stamped with (from our monotonic clock). */
	json_object_set_new(c, "offset_s",
			    json_real((double)h->clock_off / 1e9));
	json_object_set_new(c, "corrected",
			    json_boolean(h->clock_off > (int64_t)CLOCK_TELL ||
					 h->clock_off < -(int64_t)CLOCK_TELL));
	json_object_set_new(c, "monotonic_offset_ns",
			    json_integer((json_int_t)h->offset));
	if (h->reprobe == CLK_NEW_EPOCH) {
		hex(h->new_epoch, SR_EPOCH_LEN, e);
		json_object_set_new(c, "epoch_changed", json_true());
		json_object_set_new(c, "new_epoch", jstr(e));
	} else {
		json_object_set_new(c, "epoch_changed", json_false());
	}
	return c;
}

void report_json(const struct send_host *hosts, size_t n,
		 const struct send_opts *o, bool ok)
{
	json_t *root = json_object(), *arr = json_array();
	size_t i, j, k;

	json_object_set_new(root, "version", json_integer(2));
	json_object_set_new(root, "together", json_boolean(o->together));
	json_object_set_new(root, "ok", json_boolean(ok));
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
		json_object_set_new(ho, "clock", json_clock(h));
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
