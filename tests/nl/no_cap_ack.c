// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim for tests/nl: a kernel without NETLINK_CAP_ACK, as far
 * as the program can tell. setsockopt(SOL_NETLINK, NETLINK_CAP_ACK) fails
 * with ENOPROTOOPT; every other call goes to libc.
 */
#include <dlfcn.h>
#include <errno.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	int (*real)(int, int, int, const void *, socklen_t);

	if (level == SOL_NETLINK && name == NETLINK_CAP_ACK) {
		errno = ENOPROTOOPT;
		return -1;
	}
	*(void **)&real = dlsym(RTLD_NEXT, "setsockopt");
	return real(fd, level, name, val, len);
}
