#!/bin/bash
# The Debian packages installed for real, with nothing of the host changed:
# in a private mount namespace whose /usr, /etc and /var are overlays
# writing to a tmpfs (gone with the namespace), `dpkg -i` both packages
# (nft-sysrq-dkms' postinst runs dkms add, build and install for the
# kernels with headers), check the module, modules.alias and sysrqctl; then
# a new kernel through the hook its package runs (/etc/kernel/postinst.d/dkms),
# when a second kernel's headers are at hand; then `dpkg -r` both, and
# nothing of the module may be left. Nothing is loaded: modprobe runs
# with -n only.
#
#   tests/pkg/dpkg-ns.sh [DEBDIR]    root; DEBDIR defaults to build/deb (make deb)
#
# NEW_KDIR names the second kernel's headers; by default the newest of
# build/lab/kernel-6.12/usr/src/linux-headers-*-amd64 (make module-6.12
# fetches them). tests/pkg/run runs this with PKG_DPKG=1 (about 2 minutes).
# Last line: "N passed, N failed[, N skipped]".
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/lib.sh
. tests/lib.sh

if [ "${1:-}" != --inside ]; then
	debs=$(realpath "${1:-build/deb}")
	why=
	[ "$(id -u)" -eq 0 ] || why="needs root"
	command -v unshare >/dev/null || why="no unshare"
	grep -qw overlay /proc/filesystems || why="no overlayfs"
	compgen -G "$debs/nft-sysrq-dkms_*_all.deb" >/dev/null || why="no packages in $debs (make deb)"
	if [ -n "$why" ]; then
		skip "dpkg -i in a mount namespace: $why"
		summary
		exit
	fi
	if [ -z "${NEW_KDIR:-}" ]; then
		NEW_KDIR=$(find build/lab/kernel-6.12/usr/src -maxdepth 1 -name 'linux-headers-*-amd64' \
			2>/dev/null | sort -V | tail -n 1)
	fi
	R=$(mktemp -d)
	trap 'rm -rf "$R"' EXIT
	NEW_KDIR=${NEW_KDIR:+$(realpath "$NEW_KDIR")} unshare -m --propagation private "$0" --inside "$R" "$debs"
	exit
fi

# --- inside the namespace ---
R=$2 debs=$3
V=$(cat VERSION)
mkdir -p build/test-logs
log=build/test-logs/pkg-dpkg-ns.log
mount -t tmpfs tmpfs "$R" || exit 1
for d in usr etc var; do
	mkdir -p "$R/$d.up" "$R/$d.work"
	if ! mount -t overlay overlay -o "lowerdir=/$d,upperdir=$R/$d.up,workdir=$R/$d.work" "/$d"; then
		fail "overlay on /$d"
		summary
		exit
	fi
done

dk=$(compgen -G "$debs/nft-sysrq-dkms_${V}-*_all.deb" | tail -n 1)
tool=$(compgen -G "$debs/sysrqctl_${V}-*_$(dpkg --print-architecture).deb" | tail -n 1)
# The kernels dkms builds for at installation: those with headers.
kernels=
for d in $(find /lib/modules/ -mindepth 1 -maxdepth 1 2>/dev/null | sort -V); do
	[ -e "$d/build/include" ] && kernels="$kernels ${d##*/}"
done

if nice -n 19 dpkg -i "$dk" "$tool" >"$log" 2>&1; then
	ok "dpkg -i nft-sysrq-dkms sysrqctl"
else
	fail "dpkg -i: $(tail -n 3 "$log" | tr '\n' ' ')"
fi
for k in $kernels; do
	m=/lib/modules/$k/updates/dkms/nft_sysrq.ko
	check "dkms status: nft-sysrq/$V installed for $k" \
		grep -q "^nft-sysrq/$V, $k, [^:]*: installed$" <(dkms status 2>&1)
	got=$(modinfo -F version "$m" 2>&1)
	check "$m: version $V (got $got)" test "$got" = "$V"
	check "$k: modules.alias maps nft-expr-sysrq to nft_sysrq (nf_tables' autoload)" \
		grep -qx 'alias nft-expr-sysrq nft_sysrq' "/lib/modules/$k/modules.alias"
	check "$k: modprobe -n nft-expr-sysrq finds updates/dkms/nft_sysrq.ko" \
		grep -q "updates/dkms/nft_sysrq.ko" <(modprobe -n -v -S "$k" nft-expr-sysrq 2>&1)
done
[ -n "$kernels" ] || skip "the module at installation: no kernel with headers in /lib/modules"
check "sysrqctl --version: sysrqctl $V" grep -qx "sysrqctl $V" <(sysrqctl --version 2>&1)

# A kernel installed later: its package runs /etc/kernel/postinst.d/dkms.
if [ -n "${NEW_KDIR:-}" ] && [ -f "$NEW_KDIR/Makefile" ]; then
	nk=${NEW_KDIR##*/linux-headers-}
	mkdir -p "/lib/modules/$nk"
	[ -e "/lib/modules/$nk/build" ] || ln -s "$NEW_KDIR" "/lib/modules/$nk/build"
	nice -n 19 /etc/kernel/postinst.d/dkms "$nk" >>"$log" 2>&1
	check "a new kernel $nk: the kernel hook's dkms autoinstall installed nft-sysrq/$V" \
		grep -q "^nft-sysrq/$V, $nk, [^:]*: installed$" <(dkms status 2>&1)
	v=$(modinfo -F vermagic "/lib/modules/$nk/updates/dkms/nft_sysrq.ko"* 2>&1)
	check "a new kernel $nk: the module's vermagic is $nk's (got ${v%% *})" test "${v%% *}" = "$nk"
else
	skip "a new kernel through the kernel hook: no second kernel's headers (NEW_KDIR, make module-6.12)"
fi

if nice -n 19 dpkg -r nft-sysrq-dkms sysrqctl >>"$log" 2>&1; then
	ok "dpkg -r nft-sysrq-dkms sysrqctl"
else
	fail "dpkg -r: $(tail -n 3 "$log" | tr '\n' ' ')"
fi
check "after dpkg -r: dkms knows no nft-sysrq" test -z "$(dkms status -m nft-sysrq 2>&1)"
left=$(find /lib/modules -name 'nft_sysrq.ko*' 2>/dev/null; ls -d /usr/src/nft-sysrq-* /usr/sbin/sysrqctl /etc/nft_sysrq 2>/dev/null)
check "after dpkg -r: no module, sources, tool or /etc/nft_sysrq left${left:+: $left}" test -z "$left"
summary
