/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protocol clock T: the wall clock read once at module load, plus the
 * time since then on CLOCK_BOOTTIME (never goes back, counts suspend).
 * Wall-clock steps after loading (NTP, an admin's date) do not move it,
 * so they never turn good requests into replays; clients learn T from
 * CLOCK answers instead of trusting their own clock.
 */
#ifndef NFT_SYSRQ_CLOCK_H
#define NFT_SYSRQ_CLOCK_H

#include <linux/types.h>

void nft_sysrq_clock_init(void);
/* Protocol time, ns. */
u64 nft_sysrq_now(void);

#endif /* NFT_SYSRQ_CLOCK_H */
