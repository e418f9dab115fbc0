# The libFuzzer target (clang): build/fuzz/fuzz-core. `make fuzz` runs it
# (tests/fuzz/long) in FUZZ_JOBS processes (default 1) sharing a corpus,
# for FUZZ_SECONDS (default 600) or FUZZ_RUNS executions in all (default:
# no limit), whichever ends first; with FUZZ_CONTINUE=1, FUZZ_RUNS counts
# over the binary's whole campaign of runs (tests/fuzz/long). tests/fuzz/run
# does a short bounded run.
FUZZ_SECONDS  ?= 600
FUZZ_RUNS     ?= -1
FUZZ_JOBS     ?= 1
FUZZ_CONTINUE ?= 0
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fsanitize-coverage-ignorelist=tests/fuzz/coverage-ignore.txt
FUZZ_SRCS  := tests/fuzz/fuzz_core.c $(CORE_SRCS) sysrqctl/core_env.c

$(BUILD)/fuzz/fuzz-core: $(FUZZ_SRCS) $(CORE_HDRS) tests/fuzz/coverage-ignore.txt
	@mkdir -p $(dir $@)
	$(CLANG) -std=c11 $(WARN) $(CPPFLAGS) $(FUZZ_FLAGS) -o $@ $(FUZZ_SRCS) $(SODIUM_LIBS)

.PHONY: fuzz
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_JOBS=$(FUZZ_JOBS) \
		FUZZ_CONTINUE=$(FUZZ_CONTINUE) tests/fuzz/long
