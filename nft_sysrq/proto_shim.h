/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only environment the protocol core sees: fixed-width types, bool,
 * memcpy/memset, and sr_wipe() for secrets on the stack (a plain memset
 * before a return may be optimised away). Everything else (MAC, locking,
 * clocks) is the caller's.
 */
#ifndef NFT_SYSRQ_PROTO_SHIM_H
#define NFT_SYSRQ_PROTO_SHIM_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#define sr_wipe(p, n) memzero_explicit(p, n)
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#define sr_wipe(p, n) explicit_bzero(p, n)
#endif

#endif /* NFT_SYSRQ_PROTO_SHIM_H */
