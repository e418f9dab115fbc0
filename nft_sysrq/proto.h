/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nft_sysrq protocol v1 core: request parsing, the server verdict, ACK
 * construction and verification, key ids.
 *
 * One implementation, compiled into the kernel module and into every
 * userspace program (sysrqctl, sysrq-testd, tests, benchmarks, fuzzers).
 * No allocation, no globals, no clock: the caller owns all state, passes
 * "now", provides the keyed MAC (sr_mac) and a constant-time compare
 * (sr_mac_equal), and serialises sr_commit() per replay state.
 */
#ifndef NFT_SYSRQ_PROTO_H
#define NFT_SYSRQ_PROTO_H

#include "proto_shim.h"

#define SR_VERSION	1
#define SR_TYPE_REQUEST 1
#define SR_TYPE_ACK	2

#define SR_KEY_LEN	32
#define SR_KEY_ID_LEN	8
#define SR_NONCE_LEN	8
#define SR_MAC_LEN	32
#define SR_HDR_LEN	30 /* bytes before the sysrq keys */
#define SR_MAX_KEYS	32
#define SR_DGRAM_LEN(n) (SR_HDR_LEN + (n) + SR_MAC_LEN)
#define SR_MIN_LEN	SR_DGRAM_LEN(1)
#define SR_MAX_LEN	SR_DGRAM_LEN(SR_MAX_KEYS)

#define SR_FLAG_ACK	     0x01
#define SR_TOLERANCE_DEFAULT 30 /* seconds */
#define SR_DUP_ACKS	     3	/* ACKs re-sent per recorded request */
#define SR_NAME_MAX	     32
#define SR_NSEC_PER_SEC	     1000000000ULL

/* The 36 sysrq key characters [0-9a-z] as bits of a uint64_t mask. */
#define SR_KEY_CHARS 36
#define SR_ALL_KEYS  ((1ULL << SR_KEY_CHARS) - 1)

/* ACK status byte */
enum sr_ack_status {
	SR_ACK_EXECUTED = 0,
	SR_ACK_DUPLICATE = 1,
	SR_ACK_REFUSED = 2,
};

/*
 * Verdicts in the protocol's order. SR_OTHER_KEY is what one key holder
 * (one kernel expression) says of a well-formed datagram for a key id it
 * does not hold; a server says SR_UNKNOWN_KEY when every holder said that.
 */
enum sr_verdict {
	SR_MALFORMED,
	SR_UNKNOWN_KEY,
	SR_STALE,
	SR_BAD_MAC,
	SR_DUPLICATE,
	SR_REPLAY,
	SR_REFUSED,
	SR_ACCEPTED,
	SR_OTHER_KEY,
	SR_PASS, /* sr_check() only: stateless checks passed, commit next */
	SR_VERDICT_COUNT
};

/* A parsed request. Pointers point into the caller's datagram. */
struct sr_request {
	const uint8_t *raw;
	uint32_t len; /* SR_DGRAM_LEN(n) */
	uint8_t key_id[SR_KEY_ID_LEN];
	uint64_t timestamp; /* ns since the epoch */
	uint8_t nonce[SR_NONCE_LEN];
	uint8_t flags;
	uint8_t n;
	const uint8_t *keys;
	const uint8_t *mac;
};

/* One armed key as a server holds it. */
struct sr_key {
	uint8_t key_id[SR_KEY_ID_LEN];
	const void *mac_ctx; /* the environment's keyed MAC state */
	uint32_t tolerance;  /* seconds */
	uint64_t allow;	     /* allowed sysrq keys, sr_key_bit() */
};

/*
 * Replay state of one key id. Lives outside any key holder and outlives it;
 * sr_replay_init() sets the floor when the key id is first armed.
 */
struct sr_replay {
	uint64_t floor;	  /* requests stamped earlier are REPLAY */
	uint64_t last_ts; /* last recorded request */
	uint8_t last_nonce[SR_NONCE_LEN];
	uint8_t last_status; /* SR_ACK_EXECUTED or SR_ACK_REFUSED */
	uint8_t dup_acks;    /* duplicate ACKs sent for it */
	bool has_last;
};

/* What sr_commit() decided beyond the verdict. */
struct sr_outcome {
	enum sr_verdict verdict;
	bool send_ack;
	uint8_t ack_status; /* enum sr_ack_status, when send_ack */
};

/* --- provided by the environment (kernel module or userspace glue) --- */

/* HMAC-SHA256 under the key behind mac_ctx. Returns 0, or <0 on failure. */
int sr_mac(const void *mac_ctx, const uint8_t *msg, size_t len,
	   uint8_t out[SR_MAC_LEN]);
/* Constant-time: true when the len bytes at a and b are equal. */
bool sr_mac_equal(const uint8_t *a, const uint8_t *b, size_t len);

/* --- keys and key characters --- */

/* Bit of sysrq key character c in a mask, or 0 if c is not in [0-9a-z]. */
uint64_t sr_key_bit(uint8_t c);
/* Mask of a string of key characters; false on any other character. */
bool sr_key_mask(const uint8_t *s, size_t len, uint64_t *mask);
/* Key names: 1..32 bytes of [A-Za-z0-9._-]. */
bool sr_name_valid(const uint8_t *s, size_t len);
/* KID = HMAC(K, "nft_sysrq key-id v1")[0..8). Returns 0 or <0. */
int sr_key_id(const void *mac_ctx, uint8_t out[SR_KEY_ID_LEN]);

/* --- server side --- */

/* Parse a datagram. False means MALFORMED; no crypto is done. */
bool sr_parse(const uint8_t *buf, size_t len, struct sr_request *req);

/*
 * The stateless part of the verdict for one key holder: MALFORMED,
 * OTHER_KEY, STALE, BAD_MAC, or SR_PASS (call sr_commit() next).
 * Safe to run concurrently; fills *req. The same as sr_match() and, if
 * that passes, sr_verify(): a caller whose clock is costly reads it only
 * between the two, for datagrams under its own key.
 */
enum sr_verdict sr_match(const uint8_t *buf, size_t len,
			 const struct sr_key *key, struct sr_request *req);
enum sr_verdict sr_verify(const struct sr_request *req,
			  const struct sr_key *key, uint64_t now);
enum sr_verdict sr_check(const uint8_t *buf, size_t len,
			 const struct sr_key *key, uint64_t now,
			 struct sr_request *req);

/* Start the replay state of a key id first armed at time armed_at. */
void sr_replay_init(struct sr_replay *rs, uint64_t armed_at);

/*
 * The stateful part, after sr_check() said SR_PASS: DUPLICATE, REPLAY,
 * REFUSED or ACCEPTED, recorded in *rs. The caller serialises calls on
 * one *rs (a lock): two racing copies of a request get exactly one
 * ACCEPTED. sysrq_enabled is the mask of keys the host's sysrq setting
 * permits (SR_ALL_KEYS when it does not apply).
 */
void sr_commit(const struct sr_request *req, const struct sr_key *key,
	       struct sr_replay *rs, uint64_t sysrq_enabled,
	       struct sr_outcome *out);

/*
 * Build the ACK for req with the given status into out (at least
 * req->len bytes). Returns its length (== req->len), or 0 on MAC failure.
 */
size_t sr_build_ack(const struct sr_request *req, uint8_t status,
		    const void *mac_ctx, uint8_t *out);

/*
 * A whole server in one call (userspace: sysrq-testd, conformance runner,
 * fuzzers, benchmarks): tries each of nkeys holders in order, as the rules
 * of a chain would, with replay state rs[i] belonging to keys[i]. On an
 * ACK, writes it to ack (SR_MAX_LEN bytes) and sets *ack_len, else 0.
 */
enum sr_verdict sr_server_verdict(const uint8_t *buf, size_t len,
				  const struct sr_key *keys,
				  struct sr_replay *rs, size_t nkeys,
				  uint64_t now, uint64_t sysrq_enabled,
				  uint8_t *ack, size_t *ack_len);

/* --- client side --- */

/*
 * Build a request. Returns its length, or 0 if n, a key character or the
 * flags are invalid, or the MAC failed.
 */
size_t sr_build_request(const void *mac_ctx,
			const uint8_t key_id[SR_KEY_ID_LEN], uint64_t timestamp,
			const uint8_t nonce[SR_NONCE_LEN], uint8_t flags,
			const uint8_t *keys, uint8_t n, uint8_t *out);

/*
 * Accept an ACK for the request we sent: right length and header, key id,
 * timestamp, nonce, n and keys echoed, a known status, and a MAC that
 * verifies. Sets *status on success.
 */
bool sr_verify_ack(const void *mac_ctx, const uint8_t *req, size_t req_len,
		   const uint8_t *ack, size_t ack_len, uint8_t *status);

/* Verdict name, e.g. "ACCEPTED"; "?" if out of range. */
const char *sr_verdict_name(enum sr_verdict v);

#endif /* NFT_SYSRQ_PROTO_H */
