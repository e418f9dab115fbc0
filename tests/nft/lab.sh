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

# send KEYFILE KEYS: sysrqctl send (protocol v2) from the host to the
# guest's port 9: "HOST KEYS RESULT" (done, refused, no answer, ...) and
# the output the rule kept, if any.
send() {
	build/sysrqctl send -k "$1" -W 20 "127.0.0.1:$($L port)" "$2" 2>&1
}

# keyhex KEYFILE: the key's 32 bytes in hex
keyhex() { base64 -d <"$1" | od -An -tx1 | tr -d ' \n'; }

lab_e2e() {
	local key=$tmp/ops.key other=$tmp/other.key key2=$tmp/ops2.key diag=$tmp/diag.key
	local kid kiddiag keytext keyhex out f o
	for f in "$key" "$other" "$key2" "$diag"; do
		build/sysrqctl genkey --out "$f" >/dev/null 2>&1 ||
			{ head -c 32 /dev/urandom | base64 -w0; echo; } >"$f"
	done
	chmod 600 "$key" "$other" "$key2" "$diag"
	kid=$(build/sysrqctl key-id "$key")
	kiddiag=$(build/sysrqctl key-id "$diag")
	keytext=$(head -n 1 "$key")
	keyhex=$(base64 -d <"$key" | od -An -tx1 -N16 | tr -d ' \n')
	$L exec 'mkdir -p /etc/nft_sysrq' >/dev/null
	$L put "$key" /etc/nft_sysrq/ops.key >/dev/null &&
		$L put "$key2" /etc/nft_sysrq/ops2.key >/dev/null &&
		$L put "$diag" /etc/nft_sysrq/diag.key >/dev/null &&
		$L exec 'chmod 600 /etc/nft_sysrq/*.key' >/dev/null
	# '5' (console loglevel) and 'h' (help) are harmless to run in the guest
	cat >"$tmp/e2e.nft" <<'EOF'
table inet filter {
	chain input {
		type filter hook input priority filter; policy accept;
		udp dport 9 sysrq name "ops" key-file "/etc/nft_sysrq/ops.key" allow "5" tolerance 30s
		udp dport 9 sysrq name "ops2" key-file "/etc/nft_sysrq/ops2.key" allow "5" tolerance 1m
		udp dport 9 sysrq name "diag" key-file "/etc/nft_sysrq/diag.key" allow "h" output 4096
		udp dport 9 sysrq
	}
}
EOF
	$L put "$tmp/e2e.nft" /tmp/e2e.nft >/dev/null

	# The ruleset loads while a netlink tap (nlcap on an nlmon device)
	# captures the guest's netlink traffic, and the listing after it: the
	# tap sees the NEWRULEs with sealed keys and the dumped key ids, never
	# the 32 key bytes of any key file (nor either half of the first).
	o=$($L exec -t 120 "nlcap -t 60000 nlmon0 $(keyhex "$key") $(keyhex "$key2") $(keyhex "$diag") \
		$(keyhex "$key" | cut -c1-32) $(keyhex "$key" | cut -c33-64) $kid >/tmp/cap 2>&1 & p=\$!
		i=0; while ! grep -q capturing /tmp/cap && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i + 1)); done
		$G flush ruleset && $G -f /tmp/e2e.nft; rc=\$?
		$G list ruleset >/dev/null
		kill \$p; wait \$p; cat /tmp/cap; echo rc=\$rc" 2>&1)
	if ! grep -qx 'rc=0' <<<"$o"; then
		fail "lab e2e: nft -f with key files (under nlcap): $(grep -v '^nlcap' <<<"$o" | head -n 2 | tr '\n' ' ')"
		return
	fi
	ok "lab e2e: nft -f loads a ruleset with key-file into the kernel"
	check "lab e2e: a netlink tap saw the ruleset load ($(grep -o '[0-9]* messages, [0-9]* bytes, [0-9]* nf_tables NEWRULE, [0-9]* with a sysrq sealed key' <<<"$o")) and the dumped key id ($(grep 'needle 5' <<<"$o")), but none of the key files' 32 key bytes ($(grep 'needle [0-4]' <<<"$o" | tr '\n' ' '))" \
		bash -c 'grep -Eq "nlcap: [1-9][0-9]* messages, [1-9][0-9]* bytes, ([4-9]|[1-9][0-9]+) nf_tables NEWRULE, ([3-9]|[1-9][0-9]+) with a sysrq sealed key" <<<"$1" &&
			grep -Eq "^nlcap: needle 5: [1-9]" <<<"$1" &&
			[ "$(grep -Ec "^nlcap: needle [0-4]: 0 hits$" <<<"$1")" -eq 5 ]' _ "$o"

	out=$(send "$key" 5)
	check "lab e2e: sysrqctl send from the host is done (got: $out)" \
		grep -q ' 5 done$' <<<"$out"
	out=$(send "$key" b)
	check "lab e2e: a key outside allow is refused (got: $out)" \
		grep -q ' b refused$' <<<"$out"
	out=$(send "$key2" 5)
	check "lab e2e: the second rule's key (another key file) is done too (got: $out)" \
		grep -q ' 5 done$' <<<"$out"
	out=$(send "$other" 5)
	check "lab e2e: another key gets no answer (got: $(head -n 1 <<<"$out"))" \
		bash -c 'grep -q " no answer" <<<"$1" && ! grep -q " done" <<<"$1"' _ "$out"
	# output: the rule keeps up to 4096 bytes of what 'h' logs
	$L exec 'dmesg -n 1; echo 1 >/proc/sys/kernel/sysrq' >/dev/null 2>&1
	out=$(send "$diag" h)
	check "lab e2e: with output 4096, sysrqctl send ... h is done and returns the help text (got: $(head -n 2 <<<"$out" | tr '\n' ' '))" \
		bash -c 'grep -q " h done" <<<"$1" && grep -qi "help" <<<"$1" && grep -q "reboot(b)" <<<"$1"' _ "$out"
	out=$(send "$key" 5 2>&1)
	check "lab e2e: without output (the default) nothing but the result comes back (got: $(tr '\n' ' ' <<<"$out"))" \
		bash -c 'grep -q " 5 done$" <<<"$1" && [ "$(grep -cv "no output came back" <<<"$1")" -eq 1 ]' _ "$out"

	$L exec "$G list ruleset" >"$tmp/list" 2>&1
	$L exec "$G -j list ruleset" >"$tmp/list.json" 2>&1
	check "lab e2e: nft list shows name, key-file, key id (= sysrqctl key-id $kid), allow and the counters in the kernel's order (other-key counts the other key's requests)" \
		grep -q "sysrq name \"ops\" key-file \"/etc/nft_sysrq/ops.key\" key-id \"$kid\" allow \"5\" tolerance 30s malformed 0 other-key [1-9][0-9]* stale 0 bad-mac 0 duplicate [0-9]* replay 0 refused 1 accepted 2 time [0-9]* rate [0-9]* fetch [0-9]* ignored [0-9]*$" "$tmp/list"
	check "lab e2e: the second rule lists its own key file and key id ($(build/sysrqctl key-id "$key2"))" \
		grep -q "sysrq name \"ops2\" key-file \"/etc/nft_sysrq/ops2.key\" key-id \"$(build/sysrqctl key-id "$key2")\" allow \"5\" tolerance 1m .* accepted 1 time" "$tmp/list"
	check "lab e2e: the output 4096 rule lists back as such (and only it shows output)" \
		bash -c 'grep -q "sysrq name \"diag\" key-file \"/etc/nft_sysrq/diag.key\" key-id \"$1\" allow \"h\" tolerance 30s output 4096 malformed" "$2" &&
			[ "$(grep -c " output " "$2")" -eq 1 ]' _ "$kiddiag" "$tmp/list"
	check "lab e2e: the bare rule lists unarmed (no key id)" \
		grep -q 'udp dport 9 sysrq name "default" tolerance 30s malformed' "$tmp/list"
	check "lab e2e: the key is in neither nft list nor nft -j list" \
		bash -c '! grep -q -i -e "$1" -e "$2" "$3" "$4"' _ "$keytext" "$keyhex" "$tmp/list" "$tmp/list.json"
	check "lab e2e: nft -j list has key-id, key-file, output and the twelve counters" \
		python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = [e["sysrq"] for o in d["nftables"] if "rule" in o for e in o["rule"]["expr"] if "sysrq" in e]
a = s[0]
assert a["key-id"] == sys.argv[2] and a["key-file"] == "/etc/nft_sysrq/ops.key"
assert a["counters"]["accepted"] == 2 and a["counters"]["refused"] == 1
assert sorted(a["counters"]) == sorted(["malformed", "other-key", "stale", "bad-mac", "duplicate", "replay",
                                       "refused", "accepted", "time", "rate", "fetch", "ignored"]), list(a["counters"])
assert "output" not in a and s[2]["output"] == 4096 and s[2]["key-id"] == sys.argv[3]
assert "key-id" not in s[-1] and len(s) == 4' "$tmp/list.json" "$kid" "$kiddiag"

	# list -> flush -> load the listing: the same rules, armed again
	$L exec "$G -s list ruleset" >"$tmp/before"
	$L exec "$G list ruleset >/tmp/listed && $G flush ruleset && $G -f /tmp/listed" >"$tmp/rt.err" 2>&1
	$L exec "$G -s list ruleset" >"$tmp/after"
	check "lab e2e: list -> flush -> load gives the same ruleset" cmp -s "$tmp/before" "$tmp/after"
	# the counters too: the kernel restores them (no request in between)
	$L exec "cat /tmp/listed" >"$tmp/listed"
	$L exec "$G list ruleset" >"$tmp/after.full"
	check "lab e2e: list -> flush -> load keeps the sysrq counters (the listing loaded is the listing again)" \
		bash -c 'grep -q " accepted [1-9]" "$1" && cmp -s "$1" "$2"' _ "$tmp/listed" "$tmp/after.full"
	out=$(send "$key" 5)
	check "lab e2e: after the text round trip sysrqctl send is done (got: $out)" \
		grep -q ' 5 done$' <<<"$out"

	$L exec "$G list ruleset" >"$tmp/before.full"
	$L exec "$G -j list ruleset >/tmp/listed.json && $G flush ruleset && $G -j -f /tmp/listed.json" >"$tmp/rtj.err" 2>&1
	$L exec "$G -s list ruleset" >"$tmp/after.json"
	check "lab e2e: nft -j list -> flush -> nft -j -f gives the same ruleset" \
		cmp -s "$tmp/before" "$tmp/after.json"
	$L exec "$G list ruleset" >"$tmp/after.json.full"
	check "lab e2e: nft -j list -> flush -> nft -j -f keeps the sysrq counters" \
		bash -c 'grep -q " accepted [1-9]" "$1" && cmp -s "$1" "$2"' _ "$tmp/before.full" "$tmp/after.json.full"
	out=$(send "$key" 5)
	check "lab e2e: after the JSON round trip sysrqctl send is done (got: $out)" \
		grep -q ' 5 done$' <<<"$out"

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
	check "lab e2e: the new key is armed (got: $out)" grep -q ' 5 done$' <<<"$out"
	$L exec "$G list ruleset >/tmp/rekeyed && $G flush ruleset && $G -f /tmp/rekeyed" >"$tmp/rekeyed.err" 2>&1
	check "lab e2e: loading that listing warns that the rule comes back unarmed" \
		grep -q "sysrq key-id without key-file: the rule is loaded unarmed" "$tmp/rekeyed.err"
	out=$(send "$key" 5)
	# (v2: no rule holds the key, so not even the clock probe is answered)
	check "lab e2e: the old key file's key is not armed again (got: $(head -n 1 <<<"$out"))" \
		bash -c 'grep -q " no answer" <<<"$1" && ! grep -q " done" <<<"$1"' _ "$out"

	# Without the module loaded there is no public key to seal to: nft
	# warns and the ruleset still loads (the kernel loads the module for
	# the rules, which come in unarmed); loaded again, the rules are armed.
	# (rules are destroyed after the commit: the module may be busy a moment)
	if ! $L exec "$G flush ruleset && i=0 && until rmmod nft_sysrq 2>/tmp/rmmod.err; do
		i=\$((i + 1)); [ \$i -lt 50 ] || { cat /tmp/rmmod.err; exit 1; }; sleep 0.1; done &&
		! test -e /sys/kernel/nft_sysrq/public_key" >"$tmp/rmmod.err" 2>&1; then
		skip "lab e2e: ruleset loaded without the module (cannot unload nft_sysrq in the guest: $(head -n 1 "$tmp/rmmod.err"))"
	else
		$L exec "$G -f /tmp/e2e.nft; echo rc=\$?" >"$tmp/unloaded.out" 2>&1
		$L exec "$G list ruleset" >"$tmp/unloaded.list" 2>&1
		check "lab e2e: module not loaded: nft -f succeeds with a located warning per key file (modprobe nft_sysrq) and the rules load unarmed" \
			bash -c 'grep -qx "rc=0" "$1" &&
				[ "$(grep -c "Warning: sysrq key file /etc/nft_sysrq/[a-z0-9]*.key not used, the rule is loaded unarmed: the nft_sysrq module is not loaded .*modprobe nft_sysrq" "$1")" -eq 3 ] &&
				[ "$(grep -c "udp dport 9 sysrq" "$2")" -eq 4 ] && ! grep -q key-id "$2"' _ "$tmp/unloaded.out" "$tmp/unloaded.list"
		$L exec "$G flush ruleset && $G -f /tmp/e2e.nft && $G list ruleset" >"$tmp/reloaded.list" 2>&1
		out=$(send "$key" 5)
		check "lab e2e: loaded again with the module present, the rules are armed (got: $(head -n 1 <<<"$out"))" \
			bash -c 'grep -q "key-id \"$1\"" "$2" && grep -q " 5 done$" <<<"$3"' _ "$kid" "$tmp/reloaded.list" "$out"
	fi

	# A key file missing when the ruleset is loaded (a saved ruleset
	# restored at boot): the ruleset loads, that rule unarmed with a
	# located warning, the other rules armed and working.
	$L exec "mv /etc/nft_sysrq/ops2.key /tmp/ops2.key && $G flush ruleset && $G -f /tmp/e2e.nft; echo rc=\$?" \
		>"$tmp/nokey.out" 2>&1
	$L exec "$G list ruleset" >"$tmp/nokey.list" 2>&1
	out=$(send "$key" 5)
	check "lab e2e: a key file absent at load: nft -f rc 0 with one located warning, the rule listed unarmed (key-file, no key id), the other rules armed (got: $(head -n 1 <<<"$out"))" \
		bash -c 'grep -qx "rc=0" "$1" &&
			[ "$(grep -c "Warning: sysrq key file /etc/nft_sysrq/ops2.key not used, the rule is loaded unarmed: cannot read it: No such file or directory" "$1")" -eq 1 ] &&
			grep -q "^[[:space:]]*\^\^*$" "$1" &&
			grep -q "sysrq name \"ops2\" key-file \"/etc/nft_sysrq/ops2.key\" allow \"5\" tolerance 1m malformed" "$2" &&
			[ "$(grep -c "udp dport 9 sysrq" "$2")" -eq 4 ] && [ "$(grep -c key-id "$2")" -eq 2 ] &&
			grep -q " 5 done$" <<<"$3"' _ "$tmp/nokey.out" "$tmp/nokey.list" "$out"
	$L exec "mv /tmp/ops2.key /etc/nft_sysrq/ops2.key" >/dev/null 2>&1

	# the distribution's nft lists around a rule it cannot decode
	check "lab e2e: the stock nft still lists the ruleset (skipping sysrq rules)" \
		$L exec 'nft list ruleset >/dev/null && nft -j list ruleset >/dev/null'
	$L exec "$G flush ruleset" >/dev/null 2>&1
}

if [ -n "${NFT_SKIP_LAB:-}" ]; then
	lab_skip "NFT_SKIP_LAB is set"
elif [ -f "$T" ] && lab_ready; then
	t0=$SECONDS
	lab_tpy
	lab_shell_case
	lab_e2e
	echo "# lab checks took $((SECONDS - t0))s"
elif [ ! -f "$T" ]; then
	lab_skip "$T missing: make userspace"
fi
