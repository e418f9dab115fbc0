// SPDX-License-Identifier: GPL-2.0
/*
 * vectors-check FILE: checks every line of a protocol v2 vectors file (the
 * format of shared/protocol/vectors-v2.txt) through the product's own
 * code: the protocol core and sysrqctl's key handling. Datagrams the core
 * builds must equal the file's bytes, and what it builds the client side
 * must accept. One line per failure, then "N passed, N failed". Unknown
 * line types are failures, not skips.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_env.h"
#include "keys/key.h"
#include "proto.h"

#define MAX_FIELDS	40
#define MAX_SERVER_KEYS 32

/* One named key of a scenario, armed or not, and the records by key id. */
struct holder {
	char name[SR_NAME_MAX + 1];
	struct sr_mac_key mac;
	struct sr_key key;
	bool armed;
};

/* An accepted request that asked for a REPORT, until its 'done' line. */
struct pending {
	uint8_t req[SR_REQ_MAX_LEN];
	size_t len;
	uint32_t generation;
	size_t holder;
};

struct server {
	struct holder h[MAX_SERVER_KEYS];
	struct sr_record *rec[MAX_SERVER_KEYS];
	size_t nkeys, nrec;
	uint32_t tolerance;
	struct pending pend[64];
	size_t npend;
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
	size_t hl = strlen(hex);

	/* Lowercase only, as the format says. */
	for (size_t i = 0; i < hl; i++)
		if (hex[i] >= 'A' && hex[i] <= 'F')
			return -1;
	if (sodium_hex2bin(out, cap, hex, hl, NULL, len, &end) != 0 ||
	    *end != '\0')
		return -1;
	return 0;
}

/* Exactly n bytes of hex. */
static int parse_hex_n(const char *hex, uint8_t *out, size_t n)
{
	size_t len;

	return parse_hex(hex, out, n, &len) == 0 && len == n ? 0 : -1;
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

/* Compare produced bytes with the expected hex; name what differs. */
static void expect_bytes(unsigned int lineno, const char *what,
			 const uint8_t *got, size_t got_len, const char *want)
{
	size_t cap = 2 * got_len + 1;
	char *hex = malloc(cap);

	if (!hex) {
		fail(lineno, "out of memory");
		return;
	}
	sodium_bin2hex(hex, cap, got, got_len);
	if (strcmp(hex, want) != 0)
		fail(lineno, "%s: got %.300s, want %.300s", what, hex, want);
	else
		passed++;
	free(hex);
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

/* A MAC context for the key in b64, or -1 (reported). */
static int load_mac(unsigned int lineno, const char *b64, struct sr_mac_key *mk)
{
	uint8_t key[KEY_LEN];

	if (load_key(lineno, b64, key) < 0)
		return -1;
	sr_mac_key_init(mk, key);
	sodium_memzero(key, sizeof(key));
	return 0;
}

/* A request datagram given in hex, which must be well formed. */
static int load_request(unsigned int lineno, const char *hex, uint8_t *req,
			size_t *len)
{
	struct sr_msg msg;

	if (parse_hex(hex, req, SR_REQ_MAX_LEN, len) < 0 ||
	    !sr_parse(req, *len, &msg) || msg.type != SR_T_REQUEST) {
		fail(lineno, "the request is not a well-formed REQUEST");
		return -1;
	}
	return 0;
}

static void check_keyid(unsigned int lineno, char **f)
{
	uint8_t kid[SR_KEY_ID_LEN];
	struct sr_mac_key mk;

	if (load_mac(lineno, f[1], &mk) < 0)
		return;
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
	sodium_memzero(key, sizeof(key));
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

/* request <key> <epoch> <timestamp> <nonce> <flags> <keys> <datagram> */
static void check_request(unsigned int lineno, char **f)
{
	uint8_t kid[SR_KEY_ID_LEN], nonce[SR_NONCE_LEN], epoch[SR_EPOCH_LEN];
	uint8_t out[SR_REQ_MAX_LEN];
	struct sr_mac_key mk;
	uint64_t ts, flags;
	size_t klen = strlen(f[6]), len;

	if (parse_hex_n(f[2], epoch, sizeof(epoch)) < 0 ||
	    parse_u64(f[3], &ts) < 0 ||
	    parse_hex_n(f[4], nonce, sizeof(nonce)) < 0 ||
	    parse_u64(f[5], &flags) < 0 || flags > 255 || klen > 255) {
		fail(lineno, "malformed request line");
		return;
	}
	if (load_mac(lineno, f[1], &mk) < 0)
		return;
	sr_key_id(&mk, kid);
	len = sr_build_request(&mk, kid, epoch, ts, nonce, (uint8_t)flags,
			       (const uint8_t *)f[6], (uint8_t)klen, out);
	sr_mac_key_wipe(&mk);
	if (!len) {
		fail(lineno, "the core refused to build this request");
		return;
	}
	expect_bytes(lineno, "request", out, len, f[7]);
}

/* ack <key> <epoch> <request> <status> <ack> */
static void check_ack(unsigned int lineno, char **f)
{
	uint8_t epoch[SR_EPOCH_LEN], req[SR_REQ_MAX_LEN], ack[SR_REQ_MAX_LEN];
	struct sr_mac_key mk;
	uint64_t status;
	uint8_t verified;
	size_t rlen, alen;

	if (parse_hex_n(f[2], epoch, sizeof(epoch)) < 0 ||
	    parse_u64(f[4], &status) < 0 || status > SR_ACK_REFUSED) {
		fail(lineno, "malformed ack line");
		return;
	}
	if (load_request(lineno, f[3], req, &rlen) < 0 ||
	    load_mac(lineno, f[1], &mk) < 0)
		return;
	alen = sr_build_ack(&mk, epoch, req, rlen, (uint8_t)status, ack);
	/* What the server builds, the client must accept. */
	if (!alen ||
	    !sr_verify_ack(&mk, epoch, req, rlen, ack, alen, &verified) ||
	    verified != status)
		fail(lineno,
		     "the built ACK does not verify against its request");
	else
		expect_bytes(lineno, "ack", ack, alen, f[5]);
	sr_mac_key_wipe(&mk);
}

/* time <key> <client-timestamp> <nonce> <datagram> */
static void check_time(unsigned int lineno, char **f)
{
	uint8_t kid[SR_KEY_ID_LEN], nonce[SR_NONCE_LEN], out[SR_TIME_LEN];
	struct sr_mac_key mk;
	struct sr_msg msg;
	uint64_t ts;
	size_t len;

	if (parse_u64(f[2], &ts) < 0 ||
	    parse_hex_n(f[3], nonce, sizeof(nonce)) < 0) {
		fail(lineno, "malformed time line");
		return;
	}
	if (load_mac(lineno, f[1], &mk) < 0)
		return;
	sr_key_id(&mk, kid);
	len = sr_build_time(&mk, kid, ts, nonce, out);
	sr_mac_key_wipe(&mk);
	if (!len || !sr_parse(out, len, &msg) || msg.type != SR_T_TIME)
		fail(lineno, "the core built no well-formed TIME");
	else
		expect_bytes(lineno, "time", out, len, f[4]);
}

/* clock <key> <time> <server-timestamp> <epoch> <clock> */
static void check_clock(unsigned int lineno, char **f)
{
	uint8_t tm[SR_TIME_LEN], epoch[SR_EPOCH_LEN], got_epoch[SR_EPOCH_LEN];
	uint8_t out[SR_CLOCK_LEN];
	struct sr_mac_key mk;
	uint64_t now, t = 0;
	size_t len;

	if (parse_hex_n(f[2], tm, sizeof(tm)) < 0 ||
	    parse_u64(f[3], &now) < 0 ||
	    parse_hex_n(f[4], epoch, sizeof(epoch)) < 0) {
		fail(lineno, "malformed clock line");
		return;
	}
	if (load_mac(lineno, f[1], &mk) < 0)
		return;
	len = sr_build_clock(&mk, tm, now, epoch, out);
	if (!len || !sr_verify_clock(&mk, tm, out, len, &t, got_epoch) ||
	    t != now || memcmp(got_epoch, epoch, sizeof(epoch)) != 0)
		fail(lineno,
		     "the built CLOCK does not verify against its TIME");
	else
		expect_bytes(lineno, "clock", out, len, f[5]);
	sr_mac_key_wipe(&mk);
}

/* report <key> <epoch> <request> <status> <chunks> <report> */
static void check_report(unsigned int lineno, char **f)
{
	uint8_t epoch[SR_EPOCH_LEN], req[SR_REQ_MAX_LEN], out[SR_REPORT_LEN];
	uint64_t status, chunks;
	struct sr_mac_key mk;
	uint16_t got_chunks;
	uint8_t got_status;
	size_t rlen, len;

	if (parse_hex_n(f[2], epoch, sizeof(epoch)) < 0 ||
	    parse_u64(f[4], &status) < 0 || status > 255 ||
	    parse_u64(f[5], &chunks) < 0 || chunks > SR_MAX_CHUNKS) {
		fail(lineno, "malformed report line");
		return;
	}
	if (load_request(lineno, f[3], req, &rlen) < 0 ||
	    load_mac(lineno, f[1], &mk) < 0)
		return;
	len = sr_build_report(&mk, epoch, req, rlen, (uint8_t)status,
			      (uint16_t)chunks, out);
	if (!len ||
	    !sr_verify_report(&mk, epoch, req, rlen, out, len, &got_status,
			      &got_chunks) ||
	    got_status != status || got_chunks != chunks)
		fail(lineno,
		     "the built REPORT does not verify against its request");
	else
		expect_bytes(lineno, "report", out, len, f[6]);
	sr_mac_key_wipe(&mk);
}

/* output <key> <epoch> <request> <index> <total> <plaintext> <output> */
static void check_output(unsigned int lineno, char **f)
{
	uint8_t epoch[SR_EPOCH_LEN], req[SR_REQ_MAX_LEN], ko[32];
	uint8_t text[SR_CHUNK], out[SR_ANSWER_MAX], back[SR_CHUNK];
	uint64_t index, total;
	uint16_t got_index, got_total;
	struct sr_mac_key mk;
	size_t rlen, tlen, len, blen;

	if (parse_hex_n(f[2], epoch, sizeof(epoch)) < 0 ||
	    parse_u64(f[4], &index) < 0 || parse_u64(f[5], &total) < 0 ||
	    total > SR_MAX_CHUNKS || index >= total ||
	    parse_hex(f[6], text, sizeof(text), &tlen) < 0 || !tlen) {
		fail(lineno, "malformed output line");
		return;
	}
	if (load_request(lineno, f[3], req, &rlen) < 0 ||
	    load_mac(lineno, f[1], &mk) < 0)
		return;
	len = 0;
	if (!sr_output_key(&mk, epoch, req, ko))
		len = sr_build_output(ko, req, (uint16_t)index, (uint16_t)total,
				      text, tlen, out);
	sodium_memzero(ko, sizeof(ko));
	if (!len ||
	    !sr_open_output(&mk, epoch, req, rlen, out, len, &got_index,
			    &got_total, back, &blen) ||
	    got_index != index || got_total != total || blen != tlen ||
	    memcmp(back, text, tlen) != 0)
		fail(lineno, "the built OUTPUT does not open to its plaintext");
	else
		expect_bytes(lineno, "output", out, len, f[7]);
	sr_mac_key_wipe(&mk);
}

/* fetch <key> <epoch> <timestamp> <nonce> <request> <index> <fetch> */
static void check_fetch(unsigned int lineno, char **f)
{
	uint8_t epoch[SR_EPOCH_LEN], nonce[SR_NONCE_LEN], req[SR_REQ_MAX_LEN];
	uint8_t out[SR_FETCH_LEN];
	uint64_t ts, index;
	struct sr_mac_key mk;
	struct sr_msg msg;
	size_t rlen, len;

	if (parse_hex_n(f[2], epoch, sizeof(epoch)) < 0 ||
	    parse_u64(f[3], &ts) < 0 ||
	    parse_hex_n(f[4], nonce, sizeof(nonce)) < 0 ||
	    parse_u64(f[6], &index) < 0 || index > 0xffff) {
		fail(lineno, "malformed fetch line");
		return;
	}
	if (load_request(lineno, f[5], req, &rlen) < 0 ||
	    load_mac(lineno, f[1], &mk) < 0)
		return;
	len = sr_build_fetch(&mk, epoch, ts, nonce, req, rlen, (uint16_t)index,
			     out);
	sr_mac_key_wipe(&mk);
	if (!len || !sr_parse(out, len, &msg) || msg.type != SR_T_FETCH)
		fail(lineno, "the core built no well-formed FETCH");
	else
		expect_bytes(lineno, "fetch", out, len, f[7]);
}

/* seal <key> <module-secret> <ephemeral-secret> <sealed> */
static void check_seal(unsigned int lineno, char **f)
{
	static const uint8_t base[32] = { 9 };
	uint8_t key[KEY_LEN], secret[32], eph[32], pub[32];
	uint8_t sealed[SR_SEALED_LEN], opened[KEY_LEN];

	if (parse_hex_n(f[2], secret, sizeof(secret)) < 0 ||
	    parse_hex_n(f[3], eph, sizeof(eph)) < 0) {
		fail(lineno, "malformed seal line");
		return;
	}
	if (load_key(lineno, f[1], key) < 0)
		return;
	if (!sr_x25519(pub, secret, base) || sr_seal(key, pub, eph, sealed)) {
		fail(lineno, "the core refused to seal this key");
	} else if (sr_unseal(sealed, secret, pub, opened) ||
		   memcmp(opened, key, KEY_LEN) != 0) {
		fail(lineno, "the sealed key does not open to the key");
	} else {
		expect_bytes(lineno, "sealed key", sealed, sizeof(sealed),
			     f[4]);
	}
	sodium_memzero(key, sizeof(key));
	sodium_memzero(opened, sizeof(opened));
	sodium_memzero(secret, sizeof(secret));
}

/* --- scenarios --- */

static void server_reset(struct server *s)
{
	for (size_t i = 0; i < s->nkeys; i++)
		sr_mac_key_wipe(&s->h[i].mac);
	for (size_t i = 0; i < s->nrec; i++) {
		free(s->rec[i]->out);
		free(s->rec[i]);
	}
	memset(s, 0, sizeof(*s));
}

/* server <tolerance> <name>:<key>:<allowed-keys> ... */
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
		struct holder *h = &s->h[s->nkeys];

		b64 = strchr(name, ':');
		allow = b64 ? strchr(b64 + 1, ':') : NULL;
		if (!allow) {
			fail(lineno, "key '%s' is not name:key:allowed", name);
			server_reset(s);
			return;
		}
		*b64++ = '\0';
		*allow++ = '\0';
		if (!sr_name_valid((const uint8_t *)name, strlen(name)) ||
		    !sr_key_mask((const uint8_t *)allow, strlen(allow),
				 &h->key.allow) ||
		    load_mac(lineno, b64, &h->mac) < 0) {
			fail(lineno, "bad key '%s'", name);
			server_reset(s);
			return;
		}
		snprintf(h->name, sizeof(h->name), "%s", name);
		h->key.mac_ctx = &h->mac;
		h->key.tolerance = (uint32_t)tolerance;
		sr_key_id(h->key.mac_ctx, h->key.key_id);
		s->nkeys++;
	}
	s->tolerance = (uint32_t)tolerance;
	s->ready = true;
	passed++;
}

/* The host-wide record of a key id, or NULL. */
static struct sr_record *find_record(struct server *s, const uint8_t *key_id)
{
	for (size_t i = 0; i < s->nrec; i++)
		if (!memcmp(s->rec[i]->key_id, key_id, SR_KEY_ID_LEN))
			return s->rec[i];
	return NULL;
}

/* arm <now> <name> <epoch>: a new record takes the epoch; re-arming keeps it. */
static void check_arm(struct server *s, unsigned int lineno, char **f)
{
	uint8_t epoch[SR_EPOCH_LEN];
	struct sr_record *rec;
	uint64_t now;
	size_t i;

	if (!s->ready) {
		fail(lineno, "arm line without a server line before it");
		return;
	}
	if (parse_u64(f[1], &now) < 0 ||
	    parse_hex_n(f[3], epoch, sizeof(epoch)) < 0) {
		fail(lineno, "malformed arm line");
		return;
	}
	for (i = 0; i < s->nkeys; i++)
		if (!strcmp(s->h[i].name, f[2]))
			break;
	if (i == s->nkeys) {
		fail(lineno, "no key named '%s' in the server line", f[2]);
		return;
	}
	rec = find_record(s, s->h[i].key.key_id);
	if (!rec) {
		rec = calloc(1, sizeof(*rec));
		if (!rec) {
			fail(lineno, "out of memory");
			return;
		}
		sr_record_init(rec, s->h[i].key.key_id, epoch);
		s->rec[s->nrec++] = rec;
	}
	s->h[i].key.rec = rec;
	s->h[i].armed = true;
	passed++;
}

/* "192.0.2.7:40000" or "[2001:db8::9]:40001" */
static int parse_source(const char *text, struct sr_source *src)
{
	char host[64];
	const char *colon;
	uint64_t port;
	size_t hl;

	memset(src, 0, sizeof(*src));
	if (text[0] == '[') {
		const char *close = strstr(text, "]:");

		if (!close)
			return -1;
		hl = (size_t)(close - text - 1);
		if (hl >= sizeof(host))
			return -1;
		memcpy(host, text + 1, hl);
		host[hl] = '\0';
		src->family = 6;
		if (inet_pton(AF_INET6, host, src->addr) != 1)
			return -1;
		colon = close + 1;
	} else {
		colon = strrchr(text, ':');
		if (!colon || (size_t)(colon - text) >= sizeof(host))
			return -1;
		hl = (size_t)(colon - text);
		memcpy(host, text, hl);
		host[hl] = '\0';
		src->family = 4;
		if (inet_pton(AF_INET, host, src->addr) != 1)
			return -1;
	}
	if (parse_u64(colon + 1, &port) < 0 || port > 65535)
		return -1;
	src->port = (uint16_t)port;
	return 0;
}

static bool verdict_named(const char *name, enum sr_verdict *v)
{
	for (int i = 0; i < SR_OTHER_KEY; i++) {
		if (!strcmp(name, sr_verdict_name((enum sr_verdict)i))) {
			*v = (enum sr_verdict)i;
			return true;
		}
	}
	return false;
}

/*
 * The server: each armed key in order, as the rules of a chain would try
 * them; the first that holds the datagram's key id decides.
 */
static enum sr_verdict serve(struct server *s, const uint8_t *dgram, size_t len,
			     const struct sr_source *src, uint64_t now,
			     struct sr_answer *ans, size_t *holder)
{
	struct sr_msg msg;

	ans->len = 0;
	for (size_t i = 0; i < s->nkeys; i++) {
		if (!s->h[i].armed)
			continue;
		sr_handle(dgram, len, src, &s->h[i].key, now, SR_ALL_KEYS, ans);
		if (ans->verdict != SR_OTHER_KEY) {
			*holder = i;
			return ans->verdict;
		}
	}
	return sr_parse(dgram, len, &msg) ? SR_UNKNOWN_KEY : SR_MALFORMED;
}

/* verdict <now> <source> <datagram> <VERDICT> <reply or -> */
static void check_verdict(struct server *s, unsigned int lineno, char **f)
{
	static uint8_t dgram[4 * SR_FETCH_LEN];
	uint8_t reply[SR_ANSWER_MAX];
	struct sr_answer ans = { .buf = reply };
	struct sr_source src;
	enum sr_verdict want, got;
	size_t dlen, holder = 0;
	uint64_t now;

	if (!s->ready) {
		fail(lineno, "verdict line without a server line before it");
		return;
	}
	if (parse_u64(f[1], &now) < 0 || parse_source(f[2], &src) < 0 ||
	    parse_hex(f[3], dgram, sizeof(dgram), &dlen) < 0 ||
	    !verdict_named(f[4], &want)) {
		fail(lineno, "malformed verdict line");
		return;
	}
	got = serve(s, dgram, dlen, &src, now, &ans, &holder);
	if (got != want) {
		fail(lineno, "verdict %s, want %s", sr_verdict_name(got), f[4]);
		return;
	}
	/* No answer is ever larger than what it answers. */
	if (ans.len > dlen) {
		fail(lineno, "a %zu-byte answer to a %zu-byte datagram",
		     ans.len, dlen);
		return;
	}
	if (got == SR_ACCEPTED && (dgram[28] & SR_FLAG_REPORT)) {
		struct pending *p = &s->pend[s->npend % 64];

		memcpy(p->req, dgram, dlen);
		p->len = dlen;
		p->generation = ans.generation;
		p->holder = holder;
		s->npend++;
	}
	if (!strcmp(f[5], "-")) {
		if (ans.len)
			fail(lineno, "an answer was sent, none expected");
		else
			passed++;
		return;
	}
	expect_bytes(lineno, "reply", reply, ans.len, f[5]);
}

/* done <now> <request> <status> <output-plaintext or -> <report> */
static void check_done(struct server *s, unsigned int lineno, char **f)
{
	uint8_t req[SR_REQ_MAX_LEN], report[SR_REPORT_LEN];
	struct sr_output *out = NULL, *old;
	struct pending *p = NULL;
	struct sr_key *key;
	uint8_t *text = NULL;
	uint64_t now, status;
	size_t rlen, tlen = 0, len;

	if (!s->ready) {
		fail(lineno, "done line without a server line before it");
		return;
	}
	if (parse_u64(f[1], &now) < 0 || parse_u64(f[3], &status) < 0 ||
	    status > 255 || load_request(lineno, f[2], req, &rlen) < 0) {
		fail(lineno, "malformed done line");
		return;
	}
	for (size_t i = 0; i < s->npend && i < 64; i++) {
		struct pending *c = &s->pend[i];

		if (c->len == rlen && !memcmp(c->req, req, rlen))
			p = c;
	}
	if (!p) {
		fail(lineno, "done for a request that was not accepted with a "
			     "REPORT wanted");
		return;
	}
	key = &s->h[p->holder].key;
	if (strcmp(f[4], "-") != 0) {
		size_t cap = strlen(f[4]) / 2 + 1;

		text = malloc(cap);
		if (!text || parse_hex(f[4], text, cap, &tlen) < 0 || !tlen ||
		    tlen > SR_OUTPUT_MAX) {
			fail(lineno, "malformed output in done line");
			free(text);
			return;
		}
		out = calloc(1, sizeof(*out) + sr_output_chunks(tlen) *
						       sizeof(out->chunk[0]));
		if (!out || sr_output_build(out, key->mac_ctx, key->rec->epoch,
					    req, rlen, text, tlen)) {
			fail(lineno, "the core could not keep this output");
			free(text);
			free(out);
			return;
		}
		free(text);
	}
	len = sr_build_report(key->mac_ctx, key->rec->epoch, req, rlen,
			      (uint8_t)status, sr_output_chunks(tlen), report);
	old = sr_record_done(key->rec, p->generation, req, rlen, report, out,
			     now);
	free(old);
	expect_bytes(lineno, "report", report, len, f[5]);
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

enum line_type {
	L_KEYID,
	L_PASSPHRASE,
	L_DERIVE,
	L_REQUEST,
	L_ACK,
	L_TIME,
	L_CLOCK,
	L_REPORT,
	L_OUTPUT,
	L_FETCH,
	L_SEAL,
	L_SERVER,
	L_ARM,
	L_VERDICT,
	L_DONE,
	L_COUNT
};

static const struct {
	const char *type;
	int fields; /* including the type; 0 = at least 2 */
} line_types[L_COUNT] = {
	[L_KEYID] = { "keyid", 3 },   [L_PASSPHRASE] = { "passphrase", 4 },
	[L_DERIVE] = { "derive", 4 }, [L_REQUEST] = { "request", 8 },
	[L_ACK] = { "ack", 6 },	      [L_TIME] = { "time", 5 },
	[L_CLOCK] = { "clock", 6 },   [L_REPORT] = { "report", 7 },
	[L_OUTPUT] = { "output", 8 }, [L_FETCH] = { "fetch", 8 },
	[L_SEAL] = { "seal", 5 },     [L_SERVER] = { "server", 0 },
	[L_ARM] = { "arm", 4 },	      [L_VERDICT] = { "verdict", 6 },
	[L_DONE] = { "done", 6 },
};

static void check_line(struct server *s, unsigned int lineno, char *line)
{
	char *f[MAX_FIELDS];
	int nf = split(line, f);
	int t;

	if (nf < 0) {
		fail(lineno, "more than %d fields", MAX_FIELDS - 1);
		return;
	}
	for (t = 0; t < L_COUNT; t++)
		if (!strcmp(f[0], line_types[t].type))
			break;
	if (t == L_COUNT) {
		fail(lineno, "unknown line type '%.40s'", f[0]);
		return;
	}
	if ((line_types[t].fields && nf != line_types[t].fields) ||
	    (!line_types[t].fields && nf < 2)) {
		fail(lineno, "%s line has the wrong number of fields", f[0]);
		return;
	}
	switch ((enum line_type)t) {
	case L_KEYID:
		check_keyid(lineno, f);
		break;
	case L_PASSPHRASE:
		check_passphrase(lineno, f);
		break;
	case L_DERIVE:
		check_derive(lineno, f);
		break;
	case L_REQUEST:
		check_request(lineno, f);
		break;
	case L_ACK:
		check_ack(lineno, f);
		break;
	case L_TIME:
		check_time(lineno, f);
		break;
	case L_CLOCK:
		check_clock(lineno, f);
		break;
	case L_REPORT:
		check_report(lineno, f);
		break;
	case L_OUTPUT:
		check_output(lineno, f);
		break;
	case L_FETCH:
		check_fetch(lineno, f);
		break;
	case L_SEAL:
		check_seal(lineno, f);
		break;
	case L_SERVER:
		setup_server(s, lineno, f, nf);
		break;
	case L_ARM:
		check_arm(s, lineno, f);
		break;
	case L_VERDICT:
		check_verdict(s, lineno, f);
		break;
	case L_DONE:
		check_done(s, lineno, f);
		break;
	case L_COUNT:
		break;
	}
}

int main(int argc, char **argv)
{
	static struct server server;
	unsigned int lineno = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
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
	/* Lines have no length limit: a 'done' line carries up to 1 MiB. */
	while ((len = getline(&line, &cap, in)) >= 0) {
		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		check_line(&server, lineno, line);
	}
	free(line);
	server_reset(&server);
	if (in != stdin)
		fclose(in);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
