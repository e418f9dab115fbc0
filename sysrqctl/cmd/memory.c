// SPDX-License-Identifier: GPL-2.0
/* sysrqctl memory: sysrq 'm' on each host, its output printed (diag.c). */
#include "commands.h"
#include "client/send.h"

int cmd_memory(int argc, char **argv)
{
	static const struct diag d = {
		"memory", 'm', "the memory state (free, slab, per zone)"
	};

	return diag_run(&d, argc, argv);
}
