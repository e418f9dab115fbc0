// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the protocol core and sysrqctl's key and host handling. */
#include <sodium.h>

#include "check.h"

unsigned int checks_passed, checks_failed;

int main(void)
{
	if (sodium_init() < 0)
		return 2;
	test_parse();
	test_verdict();
	test_fetch();
	test_ack();
	test_seal();
	test_key();
	test_hostport();
	test_hosts_file();
	printf("%u passed, %u failed\n", checks_passed, checks_failed);
	return checks_failed ? 1 : 0;
}
