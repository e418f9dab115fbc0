// SPDX-License-Identifier: GPL-2.0
/*
 * What sysrq-testd's "kernel" prints while a request's keys run: a line
 * per key, and for the dump keys (l, m, t, w) the canned text (--output
 * FILE, or the built-in one), so that a client test knows exactly what
 * must come back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testd.h"

/* About 3.5 KB: four chunks, the last one short. */
static char *builtin_text(size_t *len)
{
	FILE *f;
	char *buf = NULL;
	size_t n = 0;
	int i;

	f = open_memstream(&buf, &n);
	if (!f)
		return NULL;
	fprintf(f, "sysrq: Show Blocked State\n");
	for (i = 0; i < 40; i++)
		fprintf(f,
			"task:testd-worker/%-2d state:D stack:0 pid:%d "
			"ppid:2 flags:0x00004000\n",
			i, 1000 + i);
	fprintf(f, "sysrq: end of the canned text\n");
	fclose(f);
	*len = n;
	return buf;
}

int canned_load(struct testd_canned *c, const char *path)
{
	FILE *f;
	long n;

	if (!path) {
		c->text = builtin_text(&c->len);
		return c->text ? 0 : -1;
	}
	f = fopen(path, "r");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    n > SR_OUTPUT_MAX || fseek(f, 0, SEEK_SET)) {
		perror(path);
		if (f)
			fclose(f);
		return -1;
	}
	c->text = malloc((size_t)n + 1);
	if (!c->text || fread(c->text, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		fclose(f);
		return -1;
	}
	fclose(f);
	c->len = (size_t)n;
	return 0;
}

static const char *key_line(uint8_t k)
{
	switch (k) {
	case 's':
		return "sysrq: Emergency Sync\n";
	case 'u':
		return "sysrq: Emergency Remount R/O\n";
	case 'n':
		return "sysrq: Nice All RT Tasks\n";
	case 'i':
		return "sysrq: Kill All Tasks\n";
	case 'h':
		return "sysrq: HELP : loglevel(0-9) reboot(b) crash(c) ...\n";
	default:
		return NULL;
	}
}

char *canned_output(const struct testd_canned *c, const uint8_t *keys, size_t n,
		    size_t *len)
{
	FILE *f;
	char *buf = NULL;
	size_t i;

	f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *l = key_line(keys[i]);

		if (strchr("lmtw", keys[i]))
			fwrite(c->text, 1, c->len, f);
		else if (l)
			fputs(l, f);
		else
			fprintf(f, "sysrq: key '%c'\n", keys[i]);
	}
	fclose(f);
	return buf;
}
