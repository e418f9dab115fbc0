// SPDX-License-Identifier: GPL-2.0
/*
 * labclock [-n] NS: set the guest's realtime clock to NS nanoseconds since
 * the epoch (the host's clock when `lab up` sent it) and print how far the
 * guest clock was off, in milliseconds; with -n only print that. The RTC only gives whole seconds
 * at boot; protocol timestamps are checked against this clock.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct timespec before, set;
	bool dry = argc == 3 && !strcmp(argv[1], "-n");
	char *end;

	if (argc != 2 && !dry)
		goto usage;
	unsigned long long ns = strtoull(argv[argc - 1], &end, 10);

	if (*end || ns == 0)
		goto usage;
	clock_gettime(CLOCK_REALTIME, &before);
	set.tv_sec = (time_t)(ns / 1000000000ULL);
	set.tv_nsec = (long)(ns % 1000000000ULL);
	if (!dry && clock_settime(CLOCK_REALTIME, &set)) {
		perror("labclock: clock_settime");
		return 1;
	}
	long long off = ((long long)before.tv_sec - set.tv_sec) * 1000 +
			(before.tv_nsec - set.tv_nsec) / 1000000;

	printf("%lld\n", off);
	return 0;
usage:
	fprintf(stderr, "usage: labclock [-n] NANOSECONDS\n");
	return 2;
}
