/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keys travel to the kernel sealed to the module's X25519 public key
 * (PROTOCOL-v2.md, "Configuration"): set-secret, enable and arm read that
 * key from the kernel (NFT_SYSRQ_PUBLIC_KEY_PATH, loading the module once
 * if it is missing) and seal every key with the protocol core's sr_seal().
 * The plain key is never sent.
 */
#ifndef SYSRQCTL_SEAL_KEY_H
#define SYSRQCTL_SEAL_KEY_H

#include <linux/netfilter/nft_sysrq.h>
#include <stddef.h>
#include <stdint.h>

#include "keys/key.h"

#define SEAL_PUB_LEN 32

/*
 * The module's public key as text: exactly 64 lowercase hex digits,
 * optionally one newline. 0, or -1 with the reason in err.
 */
int seal_parse_public_key(const char *text, size_t len,
			  uint8_t pub[SEAL_PUB_LEN], char err[ERR_LEN]);

/*
 * Read the module's public key from the kernel; when it is missing, run
 * "modprobe nft_sysrq" once (fork and exec, clean environment) and read
 * again. 0, or -1 after one line on stderr naming the path ("sysrqctl
 * CMD: ...").
 */
int seal_public_key(const char *cmd, uint8_t pub[SEAL_PUB_LEN]);

/*
 * Seal key to pub with 32 fresh random bytes (wiped after). 0, or -1
 * after one line on stderr.
 */
int seal_to_module(const char *cmd, const uint8_t key[KEY_LEN],
		   const uint8_t pub[SEAL_PUB_LEN],
		   uint8_t out[NFT_SYSRQ_SEALED_KEY_LEN]);

/*
 * For a rule: the key id of key, and key sealed to the module's public key
 * pub. 0, or -1 after one line on stderr.
 */
int seal_for_rule(const char *cmd, const uint8_t key[KEY_LEN],
		  const uint8_t pub[SEAL_PUB_LEN],
		  uint8_t sealed[NFT_SYSRQ_SEALED_KEY_LEN],
		  uint8_t key_id[NFT_SYSRQ_KEY_ID_LEN]);

/*
 * The same from a key file ('-': standard input): the key file is read
 * and checked first, then the module's public key. EXIT_OK, EXIT_USAGE
 * (the key file is wrong) or EXIT_FAIL, after one line on stderr.
 */
int seal_key_file(const char *cmd, const char *path,
		  uint8_t sealed[NFT_SYSRQ_SEALED_KEY_LEN],
		  uint8_t key_id[NFT_SYSRQ_KEY_ID_LEN]);

#endif
