#!/bin/bash
# record.sh - record REAL audit records of the log dialects this machine's kernel can make:
# a program run through a symlink, several keys on one rule, mount/umount, and file
# operations done through io_uring (URINGOP records). Test fixtures for core's spec cases.
#
# Usage: sudo record.sh [OUT]   (default: this script's directory; writes OUT/audit.log, the
#                                workload's events; the whole log goes to /tmp/bootaudit-dl-full.log)
# Needs root, auditd/auditctl (Debian 12: 3.0.9), gcc and liburing-dev. The audit subsystem
# is taken under flock /tmp/bootaudit-audit.lock; no system auditd may run and no rules may be
# loaded. Rules are cleared and the private auditd stopped on exit, also on failure.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
D=/tmp/bootaudit-dl             # fixed: the spec cases assert these paths
AUID=4244                       # loginuid of the workload shell; the rules filter on it

die() { echo "record.sh: error: $*" >&2; exit 1; }
say() { echo "record.sh: $*" >&2; }
# shellcheck source=../lib/private-auditd.sh
. "$SCRIPT_DIR/../lib/private-auditd.sh"

[[ $EUID -eq 0 ]] || die "must run as root"
if [[ -z ${BOOTAUDIT_LOCKED:-} ]]; then
    exec env BOOTAUDIT_LOCKED=1 flock /tmp/bootaudit-audit.lock "$0" "$@"
fi
[[ $(audit_status pid) == 0 ]] || die "an audit daemon is connected; stop it first"
[[ $(auditctl -l 2>&1) == "No rules" ]] || die "audit rules are loaded; refusing to replace them"
OUT=$(mkdir -p "${1:-$SCRIPT_DIR}" && cd "${1:-$SCRIPT_DIR}" && pwd)

TMPD=/tmp/bootaudit-record-dl
AUDITD_PID=
ENABLED0=$(audit_status enabled)
cleanup() {
    local rc=$?
    set +e
    auditctl -D >/dev/null 2>&1
    umount "$D/mnt" "$D/bind" 2>/dev/null
    [[ -z $AUDITD_PID ]] || stop_auditd
    [[ $(audit_status enabled) == "$ENABLED0" ]] || auditctl -e "$ENABLED0" >/dev/null 2>&1
    rm -rf "$TMPD" "$D"
    exit "$rc"
}
trap cleanup EXIT

rm -rf "$TMPD" "$D"
mkdir -m 700 "$TMPD"
mkdir -p "$D/mnt" "$D/bind" "$D/src" "$D/uring"
gcc -O2 -Wall -Werror -o "$D/uring-ops" "$SCRIPT_DIR/uring-ops.c" -luring
ln -s /usr/bin/true "$D/true-link"

start_auditd "$TMPD/audit.log" RAW
auditctl -a always,exit -F arch=b64 -S execve -F auid=$AUID -k exec -k dialects >/dev/null
auditctl -a always,exit -F arch=b64 -S mount,umount2 -F auid=$AUID -k mount >/dev/null
# IORING_OP_OPENAT 18, OPENAT2 28, RENAMEAT 35, UNLINKAT 36, MKDIRAT 37, SYMLINKAT 38, LINKAT 39
"$SCRIPT_DIR/uring-rule.py" uring $AUID 18 28 35 36 37 38 39

env -i PATH=/usr/bin:/bin LC_ALL=C /bin/bash --noprofile --norc -c "
    echo $AUID > /proc/self/loginuid && cd $D &&
    $D/true-link &&
    /usr/bin/mount -t tmpfs -o size=1m bootaudit-tmpfs $D/mnt &&
    /usr/bin/umount $D/mnt &&
    /usr/bin/mount --bind $D/src $D/bind &&
    /usr/bin/umount -l $D/bind &&
    $D/uring-ops $D/uring"

settle "$TMPD/audit.log"
auditctl -D >/dev/null
settle "$TMPD/audit.log"
stop_auditd
FULL=/tmp/bootaudit-dl-full.log
cp "$TMPD/audit.log" "$FULL"
# keep the workload's events (auid 4244; URINGOP records carry no auid), whole and unedited
awk '/ auid=4244 / || /^type=URINGOP / { match($0, /msg=audit\([0-9.]+:[0-9]+\)/); keep[substr($0, RSTART, RLENGTH)] = 1 }
     { lines[NR] = $0 }
     END { for (i = 1; i <= NR; i++) { match(lines[i], /msg=audit\([0-9.]+:[0-9]+\)/); if (substr(lines[i], RSTART, RLENGTH) in keep) print lines[i] } }' \
    "$FULL" > "$OUT/audit.log"
chmod 644 "$OUT/audit.log"
say "$(wc -l < "$OUT/audit.log") of $(wc -l < "$FULL") lines kept in $OUT/audit.log"
