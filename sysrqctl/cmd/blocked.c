// SPDX-License-Identifier: GPL-2.0
/* sysrqctl blocked: sysrq 'w' on each host, its output printed (diag.c). */
#include "commands.h"
#include "client/send.h"

int cmd_blocked(int argc, char **argv)
{
	static const struct diag d = {
		"blocked", 'w',
		"the blocked (D state) tasks, what a hang is usually about"
	};

	return diag_run(&d, argc, argv);
}
