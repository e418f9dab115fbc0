// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim for tests/nl: what the program sends on netlink
 * sockets, appended to the file NL_CAPTURE (an nlmon tap where the host
 * has none), then sent as usual. nl-probe unseal-capture reads it.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static void capture(int fd, const struct iovec *iov, size_t n)
{
	const char *path = getenv("NL_CAPTURE");
	struct sockaddr_storage ss = { 0 };
	socklen_t len = sizeof(ss);
	int out;

	if (!path || getsockname(fd, (struct sockaddr *)&ss, &len) < 0 ||
	    ss.ss_family != AF_NETLINK)
		return;
	out = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (out < 0)
		return;
	if (writev(out, iov, (int)n) < 0)
		abort(); /* a capture with a hole would prove nothing */
	close(out);
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t tolen)
{
	ssize_t (*real)(int, const void *, size_t, int, const struct sockaddr *,
			socklen_t);
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	capture(fd, &iov, 1);
	*(void **)&real = dlsym(RTLD_NEXT, "sendto");
	return real(fd, buf, len, flags, to, tolen);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	ssize_t (*real)(int, const struct msghdr *, int);

	capture(fd, msg->msg_iov, msg->msg_iovlen);
	*(void **)&real = dlsym(RTLD_NEXT, "sendmsg");
	return real(fd, msg, flags);
}
