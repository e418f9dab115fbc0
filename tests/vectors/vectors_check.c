// SPDX-License-Identifier: GPL-2.0
/*
 * vectors-check FILE: checks every line of a protocol vectors file (the
 * format of shared/protocol/vectors.txt) through the product's own code:
 * the protocol core and sysrqctl's key handling. One line per failure,
 * then "N passed, N failed". Unknown line types are failures, not skips.
 */
#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "key.h"
#include "mac.h"
#include "proto.h"

#define MAX_FIELDS	40
#define MAX_SERVER_KEYS 32
#define LINE_MAX_LEN	4096

struct server {
	struct sr_mac_key mac[MAX_SERVER_KEYS];
	struct sr_key keys[MAX_SERVER_KEYS];
	struct sr_replay rs[MAX_SERVER_KEYS];
	size_t nkeys;
	bool ready;
};

static unsigned int passed, failed;

static void fail(unsigned int lineno, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(unsigned int lineno, const char *fmt, ...)
{
	va_list ap;

	printf("FAIL line %u: ", lineno);
	va_start(ap, fmt);
	/* clang 14's analyzer misses the va_start above. */
	// NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized)
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	putchar('\n');
	failed++;
}

static int parse_hex(const char *hex, uint8_t *out, size_t cap, size_t *len)
{
	const char *end = NULL;

	if (sodium_hex2bin(out, cap, hex, strlen(hex), NULL, len, &end) != 0 ||
	    *end != '\0')
		return -1;
	return 0;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return (errno || *end) ? -1 : 0;
}

static void to_hex(const uint8_t *b, size_t len, char *out, size_t cap)
{
	sodium_bin2hex(out, cap, b, len);
}

/* Compare produced bytes with the expected hex; name what differs. */
static void expect_bytes(unsigned int lineno, const char *what,
			 const uint8_t *got, size_t got_len, const char *want)
{
	char hex[2 * 256 + 1];

	if (got_len > 256) {
		fail(lineno, "%s: %zu bytes is too long", what, got_len);
		return;
	}
	to_hex(got, got_len, hex, sizeof(hex));
	if (strcmp(hex, want) != 0) {
		fail(lineno, "%s: got %s, want %s", what, hex, want);
		return;
	}
	passed++;
}

static int load_key(unsigned int lineno, const char *b64, uint8_t key[KEY_LEN])
{
	char err[ERR_LEN];

	if (key_parse_text(b64, strlen(b64), key, err) < 0) {
		fail(lineno, "key: %s", err);
		return -1;
	}
	return 0;
}

static void check_keyid(unsigned int lineno, char **f)
{
	uint8_t key[KEY_LEN], kid[SR_KEY_ID_LEN];
	struct sr_mac_key mk;

	if (load_key(lineno, f[1], key) < 0)
		return;
	sr_mac_key_init(&mk, key);
	sr_key_id(&mk, kid);
	sr_mac_key_wipe(&mk);
	expect_bytes(lineno, "key id", kid, sizeof(kid), f[2]);
}

static void check_passphrase(unsigned int lineno, char **f)
{
	uint8_t key[KEY_LEN];
	char err[ERR_LEN], b64[KEY_B64_LEN + 1];

	if (key_from_passphrase(f[2], strlen(f[2]), f[1], key, err) < 0) {
		fail(lineno, "passphrase: %s", err);
		return;
	}
	key_format(key, b64);
	if (strcmp(b64, f[3]) != 0) {
		fail(lineno, "passphrase key: got %s, want %s", b64, f[3]);
		return;
	}
	passed++;
}

static void check_derive(unsigned int lineno, char **f)
{
	uint8_t fleet[KEY_LEN], key[KEY_LEN];
	char err[ERR_LEN], b64[KEY_B64_LEN + 1];

	if (load_key(lineno, f[1], fleet) < 0)
		return;
	if (key_derive_host(fleet, f[2], key, err) < 0) {
		fail(lineno, "derive: %s", err);
		return;
	}
	key_format(key, b64);
	if (strcmp(b64, f[3]) != 0) {
		fail(lineno, "host key: got %s, want %s", b64, f[3]);
		return;
	}
	passed++;
}

static void check_request(unsigned int lineno, char **f)
{
	uint8_t key[KEY_LEN], kid[SR_KEY_ID_LEN], nonce[SR_NONCE_LEN];
	uint8_t out[SR_MAX_LEN];
	struct sr_mac_key mk;
	uint64_t ts, flags;
	size_t nlen, klen = strlen(f[5]), len;

	if (load_key(lineno, f[1], key) < 0)
		return;
	if (parse_u64(f[2], &ts) < 0 ||
	    parse_hex(f[3], nonce, sizeof(nonce), &nlen) < 0 ||
	    nlen != SR_NONCE_LEN || parse_u64(f[4], &flags) < 0 ||
	    flags > 255 || klen > 255) {
		fail(lineno, "malformed request line");
		return;
	}
	sr_mac_key_init(&mk, key);
	sr_key_id(&mk, kid);
	len = sr_build_request(&mk, kid, ts, nonce, (uint8_t)flags,
			       (const uint8_t *)f[5], (uint8_t)klen, out);
	sr_mac_key_wipe(&mk);
	if (!len) {
		fail(lineno, "the core refused to build this request");
		return;
	}
	expect_bytes(lineno, "request", out, len, f[6]);
}

static void check_ack(unsigned int lineno, char **f)
{
	uint8_t key[KEY_LEN], req_raw[SR_MAX_LEN + 1], ack[SR_MAX_LEN];
	struct sr_request req;
	struct sr_mac_key mk;
	uint64_t status;
	uint8_t verified;
	size_t rlen, alen;

	if (load_key(lineno, f[1], key) < 0)
		return;
	if (parse_hex(f[2], req_raw, sizeof(req_raw), &rlen) < 0 ||
	    parse_u64(f[3], &status) < 0 || status > 255) {
		fail(lineno, "malformed ack line");
		return;
	}
	if (!sr_parse(req_raw, rlen, &req)) {
		fail(lineno, "the request does not parse");
		return;
	}
	sr_mac_key_init(&mk, key);
	alen = sr_build_ack(&req, (uint8_t)status, &mk, ack);
	/* What the server builds, the client must accept. */
	if (!sr_verify_ack(&mk, req_raw, rlen, ack, alen, &verified) ||
	    verified != status)
		fail(lineno,
		     "the built ACK does not verify against its request");
	else
		expect_bytes(lineno, "ack", ack, alen, f[4]);
	sr_mac_key_wipe(&mk);
}

static void server_reset(struct server *s)
{
	for (size_t i = 0; i < s->nkeys; i++)
		sr_mac_key_wipe(&s->mac[i]);
	memset(s, 0, sizeof(*s));
}

static void setup_server(struct server *s, unsigned int lineno, char **f,
			 int nf)
{
	uint64_t tolerance;

	server_reset(s);
	if (parse_u64(f[1], &tolerance) < 0 || tolerance > UINT32_MAX) {
		fail(lineno, "bad tolerance '%s'", f[1]);
		return;
	}
	if (nf - 2 > MAX_SERVER_KEYS) {
		fail(lineno, "more than %d keys", MAX_SERVER_KEYS);
		return;
	}
	for (int i = 2; i < nf; i++) {
		char *name = f[i], *b64, *allow;
		uint8_t key[KEY_LEN];
		struct sr_key *k = &s->keys[s->nkeys];

		b64 = strchr(name, ':');
		allow = b64 ? strchr(b64 + 1, ':') : NULL;
		if (!allow) {
			fail(lineno, "key '%s' is not name:key:allowed", name);
			server_reset(s);
			return;
		}
		*b64++ = '\0';
		*allow++ = '\0';
		if (!sr_name_valid((const uint8_t *)name, strlen(name))) {
			fail(lineno, "bad key name '%s'", name);
			server_reset(s);
			return;
		}
		if (!sr_key_mask((const uint8_t *)allow, strlen(allow),
				 &k->allow)) {
			fail(lineno, "bad allowed keys '%s'", allow);
			server_reset(s);
			return;
		}
		if (load_key(lineno, b64, key) < 0) {
			server_reset(s);
			return;
		}
		sr_mac_key_init(&s->mac[s->nkeys], key);
		sodium_memzero(key, sizeof(key));
		k->mac_ctx = &s->mac[s->nkeys];
		k->tolerance = (uint32_t)tolerance;
		sr_key_id(k->mac_ctx, k->key_id);
		/* The scenario arms its keys at time 0. */
		sr_replay_init(&s->rs[s->nkeys], 0);
		s->nkeys++;
	}
	s->ready = true;
	passed++;
}

static bool verdict_named(const char *name, enum sr_verdict *v)
{
	for (int i = 0; i <= SR_ACCEPTED; i++) {
		if (!strcmp(name, sr_verdict_name((enum sr_verdict)i))) {
			*v = (enum sr_verdict)i;
			return true;
		}
	}
	return false;
}

static void check_verdict(struct server *s, unsigned int lineno, char **f)
{
	uint8_t dgram[LINE_MAX_LEN / 2], ack[SR_MAX_LEN];
	enum sr_verdict want, got;
	size_t dlen, alen;
	uint64_t now;

	if (!s->ready) {
		fail(lineno, "verdict line without a server line before it");
		return;
	}
	if (parse_u64(f[1], &now) < 0 ||
	    parse_hex(f[2], dgram, sizeof(dgram), &dlen) < 0 ||
	    !verdict_named(f[3], &want)) {
		fail(lineno, "malformed verdict line");
		return;
	}
	got = sr_server_verdict(dgram, dlen, s->keys, s->rs, s->nkeys, now,
				SR_ALL_KEYS, ack, &alen);
	if (got != want) {
		fail(lineno, "verdict %s, want %s", sr_verdict_name(got), f[3]);
		return;
	}
	if (!strcmp(f[4], "-")) {
		if (alen) {
			fail(lineno, "an ACK was sent, none expected");
			return;
		}
		passed++;
		return;
	}
	expect_bytes(lineno, "ack", ack, alen, f[4]);
}

static int split(char *line, char **f)
{
	int n = 0;
	char *p = line;

	for (int i = 0; i < MAX_FIELDS; i++)
		f[i] = "";

	for (;;) {
		if (n == MAX_FIELDS)
			return -1;
		f[n++] = p;
		p = strchr(p, ' ');
		if (!p)
			return n;
		*p++ = '\0';
	}
}

static const struct {
	const char *type;
	int fields; /* including the type; 0 = at least 2 */
} line_types[] = {
	{ "keyid", 3 }, { "passphrase", 4 }, { "derive", 4 },  { "request", 7 },
	{ "ack", 5 },	{ "server", 0 },     { "verdict", 5 },
};

static void check_line(struct server *s, unsigned int lineno, char *line)
{
	char *f[MAX_FIELDS];
	int nf = split(line, f);
	size_t t;

	if (nf < 0) {
		fail(lineno, "more than %d fields", MAX_FIELDS - 1);
		return;
	}
	for (t = 0; t < sizeof(line_types) / sizeof(line_types[0]); t++)
		if (!strcmp(f[0], line_types[t].type))
			break;
	if (t == sizeof(line_types) / sizeof(line_types[0])) {
		fail(lineno, "unknown line type '%.40s'", f[0]);
		return;
	}
	if ((line_types[t].fields && nf != line_types[t].fields) ||
	    (!line_types[t].fields && nf < 2)) {
		fail(lineno, "%s line has the wrong number of fields", f[0]);
		return;
	}
	switch (t) {
	case 0:
		check_keyid(lineno, f);
		break;
	case 1:
		check_passphrase(lineno, f);
		break;
	case 2:
		check_derive(lineno, f);
		break;
	case 3:
		check_request(lineno, f);
		break;
	case 4:
		check_ack(lineno, f);
		break;
	case 5:
		setup_server(s, lineno, f, nf);
		break;
	case 6:
		check_verdict(s, lineno, f);
		break;
	}
}

int main(int argc, char **argv)
{
	static struct server server;
	char line[LINE_MAX_LEN];
	unsigned int lineno = 0;
	FILE *in;

	if (argc != 2) {
		fprintf(stderr, "usage: vectors-check FILE\n");
		return 2;
	}
	if (sodium_init() < 0)
		return 2;
	in = strcmp(argv[1], "-") ? fopen(argv[1], "r") : stdin;
	if (!in) {
		fprintf(stderr, "vectors-check: %s: %s\n", argv[1],
			strerror(errno));
		return 2;
	}
	while (fgets(line, sizeof(line), in)) {
		size_t len = strlen(line);

		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(in)) {
			fail(lineno, "line longer than %d bytes",
			     LINE_MAX_LEN - 2);
			int c;

			while ((c = fgetc(in)) != EOF && c != '\n')
				;
			continue;
		}
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		check_line(&server, lineno, line);
	}
	server_reset(&server);
	if (in != stdin)
		fclose(in);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
