/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The boot-time arming configuration, /etc/nft_sysrq/nft_sysrq.conf
 * (nft_sysrq.conf(5)): which keys `sysrqctl arm` arms, with which
 * allow-list, tolerance, output limit, sources and port. Parsing only checks the text;
 * the key files are read when arming.
 */
#ifndef SYSRQCTL_ARM_CONF_H
#define SYSRQCTL_ARM_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "netlink/nl_cli.h"
#include "proto.h"

#define ARM_CONF_DEFAULT "/etc/nft_sysrq/nft_sysrq.conf"
#define ARM_MAX_KEYS	 16
#define ARM_PATH_MAX	 256
#define ARM_ALLOW_MAX	 64

/* One [NAME] section: one key, armed in the rules that carry its name. */
struct arm_key {
	char name[SR_NAME_MAX + 1];
	char file[ARM_PATH_MAX];
	char allow[ARM_ALLOW_MAX + 1]; /* "" when not given: all keys */
	bool has_tolerance, has_output;
	uint32_t tolerance;
	uint32_t output; /* bytes of output kept per request */
	uint16_t port;
	struct nl_cidr sources[NL_MAX_SOURCES];
	size_t nsources;
	unsigned int line; /* where the section starts, for messages */
};

struct arm_conf {
	char family[8]; /* the table, "inet sysrq" unless "table =" says */
	char table[64];
	uint16_t port; /* default of the sections */
	struct arm_key keys[ARM_MAX_KEYS];
	size_t nkeys;
};

/*
 * Parse the file at path (already opened as f). On the first error, one
 * line "PATH:LINE: what" on stderr and -1; nothing else is returned then.
 */
int arm_conf_parse(FILE *f, const char *path, struct arm_conf *conf);

#endif
