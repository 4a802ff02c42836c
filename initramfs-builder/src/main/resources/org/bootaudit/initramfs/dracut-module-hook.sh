#!/bin/sh
# bootaudit-dracut 1
# Added by bootaudit's dracut module: start Linux audit early in the initramfs (first cmdline hook; sourced, never exits).
# Nothing here may stop the boot: failures are reported and ignored. No /dev/null is needed.
ba_log() {
	if [ -c /dev/kmsg ]; then echo "bootaudit: $*" > /dev/kmsg; else echo "bootaudit: $*" >&2; fi
}
if [ -x /usr/sbin/auditctl ]; then
	ba_out=$(/usr/sbin/auditctl -R /etc/bootaudit/audit.rules 2>&1) || ba_log "loading /etc/bootaudit/audit.rules failed: $ba_out"
	ba_out=$(/usr/sbin/auditctl -b @BACKLOG@ 2>&1) || ba_log "auditctl -b @BACKLOG@ failed: $ba_out"
	ba_out=$(/usr/sbin/auditctl -e 1 2>&1) || ba_log "auditctl -e 1 failed: $ba_out"
else
	ba_log "/usr/sbin/auditctl is missing from the initramfs: audit rules not loaded"
fi
unset ba_out
unset -f ba_log
