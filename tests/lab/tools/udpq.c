// SPDX-License-Identifier: GPL-2.0
/*
 * udpq: send hand-built UDP datagrams (given in hex) to ADDR PORT, IPv4 or
 * IPv6, and print every reply in hex, one per line, until -w replies have
 * arrived or -t milliseconds passed without one. busybox's nc has no UDP;
 * this is the lab's tool for it, built static for the guest and for the host.
 *
 *   udpq [-t MS] [-n COPIES] [-w REPLIES] [-s SRCPORT] ADDR PORT HEX...
 *
 * Each HEX datagram is sent COPIES times (default 1), in order. Exit 0, or
 * 3 when -w was given and fewer replies came, 2 on bad arguments.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "labhex.h"

#define DGRAM_MAX 65535

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void usage(void)
{
	fprintf(stderr, "usage: udpq [-t MS] [-n COPIES] [-w REPLIES] [-s "
			"SRCPORT] ADDR PORT HEX...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	long timeout_ms = 2000, copies = 1, want = -1, srcport = 0;
	int opt;

	while ((opt = getopt(argc, argv, "t:n:w:s:")) != -1) {
		char *end;
		long v = strtol(optarg, &end, 10);

		if (*end || v < 0)
			usage();
		switch (opt) {
		case 't':
			timeout_ms = v;
			break;
		case 'n':
			copies = v;
			break;
		case 'w':
			want = v;
			break;
		case 's':
			srcport = v;
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 3 || copies > 100000 || srcport > 65535)
		usage();

	struct sockaddr_storage dst = { 0 }, src = { 0 };
	socklen_t dlen;
	const char *addr = argv[optind];
	long port = strtol(argv[optind + 1], NULL, 10);
	struct sockaddr_in *d4 = (struct sockaddr_in *)&dst;
	struct sockaddr_in6 *d6 = (struct sockaddr_in6 *)&dst;

	if (port <= 0 || port > 65535)
		usage();
	if (inet_pton(AF_INET, addr, &d4->sin_addr) == 1) {
		d4->sin_family = AF_INET;
		d4->sin_port = htons((uint16_t)port);
		dlen = sizeof(*d4);
	} else if (inet_pton(AF_INET6, addr, &d6->sin6_addr) == 1) {
		d6->sin6_family = AF_INET6;
		d6->sin6_port = htons((uint16_t)port);
		dlen = sizeof(*d6);
	} else {
		fprintf(stderr, "udpq: not an IPv4 or IPv6 address: %s\n",
			addr);
		return 2;
	}
	int s = socket(dst.ss_family, SOCK_DGRAM, 0);

	if (s < 0) {
		perror("udpq: socket");
		return 1;
	}
	src.ss_family = dst.ss_family;
	if (dst.ss_family == AF_INET)
		((struct sockaddr_in *)&src)->sin_port =
			htons((uint16_t)srcport);
	else
		((struct sockaddr_in6 *)&src)->sin6_port =
			htons((uint16_t)srcport);
	if (bind(s, (struct sockaddr *)&src, dlen)) {
		perror("udpq: bind");
		return 1;
	}

	static unsigned char buf[DGRAM_MAX];
	for (int i = optind + 2; i < argc; i++) {
		long len = lab_unhex(argv[i], buf, sizeof(buf));

		if (len < 0) {
			fprintf(stderr,
				"udpq: bad hex datagram (argument %d)\n",
				i - optind - 1);
			return 2;
		}
	}
	for (int i = optind + 2; i < argc; i++) {
		long len = lab_unhex(argv[i], buf, sizeof(buf));

		for (long c = 0; c < copies; c++)
			if (sendto(s, buf, (size_t)len, 0,
				   (struct sockaddr *)&dst, dlen) < 0 &&
			    errno != ECONNREFUSED) {
				perror("udpq: sendto");
				return 1;
			}
	}

	long got = 0;
	long long deadline = now_ms() + timeout_ms;

	while (want < 0 || got < want) {
		struct pollfd pfd = { .fd = s, .events = POLLIN };
		long long left = deadline - now_ms();

		if (left <= 0)
			break;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		ssize_t r = recv(s, buf, sizeof(buf), 0);

		if (r < 0)
			continue; /* e.g. ICMP port unreachable */
		for (ssize_t j = 0; j < r; j++)
			printf("%02x", buf[j]);
		printf("\n");
		fflush(stdout);
		got++;
		deadline = now_ms() + timeout_ms;
	}
	return want >= 0 && got < want ? 3 : 0;
}
