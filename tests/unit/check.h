/* SPDX-License-Identifier: GPL-2.0 */
/* A minimal test harness: CHECK() prints one line per check and counts. */
#ifndef TESTS_UNIT_CHECK_H
#define TESTS_UNIT_CHECK_H

#include <stdbool.h>
#include <stdio.h>

extern unsigned int checks_passed, checks_failed;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (cond) {                                                    \
			checks_passed++;                                       \
			printf("ok - ");                                       \
		} else {                                                       \
			checks_failed++;                                       \
			printf("FAIL - %s:%d: ", __FILE__, __LINE__);          \
		}                                                              \
		printf(__VA_ARGS__);                                           \
		putchar('\n');                                                 \
	} while (0)

void test_parse(void);
void test_verdict(void);
void test_fetch(void);
void test_ack(void);
void test_seal(void);
void test_key(void);
void test_hostport(void);
void test_hosts_file(void);

#endif
