# End-to-end suite tools (tests/e2e/run): requests and ACK checks through the core.
$(BUILD)/sr-e2e: $(BUILD)/obj/tests/e2e/srtool.o $(CORE_OBJS) $(ULIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(SODIUM_LIBS)
