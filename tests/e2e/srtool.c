// SPDX-License-Identifier: GPL-2.0
/*
 * sr-e2e: hand-built requests and ACK checks for the end-to-end suite,
 * through the protocol core (never a second implementation of it).
 *
 *   sr-e2e request KEYFILE KEYS [-a AGE_S | -t TS_NS] [-N NONCE_HEX] [-F FLAGS]
 *       print a signed request as hex; timestamp now - AGE_S seconds
 *       (default now), random nonce, flags 1 (ACK wanted)
 *   sr-e2e verify-ack KEYFILE REQUEST_HEX ACK_HEX
 *       print executed|duplicate|refused and exit 0 when sr_verify_ack()
 *       accepts the ACK for that request; else print "invalid", exit 1
 *
 * Exit 2 on bad arguments. The key is wiped after use and never printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "key.h"
#include "core_env.h"
#include "proto.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: sr-e2e request KEYFILE KEYS [-a AGE_S | -t TS_NS] [-N "
		"NONCE_HEX] [-F FLAGS]\n"
		"       sr-e2e verify-ack KEYFILE REQUEST_HEX ACK_HEX\n");
	return 2;
}

static int load_key(const char *path, struct sr_mac_key *mk,
		    uint8_t kid[SR_KEY_ID_LEN])
{
	uint8_t key[KEY_LEN];
	char err[ERR_LEN];
	bool loose;

	if (key_read_file(path, key, &loose, err)) {
		fprintf(stderr, "sr-e2e: %s\n", err);
		return -1;
	}
	sr_mac_key_init(mk, key);
	sodium_memzero(key, sizeof(key));
	if (sr_key_id(mk, kid)) {
		sr_mac_key_wipe(mk);
		return -1;
	}
	return 0;
}

static long unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = strlen(s), bin_len;

	if (n % 2 || n / 2 > max ||
	    sodium_hex2bin(out, max, s, n, NULL, &bin_len, NULL) ||
	    bin_len != n / 2)
		return -1;
	return (long)bin_len;
}

static void print_hex(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", b[i]);
	printf("\n");
}

static int cmd_request(int argc, char **argv)
{
	struct timespec now;
	uint64_t ts;
	uint8_t nonce[SR_NONCE_LEN], kid[SR_KEY_ID_LEN], out[SR_MAX_LEN];
	unsigned long flags = SR_FLAG_ACK;
	struct sr_mac_key mk;

	if (argc < 3)
		return usage();
	clock_gettime(CLOCK_REALTIME, &now);
	ts = (uint64_t)now.tv_sec * SR_NSEC_PER_SEC + (uint64_t)now.tv_nsec;
	randombytes_buf(nonce, sizeof(nonce));
	for (int i = 3; i < argc; i++) {
		if (i + 1 >= argc)
			return usage();
		const char *v = argv[++i];

		if (!strcmp(argv[i - 1], "-a"))
			ts = (uint64_t)((int64_t)ts -
					(int64_t)(strtod(v, NULL) * 1e9));
		else if (!strcmp(argv[i - 1], "-t"))
			ts = strtoull(v, NULL, 10);
		else if (!strcmp(argv[i - 1], "-N")) {
			if (unhex(v, nonce, sizeof(nonce)) != SR_NONCE_LEN)
				return usage();
		} else if (!strcmp(argv[i - 1], "-F"))
			flags = strtoul(v, NULL, 0);
		else
			return usage();
	}
	size_t nkeys = strlen(argv[2]);

	if (nkeys < 1 || nkeys > SR_MAX_KEYS || flags > 255)
		return usage();
	if (load_key(argv[1], &mk, kid))
		return 2;
	size_t len =
		sr_build_request(&mk, kid, ts, nonce, (uint8_t)flags,
				 (const uint8_t *)argv[2], (uint8_t)nkeys, out);

	sr_mac_key_wipe(&mk);
	if (!len) {
		fprintf(stderr,
			"sr-e2e: the core refused to build that request\n");
		return 2;
	}
	print_hex(out, len);
	return 0;
}

static int cmd_verify_ack(int argc, char **argv)
{
	static const char *const names[] = { "executed", "duplicate",
					     "refused" };
	uint8_t req[SR_MAX_LEN], ack[SR_MAX_LEN], kid[SR_KEY_ID_LEN], status;
	struct sr_mac_key mk;

	if (argc != 4)
		return usage();
	long rl = unhex(argv[2], req, sizeof(req));
	long al = unhex(argv[3], ack, sizeof(ack));

	if (rl < 0 || al < 0)
		return usage();
	if (load_key(argv[1], &mk, kid))
		return 2;
	bool good =
		sr_verify_ack(&mk, req, (size_t)rl, ack, (size_t)al, &status);

	sr_mac_key_wipe(&mk);
	if (!good || status > SR_ACK_REFUSED) {
		printf("invalid\n");
		return 1;
	}
	printf("%s\n", names[status]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (sodium_init() < 0)
		return 1;
	if (!strcmp(argv[1], "request"))
		return cmd_request(argc - 1, argv + 1);
	if (!strcmp(argv[1], "verify-ack"))
		return cmd_verify_ack(argc - 1, argv + 1);
	return usage();
}
