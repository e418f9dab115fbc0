/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for kernel version differences.
 *
 * Checked against Debian's 6.1.192 (linux-headers-6.1.0-56-amd64) and
 * 6.12.117 (linux-source-6.12). The nf_tables expression callbacks this
 * module uses (eval, init, destroy, dump with a reset flag, validate
 * without a data pointer) have the same signatures in both: 6.1.y got the
 * upstream signature changes through stable backports, and the register
 * tracking callback (reduce) that 6.12 dropped is left unset, which 6.1
 * treats as "no reduction" (it disabled register tracking altogether).
 */
#ifndef NFT_SYSRQ_COMPAT_H
#define NFT_SYSRQ_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "nft_sysrq needs Linux 6.1 or later"
#endif

#include <linux/hrtimer.h>

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
