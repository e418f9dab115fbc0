// SPDX-License-Identifier: GPL-2.0
/*
 * nft_sysrq.conf: global settings, then one [NAME] section per key.
 *
 *   table = inet sysrq
 *   port = 9
 *   [ops]
 *   key = /etc/nft_sysrq/ops.key
 *   allow = nisubo
 *   tolerance = 30
 *   output = 64k
 *   source = 192.0.2.0/24 2001:db8::/32
 *
 * The value checks are the command line's (nl_cli.c), named "PATH:LINE"
 * so that every message points at the line. The first error stops the
 * parse: a file that is wrong anywhere arms nothing from it.
 */
#include <ctype.h>
#include <linux/netfilter.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/arm_conf.h"
#include "commands.h"
#include "netlink/nl_rule.h"
#include "opt.h"

#define LINE_MAX_LEN 1024 /* with the newline */

struct parser {
	const char *path;
	unsigned int line;
	char where[ARM_PATH_MAX + 16]; /* "PATH:LINE" */
	struct arm_conf *conf;
	struct arm_key *cur;	  /* the section being read, or NULL */
	unsigned int seen;	  /* settings of the current section */
	unsigned int seen_global; /* and of the global part */
};

enum {
	S_KEY = 1,
	S_ALLOW = 2,
	S_TOLERANCE = 4,
	S_PORT = 8,
	S_TABLE = 16,
	S_OUTPUT = 32,
};

static int err(struct parser *p, const char *fmt, const char *arg)
{
	fprintf(stderr, "%s %s: ", prog, p->where);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return -1;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* A '#' at the start of a line or after a blank starts a comment. */
static void strip_comment(char *s)
{
	for (char *c = s; *c; c++)
		if (*c == '#' && (c == s || isspace((unsigned char)c[-1]))) {
			*c = '\0';
			return;
		}
}

static int once(struct parser *p, unsigned int *seen, unsigned int bit,
		const char *name)
{
	if (*seen & bit)
		return err(p, "'%s' given twice", name);
	*seen |= bit;
	return 0;
}

static int section(struct parser *p, char *s)
{
	struct arm_conf *c = p->conf;
	char *name, *end = strchr(s, ']');

	if (!end || trim(end + 1)[0])
		return err(p, "a section is '[NAME]', not '%s'", s);
	*end = '\0';
	name = trim(s + 1);
	if (cli_name(p->where, name))
		return -1;
	for (size_t i = 0; i < c->nkeys; i++)
		if (!strcmp(c->keys[i].name, name))
			return err(p, "section [%s] given twice", name);
	if (c->nkeys == ARM_MAX_KEYS) {
		fprintf(stderr, "%s %s: at most %d sections\n", prog, p->where,
			ARM_MAX_KEYS);
		return -1;
	}
	p->cur = &c->keys[c->nkeys++];
	memset(p->cur, 0, sizeof(*p->cur));
	snprintf(p->cur->name, sizeof(p->cur->name), "%s", name);
	p->cur->port = c->port;
	p->cur->line = p->line;
	p->seen = 0;
	return 0;
}

static int sources(struct parser *p, char *v)
{
	struct arm_key *k = p->cur;
	/* The table's family, checked by table() (or the default). */
	int family = nl_family_parse(p->conf->family);

	for (char *save, *t = strtok_r(v, " \t,", &save); t;
	     t = strtok_r(NULL, " \t,", &save)) {
		struct nl_cidr *src = &k->sources[k->nsources];

		if (k->nsources == NL_MAX_SOURCES) {
			fprintf(stderr, "%s %s: at most %d sources per key\n",
				prog, p->where, NL_MAX_SOURCES);
			return -1;
		}
		if (cli_cidr(p->where, t, src))
			return -1;
		if (family != NFPROTO_INET && src->family != family)
			return err(p,
				   "source %s does not fit the table's family",
				   src->text);
		for (size_t j = 0; j < k->nsources; j++)
			if (!strcmp(k->sources[j].text, src->text))
				return err(p, "source %s given twice",
					   src->text);
		k->nsources++;
	}
	return 0;
}

static int table(struct parser *p, char *v)
{
	struct nl_scope scope;
	char *save, *fam = strtok_r(v, " \t", &save);
	char *name = fam ? strtok_r(NULL, " \t", &save) : NULL;

	if (!name || strtok_r(NULL, " \t", &save))
		return err(p, "%s",
			   "'table' needs FAMILY NAME, e.g. 'inet sysrq'");
	if (cli_scope(p->where, fam, name, &scope))
		return -1;
	if (strlen(fam) >= sizeof(p->conf->family) ||
	    strlen(name) >= sizeof(p->conf->table))
		return err(p, "table name '%s' too long", name);
	snprintf(p->conf->family, sizeof(p->conf->family), "%s", fam);
	snprintf(p->conf->table, sizeof(p->conf->table), "%s", name);
	return 0;
}

/* A setting of section k: key, allow, tolerance, output or source. */
static int section_setting(struct parser *p, struct arm_key *k,
			   const char *name, char *v)
{
	if (!strcmp(name, "key")) {
		if (once(p, &p->seen, S_KEY, name))
			return -1;
		if (v[0] != '/')
			return err(p, "key file '%s': needs an absolute path",
				   v);
		if (strlen(v) >= sizeof(k->file))
			return err(p, "key file '%s': path too long", v);
		snprintf(k->file, sizeof(k->file), "%s", v);
		return 0;
	}
	if (!strcmp(name, "allow")) {
		if (once(p, &p->seen, S_ALLOW, name) || cli_allow(p->where, v))
			return -1;
		snprintf(k->allow, sizeof(k->allow), "%s", v);
		return 0;
	}
	if (!strcmp(name, "tolerance")) {
		k->has_tolerance = true;
		if (once(p, &p->seen, S_TOLERANCE, name))
			return -1;
		return cli_tolerance(p->where, v, &k->tolerance);
	}
	if (!strcmp(name, "output")) {
		k->has_output = true;
		if (once(p, &p->seen, S_OUTPUT, name))
			return -1;
		return cli_output(p->where, v, &k->output);
	}
	return sources(p, v);
}

static const char *const settings[] = { "key",	  "allow",  "tolerance",
					"output", "source", "port",
					"table" };

/* An unknown setting, with the nearest known one as a suggestion. */
static int unknown(struct parser *p, const char *name)
{
	const char *near = opt_nearest(name, strlen(name), settings,
				       sizeof(settings) / sizeof(settings[0]));

	fprintf(stderr, "%s %s: unknown setting '%s'", prog, p->where, name);
	if (near)
		fprintf(stderr, "; did you mean '%s'?", near);
	fputc('\n', stderr);
	return -1;
}

static int setting(struct parser *p, char *s)
{
	char *eq = strchr(s, '='), *name, *v;
	struct arm_key *k = p->cur;
	unsigned int *seen = k ? &p->seen : &p->seen_global;

	if (!eq)
		return err(p,
			   "expected 'setting = value' or '[NAME]', not '%s'",
			   s);
	*eq = '\0';
	name = trim(s);
	v = trim(eq + 1);
	if (!*v)
		return err(p, "'%s' needs a value", name);
	if (!strcmp(name, "port")) {
		uint16_t *port = k ? &k->port : &p->conf->port;

		if (once(p, seen, S_PORT, name))
			return -1;
		return cli_port(p->where, v, port);
	}
	if (!strcmp(name, "table")) {
		if (k)
			return err(p, "'%s' belongs before the first section",
				   name);
		if (once(p, seen, S_TABLE, name))
			return -1;
		return table(p, v);
	}
	if (!strcmp(name, "key") || !strcmp(name, "allow") ||
	    !strcmp(name, "tolerance") || !strcmp(name, "output") ||
	    !strcmp(name, "source")) {
		if (!k)
			return err(p, "'%s' belongs in a [NAME] section", name);
		return section_setting(p, k, name, v);
	}
	return unknown(p, name);
}

int arm_conf_parse(FILE *f, const char *path, struct arm_conf *conf)
{
	struct parser p = { .path = path, .conf = conf };
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = -1;

	memset(conf, 0, sizeof(*conf));
	snprintf(conf->family, sizeof(conf->family), "%s",
		 NL_DEFAULT_FAMILY_NAME);
	snprintf(conf->table, sizeof(conf->table), "%s", NL_DEFAULT_TABLE);
	conf->port = 9;
	while ((len = getline(&buf, &cap, f)) >= 0) {
		char *s;

		p.line++;
		snprintf(p.where, sizeof(p.where), "%s:%u", path, p.line);
		if (len > LINE_MAX_LEN) {
			err(&p, "line longer than %s characters", "1024");
			goto out;
		}
		if (strlen(buf) != (size_t)len) {
			err(&p, "%s", "NUL byte in the line");
			goto out;
		}
		strip_comment(buf);
		s = trim(buf);
		if (*s && (*s == '[' ? section(&p, s) : setting(&p, s)) < 0)
			goto out;
	}
	if (ferror(f)) {
		fprintf(stderr, "%s %s: read error\n", prog, path);
		goto out;
	}
	for (size_t i = 0; i < conf->nkeys; i++)
		if (!conf->keys[i].file[0]) {
			snprintf(p.where, sizeof(p.where), "%s:%u", path,
				 conf->keys[i].line);
			err(&p, "section [%s] has no 'key = FILE'",
			    conf->keys[i].name);
			goto out;
		}
	ret = 0;
out:
	free(buf);
	return ret;
}
