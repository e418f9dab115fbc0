// SPDX-License-Identifier: GPL-2.0
/*
 * sysrqctl derive: per-host keys from a fleet key, printed as
 * "HOST KEY" lines or written as DIR/LABEL.key files (mode 0600).
 */
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
#include "keys/prompt.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s derive --fleet-key FILE [--out-dir DIR] HOST...\n"
		"Derive each host's own key from the fleet key: the key to arm "
		"on\n"
		"that host (set-secret) while 'send --fleet-key' derives the "
		"same.\n"
		"HOST is the name exactly as you will type it to 'send'.\n"
		"Prints one line 'HOST KEY' per host, or with --out-dir "
		"writes\n"
		"DIR/LABEL.key (mode 0600, never overwritten; LABEL is the "
		"host\n"
		"lowercased without a trailing dot) and prints 'HOST FILE'.\n"
		"  -f, --fleet-key FILE  the fleet key ('-' for standard "
		"input)\n"
		"  -d, --out-dir DIR     write key files into DIR\n"
		"  -h, --help            show this help\n",
		prog);
}

static int write_key_file(int dirfd, const char *name, const char *text)
{
	size_t len = strlen(text);
	ssize_t w;
	int fd;

	fd = openat(dirfd, name,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (fchmod(fd, 0600) < 0)
		goto fail;
	w = write(fd, text, len);
	if (w != (ssize_t)len || fsync(fd) < 0)
		goto fail;
	return close(fd);
fail:
	close(fd);
	unlinkat(dirfd, name, 0);
	return -1;
}

int cmd_derive(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "fleet-key", required_argument, NULL, 'f' },
		{ "out-dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *fleet_path = NULL, *dir = NULL;
	char err[ERR_LEN], label[LABEL_MAX + 1], name[LABEL_MAX + 8];
	uint8_t *fleet = NULL, *keys = NULL;
	char *text = NULL;
	int c, i, nhosts, dirfd = -1, written = 0, ret = EXIT_FAIL;
	struct stat st;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			fleet_path = optarg;
			break;
		case 'd':
			dir = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			opt_error("derive", c, argv, opts);
			return EXIT_USAGE;
		}
	}
	if (!fleet_path) {
		fprintf(stderr, "%s derive: --fleet-key FILE is required\n",
			prog);
		return EXIT_USAGE;
	}
	nhosts = argc - optind;
	if (nhosts < 1) {
		fprintf(stderr, "%s derive: name at least one HOST\n", prog);
		return EXIT_USAGE;
	}

	fleet = sodium_malloc(KEY_LEN);
	keys = sodium_allocarray((size_t)nhosts, KEY_LEN);
	text = sodium_malloc(KEY_B64_LEN + 2);
	if (!fleet || !keys || !text) {
		fprintf(stderr, "%s: out of memory\n", prog);
		goto done;
	}
	ret = EXIT_USAGE;
	if (read_key_warn(fleet_path, fleet) < 0)
		goto done;
	/* Every host must be valid before anything is printed or written. */
	for (i = 0; i < nhosts; i++) {
		if (key_derive_host(fleet, argv[optind + i],
				    keys + (size_t)i * KEY_LEN, err) < 0) {
			fprintf(stderr, "%s: %s\n", prog, err);
			goto done;
		}
	}
	sodium_memzero(fleet, KEY_LEN);
	if (dir) {
		dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dirfd < 0) {
			fprintf(stderr, "%s: --out-dir %s: %s\n", prog, dir,
				strerror(errno));
			goto done;
		}
		for (i = 0; i < nhosts; i++) {
			key_host_label(argv[optind + i], label, err);
			snprintf(name, sizeof(name), "%s.key", label);
			if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) ==
			    0) {
				fprintf(stderr,
					"%s: %s/%s already exists; not "
					"overwriting it\n",
					prog, dir, name);
				goto done;
			}
		}
	}
	ret = EXIT_FAIL;
	for (i = 0; i < nhosts; i++) {
		key_format(keys + (size_t)i * KEY_LEN, text);
		if (!dir) {
			printf("%s %s\n", argv[optind + i], text);
			continue;
		}
		key_host_label(argv[optind + i], label, err);
		snprintf(name, sizeof(name), "%s.key", label);
		text[KEY_B64_LEN] = '\n';
		text[KEY_B64_LEN + 1] = '\0';
		if (write_key_file(dirfd, name, text) < 0) {
			fprintf(stderr, "%s: writing %s/%s: %s\n", prog, dir,
				name, strerror(errno));
			goto undo;
		}
		written++;
		printf("%s %s/%s\n", argv[optind + i], dir, name);
	}
	sodium_memzero(text, KEY_B64_LEN + 2);
	ret = fflush(stdout) ? EXIT_FAIL : EXIT_OK;
	goto done;
undo:
	/* All or nothing: remove the files this run created. */
	for (i = 0; i < written; i++) {
		key_host_label(argv[optind + i], label, err);
		snprintf(name, sizeof(name), "%s.key", label);
		unlinkat(dirfd, name, 0);
	}
done:
	if (dirfd >= 0)
		close(dirfd);
	sodium_free(fleet);
	sodium_free(keys);
	sodium_free(text);
	return ret;
}
