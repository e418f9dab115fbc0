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

# Messages: a value of the wrong kind is a located error that says what the
# option takes, and no message shows the grammar's internal token names.
gr_msg() { # WHAT RULE MESSAGE
	gr_nft -c -f - <<EOR
table inet t { chain input { type filter hook input priority 0; }; }
add rule inet t input $2
EOR
	if grep -q -F "Error: $3" "$tmp/gr.err" && grep -q '^ *\^\^*$' "$tmp/gr.err" &&
		! grep -q -e 'unexpected sysrq' -e 'sysrq counter' -e 'SYSRQ_' -e 'syntax error' "$tmp/gr.err"; then
		ok "message: $1: $3"
	else
		fail "message: $1: expected '$3'"
		sed 's/^/#   /' "$tmp/gr.err" | head -n 3
	fi
}
gr_msg "tolerance abc" 'sysrq tolerance abc' \
	"sysrq tolerance must be a time such as 30s or 1m, or a number of seconds, from 15s to 300s"
gr_msg "tolerance \"30s\"" 'sysrq tolerance "30s"' \
	"sysrq tolerance must be a time such as 30s or 1m, or a number of seconds, from 15s to 300s"
gr_msg "output abc" 'sysrq output abc' "sysrq output must be a number of bytes from 0 to 1048576"
gr_msg "key-id 0123 (a number)" 'sysrq key-id 0123' "sysrq key-id must be 16 hex digits"
gr_msg "key-id \"0123\"" 'sysrq key-id "0123"' "sysrq key-id must be 16 hex digits"
gr_msg "allow 5 (a number)" 'sysrq allow 5' \
	"sysrq allow must be a string of sysrq keys: quote keys that start with a digit"
gr_msg "name 123 (a number)" 'sysrq name 123' "sysrq name must be a string: quote a name that starts with a digit"
gr_msg "key-file 12 (a number)" 'sysrq key-file 12' "sysrq key-file must be an absolute path in quotes"
gr_msg "an unknown option" 'sysrq name "ops" frobnicate' \
	'unknown sysrq option "frobnicate": expected name, key-file, allow, tolerance or output'
# an unquoted key id that starts with a digit (16 hex digits) is a key id
gr_nft -c -f - <<'EOR'
table inet t { chain input { type filter hook input priority 0; }; }
add rule inet t input sysrq name "ops" key-id 0123456789abcdef
add rule inet t input sysrq name "ops" key-id 0123456789012345
EOR
check "key-id 0123456789abcdef and 0123456789012345 unquoted are key ids (the key-id-without-key-file warning, no parse error)" \
	bash -c '[ "$(grep -c "Warning: sysrq key-id without key-file" "$1")" -eq 2 ] && ! grep -q "syntax error\|must be 16 hex" "$1"' _ "$tmp/gr.err"

# allow is a set of keys: nft sends it the way the kernel lists it (in the
# order 0-9 a-z, each key once), so that what it sends is what it lists.
gr_nft --debug=netlink -c -f - <<'EOR'
table inet t { chain input { type filter hook input priority 0; }; }
add rule inet t input sysrq allow "zsubbs0"
EOR
check "allow \"zsubbs0\" is sent as the kernel lists it: 0bsuz" grep -q '\[ sysrq allow 0bsuz \]' "$tmp/gr.out"

# define variables for name, key-file and allow: the parser puts in their
# strings, so the rule is sent as if written out; an unknown variable, or
# one whose value is no string, is a located error.
printf '%s\n' "$(head -c 32 /dev/urandom | base64 -w0)" >"$tmp/gr.key"
chmod 600 "$tmp/gr.key"
gr_nft --debug=netlink -c -f - <<EOR
define kf = "$tmp/gr.key"
define keys = "sub"
define nm = ops
define kf2 = \$kf
define five = 5
table inet t { chain input { type filter hook input priority 0; }; }
add rule inet t input udp dport 9 sysrq name \$nm key-file \$kf allow \$keys
add rule inet t input udp dport 9 sysrq key-file \$kf2
add rule inet t input udp dport 9 sysrq allow \$five
EOR
check "define: sysrq name \$nm key-file \$kf allow \$keys is sent as name ops, allow bsu, the key file in the user data; \$kf2 = \$kf too; define five = 5 is the text 5 (allow \"5\")" \
	bash -c 'grep -q "\[ sysrq name ops\( armed\)\? allow bsu \]" "$1" && grep -q "\[ sysrq allow 5 \]" "$1" &&
		[ "$(grep -c "userdata = { .*$2" "$1")" -eq 2 ] &&
		! grep -q -e "syntax error" -e "unknown identifier" -e "not a string" "$3"' _ "$tmp/gr.out" "$tmp/gr.key" "$tmp/gr.err"
gr_var_err() { # WHAT DEFINES RULE MESSAGE
	gr_nft -c -f - <<EOR
$2
table inet t { chain input { type filter hook input priority 0; }; }
add rule inet t input $3
EOR
	if grep -q -F "Error: $4" "$tmp/gr.err" && grep -q '^ *\^\^*$' "$tmp/gr.err" &&
		! grep -q -e 'SYSRQ_' -e 'syntax error' "$tmp/gr.err"; then
		ok "define: $1: $4"
	else
		fail "define: $1: expected '$4'"
		sed 's/^/#   /' "$tmp/gr.err" | head -n 3
	fi
}
gr_var_err "an unknown variable" '' 'sysrq key-file $nokf' "unknown identifier 'nokf'"
gr_var_err "a set for key-file" 'define s = { "a", "b" }' 'sysrq key-file $s' 'sysrq option value $s is not a string'
gr_var_err "a relative path through a variable" 'define kf = "rel.key"' 'sysrq key-file $kf' 'sysrq key-file must be an absolute path'
