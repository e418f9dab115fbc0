# `make bench`: verdict rates per class and the MAC path against raw HMAC
# (bench.c), then P5, the client's cost of 256 hosts against 1 (send_bench.c).
.PHONY: bench
$(BUILD)/bench: $(BUILD)/obj/bench/bench.o $(CORE_OBJS) $(ULIB_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SODIUM_LIBS)
$(BUILD)/bench-send: $(BUILD)/obj/bench/send_bench.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SODIUM_LIBS)
bench: $(BUILD)/bench $(BUILD)/bench-send $(BUILD)/sysrqctl $(BUILD)/sysrq-testd
	$(BUILD)/bench
	$(BUILD)/bench-send $(BUILD)
