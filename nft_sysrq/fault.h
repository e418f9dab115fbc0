/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault points: allocations of the packet path that a test can make fail,
 * to check what the module does short of memory (an ACK sent untracked, a
 * request IGNORED and not recorded). Only in kernels built with
 * CONFIG_FAULT_INJECTION_DEBUG_FS (make check-debug's), as fault
 * attributes under /sys/kernel/debug/nft_sysrq/ (see
 * Documentation/fault-injection/fault-injection.rst); elsewhere they
 * compile to nothing.
 */
#ifndef NFT_SYSRQ_FAULT_H
#define NFT_SYSRQ_FAULT_H

#include <linux/kconfig.h>
#include <linux/types.h>

enum nft_sysrq_fault {
	NFT_SYSRQ_FAIL_EXEC,		/* the execution item (fail_exec) */
	NFT_SYSRQ_FAIL_ACK_PAGE,	/* a tracked ACK's page (fail_ack_page) */
	__NFT_SYSRQ_FAIL_MAX
};

#if IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS)
bool nft_sysrq_should_fail(enum nft_sysrq_fault f);
void nft_sysrq_fault_init(void);
void nft_sysrq_fault_exit(void);
#else
static inline bool nft_sysrq_should_fail(enum nft_sysrq_fault f)
{
	return false;
}

static inline void nft_sysrq_fault_init(void)
{
}

static inline void nft_sysrq_fault_exit(void)
{
}
#endif

#endif /* NFT_SYSRQ_FAULT_H */
