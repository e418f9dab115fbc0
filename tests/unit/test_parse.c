// SPDX-License-Identifier: GPL-2.0
/* MALFORMED: every datagram type and every malformed case, before any crypto. */
#include <string.h>

#include "check.h"
#include "fixture.h"

/* A header of type t, fields by hand. */
static void header(uint8_t *b, uint8_t type)
{
	b[0] = 'S';
	b[1] = 'R';
	b[2] = SR_VERSION;
	b[3] = type;
	memset(b + 4, 0x11, 8);	 /* key id */
	memset(b + 12, 0x22, 8); /* timestamp */
	memset(b + 20, 0x33, 8); /* nonce */
}

/* A well-formed REQUEST of n keys (MAC not valid). */
static size_t raw_request(uint8_t *b, unsigned int n, uint8_t flags)
{
	memset(b, 0, SR_FETCH_LEN + 2);
	header(b, SR_T_REQUEST);
	b[28] = flags;
	b[29] = (uint8_t)n;
	/* 33 keys, none of them terminal */
	static const char keys[] = "0123456789adefghijklmnpqrstuvwxyz";

	for (unsigned int i = 0; i < n && i < SR_MAX_KEYS + 1; i++)
		b[30 + i] = (uint8_t)keys[i];
	return SR_REQ_LEN(n);
}

static size_t raw_time(uint8_t *b)
{
	memset(b, 0, SR_FETCH_LEN + 2);
	header(b, SR_T_TIME);
	return SR_TIME_LEN;
}

static size_t raw_fetch(uint8_t *b)
{
	memset(b, 0, SR_FETCH_LEN + 2);
	header(b, SR_T_FETCH);
	memset(b + 28, 0x44, 8); /* request timestamp */
	memset(b + 36, 0x55, 8); /* request nonce */
	b[44] = 0x01;		 /* index 0x0102 */
	b[45] = 0x02;
	memset(b + SR_FETCH_LEN - SR_MAC_LEN, 0x66, SR_MAC_LEN);
	return SR_FETCH_LEN;
}

/* The header checks common to every type, on a well-formed b. */
static void header_cases(uint8_t *b, size_t len, const char *what)
{
	struct sr_msg m;
	static const uint8_t wrong[4] = { 'X', 'r', 1, 0 };

	for (int i = 0; i < 3; i++) {
		uint8_t saved = b[i];

		b[i] = wrong[i];
		CHECK(!sr_parse(b, len, &m), "parse %s: wrong %s is malformed",
		      what, i < 2 ? "magic" : "version (1: a v1 datagram)");
		b[i] = saved;
	}
	b[2] = 3;
	CHECK(!sr_parse(b, len, &m), "parse %s: version 3 is malformed", what);
	b[2] = SR_VERSION;
	CHECK(!sr_parse(b, len - 1, &m) && !sr_parse(b, len + 1, &m),
	      "parse %s: one byte short or long is malformed", what);
	CHECK(!sr_parse(b, SR_HDR_LEN - 1, &m) && !sr_parse(b, 0, &m),
	      "parse %s: shorter than a header is malformed", what);
}

static void parse_request(void)
{
	uint8_t b[SR_FETCH_LEN + 2];
	struct sr_msg m;
	size_t len;
	char what[64];

	len = raw_request(b, 1, SR_FLAG_ACK);
	CHECK(sr_parse(b, len, &m) && m.type == SR_T_REQUEST && m.n == 1 &&
		      len == 63 && m.flags == SR_FLAG_ACK && m.keys == b + 30 &&
		      m.timestamp == 0x2222222222222222ULL &&
		      m.nonce == b + 20 && m.key_id[0] == 0x11,
	      "parse REQUEST: n=1 is well-formed (63 bytes), fields read");
	len = raw_request(b, 32, 0);
	CHECK(sr_parse(b, len, &m) && m.n == 32 && len == 94,
	      "parse REQUEST: n=32 is well-formed (94 bytes)");
	len = raw_request(b, 0, 0);
	CHECK(!sr_parse(b, len, &m), "parse REQUEST: n=0 is malformed");
	len = raw_request(b, 33, 0);
	CHECK(!sr_parse(b, len, &m),
	      "parse REQUEST: n=33 is malformed even at 95 bytes");
	len = raw_request(b, 3, 0);
	b[29] = 2;
	CHECK(!sr_parse(b, len, &m),
	      "parse REQUEST: n disagreeing with the length is malformed");
	b[29] = 3;
	header_cases(b, len, "REQUEST");

	/* flags */
	CHECK(sr_parse(b, len, &m), "parse REQUEST: flags 0 (no ACK)");
	b[28] = SR_FLAG_ACK | SR_FLAG_REPORT;
	CHECK(sr_parse(b, len, &m), "parse REQUEST: ACK and REPORT");
	b[28] = SR_FLAG_REPORT;
	CHECK(!sr_parse(b, len, &m),
	      "parse REQUEST: REPORT without ACK is malformed");
	for (int bit = 2; bit < 8; bit++) {
		b[28] = (uint8_t)(SR_FLAG_ACK | 1u << bit);
		snprintf(what, sizeof(what), "flag bit %d", bit);
		CHECK(!sr_parse(b, len, &m), "parse REQUEST: %s is malformed",
		      what);
	}
	b[28] = SR_FLAG_ACK | SR_FLAG_REPORT;
	b[32] = 'b';
	CHECK(!sr_parse(b, len, &m),
	      "parse REQUEST: REPORT with a terminal key (b) is malformed");
	b[28] = SR_FLAG_ACK;
	CHECK(sr_parse(b, len, &m),
	      "parse REQUEST: a terminal key last, ACK only, is well-formed");

	/* key characters and terminal placement */
	for (const char *t = "bco"; *t; t++) {
		b[30] = (uint8_t)*t;
		b[32] = 'h';
		CHECK(!sr_parse(b, len, &m),
		      "parse REQUEST: terminal '%c' before the last key is "
		      "malformed",
		      *t);
		b[30] = 'h';
		b[31] = (uint8_t)*t;
		b[32] = (uint8_t)*t;
		CHECK(!sr_parse(b, len, &m),
		      "parse REQUEST: two terminal keys ('%c') are malformed",
		      *t);
		b[31] = 'h';
	}
	for (const char *c = "A@[`{/:\x80 "; *c; c++) {
		b[31] = (uint8_t)*c;
		CHECK(!sr_parse(b, len, &m),
		      "parse REQUEST: key character 0x%02x is malformed",
		      (uint8_t)*c);
	}
	b[31] = 0;
	CHECK(!sr_parse(b, len, &m), "parse REQUEST: key byte 0 is malformed");
	b[31] = '0';
	b[30] = '9';
	b[32] = 'z';
	CHECK(sr_parse(b, len, &m), "parse REQUEST: 0, 9 and z are keys");
}

static void parse_time_fetch(void)
{
	uint8_t b[SR_FETCH_LEN + 2];
	struct sr_msg m;
	size_t len;
	bool all = true;

	len = raw_time(b);
	CHECK(sr_parse(b, len, &m) && m.type == SR_T_TIME && len == 68,
	      "parse TIME: 68 bytes, zero padding, well-formed");
	header_cases(b, len, "TIME");
	for (int i = 28; i < 36; i++) {
		b[i] = 0x80;
		all &= !sr_parse(b, len, &m);
		b[i] = 0;
	}
	CHECK(all, "parse TIME: a non-zero byte in each padding byte is "
		   "malformed");

	len = raw_fetch(b);
	CHECK(sr_parse(b, len, &m) && m.type == SR_T_FETCH && len == 1120 &&
		      m.req_ts == 0x4444444444444444ULL &&
		      m.req_nonce == b + 36 && m.index == 0x0102,
	      "parse FETCH: 1120 bytes, request and index read");
	header_cases(b, len, "FETCH");
	all = true;
	for (size_t i = 46; i < SR_FETCH_LEN - SR_MAC_LEN; i += 61) {
		b[i] = 1;
		all &= !sr_parse(b, len, &m);
		b[i] = 0;
	}
	b[SR_FETCH_LEN - SR_MAC_LEN - 1] = 1;
	all &= !sr_parse(b, len, &m);
	b[SR_FETCH_LEN - SR_MAC_LEN - 1] = 0;
	CHECK(all, "parse FETCH: non-zero padding (first to last byte) is "
		   "malformed");
	CHECK(sr_parse(b, len, &m), "parse FETCH: restored, well-formed");
}

static void parse_types(void)
{
	uint8_t b[SR_FETCH_LEN + 2];
	struct sr_msg m;
	static const struct {
		uint8_t type;
		size_t len;
		const char *name;
	} answers[] = {
		{ SR_T_ACK, SR_REQ_LEN(1), "ACK" },
		{ SR_T_CLOCK, SR_CLOCK_LEN, "CLOCK" },
		{ SR_T_REPORT, SR_REPORT_LEN, "REPORT" },
		{ SR_T_OUTPUT, SR_OUTPUT_LEN(10), "OUTPUT" },
	};

	for (size_t i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		memset(b, 0, sizeof(b));
		header(b, answers[i].type);
		b[29] = 1;
		b[30] = 'h';
		CHECK(!sr_parse(b, answers[i].len, &m),
		      "parse: a server's %s is nothing a server takes",
		      answers[i].name);
	}
	for (unsigned int t = 0; t < 256; t += 1) {
		if (t >= SR_T_REQUEST && t <= SR_T_FETCH)
			continue;
		raw_request(b, 1, 0);
		b[3] = (uint8_t)t;
		if (sr_parse(b, SR_REQ_LEN(1), &m) ||
		    sr_parse(b, SR_TIME_LEN, &m) ||
		    sr_parse(b, SR_FETCH_LEN, &m)) {
			CHECK(false, "parse: unknown type %u is malformed", t);
			return;
		}
	}
	CHECK(true, "parse: types 0 and 8..255 are malformed at any length");
}

void test_parse(void)
{
	parse_request();
	parse_time_fetch();
	parse_types();
}
