# Manual pages: `make man-check` renders every page in man/ the way man(1)
# and groff do and fails on any warning (tests/lint/run runs it).
MAN_PAGES := $(sort $(wildcard man/*.[1-9]))

.PHONY: man-check
man-check:
	@command -v man >/dev/null && command -v groff >/dev/null || \
		{ echo "man-check: needs man and groff (apt-get install man-db groff-base)"; exit 1; }
	@fail=0; \
	for m in $(MAN_PAGES); do \
		out=$$( { LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$$m" >/dev/null; \
			groff -man -ww -z "$$m"; } 2>&1); \
		if [ -n "$$out" ]; then printf '%s:\n%s\n' "$$m" "$$out"; fail=1; fi; \
	done; \
	[ -n "$(MAN_PAGES)" ] || { echo "man-check: no pages in man/"; fail=1; }; \
	exit $$fail
