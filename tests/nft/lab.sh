# tests/nft/lab.sh, sourced by tests/nft/run: the patched nft against a
# kernel with nft_sysrq, in a QEMU lab guest of our own (tests/lab/lab).
# Uses $NFT, $PFX, $T, $tmp, $log; sets LAB_NAME (run's cleanup stops it).
# shellcheck shell=bash disable=SC2154,SC2016 # variables of run; bash -c scripts

L=tests/lab/lab
G=/usr/local/sbin/nft-sysrq # the patched nft in the guest (mkinitramfs)

lab_skip() {
	skip "lab: sysrq.t in a kernel, text and JSON ($1)"
	skip "lab: tests/shell case and end-to-end scenarios ($1)"
}
# What should work and did not: a failure, never a skip.
lab_fail() {
	fail "lab: sysrq.t in a kernel, text and JSON ($1)"
	fail "lab: tests/shell case and end-to-end scenarios ($1)"
}

lab_ready() {
	command -v qemu-system-x86_64 >/dev/null || { lab_skip "no qemu-system-x86_64"; return 1; }
	if ! nice make -s module >"$log/module.log" 2>&1; then
		lab_fail "make module failed: $(tail -n 1 "$log/module.log")"
		return 1
	fi
	if ! nice make -s build/sysrqctl >"$log/sysrqctl.log" 2>&1; then
		lab_fail "building sysrqctl failed: $(tail -n 1 "$log/sysrqctl.log")"
		return 1
	fi
	export LAB_NAME=nft-test-$$
	if ! nice $L up >"$log/lab-up.log" 2>&1; then
		lab_fail "lab up failed: $(tail -n 1 "$log/lab-up.log")"
		unset LAB_NAME
		return 1
	fi
	echo "# $(grep '^lab: guest' "$log/lab-up.log")"
	# The patched libraries where the guest's wrapper looks first (the
	# initramfs may carry them only under build paths the guest lacks).
	local lib
	for lib in libnftables.so.1 libnftnl.so.11; do
		$L put "$PFX/lib/$lib" "/usr/local/lib/nft-sysrq/$lib" >/dev/null || return 1
	done
	if ! $L exec "$G --version" >/dev/null 2>&1 ||
		! $L exec 'grep -q "^nft_sysrq " /proc/modules || modprobe nft_sysrq' >/dev/null 2>&1; then
		lab_fail "no patched nft or no nft_sysrq module in the guest"
		return 1
	fi
}

lab_tpy() {
	tests/nft/tpy guest-script "$T" "$G" >"$tmp/tpy.sh"
	$L put "$tmp/tpy.sh" /tmp/tpy.sh >/dev/null
	$L exec -t 600 'sh /tmp/tpy.sh' >"$log/tpy-guest.out" 2>&1
	tests/nft/tpy guest-check "$T" "$log/tpy-guest.out" >"$log/tpy-check.out" 2>&1
	grep -v -e '^ok' -e ' passed, ' "$log/tpy-check.out" | head -n 20
	absorb "$log/tpy-check.out"
	echo "# sysrq.t in the guest's kernel: $(tail -n 1 "$log/tpy-check.out") (ip, ip6, inet; text and JSON; $log/tpy-check.out)"
}

lab_shell_case() {
	local sh=build/userspace-src/nftables/tests/shell/testcases/sysrq/0001sysrq_0
	$L put "$sh" /tmp/0001sysrq_0 >/dev/null
	if $L exec -t 120 "NFT=$G sh /tmp/0001sysrq_0" >"$log/shell-case.out" 2>&1; then
		ok "lab: tests/shell/testcases/sysrq/0001sysrq_0 passes (busybox sh, NFT=nft-sysrq)"
	else
		fail "lab: tests/shell/testcases/sysrq/0001sysrq_0: $(tail -n 1 "$log/shell-case.out")"
	fi
}

# ge RULESET_FILE: load it into the guest with the patched nft (-f).
ge_load() { $L exec -i "$G flush ruleset && $G -f -" <"$1"; }

# send KEYFILE KEYS: sysrqctl send from the host to the guest's port 9.
send() {
	build/sysrqctl send -k "$1" -W 20 -i 0.2 "127.0.0.1:$($L port)" "$2" 2>&1
}

lab_e2e() {
	local key=$tmp/ops.key other=$tmp/other.key key2=$tmp/ops2.key kid keytext keyhex out
	build/sysrqctl genkey --out "$key" >/dev/null 2>&1 ||
		{ head -c 32 /dev/urandom | base64 -w0; echo; } >"$key"
	build/sysrqctl genkey --out "$other" >/dev/null 2>&1 ||
		{ head -c 32 /dev/urandom | base64 -w0; echo; } >"$other"
	build/sysrqctl genkey --out "$key2" >/dev/null 2>&1 ||
		{ head -c 32 /dev/urandom | base64 -w0; echo; } >"$key2"
	chmod 600 "$key" "$other" "$key2"
	kid=$(build/sysrqctl key-id "$key")
	keytext=$(head -n 1 "$key")
	keyhex=$(base64 -d <"$key" | od -An -tx1 -N16 | tr -d ' \n')
	$L exec 'mkdir -p /etc/nft_sysrq' >/dev/null
	$L put "$key" /etc/nft_sysrq/ops.key >/dev/null &&
		$L put "$key2" /etc/nft_sysrq/ops2.key >/dev/null &&
		$L exec 'chmod 600 /etc/nft_sysrq/ops.key /etc/nft_sysrq/ops2.key' >/dev/null
	# '5' (console loglevel) is harmless to run in the guest
	cat >"$tmp/e2e.nft" <<'EOF'
table inet filter {
	chain input {
		type filter hook input priority filter; policy accept;
		udp dport 9 sysrq name "ops" key-file "/etc/nft_sysrq/ops.key" allow "5" tolerance 30s
		udp dport 9 sysrq name "ops2" key-file "/etc/nft_sysrq/ops2.key" allow "5" tolerance 1m
		udp dport 9 sysrq
	}
}
EOF
	if ! ge_load "$tmp/e2e.nft" >"$tmp/load.err" 2>&1; then
		fail "lab e2e: nft -f with a key file: $(head -n 1 "$tmp/load.err")"
		return
	fi
	ok "lab e2e: nft -f loads a ruleset with key-file into the kernel"

	out=$(send "$key" 5)
	check "lab e2e: sysrqctl send from the host is executed (got: $out)" \
		grep -q ' 5 executed$' <<<"$out"
	out=$(send "$key" b)
	check "lab e2e: a key outside allow is refused (got: $out)" \
		grep -q ' b refused$' <<<"$out"
	out=$(send "$key2" 5)
	check "lab e2e: the second rule's key (another key file) is executed too (got: $out)" \
		grep -q ' 5 executed$' <<<"$out"
	out=$(send "$other" 5)
	check "lab e2e: another key gets no answer (got: $out)" \
		bash -c '! grep -q "executed" <<<"$1"' _ "$out"

	$L exec "$G list ruleset" >"$tmp/list" 2>&1
	$L exec "$G -j list ruleset" >"$tmp/list.json" 2>&1
	check "lab e2e: nft list shows name, key-file, key id (= sysrqctl key-id $kid), allow and counters (other-key counts the other key's requests)" \
		grep -q "sysrq name \"ops\" key-file \"/etc/nft_sysrq/ops.key\" key-id \"$kid\" allow \"5\" tolerance 30s malformed 0 other-key [1-9][0-9]* stale 0 bad-mac 0 duplicate [0-9]* replay 0 refused 1 accepted 1$" "$tmp/list"
	check "lab e2e: the second rule lists its own key file and key id ($(build/sysrqctl key-id "$key2"))" \
		grep -q "sysrq name \"ops2\" key-file \"/etc/nft_sysrq/ops2.key\" key-id \"$(build/sysrqctl key-id "$key2")\" allow \"5\" tolerance 1m .* accepted 1$" "$tmp/list"
	check "lab e2e: the bare rule lists unarmed (no key id)" \
		grep -q 'udp dport 9 sysrq name "default" tolerance 30s malformed' "$tmp/list"
	check "lab e2e: the key is in neither nft list nor nft -j list" \
		bash -c '! grep -q -i -e "$1" -e "$2" "$3" "$4"' _ "$keytext" "$keyhex" "$tmp/list" "$tmp/list.json"
	check "lab e2e: nft -j list has key-id, key-file and counters" \
		python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = [e["sysrq"] for o in d["nftables"] if "rule" in o for e in o["rule"]["expr"] if "sysrq" in e]
a = s[0]
assert a["key-id"] == sys.argv[2] and a["key-file"] == "/etc/nft_sysrq/ops.key"
assert a["counters"]["accepted"] == 1 and a["counters"]["refused"] == 1
assert "key-id" not in s[-1] and len(s) == 3' "$tmp/list.json" "$kid"

	# list -> flush -> load the listing: the same rules, armed again
	$L exec "$G -s list ruleset" >"$tmp/before"
	$L exec "$G list ruleset >/tmp/listed && $G flush ruleset && $G -f /tmp/listed" >"$tmp/rt.err" 2>&1
	$L exec "$G -s list ruleset" >"$tmp/after"
	check "lab e2e: list -> flush -> load gives the same ruleset" cmp -s "$tmp/before" "$tmp/after"
	out=$(send "$key" 5)
	check "lab e2e: after the text round trip sysrqctl send is executed (got: $out)" \
		grep -q ' 5 executed$' <<<"$out"

	$L exec "$G -j list ruleset >/tmp/listed.json && $G flush ruleset && $G -j -f /tmp/listed.json" >"$tmp/rtj.err" 2>&1
	$L exec "$G -s list ruleset" >"$tmp/after.json"
	check "lab e2e: nft -j list -> flush -> nft -j -f gives the same ruleset" \
		cmp -s "$tmp/before" "$tmp/after.json"
	out=$(send "$key" 5)
	check "lab e2e: after the JSON round trip sysrqctl send is executed (got: $out)" \
		grep -q ' 5 executed$' <<<"$out"

	# sysrqctl set-secret re-keys the rule nft armed from the key file
	local kid2
	kid2=$(build/sysrqctl key-id "$other")
	$L put "$other" /tmp/other.key >/dev/null
	$L exec 'chmod 600 /tmp/other.key && sysrqctl set-secret -n ops /tmp/other.key' >"$tmp/set.out" 2>&1
	$L exec "$G list ruleset" >"$tmp/rekeyed"
	# sysrqctl drops nft's key-file record when it re-keys: the file no
	# longer holds the rule's key, so a saved listing must not re-arm it.
	check "lab e2e: after sysrqctl set-secret the listing shows the new key id $kid2 and no key-file" \
		grep -q "sysrq name \"ops\" key-id \"$kid2\"" "$tmp/rekeyed"
	out=$(send "$other" 5)
	check "lab e2e: the new key is armed (got: $out)" grep -q ' 5 executed$' <<<"$out"
	$L exec "$G list ruleset >/tmp/rekeyed && $G flush ruleset && $G -f /tmp/rekeyed" >"$tmp/rekeyed.err" 2>&1
	check "lab e2e: loading that listing warns that the rule comes back unarmed" \
		grep -q "sysrq key-id without key-file: the rule is loaded unarmed" "$tmp/rekeyed.err"
	out=$(send "$key" 5)
	check "lab e2e: the old key file's key is not armed again (got: $out)" \
		grep -q ' 5 no answer' <<<"$out"

	# the distribution's nft lists around a rule it cannot decode
	check "lab e2e: the stock nft still lists the ruleset (skipping sysrq rules)" \
		$L exec 'nft list ruleset >/dev/null && nft -j list ruleset >/dev/null'
	$L exec "$G flush ruleset" >/dev/null 2>&1
}

if [ -f "$T" ] && lab_ready; then
	t0=$SECONDS
	lab_tpy
	lab_shell_case
	lab_e2e
	echo "# lab checks took $((SECONDS - t0))s"
elif [ ! -f "$T" ]; then
	lab_skip "$T missing: make userspace"
fi
