# The patched userspace: libnftnl + libnftnl-patch/series.RELEASE, nftables +
# nft-plugin/series.RELEASE (releases: nft-plugin/releases; bookworm is
# libnftnl 1.2.4 + nftables 1.0.6, trixie 1.2.9 + 1.1.3), built into
# $(BUILD)/userspace (private prefix, rpath set; the system's nft is untouched).
#
#   make userspace NFTNL_SRC=dir-or-tarball NFT_SRC=dir-or-tarball [NFT_RELEASE=...]
#
# The release is NFT_RELEASE or the one the sources are.
# Unnamed sources are downloaded (pinned release tarballs, sha256 checked);
# without them and without network it stops with one line saying so.
NFTNL_SRC ?=
NFT_SRC   ?=
NFT_RELEASE ?=

# Debian packages of the patched libnftnl and nftables for a release, to
# install over the distribution's (nft-plugin/build-debs, docs/nft.md):
#   make nft-debs RELEASE=bookworm|trixie NFTNL_SRC=... NFT_SRC=...
RELEASE ?=

.PHONY: userspace userspace-clean nft-debs
userspace:
	@BUILD='$(BUILD)' NFTNL_SRC='$(NFTNL_SRC)' NFT_SRC='$(NFT_SRC)' NFT_RELEASE='$(NFT_RELEASE)' nft-plugin/build-userspace

userspace-clean:
	rm -rf '$(BUILD)/userspace' '$(BUILD)/userspace-src'

nft-debs:
	@BUILD='$(BUILD)' RELEASE='$(RELEASE)' NFTNL_SRC='$(NFTNL_SRC)' NFT_SRC='$(NFT_SRC)' nft-plugin/build-debs
