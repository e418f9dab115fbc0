# tests/nft/keyfile.sh, sourced by tests/nft/run: key files as nft reads
# them, in the network namespace $ns (no kernel module needed: --check and
# --debug=netlink show the message nft builds; errors come before the
# kernel). nft seals the key to the module's public key
# (/sys/kernel/nft_sysrq/public_key); without the module (this host) there
# is none, so nft warns and builds the rule unarmed: that path is what is
# checked here (sealing: seal-check against the vectors; armed rules: the
# lab). Uses $NFT, $ns, $tmp.
# shellcheck shell=bash disable=SC2154,SC2016 # variables of run; bash -c scripts

kf_setup='table inet t { chain input { type filter hook input priority 0; }; }'

# kf_load RULE [JSON]: nft --check --debug=netlink on the rule; output in
# $tmp/kf.out and $tmp/kf.err, returns nft's status.
kf_load() {
	timeout 20 ip netns exec "$ns" "$NFT" --debug=netlink -c -f - >"$tmp/kf.out" 2>"$tmp/kf.err" <<EOF
$kf_setup
add rule inet t input $1
EOF
}

# key material of a test key: base64 text and hex of its first 16 bytes
key=$(head -c 32 /dev/urandom | base64 -w0)
keyhex=$(printf '%s' "$key" | base64 -d | od -An -tx1 -N16 | tr -d ' \n')
printf '%s\n' "$key" >"$tmp/good.key"
printf '%s' "$key" >"$tmp/nonl.key"
chmod 600 "$tmp"/*.key

no_key_in() { ! grep -q -i -e "$key" -e "$keyhex" "$@"; }

# With the module loaded on this machine a good key file arms the rule
# (" armed" in the payload); without, nft says so and builds it unarmed.
PUB=/sys/kernel/nft_sysrq/public_key
if [ -e "$PUB" ]; then
	ARMED=" armed"
	echo "# $PUB exists here (module loaded): key files arm the rules"
else
	ARMED=
fi
# unloaded KEYFILE ERRFILE: no public key: nft's located warning that the
# rule is loaded unarmed and what to do (nothing when the module is loaded)
unloaded() {
	[ -n "$ARMED" ] && return 0
	grep -q "Warning: sysrq key file $1 not used, the rule is loaded unarmed: the nft_sysrq module is not loaded (no $PUB to seal the key to): run 'modprobe nft_sysrq' and load the ruleset again (at boot: load the module before nftables.service)" "$2" &&
		grep -q '^ *\^\^*$' "$2"
}

if kf_load "udp dport 9 sysrq name \"ops\" key-file \"$tmp/good.key\"" ||
	grep -q 'Could not process rule' "$tmp/kf.err"; then
	# evaluated and built; only the kernel (no module here) refused it
	if grep -q "\[ sysrq name ops$ARMED \]" "$tmp/kf.out" &&
		grep -q "userdata = { .*$tmp/good.key" "$tmp/kf.out" &&
		unloaded "$tmp/good.key" "$tmp/kf.err" &&
		no_key_in "$tmp/kf.out" "$tmp/kf.err"; then
		ok "key-file: the key file is read, its name is in the rule's user data, the key in no output; ${ARMED:+armed}${ARMED:-no module here: a located warning (modprobe nft_sysrq), the rule sent unarmed, not refused}"
	else
		fail "key-file: expression${ARMED}, warning and user data"
		sed 's/^/#   /' "$tmp/kf.out" "$tmp/kf.err" | head -n 12
	fi
else
	fail "key-file: a good key file refused: $(head -n 1 "$tmp/kf.err")"
fi

kf_load "sysrq key-file \"$tmp/nonl.key\""
check "key-file: 44 characters without a newline are a key (${ARMED:+armed}${ARMED:-only the no-module warning})" \
	bash -c 'grep -q "\[ sysrq$1 \]" "$2" && ! grep -q "Error: .*key" "$3"' _ "$ARMED" "$tmp/kf.out" "$tmp/kf.err"

cp "$tmp/good.key" "$tmp/loose.key"
chmod 640 "$tmp/loose.key"
kf_load "sysrq key-file \"$tmp/loose.key\""
check "key-file readable by group: a located warning, the rule still built" \
	bash -c 'grep -q "Warning: key file $1 can be read or written by group or others" "$2" &&
		grep -q "\[ sysrq$4 \]" "$3"' _ "$tmp/loose.key" "$tmp/kf.err" "$tmp/kf.out" "$ARMED"
kf_load "sysrq key-file \"$tmp/good.key\""
check "key-file with mode 0600: no warning${ARMED:- but the no-module one}" \
	bash -c '[ "$(grep -c "Warning" "$1")" -eq "$2" ]' _ "$tmp/kf.err" "$([ -n "$ARMED" ] && echo 0 || echo 1)"
kf_load "sysrq name \"ops\" output 4096"
check "output 4096: in the message, no key file needed, no warning" \
	bash -c 'grep -q "\[ sysrq name ops output 4096 \]" "$1" && ! grep -q "Warning" "$2"' _ "$tmp/kf.out" "$tmp/kf.err"

# passed_nft RC ERRFILE: nft succeeded, or only the kernel refused the rule
# (no nft_sysrq module on this host: "Could not process rule"): nft itself
# reported no error.
passed_nft() {
	[ "$1" -eq 0 ] || [ "$(grep 'Error' "$2" | grep -vc 'Error: Could not process rule')" -eq 0 ]
}
# kf_unarmed WHAT PATH WHY: a key file nft cannot use does not fail the
# ruleset (restored at boot, it must not leave the host without a firewall):
# nft --check succeeds, a warning located at the key file says why, the
# rule is built unarmed, and no output shows key text.
kf_unarmed() {
	local what=$1 f=$2 why=$3 rc
	kf_load "udp dport 9 sysrq name \"ops\" key-file \"$f\""
	rc=$?
	if passed_nft "$rc" "$tmp/kf.err" &&
		grep -q -F "Warning: sysrq key file $f not used, the rule is loaded unarmed: $why" "$tmp/kf.err" &&
		grep -q '^ *\^\^\^*$' "$tmp/kf.err" &&
		grep -q '\[ sysrq name ops \]' "$tmp/kf.out" &&
		grep -q "userdata = { .*$f" "$tmp/kf.out" &&
		no_key_in "$tmp/kf.out" "$tmp/kf.err" && ! grep -q -F "${key:0:20}" "$tmp/kf.err"; then
		ok "key-file $what: no error from nft, a located warning, the rule built unarmed"
	else
		fail "key-file $what: not loaded unarmed with a warning as expected"
		sed 's/^/#   /' "$tmp/kf.err" | head -n 4
	fi
}
notakey="it is not a key (expected 44 characters of base64, 32 bytes, and an optional newline)"
# kf_bad WHAT CONTENT_PRINTF_ARGS... : a malformed key file
kf_bad() {
	local what=$1
	shift
	# shellcheck disable=SC2059
	printf "$@" >"$tmp/bad.key"
	kf_unarmed "not a key ($what)" "$tmp/bad.key" "$notakey"
}
kf_bad "too short" 'short\n'
kf_bad "45 characters" '%sA\n' "$key"
kf_bad "CRLF" '%s\r\n' "$key"
kf_bad "two newlines" '%s\n\n' "$key"
kf_bad "no padding" '%sA\n' "${key:0:43}"
kf_bad "a character outside base64" '*%s\n' "${key:1}"
kf_bad "non-zero bits after the 32 bytes" '%sB=\n' "${key:0:42}"
kf_bad "empty file" ''
kf_unarmed "missing" "$tmp/none.key" "cannot read it: No such file or directory"
kf_unarmed "a directory" "$tmp" "it is not a regular file"
mkfifo "$tmp/fifo"
kf_unarmed "a FIFO (without hanging)" "$tmp/fifo" "it is not a regular file"

# The key file's owner chose the key: root or the user running nft (root
# here) only. Symlinks are followed; the file finally opened is checked
# (fstat on the descriptor nft reads), whoever owns the link.
notmine="it is owned by uid 65534, not by root or the user running nft (uid $(id -u)): chown it"
cp "$tmp/good.key" "$tmp/nobody.key"
chown 65534:65534 "$tmp/nobody.key"
kf_unarmed "owned by another user (uid 65534)" "$tmp/nobody.key" "$notmine"
ln -s "$tmp/nobody.key" "$tmp/to-nobody.key"
kf_unarmed "a symlink of root's to another user's file (the target is checked)" \
	"$tmp/to-nobody.key" "$notmine"
ln -s "$tmp/good.key" "$tmp/to-good.key"
chown -h 65534:65534 "$tmp/to-good.key"
kf_load "sysrq name \"ops\" key-file \"$tmp/to-good.key\""
check "key-file: a symlink (another user's) to root's key file is followed and the key used${ARMED:+ (armed)}${ARMED:- (only the no-module warning)}" \
	bash -c 'grep -q "\[ sysrq name ops$1 \]" "$2" && ! grep -q "unarmed: it is" "$3" &&
		[ "$(grep -c "Warning" "$3")" -eq "$4" ]' _ "$ARMED" "$tmp/kf.out" "$tmp/kf.err" \
	"$([ -n "$ARMED" ] && echo 0 || echo 1)"

# A whole ruleset with a missing key file: nft --check succeeds, every
# other rule is in the message.
timeout 20 ip netns exec "$ns" "$NFT" --debug=netlink -c -f - >"$tmp/kf.out" 2>"$tmp/kf.err" <<EOF
table inet t {
	chain input {
		type filter hook input priority 0; policy drop;
		ct state established,related accept
		udp dport 9 sysrq name "ops" key-file "$tmp/none.key" allow "sub"
		tcp dport 22 accept
	}
}
EOF
rc=$?
passed_nft "$rc" "$tmp/kf.err" && rc=0
check "a ruleset whose key file is absent: no error from nft, one located warning, the other rules built too (loaded into a kernel: the lab)" \
	bash -c '[ "$1" -eq 0 ] && [ "$(grep -c "Warning: sysrq key file $2 not used" "$3")" -eq 1 ] &&
		grep -q "\[ sysrq name ops allow " "$4" &&
		grep -q "\[ cmp eq reg 1 0x00001600 \]" "$4" && grep -q "\[ ct load state" "$4"' _ \
	"$rc" "$tmp/none.key" "$tmp/kf.err" "$tmp/kf.out"

kf_err() { # WHAT RULE MESSAGE
	if ! kf_load "$2" && grep -q -F "Error: $3" "$tmp/kf.err" &&
		grep -q '^ *\^\^*$' "$tmp/kf.err" && ! grep -q 'Could not process rule' "$tmp/kf.err"; then
		ok "key-file refused with a located error: $1"
	else
		fail "key-file not refused as expected: $1"
		sed 's/^/#   /' "$tmp/kf.err" | head -n 4
	fi
}
kf_err "relative path" 'sysrq key-file "good.key"' \
	"sysrq key-file must be an absolute path"
kf_err "path over 120 bytes" "sysrq key-file \"/$(printf 'x%.0s' $(seq 1 130))\"" \
	"sysrq key-file path is longer than 120 bytes"
kf_err "two key files in one rule" \
	"sysrq key-file \"$tmp/good.key\" sysrq key-file \"$tmp/good.key\"" \
	"only one sysrq statement with a key-file per rule"
kf_err "key-file given twice" \
	"sysrq key-file \"$tmp/good.key\" key-file \"$tmp/good.key\"" \
	"sysrq key-file given twice"

# A listed key id is checked against the key file's key.
if [ -x build/sysrqctl ] && kid=$(build/sysrqctl key-id "$tmp/good.key" 2>/dev/null); then
	kf_load "sysrq key-file \"$tmp/good.key\" key-id \"$kid\""
	check "key-id: the key file's key id (sysrqctl key-id: $kid) matches: no key id warning" \
		bash -c '! grep -q "Warning: key file.*holds the key with key id" "$1" && grep -q "\[ sysrq$3 \]" "$2"' _ "$tmp/kf.err" "$tmp/kf.out" "$ARMED"
else
	skip "key-id computed by nft vs sysrqctl key-id (no build/sysrqctl: make)"
fi
other=$(printf '%s' "$key" | base64 -d | od -An -tx1 -N8 | tr -d ' \n')
kf_load "sysrq key-file \"$tmp/good.key\" key-id \"$other\""
check "key-id: a key file that holds another key: a located warning naming both ids, the rule still built" \
	bash -c 'grep -q "Warning: key file $1 holds the key with key id [0-9a-f]\{16\}, not $2: the key file.s key is used" "$3" &&
		grep -q "^ *\^\^*$" "$3" && grep -q "\[ sysrq$5 \]" "$4"' _ "$tmp/good.key" "$other" "$tmp/kf.err" "$tmp/kf.out" "$ARMED"
kf_load "sysrq name \"ops\" key-id \"$other\""
check "key-id without key-file: a warning that the rule loads unarmed" \
	bash -c 'grep -q "Warning: sysrq key-id without key-file: the rule is loaded unarmed" "$1" &&
		grep -q "\[ sysrq name ops \]" "$2"' _ "$tmp/kf.err" "$tmp/kf.out"
kf_err "malformed key-id" 'sysrq key-id "12345"' "sysrq key-id must be 16 hex digits"

# JSON input reads the key file the same way.
printf 'short\n' >"$tmp/bad.key"
ip netns exec "$ns" "$NFT" -j -c -f - >"$tmp/kf.out" 2>"$tmp/kf.err" <<EOF
{"nftables": [{"add": {"table": {"family": "inet", "name": "t"}}},
 {"add": {"chain": {"family": "inet", "table": "t", "name": "input", "type": "filter", "hook": "input", "prio": 0}}},
 {"add": {"rule": {"family": "inet", "table": "t", "chain": "input",
  "expr": [{"sysrq": {"key-file": "$tmp/bad.key"}}]}}}]}
EOF
rc=$?
passed_nft "$rc" "$tmp/kf.err" && rc=0
check "JSON input: a malformed key file gives the same warning, no error from nft" \
	bash -c '[ "$1" -eq 0 ] && grep -q -F "Warning: sysrq key file $2 not used, the rule is loaded unarmed: $3" "$4"' _ \
	"$rc" "$tmp/bad.key" "$notakey" "$tmp/kf.err"
ip netns exec "$ns" "$NFT" -j -c -f - >"$tmp/kf.out" 2>"$tmp/kf.err" <<EOF
{"nftables": [{"add": {"rule": {"family": "inet", "table": "t", "chain": "input",
  "expr": [{"sysrq": {"key_file": "$tmp/good.key"}}]}}}]}
EOF
check "JSON input: an unknown sysrq property is an error" \
	grep -q "Unknown sysrq property 'key_file'" "$tmp/kf.err"
kf_err "output over NFT_SYSRQ_OUTPUT_MAX" 'sysrq output 1048577' \
	"sysrq output must be a number of bytes from 0 to 1048576"
kf_err "tolerance under 15s" 'sysrq tolerance 10s' \
	"sysrq tolerance must be whole seconds from 15s to 300s"
ip netns exec "$ns" "$NFT" -j -c -f - >"$tmp/kf.out" 2>"$tmp/kf.err" <<EOF
{"nftables": [{"add": {"rule": {"family": "inet", "table": "t", "chain": "input",
  "expr": [{"sysrq": {"output": "4096"}}]}}}]}
EOF
check "JSON input: output that is not a number is an error" \
	grep -q "Invalid sysrq output: not a number of bytes" "$tmp/kf.err"

# The public key is taken from sysfs only. In a mount namespace of its own,
# /sys/kernel/nft_sysrq/public_key is made (a tmpfs over /sys/kernel) to
# be a file that is not on sysfs, then a sysfs file that holds no key
# (uevent_seqnum, bound over it): nft must use neither, warn that the rule
# is loaded unarmed, and still build it.
# kf_pub SETUP: nft --check of a key-file rule after SETUP (sh) in a mount
# namespace of its own, in $ns.
kf_pub() {
	timeout 20 ip netns exec "$ns" unshare -m sh -c "$1"'
		exec "$0" --debug=netlink -c -f -' "$NFT" >"$tmp/kf.out" 2>"$tmp/kf.err" <<EOF
$kf_setup
add rule inet t input sysrq name "ops" key-file "$tmp/good.key"
EOF
}
if [ -n "$ARMED" ]; then
	skip "public key not on sysfs / malformed (the module is loaded here: its public key is in the way)"
	skip "public key not on sysfs / malformed (the module is loaded here: its public key is in the way)"
elif ! command -v unshare >/dev/null; then
	skip "public key not on sysfs (no unshare)"
	skip "malformed public key (no unshare)"
else
	fake='mount -t tmpfs none /sys/kernel && mkdir /sys/kernel/nft_sysrq &&
		printf "%064d\n" 9 >/sys/kernel/nft_sysrq/public_key'
	kf_pub "$fake"
	check "a public key file that is not on sysfs is not used: a located warning, the rule built unarmed" \
		bash -c 'grep -q "Warning: sysrq key file $1 not used, the rule is loaded unarmed: $2 is not on sysfs" "$3" &&
			grep -q "^ *\^\^*$" "$3" && grep -q "\[ sysrq name ops \]" "$4"' _ \
		"$tmp/good.key" "$PUB" "$tmp/kf.err" "$tmp/kf.out"
	kf_pub "touch $tmp/seq && mount --bind /sys/kernel/uevent_seqnum $tmp/seq && $fake &&
		mount --bind $tmp/seq /sys/kernel/nft_sysrq/public_key"
	check "a malformed public key (a sysfs file that holds no key) is not used: a located warning, the rule built unarmed" \
		bash -c 'grep -q "Warning: sysrq key file $1 not used, the rule is loaded unarmed: $2 is not a public key (expected 64 hex digits and a newline)" "$3" &&
			grep -q "\[ sysrq name ops \]" "$4"' _ \
		"$tmp/good.key" "$PUB" "$tmp/kf.err" "$tmp/kf.out"
fi

# nft's sealing (src/sysrq_seal.c) against protocol v2's seal vectors
SEAL_SRC=build/userspace-src/nftables
VEC=../shared/protocol/vectors-v2.txt
if [ ! -f "$SEAL_SRC/src/sysrq_seal.c" ]; then
	skip "nft's sealing against the seal vectors ($SEAL_SRC/src/sysrq_seal.c missing: make userspace)"
elif [ ! -f "$VEC" ]; then
	skip "nft's sealing against the seal vectors (no $VEC beside the repository)"
elif read -ra sodium < <(pkg-config --cflags --libs libsodium) &&
	cc -std=gnu11 -Wall -Wextra -Werror -Inft_sysrq/include/uapi -I"$SEAL_SRC/include" -I"$SEAL_SRC" \
		-o "$tmp/seal-check" tests/nft/seal-check.c "$SEAL_SRC/src/sysrq_seal.c" \
		"${sodium[@]}" >"$tmp/seal-cc.log" 2>&1; then
	"$tmp/seal-check" "$VEC" >"$tmp/seal.out" 2>&1
	check "nft's sealing gives protocol v2's seal vectors, a fresh EP each time, refuses a low-order key ($(grep -c '^ok' "$tmp/seal.out") checks$(grep -m1 '^FAIL' "$tmp/seal.out" | sed 's/^/: /'))" \
		bash -c '[ "$(grep -c "^ok" "$1")" -ge 4 ] && ! grep -q "^FAIL" "$1"' _ "$tmp/seal.out"
else
	fail "tests/nft/seal-check.c does not build against $SEAL_SRC/src/sysrq_seal.c: $(head -n 3 "$tmp/seal-cc.log")"
fi
