// SPDX-License-Identifier: GPL-2.0
/* sysrqctl genkey: a new random key, printed or written to a 0600 file. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "opt.h"
#include "keys/key.h"
#include "core_env.h"
#include "proto.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s genkey [--out FILE]\n"
		"Print a new random 32-byte key as base64, or write it to "
		"FILE.\n"
		"FILE is created with mode 0600 and never overwritten.\n"
		"  -o, --out FILE  write the key to FILE (must not exist)\n"
		"  -h, --help      show this help\n",
		prog);
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t w;

	while (len) {
		w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Create path exclusively and write text; on any failure remove it. */
static int write_new_file(const char *path, const char *text, size_t len)
{
	int fd, saved;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0 && errno == EEXIST) {
		fprintf(stderr, "%s: %s already exists; not overwriting it\n",
			prog, path);
		return EXIT_USAGE;
	}
	if (fd < 0) {
		fprintf(stderr, "%s: cannot create %s: %s\n", prog, path,
			strerror(errno));
		return EXIT_USAGE;
	}
	/* The umask may only take bits away; make the mode exactly 0600. */
	if (fchmod(fd, 0600) < 0 || write_all(fd, text, len) < 0 ||
	    fsync(fd) < 0) {
		saved = errno;
		close(fd);
		unlink(path);
		fprintf(stderr, "%s: writing %s: %s\n", prog, path,
			strerror(saved));
		return EXIT_FAIL;
	}
	if (close(fd) < 0) {
		saved = errno;
		unlink(path);
		fprintf(stderr, "%s: writing %s: %s\n", prog, path,
			strerror(saved));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_genkey(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint8_t *key = NULL;
	char *text = NULL;
	const char *out = NULL;
	uint8_t kid[SR_KEY_ID_LEN];
	struct sr_mac_key *mk = NULL;
	int c, ret = EXIT_FAIL;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			opt_error("genkey", c, argv, opts);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s genkey: unexpected argument '%s'\n", prog,
			argv[optind]);
		return EXIT_USAGE;
	}

	/* Guarded, locked memory for the key and its text form. */
	key = sodium_malloc(KEY_LEN);
	text = sodium_malloc(KEY_B64_LEN + 2);
	mk = sodium_malloc(sizeof(*mk));
	if (!key || !text || !mk) {
		fprintf(stderr, "%s: out of memory\n", prog);
		goto done;
	}
	randombytes_buf(key, KEY_LEN);
	key_format(key, text);
	text[KEY_B64_LEN] = '\n';
	text[KEY_B64_LEN + 1] = '\0';
	if (!out) {
		ret = write_all(STDOUT_FILENO, text, KEY_B64_LEN + 1) < 0 ?
			      EXIT_FAIL :
			      EXIT_OK;
		goto done;
	}
	ret = write_new_file(out, text, KEY_B64_LEN + 1);
	if (ret == EXIT_OK) {
		sr_mac_key_init(mk, key);
		if (sr_key_id(mk, kid) == 0) {
			fprintf(stderr, "%s: wrote a new key to %s (key id ",
				prog, out);
			for (size_t i = 0; i < SR_KEY_ID_LEN; i++)
				fprintf(stderr, "%02x", kid[i]);
			fprintf(stderr, ")\n");
		}
	}
done:
	sodium_free(key);
	sodium_free(text);
	sodium_free(mk);
	return ret;
}
