// SPDX-License-Identifier: GPL-2.0
/*
 * The one event loop of send: every host at once, each going through its
 * requests on its own timers (first copy, retransmissions with backoff,
 * deadline, pause before the next request), all in one ppoll().
 */
#include <errno.h>
#include <poll.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "send.h"

/* Datagrams read per host per wakeup, so a flood cannot starve timers. */
#define RECV_BURST 64

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * SR_NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static void send_copy(struct send_host *h)
{
	struct send_req *r = &h->reqs[h->cur];

	if (send(h->fd, h->dgram, h->dlen, 0) == (ssize_t)h->dlen)
		r->copies++;
	else
		r->last_errno = errno;
}

static void finish(struct send_host *h, enum send_result res, uint64_t now,
		   const struct send_opts *o)
{
	struct send_req *r = &h->reqs[h->cur];

	r->result = res;
	r->elapsed = now - h->first_at;
	report_result(h, r, o);
	h->cur++;
	if (h->cur == h->nreqs) {
		h->state = H_DONE;
		return;
	}
	h->state = H_WAIT;
	h->next_at = now + o->interval;
}

/* Build the current request with a fresh timestamp and nonce; send it. */
static void start_request(struct send_host *h, uint64_t now,
			  const struct send_opts *o)
{
	struct send_req *r = &h->reqs[h->cur];
	uint64_t ts = clock_ns(CLOCK_REALTIME);
	uint8_t nonce[SR_NONCE_LEN];

	/* Never older than our last request: the server would say REPLAY. */
	if (ts <= h->last_ts)
		ts = h->last_ts + 1;
	h->last_ts = ts;
	randombytes_buf(nonce, sizeof(nonce));
	h->dlen = sr_build_request(h->mk, h->key_id, ts, nonce,
				   o->no_ack ? 0 : SR_FLAG_ACK, r->keys, r->n,
				   h->dgram);
	h->first_at = now;
	if (!h->dlen) {
		/* Cannot happen with validated keys; never hang on it. */
		finish(h, o->no_ack ? RES_NOT_SENT : RES_NO_ANSWER, now, o);
		return;
	}
	h->state = H_IN_FLIGHT;
	h->deadline = now + o->timeout;
	h->backoff = o->no_ack ? SEND_NOACK_GAP : SEND_BACKOFF_FIRST;
	h->next_at = now + h->backoff;
	send_copy(h);
}

/* Everything due at now for one host. */
static void run_timers(struct send_host *h, uint64_t now,
		       const struct send_opts *o)
{
	if (h->state == H_WAIT && now >= h->next_at)
		start_request(h, now, o);
	if (h->state != H_IN_FLIGHT)
		return;
	if (o->no_ack) {
		if (now >= h->next_at) {
			send_copy(h);
			finish(h,
			       h->reqs[h->cur].copies ? RES_SENT : RES_NOT_SENT,
			       now, o);
		}
		return;
	}
	if (now >= h->deadline) {
		finish(h, RES_NO_ANSWER, now, o);
		return;
	}
	if (now >= h->next_at) {
		send_copy(h);
		h->backoff *= 2;
		if (h->backoff > SEND_BACKOFF_MAX)
			h->backoff = SEND_BACKOFF_MAX;
		h->next_at = now + h->backoff;
	}
}

static bool from_host(const struct send_host *h,
		      const struct sockaddr_storage *src, socklen_t len)
{
	const struct sockaddr_in6 *a6 = (const void *)&h->addr,
				  *s6 = (const void *)src;
	const struct sockaddr_in *a4 = (const void *)&h->addr,
				 *s4 = (const void *)src;

	if (src->ss_family != h->addr.ss_family)
		return false;
	/* Port and address only: flow label and scope id may differ. */
	if (src->ss_family == AF_INET6)
		return len >= sizeof(*s6) &&
		       !memcmp(&s6->sin6_port, &a6->sin6_port,
			       sizeof(a6->sin6_port)) &&
		       !memcmp(&s6->sin6_addr, &a6->sin6_addr,
			       sizeof(a6->sin6_addr));
	return len >= sizeof(*s4) &&
	       !memcmp(&s4->sin_port, &a4->sin_port, sizeof(a4->sin_port)) &&
	       !memcmp(&s4->sin_addr, &a4->sin_addr, sizeof(a4->sin_addr));
}

/* Read what arrived; only a verified ACK of the request in flight counts. */
static void receive(struct send_host *h, uint64_t now,
		    const struct send_opts *o)
{
	uint8_t buf[SR_MAX_LEN + 1];
	struct sockaddr_storage src = { 0 };
	socklen_t slen;
	uint8_t status;
	ssize_t len;
	int i;

	for (i = 0; i < RECV_BURST; i++) {
		slen = sizeof(src);
		len = recvfrom(h->fd, buf, sizeof(buf), MSG_TRUNC,
			       (struct sockaddr *)&src, &slen);
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (h->state != H_IN_FLIGHT) {
			/* Late answers to a finished request: nothing to do. */
			continue;
		}
		if (len < 0) {
			/* e.g. ICMP port unreachable: keep trying until the deadline. */
			h->reqs[h->cur].last_errno = errno;
			continue;
		}
		if (!from_host(h, &src, slen)) {
			h->reqs[h->cur].ignored++;
			report_ignored(h, "from another address or port", o);
			continue;
		}
		if (o->no_ack ||
		    !sr_verify_ack(h->mk, h->dgram, h->dlen, buf,
				   (size_t)len > sizeof(buf) ? sizeof(buf) :
							       (size_t)len,
				   &status)) {
			h->reqs[h->cur].ignored++;
			report_ignored(
				h, "not a valid ACK of the request in flight",
				o);
			continue;
		}
		finish(h,
		       status == SR_ACK_EXECUTED  ? RES_EXECUTED :
		       status == SR_ACK_DUPLICATE ? RES_DUPLICATE :
						    RES_REFUSED,
		       now, o);
	}
}

void send_loop(struct send_host *hosts, size_t n, const struct send_opts *o)
{
	struct pollfd *pfd = calloc(n, sizeof(*pfd));
	struct timespec ts;
	uint64_t now, wake;
	size_t i, active;

	if (!pfd) {
		fprintf(stderr, "sysrqctl: out of memory\n");
		exit(EXIT_FAILURE);
	}
	now = clock_ns(CLOCK_MONOTONIC);
	for (i = 0; i < n; i++) {
		hosts[i].state = H_WAIT;
		hosts[i].next_at = now;
		pfd[i].fd = hosts[i].fd;
		pfd[i].events = POLLIN;
	}
	for (;;) {
		now = clock_ns(CLOCK_MONOTONIC);
		active = 0;
		wake = UINT64_MAX;
		for (i = 0; i < n; i++) {
			struct send_host *h = &hosts[i];

			run_timers(h, now, o);
			if (h->state == H_DONE) {
				pfd[i].fd = -1;
				continue;
			}
			active++;
			if (h->next_at < wake)
				wake = h->next_at;
			if (h->state == H_IN_FLIGHT && !o->no_ack &&
			    h->deadline < wake)
				wake = h->deadline;
		}
		if (!active)
			break;
		wake = wake > now ? wake - now : 0;
		ts.tv_sec = (time_t)(wake / SR_NSEC_PER_SEC);
		ts.tv_nsec = (long)(wake % SR_NSEC_PER_SEC);
		if (ppoll(pfd, n, &ts, NULL) < 0 && errno != EINTR) {
			perror("sysrqctl: ppoll");
			exit(EXIT_FAILURE);
		}
		now = clock_ns(CLOCK_MONOTONIC);
		for (i = 0; i < n; i++)
			if (pfd[i].revents & (POLLIN | POLLERR))
				receive(&hosts[i], now, o);
	}
	free(pfd);
}
