// SPDX-License-Identifier: GPL-2.0
/* HOST[:PORT] as sysrqctl reads it, and the ambiguous IPv6 forms. */
#include <string.h>

#include "check.h"
#include "client/hostport.h"

/* 0 and the host and port it gives, or -1 (err then set). */
static int split(const char *arg, struct hostport *hp, char *err)
{
	err[0] = '\0';
	return hostport_split(arg, hp, err);
}

static bool gives(const char *arg, const char *host, unsigned int port,
		  bool bracketed)
{
	struct hostport hp;
	char err[ERR_LEN];

	return split(arg, &hp, err) == 0 && !strcmp(hp.host, host) &&
	       hp.port == port && hp.bracketed == bracketed;
}

static bool refused(const char *arg, const char *says)
{
	struct hostport hp;
	char err[ERR_LEN];

	return split(arg, &hp, err) < 0 && strstr(err, says);
}

static bool check_ok(const char *arg)
{
	struct hostport hp;
	char err[ERR_LEN];

	return split(arg, &hp, err) == 0 && hostport_check(&hp, err) == 0;
}

void test_hostport(void)
{
	uint16_t port = 0;

	CHECK(!port_parse("9", &port) && port == 9, "port: 9");
	CHECK(!port_parse("65535", &port) && port == 65535, "port: 65535");
	CHECK(port_parse("0", &port) && port_parse("65536", &port) &&
		      port_parse("", &port) && port_parse("9a", &port) &&
		      port_parse("+9", &port) && port_parse("000009", &port),
	      "port: 0, 65536, empty, 9a, +9, six digits refused");

	CHECK(gives("web1", "web1", 0, false), "a name, no port");
	CHECK(gives("web1:9000", "web1", 9000, false), "name:PORT");
	CHECK(gives("192.0.2.1:7", "192.0.2.1", 7, false), "IPv4:PORT");
	CHECK(gives("[2001:db8::1]:9", "2001:db8::1", 9, true), "[IPv6]:PORT");
	CHECK(gives("[::1]", "::1", 0, true), "[IPv6] without a port");
	CHECK(gives("::1", "::1", 0, false),
	      "a bare ::1 is an address without a port");
	CHECK(gives("2001:db8::1", "2001:db8::1", 0, false),
	      "a bare 2001:db8::1 is an address without a port");
	CHECK(gives("fe80::1", "fe80::1", 0, false), "a bare fe80::1");
	CHECK(gives("::ffff:192.0.2.1", "::ffff:192.0.2.1", 0, false),
	      "a bare IPv4-mapped address (its dotted tail is no port)");
	CHECK(gives("2001:db8::1:abcd", "2001:db8::1:abcd", 0, false),
	      "a last group with hex letters cannot be a port");
	CHECK(gives("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8", 0, false),
	      "eight groups, nothing before the last one an address");

	CHECK(refused("::1:9", "write [::1]:9 for port 9 of ::1, or [::1:9]"),
	      "::1:9 is ambiguous; both spellings named");
	CHECK(refused("fe80::1:9", "[fe80::1]:9"), "fe80::1:9 is ambiguous");
	CHECK(refused("2001:db8::1:2", "[2001:db8::1]:2"),
	      "2001:db8::1:2 is ambiguous");
	CHECK(refused("::1:99999", "written in brackets: [::1]:99999"),
	      "::1:99999 (no address at all) is an address with a port");
	CHECK(refused("1:2:3:4:5:6:7:8:9", "[1:2:3:4:5:6:7:8]:9"),
	      "nine groups: an address with a port, to be bracketed");
	CHECK(gives("[::1:9]", "::1:9", 0, true),
	      "[::1:9] is the address ::1:9");
	CHECK(refused("[::1", "expected [IPv6]") &&
		      refused("[::1]x", "expected [IPv6]") &&
		      refused("[::1]:", "expected [IPv6]"),
	      "unclosed bracket, junk after it, empty port refused");
	CHECK(refused("web1:0", "bad port") &&
		      refused("[::1]:65536", "bad port") &&
		      refused(":9", "empty"),
	      "bad ports and an empty host refused");

	CHECK(check_ok("web-1.example.org") && check_ok("192.0.2.1:9") &&
		      check_ok("[2001:db8::1]:9") && check_ok("::1") &&
		      check_ok("db_2"),
	      "hosts-file check: names, IPv4, IPv6");
	CHECK(!check_ok("[web1]") && !check_ok("999.1.1.1") &&
		      !check_ok("web/1") && !check_ok("-web") &&
		      !check_ok("1.2.3"),
	      "hosts-file check: [name], 999.1.1.1, web/1, -web, 1.2.3 "
	      "refused");
}
