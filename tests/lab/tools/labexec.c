// SPDX-License-Identifier: GPL-2.0
/*
 * labexec: host side of `lab exec`. Sends one command (and, with -i, this
 * process's stdin) to the guest's labagent through the forwarded TCP port,
 * copies the command's stdout and stderr here, and exits with its status.
 * 124: timed out; 255: no answer from the agent (guest down or not ready).
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

#include "labproto.h"

#define EXIT_TIMEOUT 124
#define EXIT_NOAGENT 255

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read exactly len bytes before the deadline: 0, -1 on EOF/error, -2 on timeout. */
static int read_until(int fd, void *buf, size_t len, long long deadline)
{
	uint8_t *p = buf;

	while (len) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long long left = deadline - now_ms();

		if (left <= 0)
			return -2;
		int n = poll(&pfd, 1, (int)(left > 1000 ? 1000 : left));

		if (n < 0 && errno != EINTR)
			return -1;
		if (n <= 0)
			continue;
		ssize_t r = read(fd, p, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: labexec [-t SECONDS] [-i] PORT COMMAND...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int timeout_s = 300, with_stdin = 0, opt, ret;

	while ((opt = getopt(argc, argv, "+t:i")) != -1) {
		if (opt == 't')
			timeout_s = atoi(optarg);
		else if (opt == 'i')
			with_stdin = 1;
		else
			usage();
	}
	if (argc - optind < 2 || timeout_s <= 0)
		usage();
	int port = atoi(argv[optind++]);

	/* The command line, joined with spaces like ssh does. */
	size_t cmdlen = 0;

	for (int i = optind; i < argc; i++)
		cmdlen += strlen(argv[i]) + 1;
	char *cmd = calloc(1, cmdlen + 1);

	if (!cmd)
		return EXIT_NOAGENT;
	size_t at = 0;

	for (int i = optind; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (i > optind)
			cmd[at++] = ' ';
		memcpy(cmd + at, argv[i], n);
		at += n;
	}

	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons((uint16_t)port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr,
			"lab exec: cannot reach the guest agent on "
			"127.0.0.1:%d: %s\n",
			port, strerror(errno));
		free(cmd);
		return EXIT_NOAGENT;
	}
	if (send_frame(s, LAB_CMD, cmd, (uint32_t)strlen(cmd)))
		goto lost;
	if (with_stdin) {
		char buf[65536];
		ssize_t r;

		while ((r = read(0, buf, sizeof(buf))) > 0)
			if (send_frame(s, LAB_STDIN, buf, (uint32_t)r))
				goto lost;
	}
	if (send_frame(s, LAB_GO, "", 0))
		goto lost;

	long long deadline = now_ms() + timeout_s * 1000LL;
	static uint8_t buf[LAB_FRAME_MAX];

	for (;;) {
		uint8_t hdr[5];
		int r = read_until(s, hdr, sizeof(hdr), deadline);
		uint32_t len;

		if (r == -2)
			goto timeout;
		if (r)
			goto lost;
		len = (uint32_t)hdr[1] << 24 | hdr[2] << 16 | hdr[3] << 8 |
		      hdr[4];
		if (len > LAB_FRAME_MAX)
			goto lost;
		r = read_until(s, buf, len, deadline);
		if (r == -2)
			goto timeout;
		if (r)
			goto lost;
		if (hdr[0] == LAB_STDOUT)
			write_full(1, buf, len);
		else if (hdr[0] == LAB_STDERR)
			write_full(2, buf, len);
		else if (hdr[0] == LAB_EXIT && len == 4) {
			ret = (int)((uint32_t)buf[0] << 24 | buf[1] << 16 |
				    buf[2] << 8 | buf[3]) &
			      0xff;
			goto out;
		}
	}
timeout:
	fprintf(stderr, "lab exec: timed out after %d s: %s\n", timeout_s, cmd);
	ret = EXIT_TIMEOUT;
	goto out;
lost:
	fprintf(stderr, "lab exec: the guest agent closed the connection "
			"without an exit status\n");
	ret = EXIT_NOAGENT;
out:
	free(cmd);
	close(s);
	return ret;
}
