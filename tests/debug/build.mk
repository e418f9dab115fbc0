# make check-debug: the lab suites on a KASAN/lockdep/kmemleak build of
# Debian's 6.1 (tests/debug/check; about an hour for the first kernel build).
# make module-debug: nft_sysrq.ko against that tree, in a copy.
KDIR_DEBUG ?= build/debug/linux

.PHONY: check-debug module-debug
check-debug:
	tests/debug/check

module-debug:
	@test -f $(KDIR_DEBUG)/vmlinux || \
		{ echo "module-debug: no built tree in $(KDIR_DEBUG) (tests/debug/build-kernel)" >&2; exit 1; }
	$(call module_build_copy,build/debug/module,$(KDIR_DEBUG),W=1,-e '^$$')
