# nft_sysrq top-level build. `make` builds the userspace programs into build/;
# `make module` the kernel module; `scripts/check` (or `make check`) runs every test; `make demo`
# boots the lab guest and triggers sysrq in it from the host; `make install`,
# `make dkms-install` and `make deb` install or package it (packaging/build.mk,
# docs/install.md).
# Each part keeps its rules in its own build.mk, included below.

BUILD      ?= build
# The one version of the project (sysrqctl --version, the module's
# MODULE_VERSION, dkms.conf, debian/changelog): ./VERSION.
NFT_SYSRQ_VERSION := $(shell cat VERSION)
CC         ?= cc
CLANG      ?= clang
PKG_CONFIG ?= pkg-config

WARN       := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla
CFLAGS     ?= -O2 -g
CPPFLAGS   += -D_GNU_SOURCE -Isysrqctl -Inft_sysrq -Inft_sysrq/include/uapi
ALL_CFLAGS  = -std=c11 $(WARN) $(CFLAGS) $(CPPFLAGS)
SODIUM_CFLAGS := $(shell $(PKG_CONFIG) --cflags libsodium 2>/dev/null)
SODIUM_LIBS   := $(shell $(PKG_CONFIG) --libs libsodium 2>/dev/null || echo -lsodium)
MNL_LIBS      := $(shell $(PKG_CONFIG) --libs libmnl libnftnl 2>/dev/null || echo -lnftnl -lmnl)
JANSSON_LIBS  := $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null || echo -ljansson)

# The protocol core and its userspace environment, linked into every program.
CORE_SRCS  := nft_sysrq/proto.c
ULIB_SRCS  := sysrqctl/core_env.c sysrqctl/keys/key.c
CORE_HDRS  := nft_sysrq/proto.h nft_sysrq/proto_shim.h sysrqctl/core_env.h sysrqctl/keys/key.h

.PHONY: all check demo deps clean format lint
all:

# Userspace objects: build/obj/<path>.o, with header dependencies.
CORE_OBJS  := $(CORE_SRCS:%.c=$(BUILD)/obj/%.o)
ULIB_OBJS  := $(ULIB_SRCS:%.c=$(BUILD)/obj/%.o)
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SODIUM_CFLAGS) -MMD -MP -c -o $@ $<
-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

include nft_sysrq/build.mk
include sysrqctl/build.mk
include tests/build.mk
include bench/build.mk
include man/build.mk
-include tests/lab/build.mk
-include userspace.mk
include packaging/build.mk

deps:
	scripts/install-deps

# Every test: scripts/check (the README's command, .ci/run) installs, builds
# and runs the suites; its last line is the summary.
check:
	scripts/check

demo: deps
	$(MAKE) all module
	tests/lab/demo

# Userspace C (and the core, which userspace compiles too); the module's
# own files are checked by `make module-check` (sparse, W=1) instead.
# A git pathspec's '*' matches '/' too: 'sysrqctl/*.c' takes the subfolders.
LINT_C = $(CORE_SRCS) $$(git ls-files 'sysrqctl/*.c' 'tests/*.c' 'bench/*.c')
LINT_H = nft_sysrq/proto.h nft_sysrq/proto_shim.h $$(git ls-files 'sysrqctl/*.h' 'tests/*.h')
LINT_I = -Isysrqctl -Inft_sysrq -Inft_sysrq/include/uapi

format:
	clang-format -i $(LINT_C) $(LINT_H)

lint:
	clang-format --dry-run --Werror $(LINT_C) $(LINT_H)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
		--std=c11 --inline-suppr -D__linux__ $(LINT_I) $(LINT_C)
	clang-tidy --quiet $(LINT_C) -- -std=c11 -D_GNU_SOURCE $(LINT_I)

clean:
	rm -rf $(BUILD)
	$(MAKE) -C nft_sysrq clean-kbuild 2>/dev/null || true
