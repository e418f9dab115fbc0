/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hosts files of the client: a name for an address, port and key, so
 * that "sysrqctl send web1 sub" needs no options. One host per line:
 *
 *   NAME ADDRESS[:PORT] [key FILE | fleet-key FILE | passphrase [KEYNAME]]
 *
 * '#' starts a comment (at the start of a word). ADDRESS is written as a
 * HOST on the command line (hostport.h); a relative FILE is relative to
 * the hosts file's directory. The user's file is read before the
 * system's, and the first entry for a name wins.
 */
#ifndef SYSRQCTL_HOSTS_FILE_H
#define SYSRQCTL_HOSTS_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keys/key.h"

#define HOSTS_SYSTEM_FILE "/etc/nft_sysrq/hosts"
/* Larger files are refused: a hosts file is text a person writes. */
#define HOSTS_FILE_MAX (16 << 20)

struct hosts_entry {
	char *name;	     /* as written */
	char *host;	     /* the address: a name or a literal */
	uint16_t port;	     /* 0: none given */
	enum key_source src; /* SRC_NONE: no key given */
	char *arg;	     /* key file path, or passphrase key name */
	const char *file;    /* where it was written, for messages */
	unsigned int line;
	unsigned int order; /* the file's place in reading order */
};

struct hosts_file {
	char *path;
	bool loose; /* group or others may write it: the caller warns */
};

struct hosts_table {
	struct hosts_entry *v;
	size_t n, cap;
	struct hosts_file *files;
	size_t nfiles;
	bool ready; /* hosts_done sorted v by name, then reading order */
};

/*
 * Parse text, the contents of the hosts file path, appending its entries.
 * 0, or -1 with "PATH:LINE: what is wrong" in err.
 */
int hosts_parse(struct hosts_table *t, const char *path, const char *text,
		size_t len, char err[ERR_LEN]);

/*
 * Read and parse one file. A file that does not exist is no error when
 * missing_ok; one that exists and cannot be read always is.
 */
int hosts_load(struct hosts_table *t, const char *path, bool missing_ok,
	       char err[ERR_LEN]);

/*
 * The files to read: only `only` when it is set (it must exist), else
 * the user's file ($SYSRQCTL_USER_HOSTS, else
 * ${XDG_CONFIG_HOME:-$HOME/.config}/sysrqctl/hosts) and then the system's
 * ($SYSRQCTL_HOSTS, else HOSTS_SYSTEM_FILE); an empty variable names no
 * file. Then hosts_done.
 */
int hosts_load_all(struct hosts_table *t, const char *only, char err[ERR_LEN]);

/*
 * After the last file: sort the entries for hosts_find (entry pointers
 * are stable from then on); a name given twice in one file is an error
 * naming the second line.
 */
int hosts_done(struct hosts_table *t, char err[ERR_LEN]);

/* The entry for name (ASCII case ignored) read first, or NULL. */
const struct hosts_entry *hosts_find(const struct hosts_table *t,
				     const char *name);

void hosts_free(struct hosts_table *t);

#endif
