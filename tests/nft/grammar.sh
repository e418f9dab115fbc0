# tests/nft/grammar.sh, sourced by tests/nft/run: the sysrq statement's
# words in nft's grammar, in the network namespace $ns (no kernel module
# needed: rules without a sysrq statement load into the namespace's
# kernel; with one, --check stops at the kernel, which has no nft_sysrq
# here, after nft parsed and evaluated it). Uses $NFT, $ns, $tmp.
# shellcheck shell=bash disable=SC2154,SC2016 # variables of run; bash -c scripts

# gr_nft ARGS...: nft ARGS in $ns, stdin the ruleset; $tmp/gr.out, $tmp/gr.err
gr_nft() {
	timeout 20 ip netns exec "$ns" "$NFT" "$@" >"$tmp/gr.out" 2>"$tmp/gr.err"
}

# "sysrq" is a keyword where a statement may start, and a name elsewhere:
# a table, a chain and a jump target may be called sysrq, and such a
# ruleset lists and loads back.
gr_nft -f - <<'EOR'
table inet sysrq {
	chain sysrq {
		udp dport 9 accept
	}
	chain input {
		type filter hook input priority filter; policy accept;
		jump sysrq
		ip saddr 192.0.2.1 jump sysrq
	}
}
add rule inet sysrq sysrq tcp dport 22 counter
add chain inet sysrq other
add rule inet sysrq other goto sysrq
EOR
rc=$?
gr_nft list ruleset
cp "$tmp/gr.out" "$tmp/gr.list"
check "table inet sysrq, chain sysrq, jump/goto sysrq and add rule inet sysrq sysrq ... load (rc $rc$(head -n 1 "$tmp/gr.err" | sed 's/^/: /'))" \
	bash -c '[ "$1" -eq 0 ] && grep -q "^table inet sysrq {" "$2" && grep -q "^	chain sysrq {" "$2" &&
		grep -q "^		jump sysrq$" "$2" && grep -q "^		goto sysrq$" "$2" &&
		grep -q "^		tcp dport 22 counter packets 0 bytes 0$" "$2"' _ "$rc" "$tmp/gr.list"
gr_nft -s list ruleset
cp "$tmp/gr.out" "$tmp/gr.before"
gr_nft flush ruleset
gr_nft -f "$tmp/gr.list"
rc=$?
gr_nft -s list ruleset
check "that ruleset's listing loads back to the same ruleset" \
	bash -c '[ "$1" -eq 0 ] && cmp -s "$2" "$3"' _ "$rc" "$tmp/gr.before" "$tmp/gr.out"
gr_nft list chain inet sysrq sysrq
check "list chain inet sysrq sysrq" grep -q "udp dport 9 accept" "$tmp/gr.out"
# the statement right after a chain named sysrq, in a chain named sysrq
gr_nft --debug=netlink -c -f - <<'EOR'
add rule inet sysrq sysrq udp dport 9 sysrq name "ops" allow "b"
EOR
check "add rule inet sysrq sysrq udp dport 9 sysrq name ...: the chain name, then the statement" \
	bash -c '! grep -q "syntax error" "$1" && grep -q "\[ sysrq name ops allow b \]" "$2"' _ "$tmp/gr.err" "$tmp/gr.out"
gr_nft flush ruleset
