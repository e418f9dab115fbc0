// SPDX-License-Identifier: GPL-2.0
/*
 * sysrqctl arm: arm the host as nft_sysrq.conf says. nft-sysrq.service
 * runs it at boot and after every start or reload of nftables.service,
 * whose ruleset (Debian's default begins with "flush ruleset") removes our
 * table. Each section is armed as `enable` would arm it, so a second run
 * changes nothing; a section whose key file is unsafe is skipped with one
 * line saying why, and the others are armed all the same.
 */
#include <getopt.h>
#include <linux/netfilter.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/arm_conf.h"
#include "commands.h"
#include "cmd/enable.h"
#include "keys/key.h"
#include "netlink/nl_cli.h"
#include "opt.h"
#include "keys/seal_key.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s arm [--config FILE] [--check | --stop]\n"
		"Arm this host as the configuration says: for each [NAME]\n"
		"section, the table, its input chain and one rule per "
		"source,\n"
		"armed with the section's key, as 'enable' does; what is\n"
		"armed that way already is left as it is. A key file that is\n"
		"not a regular file owned by root, or that group or others\n"
		"may read, is not armed (one line says why); the other\n"
		"sections are. nft-sysrq.service runs it at boot and after\n"
		"nftables.service starts or reloads.\n"
		"  -c, --config FILE  the configuration (default %s)\n"
		"      --check        check the configuration and key files,\n"
		"                     change nothing\n"
		"      --stop         delete the configuration's table (if\n"
		"                     'enable' or 'arm' made it): disarmed\n"
		"  -h, --help         show this help\n"
		"Exit 0 when every section was armed (or there is none), 1 "
		"when\n"
		"one or more were not, 2 when the configuration is wrong "
		"(then\n"
		"nothing is armed).\n",
		prog, ARM_CONF_DEFAULT);
}

/* Read a section's key; NULL (and one line on stderr) when it is unsafe. */
static uint8_t *section_key(const struct arm_key *k)
{
	uint8_t *key = sodium_malloc(KEY_LEN);
	char err[ERR_LEN];
	struct stat st;

	if (!key) {
		fprintf(stderr, "%s arm: [%s] not armed: out of memory\n", prog,
			k->name);
		return NULL;
	}
	if (key_read_file_stat(k->file, key, &st, err)) {
		fprintf(stderr, "%s arm: [%s] not armed: %s\n", prog, k->name,
			err);
		goto bad;
	}
	if (st.st_uid != 0) {
		fprintf(stderr,
			"%s arm: [%s] not armed: key file %s is owned by uid "
			"%u, not root\n",
			prog, k->name, k->file, (unsigned int)st.st_uid);
		goto bad;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		fprintf(stderr,
			"%s arm: [%s] not armed: key file %s may be read by "
			"group or others (mode %04o): chmod 600 it\n",
			prog, k->name, k->file,
			(unsigned int)(st.st_mode & 07777));
		goto bad;
	}
	return key;
bad:
	sodium_free(key);
	return NULL;
}

static void request(const struct arm_conf *conf, const struct arm_key *k,
		    struct enable_req *r)
{
	memset(r, 0, sizeof(*r));
	cli_scope("arm", conf->family, conf->table, &r->scope);
	r->port = k->port;
	memcpy(r->sources, k->sources, k->nsources * sizeof(k->sources[0]));
	r->nsources = k->nsources;
	r->set.name = k->name;
	r->set.allow = k->allow[0] ? k->allow : NULL;
	r->set.has_tolerance = k->has_tolerance;
	r->set.tolerance = k->tolerance;
	r->set.has_output = k->has_output;
	r->set.output = k->output;
}

int cmd_arm(int argc, char **argv)
{
	enum { OPT_CHECK = 256, OPT_STOP };
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "stop", no_argument, NULL, OPT_STOP },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = ARM_CONF_DEFAULT;
	static struct arm_conf conf; /* large; no key bytes in it */
	uint8_t sealed[NFT_SYSRQ_SEALED_KEY_LEN], pub[SEAL_PUB_LEN];
	struct enable_req req;
	bool check = false, stop = false, opened = false, have_pub = false;
	unsigned int armed = 0;
	struct nl nl;
	FILE *f;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case OPT_CHECK:
			check = true;
			break;
		case OPT_STOP:
			stop = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			opt_error("arm", opt, argv, opts);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s arm: unexpected argument '%s'\n", prog,
			argv[optind]);
		return EXIT_USAGE;
	}
	f = fopen(path, "re");
	if (!f) {
		fprintf(stderr, "%s arm: %s: %m\n", prog, path);
		return EXIT_USAGE;
	}
	if (arm_conf_parse(f, path, &conf)) {
		fclose(f);
		fprintf(stderr, "%s arm: %s is wrong: nothing armed\n", prog,
			path);
		return EXIT_USAGE;
	}
	fclose(f);
	if (check && stop) {
		fprintf(stderr, "%s arm: --check or --stop, not both\n", prog);
		return EXIT_USAGE;
	}
	if (stop) {
		struct nl_scope scope;
		int ret;

		cli_scope("arm", conf.family, conf.table, &scope);
		if (cli_open(&nl))
			return EXIT_FAIL;
		ret = disable_table(&nl, &scope, false);
		nl_close(&nl);
		return ret;
	}
	if (!conf.nkeys) {
		printf("no [NAME] section in %s: nothing to arm\n", path);
		return EXIT_OK;
	}
	for (size_t i = 0; i < conf.nkeys; i++) {
		const struct arm_key *k = &conf.keys[i];
		uint8_t *key = section_key(k);
		uint8_t id[NFT_SYSRQ_KEY_ID_LEN];
		char hex[17];
		bool ok;

		if (!key)
			continue;
		if (check) {
			if (!cli_key_id(key, id)) {
				cli_hex(id, hex);
				printf("[%s] key file %s: key-id %s\n", k->name,
				       k->file, hex);
				armed++;
			}
		} else if (!have_pub && seal_public_key("arm", pub)) {
			/* Said once; no section can be armed without it. */
			sodium_free(key);
			break;
		} else {
			have_pub = true;
			request(&conf, k, &req);
			ok = !seal_for_rule("arm", key, pub, sealed,
					    req.key_id);
			/* Sealed, the plain key is needed no more. */
			sodium_free(key);
			key = NULL;
			if (ok && (opened || !cli_open(&nl))) {
				opened = true;
				req.sealed = sealed;
				if (!enable_apply(&nl, &req))
					armed++;
			}
		}
		sodium_free(key);
	}
	if (opened)
		nl_close(&nl);
	return armed == conf.nkeys ? EXIT_OK : EXIT_FAIL;
}
