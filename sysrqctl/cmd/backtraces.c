// SPDX-License-Identifier: GPL-2.0
/* sysrqctl backtraces: sysrq 'l' on each host, its output printed (diag.c). */
#include "commands.h"
#include "client/send.h"

int cmd_backtraces(int argc, char **argv)
{
	static const struct diag d = { "backtraces", 'l',
				       "a backtrace of every active CPU" };

	return diag_run(&d, argc, argv);
}
