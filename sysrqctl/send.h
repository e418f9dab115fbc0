/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sysrqctl send, split by concern: send.c (send's usage and KEYS),
 * rescue.c (reboot and poweroff), send_cli.c (options they share),
 * send_run.c (checks, then loop and report), send_hosts.c (host
 * arguments and resolution; hosts_file.c reads the names for hosts),
 * send_keys.c (each host's key), send_index.c (hosts by address:
 * duplicates, whose datagram), send_sock.c (the shared sockets),
 * send_loop.c (the one event loop over every host), send_report.c (human
 * and JSON output).
 */
#ifndef SYSRQCTL_SEND_H
#define SYSRQCTL_SEND_H

#include <getopt.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "hosts_file.h"
#include "key.h"
#include "core_env.h"
#include "proto.h"

#define NS_PER_MS 1000000ULL

/* Retransmission: first after 200 ms, doubling, at most 1 s apart. */
#define SEND_BACKOFF_FIRST (200 * NS_PER_MS)
#define SEND_BACKOFF_MAX   (1000 * NS_PER_MS)
/* --no-ack: the second copy of each request follows after 100 ms. */
#define SEND_NOACK_GAP (100 * NS_PER_MS)
/* Hosts sharing one socket: its receive buffer easily holds their ACKs. */
#define SEND_HOSTS_PER_SOCKET 64

enum send_result {
	RES_PENDING,
	RES_EXECUTED,  /* ACK status 0 */
	RES_DUPLICATE, /* ACK status 1: executed before, not again */
	RES_REFUSED,   /* ACK status 2 */
	RES_NO_ANSWER, /* no valid ACK before the deadline */
	RES_SENT,      /* --no-ack: both copies left */
	RES_NOT_SENT,  /* --no-ack: no copy could be sent */
};

struct send_opts {
	uint64_t timeout;  /* ns per request, from its first copy */
	uint64_t interval; /* ns between a host's requests */
	bool together;	   /* all keys in one request */
	bool no_ack;
	bool json;
	bool verbose;  /* say on stderr why datagrams were ignored */
	int family;    /* AF_UNSPEC, AF_INET or AF_INET6 */
	uint16_t port; /* default destination port */
};

/* Errors of one kind a request met (up to SEND_ERRS_MAX kinds). */
#define SEND_ERRS_MAX 4
struct send_err {
	int err;		     /* errno */
	uint8_t origin;		     /* SO_EE_ORIGIN_LOCAL, _ICMP or _ICMP6 */
	uint8_t type, code;	     /* ICMP type and code */
	char from[INET6_ADDRSTRLEN]; /* who sent the ICMP error, or "" */
	unsigned int count;
};

/* One request to one host and what became of it. */
struct send_req {
	uint8_t keys[SR_MAX_KEYS];
	uint8_t n;
	/* Set when a refusal is only a warning: what it means. */
	const char *refusal_warning;
	bool split_if_refused; /* see struct send_step */
	enum send_result result;
	unsigned int copies;  /* datagrams that left */
	unsigned int ignored; /* datagrams received and rejected */
	uint64_t elapsed;     /* ns from the first copy to the result */
	int last_errno;	      /* last send/receive error, 0 if none */
	struct send_err errs[SEND_ERRS_MAX];
	uint8_t nerrs;
};

enum host_state { H_WAIT, H_IN_FLIGHT, H_DONE };

/* An address and port as compared: scope only for link-local IPv6. */
struct addr_key {
	uint16_t family;
	uint16_t port; /* network order */
	uint32_t scope;
	uint8_t addr[16];
};

struct send_host {
	const char *typed;	  /* the argument as typed */
	char name[LABEL_MAX + 2]; /* host part: fleet label, hosts file NAME */
	const char *target;	  /* resolved: name, or the entry's address */
	const struct hosts_entry *entry; /* its hosts file entry, or NULL */
	size_t slot;			 /* its key (send_keys.c) */
	uint16_t port;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char addr_text[INET6_ADDRSTRLEN + 8];
	struct addr_key ak;
	struct sr_mac_key *mk; /* in sodium_malloc'd memory */
	uint8_t key_id[SR_KEY_ID_LEN];
	int fd; /* the shared socket this host's datagrams use (not owned) */

	struct send_req *reqs;
	size_t nreqs, cur; /* cur: the request in progress */
	enum host_state state;
	uint64_t next_at;  /* monotonic ns: next send */
	uint64_t first_at; /* first copy of the current request */
	uint64_t deadline;
	uint64_t backoff;
	uint8_t dgram[SR_MAX_LEN]; /* the current request, resent as is */
	size_t dlen;
	uint64_t last_ts; /* timestamp of the last request built */
};

/* getopt values of the long-only options: above every letter. */
enum { OPT_TOGETHER = 256, OPT_NO_ACK, OPT_HOSTS };

/* The getopt_long entries send, reboot and poweroff share. */
/* clang-format off */
#define SEND_COMMON_OPTIONS \
	{ "key", required_argument, NULL, 'k' }, \
	{ "fleet-key", required_argument, NULL, 'f' }, \
	{ "passphrase", no_argument, NULL, 'P' }, \
	{ "name", required_argument, NULL, 'n' }, \
	{ "port", required_argument, NULL, 'p' }, \
	{ "timeout", required_argument, NULL, 'W' }, \
	{ "json", no_argument, NULL, 'j' }, \
	{ "verbose", no_argument, NULL, 'v' }, \
	{ "hosts", required_argument, NULL, OPT_HOSTS }, \
	{ "help", no_argument, NULL, 'h' }
/* clang-format on */

/* send_cli.c: the parsed options of send, reboot or poweroff. */
struct send_cli {
	struct send_opts o;
	enum key_source src; /* the command line's key, for every host */
	const char *key_path, *name, *port_arg;
	const char *keys;	/* --keys */
	const char *hosts_path; /* --hosts */
	struct hosts_table hosts;
};
/*
 * Parses with the command's own options table and short options (which
 * start with ':'); -1 to go on, or the exit status (--help: 0, else 2,
 * the error said).
 */
int send_cli_parse(int argc, char **argv, const char *cmd,
		   const struct option *opts, const char *shortopts,
		   void (*usage)(FILE *f), struct send_cli *c);

/* The usage lines send, reboot and poweroff share: hosts, key, -p/-4/-6/-W. */
#define SEND_HELP_HOSTS_KEYS                                                   \
	"HOST: name, IPv4, IPv6, name:PORT, IPv4:PORT or [IPv6]:PORT (a\n"     \
	"bare IPv6 address has no port; '::1:9' is refused as ambiguous).\n"   \
	"A HOST that is a NAME in a hosts file gets that line's address,\n"    \
	"port and key (~/.config/sysrqctl/hosts, then " HOSTS_SYSTEM_FILE      \
	").\n"                                                                 \
	"Key (one of, for every host):\n"                                      \
	"  -k, --key FILE        the hosts' key (base64, mode 0600)\n"         \
	"  -f, --fleet-key FILE  fleet key: each host's key is "               \
	"derived\n"                                                            \
	"                        from it and the host as typed\n"              \
	"  -P, --passphrase      ask for a passphrase (Argon2id key)\n"        \
	"  -n, --name NAME       key name salting --passphrase "               \
	"(default\n"                                                           \
	"                        'default')\n"                                 \
	"  otherwise the host's key in a hosts file, else the file named\n"    \
	"  by $SYSRQ_KEY_FILE\n"                                               \
	"Options:\n"                                                           \
	"  -p, --port PORT       default destination port (default 9)\n"       \
	"  -4, -6                use IPv4 or IPv6 only\n"                      \
	"  -W, --timeout SEC     give up on a request after SEC "              \
	"seconds\n"                                                            \
	"                        (default 5; decimals allowed)\n"              \
	"      --hosts FILE      read FILE instead of the hosts files\n"

/* send_run.c: one request per step, in order, on every host. */
struct send_step {
	const char *keys; /* n sysrq keys, validated */
	uint8_t n;
	/* NULL, or: a refusal is only a warning (reboot's 'n'), saying this. */
	const char *refusal_warning;
	/*
	 * The later steps only replace this one if it is refused: any other
	 * result ends the host's plan here (reboot's keys all in one request
	 * first, then one by one where the whole is refused).
	 */
	bool split_if_refused;
};
int send_run(const struct send_cli *c, char **args, size_t nhosts,
	     const struct send_step *steps, size_t nsteps);
/* Counts toward exit 0: executed, duplicate, or a refusal allowed. */
bool req_ok(const struct send_req *r);

/* send_hosts.c: a HOST argument; a NAME of the hosts files gives its entry. */
int host_parse(const char *arg, uint16_t default_port,
	       const struct hosts_table *ht, struct send_host *h,
	       char err[ERR_LEN]);
int host_resolve(struct send_host *h, int family, char err[ERR_LEN]);

/*
 * send_keys.c: each host's key. The command line's (-k, -f, -P) for every
 * host when given, else the host's hosts file entry's, else the file
 * $SYSRQ_KEY_FILE names. Each key file is read, and the passphrase asked
 * for, once.
 */
struct key_slot {
	enum key_source src;
	const char *arg; /* key file, or the passphrase key's name */
};
struct send_keys {
	struct key_slot *slots;
	size_t n;
	struct sr_mac_key *mks; /* in sodium_malloc'd memory */
};
/* Sets each host's slot; checks fleet labels. 0, or the exit status. */
int keys_plan(const struct send_cli *c, struct send_host *hosts, size_t n,
	      struct send_keys *k);
/* Reads the keys, sets each host's MAC state and key id; wipes the keys. */
int keys_load(struct send_keys *k, struct send_host *hosts, size_t n);
void keys_free(struct send_keys *k);

/* send_index.c */
struct send_index {
	struct send_host **by_addr;
	size_t n;
};
bool addr_key_of(const struct sockaddr_storage *ss, socklen_t len,
		 struct addr_key *k);
/* Fails, naming the first host given twice, when two share an address. */
int index_build(struct send_index *ix, struct send_host *hosts, size_t n,
		char err[ERR_LEN]);
/* The host at this address and port, or NULL. */
struct send_host *index_find(const struct send_index *ix,
			     const struct sockaddr_storage *src, socklen_t len);
void index_free(struct send_index *ix);

/* send_sock.c: sets every host's fd. */
struct send_pool {
	int *fds;
	size_t n;
};
int pool_open(struct send_pool *p, struct send_host *hosts, size_t n,
	      char err[ERR_LEN]);
void pool_close(struct send_pool *p);

/* send_loop.c: runs until every host has a result for every request. */
void send_loop(struct send_host *hosts, size_t n, const struct send_index *ix,
	       const struct send_pool *pool, const struct send_opts *o);

/* send_errors.c; EXPLAIN_LEN holds any explanation. */
#define EXPLAIN_LEN 1024
void req_error(struct send_req *r, int err, int origin, int type, int code,
	       const struct sockaddr *offender);
bool err_is_icmp(const struct send_err *e);
const char *err_origin_name(const struct send_err *e);
/* Why a request may have had no answer, from what it met, in words. */
void req_explain(const struct send_host *h, const struct send_req *r, char *out,
		 size_t len);

/* send_report.c */
const char *result_name(enum send_result r);
bool result_ok(enum send_result r);
void report_result(const struct send_host *h, const struct send_req *r,
		   const struct send_opts *o);
void report_ignored(const struct send_host *h, const char *why,
		    const struct send_opts *o);
void report_stray(const struct sockaddr_storage *src, socklen_t len,
		  const struct send_opts *o);
void report_json(const struct send_host *hosts, size_t n,
		 const struct send_opts *o, bool ok);

#endif
