#!/usr/bin/env python3
"""uring-rule.py KEY AUID OP...: adds an io_uring audit rule (filter list 7, AUDIT_FILTER_URING_EXIT)
for the given IORING_OP_* numbers, loginuid AUID and key KEY, through the audit netlink socket.
auditctl 3.0.9 cannot write rules for that list (3.1 adds -a ...,io_uring -U); auditctl -D
removes the rule again. Layout: struct audit_rule_data in linux/audit.h."""
import os, socket, struct, sys

AUDIT_ADD_RULE, AUDIT_FILTER_URING_EXIT, AUDIT_ALWAYS = 1011, 7, 2
AUDIT_LOGINUID, AUDIT_FILTERKEY, AUDIT_EQUAL = 9, 210, 0x40000000
NLM_F_REQUEST, NLM_F_ACK, NLMSG_ERROR = 1, 4, 2

key, auid, ops = sys.argv[1].encode(), int(sys.argv[2]), [int(o) for o in sys.argv[3:]]
mask = [0] * 64
for op in ops:
    mask[op // 32] |= 1 << (op % 32)
fields = [AUDIT_LOGINUID, AUDIT_FILTERKEY] + [0] * 62
values = [auid, len(key)] + [0] * 62
flags = [AUDIT_EQUAL, AUDIT_EQUAL] + [0] * 62
body = struct.pack("=3I64I64I64I64II", AUDIT_FILTER_URING_EXIT, AUDIT_ALWAYS, 2, *mask, *fields,
                   *values, *flags, len(key)) + key
body += b"\0" * (-len(body) % 4)
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 9)  # NETLINK_AUDIT
s.send(struct.pack("=IHHII", 16 + len(body), AUDIT_ADD_RULE, NLM_F_REQUEST | NLM_F_ACK, 1, 0) + body)
reply = s.recv(8192)
_, kind, _, _, _ = struct.unpack("=IHHII", reply[:16])
err = struct.unpack("=i", reply[16:20])[0] if kind == NLMSG_ERROR else 0
if err:
    sys.exit("uring-rule.py: kernel refused the rule: " + os.strerror(-err))
