/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lab's command channel: host `lab exec` <-> guest labagent over one
 * TCP connection per command (QEMU user-mode hostfwd to the guest).
 *
 * Every message is a frame: 1 type byte, 4-byte big-endian payload length,
 * payload. The host sends CMD, any number of STDIN chunks, then GO; the
 * guest answers with STDOUT/STDERR chunks and finally EXIT (4-byte
 * big-endian status: the exit code, or 128 + signal number).
 */
#ifndef LAB_PROTO_H
#define LAB_PROTO_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#define LAB_AGENT_PORT 7777	   /* guest TCP port of labagent */
#define LAB_FRAME_MAX  (1u << 20)  /* largest payload accepted */
#define LAB_STDIN_MAX  (64u << 20) /* largest stdin of one command */

enum lab_frame_type {
	LAB_CMD = 'C',
	LAB_STDIN = 'I',
	LAB_GO = 'G',
	LAB_STDOUT = 'O',
	LAB_STDERR = 'E',
	LAB_EXIT = 'X',
};

/* Write all of buf, across short writes and EINTR. 0 or -1. */
static inline int write_full(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* One frame: type, big-endian length, payload. 0 or -1. */
static inline int send_frame(int fd, uint8_t type, const void *buf,
			     uint32_t len)
{
	uint8_t hdr[5] = { type, len >> 24, len >> 16, len >> 8, len };

	if (write_full(fd, hdr, sizeof(hdr)))
		return -1;
	return write_full(fd, buf, len);
}

#endif
