// SPDX-License-Identifier: GPL-2.0
/*
 * dgfuzz: datagrams for a sysrq rule at full speed, bounded in count and
 * time: random bytes of random lengths and mutations of a valid request
 * (bit flips, changed bytes, truncation, extension, the request itself),
 * in batches of sendmmsg(). Prints "sent N seed M" (M: copies of the
 * unchanged request among them) and exits 0. Replies are not read.
 *
 *   dgfuzz [-n MAX] [-t SECONDS] [-s SEED] ADDR PORT REQUEST_HEX
 *
 * The same SEED gives the same datagrams. SIGTERM ends it early, still
 * printing the counts. Built static for the lab guest.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "labhex.h"

#define DG_MAX 512
#define BATCH  64

static uint64_t rng;
static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* xorshift64*: reproducible, and fast enough to stay out of the way. */
static uint64_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

/* Values where parsers tend to slip: ends of ranges, lengths around 32. */
static const unsigned char edges[] = { 0, 1, 0x7f, 0x80, 0xff, 32, 33 };

/* One datagram into out; returns its length; *is_seed when unchanged. */
static size_t make(const unsigned char *seed, size_t slen, unsigned char *out,
		   int *is_seed)
{
	size_t len = slen, i;
	unsigned int k = (unsigned int)(next() % 8);

	*is_seed = 0;
	memcpy(out, seed, slen);
	switch (k) {
	case 0: /* random bytes, random length */
		len = (size_t)(next() % DG_MAX);
		for (i = 0; i < len; i++)
			out[i] = (unsigned char)next();
		break;
	case 1: /* one bit flipped */
		out[next() % slen] ^= (unsigned char)(1u << (next() % 8));
		break;
	case 2: /* a few bytes replaced */
		for (i = 0; i < 1 + next() % 4; i++)
			out[next() % slen] = (unsigned char)next();
		break;
	case 3: /* truncated */
		len = (size_t)(next() % slen);
		break;
	case 4: /* extended with random bytes */
		len = slen + 1 + (size_t)(next() % (DG_MAX - slen - 1));
		for (i = slen; i < len; i++)
			out[i] = (unsigned char)next();
		break;
	case 5: /* a header field (first 32 bytes) set to an edge value */
		out[next() % 32] = edges[next() % sizeof(edges)];
		break;
	case 6: /* the keys and MAC of another length */
		out[31 % slen] = (unsigned char)(next() % 40);
		break;
	default: /* the valid request itself */
		*is_seed = 1;
		break;
	}
	return len;
}

static void usage(void)
{
	fprintf(stderr, "usage: dgfuzz [-n MAX] [-t SECONDS] [-s SEED] ADDR "
			"PORT REQUEST_HEX\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static unsigned char bufs[BATCH][DG_MAX];
	int is_seed[BATCH];
	unsigned char seed[DG_MAX];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	long max = 100000, secs = 10, sent = 0, seeds = 0;
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct timespec t0, t;
	long slen;
	int opt, s;

	rng = 0x5eed;
	while ((opt = getopt(argc, argv, "n:t:s:")) != -1) {
		char *end;
		long v = strtol(optarg, &end, 10);

		if (*end || v <= 0)
			usage();
		if (opt == 'n')
			max = v;
		else if (opt == 't')
			secs = v;
		else if (opt == 's')
			rng = (uint64_t)v;
		else
			usage();
	}
	if (argc - optind != 3 || max > 100000000 || secs > 3600)
		usage();
	if (inet_pton(AF_INET, argv[optind], &dst.sin_addr) != 1)
		usage();
	dst.sin_port = htons((uint16_t)atoi(argv[optind + 1]));
	slen = lab_unhex(argv[optind + 2], seed, sizeof(seed));
	if (slen < 33 || slen > DG_MAX - 2)
		usage();
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&dst, sizeof(dst))) {
		perror("dgfuzz: socket");
		return 1;
	}

	signal(SIGTERM, on_term);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!stop) {
		int n = 0, r;

		clock_gettime(CLOCK_MONOTONIC, &t);
		if (sent >= max || t.tv_sec - t0.tv_sec >= secs)
			break;
		for (; n < BATCH && sent + n < max; n++) {
			iov[n].iov_base = bufs[n];
			iov[n].iov_len =
				make(seed, (size_t)slen, bufs[n], &is_seed[n]);
			memset(&msgs[n], 0, sizeof(msgs[n]));
			msgs[n].msg_hdr.msg_iov = &iov[n];
			msgs[n].msg_hdr.msg_iovlen = 1;
		}
		/* A full socket buffer only slows us down: count what went. */
		r = sendmmsg(s, msgs, (unsigned int)n, 0);
		if (r < 0 && errno != ENOBUFS && errno != ECONNREFUSED &&
		    errno != EINTR && errno != EAGAIN) {
			perror("dgfuzz: sendmmsg");
			return 1;
		}
		for (int i = 0; i < r; i++)
			seeds += is_seed[i];
		if (r > 0)
			sent += r;
	}
	printf("sent %ld seed %ld\n", sent, seeds);
	return 0;
}
