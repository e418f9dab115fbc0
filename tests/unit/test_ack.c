// SPDX-License-Identifier: GPL-2.0
/* The client's side: building requests, accepting ACK, REPORT, CLOCK, OUTPUT. */
#include <string.h>

#include "check.h"
#include "fixture.h"

/* Re-MAC an answer (body before the last 32 bytes) under epoch (or none). */
static void remac(const struct fixture *fx, const uint8_t *epoch, uint8_t *d,
		  size_t len)
{
	sr_mac(&fx->mac[0], epoch, epoch ? SR_EPOCH_LEN : 0, d,
	       len - SR_MAC_LEN, d + len - SR_MAC_LEN);
}

static void build_request(void)
{
	struct fixture fx;
	uint8_t b[SR_REQ_MAX_LEN + 1];

	fixture_init(&fx);
	CHECK(!fixture_request(&fx, 0, T0, 1, SR_FLAG_ACK, "", b),
	      "build: 0 keys refused");
	CHECK(!fixture_request(&fx, 0, T0, 1, SR_FLAG_ACK,
			       "0123456789adefghijklmnpqrstuvwxyz", b),
	      "build: 33 keys refused");
	CHECK(fixture_request(&fx, 0, T0, 1, SR_FLAG_ACK,
			      "0123456789adefghijklmnpqrstuvwxy", b) == 94,
	      "build: 32 keys, 94 bytes");
	CHECK(!fixture_request(&fx, 0, T0, 1, SR_FLAG_ACK, "sUb", b),
	      "build: an upper-case key refused");
	CHECK(!fixture_request(&fx, 0, T0, 1, 4, "s", b),
	      "build: reserved flag bits refused");
	CHECK(!fixture_request(&fx, 0, T0, 1, SR_FLAG_REPORT, "s", b),
	      "build: REPORT without ACK refused");
	CHECK(!fixture_request(&fx, 0, T0, 1, SR_FLAG_ACK | SR_FLAG_REPORT,
			       "sub", b),
	      "build: REPORT with a terminal key refused");
	CHECK(!fixture_request(&fx, 0, T0, 1, SR_FLAG_ACK, "bs", b),
	      "build: a terminal key before another refused");
	fixture_free(&fx);
}

static void verify_ack(void)
{
	struct fixture fx;
	uint8_t b[SR_REQ_MAX_LEN], ack[SR_REQ_MAX_LEN + 1];
	uint8_t other[SR_EPOCH_LEN], st = 9;
	const uint8_t *ep;
	size_t len;
	bool all = true;

	fixture_init(&fx);
	ep = fx.rec[0].epoch;
	memset(other, 0x99, sizeof(other));
	len = fixture_request(&fx, 0, T0, 1, SR_FLAG_ACK, "sub", b);
	CHECK(sr_build_ack(&fx.mac[0], ep, b, len, SR_ACK_DUPLICATE, ack) ==
			      len &&
		      sr_verify_ack(&fx.mac[0], ep, b, len, ack, len, &st) &&
		      st == SR_ACK_DUPLICATE,
	      "ACK: a true ACK verifies, status read");
	CHECK(!sr_verify_ack(&fx.mac[0], other, b, len, ack, len, &st),
	      "ACK: under another epoch it does not verify");
	CHECK(!sr_verify_ack(&fx.mac[0], ep, b, len, ack, len - 1, &st) &&
		      !sr_verify_ack(&fx.mac[0], ep, b, len, ack, len + 1, &st),
	      "ACK: another length is refused");
	/* Every byte but the status changed and re-MACed: not an echo. */
	for (size_t off = 0; off < len - SR_MAC_LEN; off++) {
		if (off == 28)
			continue;
		sr_build_ack(&fx.mac[0], ep, b, len, 0, ack);
		ack[off] ^= 1;
		remac(&fx, ep, ack, len);
		all &= !sr_verify_ack(&fx.mac[0], ep, b, len, ack, len, &st);
	}
	CHECK(all, "ACK: a change of any echoed byte is refused, even "
		   "re-MACed");
	sr_build_ack(&fx.mac[0], ep, b, len, 0, ack);
	ack[28] = 3;
	remac(&fx, ep, ack, len);
	CHECK(!sr_verify_ack(&fx.mac[0], ep, b, len, ack, len, &st),
	      "ACK: status 3 is refused");
	fixture_free(&fx);
}

static void verify_report_clock(void)
{
	struct fixture fx;
	uint8_t b[SR_REQ_MAX_LEN], rep[SR_REPORT_LEN], t[SR_TIME_LEN];
	uint8_t clk[SR_CLOCK_LEN], ep2[SR_EPOCH_LEN];
	const uint8_t *ep;
	uint16_t chunks;
	uint64_t now;
	uint8_t st;
	size_t len;

	fixture_init(&fx);
	ep = fx.rec[0].epoch;
	len = fixture_request(&fx, 0, T0, 1, SR_FLAG_ACK | SR_FLAG_REPORT, "w",
			      b);
	CHECK(sr_build_report(&fx.mac[0], ep, b, len, SR_REPORT_UNSETTLED, 7,
			      rep) == SR_REPORT_LEN &&
		      sr_verify_report(&fx.mac[0], ep, b, len, rep,
				       SR_REPORT_LEN, &st, &chunks) &&
		      st == SR_REPORT_UNSETTLED && chunks == 7,
	      "REPORT: a true REPORT verifies, status and chunks read");
	rep[28] = 4;
	remac(&fx, ep, rep, SR_REPORT_LEN);
	CHECK(!sr_verify_report(&fx.mac[0], ep, b, len, rep, SR_REPORT_LEN, &st,
				&chunks),
	      "REPORT: reserved status bits are refused");
	sr_build_report(&fx.mac[0], ep, b, len, 0, SR_MAX_CHUNKS + 1, rep);
	CHECK(!sr_verify_report(&fx.mac[0], ep, b, len, rep, SR_REPORT_LEN, &st,
				&chunks),
	      "REPORT: more chunks than OUTPUT_MAX allows are refused");
	sr_build_report(&fx.mac[0], ep, b, len, 0, 1, rep);
	rep[12] ^= 1;
	remac(&fx, ep, rep, SR_REPORT_LEN);
	CHECK(!sr_verify_report(&fx.mac[0], ep, b, len, rep, SR_REPORT_LEN, &st,
				&chunks),
	      "REPORT: another timestamp is refused");

	fixture_time(&fx, 0, 42, 5, t);
	CHECK(sr_build_clock(&fx.mac[0], t, T0, ep, clk) == SR_CLOCK_LEN &&
		      sr_verify_clock(&fx.mac[0], t, clk, SR_CLOCK_LEN, &now,
				      ep2) &&
		      now == T0 && !memcmp(ep2, ep, SR_EPOCH_LEN),
	      "CLOCK: a true CLOCK verifies: T and the epoch read");
	clk[20] ^= 1;
	remac(&fx, NULL, clk, SR_CLOCK_LEN);
	CHECK(!sr_verify_clock(&fx.mac[0], t, clk, SR_CLOCK_LEN, &now, ep2),
	      "CLOCK: another nonce is refused, even re-MACed");
	clk[20] ^= 1;
	clk[30] ^= 1;
	CHECK(!sr_verify_clock(&fx.mac[0], t, clk, SR_CLOCK_LEN, &now, ep2),
	      "CLOCK: a changed epoch breaks the MAC");
	fixture_free(&fx);
}

static void open_output(void)
{
	struct fixture fx;
	uint8_t b[SR_REQ_MAX_LEN], d[SR_ANSWER_MAX], ko[32];
	uint8_t text[SR_CHUNK], plain[SR_CHUNK], other[SR_EPOCH_LEN];
	const uint8_t *ep;
	uint16_t index, total;
	size_t len, dlen, tl;

	fixture_init(&fx);
	ep = fx.rec[0].epoch;
	memset(other, 0x99, sizeof(other));
	memset(text, 'x', sizeof(text));
	len = fixture_request(&fx, 0, T0, 1, SR_FLAG_ACK | SR_FLAG_REPORT, "t",
			      b);
	sr_output_key(&fx.mac[0], ep, b, ko);
	dlen = sr_build_output(ko, b, 1, 3, text, 100, d);
	CHECK(dlen == SR_OUTPUT_LEN(100) &&
		      !sr_open_output(&fx.mac[0], ep, b, len, d, dlen, &index,
				      &total, plain, &tl),
	      "OUTPUT: a short chunk that is not the last is refused");
	dlen = sr_build_output(ko, b, 2, 3, text, 100, d);
	CHECK(sr_open_output(&fx.mac[0], ep, b, len, d, dlen, &index, &total,
			     plain, &tl) &&
		      index == 2 && total == 3 && tl == 100 &&
		      !memcmp(plain, text, 100),
	      "OUTPUT: the last chunk opens: index, total, text");
	CHECK(!sr_open_output(&fx.mac[0], other, b, len, d, dlen, &index,
			      &total, plain, &tl),
	      "OUTPUT: under another epoch it does not open");
	d[40] ^= 1;
	CHECK(!sr_open_output(&fx.mac[0], ep, b, len, d, dlen, &index, &total,
			      plain, &tl),
	      "OUTPUT: a changed ciphertext byte does not open");
	d[40] ^= 1;
	d[31] ^= 1; /* total: in the AEAD's ad */
	CHECK(!sr_open_output(&fx.mac[0], ep, b, len, d, dlen, &index, &total,
			      plain, &tl),
	      "OUTPUT: a changed total (authenticated data) does not open");
	CHECK(!sr_build_output(ko, b, 3, 3, text, 100, d) &&
		      !sr_build_output(ko, b, 0, 1, text, 0, d) &&
		      !sr_build_output(ko, b, 0, 1, text, SR_CHUNK + 1, d),
	      "OUTPUT: index beyond total, empty or oversized chunks are not "
	      "built");
	sodium_memzero(ko, sizeof(ko));
	fixture_free(&fx);
}

void test_ack(void)
{
	build_request();
	verify_ack();
	verify_report_clock();
	open_output();
}
