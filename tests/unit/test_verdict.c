// SPDX-License-Identifier: GPL-2.0
/* REQUEST verdicts: their order, STALE's bounds, DUPLICATE's answers, records. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"

#define ACKREP (SR_FLAG_ACK | SR_FLAG_REPORT)

/* The answer in fx is an ACK for req with status st. */
static bool ack_is(struct fixture *fx, int k, const uint8_t *req, size_t len,
		   uint8_t st)
{
	uint8_t got;

	return fx->ans.len == len &&
	       sr_verify_ack(&fx->mac[k], fx->rec[k].epoch, req, len,
			     fx->ans.buf, fx->ans.len, &got) &&
	       got == st;
}

static void request_order(void)
{
	struct fixture fx;
	uint8_t b[SR_REQ_MAX_LEN], r2[SR_REQ_MAX_LEN];
	struct sr_source src = fixture_src(0);
	size_t len, len2;

	fixture_init(&fx);
	len = fixture_request(&fx, 1, T0, 1, SR_FLAG_ACK, "s", b);
	CHECK(len == 63, "build: a request of one key, 63 bytes");
	CHECK(fixture_serve(&fx, 1, b, len, &src, T0, SR_ALL_KEYS) ==
			      SR_UNKNOWN_KEY &&
		      !fx.ans.len,
	      "REQUEST: no holder of the key id: UNKNOWN_KEY, no answer");
	sr_handle(b, len, &src, &fx.keys[0], T0, SR_ALL_KEYS, &fx.ans);
	CHECK(fx.ans.verdict == SR_OTHER_KEY && !fx.ans.len,
	      "REQUEST: a holder of another key says OTHER_KEY");
	b[2] = 1;
	CHECK(fixture_serve(&fx, 0, b, len, &src, T0, SR_ALL_KEYS) ==
		      SR_MALFORMED,
	      "REQUEST: MALFORMED comes before UNKNOWN_KEY, even with no keys");
	b[2] = SR_VERSION;
	CHECK(fixture_verdict(&fx, b, len, T0) == SR_ACCEPTED &&
		      ack_is(&fx, 1, b, len, SR_ACK_ACCEPTED) &&
		      fx.ans.generation == fx.rec[1].generation,
	      "REQUEST: the second rule takes it: ACCEPTED, ACK status 0");

	/* DUPLICATE before STALE: the recorded request long after. */
	CHECK(fixture_verdict(&fx, b, len, T0 + 600 * SEC) == SR_DUPLICATE &&
		      ack_is(&fx, 1, b, len, SR_ACK_DUPLICATE),
	      "REQUEST: DUPLICATE comes before STALE (ACK status 1)");

	/* STALE before BAD_MAC: a stale datagram with a broken MAC. */
	len = fixture_request(&fx, 0, T0, 2, SR_FLAG_ACK, "s", b);
	b[len - 1] ^= 1;
	CHECK(fixture_verdict(&fx, b, len, T0 + 31 * SEC) == SR_STALE &&
		      !fx.ans.len,
	      "REQUEST: STALE comes before BAD_MAC, no answer");
	CHECK(fixture_verdict(&fx, b, len, T0) == SR_BAD_MAC && !fx.ans.len,
	      "REQUEST: in time, the broken MAC is BAD_MAC, no answer");
	b[len - 1] ^= 1;
	CHECK(fixture_verdict(&fx, b, len, T0) == SR_ACCEPTED,
	      "REQUEST: repaired, it is ACCEPTED");
	/* BAD_MAC before DUPLICATE and REPLAY: a forged copy never counts. */
	b[len - 1] ^= 1;
	CHECK(fixture_verdict(&fx, b, len, T0) == SR_BAD_MAC && !fx.ans.len,
	      "REQUEST: a forged copy of the recorded request is BAD_MAC");
	b[len - 1] ^= 1;
	/* REPLAY before REFUSED: older, and for a key not allowed. */
	fx.keys[0].allow = 0;
	len2 = fixture_request(&fx, 0, T0 - SEC, 3, SR_FLAG_ACK, "s", r2);
	CHECK(fixture_verdict(&fx, r2, len2, T0) == SR_REPLAY && !fx.ans.len,
	      "REQUEST: REPLAY comes before REFUSED, no answer");
	len2 = fixture_request(&fx, 0, T0, 4, SR_FLAG_ACK, "s", r2);
	CHECK(fixture_verdict(&fx, r2, len2, T0) == SR_REPLAY,
	      "REQUEST: a timestamp equal to the last one is a REPLAY");
	len2 = fixture_request(&fx, 0, T0 + 1, 5, SR_FLAG_ACK, "s", r2);
	CHECK(fixture_verdict(&fx, r2, len2, T0) == SR_REFUSED &&
		      ack_is(&fx, 0, r2, len2, SR_ACK_REFUSED),
	      "REQUEST: not allowed: REFUSED, ACK status 2");
	CHECK(fixture_verdict(&fx, r2, len2, T0) == SR_DUPLICATE &&
		      ack_is(&fx, 0, r2, len2, SR_ACK_REFUSED),
	      "REQUEST: a refused request again: DUPLICATE, ACK status 2");
	fx.keys[0].allow = SR_ALL_KEYS;
	len2 = fixture_request(&fx, 0, T0 + 2, 6, SR_FLAG_ACK, "sub", r2);
	CHECK(fixture_verdict(&fx, r2, len2, T0) == SR_ACCEPTED,
	      "REQUEST: a refused request was recorded: the next is newer");
	len2 = fixture_request(&fx, 0, T0 + 3, 7, SR_FLAG_ACK, "sub", r2);
	sr_handle(r2, len2, &src, &fx.keys[0], T0, sr_key_bit('s'), &fx.ans);
	CHECK(fx.ans.verdict == SR_REFUSED,
	      "REQUEST: kernel.sysrq disabling one of its keys: REFUSED "
	      "(all or nothing)");
	len2 = fixture_request(&fx, 0, T0 + 4, 8, 0, "h", r2);
	CHECK(fixture_verdict(&fx, r2, len2, T0) == SR_ACCEPTED && !fx.ans.len,
	      "REQUEST: no ACK wanted: ACCEPTED, no answer");
	CHECK(fixture_verdict(&fx, r2, len2, T0) == SR_DUPLICATE && !fx.ans.len,
	      "REQUEST: no ACK wanted: its DUPLICATE gets no answer either");
	fixture_free(&fx);
}

static void request_stale(void)
{
	struct fixture fx;
	uint8_t b[SR_REQ_MAX_LEN];
	size_t len;
	const uint64_t tol = SR_TOLERANCE_DEFAULT * SEC;

	fixture_init(&fx);
	len = fixture_request(&fx, 0, T0, 1, SR_FLAG_ACK, "h", b);
	CHECK(fixture_verdict(&fx, b, len, T0 + tol + 1) == SR_STALE,
	      "STALE: 1 ns more than the tolerance behind is stale");
	CHECK(fixture_verdict(&fx, b, len, T0 - SR_FUTURE - 1) == SR_STALE,
	      "STALE: 1 ns more than FUTURE ahead is stale");
	CHECK(fixture_verdict(&fx, b, len, T0 + tol) == SR_ACCEPTED,
	      "STALE: exactly the tolerance behind is in time");
	len = fixture_request(&fx, 0, T0 + 1, 2, SR_FLAG_ACK, "h", b);
	CHECK(fixture_verdict(&fx, b, len, T0 + 1 - SR_FUTURE) == SR_ACCEPTED,
	      "STALE: exactly FUTURE ahead is in time");
	fx.keys[0].tolerance = SR_TOLERANCE_MIN;
	len = fixture_request(&fx, 0, T0 + 2, 3, SR_FLAG_ACK, "h", b);
	CHECK(fixture_verdict(&fx, b, len, T0 + 2 + 15 * SEC + 1) == SR_STALE &&
		      fixture_verdict(&fx, b, len, T0 + 2 + 15 * SEC) ==
			      SR_ACCEPTED,
	      "STALE: the holder's own tolerance applies (15 s)");
	fx.keys[0].tolerance = SR_TOLERANCE_DEFAULT;
	len = fixture_request(&fx, 0, UINT64_MAX, 4, SR_FLAG_ACK, "h", b);
	CHECK(fixture_verdict(&fx, b, len, 0) == SR_STALE &&
		      fixture_verdict(&fx, b, len, UINT64_MAX - 3 * SEC) ==
			      SR_STALE,
	      "STALE: extreme timestamps do not wrap around");
	len = fixture_request(&fx, 0, 0, 5, SR_FLAG_ACK, "h", b);
	CHECK(fixture_verdict(&fx, b, len, UINT64_MAX) == SR_STALE,
	      "STALE: timestamp 0 at the end of time is stale");
	fixture_free(&fx);
}

/* n answers to the recorded request from source i; how many came. */
static int answers(struct fixture *fx, const uint8_t *b, size_t len, int i,
		   int n, uint64_t now, const uint8_t *want, size_t want_len)
{
	struct sr_source src = fixture_src(i);
	int got = 0;

	for (int j = 0; j < n; j++) {
		if (fixture_serve(fx, 2, b, len, &src, now, SR_ALL_KEYS) !=
		    SR_DUPLICATE)
			return -1;
		if (!fx->ans.len)
			continue;
		if (fx->ans.len != want_len ||
		    memcmp(fx->ans.buf, want, want_len) != 0)
			return -1;
		got++;
	}
	return got;
}

static void duplicate_answers(void)
{
	struct fixture fx;
	uint8_t b[SR_REQ_MAX_LEN], ack[SR_REQ_MAX_LEN];
	uint8_t report[SR_REPORT_LEN];
	uint16_t chunks;
	uint8_t st;
	uint32_t gen;
	size_t len;
	int n[SR_SOURCES + 1];

	fixture_init(&fx);
	len = fixture_request(&fx, 0, T0, 1, ACKREP, "h", b);
	CHECK(fixture_verdict(&fx, b, len, T0) == SR_ACCEPTED,
	      "DUPLICATE: the request is accepted from source 0");
	gen = fx.ans.generation;
	sr_build_ack(&fx.mac[0], fx.rec[0].epoch, b, len, SR_ACK_DUPLICATE,
		     ack);
	for (int i = 0; i <= SR_SOURCES; i++)
		n[i] = answers(&fx, b, len, i, SR_ANSWERS + 3, T0 + SEC, ack,
			       len);
	CHECK(n[0] == SR_ANSWERS,
	      "DUPLICATE: its own source gets ANSWERS (%d) ACKs (status 1), "
	      "then none (got %d)",
	      SR_ANSWERS, n[0]);
	CHECK(n[1] == SR_ANSWERS && n[2] == SR_ANSWERS && n[3] == SR_ANSWERS,
	      "DUPLICATE: SOURCES-1 other sources get ANSWERS each (%d %d %d)",
	      n[1], n[2], n[3]);
	CHECK(n[4] == 0, "DUPLICATE: a fifth source gets nothing (got %d)",
	      n[4]);

	/* The REPORT: a new phase, answered with the REPORT alone. */
	CHECK(!fixture_done(&fx, 0, gen, b, len, 0, NULL, 0, T0 + 2 * SEC),
	      "DUPLICATE: the request is done, no output");
	CHECK(fx.rec[0].has_report, "records: the REPORT is recorded");
	memcpy(report, fx.rec[0].report, SR_REPORT_LEN);
	CHECK(sr_verify_report(&fx.mac[0], fx.rec[0].epoch, b, len, report,
			       SR_REPORT_LEN, &st, &chunks) &&
		      st == 0 && chunks == 0,
	      "DUPLICATE: the recorded REPORT verifies: status 0, no chunks");
	for (int i = 0; i < SR_SOURCES; i++)
		n[i] = answers(&fx, b, len, i, SR_ANSWERS + 2, T0 + 3 * SEC,
			       report, SR_REPORT_LEN);
	CHECK(n[0] == SR_ANSWERS && n[1] == SR_ANSWERS && n[2] == SR_ANSWERS &&
		      n[3] == SR_ANSWERS,
	      "DUPLICATE: after the REPORT, each counted source gets ANSWERS "
	      "REPORTs afresh (%d %d %d %d)",
	      n[0], n[1], n[2], n[3]);

	/* Another source's copy recorded first: its source is the own one. */
	len = fixture_request(&fx, 1, T0, 2, SR_FLAG_ACK, "h", b);
	{
		struct sr_source s3 = fixture_src(3);

		CHECK(fixture_serve(&fx, 2, b, len, &s3, T0, SR_ALL_KEYS) ==
			      SR_ACCEPTED,
		      "DUPLICATE: key 1's request accepted from source 3");
	}
	sr_build_ack(&fx.mac[1], fx.rec[1].epoch, b, len, SR_ACK_DUPLICATE,
		     ack);
	for (int i = 4; i < 4 + SR_SOURCES; i++)
		n[i - 4] = answers(&fx, b, len, i, SR_ANSWERS, T0, ack, len);
	CHECK(n[0] == SR_ANSWERS && n[1] == SR_ANSWERS && n[2] == SR_ANSWERS &&
		      n[3] == 0,
	      "DUPLICATE: the recorded source keeps its slot: 3 others, "
	      "then none (%d %d %d %d)",
	      n[0], n[1], n[2], n[3]);
	CHECK(answers(&fx, b, len, 3, SR_ANSWERS + 1, T0, ack, len) ==
		      SR_ANSWERS,
	      "DUPLICATE: the recorded source still gets its ANSWERS");
	fixture_free(&fx);
}

static void records(void)
{
	struct fixture fx;
	uint8_t b[SR_REQ_MAX_LEN], r2[SR_REQ_MAX_LEN];
	uint8_t epoch[SR_EPOCH_LEN];
	struct sr_output *out;
	static const uint8_t text[] = "sysrq: Show Memory\n";
	uint32_t gen;
	size_t len, len2;

	fixture_init(&fx);
	len = fixture_request(&fx, 0, T0, 1, ACKREP, "m", b);
	CHECK(fixture_verdict(&fx, b, len, T0) == SR_ACCEPTED,
	      "records: a request accepted");
	gen = fx.ans.generation;
	CHECK(fx.rec[0].last_len == len && !memcmp(fx.rec[0].last, b, len) &&
		      fx.rec[0].last_status == SR_ACK_ACCEPTED &&
		      fx.rec[0].last_ts == T0,
	      "records: the whole datagram is the record's last request");

	/* A new epoch: the last request is forgotten. */
	memset(epoch, 0x77, sizeof(epoch));
	out = sr_record_renew(&fx.rec[0], epoch);
	CHECK(!out && fx.rec[0].generation == gen + 1 && !fx.rec[0].last_len &&
		      !memcmp(fx.rec[0].epoch, epoch, SR_EPOCH_LEN),
	      "records: renewal takes the epoch, bumps the generation, "
	      "forgets the last request");
	CHECK(fixture_verdict(&fx, b, len, T0) == SR_BAD_MAC,
	      "records: after renewal the old request is no DUPLICATE but "
	      "BAD_MAC (made for the old epoch)");
	CHECK(fixture_done(&fx, 0, gen, b, len, 0, text, sizeof(text) - 1,
			   T0 + SEC) &&
		      !fx.rec[0].has_report && !fx.rec[0].out,
	      "records: done under a stale generation: no REPORT recorded, "
	      "the output handed back, not kept");
	len2 = fixture_request(&fx, 0, T0 - 5 * SEC, 2, ACKREP, "m", r2);
	CHECK(fixture_verdict(&fx, r2, len2, T0) == SR_ACCEPTED &&
		      fx.ans.generation == gen + 1,
	      "records: the new epoch's first request is accepted although "
	      "older (REPLAY state forgotten)");
	gen = fx.ans.generation;

	/* Done for a request that is no longer the last: no REPORT phase. */
	len = fixture_request(&fx, 0, T0, 3, SR_FLAG_ACK, "h", b);
	CHECK(fixture_verdict(&fx, b, len, T0) == SR_ACCEPTED,
	      "records: a later request accepted before the first is done");
	CHECK(!fixture_done(&fx, 0, gen, r2, len2, 0, text, sizeof(text) - 1,
			    T0 + SEC) &&
		      !fx.rec[0].has_report && fx.rec[0].out &&
		      fx.rec[0].out->done_at == T0 + SEC,
	      "records: done for an earlier request: its output is kept, but "
	      "no REPORT phase for the later one");
	out = sr_record_renew(&fx.rec[0], epoch);
	CHECK(out && !fx.rec[0].out,
	      "records: renewal hands back the kept output for freeing");
	free(out);
	fixture_free(&fx);
}

/* The reserve of the test below: counts its calls, says yes or no. */
struct reserve_state {
	int calls;
	bool give;
};

static bool reserve_count(void *arg)
{
	struct reserve_state *r = arg;

	r->calls++;
	return r->give;
}

/* The caller's reserve runs for ACCEPTED only; a refusal records nothing. */
static void reserve_only_accepted(void)
{
	struct fixture fx;
	struct reserve_state r = { 0, true };
	struct sr_source src = fixture_src(0);
	uint8_t b[SR_REQ_MAX_LEN], r2[SR_REQ_MAX_LEN];
	size_t len, len2;

	fixture_init(&fx);
	fx.ans.reserve = reserve_count;
	fx.ans.reserve_arg = &r;
	len = fixture_request(&fx, 0, T0, 1, SR_FLAG_ACK, "s", b);
	CHECK(fixture_verdict(&fx, b, len, T0) == SR_ACCEPTED && r.calls == 1,
	      "reserve: called once for an ACCEPTED request");
	CHECK(fixture_verdict(&fx, b, len, T0) == SR_DUPLICATE && r.calls == 1,
	      "reserve: not called for its DUPLICATE");
	len2 = fixture_request(&fx, 0, T0 - SEC, 2, SR_FLAG_ACK, "s", r2);
	CHECK(fixture_verdict(&fx, r2, len2, T0) == SR_REPLAY && r.calls == 1,
	      "reserve: not called for a REPLAY");
	CHECK(fixture_verdict(&fx, r2, len2, T0 + 31 * SEC) == SR_STALE &&
		      r.calls == 1,
	      "reserve: not called for a STALE request");
	len2 = fixture_request(&fx, 0, T0 + SEC, 3, SR_FLAG_ACK, "s", r2);
	r2[len2 - 1] ^= 1;
	CHECK(fixture_verdict(&fx, r2, len2, T0 + SEC) == SR_BAD_MAC &&
		      r.calls == 1,
	      "reserve: not called for BAD_MAC");
	len2 = fixture_request(&fx, 0, T0 + SEC, 4, SR_FLAG_ACK, "b", r2);
	CHECK(fixture_serve(&fx, 2, r2, len2, &src, T0 + SEC,
			    sr_key_bit('s')) == SR_REFUSED &&
		      r.calls == 1,
	      "reserve: not called for a REFUSED request");

	/* No reserve: IGNORED, no answer, the record as it was. */
	r.give = false;
	len2 = fixture_request(&fx, 0, T0 + 2 * SEC, 5, SR_FLAG_ACK, "s", r2);
	CHECK(fixture_verdict(&fx, r2, len2, T0 + 2 * SEC) == SR_IGNORED &&
		      !fx.ans.len && r.calls == 2 &&
		      fx.rec[0].last_ts == T0 + SEC,
	      "reserve: refused: IGNORED, no answer, nothing recorded");
	r.give = true;
	CHECK(fixture_verdict(&fx, r2, len2, T0 + 2 * SEC) == SR_ACCEPTED &&
		      r.calls == 3 && fx.rec[0].last_ts == T0 + 2 * SEC,
	      "reserve: the same request sent again is judged afresh: "
	      "ACCEPTED");
	fixture_free(&fx);
}

void test_verdict(void)
{
	request_order();
	request_stale();
	duplicate_answers();
	records();
	reserve_only_accepted();
}
