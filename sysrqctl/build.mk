# sysrqctl: every .c file in sysrqctl/ is part of the one binary.
SYSRQCTL_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard sysrqctl/*.c))

all: $(BUILD)/sysrqctl
$(BUILD)/sysrqctl: $(SYSRQCTL_OBJS) $(CORE_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(SODIUM_LIBS) $(MNL_LIBS) $(JANSSON_LIBS) -lm

# `sysrqctl --version` prints ./VERSION.
$(BUILD)/obj/sysrqctl/main.o: VERSION
$(BUILD)/obj/sysrqctl/main.o: CPPFLAGS += -DNFT_SYSRQ_VERSION='"$(NFT_SYSRQ_VERSION)"'

# The test build, $(BUILD)/sysrqctl-test: the same program, but seal_key.c
# with SYSRQCTL_TEST_HOOKS, so that tests on a machine without the module
# can name the public key file and the modprobe program (seal_key.c says
# why the installed sysrqctl has no such hook). Never installed.
$(BUILD)/obj/test-hooks/sysrqctl/seal_key.o: sysrqctl/seal_key.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SODIUM_CFLAGS) -DSYSRQCTL_TEST_HOOKS -MMD -MP -c -o $@ $<
SYSRQCTL_TEST_OBJS := $(filter-out $(BUILD)/obj/sysrqctl/seal_key.o,$(SYSRQCTL_OBJS)) \
	$(BUILD)/obj/test-hooks/sysrqctl/seal_key.o
$(BUILD)/sysrqctl-test: $(SYSRQCTL_TEST_OBJS) $(CORE_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(SODIUM_LIBS) $(MNL_LIBS) $(JANSSON_LIBS) -lm
