/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protocol core's keyed MAC in the kernel: one "hmac(sha256)" shash
 * transform per key id (its record holds it), keyed once and then shared
 * read-only by every CPU (each MAC uses its own descriptor on the stack).
 */
#ifndef NFT_SYSRQ_CRYPTO_H
#define NFT_SYSRQ_CRYPTO_H

#include <linux/types.h>

struct crypto_shash;

/* A transform keyed with the key bytes, or an ERR_PTR. */
struct crypto_shash *nft_sysrq_mac_new(const u8 *key, unsigned int len);
/* Frees the transform; the crypto API zeroes its keyed state. */
void nft_sysrq_mac_free(struct crypto_shash *tfm);

#endif /* NFT_SYSRQ_CRYPTO_H */
