# nft_sysrq kernel module: top-level targets (included by ./Makefile).
#   make module          nft_sysrq/nft_sysrq.ko against KDIR (Debian 6.1 headers)
#   make module-check    sparse (C=1) and W=1 build in a fresh copy; fails on any warning
#   make module-6.12     build/module-6.12/nft_sysrq.ko against Debian's 6.12
#                        headers (bookworm-backports, unpacked by
#                        tests/lab/fetch-kernel), sparse and W=1 clean
KDIR       ?= $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
MODULE_UAPI := nft_sysrq/include/uapi/linux/netfilter/nft_sysrq.h
MODULE_KSRC := $(filter-out %.mod.c,$(wildcard nft_sysrq/*.c nft_sysrq/*.h)) \
	       nft_sysrq/Kbuild
MODULE_SRC  := $(MODULE_KSRC) $(MODULE_UAPI) VERSION

.PHONY: module module-check module-6.12 module-kdir
module: nft_sysrq/nft_sysrq.ko

module-kdir:
	@test -n "$(KDIR)" && test -d "$(KDIR)" || \
		{ echo "module: no kernel build tree; install linux-headers-amd64 (scripts/install-deps) or set KDIR" >&2; exit 1; }

nft_sysrq/nft_sysrq.ko: $(MODULE_SRC) | module-kdir
	$(MAKE) -C $(KDIR) M=$(CURDIR)/nft_sysrq modules

# Copy into directory $(1) what building the module needs, and no more:
# the sources, Kbuild, the uapi header at its place, VERSION beside Kbuild
# and the thin Makefile (`make KDIR=...` there). Build copies, installs
# and the DKMS source tree (/usr/src/nft-sysrq-VERSION) are all this.
define module_tree
	install -d $(1)/$(dir $(MODULE_UAPI:nft_sysrq/%=%))
	install -m 0644 $(MODULE_KSRC) nft_sysrq/Makefile VERSION $(1)/
	install -m 0644 $(MODULE_UAPI) $(1)/$(MODULE_UAPI:nft_sysrq/%=%)
endef

# make module-tree DEST=DIR: that, copied into DIR (tests/system/module-build).
.PHONY: module-tree
module-tree:
	@test -n "$(DEST)" || { echo "module-tree: DEST=DIR missing" >&2; exit 1; }
	$(call module_tree,$(DEST))

# Build a copy of the sources in $(1) against kernel tree $(2) with extra
# make arguments $(3); fail on any compiler, sparse or modpost warning but
# those matched by the grep arguments $(4), and leave no module then.
define module_build_copy
	rm -rf $(1) && mkdir -p $(1)
	$(call module_tree,$(1))
	+$(MAKE) -C $(2) M=$(abspath $(1)) $(3) modules > $(1).log 2>&1; rc=$$?; \
	cat $(1).log; \
	if [ $$rc -ne 0 ]; then echo "$@: build failed ($$rc)" >&2; exit 1; fi; \
	if grep -E '(warning|error|WARNING|ERROR):' $(1).log | grep -v $(4); then \
		rm -f $(1)/*.ko; echo "$@: warnings above" >&2; exit 1; fi; \
	echo "$@: clean ($(notdir $(2)): $(3))"
endef

module-check: | module-kdir
	$(call module_build_copy,$(BUILD)/module-check,$(KDIR),C=1 W=1,-e '^$$')

# The 6.12 module, built in a copy against the unpacked headers of the
# kernel the lab boots with LAB_KERNEL=6.12; rebuilt when a source changes
# or another 6.12 has been unpacked. With full modpost: the headers carry
# 6.12's Module.symvers, so every import is checked against its exports.
KROOT_612 := $(BUILD)/lab/kernel-6.12
module-6.12:
	@kver=$$(LAB_KERNEL=6.12 BUILD=$(BUILD) tests/lab/fetch-kernel) || \
		{ echo "module-6.12: no 6.12 headers (tests/lab/fetch-kernel failed)" >&2; exit 1; }; \
	$(MAKE) --no-print-directory $(BUILD)/module-6.12/nft_sysrq.ko KVER_612=$$kver

$(BUILD)/module-6.12/nft_sysrq.ko: $(MODULE_SRC) $(KROOT_612)/.done-$(KVER_612)
	$(call module_build_copy,$(BUILD)/module-6.12,$(abspath $(KROOT_612))/usr/src/linux-headers-$(KVER_612),C=1 W=1,-e '^$$')
