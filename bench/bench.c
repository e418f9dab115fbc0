// SPDX-License-Identifier: GPL-2.0
/*
 * Verdicts per second for each verdict class through the protocol core,
 * and the MAC-checking path against raw libsodium HMAC-SHA256 over the
 * same bytes, measured in the same run. Best of REPEATS runs each.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mac.h"
#include "proto.h"

#define T0	1795000000000000000ULL
#define REPEATS 5
#define FRESH	200000 /* pre-built requests for the recording classes */

static volatile uint64_t sink;
static struct sr_mac_key mac;
static struct sr_key key;
static uint8_t raw_key[32];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t request(uint64_t ts, uint32_t nonce, uint8_t flags,
		      const char *keys, uint8_t *out)
{
	uint8_t nb[SR_NONCE_LEN] = { 0 };

	memcpy(nb, &nonce, sizeof(nonce));
	return sr_build_request(&mac, key.key_id, ts, nb, flags,
				(const uint8_t *)keys, (uint8_t)strlen(keys),
				out);
}

/* Runs one datagram through a fresh-state server `iters` times. */
static double rate_same(const uint8_t *d, size_t len, uint64_t now, int prime,
			size_t iters)
{
	double best = 0;

	for (int r = 0; r < REPEATS; r++) {
		struct sr_replay rs;
		uint8_t ack[SR_MAX_LEN];
		size_t alen;
		double t;

		sr_replay_init(&rs, 0);
		if (prime) /* record it once, so the rest are duplicates */
			sr_server_verdict(d, len, &key, &rs, 1, now,
					  SR_ALL_KEYS, ack, &alen);
		t = now_s();
		for (size_t i = 0; i < iters; i++)
			sink += sr_server_verdict(d, len, &key, &rs, 1, now,
						  SR_ALL_KEYS, ack, &alen);
		t = now_s() - t;
		if (iters / t > best)
			best = iters / t;
	}
	return best;
}

/* Fresh requests, each recorded: ACCEPTED or REFUSED. */
static double rate_fresh(uint8_t (*d)[SR_MAX_LEN], size_t len, uint64_t allow)
{
	double best = 0;
	uint64_t saved = key.allow;

	key.allow = allow;
	for (int r = 0; r < REPEATS; r++) {
		struct sr_replay rs;
		uint8_t ack[SR_MAX_LEN];
		size_t alen;
		double t;

		sr_replay_init(&rs, 0);
		t = now_s();
		for (size_t i = 0; i < FRESH; i++)
			sink += sr_server_verdict(d[i], len, &key, &rs, 1, T0,
						  SR_ALL_KEYS, ack, &alen);
		t = now_s() - t;
		if (FRESH / t > best)
			best = FRESH / t;
	}
	key.allow = saved;
	return best;
}

/* Baseline: libsodium's one-shot HMAC-SHA256 over the same bytes. */
static double rate_raw_hmac(const uint8_t *d, size_t body, size_t iters)
{
	uint8_t out[32];
	double best = 0;

	for (int r = 0; r < REPEATS; r++) {
		double t = now_s();

		for (size_t i = 0; i < iters; i++) {
			crypto_auth_hmacsha256(out, d, body, raw_key);
			sink += out[0];
		}
		t = now_s() - t;
		if (iters / t > best)
			best = iters / t;
	}
	return best;
}

/* Baseline 2: libsodium HMAC continuing from a saved keyed state. */
static double rate_keyed_hmac(const uint8_t *d, size_t body, size_t iters)
{
	crypto_auth_hmacsha256_state keyed, st;
	uint8_t out[32];
	double best = 0;

	crypto_auth_hmacsha256_init(&keyed, raw_key, sizeof(raw_key));
	for (int r = 0; r < REPEATS; r++) {
		double t = now_s();

		for (size_t i = 0; i < iters; i++) {
			st = keyed;
			crypto_auth_hmacsha256_update(&st, d, body);
			crypto_auth_hmacsha256_final(&st, out);
			sink += out[0];
		}
		t = now_s() - t;
		if (iters / t > best)
			best = iters / t;
	}
	return best;
}

static double keyed;

static void row(const char *name, double rate, double base)
{
	printf("%-26s %9.2f M/s %8.1f ns", name, rate / 1e6, 1e9 / rate);
	if (base > 0)
		printf("   %5.2fx one-shot  %5.2fx keyed", rate / base,
		       rate / keyed);
	putchar('\n');
}

int main(void)
{
	static uint8_t fresh[FRESH][SR_MAX_LEN];
	uint8_t d[SR_MAX_LEN], other[SR_MAX_LEN];
	size_t len, body;
	const size_t cheap = 20000000, costly = 400000;
	double raw;

	if (sodium_init() < 0)
		return 1;
	memset(raw_key, 0x42, sizeof(raw_key));
	sr_mac_key_init(&mac, raw_key);
	key.mac_ctx = &mac;
	key.tolerance = 30;
	key.allow = SR_ALL_KEYS;
	sr_key_id(&mac, key.key_id);

	len = request(T0, 1, 0, "sub", d);
	body = len - SR_MAC_LEN;
	for (size_t i = 0; i < FRESH; i++)
		request(T0 + 1 + i, (uint32_t)i, 0, "sub", fresh[i]);

	printf("nft_sysrq core, one thread, 3-key requests (%zu bytes), best "
	       "of %d\n",
	       len, REPEATS);
	raw = rate_raw_hmac(d, body, costly);
	keyed = rate_keyed_hmac(d, body, costly);
	row("libsodium HMAC one-shot", raw, 0);
	row("libsodium HMAC keyed state", keyed, 0);
	printf("(ratios: verdict rate over raw libsodium HMAC-SHA256 of the "
	       "same bytes)\n");

	memcpy(other, d, len);
	other[0] = 'X';
	row("MALFORMED (bad magic)", rate_same(other, len, T0, 0, cheap), 0);
	row("MALFORMED (short)", rate_same(d, len - 1, T0, 0, cheap), 0);
	memcpy(other, d, len);
	other[4] ^= 1;
	row("UNKNOWN_KEY", rate_same(other, len, T0, 0, cheap), 0);
	row("STALE", rate_same(d, len, T0 + 31 * SR_NSEC_PER_SEC, 0, cheap), 0);
	memcpy(other, d, len);
	other[len - 1] ^= 1;
	row("BAD_MAC", rate_same(other, len, T0, 0, costly), raw);
	row("DUPLICATE (no ACK)", rate_same(d, len, T0, 1, costly), raw);
	request(T0 - 1, 2, 0, "sub", other);
	{
		/* REPLAY: older than the last recorded request. */
		struct sr_replay rs;
		uint8_t ack[SR_MAX_LEN];
		size_t alen;
		double best = 0;

		for (int r = 0; r < REPEATS; r++) {
			double t;

			sr_replay_init(&rs, 0);
			sr_server_verdict(d, len, &key, &rs, 1, T0, SR_ALL_KEYS,
					  ack, &alen);
			t = now_s();
			for (size_t i = 0; i < costly; i++)
				sink += sr_server_verdict(other, len, &key, &rs,
							  1, T0, SR_ALL_KEYS,
							  ack, &alen);
			t = now_s() - t;
			if (costly / t > best)
				best = costly / t;
		}
		row("REPLAY", best, raw);
	}
	row("REFUSED (no ACK)", rate_fresh(fresh, len, sr_key_bit('s')), raw);
	row("ACCEPTED (no ACK)", rate_fresh(fresh, len, SR_ALL_KEYS), raw);
	for (size_t i = 0; i < FRESH; i++)
		request(T0 + 1 + i, (uint32_t)i, SR_FLAG_ACK, "sub", fresh[i]);
	row("ACCEPTED + ACK built", rate_fresh(fresh, len, SR_ALL_KEYS), raw);
	sr_mac_key_wipe(&mac);
	return 0;
}
