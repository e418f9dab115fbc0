# The patched userspace: libnftnl 1.2.4 + libnftnl-patch/, nftables 1.0.6 +
# nft-plugin/, built into $(BUILD)/userspace (private prefix, rpath set; the
# system's nft is untouched).
#
#   make userspace NFTNL_SRC=dir-or-tarball NFT_SRC=dir-or-tarball
#
# Unnamed sources are downloaded (pinned release tarballs, sha256 checked);
# without them and without network it stops with one line saying so.
NFTNL_SRC ?=
NFT_SRC   ?=

.PHONY: userspace userspace-clean
userspace:
	@BUILD='$(BUILD)' NFTNL_SRC='$(NFTNL_SRC)' NFT_SRC='$(NFT_SRC)' nft-plugin/build-userspace

userspace-clean:
	rm -rf '$(BUILD)/userspace' '$(BUILD)/userspace-src'
