/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protocol core's keyed MAC in the kernel: one "hmac(sha256)" shash
 * transform per armed expression, keyed once and then shared read-only by
 * every CPU (each digest uses its own descriptor on the stack).
 */
#ifndef NFT_SYSRQ_MAC_H
#define NFT_SYSRQ_MAC_H

#include <linux/types.h>

struct crypto_shash;

/* A transform keyed with the 32 key bytes, or an ERR_PTR. */
struct crypto_shash *nft_sysrq_mac_new(const u8 *key, unsigned int len);
/* Frees the transform; the crypto API zeroes its keyed state. */
void nft_sysrq_mac_free(struct crypto_shash *tfm);

#endif /* NFT_SYSRQ_MAC_H */
