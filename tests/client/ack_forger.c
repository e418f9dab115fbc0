// SPDX-License-Identifier: GPL-2.0
/*
 * sr-ack-forger: sits between sysrqctl and (optionally) sysrq-testd and
 * answers every request with forged ACKs before relaying it. Most forgeries
 * carry a MAC made with the real key and the host's epoch (learnt from the
 * CLOCK it relays, or its own when it stands alone and answers TIME
 * itself), so a client that checked only the MAC, or only some echoed
 * fields, would be fooled. "valid" is the control: a correct ACK the
 * client must accept.
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

#include "keys/key.h"
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

/* The forger's own protocol clock: the wall clock. */
static uint64_t real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* The ACK of req, optionally mutated, MAC'd under mk and the epoch. */
static size_t forge(const uint8_t *req, size_t len, const char *kind,
		    const struct sr_mac_key *mk, const struct sr_mac_key *other,
		    const uint8_t epoch[SR_EPOCH_LEN], uint8_t *out)
{
	size_t body = len - SR_MAC_LEN;
	const struct sr_mac_key *signer = mk;
	uint8_t e[SR_EPOCH_LEN];

	memcpy(e, epoch, sizeof(e));
	if (!strcmp(kind, "reflect")) {
		memcpy(out, req, len);
		return len; /* the request itself, valid MAC and all */
	}
	if (!sr_build_ack(mk, e, req, len, SR_ACK_ACCEPTED, out))
		return 0;
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
		e[0] ^= 0x01; /* another host's, or before a restart */
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
	uint8_t epoch[SR_EPOCH_LEN];	     /* the host's, or our own */
	uint8_t last_ack[SR_ANSWER_MAX + 1]; /* for "stale" */
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
	uint8_t out[SR_ANSWER_MAX + 1];
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
	fprintf(f, "usage: sr-ack-forger --listen ADDR:PORT --key FILE --forge "
		   "KIND[,KIND...]\n"
		   "                     [--to ADDR:PORT] [--port-file F] "
		   "[--log F] [--max-seconds N]\n"
		   "KIND: bad-mac nonce keys key-id timestamp status reflect "
		   "length\n"
		   "      other-key stale epoch other-port other-addr valid, "
		   "or "
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
				if (len == SR_CLOCK_LEN && buf[3] == SR_T_CLOCK)
					memcpy(f.epoch, buf + SR_HDR_LEN,
					       SR_EPOCH_LEN);
				if (have_to && have_client &&
				    addr_eq(&src, &to))
					sendto(f.fd_listen, buf, (size_t)len, 0,
					       (struct sockaddr *)&f.client.ss,
					       f.client.len);
				continue;
			}
			f.client = src;
			have_client = true;
			/* Alone, it answers the clock probe itself. */
			if (!have_to && len == SR_TIME_LEN &&
			    buf[3] == SR_T_TIME) {
				uint8_t clk[SR_CLOCK_LEN];

				if (sr_build_clock(mk, buf, real_ns(), f.epoch,
						   clk))
					sendto(f.fd_listen, clk, sizeof(clk), 0,
					       (struct sockaddr *)&f.client.ss,
					       f.client.len);
				continue;
			}
			if (len >= SR_HDR_LEN && buf[3] == SR_T_REQUEST)
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
