# Installing and packaging: top-level targets (included by ./Makefile).
#   make install         sysrqctl (in SBINDIR), the man pages man/*.[1-8],
#                        the docs and examples (sysctl/*.conf, examples/*),
#                        the systemd units systemd/*.{service,timer,socket,path}
#                        and drop-ins systemd/*.d/*.conf,
#                        the directory SYSCONFDIR/nft_sysrq (mode 0700), and
#                        the module for the running kernel (install-module)
#   make uninstall       removes what install put (a non-empty
#                        SYSCONFDIR/nft_sysrq, holding keys, stays)
#   make install-sysrqctl, uninstall-sysrqctl   all of that but the module
#   make install-module, uninstall-module       the module alone: built against
#                        MODULE_KDIR for KVER, Kbuild's modules_install into
#                        DESTDIR/lib/modules/KVER/INSTALL_MOD_DIR, then depmod
#                        (not with DESTDIR)
#   make install-dkms-src   the module's sources with dkms.conf, version
#                        filled in, into DESTDIR/usr/src/nft-sysrq-VERSION
#   make dkms-install    (root) that, then dkms add, build and install for KVER
#                        (a registered nft-sysrq/VERSION is removed first)
#   make dkms-remove     (root) dkms remove --all, then delete the sources
#   make deb             the Debian packages (debian/) in $(BUILD)/deb, built
#                        with dpkg-buildpackage -b from a copy of the tree,
#                        then lintian on the .changes (DEB_BUILD_FLAGS: more
#                        dpkg-buildpackage options, e.g. -j1)
#
# Variables: DESTDIR, PREFIX (/usr/local), SBINDIR, MANDIR, DOCDIR,
# EXAMPLESDIR, SYSCONFDIR (/etc: sysrqctl reads /etc/nft_sysrq whatever the
# prefix), SYSTEMDUNITDIR; KVER (uname -r), MODULE_KDIR (/lib/modules/KVER/build),
# INSTALL_MOD_DIR (updates); DKMS (dkms), DKMS_FLAGS (e.g. --dkmstree DIR
# --installtree DIR --no-depmod: a throwaway DKMS, as tests/pkg/run uses),
# DKMS_SOURCETREE (/usr/src). `make module` keeps building against the
# newest installed headers (KDIR), for the tests; installing uses KVER's.
PREFIX         ?= /usr/local
SBINDIR        ?= $(PREFIX)/sbin
MANDIR         ?= $(PREFIX)/share/man
DOCDIR         ?= $(PREFIX)/share/doc/nft-sysrq
EXAMPLESDIR    ?= $(DOCDIR)/examples
SYSCONFDIR     ?= /etc
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
INSTALL        ?= install

KVER            ?= $(shell uname -r)
MODULE_KDIR     ?= /lib/modules/$(KVER)/build
INSTALL_MOD_DIR ?= updates

DKMS            ?= dkms
DKMS_FLAGS      ?=
DKMS_SOURCETREE ?= /usr/src
DKMS_NAME       := nft-sysrq
DKMS_SRCDIR      = $(DKMS_SOURCETREE)/$(DKMS_NAME)-$(NFT_SYSRQ_VERSION)
DKMS_RUN         = $(DKMS) $(DKMS_FLAGS) --sourcetree $(DKMS_SOURCETREE)
DKMS_MOD         = -m $(DKMS_NAME) -v $(NFT_SYSRQ_VERSION)
# dkms finds the headers in /lib/modules/KVER/build itself; another
# MODULE_KDIR is passed on.
DKMS_KSRC        = $(if $(filter-out /lib/modules/$(KVER)/build,$(MODULE_KDIR)),--kernelsourcedir $(MODULE_KDIR))

# What is installed is what exists now: man pages, examples and units are
# picked up by these globs, whoever adds them.
PKG_MAN      := $(sort $(wildcard man/*.[1-8]))
PKG_EXAMPLES := $(sort $(wildcard sysctl/*.conf) $(shell find examples -maxdepth 1 -type f 2>/dev/null))
PKG_UNITS    := $(sort $(wildcard systemd/*.service systemd/*.timer systemd/*.socket systemd/*.path))
# Drop-ins for other packages' units (systemd/UNIT.d/*.conf), as UNIT.d/FILE.
PKG_DROPINS  := $(patsubst systemd/%,%,$(sort $(wildcard systemd/*.d/*.conf)))
PKG_DOCS     := README.md NEWS docs/admin.md docs/sysrqctl.md
PKG_CONFDIR   = $(SYSCONFDIR)/nft_sysrq
# A module name as modules_install may leave it (6.12's Kbuild compresses
# like the kernel it is for).
PKG_KO_NAMES := nft_sysrq.ko nft_sysrq.ko.gz nft_sysrq.ko.xz nft_sysrq.ko.zst

.PHONY: install uninstall install-sysrqctl uninstall-sysrqctl install-module \
	uninstall-module install-module-kdir install-dkms-src dkms-install dkms-remove deb

install: install-sysrqctl install-module
uninstall: uninstall-sysrqctl uninstall-module

# Units name the tool /usr/sbin/sysrqctl; installed, they name SBINDIR's.
install-sysrqctl: $(BUILD)/sysrqctl
	$(INSTALL) -d $(DESTDIR)$(SBINDIR)
	$(INSTALL) -m 0755 $(BUILD)/sysrqctl $(DESTDIR)$(SBINDIR)/sysrqctl
	@set -e; for m in $(PKG_MAN); do \
		echo "$(INSTALL) -D -m 0644 $$m $(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/}"; \
		$(INSTALL) -D -m 0644 "$$m" "$(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/}"; \
	done
	$(INSTALL) -d $(DESTDIR)$(DOCDIR) $(DESTDIR)$(EXAMPLESDIR)
	$(INSTALL) -m 0644 $(PKG_DOCS) $(DESTDIR)$(DOCDIR)/
	$(if $(PKG_EXAMPLES),$(INSTALL) -m 0644 $(PKG_EXAMPLES) $(DESTDIR)$(EXAMPLESDIR)/)
	@set -e; for u in $(PKG_UNITS); do \
		echo "sed 's|/usr/sbin/sysrqctl|$(SBINDIR)/sysrqctl|g' $$u >$(DESTDIR)$(SYSTEMDUNITDIR)/$${u##*/}"; \
		$(INSTALL) -d "$(DESTDIR)$(SYSTEMDUNITDIR)"; \
		sed 's|/usr/sbin/sysrqctl|$(SBINDIR)/sysrqctl|g' "$$u" >"$(DESTDIR)$(SYSTEMDUNITDIR)/$${u##*/}"; \
		chmod 0644 "$(DESTDIR)$(SYSTEMDUNITDIR)/$${u##*/}"; \
	done
	@set -e; for d in $(PKG_DROPINS); do \
		echo "$(INSTALL) -D -m 0644 systemd/$$d $(DESTDIR)$(SYSTEMDUNITDIR)/$$d"; \
		$(INSTALL) -D -m 0644 "systemd/$$d" "$(DESTDIR)$(SYSTEMDUNITDIR)/$$d"; \
	done
	[ -d $(DESTDIR)$(PKG_CONFDIR) ] || $(INSTALL) -d -m 0700 $(DESTDIR)$(PKG_CONFDIR)

uninstall-sysrqctl:
	rm -f $(DESTDIR)$(SBINDIR)/sysrqctl
	@set -e; for m in $(PKG_MAN); do \
		echo "rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/}"; \
		rm -f "$(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/}"; \
	done
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/,$(notdir $(PKG_DOCS)))
	$(if $(PKG_EXAMPLES),rm -f $(addprefix $(DESTDIR)$(EXAMPLESDIR)/,$(notdir $(PKG_EXAMPLES))))
	$(if $(PKG_UNITS),rm -f $(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,$(notdir $(PKG_UNITS))))
	$(if $(PKG_DROPINS),rm -f $(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,$(PKG_DROPINS)))
	for d in $(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,$(sort $(dir $(PKG_DROPINS)))) \
		$(DESTDIR)$(EXAMPLESDIR) $(DESTDIR)$(DOCDIR) $(DESTDIR)$(PKG_CONFDIR); do \
		[ ! -d "$$d" ] || rmdir --ignore-fail-on-non-empty "$$d"; done

# The module for KVER, built in a copy of its own (nft_sysrq/nft_sysrq.ko
# stays the one `make module` built for the tests).
MODULE_INST_BUILD = $(BUILD)/module-install/$(KVER)

install-module-kdir:
	@test -f "$(MODULE_KDIR)/Makefile" || \
		{ echo "install-module: no kernel build tree at $(MODULE_KDIR): install linux-headers-$(KVER), or set KVER (and MODULE_KDIR)" >&2; exit 1; }

$(MODULE_INST_BUILD)/nft_sysrq.ko: $(MODULE_SRC) | install-module-kdir
	rm -rf $(MODULE_INST_BUILD) && mkdir -p $(MODULE_INST_BUILD)
	$(call module_tree,$(MODULE_INST_BUILD))
	+$(MAKE) -C $(MODULE_KDIR) M=$(abspath $(MODULE_INST_BUILD)) modules

# Kbuild's own depmod is off (DEPMOD=true): ours runs only without DESTDIR.
# Kbuild tries to sign the module (CONFIG_MODULE_SIG_ALL); without the
# tree's key, as with Debian's headers, it prints SSL errors and goes on.
install-module: $(MODULE_INST_BUILD)/nft_sysrq.ko
	+$(MAKE) -C $(MODULE_KDIR) M=$(abspath $(MODULE_INST_BUILD)) \
		INSTALL_MOD_PATH=$(abspath $(DESTDIR)) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) \
		DEPMOD=true modules_install
	$(if $(DESTDIR),@echo "install-module: DESTDIR is set: no depmod",depmod -a $(KVER))

uninstall-module:
	rm -f $(foreach d,/lib/modules /usr/lib/modules,$(addprefix $(DESTDIR)$(d)/$(KVER)/$(INSTALL_MOD_DIR)/,$(PKG_KO_NAMES)))
	for d in /lib/modules /usr/lib/modules; do \
		[ ! -d "$(DESTDIR)$$d/$(KVER)/$(INSTALL_MOD_DIR)" ] || \
		rmdir --ignore-fail-on-non-empty "$(DESTDIR)$$d/$(KVER)/$(INSTALL_MOD_DIR)"; done
	$(if $(DESTDIR),@echo "uninstall-module: DESTDIR is set: no depmod",\
		[ ! -d /lib/modules/$(KVER) ] || depmod -a $(KVER))

install-dkms-src:
	$(call module_tree,$(DESTDIR)$(DKMS_SRCDIR))
	sed 's/#MODULE_VERSION#/$(NFT_SYSRQ_VERSION)/' nft_sysrq/dkms.conf >$(DESTDIR)$(DKMS_SRCDIR)/dkms.conf
	chmod 0644 $(DESTDIR)$(DKMS_SRCDIR)/dkms.conf

dkms-install:
	@test -z "$(DESTDIR)" || \
		{ echo "dkms-install: registers with this host's dkms; no DESTDIR (install-dkms-src copies the sources there)" >&2; exit 1; }
	@if [ -n "$$($(DKMS_RUN) status $(DKMS_MOD))" ]; then \
		echo "$(DKMS_RUN) remove $(DKMS_MOD) --all"; \
		$(DKMS_RUN) remove $(DKMS_MOD) --all; fi
	rm -rf $(DKMS_SRCDIR)
	$(MAKE) --no-print-directory install-dkms-src DESTDIR=
	$(DKMS_RUN) add $(DKMS_MOD)
	$(DKMS_RUN) build $(DKMS_MOD) -k $(KVER) $(DKMS_KSRC)
	$(DKMS_RUN) install $(DKMS_MOD) -k $(KVER) $(DKMS_KSRC)

dkms-remove:
	@if [ -n "$$($(DKMS_RUN) status $(DKMS_MOD))" ]; then \
		echo "$(DKMS_RUN) remove $(DKMS_MOD) --all"; \
		$(DKMS_RUN) remove $(DKMS_MOD) --all; \
	else echo "dkms-remove: $(DKMS_NAME)/$(NFT_SYSRQ_VERSION) is not registered with dkms"; fi
	rm -rf $(DKMS_SRCDIR)

# dpkg-buildpackage leaves its output beside the source directory: it
# builds in a copy under $(BUILD)/deb (the files git tracks or would,
# as they are now), so the .deb, .changes and .buildinfo land there and
# the working tree's build/ is never cleaned by debian/rules.
DEB_DIR     = $(BUILD)/deb
DEB_SRC     = $(DEB_DIR)/$(DKMS_NAME)-$(NFT_SYSRQ_VERSION)
DEB_CHANGES = $(DEB_DIR)/$(DKMS_NAME)_$(shell dpkg-parsechangelog -S Version 2>/dev/null)_$(shell dpkg --print-architecture 2>/dev/null).changes
DEB_BUILD_FLAGS ?=
LINTIAN    ?= lintian
LINTIAN_FLAGS ?= --display-info --pedantic --fail-on error

deb:
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_SRC)
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z -co --exclude-standard | \
		xargs -0 -r sh -c 'for f; do [ ! -e "$$f" ] || printf "%s\0" "$$f"; done' sh | \
		tar --null -T - -cf - | tar -xf - -C $(DEB_SRC); \
	else tar --exclude=./$(BUILD) -cf - . | tar -xf - -C $(DEB_SRC); fi
	cd $(DEB_SRC) && dpkg-buildpackage -b -us -uc $(DEB_BUILD_FLAGS)
	rm -rf $(DEB_SRC)
	ls -l $(DEB_DIR)
	$(LINTIAN) $(LINTIAN_FLAGS) $(DEB_CHANGES)
