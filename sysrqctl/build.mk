# sysrqctl: every .c file in sysrqctl/ is part of the one binary.
SYSRQCTL_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard sysrqctl/*.c))

all: $(BUILD)/sysrqctl
$(BUILD)/sysrqctl: $(SYSRQCTL_OBJS) $(CORE_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(SODIUM_LIBS) $(MNL_LIBS) $(JANSSON_LIBS) -lm

# `sysrqctl --version` prints ./VERSION.
$(BUILD)/obj/sysrqctl/main.o: VERSION
$(BUILD)/obj/sysrqctl/main.o: CPPFLAGS += -DNFT_SYSRQ_VERSION='"$(NFT_SYSRQ_VERSION)"'
