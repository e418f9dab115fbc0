// SPDX-License-Identifier: GPL-2.0
/*
 * sysrqctl reboot and poweroff: the rescue sequences, through send's
 * machinery. First 'n' on its own (real-time tasks become nice-able, so
 * a real-time busy loop cannot starve the sync that follows), then 'i'
 * (every process but init killed: under a fork bomb the kernel's sync
 * worker gets too small a share of the CPU to finish), then ONE request
 * 'sub' or 'suo', whose keys the host runs in order: it waits, bounded,
 * for the sync and remount before rebooting, and for the ACK to leave.
 * No pause in between: ordering is the host's job. A host that refuses
 * 'n' or 'i' (allow-list or kernel.sysrq) gets a warning and the rest.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "send.h"

struct rescue {
	const char *cmd;  /* "reboot" */
	const char *keys; /* the terminal request, "sub" */
	const char *what; /* "reboot" */
};

static const struct rescue *current;

#define N_REFUSED                                                              \
	"'n' refused (the key's allow-list or kernel.sysrq forbids it): "      \
	"real-time tasks keep their priority and may starve the sync; "        \
	"going on"
#define I_REFUSED                                                              \
	"'i' refused (the key's allow-list or kernel.sysrq, bit 64, forbids "  \
	"it): processes are not killed first, and a fork bomb may starve "     \
	"the sync; going on"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s %s [options] HOST...\n"
		"Sends every HOST, at once, 'n' (real-time tasks become\n"
		"nice-able, so that a real-time busy loop cannot starve the\n"
		"sync), then 'i' (kill every process but init, so that a fork\n"
		"bomb cannot), then one request '%s' (sync, remount "
		"read-only,\n"
		"%s), which the host runs in order. A host that refuses 'n'\n"
		"or 'i' gets a warning and '%s' all the same. One line per\n"
		"host and request, as for send. Exit 0 when every request was\n"
		"executed (or duplicate, or 'n'/'i' refused), 1 when any was\n"
		"not, 2 on bad input (then nothing is sent).\n"
		"HOST: name, IPv4, IPv6, name:PORT, IPv4:PORT or "
		"[IPv6]:PORT.\n"
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
		"  -j, --json            one JSON document instead of lines\n"
		"  -v, --verbose         say on stderr why datagrams were "
		"ignored\n"
		"  -h, --help            show this help\n",
		prog, current->cmd, current->keys, current->what,
		current->keys);
}

static int rescue(const struct rescue *r, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "fleet-key", required_argument, NULL, 'f' },
		{ "passphrase", no_argument, NULL, 'P' },
		{ "name", required_argument, NULL, 'n' },
		{ "port", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct send_step steps[] = {
		{ "n", 1, N_REFUSED },
		{ "i", 1, I_REFUSED },
		{ r->keys, (uint8_t)strlen(r->keys), NULL },
	};
	struct send_cli c;
	int ret;

	current = r;
	ret = send_cli_parse(argc, argv, r->cmd, opts, ":k:f:Pn:p:t:jv46h",
			     usage, &c);
	if (ret >= 0)
		return ret;
	if (argc - optind < 1) {
		fprintf(stderr, "%s %s: name at least one HOST (see --help)\n",
			prog, r->cmd);
		return EXIT_USAGE;
	}
	c.o.interval = 0;
	return send_run(&c, argv + optind, (size_t)(argc - optind), steps,
			sizeof(steps) / sizeof(steps[0]));
}

int cmd_reboot(int argc, char **argv)
{
	static const struct rescue r = { "reboot", "sub", "reboot" };

	return rescue(&r, argc, argv);
}

int cmd_poweroff(int argc, char **argv)
{
	static const struct rescue r = { "poweroff", "suo", "power off" };

	return rescue(&r, argc, argv);
}
