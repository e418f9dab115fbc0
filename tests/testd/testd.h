/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sysrq-testd: a userspace stand-in for the kernel expression, built on
 * the protocol core (sr_handle and the sr_record_* calls), for client
 * tests on loopback. It never touches sysrq: "executing" means appending
 * to --exec-log, and the output is a canned text.
 */
#ifndef TESTD_H
#define TESTD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core_env.h"
#include "proto.h"

#define TESTD_MAX_KEYS 16

struct testd_keys {
	size_t n;
	char names[TESTD_MAX_KEYS][SR_NAME_MAX + 1];
	struct sr_key keys[TESTD_MAX_KEYS];
	/*
	 * Each port stands for a host, and records are host-wide: one per
	 * port and key id, recs[port * n + canon[i]], where
	 * canon[i] is the first key with key i's key id.
	 */
	size_t canon[TESTD_MAX_KEYS];
	size_t nports;
	struct sr_record *recs;
	struct sr_mac_key *mks; /* sodium_malloc'd, TESTD_MAX_KEYS */
	/* Per key: verdicts of the datagrams carrying its key id. */
	uint64_t count[TESTD_MAX_KEYS][SR_VERDICT_COUNT];
};

/* keys.c: "NAME:FILE[:ALLOW]"; prints one error line and returns -1. */
int keys_init(struct testd_keys *k);
int keys_add(struct testd_keys *k, const char *spec, uint32_t tolerance);
/* The records of nports hosts, each with a random epoch. */
int keys_records(struct testd_keys *k, size_t nports);
/* Key i's record on port p. */
struct sr_record *keys_rec(const struct testd_keys *k, size_t port, size_t i);
/* Every record gets a new epoch (a restart); frees their kept output. */
void keys_renew(struct testd_keys *k);
/* Drops kept output older than KEEP. */
void keys_expire(struct testd_keys *k, uint64_t now);
void keys_free(struct testd_keys *k);

/* sockets.c: port i's sockets are fds[2i] (127.0.0.1), fds[2i+1] (::1), -1 if unused. */
struct testd_socks {
	size_t nports;
	int *fds;
	uint16_t *ports;
};

/* nports ports from port on (port 0: each picked by the kernel). */
int socks_open(struct testd_socks *s, bool v4, bool v6, uint16_t port,
	       size_t nports);
void socks_close(struct testd_socks *s);

/* output.c: the canned text, and what a request's keys "print". */
struct testd_canned {
	char *text;
	size_t len;
};
/* path NULL: the built-in text. Prints one error line and returns -1. */
int canned_load(struct testd_canned *c, const char *path);
/* malloc'd output of one request's keys; *len its length. */
char *canned_output(const struct testd_canned *c, const uint8_t *keys, size_t n,
		    size_t *len);

#endif
