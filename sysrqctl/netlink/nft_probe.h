/* SPDX-License-Identifier: GPL-2.0 */
/* Does this host's nft know the sysrq statement? (sysrqctl status) */
#ifndef SYSRQCTL_NFT_PROBE_H
#define SYSRQCTL_NFT_PROBE_H

#include <stddef.h>

enum nft_probe_result {
	NFT_PROBE_NOT_FOUND,   /* no nft program */
	NFT_PROBE_KNOWS_SYSRQ, /* parses the sysrq statement */
	NFT_PROBE_NO_SYSRQ,    /* a syntax error at "sysrq" only */
	NFT_PROBE_UNKNOWN,     /* could not tell (why: in the buffer) */
};

/*
 * Probe the nft that SYSRQCTL_NFT names, or else the first nft in PATH,
 * /usr/sbin or /sbin. The path goes into path (empty when none was found);
 * for NFT_PROBE_UNKNOWN, why says what went wrong.
 */
enum nft_probe_result nft_probe(char *path, size_t path_len, char *why,
				size_t why_len);

#endif
