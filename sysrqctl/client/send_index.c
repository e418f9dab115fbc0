// SPDX-License-Identifier: GPL-2.0
/*
 * The hosts of send sorted by address and port: one sort finds a host
 * given twice (its two requests would race, one a REPLAY) and then tells
 * which host a datagram came from, since hosts share sockets.
 */
#include <stdlib.h>
#include <string.h>

#include "client/send.h"

bool addr_key_of(const struct sockaddr_storage *ss, socklen_t len,
		 struct addr_key *k)
{
	memset(k, 0, sizeof(*k));
	k->family = ss->ss_family;
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		if (len < sizeof(*s6))
			return false;
		memcpy(k->addr, &s6->sin6_addr, sizeof(s6->sin6_addr));
		k->port = s6->sin6_port;
		/*
		 * Only a link-local address needs its interface; ::1%lo and
		 * ::1 are one host (a reply from ::1 carries no scope).
		 */
		if (IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr) ||
		    IN6_IS_ADDR_MC_LINKLOCAL(&s6->sin6_addr))
			k->scope = s6->sin6_scope_id;
		return true;
	}
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)ss;

		if (len < sizeof(*s4))
			return false;
		memcpy(k->addr, &s4->sin_addr, sizeof(s4->sin_addr));
		k->port = s4->sin_port;
		return true;
	}
	return false;
}

static bool same_key(const struct send_host *a, const struct send_host *b)
{
	return !memcmp(&a->ak, &b->ak, sizeof(a->ak));
}

/* By address, then by position on the command line. */
static int by_addr(const void *a, const void *b)
{
	const struct send_host *x = *(struct send_host *const *)a;
	const struct send_host *y = *(struct send_host *const *)b;
	int c = memcmp(&x->ak, &y->ak, sizeof(x->ak));

	if (c)
		return c;
	return x < y ? -1 : x > y;
}

int index_build(struct send_index *ix, struct send_host *hosts, size_t n,
		char err[ERR_LEN])
{
	const struct send_host *first = NULL, *second = NULL;
	size_t i;

	ix->n = 0;
	ix->by_addr = calloc(n ? n : 1, sizeof(struct send_host *));
	if (!ix->by_addr) {
		snprintf(err, ERR_LEN, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (!addr_key_of(&hosts[i].addr, hosts[i].addrlen,
				 &hosts[i].ak)) {
			snprintf(err, ERR_LEN,
				 "host '%.120s': not an IPv4 or IPv6 address",
				 hosts[i].typed);
			return -1;
		}
		ix->by_addr[i] = &hosts[i];
	}
	ix->n = n;
	qsort(ix->by_addr, n, sizeof(struct send_host *), by_addr);
	/*
	 * Equal addresses sort together, in command-line order: name the
	 * first two of the group whose second comes first.
	 */
	for (i = 1; i < n; i++) {
		const struct send_host *a = ix->by_addr[i - 1],
				       *b = ix->by_addr[i];

		if (!same_key(a, b) ||
		    (i >= 2 && same_key(ix->by_addr[i - 2], a)))
			continue;
		if (!second || b < second) {
			first = a;
			second = b;
		}
	}
	if (second) {
		snprintf(err, ERR_LEN,
			 "hosts '%.64s' and '%.64s' are the same address and "
			 "port (%.46s port %u)",
			 first->typed, second->typed, first->addr_text,
			 first->port);
		return -1;
	}
	return 0;
}

struct send_host *index_find(const struct send_index *ix,
			     const struct sockaddr_storage *src, socklen_t len)
{
	struct addr_key k;
	size_t lo = 0, hi = ix->n;

	if (!addr_key_of(src, len, &k))
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(&ix->by_addr[mid]->ak, &k, sizeof(k));

		if (c == 0)
			return ix->by_addr[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void index_free(struct send_index *ix)
{
	free(ix->by_addr);
	ix->by_addr = NULL;
	ix->n = 0;
}
