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

#include <stdint.h>

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

#endif
