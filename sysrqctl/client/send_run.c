// SPDX-License-Identifier: GPL-2.0
/*
 * What send, reboot and poweroff do once their options are parsed: every
 * check that must pass before a single datagram leaves (hosts, key
 * material, sockets), then the event loop over every host, the report
 * and the exit status. The caller says which requests each host gets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "client/send.h"

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
		/* A TERMINAL key is last: the host cannot report after it. */
		reqs[i].wants_report = !sr_key_terminal(
			(uint8_t)steps[i].keys[steps[i].n - 1]);
	}
}

/*
 * The protocol's exit 0: acknowledged (status 0 or 1), every REPORT asked
 * for arrived with status 0, all output arrived; reboot's allowed
 * refusals aside.
 */
bool req_ok(const struct send_req *r)
{
	if (r->refusal_warning && r->result == RES_REFUSED)
		return true;
	if (r->result == RES_DONE)
		return r->report_status == 0 && r->output_complete;
	return result_ok(r->result) && !r->wants_report;
}

int send_run(const struct send_cli *c, char **args, size_t nhosts,
	     const struct send_step *steps, size_t nsteps)
{
	struct send_index ix = { 0 };
	struct send_pool pool = { 0 };
	struct send_keys keys = { 0 };
	struct send_opts o = c->o;
	struct send_host *hosts;
	struct send_req *reqs;
	char err[ERR_LEN];
	size_t i, j;
	int ret = EXIT_USAGE;
	bool ok = true;

	hosts = calloc(nhosts, sizeof(*hosts));
	reqs = calloc(nhosts * nsteps, sizeof(*reqs));
	if (!hosts || !reqs) {
		fprintf(stderr, "%s: out of memory\n", prog);
		ret = EXIT_FAIL;
		goto done;
	}
	/* Cheap checks first: syntax, keys and fleet labels, the resolver. */
	for (i = 0; i < nhosts; i++) {
		if (host_parse(args[i], c->o.port, &c->hosts, &hosts[i], err) <
		    0) {
			fprintf(stderr, "%s: %s\n", prog, err);
			goto done;
		}
		plan_requests(&hosts[i], reqs + i * nsteps, steps, nsteps);
	}
	ret = keys_plan(c, hosts, nhosts, &keys);
	if (ret != EXIT_OK)
		goto done;
	ret = EXIT_USAGE;
	for (i = 0; i < nhosts; i++)
		if (host_resolve(&hosts[i], c->o.family, err) < 0) {
			fprintf(stderr, "%s: %s\n", prog, err);
			goto done;
		}
	if (index_build(&ix, hosts, nhosts, err) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		goto done;
	}
	ret = keys_load(&keys, hosts, nhosts);
	if (ret != EXIT_OK)
		goto done;
	ret = EXIT_USAGE;
	if (pool_open(&pool, hosts, nhosts, err) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		goto done;
	}

	o.multi = nhosts > 1;
	send_loop(hosts, nhosts, &ix, &pool, &o);

	for (i = 0; i < nhosts; i++)
		for (j = 0; j < hosts[i].nreqs; j++)
			ok = ok && req_ok(&hosts[i].reqs[j]);
	if (o.json)
		report_json(hosts, nhosts, &o, ok);
	ret = ok ? EXIT_OK : EXIT_FAIL;
done:
	pool_close(&pool);
	index_free(&ix);
	keys_free(&keys);
	for (i = 0; reqs && i < nhosts * nsteps; i++)
		free(reqs[i].output);
	free(hosts);
	free(reqs);
	return ret;
}
