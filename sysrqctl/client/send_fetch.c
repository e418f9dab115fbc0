// SPDX-License-Identifier: GPL-2.0
/*
 * The output of a request whose REPORT counted chunks: a FETCH per chunk,
 * FETCH_WINDOW in flight, each re-send a fresh FETCH (new timestamp and
 * nonce: the host answers a FETCH at most once), until every chunk has
 * arrived or the deadline. Chunks are verified and decrypted by the core.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "client/send.h"

bool fetch_begin(struct send_host *h, uint16_t chunks, uint64_t deadline)
{
	struct send_fetch *f = &h->fetch;

	memset(f, 0, sizeof(*f));
	f->total = chunks;
	f->deadline = deadline;
	f->text = malloc((size_t)chunks * SR_CHUNK);
	f->len = calloc(chunks, sizeof(*f->len));
	f->got = calloc(chunks, sizeof(*f->got));
	f->next_at = calloc(chunks, sizeof(*f->next_at));
	f->gap = calloc(chunks, sizeof(*f->gap));
	if (f->text && f->len && f->got && f->next_at && f->gap)
		return true;
	fetch_end(h);
	return false;
}

static void send_fetch(struct send_host *h, uint16_t i, uint64_t now)
{
	uint8_t buf[SR_FETCH_LEN], nonce[SR_NONCE_LEN];
	size_t len;

	randombytes_buf(nonce, sizeof(nonce));
	len = sr_build_fetch(h->mk, h->epoch, host_stamp(h, now), nonce,
			     h->dgram, h->dlen, i, buf);
	if (len && host_send(h, 0, buf, len)) {
		h->fetch.sent++;
		h->reqs[h->cur].fetches++;
	}
}

bool fetch_timers(struct send_host *h, uint64_t now)
{
	struct send_fetch *f = &h->fetch;
	unsigned int inflight = 0;
	uint16_t i;

	if (f->ngot == f->total || now >= f->deadline)
		return false;
	for (i = 0; i < f->total; i++)
		inflight += f->next_at[i] && !f->got[i];
	for (i = 0; i < f->total; i++) {
		if (f->got[i])
			continue;
		if (!f->next_at[i]) {
			if (inflight >= FETCH_WINDOW)
				continue;
			inflight++;
			f->gap[i] = RESEND_FIRST;
		} else if (now >= f->next_at[i]) {
			f->gap[i] = f->gap[i] * 2 > RESEND_MAX ? RESEND_MAX :
								 f->gap[i] * 2;
		} else {
			continue;
		}
		send_fetch(h, i, now);
		f->next_at[i] = now + f->gap[i];
	}
	return true;
}

uint64_t fetch_next(const struct send_host *h)
{
	const struct send_fetch *f = &h->fetch;
	uint64_t wake = f->deadline;
	uint16_t i;

	for (i = 0; i < f->total; i++)
		if (!f->got[i] && f->next_at[i] && f->next_at[i] < wake)
			wake = f->next_at[i];
	return wake;
}

bool fetch_take(struct send_host *h, const uint8_t *buf, size_t len)
{
	struct send_fetch *f = &h->fetch;
	uint8_t text[SR_CHUNK];
	uint16_t idx, total;
	size_t tl;

	if (!f->total ||
	    !sr_open_output(h->mk, h->epoch, h->dgram, h->dlen, buf, len, &idx,
			    &total, text, &tl) ||
	    total != f->total || idx >= total || tl > SR_CHUNK)
		return false;
	if (!f->got[idx]) {
		memcpy(f->text + (size_t)idx * SR_CHUNK, text, tl);
		f->len[idx] = (uint16_t)tl;
		f->got[idx] = true;
		f->ngot++;
	}
	return true;
}

/* Room for a missing chunk's note. */
#define MISSING_NOTE 96

void fetch_end(struct send_host *h)
{
	struct send_fetch *f = &h->fetch;
	struct send_req *r = &h->reqs[h->cur];
	size_t k = 0;
	uint16_t i;

	r->output_complete = f->total && f->ngot == f->total;
	r->chunks_got = f->ngot;
	r->output =
		f->text && f->got ?
			malloc((size_t)f->total * (SR_CHUNK + MISSING_NOTE) +
			       1) :
			NULL;
	for (i = 0; r->output && i < f->total; i++) {
		if (f->got[i]) {
			memcpy(r->output + k, f->text + (size_t)i * SR_CHUNK,
			       f->len[i]);
			k += f->len[i];
		} else {
			k += (size_t)snprintf(r->output + k, MISSING_NOTE,
					      "\n[sysrqctl: chunk %u of %u "
					      "did not arrive]\n",
					      (unsigned int)i + 1,
					      (unsigned int)f->total);
		}
	}
	if (r->output) {
		r->output[k] = '\0';
		r->output_len = k;
	}
	free(f->text);
	free(f->len);
	free(f->got);
	free(f->next_at);
	free(f->gap);
	memset(f, 0, sizeof(*f));
}
