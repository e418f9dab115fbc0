// SPDX-License-Identifier: GPL-2.0
/* sysrqctl disable: delete the table that `enable` created. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "cmd/enable.h"
#include "opt.h"
#include "netlink/nl_build.h"
#include "netlink/nl_cli.h"
#include "netlink/nl_err.h"

/* --force is long only: -f is --fleet-key everywhere. */
enum { OPT_FORCE = 256 };

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s disable [--table FAMILY NAME] [--force]\n"
		"Delete the table made by 'enable' (default: inet sysrq) with\n"
		"its chain and sysrq rules, in one transaction. A table "
		"without\n"
		"enable's comment ('" NL_TABLE_COMMENT "') is left alone\n"
		"unless --force is given. No table: nothing to do (exit 0).\n"
		"  -t, --table FAMILY NAME  the table (default: inet sysrq)\n"
		"      --force              delete it even without the "
		"comment\n"
		"  -h, --help               show this help\n",
		prog);
}

int disable_table(struct nl *nl, const struct nl_scope *scope, bool force)
{
	struct nl_batch b;
	bool ours = false;
	int err, found;

	found = nl_table_get(nl, scope->family, scope->table, &ours);
	if (found < 0) {
		nl_err_report(found, "look up the table", NULL, NULL);
		return EXIT_FAIL;
	}
	if (!found) {
		printf("no table %s %s: nothing to do\n",
		       nl_family_name(scope->family), scope->table);
		return EXIT_OK;
	}
	if (!ours && !force) {
		fprintf(stderr,
			"%s disable: table %s %s was not made by 'sysrqctl "
			"enable' "
			"(no '%s' comment); --force deletes it anyway\n",
			prog, nl_family_name(scope->family), scope->table,
			NL_TABLE_COMMENT);
		return EXIT_FAIL;
	}
	err = nl_batch_init(&b, nl, 0);
	if (!err)
		err = nl_put_deltable(&b, nl, scope->family, scope->table);
	if (!err)
		err = nl_batch_commit(&b, nl);
	else
		nl_err_report(err, "build the request", NULL, NULL);
	nl_batch_free(&b);
	if (err)
		return EXIT_FAIL;
	printf("deleted table %s %s\n", nl_family_name(scope->family),
	       scope->table);
	return EXIT_OK;
}

int cmd_disable(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "table", required_argument, NULL, 't' },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nl_scope scope = { 0 };
	struct nl nl;
	bool force = false;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (optind >= argc) {
				fprintf(stderr,
					"%s disable: --table needs FAMILY "
					"NAME\n",
					prog);
				return EXIT_USAGE;
			}
			if (cli_scope("disable", optarg, argv[optind++],
				      &scope))
				return EXIT_USAGE;
			break;
		case OPT_FORCE:
			force = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			opt_error("disable", c, argv, opts);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s disable: unexpected argument '%s'\n", prog,
			argv[optind]);
		return EXIT_USAGE;
	}
	if (!scope.set)
		cli_scope("disable", NL_DEFAULT_FAMILY_NAME, NL_DEFAULT_TABLE,
			  &scope);
	if (cli_open(&nl))
		return EXIT_FAIL;
	c = disable_table(&nl, &scope, force);
	nl_close(&nl);
	return c;
}
