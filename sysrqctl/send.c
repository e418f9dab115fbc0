// SPDX-License-Identifier: GPL-2.0
/*
 * sysrqctl send: options, key material and the checks that must all pass
 * before a single datagram leaves; then the event loop and the report.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <netdb.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "opt.h"
#include "prompt.h"
#include "send.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s send [options] HOST... KEYS\n"
		"       %s send [options] --keys KEYS HOST...\n"
		"Trigger the sysrq KEYS ([0-9a-z], e.g. 'sub': sync, remount\n"
		"read-only, reboot) on every HOST at once. Each key is one "
		"signed\n"
		"request, resent until its ACK arrives or --timeout passes, "
		"with\n"
		"--interval between keys. One line per host and key: "
		"executed,\n"
		"duplicate, refused or no answer. Exit 0 when all were "
		"executed\n"
		"(or duplicate), 1 when any was refused or unanswered, 2 on "
		"bad\n"
		"input (then nothing is sent).\n"
		"HOST: name, IPv4, IPv6, name:PORT, IPv4:PORT or [IPv6]:PORT.\n"
		"Key (one of):\n"
		"  -k, --key FILE        the hosts' key (base64, mode 0600)\n"
		"  -f, --fleet-key FILE  fleet key: each host's key is "
		"derived\n"
		"                        from it and the host as typed\n"
		"  -P, --passphrase      ask for a passphrase (Argon2id key)\n"
		"  -n, --name NAME       key name salting --passphrase "
		"(default\n"
		"                        'default')\n"
		"  otherwise the file named by $SYSRQ_KEY_FILE\n"
		"Options:\n"
		"  -p, --port PORT       default destination port (default 9)\n"
		"  -4, -6                use IPv4 or IPv6 only\n"
		"  -t, --timeout SEC     give up on a request after SEC "
		"seconds\n"
		"                        (default 5; decimals allowed)\n"
		"  -i, --interval SEC    pause between a host's keys (default "
		"1)\n"
		"  -T, --together        all keys in one request\n"
		"      --no-ack          ask for no ACK; send each request "
		"twice\n"
		"                        100 ms apart; result 'sent', exit 1 "
		"(nothing\n"
		"                        is acknowledged)\n"
		"  -j, --json            one JSON document instead of lines\n"
		"  -v, --verbose         say on stderr why datagrams were "
		"ignored\n"
		"  -K, --keys KEYS       the keys, so that every other word is "
		"a\n"
		"                        HOST (needed when KEYS that stop the "
		"host,\n"
		"                        b, c or o, also name a host)\n"
		"  -h, --help            show this help\n",
		prog, prog);
}

/*
 * "send web1 web2" with the keys forgotten would send w, e, b, 2 to web1:
 * a reboot without sync. When the last word holds a key that stops the
 * host and also resolves as a host, it was most likely meant as one.
 */
static bool keys_name_a_host(const char *word)
{
	const struct addrinfo hints = { .ai_socktype = SOCK_DGRAM };
	struct addrinfo *res = NULL;

	if (!strpbrk(word, "bco"))
		return false;
	if (getaddrinfo(word, NULL, &hints, &res) != 0)
		return false;
	freeaddrinfo(res);
	return true;
}

/* Seconds as a decimal number within [min, max], into ns. */
static int parse_seconds(const char *s, double min, double max, uint64_t *ns)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < min || v > max)
		return -1;
	*ns = (uint64_t)(v * 1e9);
	return 0;
}

static int parse_keys(const char *s, char err[ERR_LEN])
{
	size_t len = strlen(s), i;

	if (len < 1 || len > SR_MAX_KEYS) {
		snprintf(err, ERR_LEN,
			 "keys '%.40s': need 1 to %d sysrq keys, got %zu", s,
			 SR_MAX_KEYS, len);
		return -1;
	}
	for (i = 0; i < len; i++)
		if (!sr_key_bit((uint8_t)s[i])) {
			snprintf(err, ERR_LEN,
				 "keys '%.40s': character %zu '%c' is not a "
				 "sysrq key ([0-9a-z])",
				 s, i + 1, s[i]);
			return -1;
		}
	return 0;
}

/* The requests every host goes through: one per key, or one for all. */
static void plan_requests(struct send_host *h, struct send_req *reqs,
			  const char *keys, bool together)
{
	size_t len = strlen(keys), i;

	h->reqs = reqs;
	if (together) {
		h->nreqs = 1;
		memcpy(reqs[0].keys, keys, len);
		reqs[0].n = (uint8_t)len;
		return;
	}
	h->nreqs = len;
	for (i = 0; i < len; i++) {
		reqs[i].keys[0] = (uint8_t)keys[i];
		reqs[i].n = 1;
	}
}

enum key_source { SRC_NONE, SRC_KEY, SRC_FLEET, SRC_PASS };

/* Read the key (or fleet key) once; never printed, wiped by the caller. */
static int load_key(enum key_source src, const char *path, const char *name,
		    uint8_t key[KEY_LEN])
{
	char err[ERR_LEN];
	char *pass;
	size_t len;
	int ret;

	if (src != SRC_PASS)
		return read_key_warn(path, key);
	pass = sodium_malloc(PASSPHRASE_MAX + 1);
	if (!pass) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return -1;
	}
	ret = prompt_passphrase("Passphrase: ", pass, &len, err);
	if (ret == 0)
		ret = key_from_passphrase(pass, len, name, key, err);
	sodium_free(pass);
	if (ret < 0)
		fprintf(stderr, "%s: %s\n", prog, err);
	return ret;
}

int cmd_send(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "fleet-key", required_argument, NULL, 'f' },
		{ "passphrase", no_argument, NULL, 'P' },
		{ "name", required_argument, NULL, 'n' },
		{ "port", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 't' },
		{ "interval", required_argument, NULL, 'i' },
		{ "together", no_argument, NULL, 'T' },
		{ "no-ack", no_argument, NULL, 'A' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "keys", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct send_opts o = {
		.timeout = 5 * SR_NSEC_PER_SEC,
		.interval = 1 * SR_NSEC_PER_SEC,
		.family = AF_UNSPEC,
		.port = 9,
	};
	enum key_source src = SRC_NONE;
	const char *key_path = NULL, *name = NULL, *keys = NULL;
	const char *port_arg = NULL;
	struct send_index ix = { 0 };
	struct send_pool pool = { 0 };
	struct send_host *hosts = NULL;
	struct sr_mac_key *mks = NULL;
	struct send_req *reqs = NULL;
	uint8_t *key = NULL, *host_key = NULL;
	char err[ERR_LEN];
	size_t nhosts = 0, i, j, per_host;
	int c, nsrc = 0, ret = EXIT_USAGE;
	bool ok = true;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":k:f:Pn:p:t:i:TjK:v46h", opts,
				NULL)) != -1) {
		switch (c) {
		case 'k':
			src = SRC_KEY;
			key_path = optarg;
			nsrc++;
			break;
		case 'f':
			src = SRC_FLEET;
			key_path = optarg;
			nsrc++;
			break;
		case 'P':
			src = SRC_PASS;
			nsrc++;
			break;
		case 'n':
			name = optarg;
			break;
		case 'p':
			port_arg = optarg;
			break;
		case 't':
			if (parse_seconds(optarg, 0.001, 3600, &o.timeout) <
			    0) {
				fprintf(stderr,
					"%s send: bad --timeout '%s' (seconds, "
					"0.001 to 3600)\n",
					prog, optarg);
				return EXIT_USAGE;
			}
			break;
		case 'i':
			if (parse_seconds(optarg, 0, 3600, &o.interval) < 0) {
				fprintf(stderr,
					"%s send: bad --interval '%s' "
					"(seconds, 0 to 3600)\n",
					prog, optarg);
				return EXIT_USAGE;
			}
			break;
		case 'T':
			o.together = true;
			break;
		case 'A':
			o.no_ack = true;
			break;
		case 'j':
			o.json = true;
			break;
		case 'K':
			keys = optarg;
			break;
		case 'v':
			o.verbose = true;
			break;
		case '4':
			o.family = AF_INET;
			break;
		case '6':
			o.family = AF_INET6;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			opt_error("send", c, argv, opts);
			return EXIT_USAGE;
		}
	}
	if (nsrc > 1) {
		fprintf(stderr,
			"%s send: give only one of --key, --fleet-key and "
			"--passphrase\n",
			prog);
		return EXIT_USAGE;
	}
	if (src == SRC_NONE) {
		key_path = getenv("SYSRQ_KEY_FILE");
		if (!key_path || !*key_path) {
			fprintf(stderr,
				"%s send: no key: use --key FILE, --fleet-key "
				"FILE, --passphrase or SYSRQ_KEY_FILE\n",
				prog);
			return EXIT_USAGE;
		}
		src = SRC_KEY;
	}
	if (name && src != SRC_PASS) {
		fprintf(stderr, "%s send: --name only goes with --passphrase\n",
			prog);
		return EXIT_USAGE;
	}
	if (!name)
		name = "default";
	if (src == SRC_PASS &&
	    !sr_name_valid((const uint8_t *)name, strlen(name))) {
		fprintf(stderr,
			"%s send: key name '%s': needs 1 to %d characters of "
			"[A-Za-z0-9._-]\n",
			prog, name, SR_NAME_MAX);
		return EXIT_USAGE;
	}
	if (port_arg && port_parse(port_arg, &o.port) < 0) {
		fprintf(stderr, "%s send: bad port '%s' (1-65535)\n", prog,
			port_arg);
		return EXIT_USAGE;
	}
	if (argc - optind < (keys ? 1 : 2)) {
		fprintf(stderr,
			"%s send: name at least one HOST and the KEYS (see "
			"--help)\n",
			prog);
		return EXIT_USAGE;
	}
	if (!keys) {
		keys = argv[--argc];
		if (keys_name_a_host(keys)) {
			fprintf(stderr,
				"%s send: the last word '%s' is a host name "
				"and "
				"its keys would stop the host: did you forget "
				"the KEYS? (--keys KEYS sends them anyway)\n",
				prog, keys);
			return EXIT_USAGE;
		}
	}
	if (parse_keys(keys, err) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return EXIT_USAGE;
	}
	nhosts = (size_t)(argc - optind);
	per_host = o.together ? 1 : strlen(keys);

	hosts = calloc(nhosts, sizeof(*hosts));
	reqs = calloc(nhosts * per_host, sizeof(*reqs));
	mks = sodium_allocarray(nhosts, sizeof(*mks));
	key = sodium_malloc(KEY_LEN);
	host_key = sodium_malloc(KEY_LEN);
	if (!hosts || !reqs || !mks || !key || !host_key) {
		fprintf(stderr, "%s: out of memory\n", prog);
		ret = EXIT_FAIL;
		goto done;
	}
	for (i = 0; i < nhosts; i++)
		hosts[i].fd = -1;
	for (i = 0; i < nhosts; i++) {
		char label[LABEL_MAX + 1];

		/* Cheap checks first: syntax, fleet label, then the resolver. */
		if (host_parse(argv[optind + i], o.port, &hosts[i], err) < 0 ||
		    (src == SRC_FLEET &&
		     key_host_label(hosts[i].name, label, err) < 0) ||
		    host_resolve(&hosts[i], o.family, err) < 0) {
			fprintf(stderr, "%s: %s\n", prog, err);
			goto done;
		}
		plan_requests(&hosts[i], reqs + i * per_host, keys, o.together);
	}
	if (index_build(&ix, hosts, nhosts, err) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		goto done;
	}
	if (load_key(src, key_path, name, key) < 0)
		goto done;
	for (i = 0; i < nhosts; i++) {
		struct send_host *h = &hosts[i];

		if (src == SRC_FLEET) {
			if (key_derive_host(key, h->name, host_key, err) < 0) {
				fprintf(stderr, "%s: %s\n", prog, err);
				goto done;
			}
			sr_mac_key_init(&mks[i], host_key);
		} else {
			sr_mac_key_init(&mks[i], key);
		}
		h->mk = &mks[i];
		if (sr_key_id(h->mk, h->key_id) < 0) {
			fprintf(stderr, "%s: computing the key id failed\n",
				prog);
			ret = EXIT_FAIL;
			goto done;
		}
	}
	/* Only the keyed MAC states are needed from here on. */
	sodium_memzero(key, KEY_LEN);
	sodium_memzero(host_key, KEY_LEN);
	if (pool_open(&pool, hosts, nhosts, err) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		goto done;
	}

	send_loop(hosts, nhosts, &ix, &pool, &o);

	for (i = 0; i < nhosts; i++)
		for (j = 0; j < hosts[i].nreqs; j++)
			ok = ok && result_ok(hosts[i].reqs[j].result);
	if (o.json)
		report_json(hosts, nhosts, &o, ok);
	ret = ok ? EXIT_OK : EXIT_FAIL;
done:
	pool_close(&pool);
	index_free(&ix);
	free(hosts);
	free(reqs);
	sodium_free(mks);
	sodium_free(key);
	sodium_free(host_key);
	return ret;
}
