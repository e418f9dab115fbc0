# nft_sysrq kernel module: top-level targets (included by ./Makefile).
#   make module          nft_sysrq/nft_sysrq.ko against KDIR (Debian 6.1 headers)
#   make module-check    sparse (C=1) and W=1 build in a fresh copy; fails on any warning
#   make module-612-tree unpack and prepare build/linux-6.12 from linux-source-6.12
#   make module-612      compile check against build/linux-6.12 (skipped if absent)
KDIR       ?= $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
KDIR_612   ?= $(BUILD)/linux-6.12
MODULE_UAPI := nft_sysrq/include/uapi/linux/netfilter/nft_sysrq.h
MODULE_KSRC := $(filter-out %.mod.c,$(wildcard nft_sysrq/*.c nft_sysrq/*.h)) \
	       nft_sysrq/Kbuild
MODULE_SRC  := $(MODULE_KSRC) $(MODULE_UAPI)

.PHONY: module module-check module-612 module-612-tree module-kdir
module: nft_sysrq/nft_sysrq.ko

module-kdir:
	@test -n "$(KDIR)" && test -d "$(KDIR)" || \
		{ echo "module: no kernel build tree; install linux-headers-amd64 (scripts/install-deps) or set KDIR" >&2; exit 1; }

nft_sysrq/nft_sysrq.ko: $(MODULE_SRC) | module-kdir
	$(MAKE) -C $(KDIR) M=$(CURDIR)/nft_sysrq modules

# Build a copy of the sources in $(1) against kernel tree $(2) with extra
# make arguments $(3); fail on any compiler, sparse or modpost warning but
# those matched by the grep arguments $(4).
define module_build_copy
	rm -rf $(1) && mkdir -p $(1)
	cp $(MODULE_KSRC) $(1)/
	mkdir -p $(1)/$(dir $(MODULE_UAPI:nft_sysrq/%=%))
	cp $(MODULE_UAPI) $(1)/$(MODULE_UAPI:nft_sysrq/%=%)
	$(MAKE) -C $(2) M=$(abspath $(1)) $(3) modules > $(1).log 2>&1; rc=$$?; \
	cat $(1).log; \
	if [ $$rc -ne 0 ]; then echo "$@: build failed ($$rc)" >&2; exit 1; fi; \
	if grep -E '(warning|error|WARNING|ERROR):' $(1).log | grep -v $(4); then \
		echo "$@: warnings above" >&2; exit 1; fi; \
	echo "$@: clean ($(notdir $(2)): $(3))"
endef

module-check: | module-kdir
	$(call module_build_copy,$(BUILD)/module-check,$(KDIR),C=1 W=1,-e '^$$')

module-612:
	@if [ ! -f $(KDIR_612)/scripts/mod/modpost ]; then \
		echo "module-612: skip ($(KDIR_612) not prepared; make module-612-tree)"; exit 0; fi; \
	$(MAKE) --no-print-directory module-612-build

.PHONY: module-612-build
# Without a built vmlinux modpost cannot resolve symbols, so the link check
# is ours: every symbol the module imports must be exported somewhere in the
# 6.12 source (retpoline thunks are exported by assembler macros).
module-612-build:
	$(call module_build_copy,$(BUILD)/module-612,$(KDIR_612),C=1 W=1 KBUILD_MODPOST_WARN=1,-e 'Module.symvers is missing' -e 'suppressed [0-9]* unresolved symbol' -e '^WARNING: modpost: "[^"]*" \[.*\] undefined!$$')
	@cd $(KDIR_612) && grep -rhoE --include='*.c' --include='*.S' --include='*.h' \
		--exclude-dir=Documentation --exclude-dir=tools --exclude-dir=samples \
		'EXPORT_(PER_CPU_)?SYMBOL(_GPL|_NS_GPL|_NS)?\(\s*[A-Za-z0-9_]+|EXPORT_INDIRECT_CALLABLE\(\s*[A-Za-z0-9_]+' . | \
		sed -E 's/.*\(\s*//' | sort -u > $(abspath $(BUILD))/module-612.exports
	@nm -u $(BUILD)/module-612/nft_sysrq.ko | awk '{print $$2}' | sort -u | \
		grep -v '^__x86_indirect_thunk_' | comm -23 - $(BUILD)/module-612.exports > $(BUILD)/module-612.unexported; \
	if [ -s $(BUILD)/module-612.unexported ]; then \
		echo "module-612: imports not exported by 6.12:" >&2; cat $(BUILD)/module-612.unexported >&2; exit 1; fi; \
	echo "module-612: all $$(nm -u $(BUILD)/module-612/nft_sysrq.ko | wc -l) imported symbols are exported by 6.12"

# The configuration the compile check needs, on top of x86_64 defconfig.
module-612-tree:
	@test -f /usr/src/linux-source-6.12.tar.xz || \
		{ echo "module-612-tree: apt-get install linux-source-6.12 libelf-dev" >&2; exit 1; }
	mkdir -p $(BUILD)
	test -d $(KDIR_612) || { tar -C $(BUILD) -xJf /usr/src/linux-source-6.12.tar.xz && \
		mv $(BUILD)/linux-source-6.12 $(KDIR_612); }
	$(MAKE) -C $(KDIR_612) defconfig
	cd $(KDIR_612) && ./scripts/config -e NETFILTER -e NF_CONNTRACK -m NF_TABLES \
		-e NF_TABLES_INET -e NF_TABLES_IPV4 -e NF_TABLES_IPV6 -e IPV6 \
		-e CRYPTO_HMAC -e CRYPTO_SHA256 -e MAGIC_SYSRQ -e MODULES
	$(MAKE) -C $(KDIR_612) olddefconfig
	$(MAKE) -C $(KDIR_612) modules_prepare
