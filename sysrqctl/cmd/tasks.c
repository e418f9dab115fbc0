// SPDX-License-Identifier: GPL-2.0
/* sysrqctl tasks: sysrq 't' on each host, its output printed (diag.c). */
#include "commands.h"
#include "client/send.h"

int cmd_tasks(int argc, char **argv)
{
	static const struct diag d = { "tasks", 't',
				       "every task with its state and stack" };

	return diag_run(&d, argc, argv);
}
