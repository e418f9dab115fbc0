// SPDX-License-Identifier: GPL-2.0
/* sysrqctl passphrase-key: the Argon2id key of a passphrase, in base64. */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "opt.h"
#include "keys/key.h"
#include "keys/prompt.h"
#include "proto.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s passphrase-key [--name NAME]\n"
		"Read a passphrase (without echo on a terminal, else one line "
		"of\n"
		"standard input) and print the key derived from it (Argon2id,\n"
		"salted with the key name) as base64.\n"
		"  -n, --name NAME  the key's name (default 'default'); the "
		"same\n"
		"                   passphrase gives another key under another "
		"name\n"
		"  -h, --help       show this help\n",
		prog);
}

int cmd_passphrase_key(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name = "default";
	char err[ERR_LEN];
	char *pass = NULL, *text = NULL;
	uint8_t *key = NULL;
	size_t len = 0;
	int c, ret = EXIT_FAIL;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			opt_error("passphrase-key", c, argv, opts);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s passphrase-key: unexpected argument '%s'\n",
			prog, argv[optind]);
		return EXIT_USAGE;
	}
	if (!sr_name_valid((const uint8_t *)name, strlen(name))) {
		fprintf(stderr,
			"%s: key name '%s': needs 1 to %d characters of "
			"[A-Za-z0-9._-]\n",
			prog, name, SR_NAME_MAX);
		return EXIT_USAGE;
	}

	pass = sodium_malloc(PASSPHRASE_MAX + 1);
	key = sodium_malloc(KEY_LEN);
	text = sodium_malloc(KEY_B64_LEN + 1);
	if (!pass || !key || !text) {
		fprintf(stderr, "%s: out of memory\n", prog);
		goto done;
	}
	if (prompt_passphrase("Passphrase: ", pass, &len, err) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		ret = EXIT_USAGE;
		goto done;
	}
	if (key_from_passphrase(pass, len, name, key, err) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		goto done;
	}
	key_format(key, text);
	printf("%s\n", text);
	ret = fflush(stdout) ? EXIT_FAIL : EXIT_OK;
done:
	sodium_free(pass);
	sodium_free(key);
	sodium_free(text);
	return ret;
}
