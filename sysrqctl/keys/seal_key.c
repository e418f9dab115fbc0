// SPDX-License-Identifier: GPL-2.0
/*
 * Sealing keys for the kernel: the module's public key read from the
 * kernel only, the module loaded once if that key is missing, and
 * sr_seal() with fresh random bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "netlink/nl_cli.h"
#include "keys/prompt.h"
#include "proto.h"
#include "keys/seal_key.h"

/* Where the public key and modprobe are, and whether to insist on sysfs. */
struct seal_src {
	const char *path;
	const char *modprobe;
	bool sysfs; /* the file must be on sysfs: the kernel's own */
};

_Static_assert(SR_SEALED_LEN == NFT_SYSRQ_SEALED_KEY_LEN,
	       "the core's sealed key is the attribute's");

static const char *modprobe_path(void)
{
	/* Debian's kmod: /sbin/modprobe (also /usr/sbin with merged /usr). */
	return access("/sbin/modprobe", X_OK) == 0 ? "/sbin/modprobe" :
						     "/usr/sbin/modprobe";
}

#ifdef SYSRQCTL_TEST_HOOKS
/*
 * Test builds only ($(BUILD)/sysrqctl-test, never installed): this
 * machine's tests cannot load the module, so SYSRQCTL_TEST_PUBLIC_KEY
 * names the file to read instead (no sysfs check) and
 * SYSRQCTL_TEST_MODPROBE the program run when it is missing. The
 * installed sysrqctl has no such code on purpose: a variable that root's
 * sysrqctl honoured would let whoever sets root's environment (sudo
 * keeping it, a unit file) seal keys to a key pair of their own and read
 * them off netlink, which sealing exists to prevent.
 */
static void seal_source(struct seal_src *s)
{
	const char *path = getenv("SYSRQCTL_TEST_PUBLIC_KEY");
	const char *modprobe = getenv("SYSRQCTL_TEST_MODPROBE");

	s->path = path && *path ? path : NFT_SYSRQ_PUBLIC_KEY_PATH;
	s->sysfs = !(path && *path);
	s->modprobe = modprobe && *modprobe ? modprobe : modprobe_path();
}
#else
static void seal_source(struct seal_src *s)
{
	s->path = NFT_SYSRQ_PUBLIC_KEY_PATH;
	s->sysfs = true;
	s->modprobe = modprobe_path();
}
#endif

int seal_parse_public_key(const char *text, size_t len,
			  uint8_t pub[SEAL_PUB_LEN], char err[ERR_LEN])
{
	size_t hex_len = (size_t)2 * SEAL_PUB_LEN, bin_len = 0;
	const char *end = NULL;

	/* What the module prints: 64 lowercase hex digits and a newline. */
	if (len == hex_len + 1 && text[hex_len] == '\n')
		len--;
	for (size_t i = 0; i < len; i++) {
		if (!((text[i] >= '0' && text[i] <= '9') ||
		      (text[i] >= 'a' && text[i] <= 'f'))) {
			snprintf(err, ERR_LEN,
				 "not 64 lowercase hex digits and a newline "
				 "(byte %zu)",
				 i + 1);
			return -1;
		}
	}
	if (len != hex_len ||
	    sodium_hex2bin(pub, SEAL_PUB_LEN, text, len, NULL, &bin_len,
			   &end) != 0 ||
	    bin_len != SEAL_PUB_LEN) {
		snprintf(
			err, ERR_LEN,
			"not 64 lowercase hex digits and a newline (%zu bytes)",
			len);
		return -1;
	}
	return 0;
}

/* 0 read, -errno when the file cannot be read, 1 when it is not a key. */
static int read_public_key(const struct seal_src *s, uint8_t pub[SEAL_PUB_LEN],
			   char err[ERR_LEN])
{
	/* One byte more than the longest valid text tells "too long". */
	char buf[2 * SEAL_PUB_LEN + 2];
	struct statfs sfs;
	size_t got = 0;
	ssize_t r;
	int fd, ret = 1;

	fd = open(s->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (s->sysfs && (fstatfs(fd, &sfs) < 0 || sfs.f_type != SYSFS_MAGIC)) {
		snprintf(err, ERR_LEN,
			 "not on sysfs: only the kernel's own copy is "
			 "trusted");
		goto out;
	}
	while (got < sizeof(buf)) {
		r = read(fd, buf + got, sizeof(buf) - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			goto out;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (got == sizeof(buf))
		snprintf(err, ERR_LEN,
			 "too long: expected %d hex digits and at most one "
			 "newline",
			 2 * SEAL_PUB_LEN);
	else if (!seal_parse_public_key(buf, got, pub, err))
		ret = 0;
out:
	close(fd);
	return ret;
}

/* Run "modprobe nft_sysrq" once: fork and exec, no shell, clean env. */
static int run_modprobe(const char *cmd, const char *modprobe)
{
	/* MODPROBE_OPTIONS and the like are not the caller's to pass on. */
	static char env_path[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	static char arg0[] = "modprobe", arg1[] = "nft_sysrq";
	char *const envp[] = { env_path, NULL };
	char *const argv[] = { arg0, arg1, NULL };
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s %s: cannot run %s: %s\n", prog, cmd,
			modprobe, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		execve(modprobe, argv, envp);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		fprintf(stderr, "%s %s: cannot run %s\n", prog, cmd, modprobe);
	return -1;
}

int seal_public_key(const char *cmd, uint8_t pub[SEAL_PUB_LEN])
{
	struct seal_src s;
	char err[ERR_LEN];
	bool loaded = false;
	int ret;

	seal_source(&s);
	ret = read_public_key(&s, pub, err);
	if (ret == -ENOENT) {
		loaded = !run_modprobe(cmd, s.modprobe);
		ret = read_public_key(&s, pub, err);
	}
	if (!ret)
		return 0;
	if (ret == -ENOENT)
		fprintf(stderr,
			"%s %s: the nft_sysrq module's public key %s is "
			"missing%s: keys are only sent sealed to it; load "
			"the module (modprobe nft_sysrq)\n",
			prog, cmd, s.path,
			loaded ? " although modprobe nft_sysrq succeeded" :
				 " and modprobe nft_sysrq did not load it");
	else if (ret < 0)
		fprintf(stderr,
			"%s %s: the nft_sysrq module's public key %s: %s\n",
			prog, cmd, s.path, strerror(-ret));
	else
		fprintf(stderr,
			"%s %s: the nft_sysrq module's public key %s: %s\n",
			prog, cmd, s.path, err);
	return -1;
}

int seal_to_module(const char *cmd, const uint8_t key[KEY_LEN],
		   const uint8_t pub[SEAL_PUB_LEN],
		   uint8_t out[NFT_SYSRQ_SEALED_KEY_LEN])
{
	uint8_t eph[32];
	int err;

	randombytes_buf(eph, sizeof(eph));
	err = sr_seal(key, pub, eph, out);
	sodium_memzero(eph, sizeof(eph));
	if (!err)
		return 0;
	sodium_memzero(out, NFT_SYSRQ_SEALED_KEY_LEN);
	fprintf(stderr,
		"%s %s: cannot seal the key: the module's public key %s is not "
		"a usable X25519 key\n",
		prog, cmd, NFT_SYSRQ_PUBLIC_KEY_PATH);
	return -1;
}

int seal_for_rule(const char *cmd, const uint8_t key[KEY_LEN],
		  const uint8_t pub[SEAL_PUB_LEN],
		  uint8_t sealed[NFT_SYSRQ_SEALED_KEY_LEN],
		  uint8_t key_id[NFT_SYSRQ_KEY_ID_LEN])
{
	if (cli_key_id(key, key_id)) {
		fprintf(stderr, "%s %s: cannot compute the key id\n", prog,
			cmd);
		return -1;
	}
	return seal_to_module(cmd, key, pub, sealed);
}

int seal_key_file(const char *cmd, const char *path,
		  uint8_t sealed[NFT_SYSRQ_SEALED_KEY_LEN],
		  uint8_t key_id[NFT_SYSRQ_KEY_ID_LEN])
{
	uint8_t *key = sodium_malloc(KEY_LEN), pub[SEAL_PUB_LEN];
	int ret = EXIT_FAIL;

	if (!key) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return EXIT_FAIL;
	}
	if (read_key_warn(path, key))
		ret = EXIT_USAGE;
	else if (!seal_public_key(cmd, pub) &&
		 !seal_for_rule(cmd, key, pub, sealed, key_id))
		ret = EXIT_OK;
	sodium_free(key);
	return ret;
}
