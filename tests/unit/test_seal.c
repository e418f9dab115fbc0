// SPDX-License-Identifier: GPL-2.0
/* Sealed keys: seal and unseal round trip, tampering, wrong key pairs. */
#include <sodium.h>
#include <string.h>

#include "check.h"
#include "proto.h"

void test_seal(void)
{
	uint8_t key[SR_KEY_LEN], secret[32], pub[32], eph[32], got[SR_KEY_LEN];
	uint8_t sealed[SR_SEALED_LEN], sealed2[SR_SEALED_LEN];
	uint8_t other[32], zero[32] = { 0 };
	bool all = true;

	randombytes_buf(key, sizeof(key));
	randombytes_buf(secret, sizeof(secret));
	randombytes_buf(eph, sizeof(eph));
	crypto_scalarmult_curve25519_base(pub, secret);
	CHECK(!sr_seal(key, pub, eph, sealed) &&
		      !sr_unseal(sealed, secret, pub, got) &&
		      !memcmp(got, key, sizeof(key)),
	      "seal: a sealed key opens to the same key");
	CHECK(memmem(sealed, sizeof(sealed), key, sizeof(key)) == NULL,
	      "seal: the key's bytes are not in the sealed form");
	randombytes_buf(eph, sizeof(eph));
	CHECK(!sr_seal(key, pub, eph, sealed2) &&
		      memcmp(sealed, sealed2, sizeof(sealed)) != 0,
	      "seal: fresh ephemeral bytes, another sealed form");
	for (size_t i = 0; i < SR_SEALED_LEN; i++) {
		sealed[i] ^= 0x20;
		memset(got, 0xaa, sizeof(got));
		all &= sr_unseal(sealed, secret, pub, got) < 0 &&
		       sodium_is_zero(got, sizeof(got));
		sealed[i] ^= 0x20;
	}
	CHECK(all, "seal: a change of any of the 80 bytes is refused, the "
		   "output wiped");
	randombytes_buf(other, sizeof(other));
	CHECK(sr_unseal(sealed, other, pub, got) < 0,
	      "seal: another secret key does not open it");
	crypto_scalarmult_curve25519_base(other, other);
	CHECK(sr_unseal(sealed, secret, other, got) < 0,
	      "seal: the public key is bound in (another P refused)");
	CHECK(sr_seal(key, zero, eph, sealed2) < 0,
	      "seal: an all-zero (low-order) public key is refused");
	memcpy(sealed2, sealed, sizeof(sealed));
	memset(sealed2, 0, 32);
	CHECK(sr_unseal(sealed2, secret, pub, got) < 0,
	      "seal: an all-zero ephemeral point is refused");
	sodium_memzero(key, sizeof(key));
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(got, sizeof(got));
}
