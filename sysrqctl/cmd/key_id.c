// SPDX-License-Identifier: GPL-2.0
/* sysrqctl key-id: the public key id of a key, in hex. */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>

#include "commands.h"
#include "opt.h"
#include "keys/key.h"
#include "core_env.h"
#include "keys/prompt.h"
#include "proto.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s key-id [FILE|-]\n"
		"Print the key id (16 hex digits) of the key in FILE, or of "
		"the\n"
		"key on standard input when FILE is '-' or absent. The id "
		"names\n"
		"the key in requests and in 'list'; it never reveals the key.\n"
		"  -h, --help  show this help\n",
		prog);
}

int cmd_key_id(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = "-";
	uint8_t kid[SR_KEY_ID_LEN];
	struct sr_mac_key *mk;
	uint8_t *key;
	int c, ret = EXIT_FAIL;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return EXIT_OK;
		}
		opt_error("key-id", c, argv, opts);
		return EXIT_USAGE;
	}
	if (argc - optind > 1) {
		fprintf(stderr, "%s key-id: one key file at most\n", prog);
		return EXIT_USAGE;
	}
	if (optind < argc)
		path = argv[optind];

	key = sodium_malloc(KEY_LEN);
	mk = sodium_malloc(sizeof(*mk));
	if (!key || !mk) {
		fprintf(stderr, "%s: out of memory\n", prog);
		goto done;
	}
	if (read_key_warn(path, key) < 0) {
		ret = EXIT_USAGE;
		goto done;
	}
	sr_mac_key_init(mk, key);
	sodium_memzero(key, KEY_LEN);
	if (sr_key_id(mk, kid) < 0) {
		fprintf(stderr, "%s: computing the key id failed\n", prog);
		goto done;
	}
	for (size_t i = 0; i < SR_KEY_ID_LEN; i++)
		printf("%02x", kid[i]);
	printf("\n");
	ret = fflush(stdout) ? EXIT_FAIL : EXIT_OK;
done:
	sodium_free(key);
	sodium_free(mk);
	return ret;
}
