// SPDX-License-Identifier: GPL-2.0
/*
 * P5: the client's cost of many hosts. `sysrqctl send h` to 256 hosts
 * against the same to 1 host, both to one sysrq-testd process holding 256
 * ports on 127.0.0.1 (so the rig is one server, not 256), in alternating
 * rounds (their order flipped every round); the ratio is the median of
 * the per-round wall-time ratios. The client's CPU time (user + system,
 * from wait4) gives its CPU per host. The target, 256 hosts within 2x the
 * time of one, is reported, never asserted.
 *
 *   bench-send BUILD_DIR   (runs BUILD_DIR/sysrqctl and BUILD_DIR/sysrq-testd)
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HOSTS	  256
#define ROUNDS	  11 /* odd: a true median */
#define TARGET	  2.0
#define WAIT_S	  60 /* for testd's port file */
#define TIMEOUT_S "20"

extern char **environ;

static char dir[] = "/tmp/sysrq-bench.XXXXXX";
static char ctl[4096], testd[4096], keyfile[4200], portfile[4200];
static pid_t testd_pid = -1;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const double *v, size_t n)
{
	double s[ROUNDS];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* A fresh key, mode 0600, as 44 base64 characters and a newline. */
static int write_key(void)
{
	uint8_t k[32];
	char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
	int fd;

	randombytes_buf(k, sizeof(k));
	sodium_bin2base64(b64, sizeof(b64), k, sizeof(k),
			  sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(k, sizeof(k));
	fd = open(keyfile, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || dprintf(fd, "%s\n", b64) < 0 || close(fd) < 0) {
		perror(keyfile);
		return -1;
	}
	return 0;
}

/* Spawns argv with stdout and stderr to /dev/null (stderr to errfile). */
static pid_t spawn(char **argv, const char *errfile)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2,
					 errfile ? errfile : "/dev/null",
					 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc) {
		fprintf(stderr, "bench-send: %s: %s\n", argv[0], strerror(rc));
		return -1;
	}
	return pid;
}

static int start_testd(unsigned int ports[HOSTS])
{
	char spec[4300], n[16];
	char *argv[] = { testd,
			 "--key",
			 spec,
			 "--ports",
			 n,
			 "--port",
			 "0",
			 "-4",
			 "--port-file",
			 portfile,
			 "--log",
			 "/dev/null",
			 "--max-seconds",
			 "900",
			 NULL };
	double end = now_s() + WAIT_S;
	FILE *f;
	size_t i;

	snprintf(spec, sizeof(spec), "bench:%s", keyfile);
	snprintf(n, sizeof(n), "%d", HOSTS);
	testd_pid = spawn(argv, NULL);
	if (testd_pid < 0)
		return -1;
	while (access(portfile, R_OK) != 0) {
		if (now_s() > end || waitpid(testd_pid, NULL, WNOHANG) != 0) {
			fprintf(stderr,
				"bench-send: sysrq-testd did not start "
				"within %d s\n",
				WAIT_S);
			return -1;
		}
		nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
	}
	f = fopen(portfile, "r");
	for (i = 0; f && i < HOSTS; i++)
		if (fscanf(f, "%u", &ports[i]) != 1)
			break;
	if (f)
		fclose(f);
	if (i != HOSTS) {
		fprintf(stderr, "bench-send: the port file holds %zu ports\n",
			i);
		return -1;
	}
	return 0;
}

struct cost {
	double wall; /* s */
	double cpu;  /* s, user + system */
};

/* One `sysrqctl send h` to the first nhosts hosts; false on failure. */
static bool send_once(char **hosts, size_t nhosts, struct cost *c)
{
	char *argv[HOSTS + 8];
	struct rusage ru;
	size_t k = 0, i;
	int status;
	pid_t pid;
	double t;

	argv[k++] = ctl;
	argv[k++] = "send";
	argv[k++] = "--key";
	argv[k++] = keyfile;
	argv[k++] = "-W";
	argv[k++] = TIMEOUT_S;
	for (i = 0; i < nhosts; i++)
		argv[k++] = hosts[i];
	argv[k++] = "h";
	argv[k] = NULL;
	t = now_s();
	pid = spawn(argv, NULL);
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid)
		return false;
	c->wall = now_s() - t;
	c->cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		 (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr,
			"bench-send: sysrqctl send to %zu hosts did not "
			"succeed (status %d)\n",
			nhosts, status);
		return false;
	}
	return true;
}

static void cleanup(void)
{
	if (testd_pid > 0) {
		kill(testd_pid, SIGTERM);
		waitpid(testd_pid, NULL, 0);
	}
	unlink(portfile);
	unlink(keyfile);
	rmdir(dir);
}

int main(int argc, char **argv)
{
	static char host_text[HOSTS][32];
	char *hosts[HOSTS];
	unsigned int ports[HOSTS];
	struct cost one[ROUNDS], many[ROUNDS];
	double ratio[ROUNDS], w1[ROUNDS], wn[ROUNDS], c1[ROUNDS], cn[ROUNDS];
	double load[3] = { -1, -1, -1 };
	cpu_set_t set;
	struct cost warm;
	int r, ret = 1;
	size_t i;

	if (argc != 2 || sodium_init() < 0) {
		fprintf(stderr, "usage: bench-send BUILD_DIR\n");
		return 2;
	}
	snprintf(ctl, sizeof(ctl), "%s/sysrqctl", argv[1]);
	snprintf(testd, sizeof(testd), "%s/sysrq-testd", argv[1]);
	/* The machine's and the user's hosts files have no say here. */
	setenv("SYSRQCTL_HOSTS", "", 1);
	setenv("SYSRQCTL_USER_HOSTS", "", 1);
	if (!mkdtemp(dir)) {
		perror("bench-send: mkdtemp");
		return 1;
	}
	snprintf(keyfile, sizeof(keyfile), "%s/key", dir);
	snprintf(portfile, sizeof(portfile), "%s/ports", dir);
	atexit(cleanup);
	CPU_ZERO(&set);
	sched_getaffinity(0, sizeof(set), &set);
	getloadavg(load, 3);
	printf("\nP5: sysrqctl send h to %d hosts vs 1 host, loopback, one "
	       "sysrq-testd\nholding %d ports; %d rounds, the two runs "
	       "alternating in each\n",
	       HOSTS, HOSTS, ROUNDS);
	printf("machine: %ld CPUs online, %d usable here; load average %.2f "
	       "%.2f %.2f\n(client and server share these CPUs with "
	       "others' work)\n",
	       sysconf(_SC_NPROCESSORS_ONLN), CPU_COUNT(&set), load[0], load[1],
	       load[2]);
	if (write_key() < 0 || start_testd(ports) < 0)
		return 1;
	for (i = 0; i < HOSTS; i++) {
		snprintf(host_text[i], sizeof(host_text[i]), "127.0.0.1:%u",
			 ports[i]);
		hosts[i] = host_text[i];
	}
	/* Warm up page cache and the server, once each way. */
	if (!send_once(hosts, 1, &warm) || !send_once(hosts, HOSTS, &warm))
		return 1;
	for (r = 0; r < ROUNDS; r++) {
		bool ok;

		if (r % 2)
			ok = send_once(hosts, HOSTS, &many[r]) &&
			     send_once(hosts, 1, &one[r]);
		else
			ok = send_once(hosts, 1, &one[r]) &&
			     send_once(hosts, HOSTS, &many[r]);
		if (!ok)
			return 1;
		ratio[r] = many[r].wall / one[r].wall;
		w1[r] = one[r].wall;
		wn[r] = many[r].wall;
		c1[r] = one[r].cpu;
		cn[r] = many[r].cpu;
	}
	printf("  1 host:     wall %7.2f ms, client CPU %7.2f ms (medians)\n",
	       median(w1, ROUNDS) * 1e3, median(c1, ROUNDS) * 1e3);
	printf("  %d hosts:  wall %7.2f ms, client CPU %7.2f ms (medians)\n",
	       HOSTS, median(wn, ROUNDS) * 1e3, median(cn, ROUNDS) * 1e3);
	printf("  wall ratio %d hosts / 1 host: %.2fx (median of per-round "
	       "ratios; target <= %.0fx: %s)\n",
	       HOSTS, median(ratio, ROUNDS), TARGET,
	       median(ratio, ROUNDS) <= TARGET ? "met" : "NOT met");
	printf("  client CPU per host: %.1f us (%d hosts' CPU / %d); "
	       "marginal %.1f us\n  ((CPU for %d hosts - CPU for 1) / %d)\n",
	       median(cn, ROUNDS) / HOSTS * 1e6, HOSTS, HOSTS,
	       (median(cn, ROUNDS) - median(c1, ROUNDS)) / (HOSTS - 1) * 1e6,
	       HOSTS, HOSTS - 1);
	ret = 0;
	return ret;
}
