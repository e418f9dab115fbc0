// SPDX-License-Identifier: GPL-2.0
/* The client's hosts files: lines, errors with file:line, precedence. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "client/hosts_file.h"

static char dir[] = "/tmp/nft_sysrq-hosts-XXXXXX";

static const char *write_file(const char *name, const char *body, mode_t mode)
{
	static char path[2][512];
	static int which;
	char *p = path[which++ % 2];
	int fd;

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0 || write(fd, body, strlen(body)) != (ssize_t)strlen(body))
		abort();
	fchmod(fd, mode);
	close(fd);
	return p;
}

/* Parses text as the file "/etc/h"; err gets what went wrong. */
static int parse(struct hosts_table *t, const char *text, char *err)
{
	memset(t, 0, sizeof(*t));
	err[0] = '\0';
	if (hosts_parse(t, "/etc/h", text, strlen(text), err) < 0)
		return -1;
	return hosts_done(t, err);
}

/* Does text fail with exactly this message? */
static bool fails(const char *text, const char *want)
{
	struct hosts_table t;
	char err[ERR_LEN];
	bool ok = parse(&t, text, err) < 0 && !strcmp(err, want);

	if (!ok)
		printf("# got: %s\n", err);
	hosts_free(&t);
	return ok;
}

static void test_lines(void)
{
	struct hosts_table t;
	const struct hosts_entry *e;
	char err[ERR_LEN];

	CHECK(!parse(&t,
		     "# fleet\n"
		     "web1 192.0.2.10 key ops.key\n"
		     "\n"
		     "  web2\t[2001:db8::2]:9000  fleet-key /k/fleet.key # db\n"
		     "db-1.example.org db-1.example.org:7 passphrase web1\n"
		     "lab 127.0.0.1:40123 passphrase\n"
		     "bare ::1\n"
		     "crlf 192.0.2.9\r\n",
		     err) &&
		      t.n == 6,
	      "hosts: six entries among comments, blanks and tabs (%s)", err);
	e = hosts_find(&t, "web1");
	CHECK(e && !strcmp(e->host, "192.0.2.10") && e->port == 0 &&
		      e->src == SRC_KEY && !strcmp(e->arg, "/etc/ops.key") &&
		      e->line == 2 && !strcmp(e->file, "/etc/h"),
	      "hosts: key FILE, relative to the hosts file's directory");
	e = hosts_find(&t, "WEB2");
	CHECK(e && !strcmp(e->host, "2001:db8::2") && e->port == 9000 &&
		      e->src == SRC_FLEET && !strcmp(e->arg, "/k/fleet.key"),
	      "hosts: [IPv6]:PORT, fleet-key with an absolute path, name "
	      "case ignored, a comment after the key");
	e = hosts_find(&t, "db-1.example.org");
	CHECK(e && e->port == 7 && e->src == SRC_PASS &&
		      !strcmp(e->arg, "web1"),
	      "hosts: name:PORT, passphrase NAME");
	e = hosts_find(&t, "lab");
	CHECK(e && e->src == SRC_PASS && !strcmp(e->arg, "default"),
	      "hosts: passphrase without NAME is 'default'");
	e = hosts_find(&t, "bare");
	CHECK(e && !strcmp(e->host, "::1") && e->port == 0 &&
		      e->src == SRC_NONE && !e->arg,
	      "hosts: a bare IPv6 address, no key (the command line's)");
	e = hosts_find(&t, "crlf");
	CHECK(e && !strcmp(e->host, "192.0.2.9"),
	      "hosts: a CR before the newline is white space");
	CHECK(!hosts_find(&t, "web") && !hosts_find(&t, "web1.") &&
		      !hosts_find(&t, "zzz"),
	      "hosts: no match for web, web1. or zzz");
	hosts_free(&t);

	CHECK(!parse(&t, "", err) && t.n == 0 && !hosts_find(&t, "x"),
	      "hosts: an empty file is no error");
	hosts_free(&t);
	CHECK(!parse(&t, "w 10.0.0.1 key k", err) && t.n == 1,
	      "hosts: a last line without a newline");
	hosts_free(&t);

	CHECK(fails("web1\n", "/etc/h:1: 'web1' has no ADDRESS (expected "
			      "NAME ADDRESS[:PORT] [key FILE | fleet-key FILE "
			      "| passphrase [NAME]])"),
	      "hosts: no ADDRESS");
	CHECK(fails("\n\nweb1 192.0.2.1 kee ops.key\n",
		    "/etc/h:3: unknown word 'kee' (expected key FILE, "
		    "fleet-key FILE or passphrase [NAME])"),
	      "hosts: unknown word, with the line number");
	CHECK(fails("web1 192.0.2.1 key\n", "/etc/h:1: key needs a FILE"),
	      "hosts: key without FILE");
	CHECK(fails("web1 192.0.2.1 fleet-key\n",
		    "/etc/h:1: fleet-key needs a FILE"),
	      "hosts: fleet-key without FILE");
	CHECK(fails("web1 192.0.2.1 key -\n",
		    "/etc/h:1: key -: standard input is no key file here"),
	      "hosts: key - refused");
	CHECK(fails("web1 192.0.2.1 key a b\n",
		    "/etc/h:1: unexpected 'b' after the key"),
	      "hosts: a word after the key");
	CHECK(fails("web1 192.0.2.1 passphrase bad/name\n",
		    "/etc/h:1: passphrase key name 'bad/name': needs 1 to 32 "
		    "characters of [A-Za-z0-9._-]"),
	      "hosts: a bad passphrase key name");
	CHECK(fails("web1 192.0.2.1:0\n",
		    "/etc/h:1: address '192.0.2.1:0': bad port '0' (1-65535)"),
	      "hosts: port 0");
	CHECK(fails("web1 web1:65536\n",
		    "/etc/h:1: address 'web1:65536': bad port '65536' "
		    "(1-65535)"),
	      "hosts: port 65536");
	CHECK(fails("web1 192.0.2.300\n", "/etc/h:1: address '192.0.2.300': "
					  "'192.0.2.300' is not an IPv4 "
					  "address"),
	      "hosts: a bad IPv4 address");
	CHECK(fails("web1 [web1]:9\n", "/etc/h:1: address '[web1]:9': 'web1' "
				       "is not an IPv6 address"),
	      "hosts: a name in brackets");
	CHECK(fails("web1 ::1:9\n",
		    "/etc/h:1: address '::1:9': ambiguous IPv6 address: write "
		    "[::1]:9 for port 9 of ::1, or [::1:9] for the address "
		    "::1:9"),
	      "hosts: an ambiguous IPv6 address");
	CHECK(fails("web1 we/b\n",
		    "/etc/h:1: address 'we/b': 'we/b' is no host name "
		    "([A-Za-z0-9._-], not starting with '-' or '.')"),
	      "hosts: a bad host name");
	CHECK(fails("web:1 192.0.2.1\n",
		    "/etc/h:1: NAME 'web:1': needs 1 to 253 characters of "
		    "[A-Za-z0-9._-], not starting with '-' or '.'"),
	      "hosts: a NAME with a colon");
	CHECK(fails("a 192.0.2.1\nb 192.0.2.2\nA 192.0.2.3\nb 192.0.2.4\n",
		    "/etc/h:3: name 'A' given twice (first on line 1)"),
	      "hosts: a name twice in one file (case ignored): the first "
	      "second mention named");
}

static void test_files(void)
{
	struct hosts_table t = { 0 };
	const struct hosts_entry *e;
	char err[ERR_LEN], sys[600], user[600], *home = getenv("HOME");
	int fd;

	home = home ? strdup(home) : NULL;

	if (!mkdtemp(dir))
		abort();
	snprintf(sys, sizeof(sys), "%s",
		 write_file("sys",
			    "web1 192.0.2.1 key sys.key\nweb2 192.0.2.2\n",
			    0664));
	snprintf(user, sizeof(user), "%s",
		 write_file("user", "web1 127.0.0.1:40000 key /u.key\n", 0600));
	setenv("SYSRQCTL_HOSTS", sys, 1);
	setenv("SYSRQCTL_USER_HOSTS", user, 1);
	CHECK(!hosts_load_all(&t, NULL, err) && t.nfiles == 2,
	      "hosts files: the user's and the system's read (%s)", err);
	e = hosts_find(&t, "web1");
	CHECK(e && !strcmp(e->host, "127.0.0.1") && e->port == 40000 &&
		      !strcmp(e->arg, "/u.key") && !strcmp(e->file, user),
	      "hosts files: the user's entry for a name wins");
	e = hosts_find(&t, "web2");
	CHECK(e && !strcmp(e->file, sys) && !e->arg,
	      "hosts files: the system's entries stay for other names");
	CHECK(!t.files[0].loose && t.files[1].loose,
	      "hosts files: a file group or others may write is marked");
	hosts_free(&t);

	setenv("SYSRQCTL_USER_HOSTS", "", 1);
	CHECK(!hosts_load_all(&t, NULL, err) && t.nfiles == 1 &&
		      !strcmp(hosts_find(&t, "web1")->host, "192.0.2.1"),
	      "hosts files: an empty SYSRQCTL_USER_HOSTS names no file");
	hosts_free(&t);

	CHECK(!hosts_load_all(&t, user, err) && t.nfiles == 1 &&
		      !hosts_find(&t, "web2"),
	      "hosts files: --hosts FILE reads only FILE");
	hosts_free(&t);

	setenv("SYSRQCTL_HOSTS", "/nonexistent/hosts", 1);
	unsetenv("SYSRQCTL_USER_HOSTS");
	setenv("HOME", dir, 1);
	unsetenv("XDG_CONFIG_HOME");
	CHECK(!hosts_load_all(&t, NULL, err) && t.nfiles == 0,
	      "hosts files: missing files are no error (%s)", err);
	hosts_free(&t);
	CHECK(hosts_load_all(&t, "/nonexistent/hosts", err) < 0 &&
		      strstr(err, "No such file"),
	      "hosts files: a missing --hosts FILE is an error");
	hosts_free(&t);

	/* $HOME/.config/sysrqctl/hosts, then $XDG_CONFIG_HOME/sysrqctl/hosts. */
	snprintf(sys, sizeof(sys), "%s/.config", dir);
	mkdir(sys, 0700);
	snprintf(sys, sizeof(sys), "%s/.config/sysrqctl", dir);
	mkdir(sys, 0700);
	write_file(".config/sysrqctl/hosts", "home 192.0.2.7\n", 0600);
	CHECK(!hosts_load_all(&t, NULL, err) && hosts_find(&t, "home"),
	      "hosts files: ~/.config/sysrqctl/hosts");
	hosts_free(&t);
	setenv("XDG_CONFIG_HOME", dir, 1);
	snprintf(sys, sizeof(sys), "%s/sysrqctl", dir);
	mkdir(sys, 0700);
	write_file("sysrqctl/hosts", "xdg 192.0.2.8\n", 0600);
	CHECK(!hosts_load_all(&t, NULL, err) && hosts_find(&t, "xdg") &&
		      !hosts_find(&t, "home"),
	      "hosts files: $XDG_CONFIG_HOME/sysrqctl/hosts instead");
	hosts_free(&t);
	unsetenv("XDG_CONFIG_HOME");

	/* An unreadable file that exists is an error: a directory here. */
	setenv("SYSRQCTL_HOSTS", dir, 1);
	CHECK(hosts_load_all(&t, NULL, err) < 0 &&
		      strstr(err, "not a regular file"),
	      "hosts files: a system file that is no regular file: error");
	hosts_free(&t);

	snprintf(sys, sizeof(sys), "%s/nul", dir);
	fd = open(sys, O_WRONLY | O_CREAT, 0600);
	if (fd < 0 || write(fd, "a 192.0.2.1\nb\0 192.0.2.2\n", 25) != 25)
		abort();
	close(fd);
	CHECK(hosts_load_all(&t, sys, err) < 0 && strstr(err, "/nul:2: a NUL "
							      "byte"),
	      "hosts files: a NUL byte, with file and line (%s)", err);
	hosts_free(&t);

	write_file("dup", "w 192.0.2.1\nw 192.0.2.2\n", 0600);
	snprintf(sys, sizeof(sys), "%s/dup", dir);
	CHECK(hosts_load_all(&t, sys, err) < 0 &&
		      strstr(err, "/dup:2: name 'w' given twice"),
	      "hosts files: a duplicate name in one file");
	hosts_free(&t);

	unsetenv("SYSRQCTL_HOSTS");
	if (home)
		setenv("HOME", home, 1);
	free(home);
	snprintf(sys, sizeof(sys), "rm -rf '%s'", dir);
	if (system(sys) != 0)
		printf("# could not remove %s\n", dir);
}

void test_hosts_file(void)
{
	test_lines();
	test_files();
}
