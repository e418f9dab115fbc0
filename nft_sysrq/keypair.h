/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's X25519 key pair: keys reach the kernel only sealed to it,
 * so no one watching netlink traffic (nlmon, CAP_NET_ADMIN) learns them.
 * Made at load from the kernel's seeded RNG, wiped at unload; the public
 * half is published in sysfs (NFT_SYSRQ_PUBLIC_KEY_PATH) for any user.
 */
#ifndef NFT_SYSRQ_KEYPAIR_H
#define NFT_SYSRQ_KEYPAIR_H

#include <linux/types.h>
#include "proto.h"

int nft_sysrq_keypair_init(void);
void nft_sysrq_keypair_exit(void);
/* Open a sealed key attribute into key. Returns 0 or -EINVAL. */
int nft_sysrq_unseal(const u8 sealed[SR_SEALED_LEN], u8 key[SR_KEY_LEN]);

#endif /* NFT_SYSRQ_KEYPAIR_H */
