// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "fixture.h"

void fixture_init(struct fixture *fx)
{
	uint8_t key[32];

	memset(fx, 0, sizeof(*fx));
	for (int k = 0; k < 2; k++) {
		memset(key, k + 1, sizeof(key));
		sr_mac_key_init(&fx->mac[k], key);
		fx->keys[k].mac_ctx = &fx->mac[k];
		fx->keys[k].tolerance = SR_TOLERANCE_DEFAULT;
		fx->keys[k].allow = SR_ALL_KEYS;
		sr_key_id(&fx->mac[k], fx->keys[k].key_id);
		sr_replay_init(&fx->rs[k], 0);
	}
}

void fixture_free(struct fixture *fx)
{
	sr_mac_key_wipe(&fx->mac[0]);
	sr_mac_key_wipe(&fx->mac[1]);
}

size_t fixture_request(const struct fixture *fx, int k, uint64_t ts,
		       uint8_t nonce_byte, uint8_t flags, const char *keys,
		       uint8_t *out)
{
	uint8_t nonce[SR_NONCE_LEN];

	memset(nonce, nonce_byte, sizeof(nonce));
	return sr_build_request(&fx->mac[k], fx->keys[k].key_id, ts, nonce,
				flags, (const uint8_t *)keys,
				(uint8_t)strlen(keys), out);
}

enum sr_verdict fixture_verdict(struct fixture *fx, const uint8_t *buf,
				size_t len, uint64_t now, uint64_t enabled,
				uint8_t *ack, size_t *ack_len)
{
	return sr_server_verdict(buf, len, fx->keys, fx->rs, 2, now, enabled,
				 ack, ack_len);
}
