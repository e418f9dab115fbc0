// SPDX-License-Identifier: GPL-2.0
/*
 * The clock probe of send: TIME probes, each with a fresh nonce, at once
 * and after 0.1, 0.2, 0.4, 0.8 ... s for up to 3 s, from each of the
 * host's SEND_SOURCES ports (one each at first, then PROBES_PER_SOURCE
 * each, for lossy paths), until a CLOCK verifies and echoes one of them.
 * It gives the host's epoch (every request is MACed with it) and the
 * offset of the host's protocol clock from our monotonic one. Probing again mid-sequence tells a host that is down
 * from one that restarted (a new epoch).
 */
#include <sodium.h>
#include <time.h>

#include "client/send.h"

static void send_probe(struct send_host *h, unsigned int src, uint64_t now)
{
	struct send_probe *p;
	uint8_t nonce[SR_NONCE_LEN];
	struct timespec ts;

	if (h->nprobes == PROBES_MAX)
		return;
	p = &h->probes[h->nprobes];
	/* TIME carries the client's own clock: informative only. */
	clock_gettime(CLOCK_REALTIME, &ts);
	randombytes_buf(nonce, sizeof(nonce));
	if (!sr_build_time(h->mk, h->key_id,
			   (uint64_t)ts.tv_sec * SR_NSEC_PER_SEC +
				   (uint64_t)ts.tv_nsec,
			   nonce, p->dgram))
		return;
	p->sent = now;
	h->nprobes++;
	if (host_send(h, src, p->dgram, sizeof(p->dgram)))
		h->probes_total++;
}

/* A tick's probes: the first tick's one per source, later ones more. */
static void send_probes(struct send_host *h, uint64_t now, unsigned int each)
{
	unsigned int i, src;

	for (i = 0; i < each; i++)
		for (src = 0; src < SEND_SOURCES; src++)
			send_probe(h, src, now);
}

static void set_wake(struct send_host *h)
{
	uint64_t end = h->probe_start + PROBE_SPAN;

	h->next_at = h->probe_next < end ? h->probe_next : end;
}

void probe_start(struct send_host *h, uint64_t now)
{
	h->nprobes = 0;
	h->reprobe = CLK_NONE;
	h->probe_start = now;
	h->probe_gap = PROBE_FIRST;
	h->probe_next = now + h->probe_gap;
	send_probes(h, now, 1);
	set_wake(h);
}

bool probe_timers(struct send_host *h, uint64_t now)
{
	if (now >= h->probe_start + PROBE_SPAN)
		return false;
	if (now >= h->probe_next) {
		send_probes(h, now, PROBES_PER_SOURCE);
		h->probe_gap *= 2;
		h->probe_next = now + h->probe_gap;
	}
	set_wake(h);
	return true;
}

bool probe_take(struct send_host *h, const uint8_t *buf, size_t len,
		uint64_t now)
{
	uint8_t epoch[SR_EPOCH_LEN];
	struct timespec real;
	uint64_t t, half, real_ns;
	unsigned int i;

	for (i = 0; i < h->nprobes; i++) {
		const struct send_probe *p = &h->probes[i];

		if (!sr_verify_clock(h->mk, p->dgram, buf, len, &t, epoch))
			continue;
		/* T was read about halfway through the round trip. */
		half = (now - p->sent) / 2;
		clock_gettime(CLOCK_REALTIME, &real);
		real_ns = (uint64_t)real.tv_sec * SR_NSEC_PER_SEC +
			  (uint64_t)real.tv_nsec;
		if (h->state == H_REPROBE) {
			h->reprobe = memcmp(epoch, h->epoch, SR_EPOCH_LEN) ?
					     CLK_NEW_EPOCH :
					     CLK_SAME;
			memcpy(h->new_epoch, epoch, SR_EPOCH_LEN);
			return true;
		}
		h->have_clock = true;
		h->offset = (int64_t)(t - (p->sent + half));
		h->clock_off = (int64_t)(t - (real_ns - half));
		memcpy(h->epoch, epoch, SR_EPOCH_LEN);
		return true;
	}
	return false;
}

bool probe_quoted(const struct send_host *h, const uint8_t *quote, size_t len)
{
	unsigned int i;

	for (i = 0; i < h->nprobes; i++)
		if (len <= SR_TIME_LEN &&
		    !memcmp(quote, h->probes[i].dgram, len))
			return true;
	return false;
}
