// SPDX-License-Identifier: GPL-2.0
/* sysrq-testd keys: "NAME:FILE[:ALLOW]" specs loaded through sysrqctl's key code. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "keys/key.h"
#include "testd.h"

int keys_init(struct testd_keys *k)
{
	memset(k, 0, sizeof(*k));
	k->mks = sodium_allocarray(TESTD_MAX_KEYS, sizeof(*k->mks));
	if (!k->mks) {
		fprintf(stderr, "sysrq-testd: out of memory\n");
		return -1;
	}
	return 0;
}

int keys_add(struct testd_keys *k, const char *spec, uint32_t tolerance)
{
	const char *c1 = strchr(spec, ':'), *c2;
	char path[4096], err[ERR_LEN];
	uint8_t key[KEY_LEN];
	uint64_t allow = SR_ALL_KEYS;
	size_t i = k->n, j, nlen, plen;
	bool loose;

	if (i == TESTD_MAX_KEYS) {
		fprintf(stderr, "sysrq-testd: at most %d keys\n",
			TESTD_MAX_KEYS);
		return -1;
	}
	if (!c1) {
		fprintf(stderr,
			"sysrq-testd: --key '%s': expected NAME:FILE[:ALLOW]\n",
			spec);
		return -1;
	}
	/* ALLOW follows the last colon, so FILE may hold colons ("::1.key"). */
	c2 = strrchr(c1 + 1, ':');
	nlen = (size_t)(c1 - spec);
	plen = c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1);
	if (!sr_name_valid((const uint8_t *)spec, nlen)) {
		fprintf(stderr, "sysrq-testd: --key '%s': bad key name\n",
			spec);
		return -1;
	}
	if (plen == 0 || plen >= sizeof(path)) {
		fprintf(stderr, "sysrq-testd: --key '%s': bad file name\n",
			spec);
		return -1;
	}
	/* ALLOW: key characters; absent or "all" allows every key. */
	if (c2 && strcmp(c2 + 1, "all") != 0 &&
	    !sr_key_mask((const uint8_t *)c2 + 1, strlen(c2 + 1), &allow)) {
		fprintf(stderr,
			"sysrq-testd: --key '%s': allow-list is not [0-9a-z]\n",
			spec);
		return -1;
	}
	memcpy(k->names[i], spec, nlen);
	k->names[i][nlen] = '\0';
	memcpy(path, c1 + 1, plen);
	path[plen] = '\0';
	if (key_read_file(path, key, &loose, err) < 0) {
		fprintf(stderr, "sysrq-testd: %s\n", err);
		return -1;
	}
	sr_mac_key_init(&k->mks[i], key);
	sodium_memzero(key, sizeof(key));
	k->keys[i].mac_ctx = &k->mks[i];
	k->keys[i].tolerance = tolerance;
	k->keys[i].allow = allow;
	if (sr_key_id(&k->mks[i], k->keys[i].key_id) < 0) {
		fprintf(stderr, "sysrq-testd: key id failed\n");
		return -1;
	}
	/* One record per key id for the whole host, as in the module. */
	k->canon[i] = i;
	for (j = 0; j < i; j++)
		if (!memcmp(k->keys[j].key_id, k->keys[i].key_id,
			    SR_KEY_ID_LEN)) {
			k->canon[i] = k->canon[j];
			break;
		}
	k->n++;
	return 0;
}

int keys_records(struct testd_keys *k, size_t nports)
{
	uint8_t epoch[SR_EPOCH_LEN];
	size_t p, i;

	k->recs = calloc(nports * k->n, sizeof(*k->recs));
	if (!k->recs) {
		fprintf(stderr, "sysrq-testd: out of memory\n");
		return -1;
	}
	k->nports = nports;
	for (p = 0; p < nports; p++)
		for (i = 0; i < k->n; i++) {
			if (k->canon[i] != i)
				continue;
			randombytes_buf(epoch, sizeof(epoch));
			sr_record_init(keys_rec(k, p, i), k->keys[i].key_id,
				       epoch);
		}
	return 0;
}

struct sr_record *keys_rec(const struct testd_keys *k, size_t port, size_t i)
{
	return &k->recs[port * k->n + k->canon[i]];
}

void keys_renew(struct testd_keys *k)
{
	uint8_t epoch[SR_EPOCH_LEN];
	size_t p, i;

	for (p = 0; p < k->nports; p++)
		for (i = 0; i < k->n; i++) {
			struct sr_record *rec = keys_rec(k, p, i);

			if (k->canon[i] != i)
				continue;
			randombytes_buf(epoch, sizeof(epoch));
			sr_record_lock(rec);
			free(sr_record_renew(rec, epoch));
			sr_record_unlock(rec);
		}
}

void keys_expire(struct testd_keys *k, uint64_t now)
{
	size_t p, i;

	for (p = 0; p < k->nports; p++)
		for (i = 0; i < k->n; i++) {
			struct sr_record *rec = keys_rec(k, p, i);

			if (k->canon[i] != i || !rec->out)
				continue;
			sr_record_lock(rec);
			free(sr_record_expire(rec, now));
			sr_record_unlock(rec);
		}
}

void keys_free(struct testd_keys *k)
{
	size_t i;

	for (i = 0; k->recs && i < k->nports * k->n; i++)
		free(k->recs[i].out);
	free(k->recs);
	k->recs = NULL;
	sodium_free(k->mks);
	k->mks = NULL;
}
