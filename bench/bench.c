// SPDX-License-Identifier: GPL-2.0
/*
 * Verdicts per second for each verdict class through the protocol core
 * (sr_handle, one key and its record), and the MAC-checking path against
 * raw libsodium HMAC-SHA256 over the same bytes; the CLOCK path (a TIME
 * probe verified and answered with a CLOCK) against the same HMAC; the
 * output encryption rate (sr_output_build, MB/s) against libsodium's
 * ChaCha20-Poly1305 over the same chunks. Baselines and subject are
 * measured in alternating rounds
 * (their order flipped every round), and a ratio is the median of the
 * per-round ratios: a burst of machine noise lands in one round of both,
 * not in a baseline measured once at the start.
 */
#include <sched.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core_env.h"
#include "proto.h"

#define T0	    1795000000000000000ULL
#define ROUNDS	    15	    /* rounds per row (odd: a true median) */
#define FRESH	    50000   /* pre-built requests for the recording classes */
#define CHEAP_ITERS 2000000 /* per round: about 10-50 ms */
#define COSTLY	    FRESH   /* per round: about 25-60 ms */
#define OUT_LEN	    65536   /* the output of one request: 64 chunks */
#define OUT_ITERS   400	    /* per round: about 20-50 ms */

static volatile uint64_t sink;
static struct sr_mac_key mac;
static struct sr_key key;
static struct sr_record rec;
static uint8_t epoch[SR_EPOCH_LEN];
static uint8_t raw_key[32];
static uint8_t fresh[FRESH][SR_REQ_MAX_LEN];
static uint8_t text[OUT_LEN];
static struct sr_output *output;

/* What one round runs. */
enum kind {
	RAW_HMAC,   /* baseline: libsodium one-shot HMAC-SHA256 */
	KEYED_HMAC, /* baseline: libsodium HMAC from a saved keyed state */
	SAME,	    /* one datagram, over and over */
	FRESH_REQS, /* each request new and recorded: ACCEPTED or REFUSED */
	TIME_CLOCK, /* one TIME probe answered, the clock 1 s on each time */
	RAW_AEAD,   /* baseline: libsodium ChaCha20-Poly1305, OUT_LEN bytes */
	OUTPUT,	    /* sr_output_build of OUT_LEN bytes */
};

struct job {
	enum kind kind;
	const uint8_t *d; /* SAME, and the bytes the baselines MAC */
	size_t len;	  /* SAME: datagram; baselines: the MAC'd body */
	uint64_t now;
	const uint8_t *prime; /* SAME: recorded first (DUPLICATE, REPLAY) */
	uint64_t allow;	      /* FRESH_REQS: the key's allow-list */
	size_t fresh_len;
};

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
	return sr_build_request(&mac, key.key_id, epoch, ts, nb, flags,
				(const uint8_t *)keys, (uint8_t)strlen(keys),
				out);
}

/* OUT_LEN bytes in CHUNK pieces, as the module would seal them raw. */
static void raw_aead(const uint8_t ko[32])
{
	uint8_t npub[crypto_aead_chacha20poly1305_IETF_NPUBBYTES] = { 0 };
	static uint8_t ct[SR_CHUNK + SR_TAG_LEN];
	uint8_t ad[SR_OUT_HDR_LEN] = { 0 };

	for (size_t off = 0; off < OUT_LEN; off += SR_CHUNK) {
		npub[4] = (uint8_t)(off / SR_CHUNK);
		crypto_aead_chacha20poly1305_ietf_encrypt(
			ct, NULL, text + off, SR_CHUNK, ad, sizeof(ad), NULL,
			npub, ko);
		sink += ct[0];
	}
}

/* One round of `iters` operations; returns its operations per second. */
static double run(const struct job *j, size_t iters)
{
	crypto_auth_hmacsha256_state keyed, st;
	uint8_t out[32], buf[SR_ANSWER_MAX], ko[32];
	struct sr_answer ans = { .buf = buf };
	const struct sr_source src = { .family = 4, .port = 9 };
	uint64_t saved = key.allow;
	size_t i;
	double t;

	sr_record_init(&rec, key.key_id, epoch);
	memset(ko, 0x17, sizeof(ko));
	crypto_auth_hmacsha256_init(&keyed, raw_key, sizeof(raw_key));
	if (j->kind == SAME && j->prime)
		sr_handle(j->prime, j->len, &src, &key, j->now, SR_ALL_KEYS,
			  &ans);
	if (j->kind == FRESH_REQS)
		key.allow = j->allow;
	t = now_s();
	switch (j->kind) {
	case RAW_HMAC:
		for (i = 0; i < iters; i++) {
			crypto_auth_hmacsha256(out, j->d, j->len, raw_key);
			sink += out[0];
		}
		break;
	case KEYED_HMAC:
		for (i = 0; i < iters; i++) {
			st = keyed;
			crypto_auth_hmacsha256_update(&st, j->d, j->len);
			crypto_auth_hmacsha256_final(&st, out);
			sink += out[0];
		}
		break;
	case SAME:
		for (i = 0; i < iters; i++) {
			sr_handle(j->d, j->len, &src, &key, j->now, SR_ALL_KEYS,
				  &ans);
			sink += ans.verdict;
		}
		break;
	case FRESH_REQS:
		for (i = 0; i < iters; i++) {
			sr_handle(fresh[i % FRESH], j->fresh_len, &src, &key,
				  T0, SR_ALL_KEYS, &ans);
			sink += ans.verdict;
		}
		break;
	case TIME_CLOCK:
		for (i = 0; i < iters; i++) {
			sr_handle(j->d, j->len, &src, &key,
				  j->now + i * SR_NSEC_PER_SEC, SR_ALL_KEYS,
				  &ans);
			sink += ans.len;
		}
		break;
	case RAW_AEAD:
		for (i = 0; i < iters; i++)
			raw_aead(ko);
		break;
	case OUTPUT:
		for (i = 0; i < iters; i++) {
			sr_output_build(output, &mac, epoch, j->d, j->len, text,
					OUT_LEN);
			sink += output->chunk[0].dgram[40];
		}
		break;
	}
	t = now_s() - t;
	key.allow = saved;
	sr_wipe(ko, sizeof(ko));
	return (double)iters / t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static struct job raw_job, keyed_job;

/* A class on its own (too cheap to hold against an HMAC): median rate. */
static void row_alone(const char *name, const struct job *j)
{
	double rate[ROUNDS], m;
	int r;

	for (r = 0; r < ROUNDS; r++)
		rate[r] = run(j, CHEAP_ITERS);
	m = median(rate, ROUNDS);
	printf("%-26s %9.2f M/s %8.1f ns\n", name, m / 1e6, 1e9 / m);
}

/*
 * A class against both baselines, in rounds of three measurements whose
 * order flips every round; each ratio is the median of the per-round
 * ratios, the rate the median of the rounds.
 */
static void row_paired(const char *name, const struct job *j)
{
	double rate[ROUNDS], vs_raw[ROUNDS], vs_keyed[ROUNDS], m;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		double s, a, k;

		if (r % 2) {
			s = run(j, COSTLY);
			k = run(&keyed_job, COSTLY);
			a = run(&raw_job, COSTLY);
		} else {
			a = run(&raw_job, COSTLY);
			k = run(&keyed_job, COSTLY);
			s = run(j, COSTLY);
		}
		rate[r] = s;
		vs_raw[r] = s / a;
		vs_keyed[r] = s / k;
	}
	m = median(rate, ROUNDS);
	printf("%-26s %9.2f M/s %8.1f ns   %5.2fx one-shot  %5.2fx keyed\n",
	       name, m / 1e6, 1e9 / m, median(vs_raw, ROUNDS),
	       median(vs_keyed, ROUNDS));
}

/*
 * The output encryption rate: sr_output_build against raw ChaCha20-Poly1305
 * of the same chunks, alternating as row_paired does.
 */
static void row_output(const uint8_t *req, size_t req_len)
{
	const struct job sub = { .kind = OUTPUT, .d = req, .len = req_len };
	const struct job base = { .kind = RAW_AEAD };
	double rate[ROUNDS], brate[ROUNDS], ratio[ROUNDS], m;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		double s, b;

		if (r % 2) {
			s = run(&sub, OUT_ITERS);
			b = run(&base, OUT_ITERS);
		} else {
			b = run(&base, OUT_ITERS);
			s = run(&sub, OUT_ITERS);
		}
		rate[r] = s * OUT_LEN;
		brate[r] = b * OUT_LEN;
		ratio[r] = s / b;
	}
	m = median(rate, ROUNDS);
	printf("%-26s %9.1f MB/s (%d KiB outputs)   %5.2fx raw AEAD "
	       "(%.1f MB/s)\n",
	       "output (sr_output_build)", m / 1e6, OUT_LEN / 1024,
	       median(ratio, ROUNDS), median(brate, ROUNDS) / 1e6);
}

static void machine(void)
{
	double load[3] = { 0, 0, 0 };
	cpu_set_t set;
	int aff = 0;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		aff = CPU_COUNT(&set);
	if (getloadavg(load, 3) < 3)
		load[0] = load[1] = load[2] = -1;
	printf("machine: %ld CPUs online, %d usable here; load average %.2f "
	       "%.2f %.2f (others' work shares these CPUs)\n",
	       sysconf(_SC_NPROCESSORS_ONLN), aff, load[0], load[1], load[2]);
}

int main(void)
{
	uint8_t d[SR_REQ_MAX_LEN], bad_magic[SR_REQ_MAX_LEN];
	uint8_t other_key[SR_REQ_MAX_LEN], bad_mac[SR_REQ_MAX_LEN];
	uint8_t older[SR_REQ_MAX_LEN], tm[SR_TIME_LEN], nonce[SR_NONCE_LEN];
	uint8_t mac_in[SR_EPOCH_LEN + SR_REQ_MAX_LEN];
	size_t len, body, i;

	if (sodium_init() < 0)
		return 1;
	memset(raw_key, 0x42, sizeof(raw_key));
	memset(epoch, 0xe7, sizeof(epoch));
	sr_mac_key_init(&mac, raw_key);
	key.mac_ctx = &mac;
	key.tolerance = SR_TOLERANCE_DEFAULT;
	key.allow = SR_ALL_KEYS;
	key.rec = &rec;
	sr_key_id(&mac, key.key_id);
	for (i = 0; i < OUT_LEN; i++)
		text[i] = (uint8_t)(' ' + i % 90);
	output = calloc(1, sizeof(*output) + sr_output_chunks(OUT_LEN) *
						     sizeof(output->chunk[0]));
	if (!output)
		return 1;

	len = request(T0, 1, 0, "sub", d);
	/* The MAC of a v2 request covers the epoch and the body. */
	body = SR_EPOCH_LEN + len - SR_MAC_LEN;
	memcpy(mac_in, epoch, SR_EPOCH_LEN);
	memcpy(mac_in + SR_EPOCH_LEN, d, len - SR_MAC_LEN);
	raw_job = (struct job){ .kind = RAW_HMAC, .d = mac_in, .len = body };
	keyed_job =
		(struct job){ .kind = KEYED_HMAC, .d = mac_in, .len = body };
	memcpy(bad_magic, d, len);
	bad_magic[0] = 'X';
	memcpy(other_key, d, len);
	other_key[4] ^= 1;
	memcpy(bad_mac, d, len);
	bad_mac[len - 1] ^= 1;
	request(T0 - 1, 2, 0, "sub", older);

	machine();
	printf("nft_sysrq core, one thread, 3-key requests (%zu bytes); %d "
	       "rounds per row,\nbaselines and subject alternating in each "
	       "round; rate: median of rounds;\nratios: median of per-round "
	       "ratios to libsodium HMAC-SHA256 of the same bytes\n",
	       len, ROUNDS);
	{
		double a[ROUNDS], k[ROUNDS];
		int r;

		for (r = 0; r < ROUNDS; r++) {
			a[r] = run(&raw_job, COSTLY);
			k[r] = run(&keyed_job, COSTLY);
		}
		printf("%-26s %9.2f M/s %8.1f ns\n", "libsodium HMAC one-shot",
		       median(a, ROUNDS) / 1e6, 1e9 / median(a, ROUNDS));
		printf("%-26s %9.2f M/s %8.1f ns\n",
		       "libsodium HMAC keyed state", median(k, ROUNDS) / 1e6,
		       1e9 / median(k, ROUNDS));
	}
	row_alone("MALFORMED (bad magic)",
		  &(struct job){ SAME, bad_magic, len, T0, NULL, 0, 0 });
	row_alone("MALFORMED (short)",
		  &(struct job){ SAME, d, len - 1, T0, NULL, 0, 0 });
	row_alone("UNKNOWN_KEY",
		  &(struct job){ SAME, other_key, len, T0, NULL, 0, 0 });
	row_alone("STALE",
		  &(struct job){ SAME, d, len, T0 + 31 * SR_NSEC_PER_SEC, NULL,
				 0, 0 });
	row_paired("BAD_MAC",
		   &(struct job){ SAME, bad_mac, len, T0, NULL, 0, 0 });
	row_paired("DUPLICATE (no ACK)",
		   &(struct job){ SAME, d, len, T0, d, 0, 0 });
	/* REPLAY: older than the last recorded request. */
	row_paired("REPLAY", &(struct job){ SAME, older, len, T0, d, 0, 0 });
	for (i = 0; i < FRESH; i++)
		request(T0 + 1 + i, (uint32_t)i, 0, "sub", fresh[i]);
	row_paired("REFUSED (no ACK)",
		   &(struct job){ FRESH_REQS, NULL, 0, T0, NULL,
				  sr_key_bit('s'), len });
	row_paired("ACCEPTED (no ACK)",
		   &(struct job){ FRESH_REQS, NULL, 0, T0, NULL, SR_ALL_KEYS,
				  len });
	for (i = 0; i < FRESH; i++)
		request(T0 + 1 + i, (uint32_t)i, SR_FLAG_ACK, "sub", fresh[i]);
	row_paired("ACCEPTED + ACK built",
		   &(struct job){ FRESH_REQS, NULL, 0, T0, NULL, SR_ALL_KEYS,
				  len });
	/* The CLOCK path: TIME verified (1 HMAC), CLOCK built (1 HMAC). */
	memset(nonce, 0x33, sizeof(nonce));
	sr_build_time(&mac, key.key_id, T0, nonce, tm);
	row_paired(
		"TIME -> CLOCK (2 HMACs)",
		&(struct job){ TIME_CLOCK, tm, SR_TIME_LEN, T0, NULL, 0, 0 });
	request(T0, 7, SR_FLAG_ACK | SR_FLAG_REPORT, "t", d);
	row_output(d, SR_REQ_LEN(1));
	free(output);
	sr_mac_key_wipe(&mac);
	return 0;
}
