// SPDX-License-Identifier: GPL-2.0
/*
 * sysrqctl status: can this host obey a sysrq request? The module, the
 * armed rules, kernel.sysrq per function, kernel.panic and the clock; and
 * whether the host's nft knows the sysrq statement.
 */
#include <errno.h>
#include <getopt.h>
#include <linux/netfilter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/timex.h>

#include "commands.h"
#include "opt.h"
#include "netlink/nl_cli.h"
#include "netlink/nl_err.h"
#include "netlink/nft_probe.h"

/*
 * The kernel.sysrq bits (Documentation/admin-guide/sysrq.rst) and their
 * keys, as the module's table (nft_sysrq/mask.c) has them; d, g, q and v
 * have no bit: only kernel.sysrq=1 enables them.
 */
static const struct {
	unsigned int bit;
	const char *what;
	const char *keys;
} sysrq_bits[] = {
	{ 2, "console log level", "0-9" },
	{ 4, "keyboard control", "k r" },
	{ 8, "debugging dumps", "c l m p t w z" },
	{ 16, "sync", "s" },
	{ 32, "remount read-only", "u" },
	{ 64, "signal processes", "e f i j" },
	{ 128, "reboot and poweroff", "b o" },
	{ 256, "nice real-time tasks", "n" },
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s status\n"
		"Show whether this host can obey a sysrq request: the "
		"nft_sysrq\n"
		"module, the armed and unarmed sysrq rules, kernel.sysrq "
		"decoded\n"
		"per function, kernel.panic and the clock's synchronisation.\n"
		"Also whether this host's nft knows the sysrq statement (one\n"
		"that does not leaves sysrq rules out of its listings).\n"
		"Lines start with module:, rules:, rule:, counters: (of the\n"
		"rule above), kernel.sysrq:, kernel.panic:, clock:, nft: or\n"
		"warning:.\n"
		"  -h, --help  show this help\n",
		prog);
}

/*
 * A value under /proc/sys; SYSRQCTL_PROC_SYS names another directory
 * (tests feed kernel.sysrq and kernel.panic values through it).
 */
static int read_long(const char *name, long *out)
{
	const char *dir = getenv("SYSRQCTL_PROC_SYS");
	char path[512];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/proc/sys",
		 name);
	f = fopen(path, "r");

	if (!f)
		return -1;
	ok = fscanf(f, "%ld", out) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

static void show_module(void)
{
	struct stat st;

	if (stat("/sys/module/nft_sysrq", &st) == 0)
		printf("module: nft_sysrq loaded\n");
	else
		printf("module: nft_sysrq not loaded (modprobe nft_sysrq; a "
		       "ruleset using sysrq also loads it)\n");
}

static void show_rules(void)
{
	struct nl_rules rules;
	struct nl_sysrq s;
	struct nl nl;
	size_t total = 0, armed = 0;
	int err;

	err = nl_open(&nl);
	if (!err) {
		err = nl_rules_dump(&nl, NFPROTO_UNSPEC, NULL, &rules);
		nl_close(&nl);
	}
	if (err) {
		printf("rules: unknown (cannot dump the ruleset: %s)\n",
		       strerror(-err));
		return;
	}
	for (size_t i = 0; i < rules.n; i++)
		for (unsigned int e = 0; e < rules.v[i].nexprs; e++)
			if (nl_rule_sysrq_at(&rules.v[i], e, &s)) {
				total++;
				armed += s.armed;
			}
	printf("rules: %zu sysrq expression%s, %zu armed\n", total,
	       total == 1 ? "" : "s", armed);
	for (size_t i = 0; i < rules.n; i++)
		for (unsigned int e = 0; e < rules.v[i].nexprs; e++)
			if (nl_rule_sysrq_at(&rules.v[i], e, &s)) {
				printf("rule: ");
				cli_print_sysrq(stdout, &rules.v[i], &s);
				putchar('\n');
				if (s.has_counters) {
					printf("counters:");
					cli_print_counters(stdout, &s);
					putchar('\n');
				}
			}
	if (!armed)
		printf("warning: no armed sysrq rule: requests are not "
		       "answered (sysrqctl enable --key FILE, or "
		       "set-secret)\n");
	nl_rules_free(&rules);
}

static void show_sysrq(void)
{
	long v;
	char blocked[64] = "";

	if (read_long("kernel/sysrq", &v)) {
		printf("kernel.sysrq: unknown (cannot read "
		       "/proc/sys/kernel/sysrq)\n");
		return;
	}
	if (v == 1) {
		printf("kernel.sysrq: 1 (every function enabled)\n");
		return;
	}
	printf("kernel.sysrq: %ld (%s)\n", v,
	       v ? "only the functions below" : "every function disabled");
	for (size_t i = 0; i < sizeof(sysrq_bits) / sizeof(sysrq_bits[0]);
	     i++) {
		bool on = v & sysrq_bits[i].bit;

		printf("kernel.sysrq: %3u %-8s %s (%s)\n", sysrq_bits[i].bit,
		       on ? "enabled" : "disabled", sysrq_bits[i].what,
		       sysrq_bits[i].keys);
	}
	if (v)
		printf("kernel.sysrq: d g q v need kernel.sysrq=1\n");
	snprintf(blocked, sizeof(blocked), "%s%s%s", v & 16 ? "" : ", s (sync)",
		 v & 32 ? "" : ", u (remount)", v & 128 ? "" : ", b (reboot)");
	if (*blocked)
		printf("warning: kernel.sysrq blocks %s: requests for them are "
		       "REFUSED; allow them with 'sysctl kernel.sysrq=%ld' "
		       "(and in /etc/sysctl.d/)\n",
		       blocked + 2, v | 16 | 32 | 128);
}

static void show_panic(void)
{
	long v;

	if (read_long("kernel/panic", &v)) {
		printf("kernel.panic: unknown (cannot read "
		       "/proc/sys/kernel/panic)\n");
		return;
	}
	if (v == 0) {
		printf("kernel.panic: 0 (a panic leaves the machine hung)\n");
		printf("warning: set kernel.panic=10 to reboot 10 s after a "
		       "panic (a panicked kernel answers no sysrq request)\n");
	} else if (v < 0) {
		printf("kernel.panic: %ld (reboot immediately after a panic)\n",
		       v);
	} else {
		printf("kernel.panic: %ld (reboot %ld s after a panic)\n", v,
		       v);
	}
}

static void show_clock(void)
{
	struct timex tx;
	int state;

	memset(&tx, 0, sizeof(tx)); /* modes 0: read only */
	state = adjtimex(&tx);
	if (state < 0) {
		printf("clock: unknown (adjtimex: %s)\n", strerror(errno));
		return;
	}
	if (state == TIME_ERROR || (tx.status & STA_UNSYNC)) {
		/* Protocol v2: senders probe the module's own clock. */
		printf("clock: not synchronised (no matter: senders learn "
		       "this host's protocol clock from its answer to a "
		       "probe)\n");
		return;
	}
	printf("clock: synchronised (estimated error %ld us, maximum error "
	       "%ld us)\n",
	       tx.esterror, tx.maxerror);
}

/*
 * The distribution's nft cannot list sysrq rules: a ruleset saved with it
 * loses them. Say so, and what brings them back.
 */
static void show_nft(void)
{
	const char *env = getenv("SYSRQCTL_NFT");
	char path[4096], why[256];

	switch (nft_probe(path, sizeof(path), why, sizeof(why))) {
	case NFT_PROBE_NOT_FOUND:
		if (env && *env)
			printf("nft: not found (SYSRQCTL_NFT=%s is no "
			       "executable file)\n",
			       env);
		else
			printf("nft: not found (no nft in PATH, /usr/sbin or "
			       "/sbin)\n");
		break;
	case NFT_PROBE_KNOWS_SYSRQ:
		printf("nft: %s knows the sysrq statement\n", path);
		break;
	case NFT_PROBE_NO_SYSRQ:
		printf("nft: %s does not know the sysrq statement (the "
		       "distribution's nft, not the patched one)\n",
		       path);
		printf("warning: this nft leaves sysrq rules out of 'nft list "
		       "ruleset': 'nft list ruleset > /etc/nftables.conf' "
		       "loses them; nft-sysrq.service re-arms them from "
		       "/etc/nft_sysrq/nft_sysrq.conf (sysrqctl arm) at boot "
		       "and whenever nftables.service starts or reloads\n");
		break;
	case NFT_PROBE_UNKNOWN:
		printf("nft: %s: cannot tell whether it knows the sysrq "
		       "statement (%s)\n",
		       path, why);
		break;
	}
}

int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return EXIT_OK;
		}
		opt_error("status", c, argv, opts);
		return EXIT_USAGE;
	}
	if (optind != argc) {
		fprintf(stderr, "%s status: unexpected argument '%s'\n", prog,
			argv[optind]);
		return EXIT_USAGE;
	}
	show_module();
	show_rules();
	show_sysrq();
	show_panic();
	show_clock();
	show_nft();
	return fflush(stdout) ? EXIT_FAIL : EXIT_OK;
}
