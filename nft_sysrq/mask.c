// SPDX-License-Identifier: GPL-2.0
/*
 * kernel.sysrq: a request whose key's function the bitmask disables is
 * REFUSED as a whole. handle_sysrq() checks the mask too but silently, so
 * the module mirrors the kernel's key table to answer before executing.
 *
 * The table mirrors sysrq_key_table[] and the enable_mask of each
 * sysrq_key_op in drivers/tty/sysrq.c of Linux v6.1 (x86), plus the keys
 * registered at run time by v6.1 code: o (kernel/power/poweroff.c),
 * g (kernel/debug/debug_core.c, kgdb) and v (drm_fb_helper.c). The same
 * table holds for 6.12. Config-dependent entries follow the config the
 * module is built against, as sysrq.c does.
 */
#include <linux/kconfig.h>
#include <linux/sysrq.h>

#include "mask.h"
#include "proto.h"

/*
 * No operation: handle_sysrq() prints the help text, which it does
 * whenever sysrq is on at all (kernel.sysrq != 0).
 */
#define SR_HELP		(-1)
/*
 * An operation without an enable_mask (d, q; g and v when registered):
 * only kernel.sysrq == 1 enables it. For g and v, which may or may not be
 * registered, this is the stricter of the two possibilities.
 */
#define SR_UNMASKED	0

#define SR_KEY(c)	((c) >= 'a' ? (c) - 'a' + 10 : (c) - '0')

static const int sr_enable_mask[SR_KEY_CHARS] = {
	[SR_KEY('0') ... SR_KEY('9')] = SYSRQ_ENABLE_LOG,
	[SR_KEY('a')] = SR_HELP,	/* reserved for sparc */
	[SR_KEY('b')] = SYSRQ_ENABLE_BOOT,
	[SR_KEY('c')] = SYSRQ_ENABLE_DUMP,
	[SR_KEY('d')] = IS_ENABLED(CONFIG_LOCKDEP) ? SR_UNMASKED : SR_HELP,
	[SR_KEY('e')] = SYSRQ_ENABLE_SIGNAL,
	[SR_KEY('f')] = SYSRQ_ENABLE_SIGNAL,
	[SR_KEY('g')] = SR_UNMASKED,	/* kgdb, when registered */
	[SR_KEY('h')] = SR_HELP,
	[SR_KEY('i')] = SYSRQ_ENABLE_SIGNAL,
	[SR_KEY('j')] = IS_ENABLED(CONFIG_BLOCK) ? SYSRQ_ENABLE_SIGNAL : SR_HELP,
	[SR_KEY('k')] = IS_ENABLED(CONFIG_VT) ? SYSRQ_ENABLE_KEYBOARD : SR_HELP,
	[SR_KEY('l')] = IS_ENABLED(CONFIG_SMP) ? SYSRQ_ENABLE_DUMP : SR_HELP,
	[SR_KEY('m')] = SYSRQ_ENABLE_DUMP,
	[SR_KEY('n')] = SYSRQ_ENABLE_RTNICE,
	[SR_KEY('o')] = SYSRQ_ENABLE_BOOT,	/* poweroff */
	[SR_KEY('p')] = SYSRQ_ENABLE_DUMP,
	[SR_KEY('q')] = SR_UNMASKED,
	[SR_KEY('r')] = IS_ENABLED(CONFIG_VT) ? SYSRQ_ENABLE_KEYBOARD : SR_HELP,
	[SR_KEY('s')] = SYSRQ_ENABLE_SYNC,
	[SR_KEY('t')] = SYSRQ_ENABLE_DUMP,
	[SR_KEY('u')] = SYSRQ_ENABLE_REMOUNT,
	[SR_KEY('v')] = SR_UNMASKED,	/* framebuffer restore, when registered */
	[SR_KEY('w')] = SYSRQ_ENABLE_DUMP,
	[SR_KEY('x')] = SR_HELP,	/* mips, powerpc, sparc64 only */
	[SR_KEY('y')] = SR_HELP,	/* sparc64 only */
	[SR_KEY('z')] = IS_ENABLED(CONFIG_TRACING) ? SYSRQ_ENABLE_DUMP : SR_HELP,
};

u64 nft_sysrq_enabled_keys(void)
{
	int mask = sysrq_mask();
	u64 keys = 0;
	int i;

	/* As sysrq_on_mask(): 1 enables all, 0 (sysrq off) none. */
	if (mask == 1)
		return SR_ALL_KEYS;
	if (mask == 0)
		return 0;

	for (i = 0; i < SR_KEY_CHARS; i++) {
		if (sr_enable_mask[i] == SR_HELP || (sr_enable_mask[i] & mask))
			keys |= 1ULL << i;
	}
	return keys;
}
