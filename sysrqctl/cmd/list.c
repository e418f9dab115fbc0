// SPDX-License-Identifier: GPL-2.0
/* sysrqctl list: every sysrq expression of every table, text or JSON. */
#include <errno.h>
#include <getopt.h>
#include <linux/netfilter.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "opt.h"
#include "netlink/nl_cli.h"
#include "netlink/nl_err.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s list [--json] [--table FAMILY NAME]\n"
		"Show every sysrq expression of the ruleset (all families,\n"
		"tables and chains): where it is, its name, whether it is "
		"armed\n"
		"and with which key id, allow-list, tolerance, output limit "
		"(bytes\n"
		"of kernel log kept per request; 0: none), when it was armed\n"
		"and its per-verdict counters. Never shows a key.\n"
		"  -j, --json               one JSON document (see "
		"docs/admin.md)\n"
		"  -t, --table FAMILY NAME  only that table\n"
		"  -h, --help               show this help\n",
		prog);
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void print_json(const struct nl_rule *r, unsigned int idx,
		       const struct nl_sysrq *s, bool first)
{
	char hex[17], when[32];

	printf("%s\n    {\"family\": ", first ? "" : ",");
	json_str(nl_family_name(r->family));
	printf(", \"table\": ");
	json_str(r->table);
	printf(", \"chain\": ");
	json_str(r->chain);
	printf(", \"handle\": %llu, \"expr_index\": %u, \"name\": ",
	       (unsigned long long)r->handle, idx);
	json_str(cli_sysrq_name(s));
	printf(", \"armed\": %s", s->armed ? "true" : "false");
	if (s->armed) {
		cli_hex(s->key_id, hex);
		printf(", \"key_id\": \"%s\"", hex);
	} else {
		printf(", \"key_id\": null");
	}
	printf(", \"allow\": ");
	if (s->has_allow && s->allow[0])
		json_str(s->allow);
	else
		printf("null");
	printf(", \"tolerance\": %u",
	       s->has_tolerance ? s->tolerance : NFT_SYSRQ_TOLERANCE_DEFAULT);
	printf(", \"output\": %u", s->has_output ? s->output : 0);
	if (s->armed && s->has_armed_at) {
		cli_time(s->armed_at, when);
		printf(", \"armed_at\": \"%s\", \"armed_at_ns\": %llu", when,
		       (unsigned long long)s->armed_at);
	} else {
		printf(", \"armed_at\": null, \"armed_at_ns\": null");
	}
	printf(", \"counters\": ");
	if (!s->has_counters) {
		printf("null}");
		return;
	}
	printf("{");
	for (int c = 1; c <= NFTA_SYSRQ_CTR_MAX; c++) {
		if (!nl_sysrq_counter_names[c])
			continue;
		printf("%s\"%s\": %llu", c > 1 ? ", " : "",
		       nl_sysrq_counter_names[c],
		       (unsigned long long)s->counters[c]);
	}
	printf("}}");
}

static void print_text(const struct nl_rule *r, const struct nl_sysrq *s)
{
	cli_print_sysrq(stdout, r, s);
	putchar('\n');
	if (!s->has_counters)
		return;
	printf("   ");
	cli_print_counters(stdout, s);
	putchar('\n');
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "table", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nl_scope scope = { 0 };
	struct nl_rules rules;
	struct nl_sysrq s;
	struct nl nl;
	bool json = false;
	size_t found = 0;
	int c, err;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:jt:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 't':
			if (optind >= argc) {
				fprintf(stderr,
					"%s list: --table needs FAMILY NAME\n",
					prog);
				return EXIT_USAGE;
			}
			if (cli_scope("list", optarg, argv[optind++], &scope))
				return EXIT_USAGE;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			opt_error("list", c, argv, opts);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s list: unexpected argument '%s'\n", prog,
			argv[optind]);
		return EXIT_USAGE;
	}
	if (cli_open(&nl))
		return EXIT_FAIL;
	err = cli_dump_rules(&nl, &scope, &rules);
	nl_close(&nl);
	if (err == -ENOENT && scope.set) {
		fprintf(stderr, "%s list: no table %s %s\n", prog,
			nl_family_name(scope.family), scope.table);
		return EXIT_FAIL;
	}
	if (err) {
		nl_err_report(err, "dump the nf_tables rules", NULL, NULL);
		return EXIT_FAIL;
	}

	if (json)
		printf("{\"version\": 1, \"sysrq\": [");
	for (size_t i = 0; i < rules.n; i++) {
		if (!cli_in_scope(&scope, &rules.v[i]))
			continue;
		for (unsigned int e = 0; e < rules.v[i].nexprs; e++) {
			if (!nl_rule_sysrq_at(&rules.v[i], e, &s))
				continue;
			if (json)
				print_json(&rules.v[i], e, &s, !found);
			else
				print_text(&rules.v[i], &s);
			found++;
		}
	}
	if (json)
		printf("%s]}\n", found ? "\n  " : "");
	else if (!found)
		fprintf(stderr, "%s list: no sysrq expression in the ruleset\n",
			prog);
	nl_rules_free(&rules);
	return fflush(stdout) ? EXIT_FAIL : EXIT_OK;
}
