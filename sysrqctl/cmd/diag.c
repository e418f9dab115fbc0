// SPDX-License-Identifier: GPL-2.0
/*
 * The diagnostics an admin asks a hung host for, by name rather than by
 * sysrq letter: blocked (w), tasks (t), memory (m), backtraces (l); one
 * file each, this one shared. Each is send with one key and a REPORT:
 * the host's kernel log lines come back and are printed.
 */
#include <getopt.h>
#include <stdio.h>

#include "commands.h"
#include "client/send.h"

static const struct diag *current;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s %s [options] HOST...\n"
		"Asks every HOST for %s\n"
		"(sysrq '%c') and prints the kernel log lines it produced, "
		"each\n"
		"line after the host's name when there are several hosts. "
		"The\n"
		"host must allow '%c' (the rule's allow-list, and "
		"kernel.sysrq\n"
		"bit 8, which Debian's default 438 lacks) and keep output for "
		"the\n"
		"key (the rule's output limit). Exit 0 when every host "
		"answered\n"
		"with all its output, 1 otherwise, 2 on bad input (then "
		"nothing\n"
		"is sent).\n" SEND_HELP_HOSTS_KEYS
		"  -j, --json            one JSON document, the output as "
		"text\n"
		"  -v, --verbose         say on stderr why datagrams were "
		"ignored\n"
		"  -h, --help            show this help\n",
		prog, current->cmd, current->what, current->key, current->key);
}

int diag_run(const struct diag *d, int argc, char **argv)
{
	static const struct option opts[] = {
		SEND_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	const char keys[2] = { (char)d->key, '\0' };
	const struct send_step step = { keys, 1, NULL, false };
	struct send_cli c;
	int ret;

	current = d;
	ret = send_cli_parse(argc, argv, d->cmd, opts, ":k:f:Pn:p:W:jv46h",
			     usage, &c);
	if (ret >= 0)
		return ret;
	if (argc - optind < 1) {
		fprintf(stderr, "%s %s: name at least one HOST (see --help)\n",
			prog, d->cmd);
		hosts_free(&c.hosts);
		return EXIT_USAGE;
	}
	c.o.want_output = true;
	ret = send_run(&c, argv + optind, (size_t)(argc - optind), &step, 1);
	hosts_free(&c.hosts);
	return ret;
}
