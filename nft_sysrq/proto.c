// SPDX-License-Identifier: GPL-2.0
/*
 * nft_sysrq protocol v1 core. See proto.h for the contract and
 * docs/protocol.md for the wire format.
 */
#include "proto.h"

/* The key id is a MAC of this fixed 19-byte message. */
static const char sr_kid_msg[] = "nft_sysrq key-id v1";

/* Field offsets shared by requests and ACKs. */
enum {
	OFF_MAGIC = 0,
	OFF_VERSION = 2,
	OFF_TYPE = 3,
	OFF_KEY_ID = 4,
	OFF_TS = 12,
	OFF_NONCE = 20,
	OFF_FLAGS = 28, /* request: flags; ACK: status */
	OFF_N = 29,
	OFF_KEYS = SR_HDR_LEN,
};

static uint64_t get_be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

static void put_header(uint8_t *p, uint8_t type)
{
	p[OFF_MAGIC] = 'S';
	p[OFF_MAGIC + 1] = 'R';
	p[OFF_VERSION] = SR_VERSION;
	p[OFF_TYPE] = type;
}

static bool header_is(const uint8_t *p, uint8_t type)
{
	return p[OFF_MAGIC] == 'S' && p[OFF_MAGIC + 1] == 'R' &&
	       p[OFF_VERSION] == SR_VERSION && p[OFF_TYPE] == type;
}

uint64_t sr_key_bit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return 1ULL << (c - '0');
	if (c >= 'a' && c <= 'z')
		return 1ULL << (c - 'a' + 10);
	return 0;
}

bool sr_key_mask(const uint8_t *s, size_t len, uint64_t *mask)
{
	uint64_t m = 0, bit;
	size_t i;

	for (i = 0; i < len; i++) {
		bit = sr_key_bit(s[i]);
		if (!bit)
			return false;
		m |= bit;
	}
	*mask = m;
	return true;
}

bool sr_name_valid(const uint8_t *s, size_t len)
{
	size_t i;

	if (len < 1 || len > SR_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		uint8_t c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return false;
	}
	return true;
}

int sr_key_id(const void *mac_ctx, uint8_t out[SR_KEY_ID_LEN])
{
	uint8_t mac[SR_MAC_LEN];
	int err;

	err = sr_mac(mac_ctx, (const uint8_t *)sr_kid_msg,
		     sizeof(sr_kid_msg) - 1, mac);
	if (!err)
		memcpy(out, mac, SR_KEY_ID_LEN);
	sr_wipe(mac, sizeof(mac));
	return err;
}

bool sr_parse(const uint8_t *buf, size_t len, struct sr_request *req)
{
	uint8_t n;
	size_t i;

	if (len < SR_MIN_LEN || len > SR_MAX_LEN)
		return false;
	if (!header_is(buf, SR_TYPE_REQUEST))
		return false;
	if (buf[OFF_FLAGS] & (uint8_t)~SR_FLAG_ACK)
		return false;
	n = buf[OFF_N];
	if (n < 1 || n > SR_MAX_KEYS || len != (size_t)SR_DGRAM_LEN(n))
		return false;
	for (i = 0; i < n; i++)
		if (!sr_key_bit(buf[OFF_KEYS + i]))
			return false;

	req->raw = buf;
	req->len = (uint32_t)len;
	memcpy(req->key_id, buf + OFF_KEY_ID, SR_KEY_ID_LEN);
	req->timestamp = get_be64(buf + OFF_TS);
	memcpy(req->nonce, buf + OFF_NONCE, SR_NONCE_LEN);
	req->flags = buf[OFF_FLAGS];
	req->n = n;
	req->keys = buf + OFF_KEYS;
	req->mac = buf + OFF_KEYS + n;
	return true;
}

/* Key ids are public: an ordinary compare is fine. */
static bool key_id_is(const struct sr_request *req, const struct sr_key *key)
{
	return !memcmp(req->key_id, key->key_id, SR_KEY_ID_LEN);
}

enum sr_verdict sr_match(const uint8_t *buf, size_t len,
			 const struct sr_key *key, struct sr_request *req)
{
	if (!sr_parse(buf, len, req))
		return SR_MALFORMED;
	return key_id_is(req, key) ? SR_PASS : SR_OTHER_KEY;
}

enum sr_verdict sr_verify(const struct sr_request *req,
			  const struct sr_key *key, uint64_t now)
{
	uint64_t age, tolerance;
	uint8_t mac[SR_MAC_LEN];
	bool ok;

	age = now > req->timestamp ? now - req->timestamp :
				     req->timestamp - now;
	tolerance = (uint64_t)key->tolerance * SR_NSEC_PER_SEC;
	if (age > tolerance)
		return SR_STALE;

	/* A failing MAC primitive fails closed. */
	if (sr_mac(key->mac_ctx, req->raw, SR_HDR_LEN + req->n, mac))
		return SR_BAD_MAC;
	ok = sr_mac_equal(mac, req->mac, SR_MAC_LEN);
	sr_wipe(mac, sizeof(mac));
	return ok ? SR_PASS : SR_BAD_MAC;
}

enum sr_verdict sr_check(const uint8_t *buf, size_t len,
			 const struct sr_key *key, uint64_t now,
			 struct sr_request *req)
{
	enum sr_verdict v = sr_match(buf, len, key, req);

	return v == SR_PASS ? sr_verify(req, key, now) : v;
}

void sr_replay_init(struct sr_replay *rs, uint64_t armed_at)
{
	memset(rs, 0, sizeof(*rs));
	rs->floor = armed_at;
}

void sr_commit(const struct sr_request *req, const struct sr_key *key,
	       struct sr_replay *rs, uint64_t sysrq_enabled,
	       struct sr_outcome *out)
{
	bool want_ack = req->flags & SR_FLAG_ACK;
	uint64_t asked = 0;
	bool refused;

	out->send_ack = false;
	out->ack_status = 0;

	/* 5. The last recorded request again: never executed twice. */
	if (rs->has_last && req->timestamp == rs->last_ts &&
	    !memcmp(req->nonce, rs->last_nonce, SR_NONCE_LEN)) {
		out->verdict = SR_DUPLICATE;
		if (want_ack && rs->dup_acks < SR_DUP_ACKS) {
			rs->dup_acks++;
			out->send_ack = true;
			out->ack_status = rs->last_status == SR_ACK_REFUSED ?
						  SR_ACK_REFUSED :
						  SR_ACK_DUPLICATE;
		}
		return;
	}

	/* 6. Older than the last recorded request, or than the arming. */
	if (req->timestamp < rs->floor ||
	    (rs->has_last && req->timestamp <= rs->last_ts)) {
		out->verdict = SR_REPLAY;
		return;
	}

	/* 7. All or nothing: one disallowed key refuses the request. */
	sr_key_mask(req->keys, req->n, &asked);
	refused = asked & ~(key->allow & sysrq_enabled);

	/* 7 and 8 both record the request, so it is never decided twice. */
	rs->has_last = true;
	rs->last_ts = req->timestamp;
	memcpy(rs->last_nonce, req->nonce, SR_NONCE_LEN);
	rs->last_status = refused ? SR_ACK_REFUSED : SR_ACK_EXECUTED;
	rs->dup_acks = 0;

	out->verdict = refused ? SR_REFUSED : SR_ACCEPTED;
	out->send_ack = want_ack;
	out->ack_status = rs->last_status;
}

size_t sr_build_ack(const struct sr_request *req, uint8_t status,
		    const void *mac_ctx, uint8_t *out)
{
	size_t body = SR_HDR_LEN + req->n;

	memcpy(out, req->raw, body);
	out[OFF_TYPE] = SR_TYPE_ACK;
	out[OFF_FLAGS] = status;
	if (sr_mac(mac_ctx, out, body, out + body))
		return 0;
	return body + SR_MAC_LEN;
}

enum sr_verdict sr_server_verdict(const uint8_t *buf, size_t len,
				  const struct sr_key *keys,
				  struct sr_replay *rs, size_t nkeys,
				  uint64_t now, uint64_t sysrq_enabled,
				  uint8_t *ack, size_t *ack_len)
{
	struct sr_request req;
	struct sr_outcome out;
	enum sr_verdict v;
	size_t i;

	*ack_len = 0;
	if (!sr_parse(buf, len, &req))
		return SR_MALFORMED;
	for (i = 0; i < nkeys; i++) {
		if (!key_id_is(&req, &keys[i]))
			continue;
		v = sr_verify(&req, &keys[i], now);
		if (v != SR_PASS)
			return v;
		sr_commit(&req, &keys[i], &rs[i], sysrq_enabled, &out);
		if (out.send_ack)
			*ack_len = sr_build_ack(&req, out.ack_status,
						keys[i].mac_ctx, ack);
		return out.verdict;
	}
	return SR_UNKNOWN_KEY;
}

size_t sr_build_request(const void *mac_ctx,
			const uint8_t key_id[SR_KEY_ID_LEN], uint64_t timestamp,
			const uint8_t nonce[SR_NONCE_LEN], uint8_t flags,
			const uint8_t *keys, uint8_t n, uint8_t *out)
{
	uint64_t mask;

	if (n < 1 || n > SR_MAX_KEYS || (flags & (uint8_t)~SR_FLAG_ACK) ||
	    !sr_key_mask(keys, n, &mask))
		return 0;

	put_header(out, SR_TYPE_REQUEST);
	memcpy(out + OFF_KEY_ID, key_id, SR_KEY_ID_LEN);
	put_be64(out + OFF_TS, timestamp);
	memcpy(out + OFF_NONCE, nonce, SR_NONCE_LEN);
	out[OFF_FLAGS] = flags;
	out[OFF_N] = n;
	memcpy(out + OFF_KEYS, keys, n);
	if (sr_mac(mac_ctx, out, SR_HDR_LEN + n, out + SR_HDR_LEN + n))
		return 0;
	return SR_DGRAM_LEN(n);
}

bool sr_verify_ack(const void *mac_ctx, const uint8_t *req, size_t req_len,
		   const uint8_t *ack, size_t ack_len, uint8_t *status)
{
	uint8_t mac[SR_MAC_LEN];
	size_t body;
	bool ok;

	if (req_len < SR_MIN_LEN || req_len > SR_MAX_LEN ||
	    req_len != (size_t)SR_DGRAM_LEN(req[OFF_N]) || ack_len != req_len)
		return false;
	body = SR_HDR_LEN + req[OFF_N];
	if (!header_is(ack, SR_TYPE_ACK) || ack[OFF_FLAGS] > SR_ACK_REFUSED)
		return false;
	/* key id, timestamp, nonce, then n and keys: all echoed. */
	if (memcmp(ack + OFF_KEY_ID, req + OFF_KEY_ID,
		   OFF_FLAGS - OFF_KEY_ID) != 0 ||
	    memcmp(ack + OFF_N, req + OFF_N, body - OFF_N) != 0)
		return false;
	if (sr_mac(mac_ctx, ack, body, mac))
		return false;
	ok = sr_mac_equal(mac, ack + body, SR_MAC_LEN);
	sr_wipe(mac, sizeof(mac));
	if (ok)
		*status = ack[OFF_FLAGS];
	return ok;
}

const char *sr_verdict_name(enum sr_verdict v)
{
	static const char *const names[SR_VERDICT_COUNT] = {
		[SR_MALFORMED] = "MALFORMED", [SR_UNKNOWN_KEY] = "UNKNOWN_KEY",
		[SR_STALE] = "STALE",	      [SR_BAD_MAC] = "BAD_MAC",
		[SR_DUPLICATE] = "DUPLICATE", [SR_REPLAY] = "REPLAY",
		[SR_REFUSED] = "REFUSED",     [SR_ACCEPTED] = "ACCEPTED",
		[SR_OTHER_KEY] = "OTHER_KEY", [SR_PASS] = "PASS",
	};

	return (unsigned int)v < SR_VERDICT_COUNT ? names[v] : "?";
}
