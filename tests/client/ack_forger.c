// SPDX-License-Identifier: GPL-2.0
/*
 * sr-ack-forger: sits between sysrqctl and (optionally) sysrq-testd and
 * answers every request with forged ACKs before relaying it. Most forgeries
 * carry a MAC made with the real key, so a client that checked only the
 * MAC, or only some echoed fields, would be fooled. "valid" is the control:
 * a correct ACK the client must accept.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "key.h"
#include "mac.h"
#include "proto.h"
#include "relay.h"

static const char *const kinds[] = {
	"bad-mac", "nonce",  "keys",	  "key-id", "timestamp",  "status",
	"reflect", "length", "other-key", "stale",  "other-port", "valid",
};
#define NKINDS	   (sizeof(kinds) / sizeof(kinds[0]))
#define KIND_VALID (NKINDS - 1)

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* The ACK of req with status, optionally mutated, MAC'd under mk. */
static size_t forge(const uint8_t *req, size_t len, const char *kind,
		    const struct sr_mac_key *mk, const struct sr_mac_key *other,
		    uint8_t *out)
{
	size_t body = len - SR_MAC_LEN;
	const struct sr_mac_key *signer = mk;

	memcpy(out, req, len);
	out[3] = SR_TYPE_ACK;
	out[28] = SR_ACK_EXECUTED;
	if (!strcmp(kind, "reflect"))
		return len; /* the request itself, valid MAC and all */
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
	sr_mac(signer, out, body, out + body);
	if (!strcmp(kind, "bad-mac"))
		out[body + 5] ^= 0x10;
	if (!strcmp(kind, "length")) {
		out[len] = 0;
		return len + 1;
	}
	return len;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: sr-ack-forger --listen ADDR:PORT --key FILE --forge "
		   "KIND[,KIND...]\n"
		   "                     [--to ADDR:PORT] [--port-file F] "
		   "[--log F] [--max-seconds N]\n"
		   "KIND: bad-mac nonce keys key-id timestamp status reflect "
		   "length\n"
		   "      other-key stale other-port valid, or 'all' (all but "
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
	struct udp_addr listen_at, to, client, src;
	bool have_listen = false, have_to = false, have_client = false;
	bool use[NKINDS] = { false };
	const char *key_path = NULL, *port_file = NULL;
	struct sr_mac_key *mk, *other;
	uint8_t key[KEY_LEN], buf[2048], out[SR_MAX_LEN + 1];
	uint8_t last_ack[SR_MAX_LEN + 1];
	size_t last_ack_len = 0, n, k;
	unsigned long max_s = 30, forged = 0, reqs = 0;
	char err[ERR_LEN], *list = NULL, *tok, *save;
	struct pollfd pfd[2];
	struct sr_request req;
	FILE *log = stdout;
	uint64_t deadline;
	uint16_t port;
	int c, fds[2], side, i;
	ssize_t len;
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
			log = fopen(optarg, "a");
			if (!log) {
				perror(optarg);
				return 2;
			}
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
				use[k] = true;
				found = true;
			}
		if (!found) {
			fprintf(stderr, "sr-ack-forger: unknown kind '%s'\n",
				tok);
			return 2;
		}
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

	fds[0] = udp_bind(&listen_at, &port);
	fds[1] = udp_bind_any_port(&listen_at); /* upstream + other-port */
	if (fds[0] < 0 || fds[1] < 0) {
		perror("sr-ack-forger: bind");
		return 1;
	}
	if (port_file && write_port_file(port_file, port) < 0)
		return 1;
	fprintf(log, "forger port %u\n", port);
	fflush(log);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	pfd[0] = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = fds[1], .events = POLLIN };
	deadline = mono_ns() + max_s * 1000000000ULL;

	while (!stop && mono_ns() < deadline) {
		if (poll(pfd, 2, 100) < 0 && errno != EINTR)
			break;
		for (side = 0; side < 2; side++) {
			if (!(pfd[side].revents & POLLIN))
				continue;
			src.len = sizeof(src.ss);
			len = recvfrom(fds[side], buf, sizeof(buf), 0,
				       (struct sockaddr *)&src.ss, &src.len);
			if (len < 0)
				continue;
			if (side == 1) {
				/* A real reply from upstream: relay it. */
				if (have_to && have_client &&
				    addr_eq(&src, &to))
					sendto(fds[0], buf, (size_t)len, 0,
					       (struct sockaddr *)&client.ss,
					       client.len);
				continue;
			}
			client = src;
			have_client = true;
			reqs++;
			if (sr_parse(buf, (size_t)len, &req)) {
				for (k = 0; k < NKINDS; k++) {
					int fd = fds[0];

					if (!use[k])
						continue;
					if (!strcmp(kinds[k], "stale")) {
						/* The ACK of an earlier request. */
						if (!last_ack_len ||
						    !memcmp(last_ack + 20,
							    buf + 20, 8))
							continue;
						memcpy(out, last_ack,
						       last_ack_len);
						n = last_ack_len;
					} else {
						n = forge(
							buf, (size_t)len,
							!strcmp(kinds[k],
								"other-port") ?
								"valid" :
								kinds[k],
							mk, other, out);
					}
					if (!strcmp(kinds[k], "other-port"))
						fd = fds[1];
					sendto(fd, out, n, 0,
					       (struct sockaddr *)&client.ss,
					       client.len);
					forged++;
					fprintf(log, "req #%lu forged %s\n",
						reqs, kinds[k]);
				}
				/* Remember a valid ACK for a later "stale". */
				last_ack_len = forge(buf, (size_t)len, "valid",
						     mk, other, last_ack);
			}
			fflush(log);
			if (have_to)
				sendto(fds[1], buf, (size_t)len, 0,
				       (struct sockaddr *)&to.ss, to.len);
		}
	}
	fprintf(log, "forger done requests=%lu forged=%lu\n", reqs, forged);
	fflush(log);
	i = 0;
	sodium_free(mk);
	sodium_free(other);
	return i;
}
