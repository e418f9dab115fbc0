/*
 * The one event loop of send: every host at once, each through its own
 * states on its own timers: the clock probe, then each request (re-sent
 * until its ACK, and its REPORT where asked for), the FETCH of its
 * output, and a second probe where a host stops answering; all in one
 * ppoll() over the shared sockets.
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
#include <unistd.h>

#include "client/send.h"

/* Datagrams read per socket per wakeup, so a flood cannot starve timers. */
#define RECV_BURST 256

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * SR_NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

uint64_t host_stamp(struct send_host *h, uint64_t now)
{
	uint64_t ts = (uint64_t)((int64_t)now + h->offset);

	/* Never at or below our last one: the host would say REPLAY. */
	if (ts <= h->last_ts)
		ts = h->last_ts + 1;
	h->last_ts = ts;
	return ts;
}

bool host_send(struct send_host *h, unsigned int src, const uint8_t *buf,
	       size_t len)
{
	struct send_req *r = &h->reqs[h->cur < h->nreqs ? h->cur : 0];
	int tries;

	/*
	 * The socket is shared: an ICMP error for another host leaves a
	 * pending error that fails the next send once (that host learns of
	 * it from the error queue). A second failure is this send's own.
	 */
	for (tries = 0; tries < 2; tries++)
		if (sendto(h->fd[src % SEND_SOURCES], buf, len, 0,
			   (struct sockaddr *)&h->addr,
			   h->addrlen) == (ssize_t)len)
			return true;
	req_error(r, errno, SO_EE_ORIGIN_LOCAL, 0, 0, NULL);
	return false;
}

/*
 * A copy of the current request from the next source in turn: the host
 * counts answers per source (ANSWERS for each of SOURCES), and a
 * byte-identical copy from another port is a DUPLICATE, never run again.
 */
static void send_copy(struct send_host *h)
{
	if (host_send(h, h->src_next, h->dgram, h->dlen))
		h->reqs[h->cur].copies++;
	h->src_next = (h->src_next + 1) % SEND_SOURCES;
}

/* The host's sequence ends: the requests not yet sent never will be. */
static void end_sequence(struct send_host *h)
{
	size_t i;

	for (i = h->cur; i < h->nreqs; i++)
		if (h->reqs[i].result == RES_PENDING)
			h->reqs[i].result = RES_NOT_SENT;
	h->state = H_DONE;
}

static void start_request(struct send_host *h, uint64_t now,
			  const struct send_opts *o);

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
	/* A new epoch: whatever follows could run a key twice. */
	if (res == RES_RESTARTED || h->cur >= h->nreqs) {
		end_sequence(h);
		return;
	}
	/* No pause: the REPORT said the keys before are done. */
	start_request(h, now, o);
}

/* Build the current request for the host's epoch; send its first copy. */
static void start_request(struct send_host *h, uint64_t now,
			  const struct send_opts *o)
{
	struct send_req *r = &h->reqs[h->cur];
	uint8_t nonce[SR_NONCE_LEN];

	randombytes_buf(nonce, sizeof(nonce));
	h->dlen = sr_build_request(
		h->mk, h->key_id, h->epoch, host_stamp(h, now), nonce,
		SR_FLAG_ACK | (r->wants_report ? SR_FLAG_REPORT : 0), r->keys,
		r->n, h->dgram);
	h->first_at = now;
	if (!h->dlen) {
		/* Cannot happen with validated keys; never hang on it. */
		finish(h, RES_NO_ANSWER, now, o);
		return;
	}
	h->state = H_REQUEST;
	h->deadline = now + o->timeout;
	h->gap = RESEND_FIRST;
	h->next_at = now + h->gap;
	/* The request's first copy from its first source (the recorded one). */
	h->src_next = 0;
	send_copy(h);
}

/* The first probe ended: with a CLOCK the requests start. */
static void probed(struct send_host *h, uint64_t now, const struct send_opts *o)
{
	report_clock(h, o);
	if (!h->have_clock) {
		end_sequence(h);
		return;
	}
	start_request(h, now, o);
}

/* The second probe ended: restarted (new epoch), or still no answer. */
static void reprobed(struct send_host *h, uint64_t now,
		     const struct send_opts *o)
{
	const struct send_req *r = &h->reqs[h->cur];

	if (h->reprobe == CLK_NEW_EPOCH)
		finish(h, RES_RESTARTED, now, o);
	else
		finish(h, r->acked ? RES_NO_REPORT : RES_NO_ANSWER, now, o);
}

/* Everything due at now for one host. */
static void run_timers(struct send_host *h, uint64_t now,
		       const struct send_opts *o)
{
	switch (h->state) {
	case H_PROBE:
		if (!probe_timers(h, now))
			probed(h, now, o);
		break;
	case H_REPROBE:
		if (!probe_timers(h, now))
			reprobed(h, now, o);
		break;
	case H_REQUEST:
		if (now >= h->deadline) {
			/* Down, or restarted? Only a new epoch tells. */
			h->state = H_REPROBE;
			probe_start(h, now);
		} else if (now >= h->next_at) {
			int i;

			for (i = 0; i < RESEND_COPIES; i++)
				send_copy(h);
			h->gap = h->gap * 2 > RESEND_MAX ? RESEND_MAX :
							   h->gap * 2;
			h->next_at = now + h->gap;
		}
		break;
	case H_FETCH:
		if (!fetch_timers(h, now)) {
			fetch_end(h);
			finish(h, RES_DONE, now, o);
		}
		break;
	case H_DONE:
		break;
	}
}

static uint64_t host_wake(const struct send_host *h)
{
	switch (h->state) {
	case H_REQUEST:
		return h->next_at < h->deadline ? h->next_at : h->deadline;
	case H_FETCH:
		return fetch_next(h);
	case H_PROBE:
	case H_REPROBE:
		return h->next_at;
	case H_DONE:
		break;
	}
	return UINT64_MAX;
}

/* A verified REPORT of the request in flight: done, or output to fetch. */
static void reported(struct send_host *h, uint8_t status, uint16_t chunks,
		     uint64_t now, const struct send_opts *o)
{
	struct send_req *r = &h->reqs[h->cur];

	r->acked = true;
	r->report_status = status;
	r->chunks = chunks;
	r->output_complete = chunks == 0;
	if (chunks && fetch_begin(h, chunks, now + 2 * o->timeout)) {
		h->state = H_FETCH;
		fetch_timers(h, now);
		return;
	}
	finish(h, RES_DONE, now, o);
}

/* An ACK or REPORT for the request in flight; false if neither verified. */
static bool take_answer(struct send_host *h, const uint8_t *buf, size_t len,
			uint64_t now, const struct send_opts *o)
{
	struct send_req *r = &h->reqs[h->cur];
	uint8_t status;
	uint16_t chunks;

	if (buf[3] == SR_T_REPORT && r->wants_report &&
	    sr_verify_report(h->mk, h->epoch, h->dgram, h->dlen, buf, len,
			     &status, &chunks)) {
		reported(h, status, chunks, now, o);
		return true;
	}
	if (buf[3] != SR_T_ACK || !sr_verify_ack(h->mk, h->epoch, h->dgram,
						 h->dlen, buf, len, &status))
		return false;
	if (status == SR_ACK_REFUSED)
		finish(h, RES_REFUSED, now, o);
	else if (!r->wants_report)
		finish(h,
		       status == SR_ACK_ACCEPTED ? RES_ACCEPTED : RES_DUPLICATE,
		       now, o);
	else if (!r->acked) {
		/* Accepted: now the REPORT has until twice the timeout. */
		r->acked = true;
		h->deadline = h->first_at + 2 * o->timeout;
	}
	return true;
}

/* One datagram from h's address and port. */
static void take(struct send_host *h, const uint8_t *buf, size_t len,
		 uint64_t now, const struct send_opts *o)
{
	bool used = false;

	if (h->state == H_DONE)
		return; /* late answers: nothing to do */
	if (len < SR_HDR_LEN) {
		h->reqs[h->cur].ignored++;
		report_ignored(h, "too short", o);
		return;
	}
	/* A second CLOCK for the probe (a re-sent probe answered too). */
	if (buf[3] == SR_T_CLOCK && h->state != H_PROBE &&
	    h->state != H_REPROBE)
		return;
	switch (h->state) {
	case H_PROBE:
		used = buf[3] == SR_T_CLOCK && probe_take(h, buf, len, now);
		if (used)
			probed(h, now, o);
		break;
	case H_REPROBE:
		used = buf[3] == SR_T_CLOCK && probe_take(h, buf, len, now);
		if (used)
			reprobed(h, now, o);
		break;
	case H_REQUEST:
		used = take_answer(h, buf, len, now, o);
		break;
	case H_FETCH:
		used = buf[3] == SR_T_OUTPUT && fetch_take(h, buf, len);
		if (used && h->fetch.ngot == h->fetch.total) {
			fetch_end(h);
			finish(h, RES_DONE, now, o);
		}
		/* Answers to the request's late copies are expected. */
		if (buf[3] == SR_T_ACK || buf[3] == SR_T_REPORT)
			return;
		break;
	case H_DONE:
		break;
	}
	if (!used) {
		h->reqs[h->cur < h->nreqs ? h->cur : 0].ignored++;
		report_ignored(h, "that did not verify as the answer awaited",
			       o);
	}
}

/*
 * Read what arrived on one shared socket; each datagram goes to the host
 * whose address and port it came from, if any.
 */
static void receive(int fd, const struct send_index *ix, uint64_t now,
		    const struct send_opts *o)
{
	uint8_t buf[SR_ANSWER_MAX + 1];
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
	uint8_t quote[SR_FETCH_LEN] = { 0 };
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
		if (!ee || !h || h->state == H_DONE ||
		    !((h->state == H_REQUEST && (size_t)len <= h->dlen &&
		       !memcmp(quote, h->dgram, (size_t)len)) ||
		      probe_quoted(h, quote, (size_t)len)))
			continue;
		req_error(&h->reqs[h->cur], (int)ee->ee_errno, ee->ee_origin,
			  ee->ee_type, ee->ee_code,
			  ee->ee_origin == SO_EE_ORIGIN_ICMP ||
					  ee->ee_origin == SO_EE_ORIGIN_ICMP6 ?
				  (const struct sockaddr *)SO_EE_OFFENDER(ee) :
				  NULL);
	}
}

/* Waits up to ts for the sockets, then reads what they hold. */
static void poll_receive(struct pollfd *pfd, const struct send_pool *pool,
			 const struct send_index *ix, const struct timespec *ts,
			 const struct send_opts *o)
{
	uint64_t now;
	size_t i;

	if (ppoll(pfd, pool->n, ts, NULL) < 0 && errno != EINTR) {
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

void send_loop(struct send_host *hosts, size_t n, const struct send_index *ix,
	       const struct send_pool *pool, const struct send_opts *o)
{
	struct pollfd *pfd = calloc(pool->n ? pool->n : 1, sizeof(*pfd));
	const struct timespec zero = { 0, 0 };
	struct timespec ts;
	uint64_t now, wake, last_rx;
	size_t i, active;

	if (!pfd) {
		fprintf(stderr, "sysrqctl: out of memory\n");
		exit(EXIT_FAILURE);
	}
	now = clock_ns(CLOCK_MONOTONIC);
	last_rx = now;
	/*
	 * Each host's probe span and round trips count from when its own
	 * first probes left: with thousands of hosts the last leave seconds
	 * after the first on a loaded machine.
	 */
	for (i = 0; i < n; i++) {
		hosts[i].state = H_PROBE;
		probe_start(&hosts[i], clock_ns(CLOCK_MONOTONIC));
	}
	for (i = 0; i < pool->n; i++) {
		pfd[i].fd = pool->fds[i];
		pfd[i].events = POLLIN;
	}
	for (;;) {
		now = clock_ns(CLOCK_MONOTONIC);
		/*
		 * Sending to thousands of hosts at once (their first probes,
		 * from SEND_SOURCES ports each) can take longer on a loaded
		 * machine than a probe's span: read what arrived meanwhile
		 * before a timer calls it missing.
		 */
		if (now - last_rx > RESEND_FIRST) {
			poll_receive(pfd, pool, ix, &zero, o);
			now = clock_ns(CLOCK_MONOTONIC);
		}
		active = 0;
		wake = UINT64_MAX;
		for (i = 0; i < n; i++) {
			struct send_host *h = &hosts[i];
			uint64_t w;

			run_timers(h, now, o);
			if (h->state == H_DONE)
				continue;
			active++;
			w = host_wake(h);
			if (w < wake)
				wake = w;
		}
		/* The results of this round, at once (not a write per line). */
		fflush(stdout);
		if (!active)
			break;
		wake = wake > now ? wake - now : 0;
		ts.tv_sec = (time_t)(wake / SR_NSEC_PER_SEC);
		ts.tv_nsec = (long)(wake % SR_NSEC_PER_SEC);
		poll_receive(pfd, pool, ix, &ts, o);
		last_rx = clock_ns(CLOCK_MONOTONIC);
	}
	free(pfd);
}
