// SPDX-License-Identifier: GPL-2.0
/*
 * labagent: the lab guest's command runner. Listens on TCP LAB_AGENT_PORT
 * (reached through QEMU's hostfwd) and serves each connection in its own
 * process: reads one command and its stdin, runs it with /bin/sh -c in a
 * new session, streams stdout and stderr back, then the exit status. When
 * the host hangs up early the command's session is killed.
 * Static binary: the guest has no libc of its own for it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "labproto.h"

static int read_full(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t r = read(fd, p, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

static int recv_frame(int fd, uint8_t *type, uint8_t **buf, uint32_t *len)
{
	uint8_t hdr[5];

	if (read_full(fd, hdr, sizeof(hdr)))
		return -1;
	*type = hdr[0];
	*len = (uint32_t)hdr[1] << 24 | hdr[2] << 16 | hdr[3] << 8 | hdr[4];
	if (*len > LAB_FRAME_MAX)
		return -1;
	*buf = malloc(*len + 1);
	if (!*buf)
		return -1;
	if (read_full(fd, *buf, *len)) {
		free(*buf);
		return -1;
	}
	(*buf)[*len] = 0;
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Read the request: the command and its stdin (kept in a memfd). */
static char *read_request(int conn, int *stdin_fd)
{
	char *cmd = NULL;
	size_t in_total = 0;
	int mfd = memfd_create("labagent-stdin", 0);

	if (mfd < 0)
		return NULL;
	for (;;) {
		uint8_t type, *buf;
		uint32_t len;

		if (recv_frame(conn, &type, &buf, &len))
			goto fail;
		if (type == LAB_CMD && !cmd) {
			cmd = (char *)buf;
			continue;
		}
		if (type == LAB_STDIN && len) {
			in_total += len;
			if (in_total > LAB_STDIN_MAX ||
			    write_full(mfd, buf, len)) {
				free(buf);
				goto fail;
			}
		}
		free(buf);
		if (type == LAB_GO)
			break;
	}
	if (!cmd)
		goto fail;
	lseek(mfd, 0, SEEK_SET);
	*stdin_fd = mfd;
	return cmd;
fail:
	free(cmd);
	close(mfd);
	return NULL;
}

static pid_t spawn(const char *cmd, int in, int out, int err)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	setsid();
	signal(SIGPIPE, SIG_DFL);
	dup2(in, 0);
	dup2(out, 1);
	dup2(err, 2);
	for (int fd = 3; fd < 1024; fd++)
		close(fd);
	/* busybox init's PATH lacks /usr/local: the lab's tools live there. */
	setenv("PATH",
	       "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	       1);
	setenv("HOME", "/root", 1);
	if (chdir("/root"))
		(void)!chdir("/");
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/* Forward one pipe's available data as a frame; 0 at EOF. */
static int forward(int from, int conn, uint8_t type)
{
	char buf[16384];
	ssize_t r = read(from, buf, sizeof(buf));

	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	if (r <= 0)
		return 0;
	if (send_frame(conn, type, buf, (uint32_t)r))
		return -1;
	return 1;
}

static void serve(int conn)
{
	int in = -1, out[2], err[2];
	char *cmd = read_request(conn, &in);
	int status = 0;
	bool exited = false;
	uint64_t idle_since = 0;

	if (!cmd || pipe(out) || pipe(err))
		_exit(1);
	pid_t pid = spawn(cmd, in, out[1], err[1]);

	close(out[1]);
	close(err[1]);
	close(in);
	if (pid < 0)
		_exit(1);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(err[0], F_SETFL, O_NONBLOCK);

	struct pollfd pfd[3] = {
		{ .fd = out[0], .events = POLLIN },
		{ .fd = err[0], .events = POLLIN },
		{ .fd = conn, .events = POLLIN },
	};
	while (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
		int n = poll(pfd, 3, 100);

		if (!exited && waitpid(pid, &status, WNOHANG) == pid) {
			exited = true;
			idle_since = now_ms();
		}
		/*
		 * A command that leaves a background process holding its
		 * output open: stop reading once the command has exited and
		 * its output has been quiet for a moment.
		 */
		if (n == 0 && exited && now_ms() - idle_since > 300)
			break;
		if (n <= 0)
			continue;
		if (pfd[2].revents) {
			/* The host went away (or sent more): abandon the command. */
			kill(-pid, SIGKILL);
			_exit(1);
		}
		for (int i = 0; i < 2; i++) {
			if (!pfd[i].revents)
				continue;
			int r = forward(pfd[i].fd, conn,
					i ? LAB_STDERR : LAB_STDOUT);

			if (r < 0) {
				kill(-pid, SIGKILL);
				_exit(1);
			}
			if (r == 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
			}
			if (exited)
				idle_since = now_ms();
		}
	}
	if (!exited)
		waitpid(pid, &status, 0);

	uint32_t code = WIFEXITED(status) ? (uint32_t)WEXITSTATUS(status) :
					    128u + (uint32_t)WTERMSIG(status);
	uint8_t be[4] = { code >> 24, code >> 16, code >> 8, code };

	send_frame(conn, LAB_EXIT, be, sizeof(be));
	shutdown(conn, SHUT_WR);
	_exit(0);
}

int main(void)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_AGENT_PORT),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	int one = 1;
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN); /* connection handlers reap themselves */
	if (s < 0 ||
	    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa)) || listen(s, 16)) {
		perror("labagent");
		return 1;
	}
	for (;;) {
		int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);

		if (c < 0)
			continue;
		if (fork() == 0) {
			close(s);
			signal(SIGCHLD, SIG_DFL);
			serve(c);
		}
		close(c);
	}
}
