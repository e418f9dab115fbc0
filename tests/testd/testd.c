// SPDX-License-Identifier: GPL-2.0
/*
 * sysrq-testd: answers nft_sysrq requests on 127.0.0.1 and/or ::1 with the
 * protocol core's verdicts and ACKs, logs one line per datagram, records
 * what it would have executed, and prints its counters on SIGUSR1 and exit.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "testd.h"

/* Datagrams per socket judged after SIGTERM, before exiting. */
#define DRAIN_MAX 4096
/* Ready sockets taken per wakeup. */
#define EVENTS_MAX 256
/* --ports: at most this many (each on one or two sockets). */
#define PORTS_MAX 60000

static volatile sig_atomic_t got_usr1, got_term;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * SR_NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: sysrq-testd --key NAME:FILE[:ALLOW]... [options]\n"
		"A test server for sysrqctl send on loopback. Never touches "
		"sysrq.\n"
		"  -k, --key NAME:FILE[:ALLOW]  a key (repeatable, tried in "
		"order\n"
		"                               like rules); ALLOW: key "
		"characters\n"
		"                               or 'all' (default); give "
		"ALLOW when\n"
		"                               FILE contains a colon\n"
		"  -t, --tolerance SEC    clock tolerance (default 30)\n"
		"  -p, --port PORT        UDP port (0 = pick one; printed)\n"
		"      --ports N          N ports, from PORT on (PORT 0: each "
		"picked),\n"
		"                         one line each in --port-file: N "
		"hosts\n"
		"                         HOST:PORT in one process "
		"(default 1)\n"
		"  -4, -6                 listen on 127.0.0.1 or ::1 only "
		"(default both)\n"
		"      --enabled KEYS     keys the emulated kernel.sysrq "
		"permits (default all)\n"
		"      --clock-offset SEC this server's clock is SEC seconds "
		"ahead\n"
		"                         (negative: behind) of the "
		"machine's\n"
		"      --port-file FILE   write the port number to FILE\n"
		"      --log FILE         verdict lines to FILE (default "
		"stdout)\n"
		"      --exec-log FILE    append 'NAME KEYS' per executed "
		"request\n"
		"      --max-seconds N    exit after N seconds (default: "
		"never)\n"
		"  -h, --help             show this help\n"
		"SIGUSR1 prints the counters; SIGTERM/SIGINT judges what is "
		"queued,\n"
		"then exits printing them. The ACK of a datagram leaves "
		"after its\n"
		"--log and --exec-log lines are written.\n");
}

static void print_counters(FILE *log, const struct testd_keys *k,
			   const uint64_t *total, uint64_t acks)
{
	int v;
	size_t i;

	fprintf(log, "counters");
	for (v = 0; v < SR_OTHER_KEY; v++)
		fprintf(log, " %s=%llu", sr_verdict_name(v),
			(unsigned long long)total[v]);
	fprintf(log, " acks=%llu\n", (unsigned long long)acks);
	for (i = 0; i < k->n; i++) {
		fprintf(log, "counters key=%s", k->names[i]);
		for (v = SR_STALE; v <= SR_ACCEPTED; v++)
			fprintf(log, " %s=%llu", sr_verdict_name(v),
				(unsigned long long)k->count[i][v]);
		fprintf(log, "\n");
	}
	fflush(log);
}

static void addr_text(const struct sockaddr_storage *ss, socklen_t slen,
		      char *out, size_t len)
{
	char host[INET6_ADDRSTRLEN + 8] = "?", serv[8] = "?";

	getnameinfo((const struct sockaddr *)ss, slen, host, sizeof(host), serv,
		    sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV);
	if (ss->ss_family == AF_INET6)
		snprintf(out, len, "[%s]:%s", host, serv);
	else
		snprintf(out, len, "%s:%s", host, serv);
}

struct testd {
	struct testd_keys keys;
	uint64_t enabled;
	int64_t clock_offset; /* ns added to CLOCK_REALTIME */
	uint64_t total[SR_VERDICT_COUNT];
	uint64_t acks;
	FILE *log, *exec_log;
};

/* One datagram from fd, if one is waiting; false when none was. */
static bool handle(struct testd *d, int fd)
{
	uint8_t buf[2048], ack[SR_MAX_LEN];
	struct sockaddr_storage src = { 0 };
	socklen_t slen = sizeof(src);
	struct sr_request req;
	enum sr_verdict v;
	size_t ack_len = 0;
	char from[80];
	ssize_t len;
	uint64_t now;
	int ki;

	len = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
		       (struct sockaddr *)&src, &slen);
	if (len < 0)
		return false;
	now = clock_ns(CLOCK_REALTIME) + (uint64_t)d->clock_offset;
	v = sr_server_verdict(buf, (size_t)len, d->keys.keys, d->keys.replay,
			      d->keys.n, now, d->enabled, ack, &ack_len);
	d->total[v]++;
	ki = keys_find(&d->keys, buf, (size_t)len);
	if (ki >= 0)
		d->keys.count[ki][v]++;
	addr_text(&src, slen, from, sizeof(from));
	fprintf(d->log, "t=%llu from=%s len=%zd verdict=%s",
		(unsigned long long)now, from, len, sr_verdict_name(v));
	if (sr_parse(buf, (size_t)len, &req))
		fprintf(d->log, " key=%s ts=%llu keys=%.*s",
			ki >= 0 ? d->keys.names[ki] : "-",
			(unsigned long long)req.timestamp, (int)req.n,
			(const char *)req.keys);
	if (ack_len)
		fprintf(d->log, " ack=%u", ack[28]);
	fprintf(d->log, "\n");
	fflush(d->log);
	if (v == SR_ACCEPTED && d->exec_log) {
		fprintf(d->exec_log, "%s %.*s\n",
			ki >= 0 ? d->keys.names[ki] : "-", (int)req.n,
			(const char *)req.keys);
		fflush(d->exec_log);
	}
	/*
	 * The ACK leaves last: a client that has its answer finds the
	 * datagram in --log and --exec-log, with no race against the tests.
	 */
	if (ack_len && sendto(fd, ack, ack_len, 0, (struct sockaddr *)&src,
			      slen) == (ssize_t)ack_len)
		d->acks++;
	return true;
}

/* Each port's socket(s) into one epoll set; the data is the fd. */
static int watch(const struct testd_socks *socks)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	size_t i;

	if (ep < 0) {
		perror("sysrq-testd: epoll_create1");
		return -1;
	}
	for (i = 0; i < 2 * socks->nports; i++) {
		struct epoll_event ev = { .events = EPOLLIN };

		if (socks->fds[i] < 0)
			continue;
		ev.data.fd = socks->fds[i];
		if (epoll_ctl(ep, EPOLL_CTL_ADD, socks->fds[i], &ev) < 0) {
			perror("sysrq-testd: epoll_ctl");
			close(ep);
			return -1;
		}
	}
	return ep;
}

/* Written aside and renamed: a reader never sees half a file. */
static int write_port_file(const char *path, const struct testd_socks *socks)
{
	char tmp[4096];
	FILE *pf;
	size_t i;
	int bad = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	pf = fopen(tmp, "w");
	if (!pf) {
		perror(tmp);
		return -1;
	}
	for (i = 0; i < socks->nports; i++)
		bad |= fprintf(pf, "%u\n", socks->ports[i]) < 0;
	if (fclose(pf) || bad || rename(tmp, path)) {
		perror(path);
		return -1;
	}
	return 0;
}

static int parse_offset(const char *arg, int64_t *ns)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || v < -86400 || v > 86400)
		return -1;
	*ns = (int64_t)(v * 1e9);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "tolerance", required_argument, NULL, 't' },
		{ "port", required_argument, NULL, 'p' },
		{ "ports", required_argument, NULL, 'N' },
		{ "enabled", required_argument, NULL, 'E' },
		{ "clock-offset", required_argument, NULL, 'O' },
		{ "port-file", required_argument, NULL, 'F' },
		{ "log", required_argument, NULL, 'L' },
		{ "exec-log", required_argument, NULL, 'X' },
		{ "max-seconds", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct testd d = { .enabled = SR_ALL_KEYS };
	const char *specs[TESTD_MAX_KEYS + 1], *port_file = NULL;
	const char *log_path = NULL, *exec_path = NULL;
	unsigned long tolerance = SR_TOLERANCE_DEFAULT, port = 9, max_s = 0;
	unsigned long nports = 1;
	bool v4 = true, v6 = true;
	size_t nspecs = 0, i, n;
	uint64_t start, armed_at, deadline;
	struct sigaction sa = { .sa_handler = on_signal };
	struct epoll_event ev[EVENTS_MAX];
	struct testd_socks socks;
	sigset_t block, none;
	int c, ep, nev;
	char *end;

	d.log = stdout;
	while ((c = getopt_long(argc, argv, "k:t:p:46h", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (nspecs == TESTD_MAX_KEYS) {
				fprintf(stderr,
					"sysrq-testd: at most %d keys\n",
					TESTD_MAX_KEYS);
				return 2;
			}
			specs[nspecs++] = optarg;
			break;
		case 't':
			tolerance = strtoul(optarg, &end, 10);
			if (*end || !*optarg || tolerance > 86400) {
				fprintf(stderr,
					"sysrq-testd: bad --tolerance\n");
				return 2;
			}
			break;
		case 'p':
			port = strtoul(optarg, &end, 10);
			if (*end || !*optarg || port > 65535) {
				fprintf(stderr, "sysrq-testd: bad --port\n");
				return 2;
			}
			break;
		case 'N':
			nports = strtoul(optarg, &end, 10);
			if (*end || !*optarg || nports < 1 ||
			    nports > PORTS_MAX) {
				fprintf(stderr,
					"sysrq-testd: bad --ports (1 to %d)\n",
					PORTS_MAX);
				return 2;
			}
			break;
		case '4':
			v6 = false;
			v4 = true;
			break;
		case '6':
			v4 = false;
			v6 = true;
			break;
		case 'E':
			if (!sr_key_mask((const uint8_t *)optarg,
					 strlen(optarg), &d.enabled)) {
				fprintf(stderr, "sysrq-testd: bad --enabled\n");
				return 2;
			}
			break;
		case 'O':
			if (parse_offset(optarg, &d.clock_offset) < 0) {
				fprintf(stderr,
					"sysrq-testd: bad --clock-offset "
					"(seconds, -86400 to 86400)\n");
				return 2;
			}
			break;
		case 'F':
			port_file = optarg;
			break;
		case 'L':
			log_path = optarg;
			break;
		case 'X':
			exec_path = optarg;
			break;
		case 'M':
			max_s = strtoul(optarg, &end, 10);
			if (*end || !*optarg) {
				fprintf(stderr,
					"sysrq-testd: bad --max-seconds\n");
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || !nspecs) {
		usage(stderr);
		return 2;
	}
	/* Files are opened once the arguments are known to be good. */
	if (log_path && !(d.log = fopen(log_path, "a"))) {
		perror(log_path);
		return 2;
	}
	if (exec_path && !(d.exec_log = fopen(exec_path, "a"))) {
		perror(exec_path);
		return 2;
	}
	if (sodium_init() < 0 || keys_init(&d.keys) < 0)
		return 1;
	start = clock_ns(CLOCK_MONOTONIC);
	/* Armed "now" by this server's clock. */
	armed_at = clock_ns(CLOCK_REALTIME) + (uint64_t)d.clock_offset;
	for (i = 0; i < nspecs; i++)
		if (keys_add(&d.keys, specs[i], (uint32_t)tolerance, armed_at) <
		    0)
			return 2;
	if (socks_open(&socks, v4, v6, (uint16_t)port, nports) < 0)
		return 1;
	ep = watch(&socks);
	if (ep < 0 || (port_file && write_port_file(port_file, &socks) < 0))
		return 1;
	if (nports == 1)
		fprintf(d.log, "listening%s%s port %u\n",
			v4 ? " 127.0.0.1" : "", v6 ? " ::1" : "",
			socks.ports[0]);
	else
		fprintf(d.log, "listening%s%s ports %lu, first %u\n",
			v4 ? " 127.0.0.1" : "", v6 ? " ::1" : "", nports,
			socks.ports[0]);
	fflush(d.log);

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &none);
	sigemptyset(&none);
	deadline = max_s ? start + max_s * SR_NSEC_PER_SEC : UINT64_MAX;

	while (!got_term) {
		uint64_t now = clock_ns(CLOCK_MONOTONIC), left;

		if (now >= deadline) {
			fprintf(d.log, "max-seconds reached\n");
			break;
		}
		left = deadline - now;
		if (left > SR_NSEC_PER_SEC)
			left = SR_NSEC_PER_SEC;
		/* Signals are delivered only inside the wait: no lost wakeups. */
		nev = epoll_pwait(ep, ev, EVENTS_MAX,
				  (int)((left + 999999) / 1000000), &none);
		if (got_usr1) {
			got_usr1 = 0;
			print_counters(d.log, &d.keys, d.total, d.acks);
		}
		/* One datagram per ready socket per round: fair to every port. */
		for (c = 0; c < nev; c++)
			handle(&d, ev[c].data.fd);
	}
	/*
	 * Whatever was queued before the signal is judged and logged first,
	 * so that a test which stops testd after its client exited reads a
	 * complete log. Bounded, in case a client is still flooding.
	 */
	for (i = 0; i < 2 * socks.nports; i++)
		for (n = 0; socks.fds[i] >= 0 && n < DRAIN_MAX &&
			    handle(&d, socks.fds[i]);
		     n++)
			;
	print_counters(d.log, &d.keys, d.total, d.acks);
	close(ep);
	socks_close(&socks);
	keys_free(&d.keys);
	if (d.exec_log)
		fclose(d.exec_log);
	return 0;
}
