/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A v2 server with two keys (each with its host-wide record), sources, and
 * the client's builders bound to the records' epochs, for the core tests.
 */
#ifndef TESTS_UNIT_FIXTURE_H
#define TESTS_UNIT_FIXTURE_H

#include "core_env.h"
#include "proto.h"

#define T0  1795000000000000000ULL /* a protocol time in 2026 */
#define SEC 1000000000ULL

struct fixture {
	struct sr_mac_key mac[2];
	struct sr_key keys[2];
	struct sr_record rec[2];
	uint8_t buf[SR_ANSWER_MAX]; /* the last answer */
	struct sr_answer ans;
};

/*
 * Keys 0x01.. and 0x02.., both allowing everything, tolerance 30 s; their
 * records have the epochs 0xe1.. and 0xe2...
 */
void fixture_init(struct fixture *fx);
/* Frees kept output and wipes the keys. */
void fixture_free(struct fixture *fx);
/* Source i: 192.0.2.i, port 40000 + i. */
struct sr_source fixture_src(int i);
/* A REQUEST under key k for its record's epoch; returns its length. */
size_t fixture_request(const struct fixture *fx, int k, uint64_t ts,
		       uint8_t nonce_byte, uint8_t flags, const char *keys,
		       uint8_t *out);
/* A TIME probe under key k; returns its length. */
size_t fixture_time(const struct fixture *fx, int k, uint64_t ts,
		    uint8_t nonce_byte, uint8_t *out);
/* A FETCH under key k for chunk index of req's output. */
size_t fixture_fetch(const struct fixture *fx, int k, uint64_t ts,
		     uint8_t nonce_byte, const uint8_t *req, size_t req_len,
		     uint16_t index, uint8_t *out);
/*
 * One datagram through the server of the first nkeys keys (a chain of
 * sysrq rules): the first holder of its key id decides; the answer is in
 * fx->ans (fx->buf).
 */
enum sr_verdict fixture_serve(struct fixture *fx, int nkeys, const uint8_t *buf,
			      size_t len, const struct sr_source *src,
			      uint64_t now, uint64_t enabled);
/* The same through both keys, everything enabled, from source 0. */
enum sr_verdict fixture_verdict(struct fixture *fx, const uint8_t *buf,
				size_t len, uint64_t now);
/*
 * Key k's accepted request req is done at now: its REPORT (status, and
 * the chunks of text, which is kept as output when tlen > 0) is recorded
 * under generation gen. Returns what sr_record_done() handed back to
 * free, already freed: true when it was the new output itself (not kept).
 */
bool fixture_done(struct fixture *fx, int k, uint32_t gen, const uint8_t *req,
		  size_t req_len, uint8_t status, const uint8_t *text,
		  size_t tlen, uint64_t now);

#endif
