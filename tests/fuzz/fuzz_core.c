// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over the protocol core: the input is a program of
 * operations (raw datagrams, valid requests with one mutation, clock
 * steps, candidate ACKs) run against a two-key server. Invariants:
 * - a request (key, timestamp, nonce) is ACCEPTED or REFUSED at most once;
 * - an ACK is only produced for ACCEPTED, DUPLICATE or REFUSED, is the
 *   request's length and verifies against the request;
 * - at most SR_DUP_ACKS duplicate ACKs per recorded request;
 * - a candidate ACK that verifies is byte-identical to the genuine one.
 */
#include <stdlib.h>
#include <string.h>

#include "core_env.h"
#include "proto.h"

#define T0	 1795000000000000000ULL
#define MAX_SEEN 256

static struct sr_mac_key mac[2];
static struct sr_key keys[2];

struct seen {
	uint64_t ts;
	uint8_t nonce[SR_NONCE_LEN];
	unsigned int dup_acks;
	uint8_t key;
};

static void require(int cond)
{
	if (!cond)
		abort();
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
		keys[i].tolerance = 30;
		keys[i].allow =
			i ? (sr_key_bit('h') | sr_key_bit('s')) : SR_ALL_KEYS;
		sr_key_id(&mac[i], keys[i].key_id);
	}
	return 0;
}

static struct seen *find(struct seen *s, size_t n, const struct sr_request *r)
{
	for (size_t i = 0; i < n; i++)
		if (!memcmp(keys[s[i].key].key_id, r->key_id, SR_KEY_ID_LEN) &&
		    s[i].ts == r->timestamp &&
		    !memcmp(s[i].nonce, r->nonce, SR_NONCE_LEN))
			return &s[i];
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sr_replay rs[2];
	struct seen seen[MAX_SEEN];
	size_t nseen = 0;
	uint8_t dgram[SR_MAX_LEN + 8], last[SR_MAX_LEN], ack[SR_MAX_LEN];
	size_t dlen = 0, last_len = 0, alen;
	uint64_t now = T0, enabled = SR_ALL_KEYS;

	sr_replay_init(&rs[0], T0 - 100 * SR_NSEC_PER_SEC);
	sr_replay_init(&rs[1], T0 - 100 * SR_NSEC_PER_SEC);

	while (size >= 2) {
		uint8_t op = data[0] % 5, arg = data[1];

		data += 2;
		size -= 2;
		if (op == 0) { /* a raw datagram */
			dlen = arg % sizeof(dgram);
			if (dlen > size)
				dlen = size;
			memcpy(dgram, data, dlen);
			data += dlen;
			size -= dlen;
		} else if (op == 1) { /* a valid request, maybe mutated */
			uint8_t f[16] = { 0 }, ks[SR_MAX_KEYS],
				nonce[SR_NONCE_LEN];
			size_t take = size < sizeof(f) ? size : sizeof(f);
			int k = arg & 1;
			uint8_t n;

			memcpy(f, data, take);
			data += take;
			size -= take;
			n = (uint8_t)(1 + (f[0] % 4));
			for (uint8_t i = 0; i < n; i++)
				ks[i] = "shub0z"[(f[1 + i] & 0x7f) % 6];
			memset(nonce, f[5], sizeof(nonce));
			dlen = sr_build_request(
				&mac[k], keys[k].key_id,
				now + (uint64_t)(int64_t)(int8_t)f[6] *
						SR_NSEC_PER_SEC / 2,
				nonce, f[7] & 1, ks, n, dgram);
			require(dlen == SR_DGRAM_LEN(n));
			if (arg & 2)
				dgram[f[8] % dlen] ^=
					(uint8_t)(1u << (f[9] & 7));
		} else if (op == 2) { /* the clock moves */
			now += (uint64_t)(int64_t)(int8_t)arg * SR_NSEC_PER_SEC;
			continue;
		} else if (op == 3) { /* kernel.sysrq changes */
			enabled = (arg & 1) ? SR_ALL_KEYS :
					      SR_ALL_KEYS & ~sr_key_bit('b');
			continue;
		} else { /* a candidate ACK for the last request */
			uint8_t cand[SR_MAX_LEN], genuine[SR_MAX_LEN], st;
			struct sr_request r;
			size_t clen = arg % (SR_MAX_LEN + 1);

			if (!last_len || clen > size)
				continue;
			memcpy(cand, data, clen);
			data += clen;
			size -= clen;
			for (int k = 0; k < 2; k++) {
				if (!sr_verify_ack(&mac[k], last, last_len,
						   cand, clen, &st))
					continue;
				require(sr_parse(last, last_len, &r));
				require(sr_build_ack(&r, st, &mac[k],
						     genuine) == clen);
				require(!memcmp(genuine, cand, clen));
			}
			continue;
		}

		enum sr_verdict v = sr_server_verdict(dgram, dlen, keys, rs, 2,
						      now, enabled, ack, &alen);
		struct sr_request r;
		uint8_t st;

		require(v <= SR_ACCEPTED);
		if (alen) {
			int k;

			require(v == SR_ACCEPTED || v == SR_DUPLICATE ||
				v == SR_REFUSED);
			require(alen == dlen);
			require(sr_parse(dgram, dlen, &r));
			k = memcmp(r.key_id, keys[0].key_id, SR_KEY_ID_LEN) ?
				    1 :
				    0;
			require(sr_verify_ack(&mac[k], dgram, dlen, ack, alen,
					      &st));
			memcpy(last, dgram, dlen);
			last_len = dlen;
		}
		if (v == SR_ACCEPTED || v == SR_REFUSED) {
			require(sr_parse(dgram, dlen, &r));
			require(!find(seen, nseen, &r));
			if (nseen < MAX_SEEN) {
				seen[nseen].key =
					memcmp(r.key_id, keys[0].key_id, 8) ?
						1 :
						0;
				seen[nseen].ts = r.timestamp;
				memcpy(seen[nseen].nonce, r.nonce,
				       SR_NONCE_LEN);
				seen[nseen].dup_acks = 0;
				nseen++;
			}
		} else if (v == SR_DUPLICATE && alen) {
			struct seen *s;

			require(sr_parse(dgram, dlen, &r));
			s = find(seen, nseen, &r);
			if (s)
				require(++s->dup_acks <= SR_DUP_ACKS);
		}
	}
	return 0;
}
