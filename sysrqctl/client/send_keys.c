// SPDX-License-Identifier: GPL-2.0
/*
 * Which key each host of send, reboot and poweroff uses, and its keyed
 * MAC state. Hosts sharing a key source share a slot: each key file is
 * read once, the passphrase asked for once (one key per name), and a key
 * shared by many hosts gets one MAC state, not one per host; a fleet key
 * still gives each host its own, derived from its name as typed.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "keys/prompt.h"
#include "client/send.h"

/* A host's key source, before slots are shared out. */
struct want {
	struct key_slot ks;
	size_t host;
};

static int by_source(const void *a, const void *b)
{
	const struct want *x = a, *y = b;

	if (x->ks.src != y->ks.src)
		return x->ks.src < y->ks.src ? -1 : 1;
	return strcmp(x->ks.arg, y->ks.arg);
}

/* The command line's key, the host's entry's, or $SYSRQ_KEY_FILE. */
static int source_of(const struct send_cli *c, const struct send_host *h,
		     struct key_slot *ks)
{
	const char *env = getenv("SYSRQ_KEY_FILE");

	if (c->src != SRC_NONE) {
		ks->src = c->src;
		ks->arg = c->src == SRC_PASS ? c->name : c->key_path;
	} else if (h->entry && h->entry->src != SRC_NONE) {
		ks->src = h->entry->src;
		ks->arg = h->entry->arg;
	} else if (env && *env) {
		ks->src = SRC_KEY;
		ks->arg = env;
	} else {
		fprintf(stderr,
			"%s: host '%s': no key: use --key FILE, --fleet-key "
			"FILE, --passphrase, SYSRQ_KEY_FILE or a key in a "
			"hosts file\n",
			prog, h->typed);
		return -1;
	}
	return 0;
}

int keys_plan(const struct send_cli *c, struct send_host *hosts, size_t n,
	      struct send_keys *k)
{
	char label[LABEL_MAX + 1], err[ERR_LEN];
	struct want *w;
	size_t i;
	int ret = EXIT_USAGE;

	memset(k, 0, sizeof(*k));
	w = calloc(n, sizeof(*w));
	k->slots = calloc(n, sizeof(*k->slots));
	if (!w || !k->slots) {
		fprintf(stderr, "%s: out of memory\n", prog);
		ret = EXIT_FAIL;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (source_of(c, &hosts[i], &w[i].ks) < 0)
			goto out;
		if (w[i].ks.src == SRC_FLEET &&
		    key_host_label(hosts[i].name, label, err) < 0) {
			fprintf(stderr, "%s: %s\n", prog, err);
			goto out;
		}
		w[i].host = i;
	}
	/* Sorted by source, so that equal sources are neighbours. */
	qsort(w, n, sizeof(*w), by_source);
	for (i = 0; i < n; i++) {
		if (i == 0 || by_source(&w[i - 1], &w[i]))
			k->slots[k->n++] = w[i].ks;
		hosts[w[i].host].slot = k->n - 1;
	}
	ret = EXIT_OK;
out:
	free(w);
	return ret;
}

/* Every slot's key (the fleet key for a fleet slot), into keys. */
static int read_keys(const struct send_keys *k, uint8_t *keys)
{
	char err[ERR_LEN], *pass = NULL;
	size_t i, len = 0;
	int ret = 0;

	for (i = 0; i < k->n && ret == 0; i++) {
		uint8_t *key = keys + i * KEY_LEN;

		if (k->slots[i].src != SRC_PASS) {
			ret = read_key_warn(k->slots[i].arg, key);
			continue;
		}
		/* One passphrase; each name salts its own key from it. */
		if (!pass) {
			pass = sodium_malloc(PASSPHRASE_MAX + 1);
			if (!pass) {
				fprintf(stderr, "%s: out of memory\n", prog);
				return -1;
			}
			ret = prompt_passphrase("Passphrase: ", pass, &len,
						err);
		}
		if (ret == 0)
			ret = key_from_passphrase(pass, len, k->slots[i].arg,
						  key, err);
		if (ret < 0)
			fprintf(stderr, "%s: %s\n", prog, err);
	}
	sodium_free(pass);
	return ret;
}

static int init_mk(struct sr_mac_key *mk, const uint8_t key[KEY_LEN],
		   uint8_t id[SR_KEY_ID_LEN])
{
	sr_mac_key_init(mk, key);
	if (sr_key_id(mk, id) < 0) {
		fprintf(stderr, "%s: computing the key id failed\n", prog);
		return -1;
	}
	return 0;
}

int keys_load(struct send_keys *k, struct send_host *hosts, size_t n)
{
	uint8_t *keys, *host_key, (*ids)[SR_KEY_ID_LEN] = NULL;
	size_t i, nmks, next;
	int ret = EXIT_USAGE;

	/* mks[slot] for a shared slot, then one per fleet-keyed host. */
	nmks = k->n;
	for (i = 0; i < n; i++)
		nmks += k->slots[hosts[i].slot].src == SRC_FLEET;
	keys = sodium_allocarray(k->n, KEY_LEN);
	host_key = sodium_malloc(KEY_LEN);
	k->mks = sodium_allocarray(nmks, sizeof(*k->mks));
	ids = calloc(k->n, sizeof(*ids));
	if (!keys || !host_key || !k->mks || !ids) {
		fprintf(stderr, "%s: out of memory\n", prog);
		ret = EXIT_FAIL;
		goto out;
	}
	if (read_keys(k, keys) < 0)
		goto out;
	ret = EXIT_FAIL;
	for (i = 0; i < k->n; i++)
		if (k->slots[i].src != SRC_FLEET &&
		    init_mk(&k->mks[i], keys + i * KEY_LEN, ids[i]) < 0)
			goto out;
	next = k->n;
	for (i = 0; i < n; i++) {
		struct send_host *h = &hosts[i];
		size_t s = h->slot;
		char err[ERR_LEN];

		if (k->slots[s].src != SRC_FLEET) {
			h->mk = &k->mks[s];
			memcpy(h->key_id, ids[s], sizeof(h->key_id));
			continue;
		}
		if (key_derive_host(keys + s * KEY_LEN, h->name, host_key,
				    err) < 0) {
			fprintf(stderr, "%s: %s\n", prog, err);
			ret = EXIT_USAGE;
			goto out;
		}
		h->mk = &k->mks[next++];
		if (init_mk(h->mk, host_key, h->key_id) < 0)
			goto out;
	}
	ret = EXIT_OK;
out:
	/* Only the keyed MAC states are needed from here on. */
	if (keys)
		sodium_memzero(keys, k->n * KEY_LEN);
	if (host_key)
		sodium_memzero(host_key, KEY_LEN);
	sodium_free(keys);
	sodium_free(host_key);
	free(ids);
	return ret;
}

void keys_free(struct send_keys *k)
{
	sodium_free(k->mks);
	free(k->slots);
	memset(k, 0, sizeof(*k));
}
