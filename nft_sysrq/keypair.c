// SPDX-License-Identifier: GPL-2.0
/* The module's key pair for sealed keys. See keypair.h. */
#include <crypto/curve25519.h>
#include <linux/kobject.h>
#include <linux/random.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "keypair.h"

static u8 nft_sysrq_secret[CURVE25519_KEY_SIZE];
static u8 nft_sysrq_public[CURVE25519_KEY_SIZE];
static struct kobject *nft_sysrq_kobj;

static ssize_t public_key_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%*phN\n", CURVE25519_KEY_SIZE,
			  nft_sysrq_public);
}

static struct kobj_attribute nft_sysrq_public_attr = __ATTR_RO(public_key);

int nft_sysrq_keypair_init(void)
{
	int err;

	/* A key pair from an RNG not yet seeded would be guessable. */
	err = wait_for_random_bytes();
	if (err)
		return err;
	curve25519_generate_secret(nft_sysrq_secret);
	if (!curve25519_generate_public(nft_sysrq_public, nft_sysrq_secret)) {
		err = -EINVAL;
		goto err_wipe;
	}

	/* /sys/kernel/nft_sysrq/public_key, mode 0444. */
	nft_sysrq_kobj = kobject_create_and_add("nft_sysrq", kernel_kobj);
	if (!nft_sysrq_kobj) {
		err = -ENOMEM;
		goto err_wipe;
	}
	err = sysfs_create_file(nft_sysrq_kobj, &nft_sysrq_public_attr.attr);
	if (err)
		goto err_kobj;
	return 0;

err_kobj:
	kobject_put(nft_sysrq_kobj);
err_wipe:
	memzero_explicit(nft_sysrq_secret, sizeof(nft_sysrq_secret));
	return err;
}

void nft_sysrq_keypair_exit(void)
{
	sysfs_remove_file(nft_sysrq_kobj, &nft_sysrq_public_attr.attr);
	kobject_put(nft_sysrq_kobj);
	memzero_explicit(nft_sysrq_secret, sizeof(nft_sysrq_secret));
}

int nft_sysrq_unseal(const u8 sealed[SR_SEALED_LEN], u8 key[SR_KEY_LEN])
{
	return sr_unseal(sealed, nft_sysrq_secret, nft_sysrq_public, key) ?
		       -EINVAL : 0;
}
