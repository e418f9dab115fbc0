// SPDX-License-Identifier: GPL-2.0
/* libsodium as the protocol core's environment. */
#include <stdio.h>
#include <stdlib.h>

#include "core_env.h"
#include "proto.h"

void sr_mac_key_init(struct sr_mac_key *mk, const uint8_t key[32])
{
	crypto_auth_hmacsha256_init(&mk->st, key, 32);
}

void sr_mac_key_wipe(struct sr_mac_key *mk)
{
	sodium_memzero(mk, sizeof(*mk));
}

int sr_mac(const void *mac_ctx, const uint8_t *pre, size_t pre_len,
	   const uint8_t *msg, size_t len, uint8_t out[SR_MAC_LEN])
{
	/* Continue from the keyed state; the copy is wiped after use. */
	crypto_auth_hmacsha256_state st =
		((const struct sr_mac_key *)mac_ctx)->st;

	if (pre_len)
		crypto_auth_hmacsha256_update(&st, pre, pre_len);
	crypto_auth_hmacsha256_update(&st, msg, len);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
	return 0;
}

int sr_hmac(const uint8_t key[32], const uint8_t *msg, size_t len,
	    uint8_t out[SR_MAC_LEN])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, 32);
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

/* The IETF construction's 96-bit nonce: 0x00000000 || LE64(n). */
static void
aead_nonce(uint8_t npub[crypto_aead_chacha20poly1305_IETF_NPUBBYTES],
	   uint64_t n)
{
	int i;

	memset(npub, 0, 4);
	for (i = 0; i < 8; i++)
		npub[4 + i] = (uint8_t)(n >> (8 * i));
}

void sr_aead_seal(uint8_t *dst, const uint8_t *src, size_t len,
		  const uint8_t *ad, size_t ad_len, uint64_t nonce,
		  const uint8_t key[32])
{
	uint8_t npub[crypto_aead_chacha20poly1305_IETF_NPUBBYTES];

	aead_nonce(npub, nonce);
	crypto_aead_chacha20poly1305_ietf_encrypt(dst, NULL, src, len, ad,
						  ad_len, NULL, npub, key);
}

bool sr_aead_open(uint8_t *dst, const uint8_t *src, size_t len,
		  const uint8_t *ad, size_t ad_len, uint64_t nonce,
		  const uint8_t key[32])
{
	uint8_t npub[crypto_aead_chacha20poly1305_IETF_NPUBBYTES];

	aead_nonce(npub, nonce);
	return crypto_aead_chacha20poly1305_ietf_decrypt(
		       dst, NULL, NULL, src, len, ad, ad_len, npub, key) == 0;
}

bool sr_x25519(uint8_t out[32], const uint8_t scalar[32],
	       const uint8_t point[32])
{
	/* libsodium refuses an all-zero result itself. */
	return crypto_scalarmult_curve25519(out, scalar, point) == 0;
}

/*
 * Userspace servers (sysrq-testd, the conformance runner, fuzzers) are
 * single-threaded: the lock only checks that the core pairs its calls.
 */
static int sr_lock_depth;

void sr_record_lock(struct sr_record *rec)
{
	(void)rec;
	if (sr_lock_depth++) {
		fputs("protocol core: record locked twice\n", stderr);
		abort();
	}
}

void sr_record_unlock(struct sr_record *rec)
{
	(void)rec;
	if (--sr_lock_depth) {
		fputs("protocol core: record unlocked while not locked\n",
		      stderr);
		abort();
	}
}
