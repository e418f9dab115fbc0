// SPDX-License-Identifier: GPL-2.0
/*
 * Fault points under debugfs (see fault.h). Each one is a fault attribute
 * as the kernel's own failslab and fail_page_alloc have (probability,
 * interval, times, ...), off until a test sets its probability: the
 * kernel's fail_page_alloc cannot be aimed at one module on x86_64 (no
 * stack trace filter there).
 */
#include <linux/debugfs.h>
#include <linux/fault-inject.h>

#include "fault.h"

static struct fault_attr nft_sysrq_faults[__NFT_SYSRQ_FAIL_MAX] = {
	[0 ... __NFT_SYSRQ_FAIL_MAX - 1] = FAULT_ATTR_INITIALIZER,
};

static const char * const nft_sysrq_fault_names[__NFT_SYSRQ_FAIL_MAX] = {
	[NFT_SYSRQ_FAIL_EXEC]		= "fail_exec",
	[NFT_SYSRQ_FAIL_ACK_PAGE]	= "fail_ack_page",
};

static struct dentry *nft_sysrq_fault_dir;

bool nft_sysrq_should_fail(enum nft_sysrq_fault f)
{
	return should_fail(&nft_sysrq_faults[f], 1);
}

/* As everything under debugfs: a directory that cannot be made is no error. */
void nft_sysrq_fault_init(void)
{
	int i;

	nft_sysrq_fault_dir = debugfs_create_dir("nft_sysrq", NULL);
	for (i = 0; i < __NFT_SYSRQ_FAIL_MAX; i++)
		fault_create_debugfs_attr(nft_sysrq_fault_names[i],
					  nft_sysrq_fault_dir,
					  &nft_sysrq_faults[i]);
}

void nft_sysrq_fault_exit(void)
{
	debugfs_remove_recursive(nft_sysrq_fault_dir);
}
