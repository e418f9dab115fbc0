# The QEMU lab: guest tools (static), host tools, kernel and initramfs.
# Included by the top Makefile and by tests/build.mk: guard against twice.
ifndef LAB_BUILD_MK
LAB_BUILD_MK := 1

LAB_DIR       := $(BUILD)/lab
LAB_TOOL_HDRS := tests/lab/tools/labproto.h tests/lab/tools/labhex.h
LAB_CFLAGS     = -std=c11 $(WARN) $(CFLAGS) -D_GNU_SOURCE
# Guest tools are static: the guest has only the libraries we copy in.
LAB_GUEST     := $(LAB_DIR)/guest/labagent $(LAB_DIR)/guest/udpq $(LAB_DIR)/guest/labclock \
		 $(LAB_DIR)/guest/dgfuzz $(LAB_DIR)/guest/hang $(LAB_DIR)/guest/flood \
		 $(LAB_DIR)/guest/nlcap
LAB_HOST      := $(LAB_DIR)/bin/labexec $(LAB_DIR)/bin/udpq

$(LAB_DIR)/guest/%: tests/lab/tools/%.c $(LAB_TOOL_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(LAB_CFLAGS) -static -o $@ $<
$(LAB_DIR)/bin/%: tests/lab/tools/%.c $(LAB_TOOL_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(LAB_CFLAGS) -o $@ $<

# Dynamic guest tools: mkinitramfs copies their libraries.
$(LAB_DIR)/guest/nfdump: tests/lab/tools/nfdump.c
	@mkdir -p $(dir $@)
	$(CC) $(LAB_CFLAGS) -o $@ $< -lmnl

.PHONY: lab lab-tools lab-kernel
lab-tools: $(LAB_GUEST) $(LAB_HOST) $(LAB_DIR)/guest/nfdump
lab-kernel:
	BUILD=$(BUILD) tests/lab/fetch-kernel >/dev/null
# The initramfs takes whatever sysrqctl, module and nft builds exist now.
lab: lab-tools lab-kernel
	BUILD=$(BUILD) tests/lab/mkinitramfs

endif
