// SPDX-License-Identifier: GPL-2.0
/* Building requests, and the client's acceptance of ACKs. */
#include <string.h>

#include "check.h"
#include "fixture.h"

/* A correctly MACed ACK whose byte at off is changed, then re-MACed. */
static size_t forged(const struct fixture *fx, const uint8_t *req, size_t len,
		     int off, uint8_t *ack)
{
	struct sr_request r;

	sr_parse(req, len, &r);
	sr_build_ack(&r, SR_ACK_EXECUTED, &fx->mac[0], ack);
	ack[off] ^= 1;
	sr_mac(&fx->mac[0], ack, len - SR_MAC_LEN, ack + len - SR_MAC_LEN);
	return len;
}

void test_ack(void)
{
	struct fixture fx;
	uint8_t b[SR_MAX_LEN], ack[SR_MAX_LEN + 1];
	uint8_t kid[SR_KEY_ID_LEN] = { 0 }, nonce[SR_NONCE_LEN] = { 0 };
	struct sr_request req;
	size_t len, alen;
	uint8_t st;

	fixture_init(&fx);
	CHECK(!sr_build_request(&fx.mac[0], kid, T0, nonce, 1,
				(const uint8_t *)"", 0, b),
	      "build: 0 keys refused");
	CHECK(!sr_build_request(
		      &fx.mac[0], kid, T0, nonce, 1,
		      (const uint8_t *)"0123456789abcdefghijklmnopqrstuvw", 33,
		      b),
	      "build: 33 keys refused");
	CHECK(sr_build_request(
		      &fx.mac[0], kid, T0, nonce, 1,
		      (const uint8_t *)"0123456789abcdefghijklmnopqrstuv", 32,
		      b) == 94,
	      "build: 32 keys, 94 bytes");
	CHECK(!sr_build_request(&fx.mac[0], kid, T0, nonce, 1,
				(const uint8_t *)"sUb", 3, b),
	      "build: an upper-case key refused");
	CHECK(!sr_build_request(&fx.mac[0], kid, T0, nonce, 2,
				(const uint8_t *)"s", 1, b),
	      "build: reserved flag bits refused");

	len = fixture_request(&fx, 0, T0, 7, 1, "sub", b);
	sr_parse(b, len, &req);
	alen = sr_build_ack(&req, SR_ACK_REFUSED, &fx.mac[0], ack);
	CHECK(alen == len && ack[3] == SR_TYPE_ACK &&
		      ack[28] == SR_ACK_REFUSED &&
		      !memcmp(ack + 4, b + 4, 24) &&
		      !memcmp(ack + 29, b + 29, 4),
	      "ACK layout: type 2, status at 28, fields echoed, same length");
	CHECK(sr_verify_ack(&fx.mac[0], b, len, ack, alen, &st) &&
		      st == SR_ACK_REFUSED,
	      "verify: the real ACK is accepted");
	CHECK(!sr_verify_ack(&fx.mac[1], b, len, ack, alen, &st),
	      "verify: another key's MAC refused");
	CHECK(!sr_verify_ack(&fx.mac[0], b, len, ack, alen - 1, &st),
	      "verify: truncated refused");
	ack[alen] = 0;
	CHECK(!sr_verify_ack(&fx.mac[0], b, len, ack, alen + 1, &st),
	      "verify: longer refused");
	CHECK(!sr_verify_ack(&fx.mac[0], b, len, b, len, &st),
	      "verify: the request echoed refused");

	static const struct {
		int off;
		const char *what;
	} fields[] = {
		{ 0, "magic" },	 { 2, "version" },    { 3, "type" },
		{ 4, "key id" }, { 12, "timestamp" }, { 20, "nonce" },
		{ 29, "n" },	 { 31, "keys" },
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		alen = forged(&fx, b, len, fields[i].off, ack);
		CHECK(!sr_verify_ack(&fx.mac[0], b, len, ack, alen, &st),
		      "verify: a validly MACed ACK with a wrong %s refused",
		      fields[i].what);
	}
	sr_build_ack(&req, 3, &fx.mac[0], ack);
	CHECK(!sr_verify_ack(&fx.mac[0], b, len, ack, len, &st),
	      "verify: a validly MACed unknown status 3 refused");
	alen = sr_build_ack(&req, SR_ACK_EXECUTED, &fx.mac[0], ack);
	ack[alen - 1] ^= 1;
	CHECK(!sr_verify_ack(&fx.mac[0], b, len, ack, alen, &st),
	      "verify: a bad MAC refused");
	fixture_free(&fx);
}
