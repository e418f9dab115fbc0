/* SPDX-License-Identifier: GPL-2.0 */
/* Hex arguments of the lab's datagram tools (udpq, dgfuzz, flood). */
#ifndef LAB_HEX_H
#define LAB_HEX_H

#include <stddef.h>
#include <string.h>

static inline int lab_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex text to bytes; -1 on odd length, too long, or a non-hex character. */
static inline long lab_unhex(const char *s, unsigned char *out, size_t max)
{
	size_t n = strlen(s);

	if (n % 2 || n / 2 > max)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = lab_hexval(s[2 * i]), lo = lab_hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

#endif /* LAB_HEX_H */
