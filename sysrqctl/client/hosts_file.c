// SPDX-License-Identifier: GPL-2.0
/*
 * Hosts files: reading, one line at a time, and looking names up. Every
 * line must be right: a file with one bad line is refused as a whole
 * (naming the file and line), so that nothing is ever sent to an address
 * or with a key the file did not mean.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/hostport.h"
#include "client/hosts_file.h"
#include "proto.h"

#define WORDS_MAX 5 /* NAME ADDRESS keyword argument, and one too many */
#define USAGE_LINE                                                             \
	"NAME ADDRESS[:PORT] [key FILE | fleet-key FILE | passphrase [NAME]]"

static const char name_chars[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

/* A word of a line: where it starts and how long it is. */
struct word {
	const char *s;
	size_t len;
};

/* Splits a line into words; '#' at the start of a word ends the line. */
static size_t split_words(const char *line, size_t len, struct word *w)
{
	size_t i = 0, n = 0;

	while (i < len) {
		size_t start;

		while (i < len && strchr(" \t\r", line[i]))
			i++;
		if (i == len || line[i] == '#')
			break;
		start = i;
		while (i < len && !strchr(" \t\r", line[i]))
			i++;
		if (n < WORDS_MAX)
			w[n] = (struct word){ line + start, i - start };
		n++;
	}
	return n;
}

/* Does every character of w belong to set? */
static bool all_of(const struct word *w, const char *set)
{
	size_t i;

	for (i = 0; i < w->len; i++)
		if (!strchr(set, w->s[i]) || !w->s[i])
			return false;
	return true;
}

static bool is(const struct word *w, const char *s)
{
	return w->len == strlen(s) && !memcmp(w->s, s, w->len);
}

static char *dup_word(const struct word *w)
{
	return strndup(w->s, w->len);
}

/* FILE as written, or made relative to the hosts file's directory. */
static char *key_path(const char *hosts_path, const struct word *w)
{
	const char *slash = strrchr(hosts_path, '/');
	size_t dir = slash ? (size_t)(slash - hosts_path) + 1 : 0;
	char *p;

	if (w->s[0] == '/' || !dir)
		return dup_word(w);
	p = malloc(dir + w->len + 1);
	if (!p)
		return NULL;
	memcpy(p, hosts_path, dir);
	memcpy(p + dir, w->s, w->len);
	p[dir + w->len] = '\0';
	return p;
}

/* The key part of a line (words w[0..n)), into e; or an error. */
static int parse_key(const char *path, const struct word *w, size_t n,
		     struct hosts_entry *e, char *why)
{
	if (n == 0)
		return 0;
	if (is(&w[0], "key") || is(&w[0], "fleet-key")) {
		e->src = is(&w[0], "key") ? SRC_KEY : SRC_FLEET;
		if (n < 2) {
			snprintf(why, ERR_LEN, "%.*s needs a FILE",
				 (int)w[0].len, w[0].s);
			return -1;
		}
		if (is(&w[1], "-")) {
			snprintf(why, ERR_LEN,
				 "%.*s -: standard input is no key file here",
				 (int)w[0].len, w[0].s);
			return -1;
		}
		e->arg = key_path(path, &w[1]);
	} else if (is(&w[0], "passphrase")) {
		e->src = SRC_PASS;
		if (n >= 2 &&
		    !sr_name_valid((const uint8_t *)w[1].s, w[1].len)) {
			snprintf(why, ERR_LEN,
				 "passphrase key name '%.*s': needs 1 to %d "
				 "characters of [A-Za-z0-9._-]",
				 (int)(w[1].len > 64 ? 64 : w[1].len), w[1].s,
				 SR_NAME_MAX);
			return -1;
		}
		e->arg = n >= 2 ? dup_word(&w[1]) : strdup("default");
	} else {
		snprintf(why, ERR_LEN,
			 "unknown word '%.*s' (expected key FILE, fleet-key "
			 "FILE or passphrase [NAME])",
			 (int)(w[0].len > 64 ? 64 : w[0].len), w[0].s);
		return -1;
	}
	if (n > 2) {
		snprintf(why, ERR_LEN, "unexpected '%.*s' after the key",
			 (int)(w[2].len > 64 ? 64 : w[2].len), w[2].s);
		return -1;
	}
	return e->arg ? 0 : -2;
}

/* One line with at least one word, into e; or what is wrong with it. */
static int parse_line(const char *path, const struct word *w, size_t n,
		      struct hosts_entry *e, char *why)
{
	struct hostport hp;
	char addr[LABEL_MAX + 8], reason[ERR_LEN];

	if (w[0].len > LABEL_MAX || w[0].s[0] == '-' || w[0].s[0] == '.' ||
	    !all_of(&w[0], name_chars)) {
		snprintf(why, ERR_LEN,
			 "NAME '%.*s': needs 1 to %d characters of "
			 "[A-Za-z0-9._-], not starting with '-' or '.'",
			 (int)(w[0].len > 64 ? 64 : w[0].len), w[0].s,
			 LABEL_MAX);
		return -1;
	}
	if (n < 2) {
		snprintf(why, ERR_LEN, "'%.*s' has no ADDRESS (expected %s)",
			 (int)(w[0].len > 64 ? 64 : w[0].len), w[0].s,
			 USAGE_LINE);
		return -1;
	}
	if (w[1].len >= sizeof(addr)) {
		snprintf(why, ERR_LEN, "address longer than %d characters",
			 LABEL_MAX);
		return -1;
	}
	memcpy(addr, w[1].s, w[1].len);
	addr[w[1].len] = '\0';
	if (hostport_split(addr, &hp, reason) < 0 ||
	    hostport_check(&hp, reason) < 0) {
		snprintf(why, ERR_LEN, "address '%.80s': %.140s", addr, reason);
		return -1;
	}
	e->name = dup_word(&w[0]);
	e->host = strdup(hp.host);
	e->port = hp.port;
	if (!e->name || !e->host)
		return -2;
	return parse_key(path, w + 2, n - 2, e, why);
}

static void entry_free(struct hosts_entry *e)
{
	free(e->name);
	free(e->host);
	free(e->arg);
}

static int grow(struct hosts_table *t)
{
	struct hosts_entry *v;
	size_t cap = t->cap ? 2 * t->cap : 16;

	if (t->n < t->cap)
		return 0;
	v = realloc(t->v, cap * sizeof(*v));
	if (!v)
		return -1;
	t->v = v;
	t->cap = cap;
	return 0;
}

/* The file's path, kept for as long as the table (entries point to it). */
static const char *add_file(struct hosts_table *t, const char *path, bool loose)
{
	struct hosts_file *f;
	char *copy = strdup(path);

	f = copy ? realloc(t->files, (t->nfiles + 1) * sizeof(*f)) : NULL;
	if (!f) {
		free(copy);
		return NULL;
	}
	t->files = f;
	t->files[t->nfiles++] = (struct hosts_file){ copy, loose };
	return copy;
}

static int parse_file(struct hosts_table *t, const char *path, bool loose,
		      const char *text, size_t len, char err[ERR_LEN])
{
	const char *file = add_file(t, path, loose), *line = text, *end;
	unsigned int lineno = 0;
	char why[ERR_LEN];

	if (!file)
		goto oom;
	for (; line < text + len; line = end + 1) {
		struct word w[WORDS_MAX];
		struct hosts_entry e = { .file = file };
		size_t n;
		int rc;

		end = memchr(line, '\n', (size_t)(text + len - line));
		if (!end)
			end = text + len;
		lineno++;
		if (memchr(line, '\0', (size_t)(end - line))) {
			snprintf(err, ERR_LEN, "%.120s:%u: a NUL byte", path,
				 lineno);
			return -1;
		}
		n = split_words(line, (size_t)(end - line), w);
		if (n == 0)
			continue;
		e.line = lineno;
		e.order = (unsigned int)(t->nfiles - 1);
		rc = parse_line(path, w, n < WORDS_MAX ? n : WORDS_MAX, &e,
				why);
		if (rc == 0 && grow(t) == 0) {
			t->v[t->n++] = e;
			continue;
		}
		entry_free(&e);
		if (rc == -1) {
			snprintf(err, ERR_LEN, "%.100s:%u: %.140s", path,
				 lineno, why);
			return -1;
		}
		goto oom;
	}
	return 0;
oom:
	snprintf(err, ERR_LEN, "%.120s: out of memory", path);
	return -1;
}

int hosts_parse(struct hosts_table *t, const char *path, const char *text,
		size_t len, char err[ERR_LEN])
{
	return parse_file(t, path, false, text, len, err);
}

int hosts_load(struct hosts_table *t, const char *path, bool missing_ok,
	       char err[ERR_LEN])
{
	struct stat st;
	char *text = NULL;
	size_t got = 0;
	ssize_t r;
	int fd, ret = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (missing_ok && (errno == ENOENT || errno == ENOTDIR))
			return 0;
		snprintf(err, ERR_LEN, "hosts file %.120s: %s", path,
			 strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(err, ERR_LEN, "hosts file %.120s: %s", path,
			 strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > HOSTS_FILE_MAX) {
		snprintf(err, ERR_LEN, "hosts file %.120s: %s", path,
			 S_ISREG(st.st_mode) ? "larger than 16 MiB" :
					       "not a regular file");
		goto out;
	}
	text = malloc((size_t)st.st_size + 1);
	if (!text) {
		snprintf(err, ERR_LEN, "%.120s: out of memory", path);
		goto out;
	}
	/* Up to the size fstat saw; a file growing meanwhile is cut there. */
	while (got < (size_t)st.st_size) {
		r = read(fd, text + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, ERR_LEN, "hosts file %.120s: %s", path,
				 strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	ret = parse_file(t, path, st.st_mode & (S_IWGRP | S_IWOTH), text, got,
			 err);
out:
	free(text);
	close(fd);
	return ret;
}

/* The user's hosts file, or "" when the environment names none. */
static int user_file(char *out, size_t cap)
{
	const char *env = getenv("SYSRQCTL_USER_HOSTS");
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;

	if (env)
		n = snprintf(out, cap, "%s", env);
	else if (xdg && xdg[0] == '/') /* relative ones are invalid (XDG) */
		n = snprintf(out, cap, "%s/sysrqctl/hosts", xdg);
	else if (home && *home)
		n = snprintf(out, cap, "%s/.config/sysrqctl/hosts", home);
	else
		n = snprintf(out, cap, "%s", "");
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int hosts_load_all(struct hosts_table *t, const char *only, char err[ERR_LEN])
{
	const char *sys = getenv("SYSRQCTL_HOSTS");
	char user[4096];

	if (only) {
		if (hosts_load(t, only, false, err) < 0)
			return -1;
		return hosts_done(t, err);
	}
	if (user_file(user, sizeof(user)) < 0) {
		snprintf(err, ERR_LEN,
			 "the user's hosts file path is too long");
		return -1;
	}
	if (!sys)
		sys = HOSTS_SYSTEM_FILE;
	if ((*user && hosts_load(t, user, true, err) < 0) ||
	    (*sys && hosts_load(t, sys, true, err) < 0))
		return -1;
	return hosts_done(t, err);
}

static int by_name(const void *a, const void *b)
{
	const struct hosts_entry *x = a, *y = b;
	int d = strcasecmp(x->name, y->name);

	if (d)
		return d;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

int hosts_done(struct hosts_table *t, char err[ERR_LEN])
{
	const struct hosts_entry *dup = NULL, *first = NULL;
	size_t i;

	/* Sorted by name, then reading order: the first of a name wins. */
	if (t->n)
		qsort(t->v, t->n, sizeof(t->v[0]), by_name);
	/* Of all second mentions in one file, the one read first. */
	for (i = 1; i < t->n; i++) {
		const struct hosts_entry *a = &t->v[i - 1], *b = &t->v[i];

		if (a->order != b->order || strcasecmp(a->name, b->name) != 0)
			continue;
		if (!dup || b->order < dup->order ||
		    (b->order == dup->order && b->line < dup->line)) {
			dup = b;
			first = a;
		}
	}
	t->ready = true;
	if (!dup)
		return 0;
	snprintf(err, ERR_LEN,
		 "%.100s:%u: name '%.64s' given twice (first on line %u)",
		 dup->file, dup->line, dup->name, first->line);
	return -1;
}

const struct hosts_entry *hosts_find(const struct hosts_table *t,
				     const char *name)
{
	size_t lo = 0, hi = t->ready ? t->n : 0;

	/* The first of the entries with that name: reading order decides. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcasecmp(t->v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (t->ready && lo < t->n && strcasecmp(t->v[lo].name, name) == 0)
		return &t->v[lo];
	return NULL;
}

void hosts_free(struct hosts_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		entry_free(&t->v[i]);
	for (i = 0; i < t->nfiles; i++)
		free(t->files[i].path);
	free(t->v);
	free(t->files);
	memset(t, 0, sizeof(*t));
}
