/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for kernel API differences. Kbuild's probes (see Kbuild)
 * define NFT_SYSRQ_HAVE_<NAME> for what the target kernel has; nothing
 * here reads a version number. Debian's 6.1.192 and 6.12 agree on all of
 * them but the handle_sysrq() key type: 6.1.y received the validate and
 * dump signature changes through stable backports, which early 6.1.y
 * kernels lack. The probes decide.
 */
#ifndef NFT_SYSRQ_COMPAT_H
#define NFT_SYSRQ_COMPAT_H

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/hrtimer.h>
#include <linux/sysrq.h>
#include <linux/types.h>
#include <net/netfilter/nf_tables.h>

#ifndef NFT_SYSRQ_HAVE_EXPR_API
#error "nft_sysrq: the nf_tables expression API probe failed (nft_expr_ops, nft_chain_validate_hooks, nft_register_expr): is this kernel built with NF_TABLES, are its headers complete? See nft_sysrq/Kbuild (make NFT_SYSRQ_SHOW_PROBES=1 prints the results)"
#endif

/* struct nft_expr_ops .validate, with or without the unused data pointer. */
#ifndef NFT_SYSRQ_HAVE_CRYPTO_LIBS
#error "nft_sysrq: this kernel lacks the ChaCha20-Poly1305 or Curve25519 library (CONFIG_CRYPTO_LIB_CHACHA20POLY1305, CONFIG_CRYPTO_LIB_CURVE25519; WireGuard selects both)"
#endif

#if defined(NFT_SYSRQ_HAVE_VALIDATE_NO_DATA)
#define NFT_SYSRQ_VALIDATE_ARGS	const struct nft_ctx *ctx, \
				const struct nft_expr *expr
#elif defined(NFT_SYSRQ_HAVE_VALIDATE_DATA)
#define NFT_SYSRQ_VALIDATE_ARGS	const struct nft_ctx *ctx, \
				const struct nft_expr *expr, \
				const struct nft_data **data
#else
#error "nft_sysrq: struct nft_expr_ops .validate has a signature this module does not know"
#endif

/* struct nft_expr_ops .dump, with or without the reset flag. */
#if defined(NFT_SYSRQ_HAVE_DUMP_RESET)
#define NFT_SYSRQ_DUMP_ARGS	struct sk_buff *skb, \
				const struct nft_expr *expr, bool reset
#elif defined(NFT_SYSRQ_HAVE_DUMP_NO_RESET)
#define NFT_SYSRQ_DUMP_ARGS	struct sk_buff *skb, \
				const struct nft_expr *expr
#else
#error "nft_sysrq: struct nft_expr_ops .dump has a signature this module does not know"
#endif

/*
 * struct nft_expr_ops .reduce (register tracking), where it exists: the
 * expression writes no register, which is what NFT_REDUCE_READONLY says.
 * (Tracking is disabled in 6.1.y and 6.12, so there an unset .reduce
 * would do the same; early 6.1.y warned about it once.)
 */
#ifdef NFT_SYSRQ_HAVE_EXPR_OPS_REDUCE
#define NFT_SYSRQ_OPS_REDUCE	.reduce = NFT_REDUCE_READONLY,
#else
#define NFT_SYSRQ_OPS_REDUCE
#endif

/*
 * handle_sysrq() takes an int in 6.1 and a u8 in 6.12. exec.c passes a
 * u8, right for both; should the type change again, the build stops here.
 */
#ifdef NFT_SYSRQ_HAVE_HANDLE_SYSRQ_U8
typedef u8 nft_sysrq_key_t;
#else
typedef int nft_sysrq_key_t;
#endif
static_assert(__same_type(&handle_sysrq, void (*)(nft_sysrq_key_t)),
	      "nft_sysrq: handle_sysrq() takes neither int nor u8; check exec.c");

/* Probed in Kbuild: hrtimer_setup() (6.13) replaced hrtimer_init(). */
static inline void
nft_sysrq_hrtimer_setup(struct hrtimer *timer,
			enum hrtimer_restart (*fn)(struct hrtimer *),
			clockid_t clock, enum hrtimer_mode mode)
{
#ifdef NFT_SYSRQ_HAVE_HRTIMER_SETUP
	hrtimer_setup(timer, fn, clock, mode);
#else
	hrtimer_init(timer, clock, mode);
	timer->function = fn;
#endif
}

#endif /* NFT_SYSRQ_COMPAT_H */
