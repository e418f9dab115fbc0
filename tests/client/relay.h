/* SPDX-License-Identifier: GPL-2.0 */
/* Shared plumbing of the client suite's UDP tools (proxy and ACK forger). */
#ifndef CLIENT_RELAY_H
#define CLIENT_RELAY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

struct udp_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/* "127.0.0.1:PORT" or "[::1]:PORT" (numeric only; PORT may be 0). */
int addr_parse(const char *s, struct udp_addr *a);
bool addr_eq(const struct udp_addr *a, const struct udp_addr *b);
/* A non-blocking UDP socket bound to a; *port gets the bound port. */
int udp_bind(const struct udp_addr *a, uint16_t *port);
/* The same address family and host as a, any port. */
int udp_bind_any_port(const struct udp_addr *a);
int write_port_file(const char *path, uint16_t port);
uint64_t mono_ns(void);

#endif
