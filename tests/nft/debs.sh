# tests/nft/debs.sh, sourced by tests/nft/run with NFT_DEBS=1 and the
# release's sources: `make nft-debs` for that release. The six packages
# build; each is versioned as the distribution's package plus +sysrq1 and
# sorts above the release's version in nft-plugin/releases and above the
# newest one the Debian mirror has for that release now (a stable update
# there would otherwise replace the patched nft with one that cannot load a
# ruleset with sysrq rules); they depend on each other by version; on the
# host's own release apt accepts them over the installed ones (simulated);
# the packaged nft, unpacked with its libraries, knows the sysrq statement.
# Uses $rel, $NFTNL_SRC, $NFT_SRC, $log, $tmp, $ns (empty: no namespace),
# release_field.
# shellcheck shell=bash disable=SC2154,SC2016 # variables of run; bash -c scripts

debs_out=build/debs/$rel
start=$SECONDS
if nice make -s nft-debs RELEASE="$rel" NFTNL_SRC="$NFTNL_SRC" NFT_SRC="$NFT_SRC" >"$log/debs.log" 2>&1; then
	ok "make nft-debs RELEASE=$rel: built in $((SECONDS - start)) s ($debs_out, $log/debs.log)"
else
	fail "make nft-debs RELEASE=$rel: $(tail -n 1 "$log/debs.log")"
fi

d_nftnl=$(release_field 4)
d_nft=$(release_field 5)
# newest_in_mirror PACKAGE: the newest version the mirror has for $rel
# (and its -updates, -security), from the host's apt for the host's own
# release, else from scripts/apt-extra's lists; empty when neither knows.
host_rel=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
newest_in_mirror() {
	local lines v newest=
	if [ "$rel" = "$host_rel" ]; then
		lines=$(apt-cache madison "$1" 2>/dev/null)
	else
		lines=$(BUILD=build scripts/apt-extra cache madison "$1" 2>/dev/null)
	fi
	while read -r v; do
		[ -n "$v" ] || continue
		if [ -z "$newest" ] || dpkg --compare-versions "$v" gt "$newest"; then
			newest=$v
		fi
	done < <(awk -F' *[|] *' -v r="$rel" '$3 ~ (" " r "(-updates|-security|-proposed-updates)?/") { print $2 }' <<<"$lines")
	echo "$newest"
}
newest_nftnl=$(newest_in_mirror libnftnl11)
newest_nft=$(newest_in_mirror nftables)

declare -A debs_file=()
missing=
for p in libnftnl11 libnftnl-dev libnftables1 libnftables-dev nftables python3-nftables; do
	f=$(compgen -G "$debs_out/${p}_*.deb" | head -n 1)
	if [ -n "$f" ]; then debs_file[$p]=$f; else missing="$missing $p"; fi
done
check "the six packages are there${missing:+ (missing:$missing)}" test -z "$missing"

if [ -z "$missing" ]; then
	bad='' stale=''
	for p in "${!debs_file[@]}"; do
		v=$(dpkg-deb -f "${debs_file[$p]}" Version)
		case $p in libnftnl*) d=$d_nftnl newest=$newest_nftnl ;; *) d=$d_nft newest=$newest_nft ;; esac
		[ "$v" = "$d+sysrq1" ] || bad="$bad $p($v, not $d+sysrq1)"
		dpkg --compare-versions "$v" gt "$d" || bad="$bad $p($v not above $d)"
		if [ -n "$newest" ] && ! dpkg --compare-versions "$v" gt "$newest"; then
			stale="$stale $p($v)"
		fi
	done
	[ -z "$stale" ] ||
		bad="$bad not above the mirror's newest:$stale (rebuild from that version's sources, update nft-plugin/releases)"
	mirror_said="the mirror's newest: libnftnl11 ${newest_nftnl:-?}, nftables ${newest_nft:-?}"
	check "versions: the distribution's plus +sysrq1 ($d_nftnl+sysrq1, $d_nft+sysrq1), above $mirror_said${bad:+;$bad}" \
		test -z "$bad"

	dep_nft=$(dpkg-deb -f "${debs_file[nftables]}" Depends)
	dep_lib=$(dpkg-deb -f "${debs_file[libnftables1]}" Depends)
	check "nftables depends on libnftables1 (= $d_nft+sysrq1), libnftables1 on libnftnl11 (>= $d_nftnl+sysrq1)" \
		bash -c '[[ $1 == *"libnftables1 (= $3+sysrq1)"* ]] && [[ $2 == *"libnftnl11 (>= $4+sysrq1)"* ]]' \
		_ "$dep_nft" "$dep_lib" "$d_nft" "$d_nftnl"

	if [ "$rel" = "$host_rel" ]; then
		apt-get install --simulate -q "$PWD/${debs_file[libnftnl11]}" "$PWD/${debs_file[libnftables1]}" \
			"$PWD/${debs_file[nftables]}" >"$log/debs-simulate.log" 2>&1
		rc=$?
		check "apt-get install --simulate of libnftnl11, libnftables1, nftables over this $host_rel host's (rc $rc; $log/debs-simulate.log)" \
			bash -c '[ "$1" -eq 0 ] && grep -q "^Inst nftables .*+sysrq1" "$2" && grep -q "^Inst libnftnl11 .*+sysrq1" "$2"' \
			_ "$rc" "$log/debs-simulate.log"
	else
		echo "# apt's install simulation: only for the host's own release ($host_rel); tests/system/boot-test $rel installs them for real"
	fi

	root=$tmp/debroot
	mkdir -p "$root"
	for p in libnftnl11 libnftables1 nftables; do
		dpkg-deb -x "${debs_file[$p]}" "$root"
	done
	libdir=$(dirname "$(find "$root" -name 'libnftables.so.1' | head -n 1)")
	ver=$(LD_LIBRARY_PATH=$libdir "$root/usr/sbin/nft" --version 2>&1)
	check "the packaged nft runs with the packaged libraries: $ver" \
		bash -c '[[ $1 == *" v$2 "* || $1 == *" v$2" ]]' _ "$ver" "$(release_field 3)"
	if [ -n "$ns" ]; then
		LD_LIBRARY_PATH=$libdir timeout 20 ip netns exec "$ns" "$root/usr/sbin/nft" --debug=netlink -c -f - \
			>"$tmp/debs.out" 2>"$tmp/debs.err" <<-'EOR'
			table inet t { chain c { udp dport 9 sysrq name "ops" allow "b"; }; }
		EOR
		check "the packaged nft parses and evaluates a sysrq rule ([ sysrq name ops allow b ] in its netlink debug)" \
			bash -c '! grep -q "syntax error" "$1" && grep -q "\[ sysrq name ops allow b \]" "$2"' \
			_ "$tmp/debs.err" "$tmp/debs.out"
	else
		skip "the packaged nft and a sysrq rule (needs the network namespace: root and ip)"
	fi
fi
