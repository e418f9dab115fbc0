# Client suite tools: a lossy UDP proxy and an ACK forger (tests/client/run).
CLIENT_TOOL_OBJ = $(BUILD)/obj/tests/client/$(1).o $(BUILD)/obj/tests/client/relay.o

all: $(BUILD)/sr-udp-proxy $(BUILD)/sr-ack-forger
$(BUILD)/sr-udp-proxy: $(call CLIENT_TOOL_OBJ,udp_proxy)
	$(CC) $(LDFLAGS) -o $@ $^
$(BUILD)/sr-ack-forger: $(call CLIENT_TOOL_OBJ,ack_forger) $(CORE_OBJS) $(ULIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(SODIUM_LIBS)
