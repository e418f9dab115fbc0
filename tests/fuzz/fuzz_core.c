// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over the v2 protocol core: the input is a program of
 * operations run against a server of two keys, each with its host-wide
 * record, through sr_handle(): raw datagrams, valid REQUEST, TIME and
 * FETCH datagrams (each maybe with one bit flipped) from six sources,
 * the protocol clock moving forward, kernel.sysrq changing, requests
 * done (REPORT, output kept), epoch renewals, expiry, and candidate
 * answers for the client's checks. Invariants:
 * - every answer is no larger than the datagram it answers, and only
 *   ACCEPTED, DUPLICATE, REFUSED, TIME and FETCH answer;
 * - ACKs and REPORTs verify against their request and the record's
 *   epoch, CLOCKs against their TIME, OUTPUTs open and hold the chunk
 *   asked for;
 * - a request is ACCEPTED or REFUSED at most once per epoch;
 * - the caller's reserve is asked for ACCEPTED only; when it says no
 *   (memory short), the request is IGNORED, unanswered and unrecorded;
 * - DUPLICATE answers: at most ANSWERS per source and phase, to at most
 *   SOURCES sources per phase;
 * - at most CLOCK_RATE CLOCKs per key and source in any (T-1 s, T];
 * - an output chunk is sent at most RESENDS times, each time for a
 *   FETCH newer than the last one answered for it;
 * - an answer the client's checks accept is byte for byte the genuine
 *   one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_env.h"
#include "proto.h"

#define T0	  1795000000000000000ULL
#define SEC	  SR_NSEC_PER_SEC
#define NSRC	  6
#define MAX_SEEN  256
#define MAX_PEND  8
#define MAX_TEXT  5000
#define MAX_CLOCK 64

static struct sr_mac_key mac[2];
static struct sr_key keys[2];
static uint8_t text[MAX_TEXT];

/* An invariant: its line on stderr, then abort (the fuzzer's crash). */
#define require(cond) require_at(!!(cond), __LINE__)

static void require_at(int ok, int line)
{
	if (!ok) {
		fprintf(stderr, "fuzz_core.c:%d: invariant violated\n", line);
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	uint8_t k[32];

	(void)argc;
	(void)argv;
	require(sodium_init() >= 0);
	for (int i = 0; i < 2; i++) {
		memset(k, 0x5a + i, sizeof(k));
		sr_mac_key_init(&mac[i], k);
		keys[i].mac_ctx = &mac[i];
		keys[i].tolerance = i ? SR_TOLERANCE_MIN : SR_TOLERANCE_DEFAULT;
		keys[i].allow =
			i ? (sr_key_bit('h') | sr_key_bit('s')) : SR_ALL_KEYS;
		sr_key_id(&mac[i], keys[i].key_id);
	}
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = (uint8_t)('a' + i % 26);
	return 0;
}

/* A request recorded (ACCEPTED or REFUSED) under one epoch. */
struct seen {
	uint8_t key;
	uint32_t generation;
	uint64_t ts;
	uint8_t nonce[SR_NONCE_LEN];
};

/* Shadow state of one key's record, to check the core against. */
struct shadow {
	/* DUPLICATE answers in the current phase, per source. */
	unsigned int dup_answers[NSRC];
	/* The kept output: its request, and per chunk sends and FETCH time. */
	uint8_t out_req[SR_REQ_MAX_LEN];
	size_t out_req_len; /* 0: none kept */
	uint16_t total;
	unsigned int sent[MAX_TEXT / SR_CHUNK + 1];
	uint64_t last_fetch[MAX_TEXT / SR_CHUNK + 1];
	/* CLOCKs sent, per source (latest MAX_CLOCK). */
	uint64_t clock[NSRC][MAX_CLOCK];
	unsigned int nclock[NSRC];
};

struct pending {
	int key;
	uint32_t generation;
	uint8_t req[SR_REQ_MAX_LEN];
	size_t len;
};

struct state {
	struct sr_record rec[2];
	struct shadow sh[2];
	struct seen seen[MAX_SEEN];
	size_t nseen;
	struct pending pend[MAX_PEND];
	size_t npend;
	uint64_t now, enabled;
	uint8_t last_req[SR_REQ_MAX_LEN]; /* the last request sent */
	size_t last_req_len;
	int last_req_key;
	uint8_t last_time[SR_TIME_LEN]; /* the last TIME probe built */
	int last_time_key;
	uint8_t epoch_seq;
	bool short_mem;		    /* the reserve says no */
	unsigned int reserve_calls; /* since the input began */
};

/* The environment's reserve for an accepted request's execution. */
static bool reserve(void *arg)
{
	struct state *st = arg;

	st->reserve_calls++;
	return !st->short_mem;
}

static struct sr_source source(unsigned int i)
{
	struct sr_source s = { .family = (uint8_t)(i & 1 ? 6 : 4),
			       .port = (uint16_t)(1000 + i) };

	s.addr[0] = 10;
	s.addr[3] = (uint8_t)i;
	return s;
}

static void forget_output(struct shadow *sh)
{
	sh->out_req_len = 0;
	sh->total = 0;
	memset(sh->sent, 0, sizeof(sh->sent));
	memset(sh->last_fetch, 0, sizeof(sh->last_fetch));
}

static void new_phase(struct shadow *sh)
{
	memset(sh->dup_answers, 0, sizeof(sh->dup_answers));
}

/* The CLOCKs to one source in (now - 1 s, now], this one included. */
static void clock_sent(struct shadow *sh, unsigned int src, uint64_t now)
{
	unsigned int n = sh->nclock[src] % MAX_CLOCK, in = 0;

	sh->clock[src][n] = now;
	sh->nclock[src]++;
	for (unsigned int i = 0; i < MAX_CLOCK && i < sh->nclock[src]; i++)
		in += sh->clock[src][i] > now - SEC && sh->clock[src][i] <= now;
	require(in <= SR_CLOCK_RATE);
}

/* One datagram from source src through the server; checks its answer. */
static void serve(struct state *st, const uint8_t *d, size_t len,
		  unsigned int src)
{
	uint8_t buf[SR_ANSWER_MAX];
	struct sr_answer ans = { .buf = buf,
				 .reserve = reserve,
				 .reserve_arg = st };
	struct sr_source s = source(src);
	unsigned int calls = st->reserve_calls;
	uint64_t last_ts[2] = { st->rec[0].last_ts, st->rec[1].last_ts };
	struct sr_msg msg;
	struct shadow *sh;
	int k;

	for (k = 0; k < 2; k++) {
		keys[k].rec = &st->rec[k];
		sr_handle(d, len, &s, &keys[k], st->now, st->enabled, &ans);
		require(ans.verdict < SR_VERDICT_COUNT);
		if (ans.verdict != SR_OTHER_KEY)
			break;
		require(!ans.len);
	}
	if (k == 2) { /* UNKNOWN_KEY */
		require(st->reserve_calls == calls);
		return;
	}
	sh = &st->sh[k];
	require(ans.len <= len && ans.len <= SR_ANSWER_MAX);
	if (ans.len)
		require(ans.verdict == SR_ACCEPTED ||
			ans.verdict == SR_DUPLICATE ||
			ans.verdict == SR_REFUSED || ans.verdict == SR_TIME ||
			ans.verdict == SR_FETCH);
	if (ans.verdict == SR_MALFORMED) {
		require(!sr_parse(d, len, &msg) && st->reserve_calls == calls);
		return;
	}
	require(sr_parse(d, len, &msg));
	/* The reserve: asked once for ACCEPTED, and for IGNORED requests. */
	if (ans.verdict == SR_ACCEPTED ||
	    (ans.verdict == SR_IGNORED && msg.type == SR_T_REQUEST))
		require(st->reserve_calls == calls + 1 &&
			st->short_mem == (ans.verdict == SR_IGNORED));
	else
		require(st->reserve_calls == calls);
	if (ans.verdict == SR_IGNORED && msg.type == SR_T_REQUEST)
		require(!ans.len && st->rec[k].last_ts == last_ts[k]);
	switch (ans.verdict) {
	case SR_ACCEPTED:
	case SR_REFUSED: {
		uint8_t status;

		require(msg.type == SR_T_REQUEST);
		require(ans.generation == st->rec[k].generation);
		for (size_t i = 0; i < st->nseen; i++)
			require(st->seen[i].key != k ||
				st->seen[i].generation != ans.generation ||
				st->seen[i].ts != msg.timestamp ||
				memcmp(st->seen[i].nonce, msg.nonce,
				       SR_NONCE_LEN) != 0);
		if (st->nseen < MAX_SEEN) {
			struct seen *n = &st->seen[st->nseen++];

			n->key = (uint8_t)k;
			n->generation = ans.generation;
			n->ts = msg.timestamp;
			memcpy(n->nonce, msg.nonce, SR_NONCE_LEN);
		}
		new_phase(sh);
		if (ans.len)
			require(sr_verify_ack(&mac[k], st->rec[k].epoch, d, len,
					      buf, ans.len, &status) &&
				status == (ans.verdict == SR_ACCEPTED ?
						   SR_ACK_ACCEPTED :
						   SR_ACK_REFUSED));
		if (ans.verdict == SR_ACCEPTED &&
		    (msg.flags & SR_FLAG_REPORT) && st->npend < MAX_PEND) {
			struct pending *p = &st->pend[st->npend++];

			p->key = k;
			p->generation = ans.generation;
			memcpy(p->req, d, len);
			p->len = len;
		}
		break;
	}
	case SR_DUPLICATE: {
		unsigned int answered = 0;
		uint16_t chunks;
		uint8_t status;

		require(msg.type == SR_T_REQUEST);
		if (!ans.len)
			break;
		require(++sh->dup_answers[src] <= SR_ANSWERS);
		for (unsigned int i = 0; i < NSRC; i++)
			answered += sh->dup_answers[i] > 0;
		require(answered <= SR_SOURCES);
		if (buf[3] == SR_T_REPORT)
			require(sr_verify_report(&mac[k], st->rec[k].epoch, d,
						 len, buf, ans.len, &status,
						 &chunks));
		else
			require(sr_verify_ack(&mac[k], st->rec[k].epoch, d, len,
					      buf, ans.len, &status) &&
				status != SR_ACK_ACCEPTED);
		break;
	}
	case SR_TIME: {
		uint8_t epoch[SR_EPOCH_LEN];
		uint64_t t;

		require(msg.type == SR_T_TIME && ans.len == SR_CLOCK_LEN);
		require(sr_verify_clock(&mac[k], d, buf, ans.len, &t, epoch) &&
			t == st->now &&
			!memcmp(epoch, st->rec[k].epoch, SR_EPOCH_LEN));
		clock_sent(sh, src, st->now);
		break;
	}
	case SR_FETCH: {
		uint8_t plain[SR_CHUNK];
		uint16_t index, total;
		size_t tl;

		require(msg.type == SR_T_FETCH && ans.len);
		require(sh->out_req_len && msg.index < sh->total);
		require(msg.timestamp > sh->last_fetch[msg.index]);
		sh->last_fetch[msg.index] = msg.timestamp;
		require(++sh->sent[msg.index] <= SR_RESENDS);
		require(sr_open_output(&mac[k], st->rec[k].epoch, sh->out_req,
				       sh->out_req_len, buf, ans.len, &index,
				       &total, plain, &tl) &&
			index == msg.index && total == sh->total);
		require(!memcmp(plain, text + (size_t)index * SR_CHUNK, tl));
		break;
	}
	default:
		require(!ans.len);
		break;
	}
}

/* The oldest pending request is done, with tlen bytes of output. */
static void done(struct state *st, size_t tlen, uint8_t status)
{
	struct pending p;
	struct sr_output *out = NULL, *back;
	uint8_t report[SR_REPORT_LEN];
	struct sr_record *rec;
	uint16_t chunks = tlen ? sr_output_chunks(tlen) : 0;

	if (!st->npend)
		return;
	p = st->pend[0];
	memmove(st->pend, st->pend + 1, --st->npend * sizeof(st->pend[0]));
	rec = &st->rec[p.key];
	if (tlen) {
		out = calloc(1, sizeof(*out) + chunks * sizeof(out->chunk[0]));
		require(out != NULL);
		require(!sr_output_build(out, &mac[p.key], rec->epoch, p.req,
					 p.len, text, tlen));
	}
	require(sr_build_report(&mac[p.key], rec->epoch, p.req, p.len, status,
				chunks, report) == SR_REPORT_LEN);
	if (rec->generation == p.generation && rec->last_len == p.len &&
	    !memcmp(rec->last, p.req, p.len))
		new_phase(&st->sh[p.key]);
	back = sr_record_done(rec, p.generation, p.req, p.len, report, out,
			      st->now);
	if (out && back != out) {
		require(rec->out == out);
		forget_output(&st->sh[p.key]);
		memcpy(st->sh[p.key].out_req, p.req, p.len);
		st->sh[p.key].out_req_len = p.len;
		st->sh[p.key].total = chunks;
	}
	if (back == out)
		require(!out || rec->generation != p.generation);
	free(back);
}

/* Candidate answers: the client's checks accept only the genuine ones. */
static void candidate(struct state *st, const uint8_t *c, size_t clen)
{
	uint8_t genuine[SR_ANSWER_MAX], epoch[SR_EPOCH_LEN], status;
	uint16_t chunks;
	uint64_t t;
	int k = st->last_req_key;

	if (st->last_req_len) {
		const uint8_t *ep = st->rec[k].epoch;

		if (sr_verify_ack(&mac[k], ep, st->last_req, st->last_req_len,
				  c, clen, &status)) {
			require(sr_build_ack(&mac[k], ep, st->last_req,
					     st->last_req_len, status,
					     genuine) == clen);
			require(!memcmp(genuine, c, clen));
		}
		if (sr_verify_report(&mac[k], ep, st->last_req,
				     st->last_req_len, c, clen, &status,
				     &chunks)) {
			require(sr_build_report(&mac[k], ep, st->last_req,
						st->last_req_len, status,
						chunks, genuine) == clen);
			require(!memcmp(genuine, c, clen));
		}
	}
	k = st->last_time_key;
	if (st->last_time[0] &&
	    sr_verify_clock(&mac[k], st->last_time, c, clen, &t, epoch)) {
		require(sr_build_clock(&mac[k], st->last_time, t, epoch,
				       genuine) == clen);
		require(!memcmp(genuine, c, clen));
	}
}

/* Take up to n bytes of the program into f (zero-filled). */
static void take(const uint8_t **data, size_t *size, uint8_t *f, size_t n)
{
	size_t t = *size < n ? *size : n;

	memset(f, 0, n);
	memcpy(f, *data, t);
	*data += t;
	*size -= t;
}

static void flip(uint8_t *d, size_t len, uint8_t where, uint8_t bit)
{
	d[(size_t)where * 7 % len] ^= (uint8_t)(1u << (bit & 7));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct state st;
	uint8_t d[SR_FETCH_LEN + 8], f[16], nonce[SR_NONCE_LEN];
	uint8_t epoch[SR_EPOCH_LEN];
	size_t len;

	memset(&st, 0, sizeof(st));
	st.now = T0;
	st.enabled = SR_ALL_KEYS;
	for (int k = 0; k < 2; k++) {
		memset(epoch, 0xe0 + k, sizeof(epoch));
		sr_record_init(&st.rec[k], keys[k].key_id, epoch);
	}

	while (size >= 2) {
		uint8_t op = data[0] % 10, arg = data[1];
		int k = arg & 1;

		data += 2;
		size -= 2;
		switch (op) {
		case 0: /* a raw datagram: its bytes, zeros after them */
			take(&data, &size, f, 2);
			len = ((size_t)arg << 3 | (f[0] & 7)) % sizeof(d);
			memset(d, 0, sizeof(d));
			take(&data, &size, d, len < 64 ? len : 64);
			serve(&st, d, len, f[1] % NSRC);
			break;
		case 1: { /* a REQUEST, maybe mutated */
			static const char pick[] = "shumtw0zbco";
			uint8_t ks[SR_MAX_KEYS], n;

			take(&data, &size, f, 16);
			n = (uint8_t)(1 + f[0] % 4);
			for (uint8_t i = 0; i < n; i++)
				ks[i] = (uint8_t)
					pick[f[1 + i] % (i == n - 1 ? 11 : 8)];
			memset(nonce, f[5], sizeof(nonce));
			len = sr_build_request(
				&mac[k], keys[k].key_id, st.rec[k].epoch,
				st.now + (uint64_t)(int64_t)(int8_t)f[6] *
						 (SEC / 2),
				nonce, f[7] % 4, ks, n, d);
			if (!len)
				break;
			memcpy(st.last_req, d, len);
			st.last_req_len = len;
			st.last_req_key = k;
			if (arg & 2)
				flip(d, len, f[8], f[9]);
			serve(&st, d, len, f[10] % NSRC);
			break;
		}
		case 2: /* the protocol clock moves forward */
			st.now += arg < 128 ? arg * (SEC / 4) :
					      (uint64_t)(arg - 128) * 1000;
			break;
		case 3: /* kernel.sysrq changes, memory runs short or not */
			st.enabled = (arg & 2) ? SR_ALL_KEYS :
						 SR_ALL_KEYS & ~sr_key_bit('b');
			st.short_mem = arg & 4;
			break;
		case 4: /* a TIME probe, maybe mutated */
			take(&data, &size, f, 4);
			memset(nonce, f[0], sizeof(nonce));
			len = sr_build_time(&mac[k], keys[k].key_id,
					    st.now - f[1] * SEC, nonce, d);
			require(len == SR_TIME_LEN);
			memcpy(st.last_time, d, len);
			st.last_time_key = k;
			if (arg & 2)
				flip(d, len, f[2], f[3]);
			serve(&st, d, len, f[2] % NSRC);
			break;
		case 5: { /* a FETCH for the kept output, maybe mutated */
			const struct shadow *sh = &st.sh[k];

			take(&data, &size, f, 6);
			if (!sh->out_req_len)
				break;
			memset(nonce, f[0], sizeof(nonce));
			len = sr_build_fetch(
				&mac[k], st.rec[k].epoch,
				st.now - (uint64_t)f[1] * (SEC / 4) + f[2],
				nonce, sh->out_req, sh->out_req_len,
				(uint16_t)(f[3] % 7), d);
			require(len == SR_FETCH_LEN);
			if (arg & 2)
				flip(d, len, f[4], f[5]);
			serve(&st, d, len, f[4] % NSRC);
			break;
		}
		case 6: /* the oldest pending request is done */
			take(&data, &size, f, 1);
			done(&st, (size_t)arg * 23 % MAX_TEXT,
			     (uint8_t)(f[0] & 3));
			break;
		case 7: { /* a VM fork: record k gets a new epoch */
			struct sr_output *old;

			memset(epoch, ++st.epoch_seq, sizeof(epoch));
			old = sr_record_renew(&st.rec[k], epoch);
			free(old);
			forget_output(&st.sh[k]);
			new_phase(&st.sh[k]);
			/* The core starts the record afresh: rates too. */
			memset(st.sh[k].nclock, 0, sizeof(st.sh[k].nclock));
			memset(st.sh[k].clock, 0, sizeof(st.sh[k].clock));
			break;
		}
		case 8: /* kept output expires */
			for (int i = 0; i < 2; i++) {
				struct sr_output *old =
					sr_record_expire(&st.rec[i], st.now);

				if (old)
					forget_output(&st.sh[i]);
				free(old);
			}
			break;
		default: /* a candidate answer */
			len = arg % (SR_ANSWER_MAX + 1);
			if (len > size)
				len = size;
			memcpy(d, data, len);
			data += len;
			size -= len;
			candidate(&st, d, len);
			break;
		}
	}
	for (int k = 0; k < 2; k++) {
		free(st.rec[k].out);
		st.rec[k].out = NULL;
	}
	return 0;
}
