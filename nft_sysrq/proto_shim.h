/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only environment the protocol core sees: fixed-width types, bool,
 * memcpy/memset. Everything else (MAC, locking, clocks) is the caller's.
 */
#ifndef NFT_SYSRQ_PROTO_SHIM_H
#define NFT_SYSRQ_PROTO_SHIM_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#endif

#endif /* NFT_SYSRQ_PROTO_SHIM_H */
