// SPDX-License-Identifier: GPL-2.0
/*
 * The protocol core's environment in the kernel: HMAC-SHA256 through the
 * crypto API (6.1 has no HMAC library function) and a constant-time
 * compare.
 */
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <linux/err.h>

#include "mac.h"
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

int sr_mac(const void *mac_ctx, const uint8_t *msg, size_t len,
	   uint8_t out[SR_MAC_LEN])
{
	/* The descriptor lives on the stack and is zeroed after use. */
	return crypto_shash_tfm_digest((struct crypto_shash *)mac_ctx, msg,
				       len, out);
}

bool sr_mac_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
	return !crypto_memneq(a, b, len);
}
