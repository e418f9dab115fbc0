// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

void fixture_init(struct fixture *fx)
{
	uint8_t key[32], epoch[SR_EPOCH_LEN];

	memset(fx, 0, sizeof(*fx));
	for (int k = 0; k < 2; k++) {
		memset(key, k + 1, sizeof(key));
		memset(epoch, 0xe1 + k, sizeof(epoch));
		sr_mac_key_init(&fx->mac[k], key);
		fx->keys[k].mac_ctx = &fx->mac[k];
		fx->keys[k].tolerance = SR_TOLERANCE_DEFAULT;
		fx->keys[k].allow = SR_ALL_KEYS;
		sr_key_id(&fx->mac[k], fx->keys[k].key_id);
		sr_record_init(&fx->rec[k], fx->keys[k].key_id, epoch);
		fx->keys[k].rec = &fx->rec[k];
	}
	fx->ans.buf = fx->buf;
}

void fixture_free(struct fixture *fx)
{
	for (int k = 0; k < 2; k++) {
		free(fx->rec[k].out);
		fx->rec[k].out = NULL;
		sr_mac_key_wipe(&fx->mac[k]);
	}
}

struct sr_source fixture_src(int i)
{
	struct sr_source s = { .family = 4, .port = (uint16_t)(40000 + i) };

	s.addr[0] = 192;
	s.addr[2] = 2;
	s.addr[3] = (uint8_t)i;
	return s;
}

size_t fixture_request(const struct fixture *fx, int k, uint64_t ts,
		       uint8_t nonce_byte, uint8_t flags, const char *keys,
		       uint8_t *out)
{
	uint8_t nonce[SR_NONCE_LEN];

	memset(nonce, nonce_byte, sizeof(nonce));
	return sr_build_request(
		&fx->mac[k], fx->keys[k].key_id, fx->rec[k].epoch, ts, nonce,
		flags, (const uint8_t *)keys, (uint8_t)strlen(keys), out);
}

size_t fixture_time(const struct fixture *fx, int k, uint64_t ts,
		    uint8_t nonce_byte, uint8_t *out)
{
	uint8_t nonce[SR_NONCE_LEN];

	memset(nonce, nonce_byte, sizeof(nonce));
	return sr_build_time(&fx->mac[k], fx->keys[k].key_id, ts, nonce, out);
}

size_t fixture_fetch(const struct fixture *fx, int k, uint64_t ts,
		     uint8_t nonce_byte, const uint8_t *req, size_t req_len,
		     uint16_t index, uint8_t *out)
{
	uint8_t nonce[SR_NONCE_LEN];

	memset(nonce, nonce_byte, sizeof(nonce));
	return sr_build_fetch(&fx->mac[k], fx->rec[k].epoch, ts, nonce, req,
			      req_len, index, out);
}

enum sr_verdict fixture_serve(struct fixture *fx, int nkeys, const uint8_t *buf,
			      size_t len, const struct sr_source *src,
			      uint64_t now, uint64_t enabled)
{
	struct sr_msg msg;

	fx->ans.buf = fx->buf;
	fx->ans.len = 0;
	for (int k = 0; k < nkeys; k++) {
		sr_handle(buf, len, src, &fx->keys[k], now, enabled, &fx->ans);
		if (fx->ans.verdict != SR_OTHER_KEY)
			return fx->ans.verdict;
	}
	fx->ans.verdict =
		sr_parse(buf, len, &msg) ? SR_UNKNOWN_KEY : SR_MALFORMED;
	fx->ans.len = 0;
	return fx->ans.verdict;
}

enum sr_verdict fixture_verdict(struct fixture *fx, const uint8_t *buf,
				size_t len, uint64_t now)
{
	struct sr_source src = fixture_src(0);

	return fixture_serve(fx, 2, buf, len, &src, now, SR_ALL_KEYS);
}

bool fixture_done(struct fixture *fx, int k, uint32_t gen, const uint8_t *req,
		  size_t req_len, uint8_t status, const uint8_t *text,
		  size_t tlen, uint64_t now)
{
	uint8_t report[SR_REPORT_LEN];
	struct sr_output *out = NULL, *back;
	bool not_kept;
	uint16_t chunks = tlen ? sr_output_chunks(tlen) : 0;

	if (tlen) {
		out = calloc(1, sizeof(*out) + chunks * sizeof(out->chunk[0]));
		if (!out || sr_output_build(out, &fx->mac[k], fx->rec[k].epoch,
					    req, req_len, text, tlen)) {
			free(out);
			return false;
		}
	}
	sr_build_report(&fx->mac[k], fx->rec[k].epoch, req, req_len, status,
			chunks, report);
	back = sr_record_done(&fx->rec[k], gen, req, req_len, report, out, now);
	not_kept = back && back == out;
	free(back);
	return not_kept;
}
