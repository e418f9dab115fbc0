# The lab's kernels (sourced by tests/lab/lab, fetch-kernel, mkinitramfs).
# shellcheck shell=bash
#
# LAB_KERNEL picks one: 6.1 (default) is bookworm's kernel, the ABI of the
# installed linux-headers-amd64; 6.12 is bookworm-backports' newest 6.12
# with its headers (tests/lab/fetch-kernel). Each has its own unpacked tree
# and initramfs under $LAB, and its own module build:
#
#   LAB_KDIR      the unpacked kernel (boot/vmlinuz-KVER, lib/modules/KVER,
#                 for 6.12 also usr/src/linux-headers-KVER)
#   LAB_INITRD    the initramfs built for it
#   LAB_MODULES   where `make module` / `make module-6.12` leave nft_sysrq.ko
#                 (mkinitramfs takes the first that exists; LAB_MODULE wins)

lab_kernel_vars() { # needs LAB (the lab's build dir)
	case ${LAB_KERNEL:-6.1} in
	6.1)
		LAB_KDIR=$LAB/kernel
		LAB_INITRD=$LAB/initramfs.cpio.gz
		LAB_MODULES="nft_sysrq/nft_sysrq.ko ${BUILD:-build}/module/nft_sysrq.ko ${BUILD:-build}/nft_sysrq/nft_sysrq.ko"
		;;
	6.12)
		LAB_KDIR=$LAB/kernel-6.12
		LAB_INITRD=$LAB/initramfs-6.12.cpio.gz
		LAB_MODULES="${BUILD:-build}/module-6.12/nft_sysrq.ko"
		;;
	*)
		echo "lab: LAB_KERNEL must be 6.1 or 6.12, not '$LAB_KERNEL'" >&2
		return 2
		;;
	esac
}
