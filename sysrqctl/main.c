// SPDX-License-Identifier: GPL-2.0
/* sysrqctl: dispatch to one subcommand per file, after hardening the process. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "commands.h"
#include "opt.h"

#ifndef NFT_SYSRQ_VERSION /* set by the Makefile from ./VERSION */
#define NFT_SYSRQ_VERSION "unknown"
#endif

const char *prog = "sysrqctl";

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "genkey", cmd_genkey,
	  "[--out FILE]  print or write a new random key" },
	{ "key-id", cmd_key_id, "[FILE|-]  print the key id of a key" },
	{ "derive", cmd_derive,
	  "--fleet-key FILE HOST...  print per-host keys" },
	{ "passphrase-key", cmd_passphrase_key,
	  "[--name NAME]  derive a key from a passphrase" },
	{ "send", cmd_send,
	  "[options] HOST... KEYS  trigger sysrq keys on hosts" },
	{ "reboot", cmd_reboot,
	  "[options] HOST...  'nisub': nice RT, kill, sync, remount, reboot" },
	{ "poweroff", cmd_poweroff,
	  "[options] HOST...  'nisuo': nice RT, kill, sync, remount, power "
	  "off" },
	{ "blocked", cmd_blocked,
	  "[options] HOST...  'w': show the blocked (D state) tasks" },
	{ "tasks", cmd_tasks, "[options] HOST...  't': show every task" },
	{ "memory", cmd_memory,
	  "[options] HOST...  'm': show the memory state" },
	{ "backtraces", cmd_backtraces,
	  "[options] HOST...  'l': show every CPU's backtrace" },
	{ "set-secret", cmd_set_secret,
	  "[options] (KEYFILE|-|-k FILE|-P)  arm sysrq rules" },
	{ "del-secret", cmd_del_secret,
	  "--name NAME  disarm or remove a sysrq rule" },
	{ "enable", cmd_enable,
	  "[--port P] [--source CIDR]...  create the sysrq table and rule" },
	{ "disable", cmd_disable, "remove what enable created" },
	{ "arm", cmd_arm,
	  "[--config FILE] [--check]  arm as nft_sysrq.conf says (boot)" },
	{ "list", cmd_list, "[--json]  show every sysrq expression" },
	{ "status", cmd_status,
	  "module, rules, kernel.sysrq, panic and clock state" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: %s COMMAND [ARGS]\n       %s --version\n", prog,
		prog);
	fprintf(f, "\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-15s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nRun '%s COMMAND --help' for a command's options.\n",
		prog);
}

/* A mistyped command gets the nearest one as a suggestion, not the list. */
static int unknown_command(const char *typed)
{
	const char *names[sizeof(commands) / sizeof(commands[0])], *near;
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		names[i] = commands[i].name;
	near = opt_nearest(typed, strlen(typed), names, i);
	if (near) {
		fprintf(stderr,
			"%s: unknown command '%s'; did you mean '%s'? (see "
			"'%s --help')\n",
			prog, typed, near, prog);
		return EXIT_USAGE;
	}
	fprintf(stderr, "%s: unknown command '%s'\n", prog, typed);
	usage(stderr);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	/* Key bytes must never reach a core file. */
	const struct rlimit no_core = { 0, 0 };

	setrlimit(RLIMIT_CORE, &no_core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("%s %s\n", prog, NFT_SYSRQ_VERSION);
		return EXIT_OK;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "%s: libsodium failed to initialise\n", prog);
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	return unknown_command(argv[1]);
}
