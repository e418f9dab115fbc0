// SPDX-License-Identifier: GPL-2.0
/*
 * What send, reboot and poweroff do once their options are parsed: every
 * check that must pass before a single datagram leaves (hosts, key
 * material, sockets), then the event loop over every host, the report
 * and the exit status. The caller says which requests each host gets.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "prompt.h"
#include "send.h"

/* The requests every host goes through, in order. */
static void plan_requests(struct send_host *h, struct send_req *reqs,
			  const struct send_step *steps, size_t nsteps)
{
	size_t i;

	h->reqs = reqs;
	h->nreqs = nsteps;
	for (i = 0; i < nsteps; i++) {
		memcpy(reqs[i].keys, steps[i].keys, steps[i].n);
		reqs[i].n = steps[i].n;
		reqs[i].refusal_warning = steps[i].refusal_warning;
		reqs[i].split_if_refused = steps[i].split_if_refused;
	}
}

/* Read the key (or fleet key) once; never printed, wiped by the caller. */
static int load_key(const struct send_cli *c, uint8_t key[KEY_LEN])
{
	char err[ERR_LEN];
	char *pass;
	size_t len;
	int ret;

	if (c->src != SRC_PASS)
		return read_key_warn(c->key_path, key);
	pass = sodium_malloc(PASSPHRASE_MAX + 1);
	if (!pass) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return -1;
	}
	ret = prompt_passphrase("Passphrase: ", pass, &len, err);
	if (ret == 0)
		ret = key_from_passphrase(pass, len, c->name, key, err);
	sodium_free(pass);
	if (ret < 0)
		fprintf(stderr, "%s: %s\n", prog, err);
	return ret;
}

/*
 * Each host's keyed MAC state and key id: its own with a fleet key, else
 * one shared by every host (computed once, not once per host).
 */
static int key_hosts(const struct send_cli *c, struct send_host *hosts,
		     size_t nhosts, struct sr_mac_key *mks, uint8_t *key,
		     uint8_t *host_key)
{
	char err[ERR_LEN];
	size_t i;

	for (i = 0; i < nhosts; i++) {
		struct send_host *h = &hosts[i];

		if (c->src != SRC_FLEET && i > 0) {
			h->mk = hosts[0].mk;
			memcpy(h->key_id, hosts[0].key_id, sizeof(h->key_id));
			continue;
		}
		if (c->src == SRC_FLEET) {
			if (key_derive_host(key, h->name, host_key, err) < 0) {
				fprintf(stderr, "%s: %s\n", prog, err);
				return EXIT_USAGE;
			}
			sr_mac_key_init(&mks[i], host_key);
		} else {
			sr_mac_key_init(&mks[i], key);
		}
		h->mk = &mks[i];
		if (sr_key_id(h->mk, h->key_id) < 0) {
			fprintf(stderr, "%s: computing the key id failed\n",
				prog);
			return EXIT_FAIL;
		}
	}
	return EXIT_OK;
}

bool req_ok(const struct send_req *r)
{
	return result_ok(r->result) ||
	       (r->refusal_warning && r->result == RES_REFUSED);
}

int send_run(const struct send_cli *c, char **args, size_t nhosts,
	     const struct send_step *steps, size_t nsteps)
{
	struct send_index ix = { 0 };
	struct send_pool pool = { 0 };
	struct send_host *hosts;
	struct sr_mac_key *mks;
	struct send_req *reqs;
	uint8_t *key, *host_key;
	char err[ERR_LEN];
	size_t i, j;
	int ret = EXIT_USAGE;
	bool ok = true;

	hosts = calloc(nhosts, sizeof(*hosts));
	reqs = calloc(nhosts * nsteps, sizeof(*reqs));
	mks = sodium_allocarray(c->src == SRC_FLEET ? nhosts : 1, sizeof(*mks));
	key = sodium_malloc(KEY_LEN);
	host_key = sodium_malloc(KEY_LEN);
	if (!hosts || !reqs || !mks || !key || !host_key) {
		fprintf(stderr, "%s: out of memory\n", prog);
		ret = EXIT_FAIL;
		goto done;
	}
	for (i = 0; i < nhosts; i++) {
		char label[LABEL_MAX + 1];

		/* Cheap checks first: syntax, fleet label, then the resolver. */
		if (host_parse(args[i], c->o.port, &hosts[i], err) < 0 ||
		    (c->src == SRC_FLEET &&
		     key_host_label(hosts[i].name, label, err) < 0) ||
		    host_resolve(&hosts[i], c->o.family, err) < 0) {
			fprintf(stderr, "%s: %s\n", prog, err);
			goto done;
		}
		plan_requests(&hosts[i], reqs + i * nsteps, steps, nsteps);
	}
	if (index_build(&ix, hosts, nhosts, err) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		goto done;
	}
	if (load_key(c, key) < 0)
		goto done;
	ret = key_hosts(c, hosts, nhosts, mks, key, host_key);
	/* Only the keyed MAC states are needed from here on. */
	sodium_memzero(key, KEY_LEN);
	sodium_memzero(host_key, KEY_LEN);
	if (ret != EXIT_OK)
		goto done;
	ret = EXIT_USAGE;
	if (pool_open(&pool, hosts, nhosts, err) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		goto done;
	}

	send_loop(hosts, nhosts, &ix, &pool, &c->o);

	for (i = 0; i < nhosts; i++)
		for (j = 0; j < hosts[i].nreqs; j++)
			ok = ok && req_ok(&hosts[i].reqs[j]);
	if (c->o.json)
		report_json(hosts, nhosts, &c->o, ok);
	ret = ok ? EXIT_OK : EXIT_FAIL;
done:
	pool_close(&pool);
	index_free(&ix);
	free(hosts);
	free(reqs);
	sodium_free(mks);
	sodium_free(key);
	sodium_free(host_key);
	return ret;
}
