# Shared helpers for tests/*/run suites (bash). Source it, then call
# ok/fail/skip per check and finish with `summary`.
# shellcheck shell=bash
T_PASS=0 T_FAIL=0 T_SKIP=0

# sysrqctl send, reboot and poweroff read this machine's and the user's
# hosts files; what they say must not change any suite's outcome (empty:
# no file). tests/client sets its own where it tests them.
export SYSRQCTL_HOSTS= SYSRQCTL_USER_HOSTS=

ok()   { T_PASS=$((T_PASS + 1)); echo "ok - $*"; }
fail() { T_FAIL=$((T_FAIL + 1)); echo "FAIL - $*"; }
skip() { T_SKIP=$((T_SKIP + 1)); echo "skip - $*"; }

# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}

# absorb FILE: add the "N passed, N failed[, N skipped]" line of a
# sub-program's output to this suite's counts; a missing line is a failure.
absorb() {
	local line p f s
	line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$1" | tail -n 1)
	if [ -z "$line" ]; then
		fail "$1: no closing 'N passed, N failed' line"
		return
	fi
	p=$(sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed.*/\2/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	s=0
	[[ $line == *skipped* ]] && s=$(sed -E 's/.* ([0-9]+) skipped$/\1/' <<<"$line")
	T_PASS=$((T_PASS + p)) T_FAIL=$((T_FAIL + f)) T_SKIP=$((T_SKIP + s))
}

# wait_until SECONDS CMD...: poll CMD until it succeeds, for at most
# SECONDS (1 when they pass); WAITED is how long it took, in whole seconds.
# A condition, never a fixed sleep, decides; the bounds callers give are
# generous: CI runs two software-emulated guests on two cores.
wait_until() {
	local start=$SECONDS end=$((SECONDS + $1))
	shift
	until "$@"; do
		if [ "$SECONDS" -ge "$end" ]; then
			WAITED=$((SECONDS - start))
			return 1
		fi
		sleep 0.1
	done
	WAITED=$((SECONDS - start))
}

summary() {
	if [ "$T_SKIP" -gt 0 ]; then
		echo "$T_PASS passed, $T_FAIL failed, $T_SKIP skipped"
	else
		echo "$T_PASS passed, $T_FAIL failed"
	fi
	[ "$T_FAIL" -eq 0 ]
}
