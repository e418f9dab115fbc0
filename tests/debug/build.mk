# make check-debug: the lab suites on a KASAN/lockdep/kmemleak build of
# Debian's kernel (tests/debug/check; about an hour for the first kernel
# build). DEBUG_KERNEL=6.1 (default) or 6.12; check-debug-all runs both.
# make module-debug: nft_sysrq.ko against that tree, in a copy beside it
# (build/debug/module, build/debug-6.12/module).
DEBUG_KERNEL ?= 6.1
DEBUG_BUILD  := build/debug$(if $(filter 6.12,$(DEBUG_KERNEL)),-6.12)
KDIR_DEBUG   ?= $(DEBUG_BUILD)/linux

.PHONY: check-debug check-debug-all module-debug
check-debug:
	DEBUG_KERNEL=$(DEBUG_KERNEL) tests/debug/check

check-debug-all:
	DEBUG_KERNEL=6.1 tests/debug/check
	DEBUG_KERNEL=6.12 tests/debug/check

module-debug:
	@test -f $(KDIR_DEBUG)/vmlinux || \
		{ echo "module-debug: no built tree in $(KDIR_DEBUG) (tests/debug/build-kernel)" >&2; exit 1; }
	$(call module_build_copy,$(patsubst %/linux,%,$(KDIR_DEBUG))/module,$(KDIR_DEBUG),W=1,-e '^$$')
