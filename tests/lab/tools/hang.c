// SPDX-License-Identifier: GPL-2.0
/*
 * hang: the ways a box dies, for the lab guest only (tests/rescue).
 *
 *   hang rt PRIO     one SCHED_FIFO busy loop pinned to each online CPU
 *   hang hog N       N memory hogs, each respawned when the OOM killer
 *                    takes it: an endless OOM storm
 *   hang pidwatch    say once when the tasks fill the pid space
 *   hang netwatch S  for S seconds, at SCHED_FIFO 99, log every second
 *                    each CPU's NET_RX softirq count and ksoftirqd state
 *
 * Each mode writes its markers to /dev/kmsg, so the host reads them on
 * the console. rt and hog never return: the guest's reset (or QEMU being
 * stopped) ends them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void kmsg(const char *msg)
{
	int fd = open("/dev/kmsg", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, msg, strlen(msg)) < 0)
			perror("hang: /dev/kmsg");
		close(fd);
	}
}

static void spin_on(int cpu, int prio)
{
	struct sched_param sp = { .sched_priority = prio };
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) ||
	    sched_setscheduler(0, SCHED_FIFO, &sp)) {
		perror("hang rt");
		_exit(1);
	}
	for (;;)
		__asm__ volatile("" ::: "memory");
}

static int hang_rt(int prio)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	char msg[80];
	int cpu;

	snprintf(msg, sizeof(msg),
		 "hang: SCHED_FIFO %d busy loop on %ld CPUs\n", prio, cpus);
	kmsg(msg);
	for (cpu = 1; cpu < cpus; cpu++)
		if (fork() == 0)
			spin_on(cpu, prio);
	spin_on(0, prio);
	return 0;
}

/* Touch memory until the OOM killer takes us. */
static void hog(void)
{
	const size_t chunk = 4 << 20;

	for (;;) {
		char *p = mmap(NULL, chunk, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			continue;
		memset(p, 0x5a, chunk);
	}
}

static void set_oom_score_adj(const char *v)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY);

	if (fd < 0 || write(fd, v, strlen(v)) != (ssize_t)strlen(v))
		perror("hang hog: oom_score_adj");
	if (fd >= 0)
		close(fd);
}

static void spawn_hog(void)
{
	if (fork() == 0) {
		/* Back to 0 from the parent's -1000: the killer's choice. */
		set_oom_score_adj("0");
		hog();
	}
}

static int hang_hog(int n)
{
	int i;

	/* The parent is spared by the OOM killer, so the storm never ends. */
	set_oom_score_adj("-1000");
	kmsg("hang: memory hogs respawning\n");
	for (i = 0; i < n; i++)
		spawn_hog();
	for (;;) {
		if (wait(NULL) < 0 && errno == ECHILD)
			sleep(1);
		spawn_hog();
	}
	return 0;
}

/* The tasks the kernel counts, from /proc/loadavg ("0.00 0.00 0.00 1/57 99"). */
static long nr_tasks(void)
{
	long running, total;
	FILE *f = fopen("/proc/loadavg", "r");

	if (!f)
		return -1;
	if (fscanf(f, "%*s %*s %*s %ld/%ld", &running, &total) != 2)
		total = -1;
	fclose(f);
	return total;
}

static long read_long(const char *path)
{
	long v = -1;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/*
 * Full: within 10% of pid_max less the 300 pids the kernel keeps for
 * itself. Polls (no fork: that would take a pid) every 100 ms.
 */
static int hang_pidwatch(void)
{
	long max = read_long("/proc/sys/kernel/pid_max"), n;
	char msg[80];

	for (;;) {
		n = nr_tasks();
		if (max > 0 && n >= (max - 300) * 9 / 10) {
			snprintf(msg, sizeof(msg),
				 "hang: pid space full: %ld tasks, pid_max "
				 "%ld\n",
				 n, max);
			kmsg(msg);
			return 0;
		}
		usleep(100000);
	}
}

/* Each CPU's NET_RX count, from /proc/softirqs, into v (at most n). */
static int net_rx(long *v, int n)
{
	char line[1024], *p, *end;
	int i = 0;
	FILE *f = fopen("/proc/softirqs", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, "NET_RX:");
		if (!p)
			continue;
		p += 7;
		for (i = 0; i < n; i++) {
			v[i] = strtol(p, &end, 10);
			if (end == p)
				break;
			p = end;
		}
	}
	fclose(f);
	return i;
}

/* State letter of ksoftirqd/cpu from /proc/PID/stat, or '?'. */
static char ksoftirqd_state(int cpu)
{
	char want[32], path[300], comm[32], st = '?';
	struct dirent *d;
	DIR *dir = opendir("/proc");
	FILE *f;

	if (!dir)
		return st;
	snprintf(want, sizeof(want), "(ksoftirqd/%d)", cpu);
	while ((d = readdir(dir)) != NULL && st == '?') {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%*d %31s %c", comm, &st) != 2 ||
		    strcmp(comm, want) != 0)
			st = '?';
		fclose(f);
	}
	closedir(dir);
	return st;
}

static int hang_netwatch(int seconds)
{
	struct sched_param sp = { .sched_priority = 99 };
	long rx[8];
	char msg[256];
	int i, n, len;

	if (sched_setscheduler(0, SCHED_FIFO, &sp))
		perror("hang netwatch");
	while (seconds-- > 0) {
		n = net_rx(rx, 8);
		len = snprintf(msg, sizeof(msg), "hang: netwatch");
		for (i = 0; i < n && len < (int)sizeof(msg) - 40; i++)
			len += snprintf(msg + len, sizeof(msg) - len,
					" cpu%d NET_RX=%ld ksoftirqd=%c", i,
					rx[i], ksoftirqd_state(i));
		snprintf(msg + len, sizeof(msg) - len, "\n");
		kmsg(msg);
		sleep(1);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "rt"))
		return hang_rt(atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "hog"))
		return hang_hog(atoi(argv[2]));
	if (argc == 2 && !strcmp(argv[1], "pidwatch"))
		return hang_pidwatch();
	if (argc == 3 && !strcmp(argv[1], "netwatch"))
		return hang_netwatch(atoi(argv[2]));
	fprintf(stderr,
		"usage: hang rt PRIO | hog N | pidwatch | netwatch SECONDS\n");
	return 2;
}
