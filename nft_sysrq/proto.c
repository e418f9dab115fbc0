// SPDX-License-Identifier: GPL-2.0
/*
 * nft_sysrq protocol v2 core. See proto.h for the contract and
 * docs/protocol.md for the wire format.
 */
#include "proto.h"

/* Labels of the MAC-derived values (the key id keeps v1's text). */
static const char sr_kid_label[] = "nft_sysrq key-id v1";
static const char sr_output_label[] = "nft_sysrq output v2";
static const char sr_seal_label[] = "nft_sysrq seal v2";

/* Header fields, and the bodies' fields after it. */
enum {
	OFF_MAGIC = 0,
	OFF_VERSION = 2,
	OFF_TYPE = 3,
	OFF_KEY_ID = 4,
	OFF_TS = 12,
	OFF_NONCE = 20,
	OFF_BODY = SR_HDR_LEN,
	/* REQUEST and ACK */
	OFF_FLAGS = OFF_BODY, /* ACK: status */
	OFF_N = OFF_BODY + 1,
	OFF_KEYS = OFF_BODY + 2,
	/* CLOCK */
	OFF_EPOCH = OFF_BODY,
	/* REPORT */
	OFF_RSTATUS = OFF_BODY,
	OFF_CHUNKS = OFF_BODY + 1,
	/* OUTPUT */
	OFF_INDEX = OFF_BODY,
	OFF_TOTAL = OFF_BODY + 2,
	OFF_TEXT = SR_OUT_HDR_LEN,
	/* FETCH */
	OFF_FREQ_TS = OFF_BODY,
	OFF_FREQ_NONCE = OFF_BODY + 8,
	OFF_FINDEX = OFF_BODY + 16,
	OFF_FZERO = OFF_BODY + 18,
	OFF_FMAC = SR_FETCH_LEN - SR_MAC_LEN,
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

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_header(uint8_t *p, uint8_t type,
		       const uint8_t key_id[SR_KEY_ID_LEN], uint64_t ts,
		       const uint8_t nonce[SR_NONCE_LEN])
{
	p[OFF_MAGIC] = 'S';
	p[OFF_MAGIC + 1] = 'R';
	p[OFF_VERSION] = SR_VERSION;
	p[OFF_TYPE] = type;
	memcpy(p + OFF_KEY_ID, key_id, SR_KEY_ID_LEN);
	put_be64(p + OFF_TS, ts);
	memcpy(p + OFF_NONCE, nonce, SR_NONCE_LEN);
}

static bool all_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < len; i++)
		acc |= p[i];
	return !acc;
}

/* MAC of (epoch ||) the len bytes at msg, compared in constant time. */
static bool mac_ok(const void *mac_ctx, const uint8_t *epoch,
		   const uint8_t *msg, size_t len, const uint8_t *mac)
{
	uint8_t want[SR_MAC_LEN];
	bool ok;

	/* A failing MAC primitive fails closed. */
	if (sr_mac(mac_ctx, epoch, epoch ? SR_EPOCH_LEN : 0, msg, len, want))
		return false;
	ok = sr_mac_equal(want, mac, SR_MAC_LEN);
	sr_wipe(want, sizeof(want));
	return ok;
}

/* --- keys and key characters --- */

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

bool sr_key_terminal(uint8_t c)
{
	return c == 'b' || c == 'c' || c == 'o';
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

	err = sr_mac(mac_ctx, NULL, 0, (const uint8_t *)sr_kid_label,
		     sizeof(sr_kid_label) - 1, mac);
	if (!err)
		memcpy(out, mac, SR_KEY_ID_LEN);
	sr_wipe(mac, sizeof(mac));
	return err;
}

/* --- parsing --- */

/* The keys of a request: [0-9a-z], a TERMINAL key only as the last. */
static bool keys_valid(const uint8_t *keys, uint8_t n)
{
	uint8_t i;

	for (i = 0; i < n; i++) {
		if (!sr_key_bit(keys[i]))
			return false;
		if (sr_key_terminal(keys[i]) && i != n - 1)
			return false;
	}
	return true;
}

static bool flags_valid(uint8_t flags, const uint8_t *keys, uint8_t n)
{
	if (flags & (uint8_t) ~(SR_FLAG_ACK | SR_FLAG_REPORT))
		return false;
	if (!(flags & SR_FLAG_REPORT))
		return true;
	/* A REPORT only with the ACK, and never after a TERMINAL key. */
	return (flags & SR_FLAG_ACK) && !sr_key_terminal(keys[n - 1]);
}

bool sr_parse(const uint8_t *buf, size_t len, struct sr_msg *msg)
{
	if (len < SR_HDR_LEN || buf[OFF_MAGIC] != 'S' ||
	    buf[OFF_MAGIC + 1] != 'R' || buf[OFF_VERSION] != SR_VERSION)
		return false;

	memset(msg, 0, sizeof(*msg));
	msg->raw = buf;
	msg->len = (uint32_t)len;
	msg->type = buf[OFF_TYPE];
	memcpy(msg->key_id, buf + OFF_KEY_ID, SR_KEY_ID_LEN);
	msg->timestamp = get_be64(buf + OFF_TS);
	msg->nonce = buf + OFF_NONCE;

	switch (msg->type) {
	case SR_T_REQUEST:
		if (len < SR_REQ_MIN_LEN || len > SR_REQ_MAX_LEN)
			return false;
		msg->flags = buf[OFF_FLAGS];
		msg->n = buf[OFF_N];
		msg->keys = buf + OFF_KEYS;
		return msg->n >= 1 && len == (size_t)SR_REQ_LEN(msg->n) &&
		       keys_valid(msg->keys, msg->n) &&
		       flags_valid(msg->flags, msg->keys, msg->n);
	case SR_T_TIME:
		return len == SR_TIME_LEN && all_zero(buf + OFF_BODY, 8);
	case SR_T_FETCH:
		if (len != SR_FETCH_LEN ||
		    !all_zero(buf + OFF_FZERO, OFF_FMAC - OFF_FZERO))
			return false;
		msg->req_ts = get_be64(buf + OFF_FREQ_TS);
		msg->req_nonce = buf + OFF_FREQ_NONCE;
		msg->index = get_be16(buf + OFF_FINDEX);
		return true;
	default:
		/* Answers and unknown types are nothing a server takes. */
		return false;
	}
}

/* --- records --- */

void sr_record_init(struct sr_record *rec, const uint8_t key_id[SR_KEY_ID_LEN],
		    const uint8_t epoch[SR_EPOCH_LEN])
{
	memset(rec, 0, sizeof(*rec));
	memcpy(rec->key_id, key_id, SR_KEY_ID_LEN);
	memcpy(rec->epoch, epoch, SR_EPOCH_LEN);
}

struct sr_output *sr_record_renew(struct sr_record *rec,
				  const uint8_t epoch[SR_EPOCH_LEN])
{
	struct sr_output *out = rec->out;
	uint32_t generation = rec->generation + 1;
	uint8_t key_id[SR_KEY_ID_LEN];

	memcpy(key_id, rec->key_id, SR_KEY_ID_LEN);
	sr_record_init(rec, key_id, epoch);
	rec->generation = generation;
	return out;
}

static bool same_source(const struct sr_source *a, const struct sr_source *b)
{
	return a->family == b->family && a->port == b->port &&
	       !memcmp(a->addr, b->addr, sizeof(a->addr));
}

/*
 * The recorded request again: answer from its phase's budget, to a source
 * the record counts answers for (its own first, then first come).
 */
static bool dup_may_answer(struct sr_record *rec, const struct sr_source *src)
{
	uint8_t i;

	for (i = 0; i < rec->nsrc; i++)
		if (same_source(&rec->src[i], src))
			break;
	if (i == rec->nsrc) {
		if (rec->nsrc == SR_SOURCES)
			return false;
		rec->src[rec->nsrc] = *src;
		rec->answers[rec->nsrc++] = 0;
	}
	if (rec->answers[i] >= SR_ANSWERS)
		return false;
	rec->answers[i]++;
	return true;
}

static bool is_last(const struct sr_record *rec, const uint8_t *buf, size_t len)
{
	return rec->last_len && rec->last_len == len &&
	       !memcmp(rec->last, buf, len);
}

/* --- building answers --- */

size_t sr_build_ack(const void *mac_ctx, const uint8_t epoch[SR_EPOCH_LEN],
		    const uint8_t *req, size_t req_len, uint8_t status,
		    uint8_t *out)
{
	size_t body = req_len - SR_MAC_LEN;

	memcpy(out, req, body);
	out[OFF_TYPE] = SR_T_ACK;
	out[OFF_FLAGS] = status;
	if (sr_mac(mac_ctx, epoch, SR_EPOCH_LEN, out, body, out + body))
		return 0;
	return req_len;
}

size_t sr_build_report(const void *mac_ctx, const uint8_t epoch[SR_EPOCH_LEN],
		       const uint8_t *req, size_t req_len, uint8_t status,
		       uint16_t chunks, uint8_t *out)
{
	size_t body = SR_REPORT_LEN - SR_MAC_LEN;

	if (req_len < SR_HDR_LEN)
		return 0;
	memcpy(out, req, SR_HDR_LEN);
	out[OFF_TYPE] = SR_T_REPORT;
	out[OFF_RSTATUS] = status;
	put_be16(out + OFF_CHUNKS, chunks);
	if (sr_mac(mac_ctx, epoch, SR_EPOCH_LEN, out, body, out + body))
		return 0;
	return SR_REPORT_LEN;
}

size_t sr_build_clock(const void *mac_ctx, const uint8_t *time_dgram,
		      uint64_t now, const uint8_t epoch[SR_EPOCH_LEN],
		      uint8_t *out)
{
	size_t body = SR_CLOCK_LEN - SR_MAC_LEN;

	put_header(out, SR_T_CLOCK, time_dgram + OFF_KEY_ID, now,
		   time_dgram + OFF_NONCE);
	memcpy(out + OFF_EPOCH, epoch, SR_EPOCH_LEN);
	if (sr_mac(mac_ctx, NULL, 0, out, body, out + body))
		return 0;
	return SR_CLOCK_LEN;
}

/* --- server --- */

static bool stale(uint64_t ts, uint64_t now, uint32_t tolerance)
{
	if (ts > now)
		return ts - now > SR_FUTURE;
	return now - ts > (uint64_t)tolerance * SR_NSEC_PER_SEC;
}

static void handle_request(const struct sr_msg *msg,
			   const struct sr_source *src,
			   const struct sr_key *key, uint64_t now,
			   uint64_t sysrq_enabled, struct sr_answer *ans)
{
	struct sr_record *rec = key->rec;
	bool want_ack = msg->flags & SR_FLAG_ACK;
	uint8_t epoch[SR_EPOCH_LEN], status = 0;
	bool answer = false, report = false;
	uint32_t generation;
	uint64_t asked = 0;

	/* 3. DUPLICATE: the recorded request again, byte for byte. */
	sr_record_lock(rec);
	if (is_last(rec, msg->raw, msg->len))
		goto duplicate;
	memcpy(epoch, rec->epoch, SR_EPOCH_LEN);
	generation = rec->generation;
	sr_record_unlock(rec);

	/* 4, 5: no lock held for the clock and the crypto. */
	if (stale(msg->timestamp, now, key->tolerance)) {
		ans->verdict = SR_STALE;
		return;
	}
	if (!mac_ok(key->mac_ctx, epoch, msg->raw, msg->len - SR_MAC_LEN,
		    msg->raw + msg->len - SR_MAC_LEN)) {
		ans->verdict = SR_BAD_MAC;
		return;
	}

	sr_record_lock(rec);
	/* A racing copy of this request was recorded meanwhile. */
	if (is_last(rec, msg->raw, msg->len))
		goto duplicate;
	/* The epoch changed under us: the MAC was for the old one. */
	if (rec->generation != generation) {
		sr_record_unlock(rec);
		ans->verdict = SR_BAD_MAC;
		return;
	}
	/* 6. REPLAY */
	if (rec->last_len && msg->timestamp <= rec->last_ts) {
		sr_record_unlock(rec);
		ans->verdict = SR_REPLAY;
		return;
	}
	/* 7, 8: all or nothing, and recorded either way. */
	sr_key_mask(msg->keys, msg->n, &asked);
	status = asked & ~(key->allow & sysrq_enabled) ? SR_ACK_REFUSED :
							 SR_ACK_ACCEPTED;
	if (status == SR_ACK_ACCEPTED && ans->reserve &&
	    !ans->reserve(ans->reserve_arg)) {
		sr_record_unlock(rec);
		ans->verdict = SR_IGNORED;
		return;
	}
	memcpy(rec->last, msg->raw, msg->len);
	rec->last_len = (uint8_t)msg->len;
	rec->last_status = status;
	rec->last_ts = msg->timestamp;
	rec->has_report = false;
	rec->src[0] = *src;
	rec->answers[0] = 0;
	rec->nsrc = 1;
	sr_record_unlock(rec);

	ans->verdict = status == SR_ACK_REFUSED ? SR_REFUSED : SR_ACCEPTED;
	ans->generation = generation;
	if (want_ack)
		ans->len = sr_build_ack(key->mac_ctx, epoch, msg->raw, msg->len,
					status, ans->buf);
	return;

duplicate:
	ans->verdict = SR_DUPLICATE;
	if (want_ack && dup_may_answer(rec, src)) {
		answer = true;
		report = rec->has_report;
		if (report)
			memcpy(ans->buf, rec->report, SR_REPORT_LEN);
		status = rec->last_status == SR_ACK_REFUSED ? SR_ACK_REFUSED :
							      SR_ACK_DUPLICATE;
		memcpy(epoch, rec->epoch, SR_EPOCH_LEN);
	}
	sr_record_unlock(rec);
	if (report)
		ans->len = SR_REPORT_LEN;
	else if (answer)
		ans->len = sr_build_ack(key->mac_ctx, epoch, msg->raw, msg->len,
					status, ans->buf);
}

/*
 * At most SR_CLOCK_RATE CLOCKs per window for one source: the oldest of
 * the latest SR_CLOCK_RATE must be outside (now - window, now]. Sources
 * beyond SR_CLOCK_SOURCES replace the one seen least recently.
 */
static bool clock_allowed(struct sr_record *rec, const struct sr_source *src,
			  uint64_t now)
{
	struct sr_clock_src *c, *victim = &rec->clock[0];
	uint64_t oldest;
	size_t i;

	for (i = 0; i < SR_CLOCK_SOURCES; i++) {
		c = &rec->clock[i];
		if (c->used && same_source(&c->src, src))
			goto found;
		if (!c->used || (victim->used && c->seen < victim->seen))
			victim = c;
	}
	c = victim;
	memset(c, 0, sizeof(*c));
	c->used = true;
	c->src = *src;
found:
	c->seen = now;
	oldest = c->sent[c->next];
	if (oldest && now - oldest < SR_CLOCK_WINDOW && oldest <= now)
		return false;
	c->sent[c->next] = now;
	c->next = (uint8_t)((c->next + 1) % SR_CLOCK_RATE);
	return true;
}

static void handle_time(const struct sr_msg *msg, const struct sr_source *src,
			const struct sr_key *key, uint64_t now,
			struct sr_answer *ans)
{
	struct sr_record *rec = key->rec;
	uint8_t epoch[SR_EPOCH_LEN];
	bool ok;

	if (!mac_ok(key->mac_ctx, NULL, msg->raw, msg->len - SR_MAC_LEN,
		    msg->raw + msg->len - SR_MAC_LEN)) {
		ans->verdict = SR_BAD_MAC;
		return;
	}
	sr_record_lock(rec);
	ok = clock_allowed(rec, src, now);
	memcpy(epoch, rec->epoch, SR_EPOCH_LEN);
	sr_record_unlock(rec);
	if (!ok) {
		ans->verdict = SR_RATE;
		return;
	}
	ans->verdict = SR_TIME;
	ans->len = sr_build_clock(key->mac_ctx, msg->raw, now, epoch, ans->buf);
}

static bool output_live(const struct sr_output *out, uint64_t now)
{
	return out && now >= out->done_at && now - out->done_at <= SR_KEEP;
}

static void handle_fetch(const struct sr_msg *msg, const struct sr_key *key,
			 uint64_t now, struct sr_answer *ans)
{
	struct sr_record *rec = key->rec;
	uint8_t epoch[SR_EPOCH_LEN];
	struct sr_output *out;
	struct sr_chunk *c;
	uint32_t generation;

	if (stale(msg->timestamp, now, key->tolerance)) {
		ans->verdict = SR_STALE;
		return;
	}
	sr_record_lock(rec);
	memcpy(epoch, rec->epoch, SR_EPOCH_LEN);
	generation = rec->generation;
	sr_record_unlock(rec);
	if (!mac_ok(key->mac_ctx, epoch, msg->raw, OFF_FMAC,
		    msg->raw + OFF_FMAC)) {
		ans->verdict = SR_BAD_MAC;
		return;
	}

	ans->verdict = SR_IGNORED;
	sr_record_lock(rec);
	out = rec->out;
	if (rec->generation != generation || !output_live(out, now) ||
	    out->req_ts != msg->req_ts ||
	    memcmp(out->req_nonce, msg->req_nonce, SR_NONCE_LEN) != 0 ||
	    msg->index >= out->total)
		goto unlock;
	c = &out->chunk[msg->index];
	/* A captured FETCH is answered once; a chunk RESENDS times. */
	if (msg->timestamp <= c->last_fetch || c->sent >= SR_RESENDS)
		goto unlock;
	c->last_fetch = msg->timestamp;
	c->sent++;
	memcpy(ans->buf, c->dgram, c->len);
	ans->len = c->len;
	ans->verdict = SR_FETCH;
unlock:
	sr_record_unlock(rec);
}

void sr_handle(const uint8_t *buf, size_t len, const struct sr_source *src,
	       const struct sr_key *key, uint64_t now, uint64_t sysrq_enabled,
	       struct sr_answer *ans)
{
	struct sr_msg msg;

	ans->len = 0;
	ans->generation = 0;
	if (!sr_parse(buf, len, &msg)) {
		ans->verdict = SR_MALFORMED;
		return;
	}
	/* Key ids are public: an ordinary compare is fine. */
	if (memcmp(msg.key_id, key->key_id, SR_KEY_ID_LEN) != 0) {
		ans->verdict = SR_OTHER_KEY;
		return;
	}
	switch (msg.type) {
	case SR_T_REQUEST:
		handle_request(&msg, src, key, now, sysrq_enabled, ans);
		break;
	case SR_T_TIME:
		handle_time(&msg, src, key, now, ans);
		break;
	default: /* SR_T_FETCH: sr_parse() takes nothing else */
		handle_fetch(&msg, key, now, ans);
		break;
	}
	/* A failed MAC primitive sends nothing rather than garbage. */
	if (!ans->len && (ans->verdict == SR_TIME || ans->verdict == SR_FETCH))
		ans->verdict = SR_IGNORED;
}

/* --- output --- */

uint16_t sr_output_chunks(size_t len)
{
	return (uint16_t)((len + SR_CHUNK - 1) / SR_CHUNK);
}

int sr_output_key(const void *mac_ctx, const uint8_t epoch[SR_EPOCH_LEN],
		  const uint8_t *req, uint8_t ko[32])
{
	uint8_t msg[sizeof(sr_output_label) + SR_EPOCH_LEN + 8 + SR_NONCE_LEN];
	size_t l = sizeof(sr_output_label); /* with its NUL: the 0x00 */
	int err;

	memcpy(msg, sr_output_label, l);
	memcpy(msg + l, epoch, SR_EPOCH_LEN);
	memcpy(msg + l + SR_EPOCH_LEN, req + OFF_TS, 8 + SR_NONCE_LEN);
	err = sr_mac(mac_ctx, NULL, 0, msg, sizeof(msg), ko);
	sr_wipe(msg, sizeof(msg));
	return err;
}

size_t sr_build_output(const uint8_t ko[32], const uint8_t *req, uint16_t index,
		       uint16_t total, const uint8_t *text, size_t len,
		       uint8_t *out)
{
	if (!len || len > SR_CHUNK || index >= total)
		return 0;
	memcpy(out, req, SR_HDR_LEN);
	out[OFF_TYPE] = SR_T_OUTPUT;
	put_be16(out + OFF_INDEX, index);
	put_be16(out + OFF_TOTAL, total);
	sr_aead_seal(out + OFF_TEXT, text, len, out, SR_OUT_HDR_LEN, index, ko);
	return SR_OUTPUT_LEN(len);
}

int sr_output_build(struct sr_output *out, const void *mac_ctx,
		    const uint8_t epoch[SR_EPOCH_LEN], const uint8_t *req,
		    size_t req_len, const uint8_t *text, size_t len)
{
	uint16_t total = sr_output_chunks(len), i;
	uint8_t ko[32];
	int err;

	if (req_len < SR_HDR_LEN || !len || len > SR_OUTPUT_MAX)
		return -1;
	err = sr_output_key(mac_ctx, epoch, req, ko);
	if (err)
		return err;
	out->req_ts = get_be64(req + OFF_TS);
	memcpy(out->req_nonce, req + OFF_NONCE, SR_NONCE_LEN);
	out->total = total;
	out->done_at = 0;
	for (i = 0; i < total; i++) {
		struct sr_chunk *c = &out->chunk[i];
		size_t off = (size_t)i * SR_CHUNK;
		size_t l = len - off < SR_CHUNK ? len - off : SR_CHUNK;

		c->len = (uint16_t)sr_build_output(ko, req, i, total,
						   text + off, l, c->dgram);
		c->sent = 0;
		c->last_fetch = 0;
	}
	sr_wipe(ko, sizeof(ko));
	return 0;
}

struct sr_output *sr_record_done(struct sr_record *rec, uint32_t generation,
				 const uint8_t *req, size_t req_len,
				 const uint8_t report[SR_REPORT_LEN],
				 struct sr_output *out, uint64_t now)
{
	struct sr_output *old;
	uint8_t i;

	/* Made under an epoch the record no longer has: useless. */
	if (rec->generation != generation)
		return out;
	if (is_last(rec, req, req_len)) {
		memcpy(rec->report, report, SR_REPORT_LEN);
		rec->has_report = true;
		for (i = 0; i < rec->nsrc; i++)
			rec->answers[i] = 0;
	}
	if (!out)
		return NULL;
	out->done_at = now;
	old = rec->out;
	rec->out = out;
	return old;
}

struct sr_output *sr_record_expire(struct sr_record *rec, uint64_t now)
{
	struct sr_output *out = rec->out;

	if (!out || output_live(out, now))
		return NULL;
	rec->out = NULL;
	return out;
}

/* --- client --- */

size_t sr_build_request(const void *mac_ctx,
			const uint8_t key_id[SR_KEY_ID_LEN],
			const uint8_t epoch[SR_EPOCH_LEN], uint64_t timestamp,
			const uint8_t nonce[SR_NONCE_LEN], uint8_t flags,
			const uint8_t *keys, uint8_t n, uint8_t *out)
{
	size_t body = SR_REQ_LEN(n) - SR_MAC_LEN;

	if (n < 1 || n > SR_MAX_KEYS || !keys_valid(keys, n) ||
	    !flags_valid(flags, keys, n))
		return 0;
	put_header(out, SR_T_REQUEST, key_id, timestamp, nonce);
	out[OFF_FLAGS] = flags;
	out[OFF_N] = n;
	memcpy(out + OFF_KEYS, keys, n);
	if (sr_mac(mac_ctx, epoch, SR_EPOCH_LEN, out, body, out + body))
		return 0;
	return SR_REQ_LEN(n);
}

/* A request this client built: well formed. */
static bool own_request(const uint8_t *req, size_t req_len)
{
	struct sr_msg msg;

	return sr_parse(req, req_len, &msg) && msg.type == SR_T_REQUEST;
}

static bool header_echoes(const uint8_t *dgram, uint8_t type,
			  const uint8_t *req)
{
	return dgram[OFF_MAGIC] == 'S' && dgram[OFF_MAGIC + 1] == 'R' &&
	       dgram[OFF_VERSION] == SR_VERSION && dgram[OFF_TYPE] == type &&
	       !memcmp(dgram + OFF_KEY_ID, req + OFF_KEY_ID,
		       SR_HDR_LEN - OFF_KEY_ID);
}

bool sr_verify_ack(const void *mac_ctx, const uint8_t epoch[SR_EPOCH_LEN],
		   const uint8_t *req, size_t req_len, const uint8_t *ack,
		   size_t ack_len, uint8_t *status)
{
	size_t body = req_len - SR_MAC_LEN;

	if (!own_request(req, req_len) || ack_len != req_len ||
	    !header_echoes(ack, SR_T_ACK, req) ||
	    ack[OFF_FLAGS] > SR_ACK_REFUSED ||
	    memcmp(ack + OFF_N, req + OFF_N, body - OFF_N) != 0)
		return false;
	if (!mac_ok(mac_ctx, epoch, ack, body, ack + body))
		return false;
	*status = ack[OFF_FLAGS];
	return true;
}

bool sr_verify_report(const void *mac_ctx, const uint8_t epoch[SR_EPOCH_LEN],
		      const uint8_t *req, size_t req_len, const uint8_t *rep,
		      size_t rep_len, uint8_t *status, uint16_t *chunks)
{
	size_t body = SR_REPORT_LEN - SR_MAC_LEN;

	if (!own_request(req, req_len) || rep_len != SR_REPORT_LEN ||
	    !header_echoes(rep, SR_T_REPORT, req) ||
	    (rep[OFF_RSTATUS] &
	     (uint8_t) ~(SR_REPORT_UNSETTLED | SR_REPORT_TRUNCATED)) ||
	    get_be16(rep + OFF_CHUNKS) > SR_MAX_CHUNKS)
		return false;
	if (!mac_ok(mac_ctx, epoch, rep, body, rep + body))
		return false;
	*status = rep[OFF_RSTATUS];
	*chunks = get_be16(rep + OFF_CHUNKS);
	return true;
}

size_t sr_build_time(const void *mac_ctx, const uint8_t key_id[SR_KEY_ID_LEN],
		     uint64_t timestamp, const uint8_t nonce[SR_NONCE_LEN],
		     uint8_t *out)
{
	size_t body = SR_TIME_LEN - SR_MAC_LEN;

	put_header(out, SR_T_TIME, key_id, timestamp, nonce);
	memset(out + OFF_BODY, 0, 8);
	if (sr_mac(mac_ctx, NULL, 0, out, body, out + body))
		return 0;
	return SR_TIME_LEN;
}

bool sr_verify_clock(const void *mac_ctx, const uint8_t *time_dgram,
		     const uint8_t *clk, size_t clk_len, uint64_t *t,
		     uint8_t epoch[SR_EPOCH_LEN])
{
	size_t body = SR_CLOCK_LEN - SR_MAC_LEN;

	if (clk_len != SR_CLOCK_LEN || clk[OFF_MAGIC] != 'S' ||
	    clk[OFF_MAGIC + 1] != 'R' || clk[OFF_VERSION] != SR_VERSION ||
	    clk[OFF_TYPE] != SR_T_CLOCK ||
	    memcmp(clk + OFF_KEY_ID, time_dgram + OFF_KEY_ID, SR_KEY_ID_LEN) !=
		    0 ||
	    memcmp(clk + OFF_NONCE, time_dgram + OFF_NONCE, SR_NONCE_LEN) != 0)
		return false;
	if (!mac_ok(mac_ctx, NULL, clk, body, clk + body))
		return false;
	*t = get_be64(clk + OFF_TS);
	memcpy(epoch, clk + OFF_EPOCH, SR_EPOCH_LEN);
	return true;
}

size_t sr_build_fetch(const void *mac_ctx, const uint8_t epoch[SR_EPOCH_LEN],
		      uint64_t timestamp, const uint8_t nonce[SR_NONCE_LEN],
		      const uint8_t *req, size_t req_len, uint16_t index,
		      uint8_t *out)
{
	if (req_len < SR_HDR_LEN)
		return 0;
	put_header(out, SR_T_FETCH, req + OFF_KEY_ID, timestamp, nonce);
	memcpy(out + OFF_FREQ_TS, req + OFF_TS, 8 + SR_NONCE_LEN);
	put_be16(out + OFF_FINDEX, index);
	memset(out + OFF_FZERO, 0, OFF_FMAC - OFF_FZERO);
	if (sr_mac(mac_ctx, epoch, SR_EPOCH_LEN, out, OFF_FMAC, out + OFF_FMAC))
		return 0;
	return SR_FETCH_LEN;
}

bool sr_open_output(const void *mac_ctx, const uint8_t epoch[SR_EPOCH_LEN],
		    const uint8_t *req, size_t req_len, const uint8_t *dgram,
		    size_t len, uint16_t *index, uint16_t *total, uint8_t *text,
		    size_t *text_len)
{
	uint16_t i, t;
	uint8_t ko[32];
	size_t l;
	bool ok;

	if (!own_request(req, req_len) || len < SR_OUTPUT_LEN(1) ||
	    len > SR_OUTPUT_LEN(SR_CHUNK) ||
	    !header_echoes(dgram, SR_T_OUTPUT, req))
		return false;
	i = get_be16(dgram + OFF_INDEX);
	t = get_be16(dgram + OFF_TOTAL);
	l = len - SR_OUTPUT_LEN(0);
	/* Every chunk but the last is full. */
	if (!t || t > SR_MAX_CHUNKS || i >= t || (i != t - 1 && l != SR_CHUNK))
		return false;
	if (sr_output_key(mac_ctx, epoch, req, ko))
		return false;
	ok = sr_aead_open(text, dgram + OFF_TEXT, l + SR_TAG_LEN, dgram,
			  SR_OUT_HDR_LEN, i, ko);
	sr_wipe(ko, sizeof(ko));
	if (!ok)
		return false;
	*index = i;
	*total = t;
	*text_len = l;
	return true;
}

/* --- sealed keys --- */

static const uint8_t sr_base_point[32] = { 9 };

/* W = HMAC(S, label || 0x00 || EP || P) */
static int seal_key(const uint8_t shared[32], const uint8_t ep[32],
		    const uint8_t pub[32], uint8_t w[32])
{
	uint8_t msg[sizeof(sr_seal_label) + 64];
	size_t l = sizeof(sr_seal_label); /* with its NUL: the 0x00 */
	int err;

	memcpy(msg, sr_seal_label, l);
	memcpy(msg + l, ep, 32);
	memcpy(msg + l + 32, pub, 32);
	err = sr_hmac(shared, msg, sizeof(msg), w);
	sr_wipe(msg, sizeof(msg));
	return err;
}

int sr_seal(const uint8_t key[SR_KEY_LEN], const uint8_t pub[32],
	    const uint8_t eph[32], uint8_t out[SR_SEALED_LEN])
{
	uint8_t shared[32], w[32], ad[64];
	int err = -1;

	if (!sr_x25519(out, eph, sr_base_point) || !sr_x25519(shared, eph, pub))
		goto out;
	err = seal_key(shared, out, pub, w);
	if (err)
		goto out;
	memcpy(ad, out, 32);
	memcpy(ad + 32, pub, 32);
	sr_aead_seal(out + 32, key, SR_KEY_LEN, ad, sizeof(ad), 0, w);
out:
	sr_wipe(shared, sizeof(shared));
	sr_wipe(w, sizeof(w));
	return err;
}

int sr_unseal(const uint8_t sealed[SR_SEALED_LEN], const uint8_t secret[32],
	      const uint8_t pub[32], uint8_t key[SR_KEY_LEN])
{
	uint8_t shared[32], w[32], ad[64];
	int err = -1;

	if (!sr_x25519(shared, secret, sealed))
		goto out;
	err = seal_key(shared, sealed, pub, w);
	if (err)
		goto out;
	memcpy(ad, sealed, 32);
	memcpy(ad + 32, pub, 32);
	if (!sr_aead_open(key, sealed + 32, SR_KEY_LEN + SR_TAG_LEN, ad,
			  sizeof(ad), 0, w))
		err = -1;
out:
	if (err)
		sr_wipe(key, SR_KEY_LEN);
	sr_wipe(shared, sizeof(shared));
	sr_wipe(w, sizeof(w));
	return err;
}

const char *sr_verdict_name(enum sr_verdict v)
{
	static const char *const names[SR_VERDICT_COUNT] = {
		[SR_MALFORMED] = "MALFORMED", [SR_UNKNOWN_KEY] = "UNKNOWN_KEY",
		[SR_STALE] = "STALE",	      [SR_BAD_MAC] = "BAD_MAC",
		[SR_DUPLICATE] = "DUPLICATE", [SR_REPLAY] = "REPLAY",
		[SR_REFUSED] = "REFUSED",     [SR_ACCEPTED] = "ACCEPTED",
		[SR_TIME] = "TIME",	      [SR_RATE] = "RATE",
		[SR_FETCH] = "FETCH",	      [SR_IGNORED] = "IGNORED",
		[SR_OTHER_KEY] = "OTHER_KEY",
	};

	return (unsigned int)v < SR_VERDICT_COUNT ? names[v] : "?";
}
