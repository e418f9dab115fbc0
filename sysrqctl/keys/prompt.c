// SPDX-License-Identifier: GPL-2.0
/* Passphrases without echo, key files with a permission warning. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "commands.h"
#include "keys/prompt.h"

/* The terminal state to restore if a signal interrupts the prompt. */
static struct termios saved_tio;
static volatile sig_atomic_t echo_off;

static void restore_and_reraise(int sig)
{
	if (echo_off)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* One line, byte by byte: no stdio buffer keeps a copy of the secret. */
static int read_line(char *buf, size_t *len, char err[ERR_LEN])
{
	size_t n = 0;
	ssize_t r;
	char c;

	for (;;) {
		r = read(STDIN_FILENO, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, ERR_LEN, "reading the passphrase: %s",
				 strerror(errno));
			return -1;
		}
		if (r == 0 || c == '\n')
			break;
		if (n == PASSPHRASE_MAX) {
			snprintf(err, ERR_LEN,
				 "the passphrase is longer than %d bytes",
				 PASSPHRASE_MAX);
			return -1;
		}
		buf[n++] = c;
	}
	c = 0;
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	*len = n;
	return 0;
}

int prompt_passphrase(const char *prompt, char *buf, size_t *len,
		      char err[ERR_LEN])
{
	struct sigaction sa = { .sa_handler = restore_and_reraise };
	struct sigaction old_int, old_term, old_hup;
	struct termios tio;
	int ret;

	if (!isatty(STDIN_FILENO)) {
		ret = read_line(buf, len, err);
		goto check;
	}
	if (tcgetattr(STDIN_FILENO, &saved_tio) < 0) {
		snprintf(err, ERR_LEN, "terminal: %s", strerror(errno));
		return -1;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	tio = saved_tio;
	tio.c_lflag &= (tcflag_t)~ECHO;
	tio.c_lflag |= ECHONL;
	/* Echo off before the prompt shows: nothing typed after it echoes. */
	echo_off = 1;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &tio);
	fputs(prompt, stderr);
	fflush(stderr);
	ret = read_line(buf, len, err);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
	echo_off = 0;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
check:
	if (ret == 0 && *len == 0) {
		snprintf(err, ERR_LEN, "the passphrase is empty");
		ret = -1;
	}
	return ret;
}

int read_key_warn(const char *path, uint8_t key[KEY_LEN])
{
	char err[ERR_LEN];
	bool loose;

	if (key_read_file(path, key, &loose, err) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return -1;
	}
	if (loose)
		fprintf(stderr,
			"%s: warning: key file %s is readable by group or "
			"others (chmod 600 it)\n",
			prog, path);
	return 0;
}
