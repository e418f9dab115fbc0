/* SPDX-License-Identifier: GPL-2.0 */
/* A server with one or two keys and a request builder, for the core tests. */
#ifndef TESTS_UNIT_FIXTURE_H
#define TESTS_UNIT_FIXTURE_H

#include "core_env.h"
#include "proto.h"

#define T0  1795000000000000000ULL /* a timestamp in 2026 */
#define SEC 1000000000ULL

struct fixture {
	struct sr_mac_key mac[2];
	struct sr_key keys[2];
	struct sr_replay rs[2];
};

/* Keys 0x01.. and 0x02.., both allowing everything, tolerance 30 s, floor 0. */
void fixture_init(struct fixture *fx);
void fixture_free(struct fixture *fx);
/* A request under key k of the fixture; returns its length. */
size_t fixture_request(const struct fixture *fx, int k, uint64_t ts,
		       uint8_t nonce_byte, uint8_t flags, const char *keys,
		       uint8_t *out);
/* One datagram through the fixture's server. */
enum sr_verdict fixture_verdict(struct fixture *fx, const uint8_t *buf,
				size_t len, uint64_t now, uint64_t enabled,
				uint8_t *ack, size_t *ack_len);

#endif
