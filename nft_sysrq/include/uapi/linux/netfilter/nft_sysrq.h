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
#define NFT_SYSRQ_SEALED_KEY_LEN 80	/* EP || C || tag, see below */
#define NFT_SYSRQ_KEY_ID_LEN	8	/* key id bytes */
#define NFT_SYSRQ_NAME_MAXLEN	32	/* name bytes, [A-Za-z0-9._-] */
#define NFT_SYSRQ_ALLOW_MAXLEN	36	/* allow-list bytes, [0-9a-z] */
#define NFT_SYSRQ_TOLERANCE_DEFAULT	30	/* seconds */
#define NFT_SYSRQ_TOLERANCE_MIN	15	/* seconds */
#define NFT_SYSRQ_TOLERANCE_MAX	300	/* seconds */
#define NFT_SYSRQ_OUTPUT_MAX	1048576	/* bytes of output per request */

/*
 * The module's X25519 public key, made when the module is loaded: 64
 * lowercase hex characters and a newline, readable by any user. Keys are
 * sealed to it (PROTOCOL-v2.md, "Configuration"); it changes with every
 * load of the module, so seal right before sending the rule.
 */
#define NFT_SYSRQ_PUBLIC_KEY_PATH	"/sys/kernel/nft_sysrq/public_key"

/**
 * enum nft_sysrq_attributes - nf_tables sysrq expression attributes
 *
 * @NFTA_SYSRQ_KEY: a plain secret key: refused (EINVAL) since protocol
 *	v2; send NFTA_SYSRQ_SEALED_KEY instead. The number stays reserved.
 * @NFTA_SYSRQ_NAME: key name (NLA_STRING, 1..32 bytes of [A-Za-z0-9._-]);
 *	default "default".
 * @NFTA_SYSRQ_ALLOW: allowed sysrq keys (NLA_STRING of [0-9a-z]); default all.
 * @NFTA_SYSRQ_TOLERANCE: how old a request may be, in seconds (NLA_U32,
 *	network order), NFT_SYSRQ_TOLERANCE_MIN..MAX; default 30.
 * @NFTA_SYSRQ_KEY_ID: key id (NLA_BINARY, 8 bytes); dump only.
 * @NFTA_SYSRQ_ARMED_AT: when the key was armed, ns since the epoch
 *	(NLA_U64, network order); dump only.
 * @NFTA_SYSRQ_COUNTERS: verdict counters (NLA_NESTED:
 *	enum nft_sysrq_counter_attributes); dumped, and restored on input
 *	(a listing loaded back keeps them): each given counter starts from
 *	its value. An unknown type or a counter of another length: EINVAL.
 * @NFTA_SYSRQ_PAD: alignment padding for 64-bit attributes.
 * @NFTA_SYSRQ_SEALED_KEY: the secret key sealed to the module's public key
 *	(NLA_BINARY, NFT_SYSRQ_SEALED_KEY_LEN bytes); write-only, never
 *	dumped. Absent: the expression is unarmed and matches nothing.
 * @NFTA_SYSRQ_OUTPUT: most bytes of kernel log output kept per request
 *	for the client to fetch (NLA_U32, network order), 0..OUTPUT_MAX;
 *	default 0, none. Output can carry kernel addresses and any log line
 *	of its interval: enabling it gives the key holder log access.
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
	NFTA_SYSRQ_SEALED_KEY,
	NFTA_SYSRQ_OUTPUT,
	__NFTA_SYSRQ_MAX
};
#define NFTA_SYSRQ_MAX		(__NFTA_SYSRQ_MAX - 1)

/**
 * enum nft_sysrq_counter_attributes - per-verdict counters of one expression
 *
 * Each is NLA_U64 in network order: the number of datagrams this expression
 * gave that verdict. OTHER_KEY counts well-formed datagrams for a key id
 * this expression does not hold (the next sysrq rule may take them).
 * TIME counts clock probes answered, RATE those over the per-source rate,
 * FETCH output chunks sent, IGNORED fetches with nothing to send.
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
	NFTA_SYSRQ_CTR_TIME,
	NFTA_SYSRQ_CTR_RATE,
	NFTA_SYSRQ_CTR_FETCH,
	NFTA_SYSRQ_CTR_IGNORED,
	__NFTA_SYSRQ_CTR_MAX
};
#define NFTA_SYSRQ_CTR_MAX	(__NFTA_SYSRQ_CTR_MAX - 1)

#endif /* _UAPI_LINUX_NETFILTER_NFT_SYSRQ_H */
