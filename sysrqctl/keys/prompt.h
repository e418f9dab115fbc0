/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Secrets from the user: a passphrase read without echo, and key files
 * read with the loose-permission warning. Shared by the subcommands.
 */
#ifndef SYSRQCTL_PROMPT_H
#define SYSRQCTL_PROMPT_H

#include <stddef.h>
#include <stdint.h>

#include "keys/key.h"

#define PASSPHRASE_MAX 1024

/*
 * Read a passphrase: from the terminal without echo when stdin is one
 * (the prompt goes to stderr), else one line of stdin. The trailing
 * newline is dropped. buf (PASSPHRASE_MAX + 1 bytes, best sodium_malloc'd)
 * receives it NUL-terminated; *len its length. Returns 0, or -1 with one
 * line in err.
 */
int prompt_passphrase(const char *prompt, char *buf, size_t *len,
		      char err[ERR_LEN]);

/*
 * key_read_file() plus a warning on stderr when group or others may read
 * the file. Returns 0, or -1 after printing the error line.
 */
int read_key_warn(const char *path, uint8_t key[KEY_LEN]);

#endif
