// SPDX-License-Identifier: GPL-2.0
/*
 * What getopt_long rejects, said in one line: "option requires an
 * argument" naming the option, or "bad option" with a suggestion when a
 * long option was mistyped or a letter means something the subcommand
 * does not take; and the nearest-word search behind "did you mean" (also
 * for subcommands, in main.c).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "opt.h"

#define WORD_MAX 64

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

/*
 * Edit distance counting an adjacent transposition as one edit ("sned"
 * is one from "send"): the optimal string alignment distance.
 */
static size_t distance(const char *a, size_t la, const char *b, size_t lb)
{
	static size_t d[WORD_MAX + 1][WORD_MAX + 1];
	size_t i, j;

	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];

			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
				       d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	return d[la][lb];
}

const char *opt_nearest(const char *typed, size_t typed_len,
			const char *const *words, size_t n)
{
	const char *best = NULL, *prefixed = NULL;
	size_t best_d = SIZE_MAX, nprefixed = 0, i;

	if (typed_len == 0 || typed_len > WORD_MAX)
		return NULL;
	for (i = 0; i < n; i++) {
		size_t len = strlen(words[i]), d;

		if (len > WORD_MAX)
			continue;
		/* A unique start of a word ("pass" for "passphrase-key"). */
		if (typed_len >= 2 && typed_len < len &&
		    !strncmp(words[i], typed, typed_len)) {
			prefixed = words[i];
			nprefixed++;
		}
		d = distance(typed, typed_len, words[i], len);
		if (d < best_d) {
			best_d = d;
			best = words[i];
		}
	}
	if (nprefixed == 1)
		return prefixed;
	/* Near: one edit, or two for words of five characters or more. */
	if (best_d == 1 || (best_d == 2 && typed_len >= 5))
		return best;
	return NULL;
}

/*
 * Every short option letter of sysrqctl and the long option it stands for
 * in every subcommand that takes it: one meaning per letter (the table in
 * docs/sysrqctl.md; tests/client/run checks each --help against it).
 */
static const struct {
	char c;
	const char *name;
} letters[] = {
	{ 'a', "allow" },     { 'd', "out-dir" },  { 'f', "fleet-key" },
	{ 'h', "help" },      { 'i', "interval" }, { 'j', "json" },
	{ 'k', "key" },	      { 'K', "keys" },	   { 'n', "name" },
	{ 'o', "out" },	      { 'p', "port" },	   { 'P', "passphrase" },
	{ 'r', "remove" },    { 's', "source" },   { 't', "table" },
	{ 'T', "tolerance" }, { 'v', "verbose" },  { 'W', "timeout" },
};

/*
 * What some letters meant in some subcommands before every letter had one
 * meaning: someone typing the old letter most likely wants that option.
 */
static const struct {
	char c;
	const char *name;
} former[] = {
	{ 'f', "force" },   { 'p', "passphrase" }, { 'P', "port" },
	{ 't', "timeout" }, { 'T', "together" },
};

/* The option of opts named name, or NULL. */
static const struct option *by_name(const char *name, const struct option *opts)
{
	for (; opts->name; opts++)
		if (!strcmp(opts->name, name))
			return opts;
	return NULL;
}

/*
 * "-t is --table, which send does not take; did you mean -W (--timeout)?"
 * for a letter of another subcommand; false when c is no letter of ours.
 */
static bool other_letter(const char *cmd, int c, const struct option *opts)
{
	const char *name = NULL;
	const struct option *want = NULL;
	size_t i;

	for (i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
		if (letters[i].c == c)
			name = letters[i].name;
	if (!name)
		return false;
	for (i = 0; i < sizeof(former) / sizeof(former[0]) && !want; i++)
		if (former[i].c == c)
			want = by_name(former[i].name, opts);
	fprintf(stderr,
		"%s %s: bad option '-%c': -%c is --%s, which %s does "
		"not take",
		prog, cmd, c, c, name, cmd);
	if (want && want->val > 0x20 && want->val < 0x7f)
		fprintf(stderr, "; did you mean -%c (--%s)?", want->val,
			want->name);
	else if (want)
		fprintf(stderr, "; did you mean --%s?", want->name);
	fprintf(stderr, " (see --help)\n");
	return true;
}

/* The long name of short option c, or NULL. */
static const char *long_name(int c, const struct option *opts)
{
	for (; opts->name; opts++)
		if (opts->val == c && !opts->flag)
			return opts->name;
	return NULL;
}

/* A mistyped long option ("--tiemout=3"): the nearest real one. */
static const char *nearest_long(const char *arg, const struct option *opts)
{
	const char *words[64];
	size_t n = 0, len;

	arg += 2;
	len = strcspn(arg, "=");
	for (; opts->name && n < sizeof(words) / sizeof(words[0]); opts++)
		words[n++] = opts->name;
	return opt_nearest(arg, len, words, n);
}

void opt_error(const char *cmd, int c, char **argv, const struct option *opts)
{
	/* getopt_long has moved optind past the word it rejected. */
	const char *word = optind > 0 ? argv[optind - 1] : "";
	bool typed_long = word && !strncmp(word, "--", 2);
	const char *name, *near;

	if (c == ':') {
		name = long_name(optopt, opts);
		if (typed_long || optopt < 0x20 || optopt > 0x7e)
			fprintf(stderr,
				"%s %s: option requires an argument: --%s (see "
				"--help)\n",
				prog, cmd, name ? name : word + 2);
		else if (name)
			fprintf(stderr,
				"%s %s: option requires an argument: -%c "
				"(--%s) (see --help)\n",
				prog, cmd, optopt, name);
		else
			fprintf(stderr,
				"%s %s: option requires an argument: -%c (see "
				"--help)\n",
				prog, cmd, optopt);
		return;
	}
	if (typed_long && optopt) {
		/* "--json=1": an argument to an option that takes none. */
		name = long_name(optopt, opts);
		fprintf(stderr,
			"%s %s: option '--%s' takes no argument (see --help)\n",
			prog, cmd, name ? name : word + 2);
		return;
	}
	if (optopt > 0x20 && optopt < 0x7f && !typed_long) {
		if (other_letter(cmd, optopt, opts))
			return;
		fprintf(stderr, "%s %s: bad option '-%c' (see --help)\n", prog,
			cmd, optopt);
		return;
	}
	near = typed_long ? nearest_long(word, opts) : NULL;
	if (near)
		fprintf(stderr,
			"%s %s: bad option '%s'; did you mean '--%s'? (see "
			"--help)\n",
			prog, cmd, word, near);
	else
		fprintf(stderr, "%s %s: bad option '%s' (see --help)\n", prog,
			cmd, word);
}
