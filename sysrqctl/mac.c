// SPDX-License-Identifier: GPL-2.0
/* libsodium as the protocol core's MAC environment. */
#include "mac.h"
#include "proto.h"

void sr_mac_key_init(struct sr_mac_key *mk, const uint8_t key[32])
{
	crypto_auth_hmacsha256_init(&mk->st, key, 32);
}

void sr_mac_key_wipe(struct sr_mac_key *mk)
{
	sodium_memzero(mk, sizeof(*mk));
}

int sr_mac(const void *mac_ctx, const uint8_t *msg, size_t len,
	   uint8_t out[SR_MAC_LEN])
{
	/* Continue from the keyed state; the copy is wiped after use. */
	crypto_auth_hmacsha256_state st =
		((const struct sr_mac_key *)mac_ctx)->st;

	crypto_auth_hmacsha256_update(&st, msg, len);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
	return 0;
}

bool sr_mac_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
	/* crypto_verify_32 is libsodium's fast constant-time MAC compare. */
	if (len == crypto_verify_32_BYTES)
		return crypto_verify_32(a, b) == 0;
	return sodium_memcmp(a, b, len) == 0;
}
