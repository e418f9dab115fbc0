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
/* Accepted requests waiting for their simulated run (REPORT). */
#define JOBS_MAX 16384

static volatile sig_atomic_t got_usr1, got_usr2, got_term;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else if (sig == SIGUSR2)
		got_usr2 = 1;
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
		"A protocol v2 test server for sysrqctl on loopback. Never "
		"touches\n"
		"sysrq: accepted keys are written to --exec-log, and their "
		"output\n"
		"is a canned text.\n"
		"  -k, --key NAME:FILE[:ALLOW]  a key (repeatable, tried in "
		"order\n"
		"                               like rules); ALLOW: key "
		"characters\n"
		"                               or 'all' (default); give "
		"ALLOW when\n"
		"                               FILE contains a colon\n"
		"  -t, --tolerance SEC    past window, 15..300 (default 30)\n"
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
		"      --run-ms MS        how long a request's keys take to "
		"run before\n"
		"                         its REPORT (default 50; requests "
		"run in turn)\n"
		"      --output FILE      the canned text l, m, t and w print "
		"(default:\n"
		"                         a built-in text of about 3.5 KB)\n"
		"      --output-limit N   output bytes kept per request "
		"(default 65536;\n"
		"                         0: none; more is truncated and "
		"flagged)\n"
		"      --unsettled        flag every REPORT of s or u as "
		"'sync/remount\n"
		"                         not complete within 10 s'\n"
		"      --loss FRACTION    drop this fraction (0..1) of "
		"protocol datagrams\n"
		"                         each way, at random\n"
		"      --restart-after N  restart (every record a new epoch, "
		"pending\n"
		"                         REPORTs lost) right after the Nth "
		"accepted\n"
		"                         request; SIGUSR2 restarts too\n"
		"      --port-file FILE   write the port number to FILE\n"
		"      --log FILE         one line per datagram and REPORT to "
		"FILE\n"
		"                         (default stdout)\n"
		"      --exec-log FILE    append 'NAME KEYS' per accepted "
		"request\n"
		"      --max-seconds N    exit after N seconds (default: "
		"never)\n"
		"  -h, --help             show this help\n"
		"SIGUSR1 prints the counters; SIGTERM/SIGINT judges what is "
		"queued,\n"
		"then exits printing them. An answer leaves after its "
		"--log and\n"
		"--exec-log lines are written.\n");
}

struct testd_job {
	int key, fd;
	struct sr_record *rec;
	uint8_t req[SR_REQ_MAX_LEN];
	size_t len;
	uint32_t generation;
	struct sockaddr_storage src;
	socklen_t slen;
	uint64_t due; /* monotonic */
};

struct testd {
	struct testd_keys keys;
	struct testd_canned canned;
	uint64_t enabled;
	uint64_t t0, mono0; /* protocol time at mono0 */
	uint64_t run_ns;
	size_t output_limit;
	bool unsettled;
	uint32_t loss; /* out of UINT32_MAX */
	unsigned long restart_after, accepted;
	uint64_t total[SR_VERDICT_COUNT];
	uint64_t answers, reports, dropped_in, dropped_out, restarts;
	struct testd_job *jobs; /* JOBS_MAX */
	size_t njobs;
	size_t *port_of_fd; /* by descriptor: the port (host) it is */
	uint64_t *busy;	    /* per port: when its last queued job is done */
	int max_fd;
	FILE *log, *exec_log;
};

/* The protocol clock: the wall clock (plus offset) at start, then monotonic. */
static uint64_t proto_now(const struct testd *d)
{
	return d->t0 + (clock_ns(CLOCK_MONOTONIC) - d->mono0);
}

static bool lose(const struct testd *d)
{
	return d->loss && randombytes_random() < d->loss;
}

static void print_counters(FILE *log, const struct testd *d)
{
	const struct testd_keys *k = &d->keys;
	int v;
	size_t i;

	fprintf(log, "counters");
	for (v = 0; v < SR_OTHER_KEY; v++)
		fprintf(log, " %s=%llu", sr_verdict_name(v),
			(unsigned long long)d->total[v]);
	fprintf(log,
		" answers=%llu reports=%llu dropped_in=%llu dropped_out=%llu "
		"restarts=%llu\n",
		(unsigned long long)d->answers, (unsigned long long)d->reports,
		(unsigned long long)d->dropped_in,
		(unsigned long long)d->dropped_out,
		(unsigned long long)d->restarts);
	for (i = 0; i < k->n; i++) {
		fprintf(log, "counters key=%s", k->names[i]);
		for (v = SR_STALE; v < SR_OTHER_KEY; v++)
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

static void source_of(const struct sockaddr_storage *ss, struct sr_source *s)
{
	memset(s, 0, sizeof(*s));
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		s->family = 6;
		memcpy(s->addr, &s6->sin6_addr, 16);
		s->port = ntohs(s6->sin6_port);
	} else {
		const struct sockaddr_in *s4 = (const void *)ss;

		s->family = 4;
		memcpy(s->addr, &s4->sin_addr, 4);
		/* recvfrom() filled it; the analyzer loses that in the job queue. */
		// NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage)
		s->port = ntohs(s4->sin_port);
	}
}

/* An answer leaves, unless --loss takes it; logged either way. */
static void answer(struct testd *d, int fd, const uint8_t *buf, size_t len,
		   const struct sockaddr_storage *to, socklen_t tolen)
{
	if (lose(d)) {
		d->dropped_out++;
		fprintf(d->log, "dropped out type=%u len=%zu\n", buf[3], len);
		fflush(d->log);
		return;
	}
	if (sendto(fd, buf, len, 0, (const struct sockaddr *)to, tolen) ==
	    (ssize_t)len)
		d->answers++;
}

/* A restart: new epochs, kept output and pending REPORTs gone. */
static void restart(struct testd *d)
{
	keys_renew(&d->keys);
	d->njobs = 0;
	d->restarts++;
	fprintf(d->log, "restarted\n");
	fflush(d->log);
}

static void queue_job(struct testd *d, size_t port, int ki,
		      struct sr_record *rec, int fd, const uint8_t *buf,
		      size_t len, uint32_t generation,
		      const struct sockaddr_storage *src, socklen_t slen)
{
	struct testd_job *j;
	uint64_t start = clock_ns(CLOCK_MONOTONIC);

	if (d->njobs == JOBS_MAX)
		return; /* a flood: its REPORT is lost, as on a busy host */
	/* A host runs requests in the order accepted, one at a time. */
	if (d->busy[port] > start)
		start = d->busy[port];
	j = &d->jobs[d->njobs++];
	j->key = ki;
	j->rec = rec;
	j->fd = fd;
	memcpy(j->req, buf, len);
	j->len = len;
	j->generation = generation;
	j->src = *src;
	j->slen = slen;
	j->due = start + d->run_ns;
	d->busy[port] = j->due;
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* A request's keys "ran": its output kept for FETCH, its REPORT sent. */
static void run_job(struct testd *d, const struct testd_job *j)
{
	const struct sr_key *key = &d->keys.keys[j->key];
	struct sr_record *rec = j->rec;
	uint8_t report[SR_REPORT_LEN], status = 0;
	struct sr_output *out = NULL;
	size_t len = 0;
	char *text = NULL;
	uint16_t chunks = 0;
	uint8_t n = j->req[SR_HDR_LEN + 1];
	const uint8_t *keys = j->req + SR_HDR_LEN + 2;

	if (d->unsettled && (memchr(keys, 's', n) || memchr(keys, 'u', n)))
		status |= SR_REPORT_UNSETTLED;
	if (d->output_limit)
		text = canned_output(&d->canned, keys, n, &len);
	if (len > d->output_limit) {
		len = d->output_limit;
		status |= SR_REPORT_TRUNCATED;
	}
	if (text && len) {
		chunks = sr_output_chunks(len);
		out = malloc(sizeof(*out) + chunks * sizeof(out->chunk[0]));
		if (out &&
		    sr_output_build(out, key->mac_ctx, rec->epoch, j->req,
				    j->len, (uint8_t *)text, len) < 0) {
			free(out);
			out = NULL;
		}
		if (!out)
			chunks = 0; /* allocation failure loses output only */
	}
	free(text);
	if (!sr_build_report(key->mac_ctx, rec->epoch, j->req, j->len, status,
			     chunks, report)) {
		free(out);
		return;
	}
	sr_record_lock(rec);
	free(sr_record_done(rec, j->generation, j->req, j->len, report, out,
			    proto_now(d)));
	sr_record_unlock(rec);
	d->reports++;
	fprintf(d->log, "report key=%s ts=%llu keys=%.*s status=%u chunks=%u\n",
		d->keys.names[j->key], (unsigned long long)be64(j->req + 12),
		(int)n, (const char *)keys, status, chunks);
	fflush(d->log);
	answer(d, j->fd, report, sizeof(report), &j->src, j->slen);
}

/* Jobs whose time has come, in order; then expired output. */
static void run_due(struct testd *d)
{
	uint64_t now = clock_ns(CLOCK_MONOTONIC);
	size_t i, kept = 0;

	/*
	 * In queue order, so one host's requests stay in order. (The kept
	 * output is the record's, freed by sr_record_done() or keys_expire():
	 * the analyzer cannot follow it into the core.)
	 */
	// NOLINTNEXTLINE(clang-analyzer-unix.Malloc)
	for (i = 0; i < d->njobs; i++) {
		if (d->jobs[i].due <= now)
			run_job(d, &d->jobs[i]);
		else if (kept++ != i)
			d->jobs[kept - 1] = d->jobs[i];
	}
	d->njobs = kept;
	keys_expire(&d->keys, proto_now(d));
}

static const char *type_name(uint8_t t)
{
	switch (t) {
	case SR_T_REQUEST:
		return "REQUEST";
	case SR_T_TIME:
		return "TIME";
	case SR_T_FETCH:
		return "FETCH";
	case SR_T_ACK:
		return "ACK";
	case SR_T_CLOCK:
		return "CLOCK";
	case SR_T_REPORT:
		return "REPORT";
	case SR_T_OUTPUT:
		return "OUTPUT";
	default:
		return "?";
	}
}

/* The first key holder with the datagram's key id judges it, as rules do. */
static int judge(struct testd *d, size_t port, const uint8_t *buf, size_t len,
		 const struct sr_source *s, uint64_t now, struct sr_answer *ans)
{
	size_t i;

	for (i = 0; i < d->keys.n; i++) {
		struct sr_key key = d->keys.keys[i];

		key.rec = keys_rec(&d->keys, port, i);
		sr_handle(buf, len, s, &key, now, d->enabled, ans);
		if (ans->verdict == SR_MALFORMED)
			return -1;
		if (ans->verdict != SR_OTHER_KEY)
			return (int)i;
	}
	ans->verdict = SR_UNKNOWN_KEY;
	ans->len = 0;
	return -1;
}

/* One datagram from fd, if one is waiting; false when none was. */
static bool handle(struct testd *d, int fd)
{
	uint8_t buf[2048], out[SR_ANSWER_MAX] = { 0 };
	struct sockaddr_storage src = { 0 };
	socklen_t slen = sizeof(src);
	struct sr_answer ans = { .buf = out };
	struct sr_source s;
	struct sr_msg msg;
	char from[80];
	ssize_t len;
	uint64_t now;
	size_t port;
	int ki;

	len = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
		       (struct sockaddr *)&src, &slen);
	if (len < 0)
		return false;
	addr_text(&src, slen, from, sizeof(from));
	/* Only protocol datagrams are lost: settle's markers always arrive. */
	if (len >= 2 && buf[0] == 'S' && buf[1] == 'R' && lose(d)) {
		d->dropped_in++;
		fprintf(d->log, "dropped in from=%s len=%zd type=%s\n", from,
			len, len > 3 ? type_name(buf[3]) : "?");
		fflush(d->log);
		return true;
	}
	now = proto_now(d);
	source_of(&src, &s);
	port = fd <= d->max_fd ? d->port_of_fd[fd] : 0;
	ki = judge(d, port, buf, (size_t)len, &s, now, &ans);
	d->total[ans.verdict]++;
	if (ki >= 0)
		d->keys.count[ki][ans.verdict]++;
	fprintf(d->log, "t=%llu from=%s len=%zd verdict=%s",
		(unsigned long long)now, from, len,
		sr_verdict_name(ans.verdict));
	if (sr_parse(buf, (size_t)len, &msg)) {
		fprintf(d->log, " type=%s key=%s ts=%llu", type_name(msg.type),
			ki >= 0 ? d->keys.names[ki] : "-",
			(unsigned long long)msg.timestamp);
		if (msg.type == SR_T_REQUEST)
			fprintf(d->log, " keys=%.*s", (int)msg.n,
				(const char *)msg.keys);
		if (msg.type == SR_T_FETCH)
			fprintf(d->log, " index=%u", msg.index);
	}
	if (ans.len && out[3] == SR_T_ACK)
		fprintf(d->log, " ack=%u", out[SR_HDR_LEN]);
	else if (ans.len)
		fprintf(d->log, " answer=%s", type_name(out[3]));
	fprintf(d->log, "\n");
	fflush(d->log);
	if (ans.verdict == SR_ACCEPTED) {
		if (d->exec_log) {
			fprintf(d->exec_log, "%s %.*s\n", d->keys.names[ki],
				(int)msg.n, (const char *)msg.keys);
			fflush(d->exec_log);
		}
		if (msg.flags & SR_FLAG_REPORT)
			queue_job(d, port, ki,
				  keys_rec(&d->keys, port, (size_t)ki), fd, buf,
				  (size_t)len, ans.generation, &src, slen);
	}
	/*
	 * The answer leaves last: a client that has it finds the datagram
	 * in --log and --exec-log, with no race against the tests.
	 */
	if (ans.len)
		answer(d, fd, out, ans.len, &src, slen);
	if (ans.verdict == SR_ACCEPTED && d->restart_after &&
	    ++d->accepted == d->restart_after)
		restart(d);
	return true;
}

/* Which port (host) each socket is: its records are that host's. */
static int port_map(struct testd *d, const struct testd_socks *socks)
{
	size_t i;

	d->max_fd = 0;
	for (i = 0; i < 2 * socks->nports; i++)
		if (socks->fds[i] > d->max_fd)
			d->max_fd = socks->fds[i];
	d->port_of_fd = calloc((size_t)d->max_fd + 1, sizeof(size_t));
	if (!d->port_of_fd)
		return -1;
	for (i = 0; i < 2 * socks->nports; i++)
		if (socks->fds[i] >= 0)
			d->port_of_fd[socks->fds[i]] = i / 2;
	return 0;
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
		{ "run-ms", required_argument, NULL, 'R' },
		{ "output", required_argument, NULL, 'o' },
		{ "output-limit", required_argument, NULL, 'l' },
		{ "unsettled", no_argument, NULL, 'u' },
		{ "loss", required_argument, NULL, 'x' },
		{ "restart-after", required_argument, NULL, 'r' },
		{ "port-file", required_argument, NULL, 'F' },
		{ "log", required_argument, NULL, 'L' },
		{ "exec-log", required_argument, NULL, 'X' },
		{ "max-seconds", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct testd d = { .enabled = SR_ALL_KEYS,
			   .run_ns = 50 * 1000000ULL,
			   .output_limit = 65536 };
	const char *specs[TESTD_MAX_KEYS + 1], *port_file = NULL;
	const char *output_path = NULL;
	int64_t clock_offset = 0;
	double loss;
	const char *log_path = NULL, *exec_path = NULL;
	unsigned long tolerance = SR_TOLERANCE_DEFAULT, port = 9, max_s = 0;
	unsigned long nports = 1;
	bool v4 = true, v6 = true;
	size_t nspecs = 0, i, n;
	uint64_t start, deadline;
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
			if (*end || !*optarg || tolerance < SR_TOLERANCE_MIN ||
			    tolerance > SR_TOLERANCE_MAX) {
				fprintf(stderr, "sysrq-testd: bad --tolerance "
						"(15 to 300)\n");
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
			if (parse_offset(optarg, &clock_offset) < 0) {
				fprintf(stderr,
					"sysrq-testd: bad --clock-offset "
					"(seconds, -86400 to 86400)\n");
				return 2;
			}
			break;
		case 'R':
			d.run_ns = strtoul(optarg, &end, 10) * 1000000ULL;
			if (*end || !*optarg || d.run_ns > 60000 * 1000000ULL) {
				fprintf(stderr, "sysrq-testd: bad --run-ms\n");
				return 2;
			}
			break;
		case 'o':
			output_path = optarg;
			break;
		case 'l':
			d.output_limit = strtoul(optarg, &end, 10);
			if (*end || !*optarg ||
			    d.output_limit > SR_OUTPUT_MAX) {
				fprintf(stderr,
					"sysrq-testd: bad --output-limit (0 to "
					"%d)\n",
					SR_OUTPUT_MAX);
				return 2;
			}
			break;
		case 'u':
			d.unsettled = true;
			break;
		case 'x':
			errno = 0;
			loss = strtod(optarg, &end);
			if (errno || *end || !*optarg || !(loss >= 0) ||
			    loss > 1) {
				fprintf(stderr,
					"sysrq-testd: bad --loss (0 to 1)\n");
				return 2;
			}
			d.loss = (uint32_t)(loss * UINT32_MAX);
			break;
		case 'r':
			d.restart_after = strtoul(optarg, &end, 10);
			if (*end || !*optarg || !d.restart_after) {
				fprintf(stderr,
					"sysrq-testd: bad --restart-after\n");
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
	if (canned_load(&d.canned, output_path) < 0)
		return 2;
	start = clock_ns(CLOCK_MONOTONIC);
	/* As the module: the wall clock once, then a clock never stepped. */
	d.mono0 = start;
	d.t0 = clock_ns(CLOCK_REALTIME) + (uint64_t)clock_offset;
	for (i = 0; i < nspecs; i++)
		if (keys_add(&d.keys, specs[i], (uint32_t)tolerance) < 0)
			return 2;
	if (socks_open(&socks, v4, v6, (uint16_t)port, nports) < 0)
		return 1;
	if (keys_records(&d.keys, socks.nports) < 0 || port_map(&d, &socks) < 0)
		return 1;
	d.jobs = calloc(JOBS_MAX, sizeof(*d.jobs));
	d.busy = calloc(socks.nports, sizeof(*d.busy));
	ep = d.jobs && d.busy ? watch(&socks) : -1;
	if (ep < 0 || (port_file && write_port_file(port_file, &socks) < 0)) {
		free(d.jobs);
		free(d.busy);
		free(d.port_of_fd);
		return 1;
	}
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
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
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
		/* Wake for the next REPORT due. */
		for (i = 0; i < d.njobs; i++) {
			uint64_t w =
				d.jobs[i].due > now ? d.jobs[i].due - now : 0;

			if (w < left)
				left = w;
		}
		/* Signals are delivered only inside the wait: no lost wakeups. */
		nev = epoll_pwait(ep, ev, EVENTS_MAX,
				  (int)((left + 999999) / 1000000), &none);
		if (got_usr1) {
			got_usr1 = 0;
			print_counters(d.log, &d);
		}
		if (got_usr2) {
			got_usr2 = 0;
			restart(&d);
		}
		/* One datagram per ready socket per round: fair to every port. */
		for (c = 0; c < nev; c++)
			handle(&d, ev[c].data.fd);
		run_due(&d);
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
	print_counters(d.log, &d);
	close(ep);
	socks_close(&socks);
	keys_free(&d.keys);
	free(d.canned.text);
	free(d.jobs);
	free(d.busy);
	free(d.port_of_fd);
	if (d.exec_log)
		fclose(d.exec_log);
	return 0;
}
