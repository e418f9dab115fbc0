// SPDX-License-Identifier: GPL-2.0
/*
 * The options send, reboot and poweroff share (key source, port, family,
 * timeout, JSON, verbosity, hosts file) and send's own (together,
 * keys), parsed in one place; each command passes the table it takes.
 * The hosts files are read here too. --no-ack and --interval, which
 * protocol v2 made meaningless, are refused with the reason.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "client/hostport.h"
#include "opt.h"
#include "client/send.h"

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

/*
 * The hosts files, read whole before anything is sent: any bad line is
 * an error. Whoever may write one chooses where requests go and with
 * which key, so a file group or others may write is worth a warning.
 */
static int load_hosts(struct send_cli *c)
{
	char err[ERR_LEN];
	size_t i;

	if (hosts_load_all(&c->hosts, c->hosts_path, err) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		hosts_free(&c->hosts);
		return EXIT_USAGE;
	}
	for (i = 0; i < c->hosts.nfiles; i++)
		if (c->hosts.files[i].loose)
			fprintf(stderr,
				"%s: warning: hosts file %s is writable by "
				"group or others (chmod go-w it)\n",
				prog, c->hosts.files[i].path);
	return -1;
}

/* The checks that need every option: key source, name, port; hosts. */
static int cli_check(const char *cmd, struct send_cli *c, int nsrc)
{
	if (nsrc > 1) {
		fprintf(stderr,
			"%s %s: give only one of --key, --fleet-key and "
			"--passphrase\n",
			prog, cmd);
		return EXIT_USAGE;
	}
	if (c->name && c->src != SRC_PASS) {
		fprintf(stderr, "%s %s: --name only goes with --passphrase\n",
			prog, cmd);
		return EXIT_USAGE;
	}
	if (!c->name)
		c->name = "default";
	if (c->src == SRC_PASS &&
	    !sr_name_valid((const uint8_t *)c->name, strlen(c->name))) {
		fprintf(stderr,
			"%s %s: key name '%s': needs 1 to %d characters of "
			"[A-Za-z0-9._-]\n",
			prog, cmd, c->name, SR_NAME_MAX);
		return EXIT_USAGE;
	}
	if (c->port_arg && port_parse(c->port_arg, &c->o.port) < 0) {
		fprintf(stderr, "%s %s: bad port '%s' (1-65535)\n", prog, cmd,
			c->port_arg);
		return EXIT_USAGE;
	}
	return load_hosts(c);
}

int send_cli_parse(int argc, char **argv, const char *cmd,
		   const struct option *opts, const char *shortopts,
		   void (*usage)(FILE *f), struct send_cli *c)
{
	int ch, nsrc = 0;

	memset(c, 0, sizeof(*c));
	c->o.timeout = 10 * SR_NSEC_PER_SEC;
	c->o.family = AF_UNSPEC;
	c->o.port = 9;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			c->src = SRC_KEY;
			c->key_path = optarg;
			nsrc++;
			break;
		case 'f':
			c->src = SRC_FLEET;
			c->key_path = optarg;
			nsrc++;
			break;
		case 'P':
			c->src = SRC_PASS;
			nsrc++;
			break;
		case 'n':
			c->name = optarg;
			break;
		case 'p':
			c->port_arg = optarg;
			break;
		case 'W':
			if (parse_seconds(optarg, 0.001, 3600, &c->o.timeout) <
			    0) {
				fprintf(stderr,
					"%s %s: bad --timeout '%s' (seconds, "
					"0.001 to 3600)\n",
					prog, cmd, optarg);
				return EXIT_USAGE;
			}
			break;
		case 'i':
		case OPT_INTERVAL:
			fprintf(stderr,
				"%s %s: --interval is gone: the next key is "
				"sent as soon as the host reports the one "
				"before done (protocol v2)\n",
				prog, cmd);
			return EXIT_USAGE;
		case OPT_TOGETHER:
			c->o.together = true;
			break;
		case OPT_NO_ACK:
			fprintf(stderr,
				"%s %s: --no-ack is gone: every request is "
				"bound to the host's epoch, which only its "
				"answer to the clock probe tells (protocol "
				"v2)\n",
				prog, cmd);
			return EXIT_USAGE;
		case 'j':
			c->o.json = true;
			break;
		case 'K':
			c->keys = optarg;
			break;
		case OPT_HOSTS:
			c->hosts_path = optarg;
			break;
		case 'v':
			c->o.verbose = true;
			break;
		case '4':
			c->o.family = AF_INET;
			break;
		case '6':
			c->o.family = AF_INET6;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			opt_error(cmd, ch, argv, opts);
			return EXIT_USAGE;
		}
	}
	return cli_check(cmd, c, nsrc);
}
