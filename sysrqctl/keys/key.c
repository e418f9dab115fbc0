// SPDX-License-Identifier: GPL-2.0
/* Secret keys: text form, key files, fleet derivation, passphrases. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keys/key.h"
#include "proto.h"

static const char host_ctx[] = "nft_sysrq host v1";
static const char pass_ctx[] = "nft_sysrq passphrase v1";

#define SALT_LEN 16

int key_parse_text(const char *text, size_t len, uint8_t key[KEY_LEN],
		   char err[ERR_LEN])
{
	size_t bin_len = 0;
	const char *end = NULL;

	if (len == KEY_B64_LEN + 1 && text[KEY_B64_LEN] == '\n')
		len--;
	if (len != KEY_B64_LEN) {
		snprintf(err, ERR_LEN,
			 "expected %d base64 characters (a 32-byte key), found "
			 "%zu",
			 KEY_B64_LEN, len);
		return -1;
	}
	/* libsodium refuses non-canonical padding and stray characters. */
	if (sodium_base642bin(key, KEY_LEN, text, len, NULL, &bin_len, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != text + len || bin_len != KEY_LEN) {
		sodium_memzero(key, KEY_LEN);
		snprintf(err, ERR_LEN,
			 "not a base64 encoding of exactly 32 bytes");
		return -1;
	}
	return 0;
}

void key_format(const uint8_t key[KEY_LEN], char out[KEY_B64_LEN + 1])
{
	sodium_bin2base64(out, KEY_B64_LEN + 1, key, KEY_LEN,
			  sodium_base64_VARIANT_ORIGINAL);
}

/* Read at most cap bytes; more than that is an error the caller names. */
static ssize_t read_all(int fd, char *buf, size_t cap)
{
	size_t got = 0;
	ssize_t r;

	while (got < cap) {
		r = read(fd, buf + got, cap - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

int key_read_file(const char *path, uint8_t key[KEY_LEN], bool *loose,
		  char err[ERR_LEN])
{
	struct stat st;
	int ret = key_read_file_stat(path, key, &st, err);

	*loose = !ret && strcmp(path, "-") != 0 &&
		 (st.st_mode & (S_IRWXG | S_IRWXO));
	return ret;
}

int key_read_file_stat(const char *path, uint8_t key[KEY_LEN], struct stat *st,
		       char err[ERR_LEN])
{
	/* One byte more than the longest valid file tells "too long". */
	char buf[KEY_B64_LEN + 2];
	const bool is_stdin = !strcmp(path, "-");
	const char *shown = is_stdin ? "standard input" : path;
	char why[ERR_LEN];
	ssize_t len;
	int fd, ret = -1;

	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, ERR_LEN, "key file %s: %s", shown,
			 strerror(errno));
		return -1;
	}
	if (fstat(fd, st) < 0) {
		snprintf(err, ERR_LEN, "key file %s: %s", shown,
			 strerror(errno));
		goto out;
	}
	if (!is_stdin && !S_ISREG(st->st_mode)) {
		snprintf(err, ERR_LEN, "key file %s: not a regular file",
			 shown);
		goto out;
	}
	len = read_all(fd, buf, sizeof(buf));
	if (len < 0) {
		snprintf(err, ERR_LEN, "key file %s: %s", shown,
			 strerror(errno));
		goto out;
	}
	if ((size_t)len == sizeof(buf)) {
		snprintf(err, ERR_LEN,
			 "key file %s: too long: expected %d base64 characters "
			 "and at most one newline",
			 shown, KEY_B64_LEN);
		goto out;
	}
	if (key_parse_text(buf, (size_t)len, key, why) < 0) {
		snprintf(err, ERR_LEN, "key file %.120s: %.120s", shown, why);
		goto out;
	}
	ret = 0;
out:
	sodium_memzero(buf, sizeof(buf));
	if (!is_stdin)
		close(fd);
	return ret;
}

int key_host_label(const char *host, char out[LABEL_MAX + 1], char err[ERR_LEN])
{
	size_t len = strlen(host), i;

	if (len && host[len - 1] == '.')
		len--;
	if (len < 1 || len > LABEL_MAX) {
		snprintf(err, ERR_LEN,
			 "host '%s': a fleet label needs 1 to %d characters",
			 host, LABEL_MAX);
		return -1;
	}
	for (i = 0; i < len; i++) {
		char c = host[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == ':' || c == '-')) {
			snprintf(err, ERR_LEN,
				 "host '%s': character %zu is not allowed in a "
				 "fleet label ([a-z0-9._:-])",
				 host, i + 1);
			return -1;
		}
		out[i] = c;
	}
	out[len] = '\0';
	return 0;
}

int key_derive_host(const uint8_t fleet[KEY_LEN], const char *host,
		    uint8_t out[KEY_LEN], char err[ERR_LEN])
{
	crypto_auth_hmacsha256_state st;
	char label[LABEL_MAX + 1];

	if (key_host_label(host, label, err) < 0)
		return -1;
	crypto_auth_hmacsha256_init(&st, fleet, KEY_LEN);
	/* The context string is sent with its terminating NUL byte. */
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)host_ctx,
				      sizeof(host_ctx));
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)label,
				      strlen(label));
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
	return 0;
}

int key_from_passphrase(const char *pass, size_t len, const char *name,
			uint8_t out[KEY_LEN], char err[ERR_LEN])
{
	uint8_t digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;

	if (!sr_name_valid((const uint8_t *)name, strlen(name))) {
		snprintf(err, ERR_LEN,
			 "key name '%s': needs 1 to %d characters of "
			 "[A-Za-z0-9._-]",
			 name, SR_NAME_MAX);
		return -1;
	}
	if (len == 0) {
		snprintf(err, ERR_LEN, "the passphrase is empty");
		return -1;
	}
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)pass_ctx,
				  sizeof(pass_ctx));
	crypto_hash_sha256_update(&st, (const uint8_t *)name, strlen(name));
	crypto_hash_sha256_final(&st, digest);
	if (crypto_pwhash(out, KEY_LEN, pass, len, digest,
			  crypto_pwhash_OPSLIMIT_MODERATE,
			  crypto_pwhash_MEMLIMIT_MODERATE,
			  crypto_pwhash_ALG_ARGON2ID13) != 0) {
		snprintf(err, ERR_LEN,
			 "passphrase key derivation needs %zu MiB of memory "
			 "and failed",
			 (size_t)(crypto_pwhash_MEMLIMIT_MODERATE >> 20));
		return -1;
	}
	return 0;
}
