// SPDX-License-Identifier: GPL-2.0
/* sysrqctl's key text, key files, fleet labels and passphrase input checks. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "keys/key.h"

#define K44 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

static int parse(const char *s, uint8_t *key, char *err)
{
	return key_parse_text(s, strlen(s), key, err);
}

static char dir[] = "/tmp/nft_sysrq-unit-XXXXXX";

static const char *write_file(const char *name, const char *body, mode_t mode)
{
	static char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0 || write(fd, body, strlen(body)) != (ssize_t)strlen(body))
		abort();
	fchmod(fd, mode);
	close(fd);
	return path;
}

static void test_text(void)
{
	uint8_t key[KEY_LEN];
	char err[ERR_LEN], b64[KEY_B64_LEN + 1];

	CHECK(!parse(K44, key, err) && key[0] == 0 && key[31] == 31,
	      "key text: 44 characters");
	key_format(key, b64);
	CHECK(!strcmp(b64, K44),
	      "key text: formats back to the same 44 characters");
	CHECK(!parse(K44 "\n", key, err),
	      "key text: one trailing newline allowed");
	CHECK(parse(K44 "\n\n", key, err), "key text: two newlines refused");
	CHECK(parse(K44 "\r\n", key, err), "key text: CRLF refused");
	CHECK(parse(" " K44, key, err), "key text: leading space refused");
	CHECK(parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", key, err),
	      "key text: 43 characters refused");
	CHECK(parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=A", key, err),
	      "key text: 45 characters refused");
	CHECK(parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9=", key, err),
	      "key text: non-canonical last character refused");
	CHECK(parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd-h8=", key, err),
	      "key text: URL-safe alphabet refused");
	CHECK(parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8A", key, err),
	      "key text: missing padding refused");
	CHECK(parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", key, err) ==
			      0 &&
		      parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh!=", key,
			    err) &&
		      !strstr(err, "AAEC"),
	      "key text: the error does not repeat the key");
}

static void test_files(void)
{
	uint8_t key[KEY_LEN];
	char err[ERR_LEN];
	bool loose = true;

	CHECK(!key_read_file(write_file("ok.key", K44 "\n", 0600), key, &loose,
			     err) &&
		      !loose,
	      "key file: mode 0600 read, not loose");
	CHECK(!key_read_file(write_file("loose.key", K44, 0644), key, &loose,
			     err) &&
		      loose,
	      "key file: mode 0644 read and flagged loose");
	CHECK(key_read_file(write_file("empty.key", "", 0600), key, &loose,
			    err) &&
		      strstr(err, "empty.key"),
	      "key file: empty refused, error names the file");
	CHECK(key_read_file(write_file("long.key", K44 K44, 0600), key, &loose,
			    err) &&
		      strstr(err, "too long") && !strstr(err, "AAEC"),
	      "key file: too long refused without echoing it");
	CHECK(key_read_file(dir, key, &loose, err) &&
		      strstr(err, "not a regular file"),
	      "key file: a directory refused");
	CHECK(key_read_file("/nonexistent/x.key", key, &loose, err) &&
		      strstr(err, "No such file"),
	      "key file: a missing file refused");
}

static void test_labels(void)
{
	char label[LABEL_MAX + 1], err[ERR_LEN], big[300];

	CHECK(!key_host_label("DB-2.example.org.", label, err) &&
		      !strcmp(label, "db-2.example.org"),
	      "label: lowercased, trailing dot removed");
	CHECK(!key_host_label("a..", label, err) && !strcmp(label, "a."),
	      "label: only one trailing dot removed");
	CHECK(!key_host_label("2001:DB8::7", label, err) &&
		      !strcmp(label, "2001:db8::7"),
	      "label: IPv6 literal allowed");
	CHECK(key_host_label(".", label, err) && key_host_label("", label, err),
	      "label: empty refused");
	CHECK(key_host_label("[::1]", label, err) &&
		      key_host_label("a b", label, err) &&
		      key_host_label("a/b", label, err),
	      "label: brackets, spaces and slashes refused");
	memset(big, 'a', 253);
	big[253] = '\0';
	CHECK(!key_host_label(big, label, err), "label: 253 bytes allowed");
	big[253] = '.';
	big[254] = '\0';
	CHECK(!key_host_label(big, label, err),
	      "label: 253 bytes and a dot allowed");
	big[253] = 'a';
	CHECK(key_host_label(big, label, err), "label: 254 bytes refused");
}

static void test_passphrase(void)
{
	uint8_t key[KEY_LEN];
	char err[ERR_LEN];

	CHECK(key_from_passphrase("x", 1, "bad name", key, err) &&
		      strstr(err, "bad name"),
	      "passphrase: invalid key name refused before hashing");
	CHECK(key_from_passphrase("", 0, "default", key, err),
	      "passphrase: empty refused");
}

void test_key(void)
{
	if (!mkdtemp(dir))
		abort();
	test_text();
	test_files();
	test_labels();
	test_passphrase();
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		CHECK(0, "removing %s", dir);
}
