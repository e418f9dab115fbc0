// SPDX-License-Identifier: GPL-2.0
/*
 * Does this host's nft know the sysrq statement? The distribution's nft
 * does not: its `nft list ruleset` leaves sysrq rules out, so a ruleset
 * saved with it loses them.
 *
 * The probe changes nothing: it runs `nft --check -f -` twice on one rule
 * for a table that does not exist ("add rule ip sysrqctl-probe c udp dport
 * 9 ..."), once with a counter statement and once with sysrq. --check
 * never commits, and the kernel refuses a rule for a missing table before
 * it looks at the rule's expressions. An nft that does not know sysrq
 * answers the second with a syntax error and the first without one; any
 * other pair of answers is reported as unknown.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netlink/nft_probe.h"

static int executable(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

static int find_nft(char *path, size_t len)
{
	static const char *const fallback[] = { "/usr/sbin/nft", "/sbin/nft" };
	const char *env = getenv("SYSRQCTL_NFT");
	const char *dirs = getenv("PATH");
	size_t i;

	if (env && *env) {
		snprintf(path, len, "%s", env);
		return executable(path);
	}
	while (dirs && *dirs) {
		size_t n = strcspn(dirs, ":");

		if (n > 0 &&
		    (size_t)snprintf(path, len, "%.*s/nft", (int)n, dirs) <
			    len &&
		    executable(path))
			return 1;
		dirs += n;
		if (*dirs == ':')
			dirs++;
	}
	for (i = 0; i < sizeof(fallback) / sizeof(fallback[0]); i++) {
		snprintf(path, len, "%s", fallback[i]);
		if (executable(path))
			return 1;
	}
	path[0] = '\0';
	return 0;
}

/*
 * Run `NFT --check -f -` on one rule with STMT; its stdout and stderr go
 * into out. The exit status, or -1 when nft could not be run.
 */
static int nft_check(const char *nft, const char *stmt, char *out,
		     size_t out_len)
{
	int in[2], res[2], status;
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	size_t got = 0;
	ssize_t n;
	char rule[128];
	pid_t pid;

	out[0] = '\0';
	if (pipe(in) < 0)
		return -1;
	if (pipe(res) < 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		close(in[0]);
		close(in[1]);
		close(res[0]);
		close(res[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(res[1], 1);
		dup2(res[1], 2);
		close(in[0]);
		close(in[1]);
		close(res[0]);
		close(res[1]);
		execl(nft, "nft", "--check", "-f", "-", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(res[1]);
	snprintf(rule, sizeof(rule),
		 "add rule ip sysrqctl-probe c udp dport 9 %s\n", stmt);
	/* an nft that exits without reading must not kill us */
	sigaction(SIGPIPE, &ign, &old);
	if (write(in[1], rule, strlen(rule)) < 0) {
		/* its answer says why */
	}
	close(in[1]);
	sigaction(SIGPIPE, &old, NULL);
	while (got + 1 < out_len &&
	       (n = read(res[0], out + got, out_len - 1 - got)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		got += (size_t)n;
	}
	out[got] = '\0';
	close(res[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status))
		return -1;
	if (WEXITSTATUS(status) == 127 && got == 0)
		return -1;
	return WEXITSTATUS(status);
}

/* the first line of s, for a message */
static void first_line(char *dst, size_t len, const char *s)
{
	snprintf(dst, len, "%.*s", (int)strcspn(s, "\n"), s);
}

enum nft_probe_result nft_probe(char *path, size_t path_len, char *why,
				size_t why_len)
{
	char ctl[4096], probe[4096];
	int rc_ctl, rc_probe;

	why[0] = '\0';
	if (!find_nft(path, path_len))
		return NFT_PROBE_NOT_FOUND;
	rc_ctl = nft_check(path, "counter", ctl, sizeof(ctl));
	rc_probe = nft_check(path, "sysrq", probe, sizeof(probe));
	if (rc_ctl < 0 || rc_probe < 0) {
		snprintf(why, why_len, "cannot run it");
		return NFT_PROBE_UNKNOWN;
	}
	if (strstr(ctl, "syntax error")) {
		first_line(why, why_len, ctl);
		return NFT_PROBE_UNKNOWN;
	}
	if (strstr(probe, "syntax error"))
		return NFT_PROBE_NO_SYSRQ;
	/* a refusal without a message tells nothing */
	if ((rc_ctl != 0 && !ctl[0]) || (rc_probe != 0 && !probe[0])) {
		snprintf(why, why_len, "it failed without a message");
		return NFT_PROBE_UNKNOWN;
	}
	return NFT_PROBE_KNOWS_SYSRQ;
}
