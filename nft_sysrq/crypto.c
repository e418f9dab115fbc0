// SPDX-License-Identifier: GPL-2.0
/*
 * The protocol core's environment in the kernel: HMAC-SHA256 through the
 * crypto API (6.1 has no HMAC library function), and the ChaCha20-Poly1305
 * and Curve25519 libraries WireGuard uses.
 */
#include <crypto/algapi.h>
#include <crypto/chacha20poly1305.h>
#include <crypto/curve25519.h>
#include <crypto/hash.h>
#include <linux/err.h>

#include "crypto.h"
#include "proto.h"

struct crypto_shash *nft_sysrq_mac_new(const u8 *key, unsigned int len)
{
	struct crypto_shash *tfm;
	int err;

	tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(tfm))
		return tfm;

	/* hmac keeps only the derived inner/outer states in the tfm. */
	err = crypto_shash_setkey(tfm, key, len);
	if (err) {
		crypto_free_shash(tfm);
		return ERR_PTR(err);
	}
	return tfm;
}

void nft_sysrq_mac_free(struct crypto_shash *tfm)
{
	/* crypto_destroy_tfm() frees the keyed context with kfree_sensitive(). */
	crypto_free_shash(tfm);
}

int sr_mac(const void *mac_ctx, const uint8_t *pre, size_t pre_len,
	   const uint8_t *msg, size_t len, uint8_t out[SR_MAC_LEN])
{
	struct crypto_shash *tfm = (struct crypto_shash *)mac_ctx;
	SHASH_DESC_ON_STACK(desc, tfm);
	int err;

	desc->tfm = tfm;
	err = crypto_shash_init(desc);
	if (!err && pre_len)
		err = crypto_shash_update(desc, pre, pre_len);
	if (!err)
		err = crypto_shash_finup(desc, msg, len, out);
	/* The descriptor holds key-derived state. */
	shash_desc_zero(desc);
	return err;
}

int sr_hmac(const uint8_t key[32], const uint8_t *msg, size_t len,
	    uint8_t out[SR_MAC_LEN])
{
	struct crypto_shash *tfm;
	int err;

	/* Process context only: sealing happens when a rule is added. */
	tfm = nft_sysrq_mac_new(key, 32);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = crypto_shash_tfm_digest(tfm, msg, len, out);
	nft_sysrq_mac_free(tfm);
	return err;
}

bool sr_mac_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
	return !crypto_memneq(a, b, len);
}

/* The library's nonce is ours: 0x00000000 || LE64(nonce). */
void sr_aead_seal(uint8_t *dst, const uint8_t *src, size_t len,
		  const uint8_t *ad, size_t ad_len, uint64_t nonce,
		  const uint8_t key[32])
{
	chacha20poly1305_encrypt(dst, src, len, ad, ad_len, nonce, key);
}

bool sr_aead_open(uint8_t *dst, const uint8_t *src, size_t len,
		  const uint8_t *ad, size_t ad_len, uint64_t nonce,
		  const uint8_t key[32])
{
	return chacha20poly1305_decrypt(dst, src, len, ad, ad_len, nonce, key);
}

bool sr_x25519(uint8_t out[32], const uint8_t scalar[32],
	       const uint8_t point[32])
{
	/* curve25519() refuses an all-zero result itself. */
	return curve25519(out, scalar, point);
}
