# tests/nl: nl-probe drives sysrqctl's netlink code (rule copier, enable's
# match, error decoding) against a kernel without the sysrq expression.
NL_PROBE_OBJS := $(BUILD)/obj/tests/nl/nl_probe.o \
	$(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard sysrqctl/netlink/nl*.c)) \
	$(BUILD)/obj/sysrqctl/core_env.o $(BUILD)/obj/sysrqctl/keys/key.o \
	$(BUILD)/obj/sysrqctl/keys/prompt.o $(BUILD)/obj/sysrqctl/keys/seal_key.o

all: $(BUILD)/nl-probe
$(BUILD)/nl-probe: $(NL_PROBE_OBJS) $(CORE_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(SODIUM_LIBS) $(MNL_LIBS)

# A shim that makes NETLINK_CAP_ACK unavailable (LD_PRELOAD).
all: $(BUILD)/no-cap-ack.so
$(BUILD)/no-cap-ack.so: tests/nl/no_cap_ack.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -shared -o $@ $< -ldl

# A shim that copies what is sent on netlink sockets to $NL_CAPTURE.
all: $(BUILD)/nl-capture.so
$(BUILD)/nl-capture.so: tests/nl/nl_capture.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -shared -o $@ $< -ldl
