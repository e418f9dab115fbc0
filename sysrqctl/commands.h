/* SPDX-License-Identifier: GPL-2.0 */
/* sysrqctl subcommands: one file each, all with this signature. */
#ifndef SYSRQCTL_COMMANDS_H
#define SYSRQCTL_COMMANDS_H

/* Exit codes shared by every subcommand. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,	/* the operation ran and did not succeed */
	EXIT_USAGE = 2, /* bad arguments or input: nothing was done */
};

extern const char *prog; /* "sysrqctl", for messages */

int cmd_genkey(int argc, char **argv);
int cmd_key_id(int argc, char **argv);
int cmd_derive(int argc, char **argv);
int cmd_passphrase_key(int argc, char **argv);
int cmd_send(int argc, char **argv);
int cmd_reboot(int argc, char **argv);
int cmd_poweroff(int argc, char **argv);
int cmd_blocked(int argc, char **argv);
int cmd_tasks(int argc, char **argv);
int cmd_memory(int argc, char **argv);
int cmd_backtraces(int argc, char **argv);
int cmd_set_secret(int argc, char **argv);
int cmd_del_secret(int argc, char **argv);
int cmd_enable(int argc, char **argv);
int cmd_disable(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_arm(int argc, char **argv);

#endif
