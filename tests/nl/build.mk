# tests/nl: nl-probe drives sysrqctl's netlink code (rule copier, enable's
# match, error decoding) against a kernel without the sysrq expression.
NL_PROBE_OBJS := $(BUILD)/obj/tests/nl/nl_probe.o \
	$(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard sysrqctl/nl*.c)) \
	$(BUILD)/obj/sysrqctl/core_env.o

all: $(BUILD)/nl-probe
$(BUILD)/nl-probe: $(NL_PROBE_OBJS) $(CORE_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(SODIUM_LIBS) $(MNL_LIBS)

# A shim that makes NETLINK_CAP_ACK unavailable (LD_PRELOAD).
all: $(BUILD)/no-cap-ack.so
$(BUILD)/no-cap-ack.so: tests/nl/no_cap_ack.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -shared -o $@ $< -ldl
