// SPDX-License-Identifier: GPL-2.0
/*
 * Why a host refuses keys: the rule's allow-list, or the host's
 * kernel.sysrq bitmask, which enables each key's function by one bit.
 * The table mirrors the module's (nft_sysrq/mask.c, Linux's
 * drivers/tty/sysrq.c): the admin is told which bit and what to set.
 */
#include <stdio.h>
#include <string.h>

#include "client/send.h"

#define HELP (-1) /* always enabled while kernel.sysrq != 0 */

/* kernel.sysrq bit of each key [0-9a-z]; 0: only kernel.sysrq=1 enables it. */
static int key_mask(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return 2;
	switch (c) {
	case 'k':
	case 'r':
		return 4;
	case 'c':
	case 'l':
	case 'm':
	case 'p':
	case 't':
	case 'w':
	case 'z':
		return 8;
	case 's':
		return 16;
	case 'u':
		return 32;
	case 'e':
	case 'f':
	case 'i':
	case 'j':
		return 64;
	case 'b':
	case 'o':
		return 128;
	case 'n':
		return 256;
	case 'd':
	case 'g':
	case 'q':
	case 'v':
		return 0;
	default: /* a, h, x, y: no function here, the help text */
		return HELP;
	}
}

static const char *bit_name(int bit)
{
	switch (bit) {
	case 2:
		return "console log level";
	case 4:
		return "keyboard";
	case 8:
		return "process dumps";
	case 16:
		return "sync";
	case 32:
		return "remount read-only";
	case 64:
		return "signals to processes";
	case 128:
		return "reboot and power off";
	default:
		return "real-time nice";
	}
}

/* Debian's default kernel.sysrq: it lacks 8 and 64 (dumps, signals). */
#define DEBIAN_SYSRQ 438

void refusal_explain(const uint8_t *keys, size_t n, char *out, size_t len)
{
	FILE *f = fmemopen(out, len, "w");
	int bits = 0, bit, m;
	bool unmasked = false, first = true;
	size_t i;

	out[0] = '\0';
	if (!f)
		return;
	fprintf(f, "the rule's allow-list may lack '%.*s'", (int)n,
		(const char *)keys);
	for (bit = 2; bit <= 256; bit <<= 1) {
		char which[SR_MAX_KEYS + 1] = { 0 };
		size_t k = 0;

		for (i = 0; i < n; i++)
			if (key_mask(keys[i]) == bit &&
			    !memchr(which, keys[i], k))
				which[k++] = (char)keys[i];
		if (!k)
			continue;
		bits |= bit;
		fprintf(f, "%s bit %d (%s) for '%.*s'",
			first ? ", or the host's kernel.sysrq may lack" : ",",
			bit, bit_name(bit), (int)k, which);
		first = false;
	}
	for (i = 0; i < n; i++) {
		m = key_mask(keys[i]);
		unmasked = unmasked || m == 0;
	}
	if (bits)
		fprintf(f,
			"; to enable, on the host: sysctl -w "
			"kernel.sysrq=$(( $(sysctl -n kernel.sysrq) | %d )) "
			"(Debian's default %d becomes %d)",
			bits, DEBIAN_SYSRQ, DEBIAN_SYSRQ | bits);
	if (unmasked)
		fprintf(f, "%s only kernel.sysrq=1 enables d, g, q and v",
			bits ? ";" : ", or");
	fclose(f);
	out[len - 1] = '\0';
}
