# Test programs. Each suite directory may add its own build.mk.
all: $(BUILD)/vectors-check $(BUILD)/unit-tests

$(BUILD)/vectors-check: $(BUILD)/obj/tests/vectors/vectors_check.o $(CORE_OBJS) $(ULIB_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SODIUM_LIBS)

UNIT_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/unit/*.c))
# sysrqctl's parsers that stand alone, tested on their own.
UNIT_OBJS += $(BUILD)/obj/sysrqctl/client/hostport.o $(BUILD)/obj/sysrqctl/client/hosts_file.o
$(BUILD)/unit-tests: $(UNIT_OBJS) $(CORE_OBJS) $(ULIB_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SODIUM_LIBS)

-include $(filter-out tests/build.mk,$(wildcard tests/*/build.mk))
