#!/usr/bin/env python3
"""Writes a bootprobe-format log (the systemtap script of the post that started bootaudit) of a
workload that the kernel audit subsystem recorded, so that the two methods can be compared on the
same run. systemtap cannot run on this project's machines (no debuginfo for their kernels), so the
lines are made with the probe's own printf formats from bootaudit's reading of the audit log:

  "%s %s forks %d \\n"   timestamp(), proc(), ret     timestamp() = "%d %s" seconds, ident[pid]
  "%s %s execs %s \\n"   ...                          proc()      = "%d (%s)" pid, execname
  "%s %s reads %s \\n" / "%s %s writes %s \\n"        writes when the open had O_WRONLY
  "%s %s exit with user %d sys %d \\n"

ident[] follows the probe: empty until the process forks; on a fork the parent and the child get
systemtap's indent(1) string, "%6d :%-*s" (microseconds since the first indent call, a colon, and
one more space per fork so far). The probe sees only open/execve/fork/exit, on entry: deletes,
renames and attribute changes do not appear, and failed calls look like successful ones.
User and sys times of exit lines are not in the audit log and are written as 0.

Usage: from-audit.py AUDIT_LOG > bootprobe.log   (needs ./bootaudit built at the repo root)
"""
import json
import subprocess
import sys
from pathlib import Path

root = Path(__file__).resolve().parents[2]
log = sys.argv[1]
run = lambda *a: subprocess.run([str(root / "bootaudit"), *a, "--until", "all", log],
                                check=True, capture_output=True, text=True).stdout
events = [json.loads(l) for l in run("events").splitlines() if l.strip()]
report = json.loads(run("report", "-f", "json"))
procs = report["boots"][0]["processes"]

lines = []  # (serial, order, pid, text)
forks = {p["pid"]: p for p in procs if p["ppid"] > 0 and any(q["pid"] == p["ppid"] for q in procs)}
last_serial = {}
for e in events:
    last_serial[e["pid"]] = max(last_serial.get(e["pid"], 0), e["serial"])
    if e["op"] == "exec" and not any(t[0] == e["serial"] and t[1] == 1 for t in lines):
        # the probe prints execve's filename argument once: not the interpreter, not ld.so
        lines.append((e["serial"], 1, e["pid"], e["comm"], "execs " + e["path"], e["time"]))
    elif e["op"] in ("read", "write", "create") and e["syscall"].startswith("open"):
        verb = "reads" if e["op"] == "read" else "writes"
        if e["op"] == "write" and any(x["serial"] == e["serial"] and x["op"] == "create" for x in events):
            continue  # one open, one line: the create already stands for it
        lines.append((e["serial"], 2, e["pid"], e["comm"], verb + " " + e["path"], e["time"]))
for child, p in forks.items():
    parent = next(q for q in procs if q["pid"] == p["ppid"])
    lines.append((p["firstSerial"], 0, parent["pid"], parent["comm"], "forks %d" % child, None))
    lines.append((last_serial.get(child, p["firstSerial"]) + 0.5, 3, child, p["comm"], "exit with user 0 sys 0", None))
lines.sort(key=lambda t: (t[0], t[1]))

import datetime
def seconds(t):
    return int(datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp())
first_time = seconds(events[0]["time"])
ident, forks_so_far, first_us = {}, 0, None
out = []
for serial, order, pid, comm, what, time in lines:
    sec = seconds(time) if time else first_time
    first_time = sec
    if what.startswith("forks "):
        forks_so_far += 1
        us = int(serial) * 40  # the audit log has ms times only; serial order stands in for µs
        first_us = us if first_us is None else first_us
        text = "%6d :%-*s" % (us - first_us, forks_so_far - 1, "")
        ident[pid] = text
        ident[int(what.split()[1])] = text
    out.append("%d %s %d (%s) %s \n" % (sec, ident.get(pid, ""), pid, comm, what))


def raw(text):
    """bootaudit's lossless text back to the bytes the probe would print (\\xNN and \\\\)."""
    out, i = bytearray(), 0
    while i < len(text):
        if text.startswith("\\\\", i):
            out += b"\\"; i += 2
        elif text.startswith("\\x", i):
            out.append(int(text[i + 2:i + 4], 16)); i += 4
        else:
            out += text[i].encode(); i += 1
    return bytes(out)


sys.stdout.buffer.write(b"".join(raw(line) for line in out))
