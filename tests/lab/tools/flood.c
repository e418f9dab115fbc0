// SPDX-License-Identifier: GPL-2.0
/*
 * flood: one datagram to 127.0.0.1:PORT over and over, as fast as
 * sendmmsg() takes it, for a benchmark of the input path (bench/lab).
 *
 *   flood [-n MAX] [-t SECONDS] [-c CPU] [-b BATCH] [-p PORT]
 *         (-x HEX | -f FILE)
 *
 * Sends the payload (hex on the command line, or a file's raw bytes) until
 * MAX datagrams went or SECONDS passed, whichever comes first (defaults
 * 10,000,000 and 10 s; at most 1,000,000,000 and 600 s), in batches of
 * BATCH (default 64). -c pins it to one CPU. On loopback the receiving
 * side (netfilter's input hook included) runs in this process's softirq
 * on the same CPU, so the loop's time is the whole path's cost.
 *
 * Prints one line:
 *   sent N wall_ns W cpu_ns C ns_per_dgram P backlog_drops D still_queued Q
 *   errors E cpu K
 * wall_ns is CLOCK_MONOTONIC around the loop and the wait, after it, until
 * this CPU's backlog is empty (ksoftirqd may have taken the softirq over;
 * at most 5 s), cpu_ns the process's CPU time in that span, D the growth
 * of the kernel's backlog drop count (/proc/net/softnet_stat, all CPUs:
 * datagrams that never reached the input hook), P = W / (N - D), Q what
 * was still queued when it stopped waiting (0 normally), E the sendmmsg()
 * calls that failed with a transient error, K the CPU it ended on. Replies
 * are not read. Built static for the guest.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "labhex.h"

#define DG_MAX	  1400
#define BATCH_MAX 256

static void usage(void)
{
	fprintf(stderr,
		"usage: flood [-n MAX] [-t SECONDS] [-c CPU] [-b BATCH] "
		"[-p PORT] (-x HEX | -f FILE)\n");
	exit(2);
}

static long read_file(const char *path, unsigned char *out, size_t max)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t r;

	if (fd < 0)
		return -1;
	while (len <= max && (r = read(fd, out + len, max + 1 - len)) > 0)
		len += (size_t)r;
	close(fd);
	return len > max ? -1 : (long)len;
}

/*
 * /proc/net/softnet_stat, one line per CPU: the sum of the "dropped" column
 * (the second) over every CPU, and in *queued the backlog length (the
 * twelfth column) of the CPU whose index (the thirteenth) is cpu.
 */
static unsigned long long softnet(int cpu, unsigned int *queued)
{
	FILE *f = fopen("/proc/net/softnet_stat", "r");
	unsigned long long sum = 0;
	unsigned int c[13];
	char line[256];

	*queued = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%x %x %x %x %x %x %x %x %x %x %x %x %x",
			   &c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6],
			   &c[7], &c[8], &c[9], &c[10], &c[11], &c[12]) < 2)
			continue;
		sum += c[1];
		if ((int)c[12] == cpu)
			*queued = c[11];
	}
	fclose(f);
	return sum;
}

static long long ns_of(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static long num(const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	static unsigned char payload[DG_MAX + 1];
	static struct mmsghdr msgs[BATCH_MAX];
	static struct iovec iov;
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct timespec w0, w1, c0, c1;
	long max = 10000000, secs = 10, batch = 64, cpu = -1, port = 9;
	long len = -1, sent = 0, errors = 0;
	unsigned long long d0, drops;
	unsigned int queued;
	int opt, s;

	while ((opt = getopt(argc, argv, "n:t:c:b:p:x:f:")) != -1) {
		switch (opt) {
		case 'n':
			max = num(optarg, 1, 1000000000);
			break;
		case 't':
			secs = num(optarg, 1, 600);
			break;
		case 'c':
			cpu = num(optarg, 0, CPU_SETSIZE - 1);
			break;
		case 'b':
			batch = num(optarg, 1, BATCH_MAX);
			break;
		case 'p':
			port = num(optarg, 1, 65535);
			break;
		case 'x':
			len = lab_unhex(optarg, payload, DG_MAX);
			break;
		case 'f':
			len = read_file(optarg, payload, DG_MAX);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || len < 0)
		usage();

	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET((int)cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			perror("flood: sched_setaffinity");
			return 1;
		}
	}
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	dst.sin_port = htons((uint16_t)port);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&dst, sizeof(dst))) {
		perror("flood: socket");
		return 1;
	}
	iov.iov_base = payload;
	iov.iov_len = (size_t)len;
	for (long i = 0; i < batch; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}

	d0 = softnet(-1, &queued);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	clock_gettime(CLOCK_MONOTONIC, &w0);
	for (;;) {
		long n = max - sent < batch ? max - sent : batch;
		int r;

		clock_gettime(CLOCK_MONOTONIC, &w1);
		if (n == 0 || ns_of(&w1) - ns_of(&w0) >= secs * 1000000000LL)
			break;
		r = sendmmsg(s, msgs, (unsigned int)n, 0);
		if (r < 0) {
			if (errno != ENOBUFS && errno != EAGAIN &&
			    errno != ECONNREFUSED && errno != EINTR) {
				perror("flood: sendmmsg");
				return 1;
			}
			errors++;
			continue;
		}
		sent += r;
	}
	/*
	 * Datagrams still queued for this CPU's softirq (ksoftirqd took over
	 * when it ran long) are part of the work: wait for them, 5 s at most.
	 */
	for (int i = 0; i < 50000; i++) {
		const struct timespec tick = { .tv_nsec = 100000 };

		softnet(sched_getcpu(), &queued);
		if (!queued)
			break;
		nanosleep(&tick, NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &w1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);

	long long wall = ns_of(&w1) - ns_of(&w0);

	drops = softnet(-1, &queued) - d0;
	printf("sent %ld wall_ns %lld cpu_ns %lld ns_per_dgram %lld "
	       "backlog_drops %llu still_queued %u errors %ld cpu %d\n",
	       sent, wall, ns_of(&c1) - ns_of(&c0),
	       sent > (long)drops ? wall / (sent - (long)drops) : 0, drops,
	       queued, errors, sched_getcpu());
	return 0;
}
