// SPDX-License-Identifier: GPL-2.0
/* The protocol clock. See clock.h. */
#include <linux/ktime.h>
#include <linux/timekeeping.h>

#include "clock.h"

static u64 nft_sysrq_real_at_load __read_mostly;
static u64 nft_sysrq_boot_at_load __read_mostly;

void nft_sysrq_clock_init(void)
{
	nft_sysrq_boot_at_load = ktime_get_boottime_ns();
	nft_sysrq_real_at_load = ktime_get_real_ns();
}

u64 nft_sysrq_now(void)
{
	return nft_sysrq_real_at_load +
	       (ktime_get_boottime_ns() - nft_sysrq_boot_at_load);
}
