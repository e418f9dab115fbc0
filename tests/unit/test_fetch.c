// SPDX-License-Identifier: GPL-2.0
/* TIME and CLOCK_RATE; FETCH: order, freshness, RESENDS, KEEP, replacement. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"

static void time_order(void)
{
	struct fixture fx;
	uint8_t t[SR_FETCH_LEN], ep[SR_EPOCH_LEN];
	struct sr_source src = fixture_src(0);
	uint64_t clk;
	size_t len;

	fixture_init(&fx);
	len = fixture_time(&fx, 1, 5, 1, t);
	CHECK(len == SR_TIME_LEN, "build: a TIME probe, 68 bytes");
	t[30] = 1;
	CHECK(fixture_serve(&fx, 0, t, len, &src, T0, SR_ALL_KEYS) ==
		      SR_MALFORMED,
	      "TIME: non-zero padding is MALFORMED, even with no keys");
	t[30] = 0;
	CHECK(fixture_serve(&fx, 1, t, len, &src, T0, SR_ALL_KEYS) ==
			      SR_UNKNOWN_KEY &&
		      !fx.ans.len,
	      "TIME: no holder of the key id: UNKNOWN_KEY, no answer");
	t[len - 1] ^= 1;
	CHECK(fixture_verdict(&fx, t, len, T0) == SR_BAD_MAC && !fx.ans.len,
	      "TIME: a broken MAC is BAD_MAC, no answer");
	t[len - 1] ^= 1;
	CHECK(fixture_verdict(&fx, t, len, T0) == SR_TIME &&
		      fx.ans.len == SR_CLOCK_LEN &&
		      sr_verify_clock(&fx.mac[1], t, fx.ans.buf, fx.ans.len,
				      &clk, ep) &&
		      clk == T0 && !memcmp(ep, fx.rec[1].epoch, SR_EPOCH_LEN),
	      "TIME: no clock check (timestamp 5 ns): a CLOCK with T and the "
	      "record's epoch");
	CHECK(fixture_verdict(&fx, t, len, T0) == SR_TIME,
	      "TIME: the same probe again is answered again (no replay "
	      "state)");
	fixture_free(&fx);
}

static void clock_rate(void)
{
	struct fixture fx;
	uint8_t t[SR_TIME_LEN];
	struct sr_source s0 = fixture_src(0), s1 = fixture_src(1);
	enum sr_verdict first, second;
	int got = 0;
	size_t len;

	fixture_init(&fx);
	len = fixture_time(&fx, 0, T0, 1, t);
	for (int i = 0; i < SR_CLOCK_RATE; i++)
		got += fixture_serve(&fx, 2, t, len, &s0, T0 + i,
				     SR_ALL_KEYS) == SR_TIME;
	CHECK(got == SR_CLOCK_RATE, "CLOCK_RATE: %d CLOCKs in a second",
	      SR_CLOCK_RATE);
	CHECK(fixture_serve(&fx, 2, t, len, &s0, T0 + SEC - 1, SR_ALL_KEYS) ==
			      SR_RATE &&
		      !fx.ans.len,
	      "CLOCK_RATE: the next within (T-1 s, T] is RATE, no answer");
	CHECK(fixture_serve(&fx, 2, t, len, &s1, T0 + SEC - 1, SR_ALL_KEYS) ==
		      SR_TIME,
	      "CLOCK_RATE: another source (port) has its own budget");
	len = fixture_time(&fx, 1, T0, 2, t);
	CHECK(fixture_serve(&fx, 2, t, len, &s0, T0 + SEC - 1, SR_ALL_KEYS) ==
		      SR_TIME,
	      "CLOCK_RATE: another key id has its own budget");
	len = fixture_time(&fx, 0, T0, 1, t);
	CHECK(fixture_serve(&fx, 2, t, len, &s0, T0 + SEC, SR_ALL_KEYS) ==
		      SR_TIME,
	      "CLOCK_RATE: exactly 1 s after the first, it is out of the "
	      "window: TIME");
	CHECK(fixture_serve(&fx, 2, t, len, &s0, T0 + SEC, SR_ALL_KEYS) ==
		      SR_RATE,
	      "CLOCK_RATE: ... but the second (T0+1 ns) is still inside: RATE");
	first = fixture_serve(&fx, 2, t, len, &s0, T0 + SEC + 1, SR_ALL_KEYS);
	second = fixture_serve(&fx, 2, t, len, &s0, T0 + SEC + 1, SR_ALL_KEYS);
	CHECK(first == SR_TIME && second == SR_RATE,
	      "CLOCK_RATE: 1 ns later one more slot is free, only one");
	fixture_free(&fx);

	/* More sources than are kept: the least recently seen is forgotten. */
	fixture_init(&fx);
	len = fixture_time(&fx, 0, T0, 1, t);
	for (int i = 0; i <= SR_CLOCK_RATE; i++)
		fixture_serve(&fx, 2, t, len, &s0, T0, SR_ALL_KEYS);
	CHECK(fx.ans.verdict == SR_RATE, "CLOCK_RATE: source 0 is at RATE");
	for (int i = 2; i < 2 + SR_CLOCK_SOURCES; i++) {
		struct sr_source s = fixture_src(i);

		fixture_serve(&fx, 2, t, len, &s, T0 + 1, SR_ALL_KEYS);
	}
	got = 0;
	for (int i = 0; i < SR_CLOCK_RATE; i++)
		got += fixture_serve(&fx, 2, t, len, &s0, T0 + 2,
				     SR_ALL_KEYS) == SR_TIME;
	CHECK(got == SR_CLOCK_RATE,
	      "CLOCK_RATE: after %d other sources, source 0 was forgotten and "
	      "starts afresh (%d of %d)",
	      SR_CLOCK_SOURCES, got, SR_CLOCK_RATE);
	fixture_free(&fx);
}

/* 2500 bytes of text: 3 chunks. */
#define TEXT_LEN 2500
static uint8_t text[TEXT_LEN];

/* Accept req (REPORT wanted) and make it done with text as its output. */
static size_t output_setup(struct fixture *fx, uint8_t *req, uint8_t nonce,
			   uint64_t ts, size_t tlen)
{
	size_t len = fixture_request(fx, 0, ts, nonce,
				     SR_FLAG_ACK | SR_FLAG_REPORT, "t", req);

	if (fixture_verdict(fx, req, len, ts) != SR_ACCEPTED ||
	    fixture_done(fx, 0, fx->ans.generation, req, len,
			 SR_REPORT_TRUNCATED, text, tlen, ts + SEC))
		return 0;
	return len;
}

/* FETCH chunk index of req at now (FETCH timestamp ts); the verdict. */
static enum sr_verdict fetch(struct fixture *fx, const uint8_t *req,
			     size_t rlen, uint16_t index, uint64_t ts,
			     uint64_t now)
{
	uint8_t f[SR_FETCH_LEN];
	size_t len = fixture_fetch(fx, 0, ts, (uint8_t)ts, req, rlen, index, f);

	return fixture_verdict(fx, f, len, now);
}

static void fetch_order(void)
{
	struct fixture fx;
	uint8_t req[SR_REQ_MAX_LEN], f[SR_FETCH_LEN], plain[SR_CHUNK];
	uint8_t all[TEXT_LEN];
	struct sr_source src = fixture_src(0);
	uint16_t index, total;
	size_t rlen, len, tl, got = 0;
	const uint64_t t1 = T0 + 2 * SEC;
	bool ok = true;

	for (size_t i = 0; i < TEXT_LEN; i++)
		text[i] = (uint8_t)(' ' + i % 90);
	fixture_init(&fx);
	rlen = output_setup(&fx, req, 1, T0, TEXT_LEN);
	CHECK(rlen && fx.rec[0].out && fx.rec[0].out->total == 3,
	      "FETCH: a request done with 2500 bytes of output: 3 chunks kept");
	len = fixture_fetch(&fx, 0, t1, 2, req, rlen, 0, f);
	CHECK(len == SR_FETCH_LEN, "build: a FETCH, 1120 bytes");
	f[100] = 1;
	CHECK(fixture_serve(&fx, 0, f, len, &src, t1, SR_ALL_KEYS) ==
		      SR_MALFORMED,
	      "FETCH: non-zero padding is MALFORMED");
	f[100] = 0;
	sr_handle(f, len, &src, &fx.keys[1], t1, SR_ALL_KEYS, &fx.ans);
	CHECK(fx.ans.verdict == SR_OTHER_KEY && !fx.ans.len,
	      "FETCH: a holder of another key id says OTHER_KEY");
	f[len - 1] ^= 1;
	CHECK(fixture_verdict(&fx, f, len, t1 + 31 * SEC) == SR_STALE &&
		      !fx.ans.len,
	      "FETCH: STALE (its own timestamp) comes before BAD_MAC");
	CHECK(fixture_verdict(&fx, f, len, t1) == SR_BAD_MAC && !fx.ans.len,
	      "FETCH: a broken MAC is BAD_MAC");
	f[len - 1] ^= 1;
	CHECK(fixture_verdict(&fx, f, len, t1) == SR_FETCH &&
		      fx.ans.len == SR_OUTPUT_LEN(SR_CHUNK) &&
		      fx.ans.len <= len,
	      "FETCH: answered with one OUTPUT (%zu bytes, no larger than "
	      "the FETCH)",
	      fx.ans.len);
	CHECK(fixture_verdict(&fx, f, len, t1) == SR_IGNORED && !fx.ans.len,
	      "FETCH: the same FETCH again is IGNORED (answered once)");
	CHECK(fetch(&fx, req, rlen, 0, t1 - 1, t1) == SR_IGNORED,
	      "FETCH: an older FETCH for that chunk is IGNORED");
	CHECK(fetch(&fx, req, rlen, 3, t1 + 1, t1) == SR_IGNORED,
	      "FETCH: an index beyond the total is IGNORED");
	for (uint16_t i = 0; i < 3; i++) {
		ok &= fetch(&fx, req, rlen, i, t1 + 10 + i, t1) == SR_FETCH &&
		      sr_open_output(&fx.mac[0], fx.rec[0].epoch, req, rlen,
				     fx.ans.buf, fx.ans.len, &index, &total,
				     plain, &tl) &&
		      index == i && total == 3;
		if (ok) {
			memcpy(all + got, plain, tl);
			got += tl;
		}
	}
	CHECK(ok && got == TEXT_LEN && !memcmp(all, text, TEXT_LEN),
	      "FETCH: the three chunks open and make the whole output");
	{
		uint8_t other[SR_REQ_MAX_LEN];
		size_t olen =
			fixture_request(&fx, 0, T0, 9, SR_FLAG_ACK, "t", other);

		CHECK(fetch(&fx, other, olen, 0, t1 + 20, t1) == SR_IGNORED,
		      "FETCH: for a request whose output is not kept: "
		      "IGNORED");
	}
	CHECK(fixture_verdict(&fx, req, rlen, t1) == SR_DUPLICATE &&
		      fx.ans.len == SR_REPORT_LEN,
	      "FETCH: a FETCH never changes the record's last request (its "
	      "REPORT still answers it)");
	fixture_free(&fx);
}

static void fetch_limits(void)
{
	struct fixture fx;
	uint8_t req[SR_REQ_MAX_LEN], r2[SR_REQ_MAX_LEN];
	const uint64_t done = T0 + SEC;
	size_t rlen, r2len;
	struct sr_output *old;
	int sent = 0;

	fixture_init(&fx);
	rlen = output_setup(&fx, req, 1, T0, TEXT_LEN);
	for (int i = 0; i < SR_RESENDS + 5; i++)
		sent += fetch(&fx, req, rlen, 1, done + 1 + i, done + SEC) ==
			SR_FETCH;
	CHECK(sent == SR_RESENDS,
	      "RESENDS: one chunk is sent %d times at most (got %d)",
	      SR_RESENDS, sent);
	CHECK(fetch(&fx, req, rlen, 2, done + 100, done + SEC) == SR_FETCH,
	      "RESENDS: counted per chunk (another chunk still sent)");
	CHECK(fetch(&fx, req, rlen, 0, done + SR_KEEP, done + SR_KEEP) ==
		      SR_FETCH,
	      "KEEP: exactly KEEP after the REPORT, the output is still "
	      "fetched");
	CHECK(fetch(&fx, req, rlen, 0, done + SR_KEEP + 1,
		    done + SR_KEEP + 1) == SR_IGNORED,
	      "KEEP: 1 ns later it is IGNORED");
	CHECK(!sr_record_expire(&fx.rec[0], done + SR_KEEP) && fx.rec[0].out,
	      "KEEP: sr_record_expire keeps it until KEEP");
	old = sr_record_expire(&fx.rec[0], done + SR_KEEP + 1);
	CHECK(old && !fx.rec[0].out, "KEEP: and then hands it back");
	free(old);

	/* A later request's output replaces the kept one. */
	rlen = output_setup(&fx, req, 2, T0 + 100 * SEC, 10);
	r2len = output_setup(&fx, r2, 3, T0 + 101 * SEC, 2000);
	CHECK(rlen && r2len && fx.rec[0].out->total == 2,
	      "output: the later request's output replaces the kept one");
	CHECK(fetch(&fx, req, rlen, 0, T0 + 103 * SEC, T0 + 103 * SEC) ==
			      SR_IGNORED &&
		      fetch(&fx, r2, r2len, 1, T0 + 103 * SEC,
			    T0 + 103 * SEC) == SR_FETCH &&
		      fx.ans.len == SR_OUTPUT_LEN(2000 - SR_CHUNK),
	      "output: only the latest is fetched (last chunk %zu bytes)",
	      fx.ans.len);
	fixture_free(&fx);
}

void test_fetch(void)
{
	time_order();
	clock_rate();
	fetch_order();
	fetch_limits();
}
