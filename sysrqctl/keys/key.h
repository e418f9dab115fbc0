/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Secret keys as text and files, fleet-key derivation, passphrase keys.
 * Every function that fails writes one line naming the problem into err
 * (never any key material) and leaves out untouched or zeroed.
 */
#ifndef SYSRQCTL_KEY_H
#define SYSRQCTL_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#define KEY_LEN	    32
#define KEY_B64_LEN 44
#define LABEL_MAX   253
#define ERR_LEN	    256

/* Where a key comes from: a key file, a fleet key file, a passphrase. */
enum key_source { SRC_NONE, SRC_KEY, SRC_FLEET, SRC_PASS };

/* 44 characters of standard padded base64, optionally one trailing '\n'. */
int key_parse_text(const char *text, size_t len, uint8_t key[KEY_LEN],
		   char err[ERR_LEN]);
/* The key as 44 base64 characters and a NUL. */
void key_format(const uint8_t key[KEY_LEN], char out[KEY_B64_LEN + 1]);
/*
 * Read a key file ("-" is stdin). Sets *loose when group or others may
 * read it (the caller warns).
 */
int key_read_file(const char *path, uint8_t key[KEY_LEN], bool *loose,
		  char err[ERR_LEN]);
/* The same, giving the file's stat (owner and mode of what was read). */
int key_read_file_stat(const char *path, uint8_t key[KEY_LEN], struct stat *st,
		       char err[ERR_LEN]);
/*
 * Fleet label of a host as typed: lowercased, one trailing dot removed,
 * then 1..253 bytes of [a-z0-9._:-].
 */
int key_host_label(const char *host, char out[LABEL_MAX + 1],
		   char err[ERR_LEN]);
/* K_host = HMAC(F, "nft_sysrq host v1" || 0x00 || label(host)). */
int key_derive_host(const uint8_t fleet[KEY_LEN], const char *host,
		    uint8_t out[KEY_LEN], char err[ERR_LEN]);
/* Argon2id MODERATE with salt SHA256("nft_sysrq passphrase v1"||0||name)[0..16). */
int key_from_passphrase(const char *pass, size_t len, const char *name,
			uint8_t out[KEY_LEN], char err[ERR_LEN]);

#endif
