// SPDX-License-Identifier: GPL-2.0
/* Verdict 1: what is MALFORMED, decided before any crypto. */
#include <string.h>

#include "check.h"
#include "fixture.h"

/* A well-formed request of n keys, fields chosen by hand (MAC not valid). */
static size_t raw_request(uint8_t *b, unsigned int n)
{
	memset(b, 0, SR_MAX_LEN + 2);
	b[0] = 'S';
	b[1] = 'R';
	b[2] = 1;
	b[3] = 1;
	b[28] = 1;
	b[29] = (uint8_t)n;
	for (unsigned int i = 0; i < n && i < SR_MAX_KEYS + 1; i++)
		b[30 + i] = 'a' + i % 26;
	return SR_DGRAM_LEN(n);
}

void test_parse(void)
{
	uint8_t b[SR_MAX_LEN + 2];
	struct sr_request req;
	size_t len;

	len = raw_request(b, 1);
	CHECK(sr_parse(b, len, &req) && req.n == 1 && req.len == 63,
	      "parse: n=1 is well-formed (63 bytes)");
	len = raw_request(b, 32);
	CHECK(sr_parse(b, len, &req) && req.n == 32 && req.len == 94,
	      "parse: n=32 is well-formed (94 bytes)");
	len = raw_request(b, 0);
	CHECK(!sr_parse(b, len, &req), "parse: n=0 is malformed");
	len = raw_request(b, 33);
	CHECK(!sr_parse(b, len, &req),
	      "parse: n=33 is malformed even at 95 bytes");

	len = raw_request(b, 3);
	CHECK(!sr_parse(b, len - 1, &req),
	      "parse: one byte short is malformed");
	CHECK(!sr_parse(b, len + 1, &req), "parse: one byte long is malformed");
	CHECK(!sr_parse(b, 0, &req), "parse: empty datagram is malformed");
	b[29] = 2;
	CHECK(!sr_parse(b, len, &req),
	      "parse: n disagreeing with the length is malformed");
	b[29] = 3;

	for (int i = 0; i < 4; i++) {
		uint8_t saved = b[i];

		b[i] ^= 0x40;
		CHECK(!sr_parse(b, len, &req),
		      "parse: header byte %d changed is malformed", i);
		b[i] = saved;
	}
	b[3] = 2;
	CHECK(!sr_parse(b, len, &req), "parse: an ACK is not a request");
	b[3] = 1;
	b[2] = 2;
	CHECK(!sr_parse(b, len, &req), "parse: version 2 is malformed");
	b[2] = 1;

	for (int bit = 0; bit < 8; bit++) {
		b[28] = (uint8_t)(1u << bit);
		CHECK(sr_parse(b, len, &req) == (bit == 0),
		      "parse: flag bit %d is %s", bit,
		      bit ? "malformed" : "the ACK flag");
	}
	b[28] = 0;
	CHECK(sr_parse(b, len, &req) && req.flags == 0,
	      "parse: no flags is well-formed");

	const uint8_t good[] = { '0', '9', 'a', 'z' };
	const uint8_t bad[] = {
		'A', 'Z', '/', ':', '`', '{', ' ', 0, 0x80, 0xff
	};

	for (size_t i = 0; i < sizeof(good); i++) {
		b[31] = good[i];
		CHECK(sr_parse(b, len, &req), "parse: key '%c' is allowed",
		      good[i]);
	}
	for (size_t i = 0; i < sizeof(bad); i++) {
		b[31] = bad[i];
		CHECK(!sr_parse(b, len, &req),
		      "parse: key byte 0x%02x is malformed", bad[i]);
	}

	/* Fields land where the protocol puts them. */
	len = raw_request(b, 2);
	for (int i = 0; i < 8; i++) {
		b[4 + i] = (uint8_t)(0x10 + i);
		b[12 + i] = (uint8_t)(0x20 + i);
		b[20 + i] = (uint8_t)(0x30 + i);
	}
	CHECK(sr_parse(b, len, &req) && req.key_id[0] == 0x10 &&
		      req.key_id[7] == 0x17 &&
		      req.timestamp == 0x2021222324252627ULL &&
		      req.nonce[7] == 0x37 && req.keys == b + 30 &&
		      req.mac == b + 32,
	      "parse: key id, big-endian timestamp, nonce, keys and MAC "
	      "offsets");

	/* Key characters and names. */
	uint64_t mask;

	CHECK(sr_key_bit('0') == 1 && sr_key_bit('z') == 1ULL << 35 &&
		      !sr_key_bit('A'),
	      "key bits: '0' is bit 0, 'z' bit 35, 'A' none");
	CHECK(sr_key_mask((const uint8_t *)"sub", 3, &mask) &&
		      mask == (sr_key_bit('s') | sr_key_bit('u') |
			       sr_key_bit('b')),
	      "key mask of \"sub\"");
	CHECK(!sr_key_mask((const uint8_t *)"s-b", 3, &mask),
	      "key mask refuses '-'");
	CHECK(sr_name_valid((const uint8_t *)"Ops.web-1_x", 11),
	      "name: [A-Za-z0-9._-] allowed");
	CHECK(!sr_name_valid((const uint8_t *)"", 0), "name: empty refused");
	CHECK(sr_name_valid((const uint8_t *)"abcdefghijklmnopqrstuvwxyz012345",
			    32),
	      "name: 32 bytes allowed");
	CHECK(!sr_name_valid(
		      (const uint8_t *)"abcdefghijklmnopqrstuvwxyz0123456", 33),
	      "name: 33 bytes refused");
	CHECK(!sr_name_valid((const uint8_t *)"a b", 3) &&
		      !sr_name_valid((const uint8_t *)"a/b", 3),
	      "name: space and slash refused");
}
