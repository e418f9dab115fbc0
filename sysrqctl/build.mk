# sysrqctl: every .c file under sysrqctl/ is part of the one binary. By layer:
#   main.c, opt.c     entry and command table; getopt messages, "did you mean"
#   commands.h        the subcommands' signature and exit codes
#   core_env.c        the protocol core's userspace environment (libsodium);
#                     also linked into the tests, benches and the fuzzer
#   cmd/              one file per subcommand (diag.c: what blocked, tasks,
#                     memory, backtraces share; send_cli.c: the options of
#                     send, reboot, poweroff; arm_conf.c: nft_sysrq.conf)
#   client/           the UDP client engine of send: hosts, keys, sockets,
#                     event loop, report (send.h); HOST[:PORT], hosts files
#   netlink/          nf_tables over netlink (libmnl, libnftnl), the option
#                     checks of the configuration commands, the nft probe
#   keys/             key text and files, passphrases, sealing keys for the
#                     module
# Includes are relative to sysrqctl/ (-Isysrqctl): "netlink/nl.h".
SYSRQCTL_SRCS := $(wildcard sysrqctl/*.c sysrqctl/cmd/*.c sysrqctl/client/*.c \
			    sysrqctl/netlink/*.c sysrqctl/keys/*.c)
SYSRQCTL_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(SYSRQCTL_SRCS))

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
$(BUILD)/obj/test-hooks/sysrqctl/keys/seal_key.o: sysrqctl/keys/seal_key.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SODIUM_CFLAGS) -DSYSRQCTL_TEST_HOOKS -MMD -MP -c -o $@ $<
SYSRQCTL_TEST_OBJS := $(filter-out $(BUILD)/obj/sysrqctl/keys/seal_key.o,$(SYSRQCTL_OBJS)) \
	$(BUILD)/obj/test-hooks/sysrqctl/keys/seal_key.o
$(BUILD)/sysrqctl-test: $(SYSRQCTL_TEST_OBJS) $(CORE_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(SODIUM_LIBS) $(MNL_LIBS) $(JANSSON_LIBS) -lm
