// SPDX-License-Identifier: GPL-2.0
/*
 * sysrqctl reboot and poweroff: the rescue sequences, through send's
 * machinery. 'n' (real-time tasks become nice-able, so a real-time busy
 * loop cannot starve the sync that follows), 'i' (every process but init
 * killed: under a fork bomb the kernel's sync worker gets too small a
 * share of the CPU to finish), then 's', 'u' and 'b' or 'o'. All in ONE
 * request first, whose keys the host runs in order (waiting, bounded,
 * for the sync and remount and for the ACK to leave before the last):
 * one round trip after the clock probe, which counts on a host whose
 * network processing is starved. Where that is refused as a whole
 * (allow-list or kernel.sysrq), the same one by one, 'sub' or 'suo'
 * still as one request: 'n' and 'i' then ask for a REPORT, so the next
 * request leaves once they are done; a refused 'n' or 'i' is a warning,
 * and the rest goes on.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "client/send.h"

struct rescue {
	const char *cmd;  /* "reboot" */
	const char *all;  /* every key in one request, "nisub" */
	const char *keys; /* the terminal request, "sub" */
	const char *what; /* "reboot" */
};

static const struct rescue *current;

#define ALL_REFUSED                                                            \
	"refused as a whole (the key's allow-list or kernel.sysrq forbids "    \
	"a key): sending 'n', 'i' and the rest one by one"
#define N_REFUSED                                                              \
	"'n' refused (the key's allow-list, or kernel.sysrq bit 256, "         \
	"forbids it): "                                                        \
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
		"Sends every HOST, at once, one request '%s': 'n' (real-time\n"
		"tasks become nice-able, so that a real-time busy loop cannot\n"
		"starve the sync), 'i' (kill every process but init, so that "
		"a\n"
		"fork bomb cannot), sync, remount read-only, %s; the host "
		"runs\n"
		"them in order. A host that refuses it as a whole gets 'n',\n"
		"'i' and '%s' as three requests: a refused 'n' or 'i' is then\n"
		"a warning. One line per host and request, as for send. Exit "
		"0\n"
		"when the host accepted the keys (or found them duplicate),\n"
		"1 when it did not, 2 on bad input (then nothing is "
		"sent).\n" SEND_HELP_HOSTS_KEYS
		"  -j, --json            one JSON document instead of lines\n"
		"  -v, --verbose         say on stderr why datagrams were "
		"ignored\n"
		"  -h, --help            show this help\n",
		prog, current->cmd, current->all, current->what, current->keys);
}

static int rescue(const struct rescue *r, int argc, char **argv)
{
	static const struct option opts[] = {
		SEND_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	const struct send_step steps[] = {
		{ r->all, (uint8_t)strlen(r->all), ALL_REFUSED, true },
		{ "n", 1, N_REFUSED, false },
		{ "i", 1, I_REFUSED, false },
		{ r->keys, (uint8_t)strlen(r->keys), NULL, false },
	};
	struct send_cli c;
	int ret;

	current = r;
	ret = send_cli_parse(argc, argv, r->cmd, opts, ":k:f:Pn:p:W:jv46h",
			     usage, &c);
	if (ret >= 0)
		return ret;
	if (argc - optind < 1) {
		fprintf(stderr, "%s %s: name at least one HOST (see --help)\n",
			prog, r->cmd);
		hosts_free(&c.hosts);
		return EXIT_USAGE;
	}
	ret = send_run(&c, argv + optind, (size_t)(argc - optind), steps,
		       sizeof(steps) / sizeof(steps[0]));
	hosts_free(&c.hosts);
	return ret;
}

int cmd_reboot(int argc, char **argv)
{
	static const struct rescue r = { "reboot", "nisub", "sub", "reboot" };

	return rescue(&r, argc, argv);
}

int cmd_poweroff(int argc, char **argv)
{
	static const struct rescue r = { "poweroff", "nisuo", "suo",
					 "power off" };

	return rescue(&r, argc, argv);
}
