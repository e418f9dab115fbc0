/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Messages for what getopt_long rejects, and "did you mean" suggestions
 * for mistyped words (subcommands, long options).
 */
#ifndef SYSRQCTL_OPT_H
#define SYSRQCTL_OPT_H

#include <getopt.h>
#include <stddef.h>

/*
 * One line on stderr for option c that getopt_long returned as ':'
 * (missing argument; the short options string must start with ':', after
 * a '+' if any) or '?' (unknown or ambiguous). cmd is the subcommand.
 */
void opt_error(const char *cmd, int c, char **argv, const struct option *opts);

/* The word of words[0..n) nearest to typed, or NULL when none is near. */
const char *opt_nearest(const char *typed, size_t typed_len,
			const char *const *words, size_t n);

#endif
