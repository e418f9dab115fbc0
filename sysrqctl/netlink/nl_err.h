/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel errors of nf_tables requests as one clear line on stderr. */
#ifndef SYSRQCTL_NL_ERR_H
#define SYSRQCTL_NL_ERR_H

#include <libmnl/libmnl.h>
#include <stddef.h>

/* What the error means for sysrqctl's requests ("" when nothing to add). */
const char *nl_err_hint(int err);

/* "sysrqctl: cannot WHAT: strerror[: attribute ATTR][ (kernel: MSG)]; hint" */
void nl_err_report(int err, const char *what, const char *attr,
		   const char *kmsg);

/*
 * Same, from an NLMSG_ERROR message: its extended ack (message text and
 * offset of the rejected attribute) is decoded; the offset is resolved
 * to an attribute path in sent, the message that failed (may be NULL).
 */
void nl_err_report_ack(int err, const char *what, const struct nlmsghdr *ack,
		       const struct nlmsghdr *sent, size_t sent_len);

/*
 * Name the attribute at byte offset off of an nf_tables message, e.g.
 * "NFTA_RULE_EXPRESSIONS > expression 3 (sysrq) > NFTA_SYSRQ_TOLERANCE".
 */
void nl_attr_path(const struct nlmsghdr *nlh, size_t off, char *out,
		  size_t outlen);

#endif
