// SPDX-License-Identifier: GPL-2.0
/* Verdicts 2 to 8, their order and their boundaries. */
#include <string.h>

#include "check.h"
#include "fixture.h"

#define V(fx, b, len, now)                                                     \
	fixture_verdict(fx, b, len, now, SR_ALL_KEYS, ack, &alen)

static void test_unknown_and_order(void)
{
	struct fixture fx;
	uint8_t b[SR_MAX_LEN], ack[SR_MAX_LEN];
	struct sr_request req;
	size_t len, alen;

	fixture_init(&fx);
	len = fixture_request(&fx, 1, T0, 1, 1, "s", b);
	CHECK(sr_check(b, len, &fx.keys[0], T0, &req) == SR_OTHER_KEY,
	      "a holder of another key says OTHER_KEY");
	CHECK(sr_check(b, len, &fx.keys[1], T0, &req) == SR_PASS,
	      "the holder of the key passes it to commit");
	CHECK(sr_server_verdict(b, len, fx.keys, fx.rs, 1, T0, SR_ALL_KEYS, ack,
				&alen) == SR_UNKNOWN_KEY &&
		      alen == 0,
	      "no holder of the key id: UNKNOWN_KEY, no ACK");
	CHECK(V(&fx, b, len, T0) == SR_ACCEPTED,
	      "the second rule takes it: ACCEPTED");

	b[3] = 9;
	CHECK(sr_server_verdict(b, len, fx.keys, fx.rs, 0, T0, SR_ALL_KEYS, ack,
				&alen) == SR_MALFORMED,
	      "MALFORMED comes before UNKNOWN_KEY, even with no keys");
	b[3] = 1;

	/* STALE before BAD_MAC: a stale datagram with a broken MAC. */
	len = fixture_request(&fx, 0, T0, 2, 1, "s", b);
	b[len - 1] ^= 1;
	CHECK(V(&fx, b, len, T0 + 31 * SEC) == SR_STALE,
	      "STALE comes before BAD_MAC");
	CHECK(V(&fx, b, len, T0) == SR_BAD_MAC,
	      "in time, the broken MAC is BAD_MAC");
	b[len - 1] ^= 1;
	CHECK(V(&fx, b, len, T0) == SR_ACCEPTED, "repaired, it is ACCEPTED");
	/* BAD_MAC before DUPLICATE and REPLAY: a forged copy never counts. */
	b[len - 1] ^= 1;
	CHECK(V(&fx, b, len, T0) == SR_BAD_MAC && alen == 0,
	      "BAD_MAC comes before DUPLICATE: a forged copy gets no ACK");
	fixture_free(&fx);
}

static void test_stale(void)
{
	struct fixture fx;
	uint8_t b[SR_MAX_LEN];
	struct sr_request req;
	size_t len;
	const uint64_t tol = 30 * SEC;

	fixture_init(&fx);
	len = fixture_request(&fx, 0, T0, 1, 1, "h", b);
	CHECK(sr_check(b, len, &fx.keys[0], T0 + tol, &req) == SR_PASS,
	      "STALE: exactly tolerance behind is in time");
	CHECK(sr_check(b, len, &fx.keys[0], T0 + tol + 1, &req) == SR_STALE,
	      "STALE: 1 ns more behind is stale");
	CHECK(sr_check(b, len, &fx.keys[0], T0 - tol, &req) == SR_PASS,
	      "STALE: exactly tolerance ahead is in time");
	CHECK(sr_check(b, len, &fx.keys[0], T0 - tol - 1, &req) == SR_STALE,
	      "STALE: 1 ns more ahead is stale");
	fx.keys[0].tolerance = 1;
	CHECK(sr_check(b, len, &fx.keys[0], T0 + SEC + 1, &req) == SR_STALE &&
		      sr_check(b, len, &fx.keys[0], T0 + SEC, &req) == SR_PASS,
	      "STALE: the holder's own tolerance applies (1 s)");
	len = fixture_request(&fx, 0, UINT64_MAX, 1, 1, "h", b);
	CHECK(sr_check(b, len, &fx.keys[0], 0, &req) == SR_STALE,
	      "STALE: extreme timestamps do not wrap around");
	fixture_free(&fx);
}

static void test_bad_mac(void)
{
	struct fixture fx;
	uint8_t b[SR_MAX_LEN], ack[SR_MAX_LEN];
	size_t len, alen;
	int bad = 0;

	fixture_init(&fx);
	len = fixture_request(&fx, 0, T0, 1, 1, "sub", b);
	for (size_t i = len - SR_MAC_LEN; i < len; i++) {
		b[i] ^= 0x80;
		bad += V(&fx, b, len, T0) == SR_BAD_MAC;
		b[i] ^= 0x80;
	}
	CHECK(bad == SR_MAC_LEN,
	      "BAD_MAC: each of the 32 MAC bytes is checked");
	b[31] = 'c';
	CHECK(V(&fx, b, len, T0) == SR_BAD_MAC,
	      "BAD_MAC: a key changed under the MAC");
	b[31] = 'u';
	b[28] = 0;
	CHECK(V(&fx, b, len, T0) == SR_BAD_MAC,
	      "BAD_MAC: the flags are under the MAC");
	b[28] = 1;
	b[20] ^= 1;
	CHECK(V(&fx, b, len, T0) == SR_BAD_MAC,
	      "BAD_MAC: the nonce is under the MAC");
	b[20] ^= 1;
	CHECK(V(&fx, b, len, T0) == SR_ACCEPTED, "untouched it is ACCEPTED");
	fixture_free(&fx);
}

static void test_duplicate(void)
{
	struct fixture fx;
	uint8_t b[SR_MAX_LEN], ack[SR_MAX_LEN];
	size_t len, alen;
	uint8_t st = 0xff;

	fixture_init(&fx);
	len = fixture_request(&fx, 0, T0, 1, 1, "s", b);
	CHECK(V(&fx, b, len, T0) == SR_ACCEPTED && alen == len &&
		      sr_verify_ack(&fx.mac[0], b, len, ack, alen, &st) &&
		      st == SR_ACK_EXECUTED,
	      "ACCEPTED with the ACK flag: an ACK with status 0 that verifies");
	for (int i = 1; i <= 3; i++)
		CHECK(V(&fx, b, len, T0 + SEC) == SR_DUPLICATE && alen == len &&
			      sr_verify_ack(&fx.mac[0], b, len, ack, alen,
					    &st) &&
			      st == SR_ACK_DUPLICATE,
		      "DUPLICATE %d: ACK re-sent with status 1", i);
	CHECK(V(&fx, b, len, T0 + SEC) == SR_DUPLICATE && alen == 0,
	      "DUPLICATE 4: no ACK any more");
	CHECK(V(&fx, b, len, T0 + SEC) == SR_DUPLICATE && alen == 0,
	      "DUPLICATE 5: still nothing executed, no ACK");

	/* A refused request is recorded too; its duplicates say status 2. */
	len = fixture_request(&fx, 0, T0 + 5, 2, 1, "sb", b);
	fx.keys[0].allow = sr_key_bit('s');
	CHECK(V(&fx, b, len, T0) == SR_REFUSED && alen == len &&
		      sr_verify_ack(&fx.mac[0], b, len, ack, alen, &st) &&
		      st == SR_ACK_REFUSED,
	      "REFUSED: all or nothing, ACK with status 2");
	CHECK(V(&fx, b, len, T0) == SR_DUPLICATE && alen == len &&
		      sr_verify_ack(&fx.mac[0], b, len, ack, alen, &st) &&
		      st == SR_ACK_REFUSED,
	      "DUPLICATE of a refused request: ACK with status 2");

	/* Without the ACK flag there is never an ACK. */
	fx.keys[0].allow = SR_ALL_KEYS;
	len = fixture_request(&fx, 0, T0 + 6, 3, 0, "s", b);
	CHECK(V(&fx, b, len, T0) == SR_ACCEPTED && alen == 0,
	      "ACCEPTED without the flag: no ACK");
	CHECK(V(&fx, b, len, T0) == SR_DUPLICATE && alen == 0,
	      "DUPLICATE without the flag: no ACK");
	fixture_free(&fx);
}

static void test_replay(void)
{
	struct fixture fx;
	uint8_t b[SR_MAX_LEN], ack[SR_MAX_LEN];
	size_t len, alen;

	fixture_init(&fx);
	sr_replay_init(&fx.rs[0], T0);
	len = fixture_request(&fx, 0, T0 - 1, 1, 1, "s", b);
	CHECK(V(&fx, b, len, T0) == SR_REPLAY && alen == 0,
	      "REPLAY: stamped 1 ns before the key was armed");
	len = fixture_request(&fx, 0, T0, 1, 1, "s", b);
	CHECK(V(&fx, b, len, T0) == SR_ACCEPTED,
	      "stamped exactly at the arming: ACCEPTED");
	len = fixture_request(&fx, 0, T0, 2, 1, "s", b);
	CHECK(V(&fx, b, len, T0) == SR_REPLAY && alen == 0,
	      "REPLAY: same timestamp, other nonce");
	len = fixture_request(&fx, 0, T0 - 1, 3, 1, "s", b);
	CHECK(V(&fx, b, len, T0) == SR_REPLAY,
	      "REPLAY: older than the last request");
	len = fixture_request(&fx, 0, T0 + 1, 4, 1, "s", b);
	CHECK(V(&fx, b, len, T0) == SR_ACCEPTED, "1 ns newer: ACCEPTED");
	len = fixture_request(&fx, 0, T0 + 5, 5, 1, "s", b);
	fx.keys[0].allow = 0;
	CHECK(V(&fx, b, len, T0) == SR_REFUSED, "refused request, newer");
	fx.keys[0].allow = SR_ALL_KEYS;
	len = fixture_request(&fx, 0, T0 + 4, 6, 1, "s", b);
	CHECK(V(&fx, b, len, T0) == SR_REPLAY,
	      "REPLAY: older than a refused request (its timestamp was "
	      "recorded)");
	/* Keys have separate replay state. */
	len = fixture_request(&fx, 1, T0 - 10, 1, 1, "s", b);
	CHECK(V(&fx, b, len, T0) == SR_ACCEPTED,
	      "another key's state is its own");
	fixture_free(&fx);
}

static void test_refused(void)
{
	struct fixture fx;
	uint8_t b[SR_MAX_LEN], ack[SR_MAX_LEN];
	size_t len, alen;
	uint64_t enabled = SR_ALL_KEYS & ~sr_key_bit('b');

	fixture_init(&fx);
	len = fixture_request(&fx, 0, T0, 1, 1, "sub", b);
	CHECK(fixture_verdict(&fx, b, len, T0, enabled, ack, &alen) ==
		      SR_REFUSED,
	      "REFUSED: the host's sysrq setting disables 'b'");
	len = fixture_request(&fx, 0, T0 + 1, 2, 1, "su", b);
	CHECK(fixture_verdict(&fx, b, len, T0, enabled, ack, &alen) ==
		      SR_ACCEPTED,
	      "the same setting lets 's' and 'u' through");
	fx.keys[0].allow = sr_key_bit('s') | sr_key_bit('u');
	len = fixture_request(&fx, 0, T0 + 2, 3, 1, "sub", b);
	CHECK(V(&fx, b, len, T0) == SR_REFUSED,
	      "REFUSED: 'b' is not in the allow-list");
	len = fixture_request(&fx, 0, T0 + 3, 4, 1, "us", b);
	CHECK(V(&fx, b, len, T0) == SR_ACCEPTED,
	      "allowed keys in any order: ACCEPTED");
	fixture_free(&fx);
}

/* Two copies of one request committed back to back: one executes. */
static void test_commit_once(void)
{
	struct fixture fx;
	uint8_t b[SR_MAX_LEN];
	struct sr_request r1, r2;
	struct sr_outcome o1, o2;
	size_t len;

	fixture_init(&fx);
	len = fixture_request(&fx, 0, T0, 1, 1, "b", b);
	CHECK(sr_check(b, len, &fx.keys[0], T0, &r1) == SR_PASS &&
		      sr_check(b, len, &fx.keys[0], T0, &r2) == SR_PASS,
	      "two CPUs pass the stateless checks together");
	sr_commit(&r1, &fx.keys[0], &fx.rs[0], SR_ALL_KEYS, &o1);
	sr_commit(&r2, &fx.keys[0], &fx.rs[0], SR_ALL_KEYS, &o2);
	CHECK(o1.verdict == SR_ACCEPTED && o2.verdict == SR_DUPLICATE,
	      "serialised commits: exactly one ACCEPTED");
	fixture_free(&fx);
}

void test_verdict(void)
{
	test_unknown_and_order();
	test_stale();
	test_bad_mac();
	test_duplicate();
	test_replay();
	test_refused();
	test_commit_once();
}
