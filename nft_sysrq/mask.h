/* SPDX-License-Identifier: GPL-2.0 */
/* kernel.sysrq: which sysrq key characters the host currently permits. */
#ifndef NFT_SYSRQ_MASK_H
#define NFT_SYSRQ_MASK_H

#include <linux/types.h>

/* Mask of sr_key_bit() bits whose function kernel.sysrq enables now. */
u64 nft_sysrq_enabled_keys(void);

#endif /* NFT_SYSRQ_MASK_H */
