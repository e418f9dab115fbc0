// SPDX-License-Identifier: GPL-2.0
/*
 * nft_sysrq: an nf_tables expression "sysrq" that verifies signed UDP
 * requests (protocol v2, see proto.h), acknowledges them, runs the
 * requested sysrq keys and reports back. Module init and exit.
 */
#include <linux/module.h>
#include <linux/netfilter/nf_tables.h>
#include <net/netfilter/nf_tables.h>

#include "clock.h"
#include "compat.h"
#include "exec.h"
#include "expr.h"
#include "fault.h"
#include "keypair.h"
#include "record.h"

static int __init nft_sysrq_module_init(void)
{
	int err;

	nft_sysrq_clock_init();
	nft_sysrq_log_init();

	err = nft_sysrq_keypair_init();
	if (err)
		return err;
	err = nft_sysrq_record_init();
	if (err)
		goto err_keypair;
	err = nft_sysrq_exec_init();
	if (err)
		goto err_record;
	nft_sysrq_fault_init();
	err = nft_register_expr(&nft_sysrq_type);
	if (err)
		goto err_fault;
	return 0;

err_fault:
	nft_sysrq_fault_exit();
	nft_sysrq_exec_exit();
err_record:
	nft_sysrq_record_exit();
err_keypair:
	nft_sysrq_keypair_exit();
	return err;
}

static void __exit nft_sysrq_module_exit(void)
{
	/* No expression exists any more: each one holds a module reference. */
	nft_unregister_expr(&nft_sysrq_type);
	nft_sysrq_fault_exit();
	/* Accepted requests hold records: the engine drains them first. */
	nft_sysrq_exec_exit();
	nft_sysrq_record_exit();
	nft_sysrq_keypair_exit();
}

module_init(nft_sysrq_module_init);
module_exit(nft_sysrq_module_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nf_tables expression sysrq: authenticated remote sysrq");
/* The project's VERSION file, passed by Kbuild. */
MODULE_VERSION(NFT_SYSRQ_VERSION);
/* A ruleset that uses the expression loads this module. */
MODULE_ALIAS_NFT_EXPR(NFT_SYSRQ_EXPR_NAME);
