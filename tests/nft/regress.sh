# tests/nft/regress.sh, sourced by tests/nft/run: nftables' own test suites
# (tests/py with JSON, tests/shell) on this host's kernel, patched and
# unpatched, each in network namespaces of their own. Some upstream 1.0.6
# cases fail on a newer kernel either way; the patched build must fail no
# case the unpatched one passes. sysrq's own cases need the module (lab).
# Uses $PFX, $log, $tmp.
# shellcheck shell=bash disable=SC2154

BASE=build/userspace-base
PATCHED_SRC=build/userspace-src/nftables

regress_skip() {
	skip "nftables tests/py regression ($1)"
	skip "nftables tests/shell regression ($1)"
}

regress() {
	local BASELIB new summary_p summary_b npass
	BASELIB=$PWD/$BASE/nftables/src/.libs:$PWD/$BASE/prefix/lib
	cat >"$tmp/base-nft" <<-EOF
	#!/bin/sh
	LD_LIBRARY_PATH=$BASELIB exec $PWD/$BASE/nftables/src/.libs/nft "\$@"
	EOF
	chmod +x "$tmp/base-nft"

	# tests/py: nft-test.py makes its own network namespace.
	# nftables 1.1 keeps its python module in py/src/ (a package named
	# nftables once installed) while nft-test.py still looks in py/: a
	# directory of ours with a "nftables" link to py/src is put first.
	py_run() { # TREE LIB OUT [LD_LIBRARY_PATH]
		local pp=
		if [ -f "$1/py/src/nftables.py" ]; then
			pp=$tmp/py-$(basename "$3" .out)
			mkdir -p "$pp"
			ln -sfn "$(cd "$1/py/src" && pwd)" "$pp/nftables"
		fi
		(cd "$1/tests/py" && PYTHONPATH=$pp LD_LIBRARY_PATH=${4:-} timeout 900 nice python3 nft-test.py -j -l "$2" 2>&1) >"$3"
		grep -E '(ERROR|WARNING):' "$3" | grep -v '^any/sysrq\.t' | sort >"$3.err"
	}
	py_run "$PATCHED_SRC" "$PWD/$PFX/lib/libnftables.so.1" "$log/py-patched.out"
	py_run "$BASE/nftables" "$PWD/$BASE/nftables/src/.libs/libnftables.so.1" "$log/py-base.out" "$BASELIB"
	new=$(comm -13 "$log/py-base.out.err" "$log/py-patched.out.err")
	summary_p=$(grep -E '^[0-9]+ test files, ' "$log/py-patched.out")
	summary_b=$(grep -E '^[0-9]+ test files, ' "$log/py-base.out")
	if [ -n "$summary_p" ] && [ -n "$summary_b" ] && [ -z "$new" ]; then
		ok "nftables tests/py, text and JSON (patched: ${summary_p%, }): no failure the unpatched build does not have ($(wc -l <"$log/py-base.out.err") fail either way on this kernel)"
	else
		fail "nftables tests/py: failures only with the patches (or a run did not finish: $log/py-*.out)"
		printf '%s\n' "$new" | head -n 10 | sed 's/^/#   /'
	fi

	# tests/shell: every case with NFT set, as run-tests.sh runs them, but in a
	# network namespace of ours and without its module unloading. Cases name
	# namespaces of their own (ip netns add) and some leave them behind: the
	# pass runs in a mount namespace of its own whose /run/netns is a tmpfs,
	# so no name reaches the host's and every namespace dies with the pass.
	shell_results() { # NFT TREE NETNS
		local t
		mount -t tmpfs nft-regress /run/netns || return 1
		ip netns add "$3" || return 1
		for t in $(cd "$2/tests/shell" && find testcases -type f -perm -u+x | sort); do
			ip netns exec "$3" "$1" flush ruleset >/dev/null 2>&1
			if (cd "$2/tests/shell" && ip netns exec "$3" env NFT="$1" DIFF=diff \
				timeout 60 "$t" >/dev/null 2>&1); then
				echo "PASS $t"
			else
				echo "FAIL $t"
			fi
		done
		ip netns del "$3"
	}
	shell_pass() { # NFT TREE NETNS
		mkdir -p /run/netns &&
			unshare -m --propagation private bash -c "$(declare -f shell_results); shell_results \"\$@\"" _ "$@"
	}
	shell_pass "$PWD/$PFX/sbin/nft" "$PATCHED_SRC" "nft-sh-p-$$" | grep -v ' testcases/sysrq/' | sort >"$log/shell-patched.out"
	shell_pass "$tmp/base-nft" "$BASE/nftables" "nft-sh-b-$$" | sort >"$log/shell-base.out"
	new=$(comm -13 <(grep '^FAIL' "$log/shell-base.out") <(grep '^FAIL' "$log/shell-patched.out"))
	npass=$(grep -c '^PASS' "$log/shell-patched.out")
	if [ -z "$new" ] && [ "$npass" -gt 100 ] &&
		[ "$(wc -l <"$log/shell-patched.out")" -eq "$(wc -l <"$log/shell-base.out")" ]; then
		ok "nftables tests/shell ($(wc -l <"$log/shell-base.out") cases): no failure the unpatched build does not have ($npass pass, $(grep -c '^FAIL' "$log/shell-base.out") fail either way on this kernel)"
	else
		fail "nftables tests/shell: failures only with the patches"
		printf '%s\n' "$new" | head -n 10 | sed 's/^/#   /'
	fi
}

if [ ! -x "$BASE/nftables/src/.libs/nft" ] || [ ! -f "$BASE/prefix/lib/libnftnl.so" ]; then
	regress_skip "no unpatched build in $BASE: run with NFTNL_SRC and NFT_SRC"
else
	regress
fi
