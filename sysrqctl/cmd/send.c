// SPDX-License-Identifier: GPL-2.0
/*
 * sysrqctl send: its usage, the KEYS argument (and the guard against
 * forgotten keys), and the requests they make; send_cli.c parses the
 * options, send_run.c does the rest.
 */
#include <getopt.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "client/send.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s send [options] HOST... KEYS\n"
		"       %s send [options] --keys KEYS HOST...\n"
		"Trigger the sysrq KEYS ([0-9a-z], e.g. 'sub': sync, remount\n"
		"read-only, reboot) on every HOST at once. Each host's clock "
		"is\n"
		"probed first; then each key is one signed request, re-sent "
		"until\n"
		"answered. A key that does not stop the host (not b, c or o) "
		"asks\n"
		"for a REPORT: the next key leaves once the host reports it "
		"done,\n"
		"and the kernel log lines it printed come back and are shown.\n"
		"One line per host and key: done, accepted, duplicate, "
		"refused,\n"
		"no answer, no report, or 'restarted; outcome unknown'. Exit "
		"0\n"
		"when all were done (or accepted), 1 otherwise, 2 on bad "
		"input\n"
		"(then nothing is sent).\n" SEND_HELP_HOSTS_KEYS
		"      --together        all keys in one request\n"
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
 * host and also resolves as a host, or is a NAME in a hosts file, it was
 * most likely meant as one.
 */
static bool keys_name_a_host(const struct hosts_table *ht, const char *word)
{
	const struct addrinfo hints = { .ai_socktype = SOCK_DGRAM };
	struct addrinfo *res = NULL;

	if (!strpbrk(word, "bco"))
		return false;
	if (hosts_find(ht, word))
		return true;
	if (getaddrinfo(word, NULL, &hints, &res) != 0)
		return false;
	freeaddrinfo(res);
	return true;
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
	for (i = 0; i < len; i++) {
		if (!sr_key_bit((uint8_t)s[i])) {
			snprintf(err, ERR_LEN,
				 "keys '%.40s': character %zu '%c' is not a "
				 "sysrq key ([0-9a-z])",
				 s, i + 1, s[i]);
			return -1;
		}
		/* The host no longer answers after b, c or o. */
		if (sr_key_terminal((uint8_t)s[i]) && i + 1 < len) {
			snprintf(err, ERR_LEN,
				 "keys '%.40s': '%c' stops the host, so the "
				 "keys after it would never run: put it last",
				 s, s[i]);
			return -1;
		}
	}
	return 0;
}

/* The KEYS (last word, or --keys) and the requests they make; then send. */
static int send_keys_arg(const struct send_cli *c, int argc, char **argv)
{
	struct send_step steps[SR_MAX_KEYS];
	const char *keys = c->keys;
	char err[ERR_LEN];
	size_t nsteps, i;

	if (argc - optind < (keys ? 1 : 2)) {
		fprintf(stderr,
			"%s send: name at least one HOST and the KEYS (see "
			"--help)\n",
			prog);
		return EXIT_USAGE;
	}
	if (!keys) {
		keys = argv[--argc];
		if (keys_name_a_host(&c->hosts, keys)) {
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
	/* One request per key, or one for all. */
	if (c->o.together) {
		steps[0] = (struct send_step){ keys, (uint8_t)strlen(keys),
					       NULL, false };
		nsteps = 1;
	} else {
		nsteps = strlen(keys);
		for (i = 0; i < nsteps; i++)
			steps[i] =
				(struct send_step){ keys + i, 1, NULL, false };
	}
	return send_run(c, argv + optind, (size_t)(argc - optind), steps,
			nsteps);
}

int cmd_send(int argc, char **argv)
{
	static const struct option opts[] = {
		SEND_COMMON_OPTIONS,
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "together", no_argument, NULL, OPT_TOGETHER },
		{ "no-ack", no_argument, NULL, OPT_NO_ACK },
		{ "keys", required_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 },
	};
	struct send_cli c;
	int ret;

	ret = send_cli_parse(argc, argv, "send", opts, ":k:f:Pn:p:W:i:jK:v46h",
			     usage, &c);
	if (ret >= 0)
		return ret;
	ret = send_keys_arg(&c, argc, argv);
	hosts_free(&c.hosts);
	return ret;
}
