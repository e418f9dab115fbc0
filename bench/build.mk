# `make bench`: verdict rates per class and the MAC path against raw HMAC.
.PHONY: bench
$(BUILD)/bench: $(BUILD)/obj/bench/bench.o $(CORE_OBJS) $(ULIB_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SODIUM_LIBS)
bench: $(BUILD)/bench
	$(BUILD)/bench
