// SPDX-License-Identifier: GPL-2.0
/*
 * The one event loop of send: every host at once, each going through its
 * requests on its own timers (first copy, retransmissions with backoff,
 * deadline, pause before the next request), all in one ppoll() over
 * the shared sockets.
 */
#include <errno.h>
#include <time.h> /* before linux/errqueue.h, which uses timespec */
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "send.h"

/* Datagrams read per socket per wakeup, so a flood cannot starve timers. */
#define RECV_BURST 256

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * SR_NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static void send_copy(struct send_host *h)
{
	struct send_req *r = &h->reqs[h->cur];

	int tries;

	/*
	 * The socket is shared: an ICMP error for another host leaves a
	 * pending error that fails the next send once (that host learns of
	 * it from the error queue). A second failure is this send's own.
	 */
	for (tries = 0; tries < 2; tries++)
		if (sendto(h->fd, h->dgram, h->dlen, 0,
			   (struct sockaddr *)&h->addr,
			   h->addrlen) == (ssize_t)h->dlen) {
			r->copies++;
			return;
		}
	req_error(r, errno, SO_EE_ORIGIN_LOCAL, 0, 0, NULL);
}

static void finish(struct send_host *h, enum send_result res, uint64_t now,
		   const struct send_opts *o)
{
	struct send_req *r = &h->reqs[h->cur];

	r->result = res;
	r->elapsed = now - h->first_at;
	report_result(h, r, o);
	h->cur++;
	/* Accepted (or lost) as a whole: the split plan after it is not run. */
	if (r->split_if_refused && res != RES_REFUSED)
		h->nreqs = h->cur;
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

/* One datagram from h's address and port: only a verified ACK of the
 * request in flight counts. */
static void take(struct send_host *h, const uint8_t *buf, size_t len,
		 uint64_t now, const struct send_opts *o)
{
	uint8_t status;

	if (h->state != H_IN_FLIGHT) {
		/* Late answers to a finished request: nothing to do. */
		return;
	}
	if (o->no_ack ||
	    !sr_verify_ack(h->mk, h->dgram, h->dlen, buf, len, &status)) {
		h->reqs[h->cur].ignored++;
		report_ignored(h, "not a valid ACK of the request in flight",
			       o);
		return;
	}
	finish(h,
	       status == SR_ACK_EXECUTED  ? RES_EXECUTED :
	       status == SR_ACK_DUPLICATE ? RES_DUPLICATE :
					    RES_REFUSED,
	       now, o);
}

/*
 * Read what arrived on one shared socket; each datagram goes to the host
 * whose address and port it came from, if any.
 */
static void receive(int fd, const struct send_index *ix, uint64_t now,
		    const struct send_opts *o)
{
	uint8_t buf[SR_MAX_LEN + 1];
	struct sockaddr_storage src;
	struct send_host *h;
	socklen_t slen;
	ssize_t len;
	int i;

	for (i = 0; i < RECV_BURST; i++) {
		memset(&src, 0, sizeof(src));
		slen = sizeof(src);
		len = recvfrom(fd, buf, sizeof(buf), MSG_TRUNC,
			       (struct sockaddr *)&src, &slen);
		if (len < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		/* Other errors (ECONNREFUSED...) are read from the error queue. */
		if (len < 0)
			continue;
		h = index_find(ix, &src, slen);
		if (!h) {
			report_stray(&src, slen, o);
			continue;
		}
		take(h, buf,
		     (size_t)len > sizeof(buf) ? sizeof(buf) : (size_t)len, now,
		     o);
	}
}

/*
 * ICMP errors (and local ones) from the error queue: each names the
 * address and port of the datagram it answers, and quotes it. It counts
 * for the request in flight to that host only if the quote is a prefix of
 * that request (or empty: some routers quote no payload).
 */
static void receive_errors(int fd, const struct send_index *ix)
{
	uint8_t quote[SR_MAX_LEN] = { 0 };
	union {
		char buf[CMSG_SPACE(sizeof(struct sock_extended_err) +
				    sizeof(struct sockaddr_in6))];
		struct cmsghdr align;
	} ctl;
	struct sockaddr_storage dst;
	struct iovec iov = { .iov_base = quote, .iov_len = sizeof(quote) };
	int i;

	for (i = 0; i < RECV_BURST; i++) {
		struct msghdr m = {
			.msg_name = &dst,
			.msg_namelen = sizeof(dst),
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = ctl.buf,
			.msg_controllen = sizeof(ctl.buf),
		};
		const struct sock_extended_err *ee = NULL;
		struct send_host *h;
		struct cmsghdr *c;
		ssize_t len;

		memset(&dst, 0, sizeof(dst));
		len = recvmsg(fd, &m, MSG_ERRQUEUE);
		if (len < 0)
			return;
		for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if ((c->cmsg_level == IPPROTO_IP &&
			     c->cmsg_type == IP_RECVERR) ||
			    (c->cmsg_level == IPPROTO_IPV6 &&
			     c->cmsg_type == IPV6_RECVERR))
				ee = (const void *)CMSG_DATA(c);
		h = index_find(ix, &dst, m.msg_namelen);
		if (!ee || !h || h->state != H_IN_FLIGHT ||
		    (size_t)len > h->dlen ||
		    memcmp(quote, h->dgram, (size_t)len) != 0)
			continue;
		req_error(&h->reqs[h->cur], (int)ee->ee_errno, ee->ee_origin,
			  ee->ee_type, ee->ee_code,
			  ee->ee_origin == SO_EE_ORIGIN_ICMP ||
					  ee->ee_origin == SO_EE_ORIGIN_ICMP6 ?
				  (const struct sockaddr *)SO_EE_OFFENDER(ee) :
				  NULL);
	}
}

void send_loop(struct send_host *hosts, size_t n, const struct send_index *ix,
	       const struct send_pool *pool, const struct send_opts *o)
{
	struct pollfd *pfd = calloc(pool->n ? pool->n : 1, sizeof(*pfd));
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
	}
	for (i = 0; i < pool->n; i++) {
		pfd[i].fd = pool->fds[i];
		pfd[i].events = POLLIN;
	}
	for (;;) {
		now = clock_ns(CLOCK_MONOTONIC);
		active = 0;
		wake = UINT64_MAX;
		for (i = 0; i < n; i++) {
			struct send_host *h = &hosts[i];

			run_timers(h, now, o);
			if (h->state == H_DONE)
				continue;
			active++;
			if (h->next_at < wake)
				wake = h->next_at;
			if (h->state == H_IN_FLIGHT && !o->no_ack &&
			    h->deadline < wake)
				wake = h->deadline;
		}
		/* The results of this round, at once (not a write per line). */
		fflush(stdout);
		if (!active)
			break;
		wake = wake > now ? wake - now : 0;
		ts.tv_sec = (time_t)(wake / SR_NSEC_PER_SEC);
		ts.tv_nsec = (long)(wake % SR_NSEC_PER_SEC);
		if (ppoll(pfd, pool->n, &ts, NULL) < 0 && errno != EINTR) {
			perror("sysrqctl: ppoll");
			exit(EXIT_FAILURE);
		}
		now = clock_ns(CLOCK_MONOTONIC);
		for (i = 0; i < pool->n; i++) {
			if (pfd[i].revents & POLLERR)
				receive_errors(pfd[i].fd, ix);
			if (pfd[i].revents & POLLIN)
				receive(pfd[i].fd, ix, now, o);
		}
	}
	free(pfd);
}
