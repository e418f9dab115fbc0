// SPDX-License-Identifier: GPL-2.0
/*
 * sr-udp-proxy: a one-client UDP relay between sysrqctl and sysrq-testd
 * that loses, duplicates, reorders and delays datagrams on purpose.
 * "req" is client -> server, "ack" is server -> client.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "relay.h"

#define QMAX		512
#define DGRAM_MAX	2048
#define REORDER_HOLD_NS 300000000ULL /* flush a held datagram after this */

enum { REQ, ACK };
static const char *const dir_name[] = { "req", "ack" };

struct pending {
	uint64_t due;
	int dir;
	size_t len;
	uint8_t data[DGRAM_MAX];
};

struct rules {
	unsigned long drop_first[2], drop_every[2];
	/* Drop the nth reply of this datagram type (0: none). */
	unsigned long drop_type, drop_type_nth, seen_type;
	bool dup[2], reorder;
	uint64_t delay;
};

static struct pending queue[QMAX];
static size_t qlen;
static struct pending held[2];
static bool has_held[2];
static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* Insert keeping due order; equal due times stay first-in first-out. */
static void enqueue(const struct pending *p)
{
	size_t i = qlen;

	if (qlen == QMAX)
		return;
	while (i > 0 && queue[i - 1].due > p->due) {
		queue[i] = queue[i - 1];
		i--;
	}
	queue[i] = *p;
	qlen++;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: sr-udp-proxy --listen ADDR:PORT --to ADDR:PORT "
		   "[rules]\n"
		   "  --drop-req-first N   drop the first N requests\n"
		   "  --drop-req-every K   drop every K-th request\n"
		   "  --drop-ack-first N   drop the first N replies\n"
		   "  --drop-ack-every K   drop every K-th reply\n"
		   "  --drop-reply-type T:N drop the N-th reply of type T "
		   "(2 ACK, 5 REPORT, ...)\n"
		   "  --dup-req, --dup-ack send each datagram twice\n"
		   "  --delay MS           delay every datagram\n"
		   "  --reorder            hold each datagram until the next "
		   "one in\n"
		   "                       its direction, then send the newer "
		   "first\n"
		   "  --port-file FILE, --log FILE, --max-seconds N\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "to", required_argument, NULL, 't' },
		{ "drop-req-first", required_argument, NULL, 1 },
		{ "drop-req-every", required_argument, NULL, 2 },
		{ "drop-ack-first", required_argument, NULL, 3 },
		{ "drop-ack-every", required_argument, NULL, 4 },
		{ "drop-reply-type", required_argument, NULL, 9 },
		{ "dup-req", no_argument, NULL, 5 },
		{ "dup-ack", no_argument, NULL, 6 },
		{ "delay", required_argument, NULL, 7 },
		{ "reorder", no_argument, NULL, 8 },
		{ "port-file", required_argument, NULL, 'F' },
		{ "log", required_argument, NULL, 'L' },
		{ "max-seconds", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct udp_addr listen_at, to, client, src;
	struct rules r = { 0 };
	unsigned long seen[2] = { 0 }, max_s = 30;
	const char *port_file = NULL;
	bool have_listen = false, have_to = false, have_client = false;
	FILE *log = stdout;
	struct pollfd pfd[2];
	struct pending p;
	uint64_t deadline, now, wait;
	uint16_t port;
	int c, fds[2], i, d;
	ssize_t len;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			have_listen = addr_parse(optarg, &listen_at) == 0;
			break;
		case 't':
			have_to = addr_parse(optarg, &to) == 0;
			break;
		case 1:
		case 2:
		case 3:
		case 4: {
			unsigned long v = strtoul(optarg, NULL, 10);

			if (c == 1 || c == 3)
				r.drop_first[c == 3] = v;
			else
				r.drop_every[c == 4] = v;
			break;
		}
		case 5:
			r.dup[REQ] = true;
			break;
		case 6:
			r.dup[ACK] = true;
			break;
		case 7:
			r.delay = strtoull(optarg, NULL, 10) * 1000000ULL;
			break;
		case 8:
			r.reorder = true;
			break;
		case 9:
			if (sscanf(optarg, "%lu:%lu", &r.drop_type,
				   &r.drop_type_nth) != 2) {
				usage(stderr);
				return 2;
			}
			break;
		case 'F':
			port_file = optarg;
			break;
		case 'L':
			log = fopen(optarg, "a");
			if (!log) {
				perror(optarg);
				return 2;
			}
			break;
		case 'M':
			max_s = strtoul(optarg, NULL, 10);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!have_listen || !have_to || optind != argc) {
		usage(stderr);
		return 2;
	}
	fds[0] = udp_bind(&listen_at, &port);
	fds[1] = udp_bind_any_port(&to);
	if (fds[0] < 0 || fds[1] < 0) {
		perror("sr-udp-proxy: bind");
		return 1;
	}
	if (port_file && write_port_file(port_file, port) < 0)
		return 1;
	fprintf(log, "proxy port %u\n", port);
	fflush(log);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	pfd[0] = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = fds[1], .events = POLLIN };
	deadline = mono_ns() + max_s * 1000000000ULL;

	while (!stop && (now = mono_ns()) < deadline) {
		/* Send what is due. */
		while (qlen && queue[0].due <= now) {
			p = queue[0];
			memmove(queue, queue + 1,
				(qlen - 1) * sizeof(queue[0]));
			qlen--;
			if (p.dir == REQ)
				sendto(fds[1], p.data, p.len, 0,
				       (struct sockaddr *)&to.ss, to.len);
			else if (have_client)
				sendto(fds[0], p.data, p.len, 0,
				       (struct sockaddr *)&client.ss,
				       client.len);
		}
		for (d = 0; d < 2; d++)
			if (has_held[d] && held[d].due <= now) {
				held[d].due = now;
				enqueue(&held[d]);
				has_held[d] = false;
				fprintf(log, "%s flush held\n", dir_name[d]);
			}
		wait = deadline - now;
		if (qlen && queue[0].due - now < wait)
			wait = queue[0].due > now ? queue[0].due - now : 0;
		for (d = 0; d < 2; d++)
			if (has_held[d] && held[d].due - now < wait)
				wait = held[d].due > now ? held[d].due - now :
							   0;
		if (poll(pfd, 2, (int)(wait / 1000000ULL) + 1) < 0 &&
		    errno != EINTR)
			break;
		for (i = 0; i < 2; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			src.len = sizeof(src.ss);
			len = recvfrom(fds[i], p.data, sizeof(p.data), 0,
				       (struct sockaddr *)&src.ss, &src.len);
			if (len < 0)
				continue;
			if (i == 0) {
				client = src;
				have_client = true;
			} else if (!addr_eq(&src, &to)) {
				continue;
			}
			d = i == 0 ? REQ : ACK;
			seen[d]++;
			/* The type byte of the protocol's header. */
			if (d == ACK && r.drop_type && len > 3 &&
			    p.data[3] == r.drop_type &&
			    ++r.seen_type == r.drop_type_nth) {
				fprintf(log, "%s #%lu drop (type %lu #%lu)\n",
					dir_name[d], seen[d], r.drop_type,
					r.seen_type);
				fflush(log);
				continue;
			}
			if (seen[d] <= r.drop_first[d] ||
			    (r.drop_every[d] &&
			     seen[d] % r.drop_every[d] == 0)) {
				fprintf(log, "%s #%lu drop\n", dir_name[d],
					seen[d]);
				fflush(log);
				continue;
			}
			p.dir = d;
			p.len = (size_t)len;
			p.due = mono_ns() + r.delay;
			fprintf(log, "%s #%lu forward%s\n", dir_name[d],
				seen[d], r.dup[d] ? " twice" : "");
			fflush(log);
			if (r.reorder && !has_held[d]) {
				held[d] = p;
				held[d].due = mono_ns() + REORDER_HOLD_NS;
				has_held[d] = true;
				if (r.dup[d]) {
					enqueue(&p);
				}
				continue;
			}
			enqueue(&p);
			if (r.dup[d])
				enqueue(&p);
			if (has_held[d]) {
				/* The newer one is queued first: swapped. */
				held[d].due = p.due;
				enqueue(&held[d]);
				has_held[d] = false;
				fprintf(log, "%s swapped with held\n",
					dir_name[d]);
			}
		}
	}
	fprintf(log, "proxy done req=%lu ack=%lu\n", seen[REQ], seen[ACK]);
	fflush(log);
	return 0;
}
