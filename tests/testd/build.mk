# sysrq-testd: the userspace test server on the protocol core (client tests).
TESTD_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/testd/*.c))

all: $(BUILD)/sysrq-testd
$(BUILD)/sysrq-testd: $(TESTD_OBJS) $(CORE_OBJS) $(ULIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(SODIUM_LIBS)
