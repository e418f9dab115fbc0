// SPDX-License-Identifier: GPL-2.0
/*
 * seal-check: the patched nft's sealing (src/sysrq_seal.c of the series,
 * compiled in by tests/nft/run) against the seal vectors of protocol v2.
 *
 *   seal-check VECTORS_FILE
 *
 * For each "seal <key-b64> <module-secret-hex> <ephemeral-secret-hex>
 * <sealed-hex>" line: P = X25519(module secret, 9), and nft's
 * sysrq_seal_with(K, P, e) must give the sealed bytes. Also: a low-order
 * public key (all zero) is refused, and sysrq_seal (fresh e) gives a
 * different EP every time. Prints one line per check; exit 1 on a failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/netfilter/nft_sysrq.h>
#include <sodium.h>

/* src/sysrq_seal.c of the nft-plugin series (include/sysrq.h there) */
int sysrq_seal(const uint8_t key[NFT_SYSRQ_KEY_LEN], const uint8_t pk[32],
	       uint8_t sealed[NFT_SYSRQ_SEALED_KEY_LEN]);
int sysrq_seal_with(const uint8_t key[NFT_SYSRQ_KEY_LEN], const uint8_t pk[32],
		    const uint8_t e[32],
		    uint8_t sealed[NFT_SYSRQ_SEALED_KEY_LEN]);

static int failed;

static void report(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	if (!ok)
		failed = 1;
}

static int unhex(const char *hex, uint8_t *out, size_t len)
{
	size_t got;

	return sodium_hex2bin(out, len, hex, strlen(hex), NULL, &got, NULL) ==
				       0 &&
			       got == len ?
		       0 :
		       -1;
}

int main(int argc, char **argv)
{
	char line[4096], kb64[128], msec[128], esec[128], shex[256], what[160];
	uint8_t key[NFT_SYSRQ_KEY_LEN], m[32], e[32], pk[32];
	uint8_t want[NFT_SYSRQ_SEALED_KEY_LEN], got[NFT_SYSRQ_SEALED_KEY_LEN],
		again[NFT_SYSRQ_SEALED_KEY_LEN];
	size_t klen;
	int n = 0;
	FILE *f;

	if (argc != 2 || sodium_init() < 0)
		return 2;
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "seal ", 5) != 0)
			continue;
		if (sscanf(line, "seal %127s %127s %127s %255s", kb64, msec,
			   esec, shex) != 4 ||
		    sodium_base642bin(key, sizeof(key), kb64, strlen(kb64),
				      NULL, &klen, NULL,
				      sodium_base64_VARIANT_ORIGINAL) != 0 ||
		    klen != sizeof(key) || unhex(msec, m, 32) ||
		    unhex(esec, e, 32) || unhex(shex, want, sizeof(want))) {
			report(0, "a seal vector line is malformed");
			continue;
		}
		n++;
		crypto_scalarmult_base(pk, m);
		snprintf(what, sizeof(what),
			 "seal vector %d: nft's sysrq_seal_with gives the "
			 "vector's %d bytes",
			 n, NFT_SYSRQ_SEALED_KEY_LEN);
		report(sysrq_seal_with(key, pk, e, got) == 0 &&
			       !memcmp(got, want, sizeof(want)),
		       what);
		snprintf(what, sizeof(what),
			 "seal vector %d: sysrq_seal (fresh e) gives a new EP "
			 "each time",
			 n);
		report(sysrq_seal(key, pk, got) == 0 &&
			       sysrq_seal(key, pk, again) == 0 &&
			       memcmp(got, again, 32) != 0 &&
			       memcmp(got, want, 32) != 0,
		       what);
	}
	fclose(f);
	report(n > 0, "the vectors file has seal lines");
	memset(pk, 0, sizeof(pk));
	report(sysrq_seal(key, pk, got) < 0,
	       "a low-order public key (all zero: S all zero) is refused");
	return failed;
}
