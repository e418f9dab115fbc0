/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protocol core's environment in userspace: libsodium's HMAC-SHA256,
 * ChaCha20-Poly1305 and X25519, and record locks for one thread.
 */
#ifndef SYSRQCTL_CORE_ENV_H
#define SYSRQCTL_CORE_ENV_H

#include <sodium.h>
#include <stdint.h>

/*
 * A key ready for the core: the HMAC state after absorbing the key, so
 * each MAC costs only the message. Holds key-derived secrets; wipe it.
 */
struct sr_mac_key {
	crypto_auth_hmacsha256_state st;
};

void sr_mac_key_init(struct sr_mac_key *mk, const uint8_t key[32]);
void sr_mac_key_wipe(struct sr_mac_key *mk);

#endif
