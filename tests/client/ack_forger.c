// SPDX-License-Identifier: GPL-2.0
/*
 * sr-ack-forger: sits between sysrqctl and (optionally) sysrq-testd and
 * answers every request with forged ACKs before relaying it. Most forgeries
 * carry a MAC made with the real key and the host's epoch, so a client
 * that checked only the MAC, or only some echoed fields, would be fooled.
 * "valid" is the control: a correct ACK the client must accept.
 *
 * Protocol v2: ACKs are MACed with the host's epoch. With an upstream
 * server (--to) the forger relays the client's TIME probes and learns the
 * epoch from the CLOCK that answers them (verified); without one it
 * answers TIME probes itself with a genuine CLOCK of its own epoch (the
 * protocol time being CLOCK_REALTIME), so the client sends its requests.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "key.h"
#include "core_env.h"
#include "proto.h"
#include "relay.h"

static const char *const kinds[] = {
	"bad-mac", "nonce",	 "keys",       "key-id",    "timestamp",
	"status",  "reflect",	 "length",     "other-key", "stale",
	"epoch",   "other-port", "other-addr", "valid",
};
#define NKINDS		(sizeof(kinds) / sizeof(kinds[0]))
#define KIND_VALID	(NKINDS - 1)
#define KIND_OTHER_ADDR (NKINDS - 2)

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * The ACK of req (status accepted), optionally mutated, MAC'd under mk
 * with the host's epoch.
 */
static size_t forge(const uint8_t *req, size_t len, const char *kind,
		    const struct sr_mac_key *mk, const struct sr_mac_key *other,
		    const uint8_t epoch[SR_EPOCH_LEN], uint8_t *out)
{
	size_t body = len - SR_MAC_LEN;
	const struct sr_mac_key *signer = mk;
	uint8_t e[SR_EPOCH_LEN];

	memcpy(out, req, len);
	memcpy(e, epoch, sizeof(e));
	if (!strcmp(kind, "reflect"))
		return len; /* the request itself, valid MAC and all */
	out[3] = SR_T_ACK;
	out[28] = SR_ACK_ACCEPTED;
	if (!strcmp(kind, "nonce"))
		out[20] ^= 0x01;
	else if (!strcmp(kind, "keys"))
		out[30] = out[30] == 'a' ? 'b' : 'a';
	else if (!strcmp(kind, "key-id"))
		out[4] ^= 0x80;
	else if (!strcmp(kind, "timestamp"))
		out[19] ^= 0x01;
	else if (!strcmp(kind, "status"))
		out[28] = 3;
	else if (!strcmp(kind, "other-key"))
		signer = other;
	else if (!strcmp(kind, "epoch"))
		e[3] ^= 0x01; /* another host's, or before a reboot */
	sr_mac(signer, e, sizeof(e), out, body, out + body);
	if (!strcmp(kind, "bad-mac"))
		out[body + 5] ^= 0x10;
	if (!strcmp(kind, "length")) {
		out[len] = 0;
		return len + 1;
	}
	return len;
}

/* What the forger holds while it runs. */
struct forger {
	bool use[NKINDS];
	const struct sr_mac_key *mk, *other;
	int fd_listen, fd_other_port, fd_other_addr; /* -1: not available */
	struct udp_addr client;
	bool upstream;		       /* --to: the epoch is upstream's */
	uint8_t epoch[SR_EPOCH_LEN];   /* the host's, as far as known */
	uint8_t times[8][SR_TIME_LEN]; /* the latest TIME probes relayed */
	unsigned int ntimes;
	uint8_t last_ack[SR_REQ_MAX_LEN + 1]; /* for "stale" */
	size_t last_ack_len;
	unsigned long forged;
	FILE *log;
};

/* The forgeries of one kind for the request buf; 0 when there is none. */
static size_t forge_kind(struct forger *f, size_t k, const uint8_t *buf,
			 size_t len, uint8_t *out, int *fd)
{
	const char *kind = kinds[k];

	*fd = f->fd_listen;
	if (!strcmp(kind, "stale")) {
		/* The valid ACK of the previous (different) request. */
		if (!f->last_ack_len || !memcmp(f->last_ack + 20, buf + 20, 8))
			return 0;
		memcpy(out, f->last_ack, f->last_ack_len);
		return f->last_ack_len;
	}
	if (!strcmp(kind, "other-port") || !strcmp(kind, "other-addr")) {
		/* A perfect ACK, but from a source the request did not go to. */
		*fd = kind[6] == 'p' ? f->fd_other_port : f->fd_other_addr;
		if (*fd < 0)
			return 0;
		kind = "valid";
	}
	return forge(buf, len, kind, f->mk, f->other, f->epoch, out);
}

/* Answer one request with every chosen forgery, before it is relayed. */
static void answer_request(struct forger *f, const uint8_t *buf, size_t len,
			   unsigned long reqno)
{
	uint8_t out[SR_REQ_MAX_LEN + 1];
	struct sr_msg req;
	size_t k, n;
	int fd;

	if (!sr_parse(buf, len, &req) || req.type != SR_T_REQUEST)
		return;
	for (k = 0; k < NKINDS; k++) {
		if (!f->use[k])
			continue;
		n = forge_kind(f, k, buf, len, out, &fd);
		if (!n) {
			fprintf(f->log, "req #%lu no %s forgery possible\n",
				reqno, kinds[k]);
			continue;
		}
		sendto(fd, out, n, 0, (struct sockaddr *)&f->client.ss,
		       f->client.len);
		f->forged++;
		fprintf(f->log, "req #%lu forged %s\n", reqno, kinds[k]);
	}
	f->last_ack_len = forge(buf, len, "valid", f->mk, f->other, f->epoch,
				f->last_ack);
	fflush(f->log);
}

/*
 * A TIME probe from the client: relayed upstream (kept, to verify the
 * CLOCK that answers it), or, without upstream, answered with a CLOCK of
 * the forger's own epoch.
 */
static void answer_time(struct forger *f, const uint8_t *buf, size_t len)
{
	uint8_t clk[SR_CLOCK_LEN];
	struct timespec ts;

	if (f->upstream) {
		memcpy(f->times[f->ntimes++ % 8], buf, SR_TIME_LEN);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	if (sr_build_clock(f->mk, buf,
			   (uint64_t)ts.tv_sec * SR_NSEC_PER_SEC +
				   (uint64_t)ts.tv_nsec,
			   f->epoch, clk) == SR_CLOCK_LEN)
		sendto(f->fd_listen, clk, sizeof(clk), 0,
		       (struct sockaddr *)&f->client.ss, f->client.len);
	(void)len;
}

/* A reply from upstream: a CLOCK that verifies tells the host's epoch. */
static void learn_epoch(struct forger *f, const uint8_t *buf, size_t len)
{
	uint8_t epoch[SR_EPOCH_LEN];
	uint64_t t;

	for (unsigned int i = 0; i < 8 && i < f->ntimes; i++)
		if (sr_verify_clock(f->mk, f->times[i], buf, len, &t, epoch)) {
			if (memcmp(epoch, f->epoch, sizeof(epoch)) != 0)
				fprintf(f->log, "epoch learnt from upstream\n");
			memcpy(f->epoch, epoch, sizeof(epoch));
			return;
		}
}

/*
 * The source of "other-addr" forgeries: 127.0.0.2 on the listening port,
 * so only the address differs from where the request went.
 */
static int bind_other_addr(const struct udp_addr *listen_at, uint16_t port)
{
	struct udp_addr a;
	char spec[32];

	if (listen_at->ss.ss_family != AF_INET)
		return -1;
	snprintf(spec, sizeof(spec), "127.0.0.2:%u", port);
	if (addr_parse(spec, &a) < 0)
		return -1;
	return udp_bind(&a, NULL);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: sr-ack-forger --listen ADDR:PORT --key FILE --forge "
		"KIND[,KIND...]\n"
		"                     [--to ADDR:PORT] [--port-file F] "
		"[--log F] [--max-seconds N]\n"
		"KIND: bad-mac nonce keys key-id timestamp status reflect "
		"length\n"
		"      other-key stale epoch other-port other-addr valid, or "
		"'all' (all but "
		"valid)\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "to", required_argument, NULL, 't' },
		{ "key", required_argument, NULL, 'k' },
		{ "forge", required_argument, NULL, 'f' },
		{ "port-file", required_argument, NULL, 'F' },
		{ "log", required_argument, NULL, 'L' },
		{ "max-seconds", required_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	struct forger f = { .fd_other_addr = -1 };
	struct udp_addr listen_at, to, src;
	bool have_listen = false, have_to = false, have_client = false;
	const char *key_path = NULL, *port_file = NULL, *log_path = NULL;
	struct sr_mac_key *mk, *other;
	uint8_t key[KEY_LEN], buf[2048];
	unsigned long max_s = 30, reqs = 0;
	char err[ERR_LEN] = "", *list = NULL, *tok, *save;
	struct pollfd pfd[2];
	uint64_t deadline;
	uint16_t port;
	int c, side;
	ssize_t len;
	size_t k;
	bool loose;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			have_listen = addr_parse(optarg, &listen_at) == 0;
			break;
		case 't':
			have_to = addr_parse(optarg, &to) == 0;
			break;
		case 'k':
			key_path = optarg;
			break;
		case 'f':
			list = optarg;
			break;
		case 'F':
			port_file = optarg;
			break;
		case 'L':
			log_path = optarg;
			break;
		case 'M':
			max_s = strtoul(optarg, NULL, 10);
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!have_listen || !key_path || !list || optind != argc) {
		usage(stderr);
		return 2;
	}
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		bool found = false;

		for (k = 0; k < NKINDS; k++)
			if (!strcmp(tok, kinds[k]) ||
			    (!strcmp(tok, "all") && k != KIND_VALID)) {
				f.use[k] = true;
				found = true;
			}
		if (!found) {
			fprintf(stderr, "sr-ack-forger: unknown kind '%s'\n",
				tok);
			return 2;
		}
	}
	f.log = log_path ? fopen(log_path, "a") : stdout;
	if (!f.log) {
		perror(log_path);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	mk = sodium_malloc(sizeof(*mk));
	other = sodium_malloc(sizeof(*other));
	if (!mk || !other || key_read_file(key_path, key, &loose, err) < 0) {
		fprintf(stderr, "sr-ack-forger: %s\n", err);
		return 2;
	}
	sr_mac_key_init(mk, key);
	key[0] ^= 0xff; /* "another host's key": one byte differs */
	sr_mac_key_init(other, key);
	sodium_memzero(key, sizeof(key));
	f.mk = mk;
	f.other = other;
	f.upstream = have_to;
	randombytes_buf(f.epoch, sizeof(f.epoch));

	f.fd_listen = udp_bind(&listen_at, &port);
	/* Upstream traffic, and the source of "other-port" forgeries. */
	f.fd_other_port = udp_bind_any_port(&listen_at);
	if (f.fd_listen < 0 || f.fd_other_port < 0) {
		perror("sr-ack-forger: bind");
		return 1;
	}
	if (f.use[KIND_OTHER_ADDR])
		f.fd_other_addr = bind_other_addr(&listen_at, port);
	if (port_file && write_port_file(port_file, port) < 0)
		return 1;
	fprintf(f.log, "forger port %u\n", port);
	fflush(f.log);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	pfd[0] = (struct pollfd){ .fd = f.fd_listen, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = f.fd_other_port, .events = POLLIN };
	deadline = mono_ns() + max_s * 1000000000ULL;

	while (!stop && mono_ns() < deadline) {
		if (poll(pfd, 2, 100) < 0 && errno != EINTR)
			break;
		for (side = 0; side < 2; side++) {
			if (!(pfd[side].revents & POLLIN))
				continue;
			src.len = sizeof(src.ss);
			len = recvfrom(pfd[side].fd, buf, sizeof(buf), 0,
				       (struct sockaddr *)&src.ss, &src.len);
			if (len < 0)
				continue;
			if (side == 1) {
				/* A real reply from upstream: relay it. */
				if (have_to && have_client &&
				    addr_eq(&src, &to)) {
					learn_epoch(&f, buf, (size_t)len);
					sendto(f.fd_listen, buf, (size_t)len, 0,
					       (struct sockaddr *)&f.client.ss,
					       f.client.len);
				}
				continue;
			}
			f.client = src;
			have_client = true;
			if (len == SR_TIME_LEN && buf[3] == SR_T_TIME)
				answer_time(&f, buf, (size_t)len);
			else
				answer_request(&f, buf, (size_t)len, ++reqs);
			if (have_to)
				sendto(f.fd_other_port, buf, (size_t)len, 0,
				       (struct sockaddr *)&to.ss, to.len);
		}
	}
	fprintf(f.log, "forger done requests=%lu forged=%lu\n", reqs, f.forged);
	fflush(f.log);
	sodium_free(mk);
	sodium_free(other);
	return 0;
}
