# `make bench`: verdict rates per class and the MAC path against raw HMAC,
# the CLOCK path and the output encryption rate against raw AEAD
# (bench.c), then P5, the client's cost of 256 hosts against 1 (send_bench.c).
.PHONY: bench
$(BUILD)/bench: $(BUILD)/obj/bench/bench.o $(CORE_OBJS) $(ULIB_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SODIUM_LIBS)
$(BUILD)/bench-send: $(BUILD)/obj/bench/send_bench.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SODIUM_LIBS)
bench: $(BUILD)/bench $(BUILD)/bench-send $(BUILD)/sysrqctl $(BUILD)/sysrq-testd
	$(BUILD)/bench
	$(BUILD)/bench-send $(BUILD)

# `make bench-lab`: the module's packet-path cost in one lab guest boot, as
# ratios against a baseline in the same boot (bench/lab; about 5 minutes).
.PHONY: bench-lab
bench-lab:
	BUILD=$(BUILD) bench/lab

# `make bench-rescue`: P6, send -> reset of `sysrqctl reboot` against the
# guest's own sync and remount time, median of 3 lab boots per kernel
# (bench/rescue; about 8 minutes).
.PHONY: bench-rescue
bench-rescue:
	BUILD=$(BUILD) bench/rescue
