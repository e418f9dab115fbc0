# `make bench`: verdict rates per class and the MAC path against raw HMAC.
.PHONY: bench
$(BUILD)/bench: $(BUILD)/obj/bench/bench.o $(CORE_OBJS) $(ULIB_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SODIUM_LIBS)
bench: $(BUILD)/bench
	$(BUILD)/bench

# `make bench-lab`: the module's packet-path cost in one lab guest boot, as
# ratios against a baseline in the same boot (bench/lab; about 5 minutes).
.PHONY: bench-lab
bench-lab:
	BUILD=$(BUILD) bench/lab
