/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sysrqctl send (protocol v2), split by concern: send.c (send's usage
 * and KEYS), rescue.c (reboot and poweroff), diag.c with blocked.c,
 * tasks.c, memory.c, backtraces.c (one dump key, its output shown),
 * send_cli.c (options they share), send_run.c (checks, then loop and
 * report), send_hosts.c (host arguments and resolution; hosts_file.c
 * reads the names for hosts), send_keys.c (each host's key),
 * send_index.c (hosts by address: duplicates, whose datagram),
 * send_sock.c (the shared sockets), send_loop.c (the one event loop over
 * every host: requests, ACKs, REPORTs), send_probe.c (the clock probe and
 * the epoch), send_fetch.c (output chunks), send_report.c (human and JSON
 * output), send_errors.c (what a request met), send_refusal.c (which
 * kernel.sysrq bit a refused key needs).
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

#include "client/hosts_file.h"
#include "keys/key.h"
#include "core_env.h"
#include "proto.h"

#define NS_PER_MS 1000000ULL

/* Clock probe: TIME probes after 0.1, 0.2, 0.4, 0.8 ... s, for up to 3 s. */
#define PROBE_FIRST (100 * NS_PER_MS)
#define PROBE_SPAN  (3 * SR_NSEC_PER_SEC)
/*
 * Local ports (sockets) each host's datagrams leave from: the protocol's
 * SOURCES, the sources a host's record counts answers for. A request
 * re-sent from each gets ANSWERS answers per phase from each, and the
 * host's CLOCK_RATE holds per source too.
 */
#define SEND_SOURCES 4
/*
 * Probes at each tick: one from each source at the first (one answer is
 * all it takes), PROBES_PER_SOURCE from each later. At 50% loss each way
 * a probe gets an answer 1 time in 4: the five ticks in PROBE_SPAN (4 +
 * 4 * 8 probes) all fail 1 time in 30,000. A source sends at most 1 + 3 *
 * 2 probes within a second, below the host's CLOCK_RATE (8 per second).
 */
#define PROBES_PER_SOURCE 2
#define PROBES_MAX	  (5 * PROBES_PER_SOURCE * SEND_SOURCES)
/*
 * Requests and FETCHes: re-sent after 0.1, 0.2, 0.4 s, then every 0.5 s.
 * Each re-send of a request leaves from RESEND_COPIES sources in turn: at
 * 50% loss each way one copy gets an answer 1 time in 4, and the 1 + 21 *
 * 2 copies within an ACK deadline of 10 s all fail 1 time in 200,000.
 */
#define RESEND_FIRST  (100 * NS_PER_MS)
#define RESEND_MAX    (500 * NS_PER_MS)
#define RESEND_COPIES 2
/* FETCHes of one request in flight at once. */
#define FETCH_WINDOW 8
/* Clocks further apart than the smallest tolerance a host may have. */
#define CLOCK_TELL (SR_TOLERANCE_MIN * SR_NSEC_PER_SEC)
/* Hosts sharing one socket: its receive buffer easily holds their answers. */
#define SEND_HOSTS_PER_SOCKET 64

enum send_result {
	RES_PENDING,
	RES_DONE,      /* REPORT arrived: the keys ran */
	RES_ACCEPTED,  /* ACK status 0, no REPORT asked (a TERMINAL key) */
	RES_DUPLICATE, /* ACK status 1: accepted before, not run again */
	RES_REFUSED,   /* ACK status 2 */
	RES_NO_ANSWER, /* no valid ACK before the deadline */
	RES_NO_REPORT, /* accepted, but no REPORT before the deadline */
	RES_RESTARTED, /* a new epoch while waiting: outcome unknown */
	RES_NOT_SENT,  /* the host's sequence ended before this request */
};

struct send_opts {
	uint64_t timeout; /* ns: ACK deadline; twice it for the REPORT */
	bool together;	  /* all keys in one request */
	bool json;
	bool verbose;	  /* say on stderr why datagrams were ignored */
	int family;	  /* AF_UNSPEC, AF_INET or AF_INET6 */
	uint16_t port;	  /* default destination port */
	bool multi;	  /* several hosts: output lines carry the host */
	bool want_output; /* a diagnostic: no output deserves a word */
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

/* The output of one request, pulled chunk by chunk (send_fetch.c). */
struct send_fetch {
	uint16_t total, ngot;
	uint8_t *text;	   /* total * SR_CHUNK bytes */
	uint16_t *len;	   /* per chunk, once got */
	bool *got;	   /* per chunk */
	uint64_t *next_at; /* per chunk: next FETCH, 0: never sent */
	uint64_t *gap;	   /* per chunk: current re-send gap */
	unsigned int sent; /* FETCHes that left */
	uint64_t deadline;
};

/* One request to one host and what became of it. */
struct send_req {
	uint8_t keys[SR_MAX_KEYS];
	uint8_t n;
	/* Set when a refusal is only a warning: what it means. */
	const char *refusal_warning;
	bool split_if_refused; /* see struct send_step */
	bool wants_report;     /* no TERMINAL key: a REPORT is asked for */
	bool acked;	       /* ACK status 0 or 1, or the REPORT, seen */
	enum send_result result;
	uint8_t report_status; /* SR_REPORT_* bits */
	uint16_t chunks;       /* of output, from the REPORT */
	uint16_t chunks_got;
	char *output; /* the output, NUL-terminated, or NULL */
	size_t output_len;
	bool output_complete; /* every chunk arrived (or there were none) */
	unsigned int copies;  /* datagrams that left */
	unsigned int fetches; /* FETCHes that left */
	unsigned int ignored; /* datagrams received and rejected */
	uint64_t elapsed;     /* ns from the first copy to the result */
	int last_errno;	      /* last send/receive error, 0 if none */
	struct send_err errs[SEND_ERRS_MAX];
	uint8_t nerrs;
};

/* Where a host is: probing its clock, in a request, fetching, done. */
enum host_state { H_PROBE, H_REQUEST, H_FETCH, H_REPROBE, H_DONE };

/* An address and port as compared: scope only for link-local IPv6. */
struct addr_key {
	uint16_t family;
	uint16_t port; /* network order */
	uint32_t scope;
	uint8_t addr[16];
};

/* One TIME probe sent: its datagram and when it left (monotonic). */
struct send_probe {
	uint8_t dgram[SR_TIME_LEN];
	uint64_t sent;
};

/* What the clock probe learned of a host. */
enum clock_state { CLK_NONE, CLK_OK, CLK_SAME, CLK_NEW_EPOCH };

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
	/* The shared sockets this host's datagrams leave from (not owned). */
	int fd[SEND_SOURCES];
	unsigned int src_next; /* the source of the next request copy */

	/* The clock probe (send_probe.c). */
	struct send_probe probes[PROBES_MAX];
	unsigned int nprobes, probes_total;
	uint64_t probe_start, probe_gap, probe_next;
	bool have_clock;
	int64_t offset;	   /* server's T - our monotonic clock, ns */
	int64_t clock_off; /* server's T - our wall clock, ns */
	uint8_t epoch[SR_EPOCH_LEN];
	uint8_t new_epoch[SR_EPOCH_LEN]; /* from a re-probe that saw one */
	enum clock_state reprobe;	 /* what a re-probe found */

	struct send_req *reqs;
	size_t nreqs, cur; /* cur: the request in progress */
	enum host_state state;
	uint64_t next_at;	       /* monotonic ns: next send */
	uint64_t first_at;	       /* first copy of the current request */
	uint64_t deadline;	       /* of the ACK, then of the REPORT */
	uint64_t gap;		       /* current re-send gap */
	uint8_t dgram[SR_REQ_MAX_LEN]; /* the current request, re-sent as is */
	size_t dlen;
	uint64_t last_ts; /* timestamp of the last datagram built */
	struct send_fetch fetch;
};

/* getopt values of the long-only options: above every letter. */
enum { OPT_TOGETHER = 256, OPT_NO_ACK, OPT_HOSTS, OPT_INTERVAL };

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
	"  -W, --timeout SEC     give up on an ACK after SEC seconds, "        \
	"on a\n"                                                               \
	"                        REPORT or output after twice that "           \
	"(default\n"                                                           \
	"                        10; decimals allowed)\n"                      \
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

/* send_sock.c: sets every host's SEND_SOURCES fds, each a socket of its own. */
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
/* A fresh timestamp for h: its clock estimate, above the last one. */
uint64_t host_stamp(struct send_host *h, uint64_t now);
/*
 * Send len bytes to h from its source src (0..SEND_SOURCES-1); false
 * (error recorded) when it failed twice.
 */
bool host_send(struct send_host *h, unsigned int src, const uint8_t *buf,
	       size_t len);

/* send_probe.c: the clock probe, first and again. */
void probe_start(struct send_host *h, uint64_t now);
/* Due probes; true while the probe goes on. */
bool probe_timers(struct send_host *h, uint64_t now);
/* A datagram that may be a CLOCK; true when it verified. */
bool probe_take(struct send_host *h, const uint8_t *buf, size_t len,
		uint64_t now);
/* Whether a quoted datagram (ICMP error) is one of h's probes. */
bool probe_quoted(const struct send_host *h, const uint8_t *quote, size_t len);

/* send_fetch.c: pull the output of h's current request. */
bool fetch_begin(struct send_host *h, uint16_t chunks, uint64_t deadline);
/* Due FETCHes; true while chunks are missing and time is left. */
bool fetch_timers(struct send_host *h, uint64_t now);
/* A datagram that may be an OUTPUT; true when it opened. */
bool fetch_take(struct send_host *h, const uint8_t *buf, size_t len);
/* Joins what arrived into the request's output; frees the chunks. */
void fetch_end(struct send_host *h);
uint64_t fetch_next(const struct send_host *h);

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
/* A host's line about its clock (no CLOCK, or far off). */
void report_clock(const struct send_host *h, const struct send_opts *o);

/* diag.c: ask each HOST for one dump key's output and print it. */
struct diag {
	const char *cmd;  /* "blocked" */
	uint8_t key;	  /* 'w' */
	const char *what; /* "the blocked (D state) tasks" */
};
int diag_run(const struct diag *d, int argc, char **argv);

/* send_refusal.c: why a host may refuse keys, and what to set. */
void refusal_explain(const uint8_t *keys, size_t n, char *out, size_t len);

#endif
