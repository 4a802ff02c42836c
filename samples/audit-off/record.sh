#!/bin/bash
# record.sh - record a REAL audit log in which auditing is switched off and on again, as
# systemd-journald does at start-up when its Audit= setting is "no" (Debian's default): the
# kernel then makes no records at all, serials stay contiguous, and only the CONFIG_CHANGE
# records show the blind stretch.
#
# Usage: sudo record.sh [OUTDIR]   (default: this script's directory; writes OUTDIR/audit.log)
# Needs root, auditd/auditctl (Debian 3.0.9), no system auditd running and no rules loaded;
# restores the audit subsystem (no rules, enabled flag, no daemon) on exit.
#
# The shell that works gets loginuid 4244 and the rules filter on it, so the busy rest of the
# machine stays out of the log. It reads /etc/hostname, switches auditing off with auditctl,
# reads /etc/os-release (never recorded), switches it on again and reads /etc/debian_version.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$(cd "${1:-$here}" && pwd)
AUID=4244
die() { echo "record.sh: error: $*" >&2; exit 1; }
# shellcheck source=../lib/private-auditd.sh
. "$here/../lib/private-auditd.sh"

[[ $(auditctl -l 2>&1) == "No rules" ]] || die "audit rules are loaded; run where audit is unused"
[[ $(audit_status pid) == 0 ]] || die "an audit daemon is running"
TMPD=$(mktemp -d)
was_enabled=$(audit_status enabled)
AUDITD_PID=
cleanup() {
    auditctl -D >/dev/null 2>&1 || true
    auditctl -e "$was_enabled" >/dev/null 2>&1 || true
    [[ -n $AUDITD_PID ]] && stop_auditd
    rm -rf "$TMPD"
}
trap cleanup EXIT

rm -f "$TMPD/audit.log"
start_auditd "$TMPD/audit.log" RAW
auditctl -e 1 >/dev/null
auditctl -a always,exit -F arch=b64 -S openat -F auid=$AUID -k ba_open >/dev/null
auditctl -a always,exit -F arch=b64 -S execve -F auid=$AUID -k ba_exec >/dev/null
/bin/bash --noprofile --norc -c "echo $AUID > /proc/self/loginuid
    cat /etc/hostname > /dev/null
    auditctl -e 0 > /dev/null
    cat /etc/os-release > /dev/null
    auditctl -e 1 > /dev/null
    cat /etc/debian_version > /dev/null"
auditctl -D >/dev/null
settle "$TMPD/audit.log"
stop_auditd
cp "$TMPD/audit.log" "$out/audit.log"
echo "record.sh: $(wc -l < "$out/audit.log") lines in $out/audit.log" >&2
