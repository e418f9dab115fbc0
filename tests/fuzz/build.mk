# The libFuzzer target (clang): build/fuzz/fuzz-core. `make fuzz` runs it
# for FUZZ_SECONDS (default 600) or FUZZ_RUNS executions (default: no
# limit), whichever ends first; tests/fuzz/run does a short bounded run.
FUZZ_SECONDS ?= 600
FUZZ_RUNS    ?= -1
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SRCS  := tests/fuzz/fuzz_core.c $(CORE_SRCS) sysrqctl/core_env.c

$(BUILD)/fuzz/fuzz-core: $(FUZZ_SRCS) $(CORE_HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) -std=c11 $(WARN) $(CPPFLAGS) $(FUZZ_FLAGS) -o $@ $(FUZZ_SRCS) $(SODIUM_LIBS)

.PHONY: fuzz
fuzz: $(BUILD)/fuzz/fuzz-core
	@mkdir -p $(BUILD)/fuzz/corpus
	$(BUILD)/fuzz/fuzz-core -artifact_prefix=$(BUILD)/fuzz/ -max_total_time=$(FUZZ_SECONDS) -runs=$(FUZZ_RUNS) -print_final_stats=1 \
		$(BUILD)/fuzz/corpus tests/fuzz/seeds
