/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nft_sysrq: netlink attributes of the nf_tables expression "sysrq".
 *
 * This header is the single source of the attribute numbers. The kernel
 * module, sysrqctl and the libnftnl/nftables patches all include it (the
 * patches carry a copy that tests/nft/run checks byte for byte).
 */
#ifndef _UAPI_LINUX_NETFILTER_NFT_SYSRQ_H
#define _UAPI_LINUX_NETFILTER_NFT_SYSRQ_H

#define NFT_SYSRQ_EXPR_NAME	"sysrq"

#define NFT_SYSRQ_KEY_LEN	32	/* secret key bytes */
#define NFT_SYSRQ_KEY_ID_LEN	8	/* key id bytes */
#define NFT_SYSRQ_NAME_MAXLEN	32	/* name bytes, [A-Za-z0-9._-] */
#define NFT_SYSRQ_ALLOW_MAXLEN	36	/* allow-list bytes, [0-9a-z] */
#define NFT_SYSRQ_TOLERANCE_DEFAULT	30	/* seconds */
#define NFT_SYSRQ_TOLERANCE_MAX	86400	/* seconds */

/**
 * enum nft_sysrq_attributes - nf_tables sysrq expression attributes
 *
 * @NFTA_SYSRQ_KEY: secret key (NLA_BINARY, 32 bytes); write-only, never dumped.
 *	Absent: the expression is unarmed and matches nothing.
 * @NFTA_SYSRQ_NAME: key name (NLA_STRING, 1..32 bytes of [A-Za-z0-9._-]);
 *	default "default".
 * @NFTA_SYSRQ_ALLOW: allowed sysrq keys (NLA_STRING of [0-9a-z]); default all.
 * @NFTA_SYSRQ_TOLERANCE: clock tolerance in seconds (NLA_U32, network order),
 *	1..NFT_SYSRQ_TOLERANCE_MAX; default 30.
 * @NFTA_SYSRQ_KEY_ID: key id (NLA_BINARY, 8 bytes); dump only.
 * @NFTA_SYSRQ_ARMED_AT: when the key was armed, ns since the epoch
 *	(NLA_U64, network order); dump only.
 * @NFTA_SYSRQ_COUNTERS: verdict counters (NLA_NESTED:
 *	enum nft_sysrq_counter_attributes); dump only.
 * @NFTA_SYSRQ_PAD: alignment padding for 64-bit attributes.
 */
enum nft_sysrq_attributes {
	NFTA_SYSRQ_UNSPEC,
	NFTA_SYSRQ_KEY,
	NFTA_SYSRQ_NAME,
	NFTA_SYSRQ_ALLOW,
	NFTA_SYSRQ_TOLERANCE,
	NFTA_SYSRQ_KEY_ID,
	NFTA_SYSRQ_ARMED_AT,
	NFTA_SYSRQ_COUNTERS,
	NFTA_SYSRQ_PAD,
	__NFTA_SYSRQ_MAX
};
#define NFTA_SYSRQ_MAX		(__NFTA_SYSRQ_MAX - 1)

/**
 * enum nft_sysrq_counter_attributes - per-verdict counters of one expression
 *
 * Each is NLA_U64 in network order: the number of datagrams this expression
 * gave that verdict. OTHER_KEY counts well-formed datagrams for a key id
 * this expression does not hold (the next sysrq rule may take them).
 */
enum nft_sysrq_counter_attributes {
	NFTA_SYSRQ_CTR_UNSPEC,
	NFTA_SYSRQ_CTR_MALFORMED,
	NFTA_SYSRQ_CTR_OTHER_KEY,
	NFTA_SYSRQ_CTR_STALE,
	NFTA_SYSRQ_CTR_BAD_MAC,
	NFTA_SYSRQ_CTR_DUPLICATE,
	NFTA_SYSRQ_CTR_REPLAY,
	NFTA_SYSRQ_CTR_REFUSED,
	NFTA_SYSRQ_CTR_ACCEPTED,
	NFTA_SYSRQ_CTR_PAD,
	__NFTA_SYSRQ_CTR_MAX
};
#define NFTA_SYSRQ_CTR_MAX	(__NFTA_SYSRQ_CTR_MAX - 1)

#endif /* _UAPI_LINUX_NETFILTER_NFT_SYSRQ_H */
