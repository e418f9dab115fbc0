# The booted-system tests (tests/system): tests/system/run (Debian 13, in
# CI) and the same for Debian 12, outside CI's budget.
.PHONY: system-test-trixie system-test-bookworm
system-test-trixie:
	tests/system/module-build trixie
	tests/system/boot-test trixie

system-test-bookworm:
	tests/system/boot-test bookworm
