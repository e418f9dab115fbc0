// SPDX-License-Identifier: GPL-2.0
/*
 * sr-e2e: hand-built v2 datagrams and answer checks for the end-to-end
 * suite, through the protocol core (never a second implementation of it).
 * Datagrams and epochs are hex; TS defaults to CLOCK_REALTIME now.
 *
 *   sr-e2e time KEYFILE [-t TS_NS] [-N NONCE_HEX]
 *       print a TIME probe
 *   sr-e2e verify-clock KEYFILE TIME_HEX CLOCK_HEX
 *       print "T EPOCH_HEX" and exit 0 when the CLOCK verifies and echoes
 *       the probe; else print "invalid", exit 1
 *   sr-e2e request KEYFILE EPOCH_HEX KEYS [-a AGE_S | -t TS_NS]
 *                  [-N NONCE_HEX] [-F FLAGS]
 *       print a request for that epoch; random nonce, flags 1 (ACK)
 *   sr-e2e verify-ack KEYFILE EPOCH_HEX REQUEST_HEX ACK_HEX
 *       print accepted|duplicate|refused, exit 0; else "invalid", exit 1
 *   sr-e2e verify-report KEYFILE EPOCH_HEX REQUEST_HEX REPORT_HEX
 *       print "status S chunks C", exit 0; else "invalid", exit 1
 *   sr-e2e fetch KEYFILE EPOCH_HEX REQUEST_HEX INDEX [-t TS_NS]
 *                [-N NONCE_HEX]
 *       print a FETCH for chunk INDEX of the request's output
 *   sr-e2e open-output KEYFILE EPOCH_HEX REQUEST_HEX OUTPUT_HEX
 *       print "INDEX TOTAL TEXT_HEX", exit 0; else "invalid", exit 1
 *
 * Exit 2 on bad arguments. The key is wiped after use and never printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keys/key.h"
#include "core_env.h"
#include "proto.h"

#define DGRAM_MAX SR_FETCH_LEN

static int usage(void)
{
	fprintf(stderr,
		"usage: sr-e2e time KEYFILE [-t TS_NS] [-N NONCE_HEX]\n"
		"       sr-e2e verify-clock KEYFILE TIME_HEX CLOCK_HEX\n"
		"       sr-e2e request KEYFILE EPOCH_HEX KEYS [-a AGE_S | -t "
		"TS_NS] [-N NONCE_HEX] [-F FLAGS]\n"
		"       sr-e2e verify-ack KEYFILE EPOCH_HEX REQUEST_HEX "
		"ACK_HEX\n"
		"       sr-e2e verify-report KEYFILE EPOCH_HEX REQUEST_HEX "
		"REPORT_HEX\n"
		"       sr-e2e fetch KEYFILE EPOCH_HEX REQUEST_HEX INDEX [-t "
		"TS_NS] [-N NONCE_HEX]\n"
		"       sr-e2e open-output KEYFILE EPOCH_HEX REQUEST_HEX "
		"OUTPUT_HEX\n");
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
}

static uint64_t realtime_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	return (uint64_t)now.tv_sec * SR_NSEC_PER_SEC + (uint64_t)now.tv_nsec;
}

/* Options -a, -t, -N, -F from argv[first]; 0 or -1 (usage). */
static int options(int argc, char **argv, int first, uint64_t *ts,
		   uint8_t nonce[SR_NONCE_LEN], unsigned long *flags)
{
	for (int i = first; i < argc; i += 2) {
		const char *o = argv[i], *v;

		if (i + 1 >= argc)
			return -1;
		v = argv[i + 1];
		if (!strcmp(o, "-a"))
			*ts = (uint64_t)((int64_t)*ts -
					 (int64_t)(strtod(v, NULL) * 1e9));
		else if (!strcmp(o, "-t"))
			*ts = strtoull(v, NULL, 10);
		else if (!strcmp(o, "-N")) {
			if (unhex(v, nonce, SR_NONCE_LEN) != SR_NONCE_LEN)
				return -1;
		} else if (!strcmp(o, "-F") && flags)
			*flags = strtoul(v, NULL, 0);
		else
			return -1;
	}
	return 0;
}

/* Wipes the key, then prints the datagram built (len 0: none): exit code. */
static int print_built(struct sr_mac_key *mk, const uint8_t *out, size_t len)
{
	sr_mac_key_wipe(mk);
	if (!len)
		return 2;
	print_hex(out, len);
	putchar('\n');
	return 0;
}

/* Wipes the key; a failed check prints "invalid" and exits 1. */
static int check_done(struct sr_mac_key *mk, bool good)
{
	sr_mac_key_wipe(mk);
	if (good)
		return 0;
	printf("invalid\n");
	return 1;
}

static int cmd_time(int argc, char **argv)
{
	uint8_t nonce[SR_NONCE_LEN], kid[SR_KEY_ID_LEN], out[SR_TIME_LEN];
	uint64_t ts = realtime_ns();
	struct sr_mac_key mk;
	size_t len;

	randombytes_buf(nonce, sizeof(nonce));
	if (argc < 2 || options(argc, argv, 2, &ts, nonce, NULL))
		return usage();
	if (load_key(argv[1], &mk, kid))
		return 2;
	len = sr_build_time(&mk, kid, ts, nonce, out);
	return print_built(&mk, out, len);
}

static int cmd_verify_clock(int argc, char **argv)
{
	uint8_t t[DGRAM_MAX], c[DGRAM_MAX], kid[SR_KEY_ID_LEN];
	uint8_t epoch[SR_EPOCH_LEN];
	struct sr_mac_key mk;
	long tl, cl;
	uint64_t now;
	bool good;

	if (argc != 4)
		return usage();
	tl = unhex(argv[2], t, sizeof(t));
	cl = unhex(argv[3], c, sizeof(c));
	if (tl != SR_TIME_LEN || cl < 0)
		return usage();
	if (load_key(argv[1], &mk, kid))
		return 2;
	good = sr_verify_clock(&mk, t, c, (size_t)cl, &now, epoch);
	if (check_done(&mk, good))
		return 1;
	printf("%llu ", (unsigned long long)now);
	print_hex(epoch, sizeof(epoch));
	putchar('\n');
	return 0;
}

/* KEYFILE EPOCH_HEX: the key and the host's epoch. */
static int key_epoch(char **argv, struct sr_mac_key *mk,
		     uint8_t kid[SR_KEY_ID_LEN], uint8_t epoch[SR_EPOCH_LEN])
{
	if (unhex(argv[2], epoch, SR_EPOCH_LEN) != SR_EPOCH_LEN)
		return usage();
	return load_key(argv[1], mk, kid) ? 2 : 0;
}

static int cmd_request(int argc, char **argv)
{
	uint8_t nonce[SR_NONCE_LEN], kid[SR_KEY_ID_LEN], out[SR_REQ_MAX_LEN];
	uint8_t epoch[SR_EPOCH_LEN];
	unsigned long flags = SR_FLAG_ACK;
	uint64_t ts = realtime_ns();
	struct sr_mac_key mk;
	size_t nkeys, len;
	int err;

	randombytes_buf(nonce, sizeof(nonce));
	if (argc < 4 || options(argc, argv, 4, &ts, nonce, &flags))
		return usage();
	nkeys = strlen(argv[3]);
	if (nkeys < 1 || nkeys > SR_MAX_KEYS || flags > 255)
		return usage();
	err = key_epoch(argv, &mk, kid, epoch);
	if (err)
		return err;
	len = sr_build_request(&mk, kid, epoch, ts, nonce, (uint8_t)flags,
			       (const uint8_t *)argv[3], (uint8_t)nkeys, out);
	if (!len)
		fprintf(stderr,
			"sr-e2e: the core refused to build that request\n");
	return print_built(&mk, out, len);
}

/* KEYFILE EPOCH REQUEST ANSWER: the four loaded; 0, or the exit code. */
static int answer_args(int argc, char **argv, struct sr_mac_key *mk,
		       uint8_t epoch[SR_EPOCH_LEN], uint8_t *req, long *rl,
		       uint8_t *ans, long *al)
{
	uint8_t kid[SR_KEY_ID_LEN];

	if (argc != 5)
		return usage();
	*rl = unhex(argv[3], req, DGRAM_MAX);
	*al = unhex(argv[4], ans, DGRAM_MAX);
	if (*rl < 0 || *al < 0)
		return usage();
	return key_epoch(argv, mk, kid, epoch);
}

static int cmd_verify_ack(int argc, char **argv)
{
	static const char *const names[] = { "accepted", "duplicate",
					     "refused" };
	uint8_t req[DGRAM_MAX], ack[DGRAM_MAX], epoch[SR_EPOCH_LEN], status;
	struct sr_mac_key mk;
	long rl, al;
	bool good;
	int err = answer_args(argc, argv, &mk, epoch, req, &rl, ack, &al);

	if (err)
		return err;
	good = sr_verify_ack(&mk, epoch, req, (size_t)rl, ack, (size_t)al,
			     &status);
	if (check_done(&mk, good && status <= SR_ACK_REFUSED))
		return 1;
	printf("%s\n", names[status]);
	return 0;
}

static int cmd_verify_report(int argc, char **argv)
{
	uint8_t req[DGRAM_MAX], rep[DGRAM_MAX], epoch[SR_EPOCH_LEN], status;
	struct sr_mac_key mk;
	uint16_t chunks;
	long rl, al;
	bool good;
	int err = answer_args(argc, argv, &mk, epoch, req, &rl, rep, &al);

	if (err)
		return err;
	good = sr_verify_report(&mk, epoch, req, (size_t)rl, rep, (size_t)al,
				&status, &chunks);
	if (check_done(&mk, good))
		return 1;
	printf("status %u chunks %u\n", status, chunks);
	return 0;
}

static int cmd_fetch(int argc, char **argv)
{
	uint8_t nonce[SR_NONCE_LEN], kid[SR_KEY_ID_LEN], out[SR_FETCH_LEN];
	uint8_t req[DGRAM_MAX], epoch[SR_EPOCH_LEN];
	uint64_t ts = realtime_ns();
	struct sr_mac_key mk;
	unsigned long index;
	size_t len;
	long rl;
	int err;

	randombytes_buf(nonce, sizeof(nonce));
	if (argc < 5 || options(argc, argv, 5, &ts, nonce, NULL))
		return usage();
	rl = unhex(argv[3], req, sizeof(req));
	index = strtoul(argv[4], NULL, 10);
	if (rl < SR_HDR_LEN || index > 65535)
		return usage();
	err = key_epoch(argv, &mk, kid, epoch);
	if (err)
		return err;
	len = sr_build_fetch(&mk, epoch, ts, nonce, req, (size_t)rl,
			     (uint16_t)index, out);
	return print_built(&mk, out, len);
}

static int cmd_open_output(int argc, char **argv)
{
	uint8_t req[DGRAM_MAX], d[DGRAM_MAX], epoch[SR_EPOCH_LEN];
	uint8_t text[SR_CHUNK];
	struct sr_mac_key mk;
	uint16_t index, total;
	size_t tl;
	long rl, dl;
	bool good;
	int err = answer_args(argc, argv, &mk, epoch, req, &rl, d, &dl);

	if (err)
		return err;
	good = sr_open_output(&mk, epoch, req, (size_t)rl, d, (size_t)dl,
			      &index, &total, text, &tl);
	if (check_done(&mk, good))
		return 1;
	printf("%u %u ", index, total);
	print_hex(text, tl);
	putchar('\n');
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} cmds[] = {
		{ "time", cmd_time },
		{ "verify-clock", cmd_verify_clock },
		{ "request", cmd_request },
		{ "verify-ack", cmd_verify_ack },
		{ "verify-report", cmd_verify_report },
		{ "fetch", cmd_fetch },
		{ "open-output", cmd_open_output },
	};

	if (argc < 2)
		return usage();
	if (sodium_init() < 0)
		return 1;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	return usage();
}
