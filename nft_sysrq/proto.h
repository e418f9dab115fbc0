/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nft_sysrq protocol v2 core: every datagram, the server's verdicts and
 * records, REPORT and OUTPUT construction, the client's checks, and the
 * sealing of keys for the kernel.
 *
 * One implementation, compiled into the kernel module and into every
 * userspace program (sysrqctl, sysrq-testd, tests, benchmarks, fuzzers).
 * No allocation, no globals, no clock: the caller owns all state, passes
 * the protocol time, and provides the crypto primitives and the record
 * lock declared under "environment" below.
 */
#ifndef NFT_SYSRQ_PROTO_H
#define NFT_SYSRQ_PROTO_H

#include "proto_shim.h"

#define SR_VERSION 2

/* Datagram types. */
enum sr_type {
	SR_T_REQUEST = 1,
	SR_T_ACK = 2,
	SR_T_TIME = 3,
	SR_T_CLOCK = 4,
	SR_T_REPORT = 5,
	SR_T_OUTPUT = 6,
	SR_T_FETCH = 7,
};

#define SR_KEY_LEN    32
#define SR_KEY_ID_LEN 8
#define SR_EPOCH_LEN  8
#define SR_NONCE_LEN  8
#define SR_MAC_LEN    32
#define SR_TAG_LEN    16 /* Poly1305 */
#define SR_HDR_LEN    28 /* magic, version, type, key id, timestamp, nonce */
#define SR_MAX_KEYS   32
#define SR_NAME_MAX   32

#define SR_REQ_LEN(n)	 (SR_HDR_LEN + 2 + (n) + SR_MAC_LEN)
#define SR_REQ_MIN_LEN	 SR_REQ_LEN(1)
#define SR_REQ_MAX_LEN	 SR_REQ_LEN(SR_MAX_KEYS)
#define SR_TIME_LEN	 (SR_HDR_LEN + 8 + SR_MAC_LEN)
#define SR_CLOCK_LEN	 (SR_HDR_LEN + SR_EPOCH_LEN + SR_MAC_LEN)
#define SR_REPORT_LEN	 (SR_HDR_LEN + 3 + SR_MAC_LEN)
#define SR_OUT_HDR_LEN	 (SR_HDR_LEN + 4) /* + index, total: the AEAD's ad */
#define SR_OUTPUT_LEN(l) (SR_OUT_HDR_LEN + (l) + SR_TAG_LEN)
#define SR_FETCH_LEN	 1120
#define SR_CHUNK	 1024
#define SR_OUTPUT_MAX	 1048576
#define SR_MAX_CHUNKS	 (SR_OUTPUT_MAX / SR_CHUNK)
#define SR_ANSWER_MAX	 SR_OUTPUT_LEN(SR_CHUNK) /* largest answer */
#define SR_SEALED_LEN	 (32 + SR_KEY_LEN + SR_TAG_LEN)

#define SR_NSEC_PER_SEC	     1000000000ULL
#define SR_FUTURE	     (2 * SR_NSEC_PER_SEC)
#define SR_ANSWERS	     8
#define SR_SOURCES	     4
#define SR_CLOCK_RATE	     8 /* per SR_CLOCK_WINDOW */
#define SR_CLOCK_WINDOW	     SR_NSEC_PER_SEC
#define SR_CLOCK_SOURCES     16 /* sources the CLOCK rate is kept for */
#define SR_KEEP		     (60 * SR_NSEC_PER_SEC)
#define SR_RESENDS	     32
#define SR_HOLD		     SR_NSEC_PER_SEC
#define SR_SETTLE	     (10 * SR_NSEC_PER_SEC) /* sync/remount bound */
#define SR_TOLERANCE_MIN     15			    /* seconds */
#define SR_TOLERANCE_MAX     300
#define SR_TOLERANCE_DEFAULT 30

/* REQUEST flags */
#define SR_FLAG_ACK    0x01
#define SR_FLAG_REPORT 0x02

/* ACK status */
enum sr_ack_status {
	SR_ACK_ACCEPTED = 0,
	SR_ACK_DUPLICATE = 1,
	SR_ACK_REFUSED = 2,
};

/* REPORT status bits */
#define SR_REPORT_UNSETTLED 0x01 /* sync/remount not done within 10 s */
#define SR_REPORT_TRUNCATED 0x02 /* output over the limit, or lines lost */

/* The 36 sysrq key characters [0-9a-z] as bits of a uint64_t mask. */
#define SR_KEY_CHARS 36
#define SR_ALL_KEYS  ((1ULL << SR_KEY_CHARS) - 1)

/*
 * Verdicts. SR_OTHER_KEY is what one key holder (one kernel expression)
 * says of a well-formed datagram for a key id it does not hold; a server
 * says SR_UNKNOWN_KEY when every holder said that.
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
	SR_TIME,
	SR_RATE,
	SR_FETCH,
	SR_IGNORED,
	SR_OTHER_KEY,
	SR_VERDICT_COUNT
};

/* Where a datagram came from: family 4 or 6, address, port. */
struct sr_source {
	uint8_t family;
	uint8_t addr[16]; /* IPv4: the first 4 bytes, the rest zero */
	uint16_t port;
};

/* A parsed, well-formed datagram. Pointers point into the caller's buffer. */
struct sr_msg {
	const uint8_t *raw;
	uint32_t len;
	uint8_t type;
	uint8_t key_id[SR_KEY_ID_LEN];
	uint64_t timestamp;
	const uint8_t *nonce;
	/* REQUEST */
	uint8_t flags;
	uint8_t n;
	const uint8_t *keys;
	/* FETCH: the request whose output is wanted, and the chunk */
	uint64_t req_ts;
	const uint8_t *req_nonce;
	uint16_t index;
};

/* One chunk of kept output: its OUTPUT datagram, ready to send. */
struct sr_chunk {
	uint64_t last_fetch; /* timestamp of the last FETCH answered */
	uint8_t sent;
	uint16_t len; /* of dgram */
	uint8_t dgram[SR_ANSWER_MAX];
};

/* The kept output of one request (allocated by the caller). */
struct sr_output {
	uint64_t req_ts;
	uint8_t req_nonce[SR_NONCE_LEN];
	uint64_t done_at; /* protocol time of its REPORT */
	uint16_t total;
	struct sr_chunk chunk[]; /* total of them */
};

/* CLOCKs sent for the record's key id to one source. */
struct sr_clock_src {
	struct sr_source src;
	uint64_t seen;		      /* last TIME from it that verified */
	uint64_t sent[SR_CLOCK_RATE]; /* ring of the latest CLOCK times */
	uint8_t next;
	bool used;
};

/*
 * A record: host-wide state of one key id (module: one per key id for all
 * network namespaces). The caller creates it with sr_record_init(), keeps
 * it while any holder has the key id, serialises changes with
 * sr_record_lock(), and frees the output sr_record_done() hands back.
 */
struct sr_record {
	uint8_t key_id[SR_KEY_ID_LEN];
	uint8_t epoch[SR_EPOCH_LEN];
	uint32_t generation; /* bumped with every new epoch */
	/* The last recorded request: the whole datagram (len 0: none). */
	uint8_t last[SR_REQ_MAX_LEN];
	uint8_t last_len;
	uint8_t last_status; /* SR_ACK_ACCEPTED or SR_ACK_REFUSED */
	uint64_t last_ts;
	/* Its REPORT, once it exists (the second answer phase). */
	bool has_report;
	uint8_t report[SR_REPORT_LEN];
	/* Sources answers are counted for in the current phase; [0] = its own. */
	struct sr_source src[SR_SOURCES];
	uint8_t answers[SR_SOURCES];
	uint8_t nsrc;
	struct sr_clock_src clock[SR_CLOCK_SOURCES];
	struct sr_output *out; /* the latest kept output, or NULL */
};

/* One armed key as a holder (kernel: an expression) has it. */
struct sr_key {
	uint8_t key_id[SR_KEY_ID_LEN];
	const void *mac_ctx; /* the environment's keyed MAC state for K */
	uint32_t tolerance;  /* seconds, past window */
	uint64_t allow;	     /* allowed sysrq keys, sr_key_bit() */
	struct sr_record *rec;
};

/* What the server does with one datagram. */
struct sr_answer {
	enum sr_verdict verdict;
	size_t len;   /* bytes of the answer in buf; 0: none */
	uint8_t *buf; /* the caller's, SR_ANSWER_MAX bytes */
	/* ACCEPTED: the record's generation, for the REPORT later */
	uint32_t generation;
	/*
	 * Set by the caller, or NULL: called under the record's lock when a
	 * request is about to be ACCEPTED, to take what running it needs
	 * (the module: an execution item), so that no other verdict costs
	 * an allocation. False: nothing is recorded, the verdict is
	 * IGNORED, and the client's re-send is judged afresh.
	 */
	bool (*reserve)(void *arg);
	void *reserve_arg;
};

/* --- provided by the environment (kernel module or userspace glue) --- */

/*
 * HMAC-SHA256 under the key behind mac_ctx of pre || msg (pre may be
 * NULL when pre_len is 0). Returns 0, or <0 on failure.
 */
int sr_mac(const void *mac_ctx, const uint8_t *pre, size_t pre_len,
	   const uint8_t *msg, size_t len, uint8_t out[SR_MAC_LEN]);
/* HMAC-SHA256 keyed with 32 raw bytes. Returns 0, or <0 on failure. */
int sr_hmac(const uint8_t key[32], const uint8_t *msg, size_t len,
	    uint8_t out[SR_MAC_LEN]);
/* Constant-time: true when the len bytes at a and b are equal. */
bool sr_mac_equal(const uint8_t *a, const uint8_t *b, size_t len);
/*
 * ChaCha20-Poly1305 (RFC 8439), nonce 0x00000000 || LE64(nonce): len
 * bytes of src to len + SR_TAG_LEN bytes of dst; open() takes len bytes
 * with the tag and returns false (dst undefined) when it does not verify.
 */
void sr_aead_seal(uint8_t *dst, const uint8_t *src, size_t len,
		  const uint8_t *ad, size_t ad_len, uint64_t nonce,
		  const uint8_t key[32]);
bool sr_aead_open(uint8_t *dst, const uint8_t *src, size_t len,
		  const uint8_t *ad, size_t ad_len, uint64_t nonce,
		  const uint8_t key[32]);
/* X25519: out = scalar * point; false when out is all zero. */
bool sr_x25519(uint8_t out[32], const uint8_t scalar[32],
	       const uint8_t point[32]);
/* Serialise changes to one record (userspace: may be no-ops). */
void sr_record_lock(struct sr_record *rec);
void sr_record_unlock(struct sr_record *rec);

/* --- keys and key characters --- */

/* Bit of sysrq key character c in a mask, or 0 if c is not in [0-9a-z]. */
uint64_t sr_key_bit(uint8_t c);
/* Mask of a string of key characters; false on any other character. */
bool sr_key_mask(const uint8_t *s, size_t len, uint64_t *mask);
/* b, c and o: after them the host no longer answers. */
bool sr_key_terminal(uint8_t c);
/* Key names: 1..32 bytes of [A-Za-z0-9._-]. */
bool sr_name_valid(const uint8_t *s, size_t len);
/* KID = HMAC(K, "nft_sysrq key-id v1")[0..8). Returns 0 or <0. */
int sr_key_id(const void *mac_ctx, uint8_t out[SR_KEY_ID_LEN]);

/* --- server --- */

/* Parse a datagram of any type. False means MALFORMED; no crypto is done. */
bool sr_parse(const uint8_t *buf, size_t len, struct sr_msg *msg);

/* A new record for key_id with a fresh epoch (from a seeded RNG). */
void sr_record_init(struct sr_record *rec, const uint8_t key_id[SR_KEY_ID_LEN],
		    const uint8_t epoch[SR_EPOCH_LEN]);
/*
 * A new epoch (the machine was forked or restored from a snapshot): the
 * record forgets its last request and its answer counts, and hands back
 * its kept output for the caller to free. Call under the record's lock.
 */
struct sr_output *sr_record_renew(struct sr_record *rec,
				  const uint8_t epoch[SR_EPOCH_LEN]);

/*
 * The verdict of one key holder on one datagram at protocol time now,
 * with the answer (if any) in ans->buf. sysrq_enabled is the mask of keys
 * the host's sysrq setting permits. Takes the record's lock as needed.
 * For ACCEPTED the caller queues the request's keys.
 */
void sr_handle(const uint8_t *buf, size_t len, const struct sr_source *src,
	       const struct sr_key *key, uint64_t now, uint64_t sysrq_enabled,
	       struct sr_answer *ans);

/*
 * After an accepted request that asked for a REPORT has run: build its
 * REPORT (status: SR_REPORT_* bits) for chunks of output. Returns
 * SR_REPORT_LEN, or 0 on MAC failure.
 */
size_t sr_build_report(const void *mac_ctx, const uint8_t epoch[SR_EPOCH_LEN],
		       const uint8_t *req, size_t req_len, uint8_t status,
		       uint16_t chunks, uint8_t *out);
/* KO: the AEAD key of a request's output chunks. Returns 0 or <0. */
int sr_output_key(const void *mac_ctx, const uint8_t epoch[SR_EPOCH_LEN],
		  const uint8_t *req, uint8_t ko[32]);
/* One OUTPUT datagram (len 1..SR_CHUNK). Returns its length, or 0. */
size_t sr_build_output(const uint8_t ko[32], const uint8_t *req, uint16_t index,
		       uint16_t total, const uint8_t *text, size_t len,
		       uint8_t *out);
/* Chunks for len bytes of output. */
uint16_t sr_output_chunks(size_t len);
/*
 * Fill out (allocated for sr_output_chunks(len) chunks, len > 0) with the
 * encrypted chunks of the request's output. No lock needed: out is not
 * yet in a record. Returns 0, or <0 on MAC failure.
 */
int sr_output_build(struct sr_output *out, const void *mac_ctx,
		    const uint8_t epoch[SR_EPOCH_LEN], const uint8_t *req,
		    size_t req_len, const uint8_t *text, size_t len);
/*
 * Record that the request req is done at now, under the record's lock:
 * if it is still the record's last request and the epoch is the one it
 * was accepted under (generation), its REPORT becomes the answer to its
 * duplicates (answers counted afresh); a non-NULL out becomes the kept
 * output. Returns the output the caller must free (the replaced one, or
 * out itself when it cannot be kept), or NULL.
 */
struct sr_output *sr_record_done(struct sr_record *rec, uint32_t generation,
				 const uint8_t *req, size_t req_len,
				 const uint8_t report[SR_REPORT_LEN],
				 struct sr_output *out, uint64_t now);
/* Drop kept output older than KEEP at now; returns it for freeing. */
struct sr_output *sr_record_expire(struct sr_record *rec, uint64_t now);

/* --- client --- */

/*
 * Build a REQUEST for the host's epoch. Returns its length, or 0 if n, a
 * key character, the TERMINAL placement or the flags are invalid, or the
 * MAC failed.
 */
size_t sr_build_request(const void *mac_ctx,
			const uint8_t key_id[SR_KEY_ID_LEN],
			const uint8_t epoch[SR_EPOCH_LEN], uint64_t timestamp,
			const uint8_t nonce[SR_NONCE_LEN], uint8_t flags,
			const uint8_t *keys, uint8_t n, uint8_t *out);
/* The ACK for a request (server side; also for tests). */
size_t sr_build_ack(const void *mac_ctx, const uint8_t epoch[SR_EPOCH_LEN],
		    const uint8_t *req, size_t req_len, uint8_t status,
		    uint8_t *out);
/* An ACK that verifies and echoes req; sets *status. */
bool sr_verify_ack(const void *mac_ctx, const uint8_t epoch[SR_EPOCH_LEN],
		   const uint8_t *req, size_t req_len, const uint8_t *ack,
		   size_t ack_len, uint8_t *status);
/* A REPORT that verifies and echoes req; sets *status and *chunks. */
bool sr_verify_report(const void *mac_ctx, const uint8_t epoch[SR_EPOCH_LEN],
		      const uint8_t *req, size_t req_len, const uint8_t *rep,
		      size_t rep_len, uint8_t *status, uint16_t *chunks);

/* A TIME probe stamped with the client's clock. Returns SR_TIME_LEN or 0. */
size_t sr_build_time(const void *mac_ctx, const uint8_t key_id[SR_KEY_ID_LEN],
		     uint64_t timestamp, const uint8_t nonce[SR_NONCE_LEN],
		     uint8_t *out);
/* The CLOCK answering a TIME (server side; also for tests). */
size_t sr_build_clock(const void *mac_ctx, const uint8_t *time_dgram,
		      uint64_t now, const uint8_t epoch[SR_EPOCH_LEN],
		      uint8_t *out);
/* A CLOCK that verifies and echoes the TIME probe; sets *t and epoch. */
bool sr_verify_clock(const void *mac_ctx, const uint8_t *time_dgram,
		     const uint8_t *clk, size_t clk_len, uint64_t *t,
		     uint8_t epoch[SR_EPOCH_LEN]);

/* A FETCH for chunk index of req's output. Returns SR_FETCH_LEN or 0. */
size_t sr_build_fetch(const void *mac_ctx, const uint8_t epoch[SR_EPOCH_LEN],
		      uint64_t timestamp, const uint8_t nonce[SR_NONCE_LEN],
		      const uint8_t *req, size_t req_len, uint16_t index,
		      uint8_t *out);
/*
 * An OUTPUT for req that opens: sets *index, *total and the plaintext
 * (SR_CHUNK bytes of room) and its length.
 */
bool sr_open_output(const void *mac_ctx, const uint8_t epoch[SR_EPOCH_LEN],
		    const uint8_t *req, size_t req_len, const uint8_t *dgram,
		    size_t len, uint16_t *index, uint16_t *total, uint8_t *text,
		    size_t *text_len);

/* --- sealed keys --- */

/*
 * Seal key to the module's public key pub with the 32 random bytes eph.
 * Returns 0, or <0 (an all-zero shared secret, or a MAC failure).
 */
int sr_seal(const uint8_t key[SR_KEY_LEN], const uint8_t pub[32],
	    const uint8_t eph[32], uint8_t out[SR_SEALED_LEN]);
/* Open a sealed key with the module's key pair. Returns 0, or <0. */
int sr_unseal(const uint8_t sealed[SR_SEALED_LEN], const uint8_t secret[32],
	      const uint8_t pub[32], uint8_t key[SR_KEY_LEN]);

/* Verdict name, e.g. "ACCEPTED"; "?" if out of range. */
const char *sr_verdict_name(enum sr_verdict v);

#endif /* NFT_SYSRQ_PROTO_H */
